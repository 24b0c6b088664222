import { CradleError, informational, toOutcome, type Issue } from '../fhir/outcome.js';
import type { AnyResource } from '../fhir/types.js';
import { validateResources } from '../fhir/validator.js';
import { deriveFamilyMembers } from '../identity/family-edges.js';
import { linkPatients } from '../identity/link-patients.js';
import { bundleResources } from '../mapping/bundle.js';
import type { MapJob } from '../queue/names.js';
import type { Job } from '../queue/queue.js';
import { withFailurePolicy } from '../queue/retry-policy.js';
import type { Sql } from '../store/db.js';
import type { InboundMessage } from '../store/message-store.js';
import { claimVersion } from '../store/source-records.js';
import { CRADLE_BASE } from '../fhir/canonical.js';
import { type IdentityFollowUp, mergePersons, queueFollowUp } from './identity-actions.js';
import type { Runtime } from '../runtime/runtime.js';

/**
 * The map stage: parse → map → validate → link identities → upsert, in one transaction
 * with the message's status and the families to re-assess. A newer version of the record
 * retires what the old one had and this one lacks (a withdrawn finding disappears and its
 * Flag is then set inactive). Idempotent: a message already finished is skipped, and
 * unchanged resources write nothing.
 */
export async function execMapJob(rt: Runtime, job: Job<MapJob>): Promise<void> {
  const message = await rt.messages.get(job.data.messageId);
  if (!message || message.status !== 'received') return;
  const log = rt.logger.child({ queue: 'map', jobId: job.id, messageId: message.id, source: message.source });
  const adapter = rt.sources.get(message.source);
  if (!adapter) throw new CradleError('CRADLE_UNKNOWN_SOURCE', { diagnostics: `no adapter for source ${message.source}` });

  const record = adapter.parse(message.body, message.contentType);
  const identity = adapter.identity(record);
  const resources = mapRecord(() => bundleResources(adapter.map(record, { messageId: message.id, receivedAt: message.receivedAt, source: message.source })));
  const invalid = validateResources(resources);
  if (invalid.length > 0) throw CradleError.of(invalid.map(asMappingDefect));

  const now = rt.clock();
  const source = `${CRADLE_BASE}/source/${message.source}`;
  const stamped = resources.map((r) => (r.resourceType === 'Patient' ? r : { ...r, meta: { ...r.meta, source } }));
  const { assess, followUps } = await rt.db.transaction(async (tx) => {
    if (!(await claimVersion(tx, identity, message.id, now))) {
      await rt.messages.finish(tx, message.id, { status: 'processed', outcome: informational('CRADLE_VERSION_SUPERSEDED',
        `a newer version of ${identity.key} was already processed`), businessKey: identity.key, businessVersion: identity.version ?? undefined }, now);
      return { assess: [], followUps: [] };
    }
    return applyRecord(rt, tx, message, identity.key, identity.version, stamped, now);
  });
  if (assess.length > 0) await rt.queue.add('assess', assess.map((w) => ({ familyKey: w.key, generation: w.generation })));
  for (const f of followUps) await queueFollowUp(rt, f);
  log.info({ families: assess.length, merges: followUps.length }, 'message processed');
  rt.metrics.mapped(message.source, 'processed');
}

async function applyRecord(rt: Runtime, tx: Sql, message: InboundMessage,
  sourceKey: string, version: number | null, mapped: AnyResource[], now: string) {
  const linked = await linkPatients(tx, rt.identity, mapped, { sourceKey, receivedAt: message.receivedAt, now });
  const provenance = linked.resources.filter((r) => r.resourceType === 'Provenance');
  const facts = linked.resources.filter((r) => r.resourceType !== 'Provenance' && r.resourceType !== 'Patient');
  const patients = linked.resources.filter((r) => r.resourceType === 'Patient');

  const previous = new Set(await rt.resources.refsBySource(tx, sourceKey));
  const written = await rt.resources.putMany(tx, facts, { sourceKey, now });
  const people = await rt.resources.putMany(tx, patients, { sourceKey: null, now });
  for (const w of written) previous.delete(w.ref);
  const retired = await rt.resources.removeMany(tx, [...previous, ...linked.orphans.map((p) => `Patient/${p}`)], now);
  await rt.resources.putMany(tx, provenance, { sourceKey: null, now });

  const members = deriveFamilyMembers(linked.resources, linked.personOf);
  const membershipChanged = await rt.families.replaceSource(tx, sourceKey, members, message.receivedAt);
  const factsChanged = written.some((w) => w.changed) || people.some((p) => p.changed) || retired.length > 0;
  // Every family any touched person belongs to is re-assessed: a father's record arriving
  // from one source can raise an alert on a baby another source recorded.
  const families = factsChanged
    ? [...new Set([...membershipChanged, ...(await rt.families.familiesOf([...linked.persons, ...linked.dropped], tx))])]
    : membershipChanged;
  const refs = [...written, ...people].map((w) => w.ref);
  await rt.messages.finish(tx, message.id, { status: 'processed', resourceRefs: refs, businessKey: sourceKey, businessVersion: version ?? undefined }, now);
  const followUps: IdentityFollowUp[] = [];
  for (const m of linked.merges) {
    const done = await mergePersons(rt, tx, { ...m, decidedBy: `source:${sourceKey}`, now });
    if (done) followUps.push(done.followUp);
  }
  return { assess: await rt.work.mark(tx, 'assess', families, now), followUps };
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

export function mapProcessor(rt: Runtime) {
  return withFailurePolicy<MapJob>((job) => execMapJob(rt, job), (job, err) => mapJobFailed(rt, job, err));
}
