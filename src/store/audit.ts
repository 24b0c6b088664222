import { randomUUID } from 'node:crypto';
import { CRADLE_BASE, PROFILE, SYSTEM } from '../fhir/canonical.js';
import type { AuditEvent } from '../fhir/types.js';
import type { Sql } from './db.js';
import type { ResourceStore } from './resource-store.js';

export interface AuditRecord {
  /** `read`, `search-type`, `transaction` (a push)… (FHIR restful-interaction codes). */
  interaction: string;
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  outcome: 'success' | 'minor-failure' | 'serious-failure';
  /** Who: the API client id, or the recipient id for a push. */
  agent: { system: typeof SYSTEM.client | typeof SYSTEM.recipient; value: string; requestor: boolean };
  /** `Type/id` of the resources read or pushed. */
  entities: readonly string[];
  /** What was asked (a query string), never the data returned. */
  query?: string;
  detail?: Record<string, string>;
  outcomeDescription?: string;
}

const OUTCOME_CODE = { success: '0', 'minor-failure': '4', 'serious-failure': '8' } as const;

/**
 * AuditEvents for every read of the FHIR API and every push attempt: who, what, when,
 * outcome. They are FHIR resources in Cradle's store, so operators search them like any
 * other (`GET /fhir/AuditEvent?agent=…`, admin role).
 */
export class AuditLog {
  constructor(private readonly resources: ResourceStore) {}

  async record(tx: Sql, rec: AuditRecord, now: string): Promise<string> {
    return (await this.recordMany(tx, [rec], now))[0]!;
  }

  /** Several AuditEvents in one write (a batch of pushes); returns their ids in order. */
  async recordMany(tx: Sql, recs: readonly AuditRecord[], now: string): Promise<string[]> {
    const events = recs.map((rec) => auditEvent(rec, now));
    await this.resources.putMany(tx, events, { sourceKey: null, now, fresh: true });
    return events.map((e) => e.id!);
  }
}

function auditEvent(rec: AuditRecord, now: string): AuditEvent {
  return {
    resourceType: 'AuditEvent',
    id: randomUUID(),
    meta: { profile: [PROFILE.ukCoreAuditEvent] },
    type: { system: SYSTEM.auditEventType, code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: SYSTEM.restfulInteraction, code: rec.interaction }],
    action: rec.action,
    recorded: now,
    outcome: OUTCOME_CODE[rec.outcome],
    ...(rec.outcomeDescription ? { outcomeDesc: rec.outcomeDescription } : {}),
    agent: [
      { who: { identifier: { system: rec.agent.system, value: rec.agent.value } }, requestor: rec.agent.requestor },
      { who: { identifier: { system: SYSTEM.client, value: 'cradle' }, display: 'Cradle' }, requestor: false },
    ],
    source: { observer: { display: 'Cradle' }, type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }] },
    entity: [
      ...rec.entities.map((reference) => ({ what: { reference } })),
      ...(rec.query || rec.detail ? [{
        ...(rec.query ? { query: Buffer.from(rec.query, 'utf8').toString('base64') } : {}),
        ...(rec.detail ? { detail: Object.entries(rec.detail).map(([type, valueString]) => ({ type, valueString })) } : {}),
        description: `${CRADLE_BASE} ${rec.interaction}`,
      }] : []),
    ],
  };
}
