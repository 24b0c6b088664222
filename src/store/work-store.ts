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
    return (await this.getMany(queue, [key], sql)).get(key);
  }

  /** The items waiting in `queue` under any of these keys (a batch of jobs reads them at once). */
  async getMany(queue: string, keys: readonly string[], sql: Sql = this.db): Promise<Map<string, WorkItem>> {
    if (keys.length === 0) return new Map();
    const { rows } = await sql.query<{ key: string; generation: number }>(
      'SELECT key, generation FROM work_item WHERE queue = $1 AND key = ANY($2::text[])', [queue, [...new Set(keys)]]);
    return new Map(rows.map((r) => [r.key, { queue, key: r.key, generation: r.generation }]));
  }

  /** Removes the item if it is still at `generation`; false means newer work is pending. */
  async complete(tx: Sql, item: WorkItem): Promise<boolean> {
    return (await this.completeMany(tx, [item])).has(item.key);
  }

  /** {@link complete} for items of one queue at once; returns the keys removed (the others have newer work). */
  async completeMany(tx: Sql, items: readonly WorkItem[]): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const queue = items[0]!.queue;
    if (items.some((i) => i.queue !== queue)) throw new Error('completeMany takes items of one queue');
    const { rows } = await tx.query<{ key: string }>(
      `DELETE FROM work_item w USING unnest($2::text[], $3::bigint[]) AS k(key, generation)
       WHERE w.queue = $1 AND w.key = k.key AND w.generation = k.generation RETURNING w.key`,
      [queue, items.map((i) => i.key), items.map((i) => i.generation)]);
    return new Set(rows.map((r) => r.key));
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
