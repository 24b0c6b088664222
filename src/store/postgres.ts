import pg from 'pg';
import type { Db, Sql } from './db.js';

export interface PostgresOptions {
  url: string;
  /** Schema holding Cradle's tables; tests give each run its own. */
  schema: string;
  poolSize?: number;
}

// timestamptz → ISO string, bigint → number: the same shapes PGlite gives us after
// its own parsers (see pglite.ts), so stores see one representation.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 1184 || oid === 1114) return (v: string) => new Date(v).toISOString();
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** A PostgreSQL-backed {@link Db}: a pool whose connections use `options.schema`. */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const schema = quoteIdent(options.schema);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // JIT off: Cradle's queries are short OLTP lookups, but a plan whose estimate passes
    // jit_above_cost (easily, on a store of tens of thousands of resources) spends ~1 s
    // compiling before it runs in milliseconds. Measured in bench/README.md.
    options: `-c search_path=${options.schema},public -c jit=off`,
    types,
  });
  // A pool emits errors from idle clients (server restart); without a listener that
  // would crash the process. The next query reconnects.
  pool.on('error', () => undefined);
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);

  const asSql = (client: pg.Pool | pg.PoolClient): Sql => ({
    async query<T>(text: string, params?: readonly unknown[]) {
      const res = await client.query(text, params as unknown[]);
      return { rows: res.rows as T[] };
    },
  });

  return {
    kind: 'postgres',
    ...asSql(pool),
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A checked-out client has no pool listener: without this, a server restart mid-
      // transaction is an unhandled 'error' event that kills the process. The query in
      // flight rejects instead, and the broken connection is discarded on release.
      let broken: Error | undefined;
      const onError = (err: Error) => (broken = err);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(asSql(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((e: Error) => (broken ??= e));
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await pool.end();
    },
  };
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}

/** Drops a schema and everything in it; for tests that made their own. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
