import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { allSources } from '../../../mappings/index.js';
import { CradleError } from '../../fhir/outcome.js';
import type { SourceAdapter } from '../../ingest/source.js';
import { canSplitStream, type StreamSplitting } from '../../ingest/stream-split.js';
import { parse, UsageError } from '../args.js';
import { ProgressBar } from '../progress.js';
import { call } from './client.js';

/** One request to send: a whole file, or one part (a CIN census child) cut from a big file. */
interface Unit { label: string; body: Buffer }

/**
 * `cradle ingest --source S FILE|DIR…`: submits files to a running engine, a few at a
 * time, with a progress bar. Resumable by design: a file already accepted comes back as a
 * duplicate (200, same message id) and costs nothing, so an interrupted run is simply
 * run again. For a source that can cut a file into messages while reading it (a whole CIN
 * census return), each message is sent on its own as it is read: the file is streamed,
 * never loaded, and progress is per message (per child).
 */
export async function ingest(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { source: { type: 'string' }, concurrency: { type: 'string' } });
  const source = values.source as string | undefined;
  const adapter = source ? allSources().get(source) : undefined;
  if (!source || !adapter) throw new UsageError(`--source must be one of: ${[...allSources().keys()].join(', ')}`);
  if (positionals.length === 0) throw new UsageError('give at least one FILE or DIR');
  const files = positionals.flatMap(expand);
  const plan = canSplitStream(adapter) ? await planStreamed(adapter, files) : files.map((file) => ({ file, parts: undefined }));
  const total = plan.reduce((n, p) => n + (p.parts ?? 1), 0);
  const streamed = plan.some((p) => p.parts !== undefined);
  const bar = new ProgressBar(total, `ingest ${source}`);
  const counts = { accepted: 0, duplicate: 0, refused: 0 };
  const refused: string[] = [];
  const units = unitsOf(adapter, plan);
  const concurrency = Math.max(1, Number(values.concurrency ?? 8));
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, async () => {
    for (let next = await units.next(); !next.done; next = await units.next()) {
      const { status, json } = await call('POST', `/ingest/${source}`, { body: next.value.body, contentType: adapter.mediaTypes[0]! });
      tally(status, json, next.value.label, counts, refused);
      bar.tick(status < 300);
    }
  }));
  const { seconds } = bar.finish();
  const what = streamed ? `${files.length} files (${total} messages)` : `${files.length} files`;
  process.stdout.write(`${what} in ${seconds.toFixed(1)} s: ${counts.accepted} accepted, ${counts.duplicate} already had, ${counts.refused} refused\n`);
  for (const line of refused.slice(0, 20)) process.stdout.write(`  ${line}\n`);
  return counts.refused > 0 ? 1 : 0;
}

/**
 * Counts each file's messages in a first streaming pass (for the progress total). A file
 * that cannot be split is sent whole instead, so the engine keeps it as one rejected
 * message with its OperationOutcome, exactly as a direct POST would.
 */
async function planStreamed(adapter: StreamSplitting, files: string[]): Promise<Array<{ file: string; parts: number | undefined }>> {
  const plan: Array<{ file: string; parts: number | undefined }> = [];
  for (const file of files) {
    let parts = 0;
    try {
      for await (const _part of adapter.splitStream(createReadStream(file))) parts++;
      plan.push({ file, parts });
    } catch (err) {
      if (!(err instanceof CradleError)) throw err;
      plan.push({ file, parts: undefined });
    }
  }
  return plan;
}

async function* unitsOf(adapter: SourceAdapter, plan: Array<{ file: string; parts: number | undefined }>): AsyncGenerator<Unit> {
  for (const { file, parts } of plan) {
    if (parts === undefined || !canSplitStream(adapter)) {
      yield { label: file, body: readFileSync(file) };
      continue;
    }
    let n = 0;
    for await (const body of adapter.splitStream(createReadStream(file))) yield { label: `${file} #${++n}`, body };
  }
}

function tally(status: number, json: unknown, label: string, counts: { accepted: number; duplicate: number; refused: number }, refused: string[]): void {
  if (status === 202) counts.accepted++;
  else if (status === 200) counts.duplicate++;
  else {
    counts.refused++;
    refused.push(`${label}: ${status} ${summarise(json)}`);
  }
}

function expand(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`no such file or directory: ${path}`);
  if (stat.isFile()) return [path];
  return readdirSync(path).sort().flatMap((name) => (name.startsWith('.') ? [] : expand(join(path, name))));
}

function summarise(json: unknown): string {
  const issues = (json as { issue?: Array<{ details?: { coding?: Array<{ code?: string }> }; expression?: string[] }> })?.issue;
  if (!issues) return '';
  return issues.slice(0, 3).map((i) => `${i.details?.coding?.[0]?.code ?? ''} ${i.expression?.[0] ?? ''}`.trim()).join('; ');
}
