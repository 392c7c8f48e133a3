import { ACCOUNTS_MIGRATIONS } from '@todo/accounts';
import { taskSnapshotSchema } from '@todo/events';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { createTestDatabase } from '@todo/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TASK_COLUMNS, TASK_ROW_FIELDS } from './task-row';
import { createTaskSchema, updateTaskSchema } from './task.schemas';
import { TASKS_MIGRATIONS } from './tasks.module';

/** Columns of `tasks` that no query reads back as such, and why. */
const COLUMNS_NOT_READ = {
  search: 'the full-text vector, only searched',
};

/**
 * The definitions of a task field that cannot be derived from one another: the table (migrations),
 * the row mapping (TASK_COLUMNS, TaskRow) and the wire snapshot (the event contract, which REST and
 * GraphQL return). Adding a field to one of them and not the others fails here.
 */
describe('task fields: table, row mapping and snapshot agree (real PostgreSQL)', () => {
  let url: string;
  let drop: () => Promise<void>;
  let client: Client;

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase());
    const db = await new DataSource({
      type: 'postgres',
      url,
      migrations: [...ACCOUNTS_MIGRATIONS, ...TASKS_MIGRATIONS, ...REMINDERS_MIGRATIONS],
    }).initialize();
    await db.runMigrations();
    await db.destroy();
    client = new Client({ connectionString: url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await drop?.();
  });

  it('reads every column of the table, or says why not', async () => {
    const { rows } = await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'tasks' ORDER BY column_name`,
    );
    const selected = new Set([...TASK_COLUMNS.matchAll(/\bt\.(\w+)/g)].map((match) => match[1]));
    expect(rows.map((row) => row.column_name).filter((column) => !selected.has(column))).toEqual(
      Object.keys(COLUMNS_NOT_READ).sort(),
    );
  });

  it('maps exactly the fields TASK_COLUMNS selects', async () => {
    const { fields } = await client.query(`SELECT ${TASK_COLUMNS} FROM tasks t LIMIT 0`);
    expect(fields.map((field) => field.name).sort()).toEqual(Object.keys(TASK_ROW_FIELDS).sort());
  });

  it('builds every snapshot field from the row, and every input field is one the snapshot shows', () => {
    const fed = new Set(Object.values(TASK_ROW_FIELDS).filter((field) => field !== null));
    expect([...fed].sort()).toEqual(Object.keys(taskSnapshotSchema.shape).sort());
    const inputs = new Set([...Object.keys(createTaskSchema.shape), ...Object.keys(updateTaskSchema.shape)]);
    inputs.delete('version'); // the optimistic-concurrency check, not a field
    expect([...inputs].filter((field) => !fed.has(field as never))).toEqual([]);
  });
});
