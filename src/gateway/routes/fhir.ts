import { Hono, type Context } from 'hono';
import { SYSTEM } from '../../fhir/canonical.js';
import { capabilityStatement } from '../../fhir/capability-statement.js';
import { CradleError, toOutcome } from '../../fhir/outcome.js';
import { parseSearch, type SearchQuery } from '../../fhir/search-query.js';
import type { AnyResource, Bundle } from '../../fhir/types.js';
import { validateResource } from '../../fhir/validator.js';
import { parseJson } from '../../ingest/json-contract.js';
import type { Runtime } from '../../runtime/runtime.js';
import { chronology } from '../../identity/chronology.js';
import { loadFamilyPicture } from '../../store/family-loader.js';
import { executeSearch, inScope, type ReadScope } from '../../store/search.js';
import { limitBody } from '../body-limit.js';
import { hasRole, readableRecipients, type GatewayEnv, type Principal } from '../context.js';
import { FHIR_JSON } from '../errors.js';

const TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/**
 * The read-only FHIR R4 API: metadata, read, vread, search (with `_include`), and
 * `$validate`. Every read is audited. A recipient's client sees only the families routed
 * to it; writes answer 405 — data enters through /ingest.
 */
export function fhirRoutes(rt: Runtime, version: string): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const fhir = (c: Context, body: unknown, status = 200) => c.body(JSON.stringify(body), status as 200, { 'content-type': FHIR_JSON });

  app.get('/metadata', (c) => fhir(c, capabilityStatement(version)));

  app.post('/$validate', limitBody(rt.config.limits.maxBodyBytes), async (c) => {
    const body = parseJson(Buffer.from(await c.req.arrayBuffer())) as { resourceType?: string; parameter?: Array<{ name: string; resource?: unknown }> };
    const resource = body.resourceType === 'Parameters' ? body.parameter?.find((p) => p.name === 'resource')?.resource : body;
    const issues = validateResource(resource);
    return fhir(c, issues.length ? toOutcome(issues) : { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: 'valid' }] });
  });

  /**
   * `$chronology`: the family's dated events across agencies, as a List (Cradle's operation;
   * see src/identity/chronology.ts). On a Patient, the family they belong to.
   */
  app.get('/:type{Group|Patient}/:id/$chronology', async (c) => {
    const { type, id } = typeAndId(c);
    await checkVisible(rt, c.get('principal'), type, id);
    const familyKey = type === 'Group' ? id : await familyOfPerson(rt, id);
    if (!familyKey) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: `${type}/${id} belongs to no family` });
    const list = chronology(await loadFamilyPicture(rt.db, rt.families, familyKey, rt.clock()));
    await auditRead(rt, c, 'operation', [`Group/${familyKey}`], `${type}/${id}/$chronology`);
    return fhir(c, list);
  });

  app.get('/:type/:id/_history/:vid', async (c) => {
    const { type, id } = typeAndId(c);
    await checkVisible(rt, c.get('principal'), type, id);
    // Cradle's version ids are positive integers: anything else names no version.
    const vid = c.req.param('vid');
    const version = /^[1-9][0-9]{0,8}$/.test(vid) ? await rt.resources.readVersion(type, id, Number(vid)) : undefined;
    if (!version || version.deleted) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: `${type}/${id} has no version ${c.req.param('vid')}` });
    await auditRead(rt, c, 'vread', [`${type}/${id}`]);
    return fhir(c, version.content);
  });

  app.get('/:type/:id', async (c) => {
    const { type, id } = typeAndId(c);
    await checkVisible(rt, c.get('principal'), type, id);
    const resource = await rt.resources.read(type, id);
    if (!resource) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: `no ${type}/${id}` });
    await auditRead(rt, c, 'read', [`${type}/${id}`]);
    c.header('ETag', `W/"${resource.meta?.versionId}"`);
    return fhir(c, resource);
  });

  app.get('/:type', async (c) => {
    const type = c.req.param('type');
    if (!TYPE.test(type)) throw new CradleError('CRADLE_NOT_FOUND');
    const principal = c.get('principal');
    if (type === 'AuditEvent' && !hasRole(principal, 'admin')) throw new CradleError('CRADLE_FORBIDDEN', { diagnostics: 'audit records are for admins' });
    const url = new URL(c.req.url);
    const query = parseSearch(type, url.searchParams);
    const result = await executeSearch(rt.db, query, await scopeOf(rt, principal));
    await auditRead(rt, c, 'search-type', result.matches.map((r) => `${r.resourceType}/${r.id}`), `${type}?${url.searchParams}`, onePatient(query));
    return fhir(c, searchBundle(url, query.offset, query.count, result));
  });

  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], ['/', '/*'], () => {
    throw new CradleError('CRADLE_METHOD_NOT_ALLOWED', { diagnostics: 'Cradle\'s FHIR API is read-only; send data to POST /ingest/{source}' });
  });

  return app;
}

function typeAndId(c: Context): { type: string; id: string } {
  const type = c.req.param('type') ?? '';
  const id = c.req.param('id') ?? '';
  if (!TYPE.test(type) || !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw new CradleError('CRADLE_NOT_FOUND');
  return { type, id };
}

/** The family a person belongs to: as mother or child first, else any. */
async function familyOfPerson(rt: Runtime, personId: string): Promise<string | undefined> {
  const { rows } = await rt.db.query<{ family_key: string }>(
    `SELECT family_key FROM family_member WHERE person_id = $1
     ORDER BY CASE role WHEN 'mother' THEN 0 WHEN 'child' THEN 1 ELSE 2 END, family_key LIMIT 1`, [personId]);
  return rows[0]?.family_key;
}

/** Admin reads everything; a recipient's client reads its routed families; others read nothing. */
export async function scopeOf(rt: Runtime, principal: Principal): Promise<ReadScope> {
  if (hasRole(principal, 'admin')) return { all: true };
  const recipients = readableRecipients(principal);
  if (recipients.length === 0) throw new CradleError('CRADLE_FORBIDDEN', { diagnostics: 'requires role read:<recipient> or admin' });
  return { all: false, patientIds: await rt.deliveries.patientsVisibleTo(recipients) };
}

/** Out of scope looks exactly like absent: a client must not learn that a family exists. */
async function checkVisible(rt: Runtime, principal: Principal, type: string, id: string): Promise<void> {
  if (type === 'AuditEvent' && !hasRole(principal, 'admin')) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: `no ${type}/${id}` });
  if (!(await inScope(rt.db, type, id, await scopeOf(rt, principal)))) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: `no ${type}/${id}` });
}

/**
 * A search is a person looking at alerts only when it is about one patient (an EHR opening a
 * record); a system polling `Flag?status=active` has shown no one anything, and must not
 * stand down the escalation of an alert nobody has seen.
 */
function onePatient(query: SearchQuery): boolean {
  return query.criteria.some((c) => (c.kind === 'reference' && (c.param === 'patient' || c.param === 'subject') && c.targets.length === 1)
    || (c.kind === 'chain' && c.target.values.length === 1));
}

async function auditRead(rt: Runtime, c: Context<GatewayEnv>, interaction: string, entities: string[], query?: string, marksSeen = interaction !== 'search-type'): Promise<void> {
  // A recipient reading its copy of an alert has seen it (the acknowledgement loop).
  const flags = marksSeen ? entities.filter((e) => e.startsWith('Flag/')).map((e) => e.slice(5)) : [];
  if (flags.length > 0) for (const recipient of readableRecipients(c.get('principal'))) await rt.alertStates.seen(rt.db, recipient, flags, 'fhir-read', rt.clock());
  await rt.audit.record(rt.db, {
    interaction,
    action: 'R',
    outcome: 'success',
    agent: { system: SYSTEM.client, value: c.get('principal').clientId, requestor: true },
    entities,
    ...(query ? { query } : {}),
    detail: { 'request-id': c.get('requestId') },
  }, rt.clock());
}

function searchBundle(url: URL, offset: number, count: number, result: { total: number; matches: AnyResource[]; included: AnyResource[] }): Bundle {
  const page = (o: number) => {
    const u = new URL(url);
    u.searchParams.set('_offset', String(o));
    u.searchParams.set('_count', String(count));
    return `${u.pathname}${u.search}`;
  };
  const link: Bundle['link'] = [{ relation: 'self', url: `${url.pathname}${url.search}` }];
  if (offset + count < result.total) link.push({ relation: 'next', url: page(offset + count) });
  if (offset > 0) link.push({ relation: 'previous', url: page(Math.max(0, offset - count)) });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: result.total,
    link,
    entry: [
      ...result.matches.map((resource) => ({ fullUrl: `${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' as const } })),
      ...result.included.map((resource) => ({ fullUrl: `${resource.resourceType}/${resource.id}`, resource, search: { mode: 'include' as const } })),
    ],
  };
}
