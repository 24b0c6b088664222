import { EXT, PROFILE, SYSTEM } from '../../src/fhir/canonical.js';
import type { CodeableConcept, Extension, Patient, PatientLink, RelatedPerson } from '../../src/fhir/types.js';
import type { FhirNode } from '../../src/ingest/fhir-tree.js';
import { terminology } from '../../src/mapping/terminology.js';
import { address, compact, concept, humanName, identifier, list, reference } from './stu3-datatypes.js';

const STU3_ETHNIC_CATEGORY = 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-EthnicCategory-1';
export const NHS_RELATIONSHIP = 'https://fhir.nhs.uk/STU3/CodeSystem/PersonRelationshipType-1';

/**
 * CareConnect-Patient-1 (STU3) → UK Core Patient (R4): identifiers, names, sex, birth date
 * and time, death, addresses, multiple birth, registered practice and links. The ethnic
 * category extension becomes UK Core's. Telecom and other details are not read.
 */
export function patientR4(n: FhirNode, id: string): Patient {
  const birthTime = n.one('birthDate')?.extensions(EXT.birthTime)[0]?.str('valueDateTime');
  const deceased = n.choice('deceased');
  const multiple = n.choice('multipleBirth');
  return compact({
    resourceType: 'Patient' as const,
    id,
    meta: { profile: [PROFILE.ukCorePatient] },
    extension: ethnicCategory(n),
    identifier: list(n.all('identifier'), identifier),
    name: list(n.all('name'), humanName),
    gender: n.str('gender') as Patient['gender'],
    birthDate: n.str('birthDate'),
    ...(birthTime ? { _birthDate: { extension: [{ url: EXT.birthTime, valueDateTime: birthTime }] } } : {}),
    ...(deceased?.type === 'Boolean' ? { deceasedBoolean: deceased.node.value === 'true' } : {}),
    ...(deceased?.type === 'DateTime' ? { deceasedDateTime: deceased.node.value } : {}),
    address: list(n.all('address'), address),
    ...(multiple?.type === 'Boolean' ? { multipleBirthBoolean: multiple.node.value === 'true' } : {}),
    ...(multiple?.type === 'Integer' ? { multipleBirthInteger: Number(multiple.node.value) } : {}),
    generalPractitioner: list(n.all('generalPractitioner'), reference),
    link: list(n.all('link'), (l): PatientLink | undefined => {
      const other = reference(l.one('other'));
      return other ? { other, type: (l.str('type') ?? 'seealso') as PatientLink['type'] } : undefined;
    }),
  }) as Patient;
}

function ethnicCategory(n: FhirNode): Extension[] {
  const code = n.extensions(STU3_ETHNIC_CATEGORY)[0]?.one('valueCodeableConcept')?.one('coding')?.str('code');
  return code ? [{ url: EXT.ethnicCategory, valueCodeableConcept: { coding: [{ system: SYSTEM.ethnicCategoryEngland, code }] } }] : [];
}

/**
 * CareConnect-RelatedPerson-1 → UK Core RelatedPerson. STU3 has one relationship; its NHS
 * person relationship code is kept and translated to v3 RoleCode (ConceptMap
 * nhs-person-relationship-to-v3-rolecode) for the family graph. CareConnect links the
 * person's own Patient to the RelatedPerson (Patient.link) rather than giving the
 * RelatedPerson identifiers, so `linkedIdentifiers` (that Patient's) are added — the
 * mother of a birth notification is then known by her NHS number.
 */
export function relatedPersonR4(n: FhirNode, id: string, linkedIdentifiers: RelatedPerson['identifier']): RelatedPerson {
  const own = list(n.all('identifier'), identifier);
  return compact({
    resourceType: 'RelatedPerson' as const,
    id,
    meta: { profile: [PROFILE.ukCoreRelatedPerson] },
    identifier: own.length ? own : linkedIdentifiers,
    patient: reference(n.one('patient'))!,
    relationship: relationship(concept(n.one('relationship'))),
    name: list(n.all('name'), humanName),
    gender: n.str('gender') as RelatedPerson['gender'],
    birthDate: n.str('birthDate'),
    address: list(n.all('address'), address),
  }) as RelatedPerson;
}

function relationship(c: CodeableConcept | undefined): CodeableConcept[] {
  if (!c) return [];
  const v3 = (c.coding ?? []).flatMap((k) => (k.system === NHS_RELATIONSHIP && k.code
    ? terminology().translate(NHS_RELATIONSHIP, k.code, { targetSystem: SYSTEM.v3RoleCode }).map((t) => t.coding) : []));
  return [{ ...c, coding: [...(c.coding ?? []), ...v3] }];
}
