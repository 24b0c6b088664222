import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Db, Sql } from './db.js';

/**
 * The embedded store: PGlite (Postgres in WASM) in `dataDir`, or in memory when
 * `dataDir` is undefined. One connection, so queries are serialised; transactions hold it.
 */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = new PGlite(dataDir, {
    parsers: {
      [types.TIMESTAMPTZ]: (v: string) => new Date(v).toISOString(),
      [types.TIMESTAMP]: (v: string) => new Date(v).toISOString(),
      [types.INT8]: (v: string) => Number(v),
    },
  });
  await db.waitReady;
  const asSql = (q: { query: PGlite['query'] }): Sql => ({
    async query<T>(text: string, params?: readonly unknown[]) {
      const res = await q.query<T>(text, params as unknown[]);
      return { rows: res.rows };
    },
  });
  let closed = false;
  return {
    kind: 'pglite',
    ...asSql(db),
    transaction: <T>(fn: (tx: Sql) => Promise<T>) => db.transaction((tx) => fn(asSql(tx))),
    async ping() {
      if (closed) return false;
      try {
        await db.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      closed = true;
      await db.close();
    },
  };
}
