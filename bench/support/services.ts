import { Redis } from 'ioredis';
import { dropSchema } from '../../src/store/postgres.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../tests/support/services.js';

/** The machine's PostgreSQL and Redis, as the test suite uses them (overridable the same way). */
export const DATABASE_URL = TEST_DATABASE_URL;
export const REDIS_URL = TEST_REDIS_URL;
export { uniqueName } from '../../tests/support/services.js';

/** Drops what one run made: its PostgreSQL schema (when given) and every Redis key under its prefix. */
export async function cleanUp(opts: { schema?: string; prefix: string }): Promise<void> {
  await Promise.all([
    opts.schema ? dropSchema(DATABASE_URL, opts.schema) : undefined,
    deleteKeys(`${opts.prefix}:*`),
  ]);
}

async function deleteKeys(pattern: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
