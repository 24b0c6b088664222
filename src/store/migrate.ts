import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import type { Db } from './db.js';

export const MIGRATIONS_DIR = join(packageRoot, 'src', 'store', 'migrations');

/**
 * Applies pending migrations (`NNN_name.sql`, in order), each in its own transaction with
 * its bookkeeping row. On PostgreSQL an advisory lock makes concurrent start-ups (several
 * workers at once) take turns; PGlite has one connection anyway.
 */
export async function migrate(db: Db): Promise<string[]> {
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  await db.query('CREATE TABLE IF NOT EXISTS cradle_migration (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  for (const file of files) {
    const done = await db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.query("SELECT pg_advisory_xact_lock(hashtext('cradle_migration'))");
      const { rows } = await tx.query('SELECT 1 FROM cradle_migration WHERE id = $1', [file]);
      if (rows.length > 0) return false;
      for (const statement of splitStatements(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'))) {
        await tx.query(statement);
      }
      await tx.query('INSERT INTO cradle_migration (id) VALUES ($1)', [file]);
      return true;
    });
    if (done) applied.push(file);
  }
  return applied;
}

/** Splits a migration on `;` at line ends. Migrations avoid functions with bodies. */
function splitStatements(sql: string): string[] {
  return sql
    .replace(/--.*$/gm, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
