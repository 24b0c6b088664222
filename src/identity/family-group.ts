import { CS, EXT, SYSTEM } from '../fhir/canonical.js';
import type { Extension, Group, GroupMember, RelatedPerson } from '../fhir/types.js';
import { cradleCoding } from '../mapping/code-systems.js';
import { infants, type FamilyPicture } from './family-picture.js';

export interface ResponsibleTeams {
  /** ODS codes of the registered practice(s) the family's recipients follow. */
  practices: string[];
  /** Recipients (health visiting, social care) that serve this family. */
  teams: Array<{ id: string; name: string; kind: string }>;
}

/**
 * The family graph as FHIR: a `Group` of the people around the infant(s), one member per
 * edge with its role, the source that asserted it and the date it did (`period.start`);
 * people known to exist but not identified (the partner the case reviews call the
 * "invisible man", an unknown household adult) as members without a Patient; and the
 * registered practice and responsible teams. Chosen over `$everything` because the
 * household itself is the fact the case reviews ask for, and a Group is a plain resource:
 * readable, searchable by member, scoped, and versioned, so its history shows who joined
 * the household when.
 */
export function familyGroup(picture: FamilyPicture, teams: ResponsibleTeams): Group {
  const infantIds = new Set(infants(picture).map((p) => p.id));
  const members: GroupMember[] = picture.edges.map((e) => ({
    entity: { reference: `Patient/${e.personId}` },
    ...(e.since ? { period: { start: e.since } } : {}),
    extension: [
      role(e.role === 'child' ? (infantIds.has(e.personId) ? 'infant' : 'sibling') : e.role),
      { url: EXT.edgeSource, valueString: e.sourceKey },
    ],
  }));
  for (const rp of unidentified(picture)) {
    const partner = rp.relationship?.some((r) => r.coding?.some((c) => ['DOMPART', 'SIGOTHR', 'SPS', 'FTH'].includes(c.code ?? '')));
    // Group.member.entity cannot reference a RelatedPerson: a display-only entity, and the
    // RelatedPerson holding what is known through the about-related-person extension.
    members.push({ entity: { display: partner ? 'Partner not identified' : 'Household adult not identified' },
      extension: [role(partner ? 'unidentified-partner' : 'unidentified-adult'), { url: EXT.about, valueReference: { reference: `RelatedPerson/${rp.id}` } }] });
  }
  const extension: Extension[] = [
    ...teams.practices.map((ods): Extension => ({ url: EXT.registeredPractice, valueReference: { type: 'Organization', identifier: { system: SYSTEM.odsOrganisation, value: ods } } })),
    ...teams.teams.map((t): Extension => ({ url: EXT.responsibleTeam, valueReference: { identifier: { system: SYSTEM.recipient, value: t.id }, display: `${t.name} (${t.kind})` } })),
  ];
  // FHIR JSON has no empty arrays: a family with no known practice or team has no extension.
  return {
    resourceType: 'Group',
    id: picture.key,
    identifier: [{ system: SYSTEM.family, value: picture.key }],
    active: true,
    type: 'person',
    actual: true,
    name: 'Family around an infant (Cradle)',
    quantity: members.length,
    ...(extension.length > 0 ? { extension } : {}),
    ...(members.length > 0 ? { member: members } : {}),
  };
}

function role(code: string): Extension {
  return { url: EXT.familyRole, valueCoding: cradleCoding(CS.familyRole, code) };
}

/** RelatedPersons on the mother recorded as not identified (maternity `known: false`, `identified: false`). */
function unidentified(picture: FamilyPicture): RelatedPerson[] {
  return picture.resources.filter((r): r is RelatedPerson => r.resourceType === 'RelatedPerson'
    && r.patient.reference === `Patient/${picture.key}`
    && r.extension?.some((e) => e.url === EXT.identified && e.valueBoolean === false) === true);
}
