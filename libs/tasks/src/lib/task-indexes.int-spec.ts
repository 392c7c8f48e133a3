import { ACCOUNTS_MIGRATIONS } from '@todo/accounts';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { createTestDatabase } from '@todo/testing';
import { buildListQuery } from './task-list-query';
import { taskQuerySchema, type TaskQueryInput } from './task.schemas';
import { TASKS_MIGRATIONS } from './tasks.module';
import { DueWeekFilterKeys1763700024000 } from './migrations/1763700024000-due-week-filter-keys';
import { DataSource } from 'typeorm';

/** The tables of the modules this suite composes. */
const MIGRATIONS = [ACCOUNTS_MIGRATIONS, TASKS_MIGRATIONS, REMINDERS_MIGRATIONS, EVENTS_MIGRATIONS].flat();

/**
 * With realistic volume (200 users x 250 tasks), every common list query must be answered from an
 * index scoped to the owner, never by scanning the tasks table.
 */
describe('task queries use indexes (EXPLAIN on real PostgreSQL)', () => {
  let db: DataSource;
  let drop: () => Promise<void>;
  let ownerId: string;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    db = await new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: MIGRATIONS,
    }).initialize();
    await db.runMigrations();
    await db.query(
      `INSERT INTO users (email, password_hash) SELECT 'u' || n || '@example.com', 'x' FROM generate_series(1, 200) n`,
    );
    await db.query(`
      INSERT INTO tasks (owner_id, number, title, description, status, completed_at, priority, tags, due_at, overdue_at, time_zone)
      SELECT u.id, n,
             (ARRAY['Buy','Call','Fix','Plan','Read'])[1 + n % 5] || ' ' || (ARRAY['groceries','mom','bike','trip','book'])[1 + (n / 5) % 5] || ' ' || n,
             'note ' || n,
             CASE WHEN n % 3 = 0 THEN 'completed' ELSE 'pending' END,
             CASE WHEN n % 3 = 0 THEN now() END,
             n % 5, ARRAY[(ARRAY['home','work','errands','health'])[1 + n % 4]],
             CASE WHEN n % 4 <> 0 THEN now() + (n - 125) * interval '1 day' END,
             CASE WHEN n % 4 <> 0 THEN now() + (n - 125) * interval '1 day' END,
             'UTC'
      FROM users u, generate_series(1, 250) n`);
    // VACUUM as autovacuum would: rows inserted since the last one wait in each GIN index's pending
    // list, which every lookup reads whole, so the planner would rightly avoid those indexes.
    await db.query('VACUUM ANALYZE');
    [{ id: ownerId }] = await db.query(`SELECT id FROM users ORDER BY email LIMIT 1`);
  });
  afterAll(async () => {
    await db?.destroy();
    await drop?.();
  });

  it.each<[string, TaskQueryInput]>([
    ['keyword search', { q: 'groc' }],
    ['pending, sorted by due', { status: 'pending', sort: 'due' }],
    [
      'tag + due range sorted by due',
      { tags: 'home', due_from: '2026-01-01', due_to: '2030-01-01', sort: 'due' },
    ],
    ['overdue sorted by priority', { overdue: true, sort: 'priority' }],
    ['sorted by title', { sort: 'title' }],
    ['newest first', { sort: 'created' }],
  ])('%s', async (_name, input) => {
    const plan = await planOf(input);
    expect(plan).not.toMatch(/Seq Scan on tasks/);
    expect(plan).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
  });

  it("reads just a due range from the owner's due index (not every task due before it)", async () => {
    for (const order of ['asc', 'desc'] as const) {
      const plan = await planOf({ due_from: '2026-01-01', due_to: '2026-03-01', sort: 'due', order });
      expect(plan).toMatch(new RegExp(`Index Cond: .*COALESCE\\(due_at, '-?infinity'.* >= '2026-01-01`));
    }
  });

  it("search and tag filters of a user with many tasks look up that owner's keys alone", async () => {
    // At a few hundred tasks reading the owner's rows is as cheap; at thousands the keys decide.
    const [{ id: busyOwner }] = await db.query(
      `INSERT INTO users (email, password_hash) VALUES ('busy@example.com', 'x') RETURNING id`,
    );
    await db.query(
      `INSERT INTO tasks (owner_id, number, title, tags, time_zone)
       SELECT $1, n, (ARRAY['Buy','Call','Fix','Plan','Read'])[1 + n % 5] || ' item ' || n,
              ARRAY[(ARRAY['home','work','errands','health'])[1 + n % 4]], 'UTC'
       FROM generate_series(1, 5000) n`,
      [busyOwner],
    );
    await db.query('VACUUM ANALYZE tasks');
    const search = await planOf({ q: 'buy ite' }, busyOwner);
    expect(search).toMatch(/Bitmap Index Scan on tasks_owner_search_keys_idx/);
    expect(search).not.toMatch(/BitmapAnd/);
    for (const tag_match of ['all', 'any'] as const) {
      const tags = await planOf({ tags: 'home,work', tag_match }, busyOwner);
      expect(tags).toMatch(/Bitmap Index Scan on tasks_filter_keys_idx/);
      expect(tags).not.toMatch(/BitmapAnd/);
    }
  });

  it("looks tags in a short due range up by the owner's keys of both, in one index scan", async () => {
    const [{ id: planner }] = await db.query(
      `INSERT INTO users (email, password_hash) VALUES ('planner@example.com', 'x') RETURNING id`,
    );
    await db.query(
      `INSERT INTO tasks (owner_id, number, title, tags, due_at, overdue_at, time_zone)
       SELECT $1, n, 'Task ' || n, ARRAY[(ARRAY['home','work','errands','health'])[1 + n % 4]],
              '2026-01-01'::timestamptz + n * interval '1 hour', '2026-01-01'::timestamptz + n * interval '1 hour', 'UTC'
       FROM generate_series(1, 5000) n`,
      [planner],
    );
    await db.query('VACUUM ANALYZE tasks');
    const plan = await planOf({ tags: 'home', due_from: '2026-03-01', due_to: '2026-03-14' }, planner);
    // The range's weeks are keys of the same scan: `&& '{<owner>#<week>,…}'`.
    expect(plan).toMatch(/Bitmap Index Scan on tasks_filter_keys_idx/);
    expect(plan).toMatch(/Index Cond: .*@>.*&& '\{[^}]*#\d+,/);
    expect(plan).not.toMatch(/BitmapAnd/);
    // Past eight weeks the same index is asked for the tag keys alone; the range is checked on the rows.
    const long = await planOf({ tags: 'home', due_from: '2026-01-01', due_to: '2026-06-30' }, planner);
    expect(long).toMatch(/Bitmap Index Scan on tasks_filter_keys_idx/);
    expect(long).not.toMatch(/#\d+/);
  });

  it('reverts to the tag keys index and applies again (migration DueWeekFilterKeys)', async () => {
    const indexes = async () =>
      (
        await db.query(
          `SELECT indexname FROM pg_indexes WHERE tablename = 'tasks' AND indexname LIKE '%keys%'`,
        )
      )
        .map((row: { indexname: string }) => row.indexname)
        .sort();
    const runner = db.createQueryRunner();
    try {
      await new DueWeekFilterKeys1763700024000().down(runner);
      expect(await indexes()).toEqual(['tasks_owner_search_keys_idx', 'tasks_owner_tag_keys_idx']);
      await new DueWeekFilterKeys1763700024000().up(runner);
      expect(await indexes()).toEqual(['tasks_filter_keys_idx', 'tasks_owner_search_keys_idx']);
    } finally {
      await runner.release();
    }
  });

  async function planOf(input: TaskQueryInput, owner = ownerId): Promise<string> {
    const sql = buildListQuery(owner, 'UTC', taskQuerySchema.parse(input));
    return (await db.query(`EXPLAIN ${sql.text}`, sql.values))
      .map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN'])
      .join('\n');
  }
});
