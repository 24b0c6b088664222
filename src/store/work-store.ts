import type { Db, Sql } from './db.js';

export interface WorkItem {
  queue: string;
  key: string;
  generation: number;
}

/**
 * The durable outbox behind the `assess` and `deliver` queues. Marking work bumps a
 * generation number; a job carries the generation it was queued for, and completing
 * removes the item only if no newer change arrived meanwhile. So a change during a
 * running job is never lost, and jobs for superseded generations stop quietly.
 */
export class WorkStore {
  constructor(private readonly db: Db) {}

  /** Records that `queue` must process each key; returns the new generations. */
  async mark(tx: Sql, queue: string, keys: readonly string[], now: string): Promise<WorkItem[]> {
    const unique = [...new Set(keys)].sort();
    if (unique.length === 0) return [];
    const { rows } = await tx.query<{ key: string; generation: number }>(
      `INSERT INTO work_item (queue, key, generation, updated_at)
       SELECT $1, k, nextval('work_generation'), $3 FROM unnest($2::text[]) AS k
       ON CONFLICT (queue, key) DO UPDATE SET generation = excluded.generation, updated_at = excluded.updated_at
       RETURNING key, generation`, [queue, unique, now]);
    return rows.map((r) => ({ queue, key: r.key, generation: r.generation }));
  }

  async get(queue: string, key: string, sql: Sql = this.db): Promise<WorkItem | undefined> {
    const { rows } = await sql.query<{ generation: number }>(
      'SELECT generation FROM work_item WHERE queue = $1 AND key = $2', [queue, key]);
    return rows[0] ? { queue, key, generation: rows[0].generation } : undefined;
  }

  /** Removes the item if it is still at `generation`; false means newer work is pending. */
  async complete(tx: Sql, item: WorkItem): Promise<boolean> {
    const { rows } = await tx.query(
      'DELETE FROM work_item WHERE queue = $1 AND key = $2 AND generation = $3 RETURNING key', [item.queue, item.key, item.generation]);
    return rows.length > 0;
  }

  /** Items not touched since `before`: lost jobs to re-queue on start-up or by the sweep. */
  async pending(before: string, limit = 10_000): Promise<WorkItem[]> {
    const { rows } = await this.db.query<{ queue: string; key: string; generation: number }>(
      'SELECT queue, key, generation FROM work_item WHERE updated_at < $1 ORDER BY updated_at LIMIT $2', [before, limit]);
    return rows;
  }

  async counts(): Promise<Record<string, number>> {
    const { rows } = await this.db.query<{ queue: string; n: number }>('SELECT queue, count(*)::int AS n FROM work_item GROUP BY queue');
    return Object.fromEntries(rows.map((r) => [r.queue, r.n]));
  }
}
