import { DependencyUnavailableError } from '@todo/config';
import { DataSource, type DataSourceOptions } from 'typeorm';

const POSTGRES_PORT = 5432;

/**
 * Opens the connection pool; a database that cannot be reached (or refuses us) becomes a
 * {@link DependencyUnavailableError} naming its host and port only, never the URL's credentials.
 */
export async function connectDataSource(options: DataSourceOptions & { url?: string }): Promise<DataSource> {
  try {
    return await new DataSource(options).initialize();
  } catch (error) {
    const address = DependencyUnavailableError.addressOf(options.url ?? '', POSTGRES_PORT);
    throw new DependencyUnavailableError('PostgreSQL', address, reasonOf(error));
  }
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node reports a host with several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
  if (error instanceof AggregateError && !error.message)
    return error.errors
      .map((each: unknown) => (each instanceof Error ? each.message : String(each)))
      .join('; ');
  return error.message || String((error as { code?: unknown }).code ?? error.name);
}
