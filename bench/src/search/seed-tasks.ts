import { normalizeRrule } from '@todo/reminders';
import { createTaskSchema, dueFromStored, formatDue, PRIORITIES, storeDue } from '@todo/tasks';
import { isDeepStrictEqual } from 'node:util';
import { Pool, type PoolClient } from 'pg';
import { VOCABULARY } from './vocabulary';

export interface SeedOptions {
  log?: (line: string) => void;
}

export interface SeedResult {
  tasks: number;
  /** Wall-clock seconds for the whole seed. */
  seconds: number;
}

/**
 * From this many rows on, the `tasks` indexes that back no constraint (search, tags, sort keys) are
 * dropped for the load and rebuilt from their own definitions afterwards: the faster way (see `seedTasks`).
 */
const REBUILD_INDEXES_FROM = 100_000;
/** Database connections inserting (and later rebuilding indexes) side by side. */
const CONNECTIONS = 2;

/** The row-shape probabilities, in one place (see the SQL below for how each is used). */
const SHAPE = {
  withDescription: 0.3,
  withDue: 0.7,
  /** Due days are spread uniformly over today −60 … today +120 in the owner's zone. */
  dueDaysBack: 60,
  dueDaysAhead: 120,
  allDay: 0.5,
  /** Completion is likelier once a task is overdue: about 30% completed overall. */
  completedIfPastDue: 0.55,
  completedOtherwise: 0.2,
  edited: 0.25,
  /** Only open tasks with a due date repeat: a completed one would have a next occurrence. */
  recurring: 0.03,
  recurringFromCompletion: 0.2,
} as const;

/** Tasks per user in one statement: all users' tasks numbered in one slice, in creation order. */
const SLICE = 250;

const SQL_WORD_LISTS = ['verbs', 'nouns', 'names', 'places', 'codenames', 'tags'] as const;
const list = (name: (typeof SQL_WORD_LISTS)[number]) => `($${5 + SQL_WORD_LISTS.indexOf(name)}::text[])`;
const RRULES_PARAM = `($${5 + SQL_WORD_LISTS.length}::text[])`;

/** `list[i]` for a uniform draw in [0, 1); `skew` > 1 favours the list's first entries. */
const pick = (name: (typeof SQL_WORD_LISTS)[number], draw: string, skew = 1) =>
  `${list(name)}[1 + floor(cardinality(${list(name)}) * ${skew === 1 ? draw : `${draw} ^ ${skew}`})::int]`;

/**
 * Tasks number $2…$3 of every user in $1 (of $4 per user) in one statement, in creation order with
 * all users' interleaved, as they would have arrived. Every column is what `TaskService` writes:
 * create inserts version 1 with created_at = updated_at; an edit or the completion each add one to
 * the version and move updated_at (completion also sets completed_at to the same moment); a due
 * value is stored as `storeDue` does (all-day: start of the day in the owner's zone, overdue from
 * the next day's start; timed: overdue at the due moment); time_zone is the owner's; numbers run
 * 1…$4 in creation order; `search` is the generated column. Tags are distinct, in canonical form.
 */
const INSERT_TASKS = `
WITH owner AS MATERIALIZED (
  SELECT id, time_zone, (now() AT TIME ZONE time_zone)::date AS today FROM users WHERE id = ANY($1::uuid[])
),
draw AS MATERIALIZED (
  SELECT o.id AS owner_id, o.time_zone, o.today, n, gen_random_uuid() AS id,
         now() - interval '1 hour' - interval '365 days'
           + (n - 1 + 0.9 * random()) * (interval '365 days' / $4::int) AS created_at,
         random() AS verb, random() AS noun, random() AS qualifier, random() AS qualifier_word,
         random() AS has_description, random() AS description_kind, random() AS description_a,
         random() AS description_b, random() AS tag_count, random() AS tag_a, random() AS tag_b,
         random() AS tag_c, random() AS priority, random() AS has_due, random() AS due_day,
         random() AS all_day, random() AS due_time, random() AS done, random() AS done_at,
         random() AS edited, random() AS edited_at, random() AS recurring, random() AS recurring_from
  FROM owner o CROSS JOIN generate_series($2::int, $3::int) AS n
),
due AS MATERIALIZED (
  SELECT d.*,
         CASE WHEN d.has_due < ${SHAPE.withDue}
           THEN d.today + (floor(d.due_day * ${SHAPE.dueDaysBack + SHAPE.dueDaysAhead + 1})::int - ${SHAPE.dueDaysBack})
         END AS day,
         d.all_day < ${SHAPE.allDay} AS is_all_day
  FROM draw d
),
stored AS MATERIALIZED (
  SELECT u.*,
         CASE WHEN u.is_all_day THEN u.day::timestamp AT TIME ZONE u.time_zone
              ELSE (u.day + time '08:00' + floor(u.due_time * 24) * interval '30 minutes') AT TIME ZONE u.time_zone
         END AS due_at,
         CASE WHEN u.is_all_day THEN (u.day + 1)::timestamp AT TIME ZONE u.time_zone
              ELSE (u.day + time '08:00' + floor(u.due_time * 24) * interval '30 minutes') AT TIME ZONE u.time_zone
         END AS overdue_at
  FROM due u
),
life AS MATERIALIZED (
  SELECT s.*,
         s.done < CASE WHEN s.overdue_at <= now() THEN ${SHAPE.completedIfPastDue} ELSE ${SHAPE.completedOtherwise} END
           AS is_done,
         CASE WHEN s.edited < ${SHAPE.edited} THEN s.created_at + s.edited_at * (now() - s.created_at) END AS edited_ts,
         floor(cardinality(${list('tags')}) * s.tag_a ^ 2)::int AS tag_1
  FROM stored s
),
shaped AS MATERIALIZED (
  SELECT l.*,
         CASE WHEN l.is_done THEN greatest(l.created_at, l.edited_ts)
                                 + l.done_at * (now() - greatest(l.created_at, l.edited_ts)) END AS completed_ts,
         NOT l.is_done AND l.day IS NOT NULL AND l.recurring < ${SHAPE.recurring} AS is_recurring,
         (l.tag_1 + 1 + floor(l.tag_b * ((cardinality(${list('tags')}) - 1) / 2))::int) AS tag_2_unwrapped
  FROM life l
)
INSERT INTO tasks (id, owner_id, number, title, description, status, priority, tags, due_at, due_all_day,
                   overdue_at, time_zone, recurrence_rule, recurrence_from, series_id, series_position,
                   version, created_at, updated_at, completed_at)
SELECT s.id, s.owner_id, s.n,
       ${pick('verbs', 's.verb')} || ' ' || ${pick('nouns', 's.noun', 2)} ||
         CASE WHEN s.qualifier < 0.15 THEN ' for ' || ${pick('names', 's.qualifier_word')}
              WHEN s.qualifier < 0.25 THEN ' with ' || ${pick('names', 's.qualifier_word')}
              WHEN s.qualifier < 0.35 THEN ' at ' || ${pick('places', 's.qualifier_word')}
              WHEN s.qualifier < 0.45 THEN ' for project ' || ${pick('codenames', 's.qualifier_word')}
              ELSE '' END,
       CASE WHEN s.has_description < ${SHAPE.withDescription} THEN
         CASE floor(s.description_kind * 5)::int
           WHEN 0 THEN 'Ask ' || ${pick('names', 's.description_a')} || ' about the ' || ${pick('nouns', 's.description_b')} || '.'
           WHEN 1 THEN 'Bring the ' || ${pick('nouns', 's.description_a')} || ' to ' || ${pick('places', 's.description_b')} || '.'
           WHEN 2 THEN 'Remember the ' || ${pick('nouns', 's.description_a')} || ' and the ' || ${pick('nouns', 's.description_b')} || '.'
           WHEN 3 THEN 'Part of project ' || ${pick('codenames', 's.description_a')} || '; see the notes from ' || ${pick('names', 's.description_b')} || '.'
           ELSE 'Budget about ' || (10 + floor(s.description_a * 490))::int || ' EUR; compare prices at ' || ${pick('places', 's.description_b')} || ' first.'
         END
       END,
       CASE WHEN s.is_done THEN 'completed' ELSE 'pending' END,
       CASE WHEN s.priority < 0.45 THEN 0 WHEN s.priority < 0.65 THEN 1 WHEN s.priority < 0.85 THEN 2
            WHEN s.priority < 0.95 THEN 3 ELSE 4 END,
       (ARRAY[${list('tags')}[1 + s.tag_1],
              ${list('tags')}[1 + s.tag_2_unwrapped % cardinality(${list('tags')})],
              ${list('tags')}[1 + (s.tag_2_unwrapped + 1
                + floor(s.tag_c * (cardinality(${list('tags')}) - 1 - (cardinality(${list('tags')}) - 1) / 2))::int)
                % cardinality(${list('tags')})]
       ])[1:CASE WHEN s.tag_count < 0.35 THEN 0 WHEN s.tag_count < 0.7 THEN 1 WHEN s.tag_count < 0.9 THEN 2 ELSE 3 END],
       s.due_at, s.day IS NOT NULL AND s.is_all_day, s.overdue_at, s.time_zone,
       CASE WHEN s.is_recurring THEN ${RRULES_PARAM}[1 + floor(s.recurring / ${SHAPE.recurring} * cardinality(${RRULES_PARAM}))::int] END,
       CASE WHEN s.is_recurring THEN
         CASE WHEN s.recurring_from < ${SHAPE.recurringFromCompletion} THEN 'completion' ELSE 'due' END END,
       CASE WHEN s.is_recurring THEN s.id END,
       CASE WHEN s.is_recurring THEN 1 END,
       1 + (s.edited_ts IS NOT NULL)::int + s.is_done::int,
       s.created_at,
       greatest(s.created_at, s.edited_ts, s.completed_ts),
       s.completed_ts
FROM shaped s
ORDER BY s.created_at`;

/**
 * Bulk-loads `perUser` tasks for each (freshly registered, task-less) user with set-based SQL, sets
 * `task_counters`, then VACUUM ANALYZE (autovacuum would have done it for data that grew over a year:
 * statistics, visibility map, hint bits). The rows are what the API would have written; a sample is
 * checked against the app's own schema and due-date code afterwards. No outbox rows: seeding is not
 * an API write. The same draws every run (setseed per slice); only the uuids differ.
 *
 * Measured at 100 × 10,000 on 2 cores: ~30–37 s when the nine non-constraint indexes are dropped
 * and rebuilt from their definitions after the load (insert ~20–24 s, rebuild ~10–12 s), 64 s when
 * they are maintained row by row; hence `REBUILD_INDEXES_FROM`.
 */
export async function seedTasks(
  databaseUrl: string,
  users: ReadonlyArray<{ id: string }>,
  perUser: number,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const total = users.length * perUser;
  const log = options.log ?? (() => undefined);
  const pool = new Pool({ connectionString: databaseUrl, max: CONNECTIONS });
  const started = performance.now();
  const seconds = (since: number) => (performance.now() - since) / 1000;
  try {
    await checkUsers(pool, users);
    const words = [...SQL_WORD_LISTS.map((name) => VOCABULARY[name]), VOCABULARY.rrules.map(normalizedRrule)];
    const dropped = total >= REBUILD_INDEXES_FROM ? await dropSecondaryIndexes(pool) : [];
    try {
      const insertStarted = performance.now();
      const ids = users.map((user) => user.id);
      const slices = Array.from({ length: Math.ceil(perUser / SLICE) }, (_, i) => i * SLICE + 1);
      let done = 0;
      await inParallel(pool, CONNECTIONS, slices.entries(), async (client, [position, first]) => {
        const last = Math.min(perUser, first + SLICE - 1);
        await client.query('SELECT setseed($1)', [((position * 7919) % 20_000) / 10_000 - 1]);
        await client.query(INSERT_TASKS, [ids, first, last, perUser, ...words]);
        done += 1;
        if (done % 5 === 0 || done === slices.length)
          log(
            `seeded ${done}/${slices.length} slices of ${SLICE} tasks per user (${seconds(insertStarted).toFixed(1)} s)`,
          );
      });
      await pool.query(
        'INSERT INTO task_counters (owner_id, last_number) SELECT id, $2 FROM unnest($1::uuid[]) AS id',
        [ids, perUser],
      );
    } finally {
      const indexStarted = performance.now();
      await inParallel(pool, CONNECTIONS, dropped.values(), async (client, definition) => {
        await client.query(`SET maintenance_work_mem = '512MB'`);
        await client.query(definition);
      });
      if (dropped.length) log(`rebuilt ${dropped.length} indexes (${seconds(indexStarted).toFixed(1)} s)`);
    }
    await pool.query('VACUUM (ANALYZE) tasks, task_counters');
    await checkSample(pool, users);
    return { tasks: total, seconds: seconds(started) };
  } finally {
    await pool.end();
  }
}

function normalizedRrule(text: string): string {
  const check = normalizeRrule(text);
  if (!check.ok) throw new Error(`seed vocabulary: rrule ${text} is invalid: ${check.reason}`);
  return check.rrule;
}

async function checkUsers(pool: Pool, users: ReadonlyArray<{ id: string }>): Promise<void> {
  const ids = users.map((user) => user.id);
  const {
    rows: [counts],
  } = await pool.query<{ users: number; with_tasks: number }>(
    `SELECT (SELECT count(*)::int FROM users WHERE id = ANY($1::uuid[])) AS users,
            (SELECT count(*)::int FROM task_counters WHERE owner_id = ANY($1::uuid[])) AS with_tasks`,
    [ids],
  );
  if (counts.users !== new Set(ids).size)
    throw new Error(`seedTasks: ${ids.length - counts.users} of the users do not exist`);
  if (counts.with_tasks)
    throw new Error(`seedTasks: ${counts.with_tasks} of the users already have tasks; seed fresh users`);
}

/**
 * Drops the indexes that back no constraint and returns their definitions, to run again later:
 * search and tags (GIN) first, so the longest builds start first when several run side by side.
 */
async function dropSecondaryIndexes(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid = 'tasks'::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY pg_get_indexdef(i.indexrelid) LIKE '% USING gin %' DESC, 1`,
  );
  for (const { name } of rows) await pool.query(`DROP INDEX ${name}`);
  return rows.map((row) => row.definition);
}

/** Runs `work` over `items` on `connections` clients at once (a shared queue; stops at the first error). */
async function inParallel<T>(
  pool: Pool,
  connections: number,
  items: Iterator<T>,
  work: (client: PoolClient, item: T) => Promise<void>,
): Promise<void> {
  let failed = false;
  const worker = async () => {
    const client = await pool.connect();
    try {
      for (let next = items.next(); !next.done && !failed; next = items.next())
        await work(client, next.value);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

interface SampleRow {
  title: string;
  description: string | null;
  priority: number;
  tags: string[];
  due_at: Date | null;
  due_all_day: boolean;
  overdue_at: Date | null;
  time_zone: string;
  recurrence_rule: string | null;
  recurrence_from: 'due' | 'completion' | null;
}

/**
 * Feeds a sample of seeded rows back through the API's create schema and due-date storage: the
 * input must come out unchanged (canonical title, description, tags, rrule) and the due columns
 * must be exactly what `storeDue` would store for that due.
 */
async function checkSample(pool: Pool, users: ReadonlyArray<{ id: string }>): Promise<void> {
  const { rows } = await pool.query<SampleRow>(
    `SELECT title, description, priority, tags, due_at, due_all_day, overdue_at, time_zone,
            recurrence_rule, recurrence_from
     FROM tasks WHERE owner_id = ANY($1::uuid[]) AND number % 97 = 1 LIMIT 1000`,
    [users.slice(0, 20).map((user) => user.id)],
  );
  for (const row of rows) {
    const due = formatDue(dueFromStored(row.due_at, row.due_all_day, row.time_zone), row.time_zone);
    const input = {
      title: row.title,
      description: row.description,
      priority: PRIORITIES[row.priority],
      tags: row.tags,
      due,
      recurrence:
        row.recurrence_rule && row.recurrence_from
          ? { rrule: row.recurrence_rule, from: row.recurrence_from }
          : null,
    };
    const parsed = createTaskSchema.parse(input);
    const stored = due ? storeDue(due, row.time_zone) : null;
    const same =
      isDeepStrictEqual(parsed, input) &&
      stored?.dueAt.getTime() === row.due_at?.getTime() &&
      stored?.overdueAt.getTime() === row.overdue_at?.getTime() &&
      (stored?.allDay ?? false) === row.due_all_day;
    if (!same)
      throw new Error(
        `seedTasks: a seeded row differs from what the API would store: ${JSON.stringify(row)}`,
      );
  }
}
