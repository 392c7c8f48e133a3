import { DataSource, QueryFailedError } from 'typeorm';
import { queryPrepared } from './prepared-statement';

/** Statements run through `queryPrepared` are prepared on the connection, once, under a name of their own. */
describe('queryPrepared', () => {
  // The run's server (started by the Jest global setup); nothing is written, so no own database.
  let db: DataSource;
  beforeAll(async () => {
    db = await new DataSource({
      type: 'postgres',
      url: process.env['TEST_DATABASE_URL'],
      poolSize: 1,
    }).initialize();
  });
  afterAll(() => db?.destroy());

  /** The connection's prepared statements by text (the pool has one connection). */
  const prepared = async () =>
    Object.fromEntries(
      (await db.query(`SELECT name, statement FROM pg_prepared_statements`)).map(
        (row: { name: string; statement: string }) => [row.statement, row.name],
      ),
    );

  it('prepares each text once per connection, inside a transaction too, and gives another text another name', async () => {
    const twice = `SELECT $1::int + 1 AS n`;
    expect(await queryPrepared(db, twice, [1])).toEqual([{ n: 2 }]);
    expect(await queryPrepared(db, twice, [41])).toEqual([{ n: 42 }]);
    const other = `SELECT $1::text AS word`;
    expect(await db.transaction((tx) => queryPrepared(tx, other, ['hello']))).toEqual([{ word: 'hello' }]);
    const names = await prepared();
    expect(Object.keys(names).sort()).toEqual([other, twice].sort());
    expect(names[twice]).toMatch(/^todo_[0-9a-f]{40}$/);
    expect(names[other]).toMatch(/^todo_[0-9a-f]{40}$/);
    expect(names[twice]).not.toEqual(names[other]);
  });

  it('answers as TypeORM does outside a transaction: rows, [rows, count] for UPDATE and DELETE, QueryFailedError', async () => {
    const update = `UPDATE pg_temp_nonexistent SET x = 1`;
    await expect(queryPrepared(db, update, [])).rejects.toBeInstanceOf(QueryFailedError);
    await db.query(`CREATE TEMP TABLE counted (n int)`);
    await db.query(`INSERT INTO counted VALUES (1), (2)`);
    const bump = `UPDATE counted SET n = n + $1 RETURNING n`;
    expect(await queryPrepared(db, bump, [10])).toEqual([[{ n: 11 }, { n: 12 }], 2]);
    expect(await db.query(bump, [-10])).toEqual([[{ n: 1 }, { n: 2 }], 2]); // TypeORM's own shape
    expect(await queryPrepared(db.manager, `DELETE FROM counted WHERE n > $1`, [5])).toEqual([[], 0]);
    const failing = `SELECT 1 / $1::int AS n`;
    const error = await queryPrepared(db, failing, [0]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(error).toMatchObject({ code: '22012', query: failing, parameters: [0] });
    // the connection stayed (a temporary table lives as long as its connection)
    expect(await queryPrepared(db, `SELECT count(*)::int AS rows FROM counted`, [])).toEqual([{ rows: 2 }]);
  });
});
