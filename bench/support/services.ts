import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { dropSchema } from '../../src/store/postgres.js';

/** The machine's PostgreSQL and Redis, as the test suite uses them (overridable the same way). */
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh lower-case name for a schema or key prefix, so runs never share state. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

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
