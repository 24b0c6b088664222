import { parse, UsageError } from '../args.js';
import { ProgressBar } from '../progress.js';
import { call } from './client.js';

const USAGE = `cradle replay MESSAGE_ID
cradle replay --rejected | --failed [--source S] [--since T] [--until T]
cradle replay --since T [--until T] [--source S]     every finished message received in the range
  --no-wait        queue the replay and return
  --timeout SECS   how long to wait for the pipeline (default 600)`;

interface Counts { received: number; processed: number; rejected: number; failed: number }

/**
 * `cradle replay …`: runs stored messages through the pipeline again — one, all rejected or
 * failed (from a source), or a date range — then follows them with a progress bar until the
 * pipeline has finished each, and says how they came out.
 */
export async function replay(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    failed: { type: 'boolean' }, rejected: { type: 'boolean' }, source: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' },
    'no-wait': { type: 'boolean' }, timeout: { type: 'string' },
  });
  const batch = values.failed || values.rejected || values.since || values.until;
  if ((positionals.length === 1) === !!batch || positionals.length > 1) throw new UsageError(USAGE);
  const ids = positionals.length === 1 ? await replayOne(positionals[0]!) : await replayBatch(values);
  if (!ids) return 1;
  process.stdout.write(`${ids.length} message(s) queued for replay\n`);
  if (values['no-wait'] || ids.length === 0) return 0;
  return follow(ids, Number(values.timeout ?? 600) * 1000);
}

async function replayOne(id: string): Promise<string[] | undefined> {
  const { status, json } = await call('POST', `/admin/messages/${encodeURIComponent(id)}/replay`);
  if (status !== 202) return fail(json);
  return [id];
}

async function replayBatch(values: Record<string, string | boolean | undefined>): Promise<string[] | undefined> {
  const statuses = [values.failed ? 'failed' : undefined, values.rejected ? 'rejected' : undefined].filter((s): s is string => !!s);
  const ids: string[] = [];
  for (const status of statuses.length ? statuses : [undefined]) {
    let after: string | null = null;
    do {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries({ status, source: values.source, since: values.since, until: values.until, after })) if (typeof v === 'string') q.set(k, v);
      const res = await call('POST', `/admin/replay?${q}`);
      if (res.status !== 202) return fail(res.json);
      const page = res.json as { messageIds: string[]; next: string | null };
      ids.push(...page.messageIds);
      after = page.next;
    } while (after);
  }
  return ids;
}

/** Polls the messages' statuses until none is waiting to be processed, drawing the progress. */
async function follow(ids: string[], timeoutMs: number): Promise<number> {
  const bar = new ProgressBar(ids.length, 'replay', process.stderr, 'rejected or failed');
  const deadline = Date.now() + timeoutMs;
  let counts: Counts;
  for (;;) {
    counts = await progress(ids);
    bar.update(ids.length - counts.received, counts.rejected + counts.failed);
    if (counts.received === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const { seconds } = bar.finish();
  process.stdout.write(`replayed ${ids.length} in ${seconds.toFixed(1)} s: ${counts.processed} processed, ${counts.rejected} rejected, ${counts.failed} failed`
    + `${counts.received ? `, ${counts.received} still waiting (gave up after ${Math.round(timeoutMs / 1000)} s)` : ''}\n`);
  return counts.received === 0 ? 0 : 1;
}

async function progress(ids: string[]): Promise<Counts> {
  const total: Counts = { received: 0, processed: 0, rejected: 0, failed: 0 };
  for (let i = 0; i < ids.length; i += 10_000) {
    const res = await call('POST', '/admin/messages/progress', { body: JSON.stringify({ messageIds: ids.slice(i, i + 10_000) }), contentType: 'application/json' });
    if (res.status !== 200) throw new UsageError(`cannot follow the replay: ${JSON.stringify(res.json)}`);
    for (const [k, v] of Object.entries(res.json as Counts)) total[k as keyof Counts] += v;
  }
  return total;
}

function fail(json: unknown): undefined {
  process.stderr.write(`${JSON.stringify(json)}\n`);
  return undefined;
}
