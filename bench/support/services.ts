import { dropSchema } from '../../src/store/postgres.js';
import { deleteRedisKeys, TEST_DATABASE_URL, TEST_REDIS_URL } from '../../tests/support/services.js';

/** The machine's PostgreSQL and Redis, as the test suite uses them (overridable the same way). */
export const DATABASE_URL = TEST_DATABASE_URL;
export const REDIS_URL = TEST_REDIS_URL;
export { uniqueName } from '../../tests/support/services.js';

/** Drops what one run made: its PostgreSQL schema (when given) and every Redis key under its prefix. */
export async function cleanUp(opts: { schema?: string; prefix: string }): Promise<void> {
  await Promise.all([
    opts.schema ? dropSchema(DATABASE_URL, opts.schema) : undefined,
    deleteRedisKeys(opts.prefix, REDIS_URL),
  ]);
}
