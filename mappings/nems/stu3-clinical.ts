import { PROFILE } from '../../src/fhir/canonical.js';
import type { AnyResource, CareTeam, Encounter, EpisodeOfCare, Observation, Procedure } from '../../src/fhir/types.js';
import type { FhirNode } from '../../src/ingest/fhir-tree.js';
import { annotation, choiceValue, coding, compact, concept, humanName, identifier, list, period, reference } from './stu3-datatypes.js';

/**
 * STU3 → R4 for the clinical resources NEMS events carry (FHIR R4 resource "Version
 * Management" notes): `context` became `encounter`, single CodeableConcepts that now
 * repeat become lists, Procedure.notDone became status `not-done`. Only what Cradle reads
 * is converted; a `context` that is not an Encounter is removed once the Bundle is indexed.
 */
export function observationR4(n: FhirNode, id: string): Observation {
  const interpretation = concept(n.one('interpretation'));
  const note = n.one('comment')?.value;
  return compact({
    resourceType: 'Observation' as const, id, meta: { profile: [PROFILE.ukCoreObservation] },
    identifier: list(n.all('identifier'), identifier),
    status: (n.str('status') ?? 'unknown') as Observation['status'],
    category: list(n.all('category'), concept),
    code: concept(n.one('code')) ?? { text: 'not coded' },
    subject: reference(n.one('subject')),
    encounter: reference(n.one('context')),
    ...choiceValue(n, 'effective'),
    issued: n.str('issued'),
    performer: list(n.all('performer'), reference),
    ...choiceValue(n, 'value'),
    dataAbsentReason: concept(n.one('dataAbsentReason')),
    interpretation: interpretation ? [interpretation] : [],
    note: note ? [{ text: note }] : [],
    bodySite: concept(n.one('bodySite')),
    method: concept(n.one('method')),
    component: list(n.all('component'), (c) => compact({ code: concept(c.one('code'))!, ...choiceValue(c, 'value') })),
  }) as Observation;
}

export function encounterR4(n: FhirNode, id: string): Encounter {
  return compact({
    resourceType: 'Encounter' as const, id, meta: { profile: [PROFILE.ukCoreEncounter] },
    identifier: list(n.all('identifier'), identifier),
    status: (n.str('status') ?? 'unknown') as Encounter['status'],
    // Encounter.class is required in R4 (optional in STU3): "unknown" when the sender gave none.
    class: (n.one('class') ? coding(n.one('class')!) : undefined) ?? { system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'UNK', display: 'unknown' },
    type: list(n.all('type'), concept),
    subject: reference(n.one('subject')),
    episodeOfCare: list(n.all('episodeOfCare'), reference),
    participant: list(n.all('participant'), (p) => compact({ type: list(p.all('type'), concept), period: period(p.one('period')), individual: reference(p.one('individual')) })),
    period: period(n.one('period')),
    reasonCode: list(n.all('reason'), concept),
    location: list(n.all('location'), (l) => {
      const location = reference(l.one('location'));
      return location ? compact({ location, status: l.str('status') as 'active', period: period(l.one('period')) }) : undefined;
    }),
    serviceProvider: reference(n.one('serviceProvider')),
  }) as Encounter;
}

export function episodeOfCareR4(n: FhirNode, id: string): EpisodeOfCare {
  return compact({
    resourceType: 'EpisodeOfCare' as const, id, meta: { profile: [PROFILE.ukCoreEpisodeOfCare] },
    identifier: list(n.all('identifier'), identifier),
    status: (n.str('status') ?? 'active') as EpisodeOfCare['status'],
    type: list(n.all('type'), concept),
    patient: reference(n.one('patient'))!,
    managingOrganization: reference(n.one('managingOrganization')),
    period: period(n.one('period')),
    careManager: reference(n.one('careManager')),
    team: list(n.all('team'), reference),
  }) as EpisodeOfCare;
}

const PROCEDURE_STATUS: Readonly<Record<string, Procedure['status']>> = { suspended: 'on-hold', aborted: 'stopped' };

export function procedureR4(n: FhirNode, id: string): Procedure {
  const status = n.str('notDone') === 'true' ? 'not-done' : PROCEDURE_STATUS[n.str('status') ?? ''] ?? (n.str('status') ?? 'unknown') as Procedure['status'];
  return compact({
    resourceType: 'Procedure' as const, id,
    identifier: list(n.all('identifier'), identifier),
    status,
    category: concept(n.one('category')),
    code: concept(n.one('code')),
    subject: reference(n.one('subject'))!,
    encounter: reference(n.one('context')),
    ...choiceValue(n, 'performed'),
    performer: list(n.all('performer'), (p) => {
      const actor = reference(p.one('actor'));
      return actor ? compact({ actor, function: concept(p.one('role')), onBehalfOf: reference(p.one('onBehalfOf')) }) : undefined;
    }),
    outcome: concept(n.one('outcome')),
    bodySite: list(n.all('bodySite'), concept),
    reasonCode: list(n.all('reasonCode'), concept),
    note: list(n.all('note'), annotation),
  }) as Procedure;
}

export function careTeamR4(n: FhirNode, id: string): CareTeam {
  return compact({
    resourceType: 'CareTeam' as const, id,
    identifier: list(n.all('identifier'), identifier),
    status: n.str('status') as CareTeam['status'],
    category: list(n.all('category'), concept),
    name: n.str('name'),
    subject: reference(n.one('subject')),
    encounter: reference(n.one('context')),
    period: period(n.one('period')),
    participant: list(n.all('participant'), (p) => compact({ role: list(p.all('role'), concept), member: reference(p.one('member')), onBehalfOf: reference(p.one('onBehalfOf')), period: period(p.one('period')) })),
    managingOrganization: list(n.all('managingOrganization'), reference),
  }) as CareTeam;
}

/**
 * A resource Cradle does not keep (Organization, Practitioner, …): only what a logical
 * reference to it needs — its identifiers and name.
 */
export function stubR4(type: string, n: FhirNode, senderId: string | undefined): AnyResource {
  const name = n.str('name');
  const names = name === undefined ? list(n.all('name'), humanName) : [];
  return compact({
    resourceType: type, id: senderId, identifier: list(n.all('identifier'), identifier),
    ...(name !== undefined ? { name } : names.length ? { name: names } : {}),
  }) as unknown as AnyResource;
}
