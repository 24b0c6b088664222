import { escalationRecipients, routeFamily } from '../delivery/routing.js';
import { CS, EXT, PROFILE, SYSTEM } from '../fhir/canonical.js';
import type { DetectedIssue, Flag } from '../fhir/types.js';
import { cradleCoding } from '../mapping/code-systems.js';
import { deterministicId } from '../mapping/ids.js';
import { isEscalation } from '../rules/alerts.js';
import { ukDate } from '../rules/evidence.js';
import { escalationsToStandDown, flagIdsAfter, overdueUnseenFlags } from '../store/escalation-queries.js';
import { loadFamilyPicture } from '../store/family-loader.js';
import { recordFlagEvents, wakeSubscribers } from '../subscriptions/record-events.js';
import type { Runtime } from '../runtime/runtime.js';

const VERSION = { url: EXT.ruleVersion, valueString: 'escalation@1.0.0' };
/** Flags examined per statement, and at most the escalation changes written per transaction. */
const BATCH = 1000;

/**
 * The acknowledgement loop's safety net: a high-priority alert that no recipient has seen
 * (no CDS card shown, no read of the Flag, no feedback) within `unseenAfterMinutes` raises an
 * `alert-not-seen` Flag on the same subject — visible on the dashboard and pushed with the
 * family's view to every recipient and to the escalation recipient. The escalation ends when
 * the alert is seen or itself ends. The store answers both questions a batch of Flags at
 * a time (store/escalation-queries.ts), so a sweep's memory does not grow with the active alerts.
 */
export async function sweepUnseenAlerts(rt: Runtime, batchSize = BATCH): Promise<number> {
  const now = rt.clock();
  const minutes = rt.config.delivery.escalation.unseenAfterMinutes;
  const cutoff = new Date(Date.parse(now) - minutes * 60_000).toISOString();
  let escalated = 0;
  let resolved = 0;
  for (let ids = await flagIdsAfter(rt.db, '', batchSize); ids.length > 0; ids = ids.length < batchSize ? [] : await flagIdsAfter(rt.db, ids.at(-1)!, batchSize)) {
    const originals = (await overdueUnseenFlags(rt.db, cutoff, ids)).filter((f) => !isEscalation(f) && highPriority(f));
    const flags = originals.map((f) => escalationFlag(f, deterministicId('flag', 'alert-not-seen', f.id!), now, minutes));
    escalated += await writeAndRedeliver(rt, [...flags, ...flags.map((f, i) => escalationIssue(f, originals[i]!))], now);
    const ended = await escalationsToStandDown(rt.db, cutoff, ids);
    resolved += await writeAndRedeliver(rt, ended.map((f): Flag => ({ ...f, status: 'inactive', period: { ...f.period, end: now } })), now);
  }
  if (escalated + resolved > 0) rt.logger.warn({ escalated, resolved }, 'unseen alerts swept');
  return escalated + resolved;
}

/**
 * Writes one batch of escalation changes and queues the affected families' views to every
 * recipient routed to them, in one transaction. Returns the number of Flags changed.
 */
async function writeAndRedeliver(rt: Runtime, resources: Array<Flag | DetectedIssue>, now: string): Promise<number> {
  const flags = resources.filter((r): r is Flag => r.resourceType === 'Flag');
  if (flags.length === 0) return 0;
  const families = await rt.families.familiesOf(flags.map((f) => f.subject!.reference!.slice(8)));
  const { due, notify } = await rt.db.transaction(async (tx) => {
    const written = await rt.resources.putMany(tx, resources, { sourceKey: null, now });
    const keys: string[] = [];
    for (const family of families) {
      const picture = await loadFamilyPicture(tx, rt.families, family, now);
      const recipients = [...new Set([...routeFamily(picture, rt.config.recipients).map((r) => r.recipient.id), ...escalationRecipients(rt.config, picture.flags)])];
      await rt.deliveries.markPending(tx, family, recipients, now);
      keys.push(...recipients.map((id) => `${id}|${family}`));
    }
    // Subscribers hear of an escalation like any other safeguarding Flag change (after markPending: visibility).
    return { due: await rt.work.mark(tx, 'deliver', keys, now), notify: await recordFlagEvents(rt, tx, written, now) };
  });
  await rt.queue.add('deliver', due.map((w) => ({ recipientId: w.key.split('|')[0]!, familyKey: w.key.split('|')[1]!, generation: w.generation })));
  await wakeSubscribers(rt, notify);
  return flags.length;
}

function highPriority(f: Flag): boolean {
  return f.extension?.some((e) => e.url === EXT.flagPriority && e.valueCodeableConcept?.coding?.[0]?.code === 'PH') === true;
}

function escalationFlag(original: Flag, id: string, now: string, minutes: number): Flag {
  const issueId = deterministicId('detected-issue', id);
  return {
    resourceType: 'Flag', id,
    meta: { profile: [PROFILE.safeguardingFlag] },
    extension: [
      { url: EXT.flagPriority, valueCodeableConcept: { coding: [{ system: SYSTEM.flagPriority, code: 'PH', display: 'High priority' }] } },
      { url: EXT.flagDetail, valueReference: { reference: `DetectedIssue/${issueId}` } },
      VERSION,
    ],
    identifier: [{ system: SYSTEM.flag, value: id }, { system: `${SYSTEM.flag}/escalates`, value: original.id! }],
    status: 'active',
    category: [{ coding: [cradleCoding(CS.flagCategory, 'safeguarding')], text: 'Safeguarding' }],
    code: { coding: [cradleCoding(CS.safeguardingRule, 'alert-not-seen')], text: `High-priority alert not seen by anyone within ${Math.round(minutes / 60)} hours: act on it now` },
    subject: original.subject!,
    period: { start: now },
    author: { display: 'Cradle escalation' },
  };
}

function escalationIssue(flag: Flag, original: Flag): DetectedIssue {
  const id = flag.extension!.find((e) => e.url === EXT.flagDetail)!.valueReference!.reference!.slice('DetectedIssue/'.length);
  return {
    resourceType: 'DetectedIssue', id,
    meta: { profile: [PROFILE.safeguardingDetectedIssue] },
    extension: [VERSION],
    identifier: [{ system: SYSTEM.detectedIssue, value: id }],
    status: 'final',
    code: { coding: [cradleCoding(CS.safeguardingRule, 'alert-not-seen')], text: 'High-priority alert not seen' },
    severity: 'high',
    patient: original.subject!,
    identifiedDateTime: flag.period!.start!,
    implicated: [{ reference: `Flag/${original.id}` }],
    detail: `The high-priority alert "${original.code.text ?? original.code.coding?.[0]?.code}" raised on ${ukDate(original.period!.start!)} has not been seen by any recipient: no card shown, no read, no feedback.`,
    reference: 'https://www.gov.uk/government/publications/working-together-to-safeguard-children--2',
    evidence: [{ detail: [{ reference: `Flag/${original.id}` }] }],
    mitigation: [{ action: { text: 'Make sure the responsible health visitor or GP knows of the alert today; escalate to the named safeguarding nurse if they cannot be reached.' } }],
  };
}
