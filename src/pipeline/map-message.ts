import { CRADLE_BASE } from '../fhir/canonical.js';
import { CradleError, toOutcome, type Issue } from '../fhir/outcome.js';
import type { AnyResource } from '../fhir/types.js';
import { validateResources } from '../fhir/validator.js';
import { identifierKeys } from '../identity/link-resolve.js';
import { bundleResources } from '../mapping/bundle.js';
import { inBatches } from '../queue/batch.js';
import type { MapJob } from '../queue/names.js';
import type { Job } from '../queue/queue.js';
import { withFailurePolicy } from '../queue/retry-policy.js';
import type { Runtime } from '../runtime/runtime.js';
import { applyRound, type Prepared } from './map-apply.js';

/**
 * The map stage: parse → map → validate → link identities → upsert, in one transaction
 * with the message's status and the families to re-assess. A newer version of the record
 * retires what the old one had and this one lacks (a withdrawn finding disappears and its
 * Flag is then set inactive). Idempotent: a message already finished is skipped, and
 * unchanged resources write nothing.
 */
export async function execMapJob(rt: Runtime, job: Job<MapJob>): Promise<void> {
  const [outcome] = await execMapBatch(rt, [job]);
  if (outcome !== undefined) throw outcome;
}

/**
 * {@link execMapJob} for a batch of jobs (queue/batch.ts). Each message is parsed, mapped
 * and validated on its own; then the messages are applied in rounds, each round one
 * transaction whose every statement serves all its messages. Messages that share a record,
 * a person's identifier or a resource go in different rounds, in the order they came, so
 * each is applied as if alone (map-apply.ts). Returns each job's outcome: undefined, or the
 * error that job fails with; one message's failure never fails another's.
 */
export async function execMapBatch(rt: Runtime, jobs: ReadonlyArray<Job<MapJob>>): Promise<unknown[]> {
  const failed = new Map<string, unknown>();
  const messages = await rt.messages.getMany(jobs.map((j) => j.data.messageId));
  const prepared = new Map<string, Prepared>();
  for (const job of jobs) {
    const message = messages.get(job.data.messageId);
    if (!message || message.status !== 'received' || prepared.has(message.id) || failed.has(message.id)) continue;
    try {
      prepared.set(message.id, prepare(rt, job, message));
    } catch (err) {
      failed.set(message.id, err);
    }
  }
  for (const round of rounds([...prepared.values()])) await applyRound(rt, round, failed);
  return jobs.map((j) => failed.get(j.data.messageId));
}

/** Parse, map, validate: everything about a message that needs no store. */
function prepare(rt: Runtime, job: Job<MapJob>, message: Prepared['message']): Prepared {
  const adapter = rt.sources.get(message.source);
  if (!adapter) throw new CradleError('CRADLE_UNKNOWN_SOURCE', { diagnostics: `no adapter for source ${message.source}` });
  const record = adapter.parse(message.body, message.contentType);
  const identity = adapter.identity(record);
  const resources = mapRecord(() => bundleResources(adapter.map(record, { messageId: message.id, receivedAt: message.receivedAt, source: message.source })));
  const invalid = validateResources(resources);
  if (invalid.length > 0) throw CradleError.of(invalid.map(asMappingDefect));
  const source = `${CRADLE_BASE}/source/${message.source}`;
  const stamped = resources.map((r) => (r.resourceType === 'Patient' ? r : { ...r, meta: { ...r.meta, source } }));
  return { job, message, identity, resources: stamped, claims: claimsOf(identity.key, stamped) };
}

/** What a message may not share with another in the same round: its record, people's identifiers, resource ids. */
function claimsOf(recordKey: string, resources: readonly AnyResource[]): string[] {
  return [`record ${recordKey}`,
    ...resources.flatMap((r) => identifierKeys(r).map((i) => `identifier ${i.system}|${i.value}`)),
    ...resources.map((r) => `resource ${r.resourceType}/${r.id}`)];
}

/** Splits messages into rounds of messages that share no claim, keeping each message after any it conflicts with. */
export function rounds(prepared: readonly Prepared[]): Prepared[][] {
  const out: Array<{ members: Prepared[]; claims: Set<string> }> = [];
  for (const p of prepared) {
    // After the last round holding something it shares, so conflicting messages keep their order.
    let after = -1;
    out.forEach((r, i) => {
      if (p.claims.some((c) => r.claims.has(c))) after = i;
    });
    let round = out[after + 1];
    if (!round) out.push((round = { members: [], claims: new Set() }));
    round.members.push(p);
    for (const c of p.claims) round.claims.add(c);
  }
  return out.map((r) => r.members);
}

function mapRecord(fn: () => AnyResource[]): AnyResource[] {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CradleError) throw err;
    throw new CradleError('CRADLE_MAP_FAILED', { diagnostics: `mapping threw ${(err as Error).name}: ${(err as Error).message}` }, { cause: err });
  }
}

/** Invalid output from valid input is Cradle's defect, not the sender's: it fails, it is not rejected. */
function asMappingDefect(issue: Issue): Issue {
  return { ...issue, code: 'CRADLE_FHIR_INVALID' };
}

/** Final failure: bad input is `rejected`, anything else `failed`; both keep their outcome for replay. */
export async function mapJobFailed(rt: Runtime, job: Job<MapJob>, error: CradleError): Promise<void> {
  const inputProblem = error.status >= 400 && error.status < 500 && !error.issues.some((i) => i.code === 'CRADLE_FHIR_INVALID');
  const status = inputProblem ? 'rejected' : 'failed';
  await rt.db.transaction((tx) => rt.messages.finish(tx, job.data.messageId, { status, outcome: toOutcome(error.issues) }, rt.clock()));
  rt.logger.warn({ queue: 'map', jobId: job.id, messageId: job.data.messageId, status, err: error }, `message ${status}`);
  rt.metrics.mapped((await rt.messages.summary(job.data.messageId))?.source ?? 'unknown', status, error.issues.map((i) => i.code));
}

/** The map queue's processor: jobs in natural batches of up to `maxBatch` messages (queue/batch.ts). */
export function mapProcessor(rt: Runtime, maxBatch = 1) {
  const run = maxBatch > 1 ? inBatches<MapJob>((jobs) => execMapBatch(rt, jobs), { maxBatch, onBatch: (n) => rt.metrics.batchRan('map', n) }) : (job: Job<MapJob>) => execMapJob(rt, job);
  return withFailurePolicy<MapJob>(run, (job, err) => mapJobFailed(rt, job, err));
}
