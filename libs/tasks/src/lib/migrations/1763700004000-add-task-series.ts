import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recurring tasks form a series: one task per occurrence. `(series_id, series_position)` is unique,
 * so each occurrence has at most one successor however often its completion is delivered or repeated.
 */
export class AddTaskSeries1763700004000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tasks ADD COLUMN series_id uuid, ADD COLUMN series_position integer`);
    await db.query(`UPDATE tasks SET series_id = id, series_position = 1 WHERE recurrence_rule IS NOT NULL`);
    await db.query(`
      ALTER TABLE tasks
        ADD CONSTRAINT tasks_series_complete CHECK ((series_id IS NULL) = (series_position IS NULL)),
        ADD CONSTRAINT tasks_series_occurrence_key UNIQUE (series_id, series_position)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tasks DROP COLUMN series_id, DROP COLUMN series_position`);
  }
}
