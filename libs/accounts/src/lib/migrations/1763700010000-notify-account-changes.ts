import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every process caches who a token's subject is; any change to an account (profile update, deletion,
 * also by hand in psql) NOTIFYs them at commit so they forget it.
 */
export class NotifyAccountChanges1763700010000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION notify_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('accounts_changed', OLD.id::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER users_notify_changed AFTER UPDATE OR DELETE ON users
      FOR EACH ROW EXECUTE FUNCTION notify_account_changed()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_notify_changed ON users`);
    await db.query(`DROP FUNCTION notify_account_changed()`);
  }
}
