import type { RecipientConfig } from '../config/config.js';
import { CRADLE_BASE, CS, SYSTEM } from '../fhir/canonical.js';
import type { Bundle, BundleEntry, DetectedIssue, Flag, Patient, Provenance, Reference } from '../fhir/types.js';
import { children, mother, type FamilyPicture } from '../identity/family-picture.js';
import { deterministicId } from '../mapping/ids.js';

const READ_ONLY = { system: CS.tag, code: 'read-only', display: 'Read-only copy' };
const WITHDRAWN = { system: CS.tag, code: 'withdrawn', display: 'Withdrawn from this recipient' };

/**
 * The minimum a recipient of each kind needs to find the family in its own record (UK GDPR
 * data minimisation): identifiers, name, birth date and sex for everyone; health visitors,
 * who visit at home, also the postcode.
 */
const PATIENT_FIELDS: Record<RecipientConfig['kind'], ReadonlyArray<'name' | 'birthDate' | 'gender' | 'postcode'>> = {
  'gp-practice': ['name', 'birthDate', 'gender'],
  'health-visiting': ['name', 'birthDate', 'gender', 'postcode'],
  'social-care': ['name', 'birthDate', 'gender'],
};
export const PERSON_SYSTEM = `${CRADLE_BASE}/Id/person`;
const RESOURCE_SYSTEM = `${CRADLE_BASE}/Id/resource`;

/**
 * The read-only view of a family's alerts for one recipient: a transaction Bundle of
 * conditional updates, so delivering it twice changes nothing. It carries the minimum a
 * clinician needs to act — the baby and mother (identifiers, name, birth date), the
 * safeguarding Flags and their evidence summaries — and a Provenance naming the legal
 * basis for sharing. Evidence stays in Cradle: references to it are logical (identifier
 * and display), not resources copied into the recipient's record.
 */
export function buildView(picture: FamilyPicture, recipient: RecipientConfig, now: string): Bundle | undefined {
  const flags = [...picture.flags].sort((a, b) => a.id!.localeCompare(b.id!));
  if (flags.length === 0) return undefined;
  const subjects = new Set(flags.map((f) => f.subject?.reference?.slice(8)));
  const people = [...children(picture).filter((c) => subjects.has(c.id)), ...(mother(picture) ? [mother(picture)!] : [])];
  const entries: BundleEntry[] = people.map((p) => patientEntry(p, PATIENT_FIELDS[recipient.kind]));
  const issues = new Map(picture.detectedIssues.map((d) => [d.id!, d]));
  for (const flag of flags) {
    entries.push(flagEntry(flag));
    const issueId = flag.extension?.find((e) => e.valueReference?.reference?.startsWith('DetectedIssue/'))?.valueReference?.reference?.slice(14);
    const issue = issueId ? issues.get(issueId) : undefined;
    if (issue) entries.push(issueEntry(issue));
  }
  entries.push(provenanceEntry(picture, recipient, flags, now));
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}

function patientEntry(p: Patient, fields: ReadonlyArray<'name' | 'birthDate' | 'gender' | 'postcode'>): BundleEntry {
  const nhs = p.identifier?.find((i) => i.system === SYSTEM.nhsNumber);
  const identifier = [...(nhs ? [nhs] : []), { system: PERSON_SYSTEM, value: p.id! }];
  const match = nhs ? `${SYSTEM.nhsNumber}|${nhs.value}` : `${PERSON_SYSTEM}|${p.id}`;
  const postcode = p.address?.find((a) => a.use !== 'old' && a.postalCode)?.postalCode;
  return {
    fullUrl: `urn:uuid:${p.id}`,
    resource: {
      resourceType: 'Patient',
      meta: { tag: [READ_ONLY] },
      identifier,
      ...(fields.includes('name') && p.name ? { name: p.name } : {}),
      ...(fields.includes('birthDate') && p.birthDate ? { birthDate: p.birthDate } : {}),
      ...(fields.includes('gender') && p.gender ? { gender: p.gender } : {}),
      ...(fields.includes('postcode') && postcode ? { address: [{ use: 'home' as const, postalCode: postcode }] } : {}),
    },
    request: { method: 'PUT', url: `Patient?identifier=${encodeURIComponent(match)}` },
  };
}

/**
 * What a recipient gets when the family leaves its care (a change of GP or address): its
 * copies of the Flags set inactive and tagged withdrawn, and the evidence cancelled with no
 * detail left behind. Identifiers only: nothing new is shared with a recipient that no longer
 * needs to know.
 */
export function buildWithdrawal(picture: FamilyPicture, now: string): Bundle | undefined {
  const flags = [...picture.flags].sort((a, b) => a.id!.localeCompare(b.id!));
  if (flags.length === 0) return undefined;
  const subjects = new Set(flags.map((f) => f.subject?.reference?.slice(8)));
  const people = [...children(picture), ...(mother(picture) ? [mother(picture)!] : [])].filter((p) => subjects.has(p.id));
  const entries: BundleEntry[] = people.map((p) => patientEntry(p, []));
  for (const flag of flags) {
    entries.push({
      fullUrl: `urn:uuid:${flag.id}`,
      resource: {
        resourceType: 'Flag', meta: { tag: [READ_ONLY, WITHDRAWN] }, identifier: flag.identifier, status: 'inactive',
        code: flag.code, subject: toUrn(flag.subject), period: { ...(flag.period?.start ? { start: flag.period.start } : {}), end: flag.period?.end ?? now },
      },
      request: { method: 'PUT', url: `Flag?identifier=${encodeURIComponent(`${SYSTEM.flag}|${flag.id}`)}` },
    });
  }
  for (const issue of picture.detectedIssues) {
    entries.push({
      fullUrl: `urn:uuid:${issue.id}`,
      resource: { resourceType: 'DetectedIssue', meta: { tag: [READ_ONLY, WITHDRAWN] }, identifier: issue.identifier, status: 'cancelled', ...(issue.code ? { code: issue.code } : {}) },
      request: { method: 'PUT', url: `DetectedIssue?identifier=${encodeURIComponent(`${SYSTEM.detectedIssue}|${issue.id}`)}` },
    });
  }
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}

function flagEntry(flag: Flag): BundleEntry {
  const { meta: _m, id: _id, ...rest } = flag;
  const resource: Flag = {
    ...rest,
    resourceType: 'Flag',
    meta: { tag: [READ_ONLY], profile: flag.meta?.profile ?? [] },
    subject: toUrn(flag.subject),
    extension: flag.extension?.map((e) => (e.valueReference ? { ...e, valueReference: toUrn(e.valueReference) } : e)),
  };
  return {
    fullUrl: `urn:uuid:${flag.id}`,
    resource,
    request: { method: 'PUT', url: `Flag?identifier=${encodeURIComponent(`${SYSTEM.flag}|${flag.id}`)}` },
  };
}

function issueEntry(issue: DetectedIssue): BundleEntry {
  const { meta: _m, id: _id, ...rest } = issue;
  const logical = (r: Reference): Reference => ({ identifier: { system: RESOURCE_SYSTEM, value: r.reference! }, display: r.reference!.split('/')[0] });
  return {
    fullUrl: `urn:uuid:${issue.id}`,
    resource: {
      ...rest,
      resourceType: 'DetectedIssue',
      meta: { tag: [READ_ONLY], profile: issue.meta?.profile ?? [] },
      patient: toUrn(issue.patient),
      implicated: issue.implicated?.map(logical),
      evidence: issue.evidence?.map((e) => ({ ...e, detail: e.detail?.map(logical) })),
    },
    request: { method: 'PUT', url: `DetectedIssue?identifier=${encodeURIComponent(`${SYSTEM.detectedIssue}|${issue.id}`)}` },
  };
}

/**
 * Why Cradle may share this (DOMAIN.md section 8): Working Together to Safeguard Children
 * 2023 and the DfE information-sharing advice; UK GDPR Art. 6(1)(e) and 9(2)(g)/(h); DPA
 * 2018 Schedule 1. Provenance has no identifier, so it is PUT by a client-assigned id
 * (one per recipient and family), which keeps redelivery idempotent.
 */
function provenanceEntry(picture: FamilyPicture, recipient: RecipientConfig, flags: Flag[], now: string): BundleEntry {
  const id = deterministicId('view-provenance', recipient.id, picture.key);
  const resource: Provenance = {
    resourceType: 'Provenance',
    id,
    meta: { tag: [READ_ONLY] },
    target: flags.map((f) => ({ reference: `urn:uuid:${f.id}` })),
    recorded: latest(flags) ?? now,
    policy: [
      'https://www.gov.uk/government/publications/working-together-to-safeguard-children--2',
      'https://www.legislation.gov.uk/eur/2016/679/article/6#1e',
      'https://www.legislation.gov.uk/eur/2016/679/article/9#2g',
      'https://www.legislation.gov.uk/eur/2016/679/article/9#2h',
      'https://www.legislation.gov.uk/ukpga/2018/12/schedule/1',
    ],
    reason: [{ text: 'Safeguarding children: sharing to protect an infant from harm (Working Together to Safeguard Children 2023)' }],
    activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE' }] },
    agent: [
      { type: { coding: [{ system: SYSTEM.provenanceParticipantType, code: 'assembler' }] }, who: { identifier: { system: SYSTEM.client, value: 'cradle' }, display: 'Cradle' } },
      { type: { coding: [{ system: SYSTEM.provenanceParticipantType, code: 'custodian' }] }, who: { identifier: { system: SYSTEM.recipient, value: recipient.id }, display: recipient.name } },
    ],
  };
  return { fullUrl: `urn:uuid:${id}`, resource, request: { method: 'PUT', url: `Provenance/${id}` } };
}

function toUrn(ref: Reference | undefined): Reference {
  const id = ref?.reference?.split('/')[1];
  return { reference: `urn:uuid:${id}` };
}

function latest(flags: Flag[]): string | undefined {
  return flags.map((f) => f.period?.end ?? f.period?.start).filter((x): x is string => !!x).sort().at(-1);
}
