import { Hono, type Context } from 'hono';
import { cardFor, discovery, SERVICE_ID } from '../../cds/cards.js';
import { SYSTEM } from '../../fhir/canonical.js';
import { CradleError } from '../../fhir/outcome.js';
import type { DetectedIssue, Flag, Patient } from '../../fhir/types.js';
import type { Runtime } from '../../runtime/runtime.js';
import { inScope } from '../../store/search.js';
import { hasRole, readableRecipients, type GatewayEnv } from '../context.js';
import { scopeOf } from './fhir.js';

interface HookRequest {
  hook?: string;
  hookInstance?: string;
  context?: { patientId?: string; userId?: string };
  prefetch?: { patient?: Patient | null };
}

interface FeedbackRequest {
  feedback?: Array<{ card?: string; outcome?: string; overrideReason?: { reason?: { code?: string; display?: string }; userComment?: string }; outcomeTimestamp?: string }>;
}

/**
 * CDS Hooks 2.0: discovery, the `patient-view` service returning one card per active Flag
 * on the patient, and feedback (accepted / overridden, with reasons). Cards are only for
 * families routed to the caller's organisation: a client of another practice gets none.
 * Showing a card counts as the alert being seen; feedback records the decision.
 */
export function cdsRoutes(rt: Runtime): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.get('/', (c) => c.json(discovery()));

  app.post(`/${SERVICE_ID}`, async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as HookRequest;
    if (body.hook !== 'patient-view') throw new CradleError('CRADLE_INPUT_INVALID', { expression: ['$.hook'], diagnostics: '$.hook must be patient-view' });
    const personId = await resolvePatient(rt, body);
    const scope = await scopeOf(rt, c.get('principal'));
    if (!personId || !(await inScope(rt.db, 'Patient', personId, scope))) return c.json({ cards: [] });
    const flags = await activeFlagsOf(rt, personId);
    const contacts = rt.config.recipients.filter((r) => readableRecipients(c.get('principal')).includes(r.id)).flatMap((r) => r.safeguardingContacts);
    const cards = await Promise.all(flags.map(async (f) => cardFor(f, await issueOf(rt, f), contacts)));
    await seen(rt, c, flags.map((f) => f.id!), 'cds-card');
    await rt.audit.record(rt.db, { interaction: 'operation', action: 'R', outcome: 'success',
      agent: { system: SYSTEM.client, value: c.get('principal').clientId, requestor: true },
      entities: [`Patient/${personId}`, ...flags.map((f) => `Flag/${f.id}`)], detail: { hook: 'patient-view', 'request-id': c.get('requestId') } }, rt.clock());
    return c.json({ cards });
  });

  app.post(`/${SERVICE_ID}/feedback`, async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as FeedbackRequest;
    if (!Array.isArray(body.feedback)) throw new CradleError('CRADLE_INPUT_MISSING', { expression: ['$.feedback'], diagnostics: '$.feedback is required' });
    const recipients = recipientsOf(c);
    for (const [i, f] of body.feedback.entries()) {
      if (!f.card || (f.outcome !== 'accepted' && f.outcome !== 'overridden')) {
        throw new CradleError('CRADLE_INPUT_INVALID', { expression: [`$.feedback[${i}]`], diagnostics: `$.feedback[${i}] needs card and outcome accepted|overridden` });
      }
      const flag = await rt.resources.read<Flag>('Flag', f.card);
      const subject = flag?.subject?.reference?.slice(8);
      if (!flag || !subject || !(await inScope(rt.db, 'Patient', subject, await scopeOf(rt, c.get('principal'))))) continue;
      for (const recipient of recipients) {
        await rt.alertStates.decide(rt.db, recipient, flag.id!, { decision: f.outcome, by: c.get('principal').clientId, at: f.outcomeTimestamp ?? rt.clock(),
          ...(f.overrideReason ? { reason: f.overrideReason } : {}) });
      }
    }
    return c.json({});
  });

  app.all('/:id', () => {
    throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: `no CDS service; see GET /cds-services` });
  });
  return app;
}

/** The person the EHR is viewing: by NHS number from the prefetched Patient, else a Cradle id in context. */
async function resolvePatient(rt: Runtime, body: HookRequest): Promise<string | undefined> {
  const nhs = body.prefetch?.patient?.identifier?.find((i) => i.system === SYSTEM.nhsNumber)?.value;
  if (nhs) {
    const links = await rt.db.query<{ person_id: string }>('SELECT person_id FROM identity_link WHERE system = $1 AND value = $2', [SYSTEM.nhsNumber, nhs]);
    return links.rows[0]?.person_id;
  }
  const id = body.context?.patientId;
  return id && /^[A-Za-z0-9\-.]{1,64}$/.test(id) && (await rt.resources.read('Patient', id)) ? id : undefined;
}

async function activeFlagsOf(rt: Runtime, personId: string): Promise<Flag[]> {
  const { rows } = await rt.db.query<{ content: Flag }>(
    `SELECT r.content FROM resource r JOIN search_reference s ON s.res_type = r.res_type AND s.id = r.id
     WHERE r.res_type = 'Flag' AND s.param = 'subject' AND s.target = $1 AND NOT r.deleted AND r.content->>'status' = 'active'
     ORDER BY r.id`, [`Patient/${personId}`]);
  return rows.map((r) => r.content);
}

async function issueOf(rt: Runtime, flag: Flag): Promise<DetectedIssue | undefined> {
  const ref = flag.extension?.find((e) => e.valueReference?.reference?.startsWith('DetectedIssue/'))?.valueReference?.reference;
  return ref ? rt.resources.read<DetectedIssue>('DetectedIssue', ref.slice('DetectedIssue/'.length)) : undefined;
}

function recipientsOf(c: Context<GatewayEnv>): string[] {
  const principal = c.get('principal');
  const recipients = readableRecipients(principal);
  return recipients.length ? recipients : hasRole(principal, 'admin') ? [`client:${principal.clientId}`] : [];
}

/** A recipient's clinician has seen these alerts. */
export async function seen(rt: Runtime, c: Context<GatewayEnv>, flagIds: string[], via: string): Promise<void> {
  for (const recipient of readableRecipients(c.get('principal'))) await rt.alertStates.seen(rt.db, recipient, flagIds, via, rt.clock());
}
