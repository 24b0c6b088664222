/**
 * The SQL surface Cradle's stores use. Two implementations share one schema and one set
 * of migrations: PostgreSQL (`DATABASE_URL`) and PGlite, Postgres compiled to WASM, for
 * the embedded default under CRADLE_DATA_DIR.
 *
 * Parameters are positional (`$1`). Pass jsonb as `JSON.stringify(value)` with a `::jsonb`
 * cast: the two drivers serialise objects and arrays differently otherwise.
 */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
}

export interface Db extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
