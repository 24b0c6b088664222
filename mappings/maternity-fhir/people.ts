import { CS, EXT, SYSTEM } from '../../src/fhir/canonical.js';
import type { Patient, Reference, RelatedPerson } from '../../src/fhir/types.js';
import type { Baby, HouseholdMember, MaternityRecord, RelationshipToMother } from '../maternity/record.js';
import type { BundleIndex, Located } from './bundle-index.js';
import type { Problems } from './problems.js';
import { cradleCode, extensionValue, localIdOf, mintedKey, nameOf } from './read-values.js';

const PARTNER_CODES = ['DOMPART', 'SIGOTHR', 'SPS', 'HUSB', 'WIFE'];

/** Who is who in the copy, and how a reference to one of them reads as a contract subject (`baby:B1`…). */
export interface People {
  partner?: NonNullable<MaternityRecord['partner']>;
  householdMembers: HouseholdMember[];
  babies: Array<{ located: Located<Patient>; baby: Baby }>;
  subject(ref: Reference | undefined, about?: Reference): string | undefined;
}

/**
 * The mother is the pregnancy's patient; a baby is a Patient with a MTH RelatedPerson; a
 * RelatedPerson on the mother with a partner RoleCode (and no Cradle household coding) is
 * the partner, any other is a household member. Patients linked to those RelatedPersons
 * (Patient.link, or a shared identifier) are the same people.
 */
export function readPeople(index: BundleIndex, mother: Located<Patient>, recordId: string, problems: Problems): People {
  const subjects = new Map<string, string>([[mother.path, 'mother']]);
  const onMother = index.ofType('RelatedPerson').filter((r) => index.resolve(r.resource.patient)?.path === mother.path);
  const partnerRp = onMother.find((r) => isPartner(r.resource));
  const babies = readBabies(index, mother, recordId, problems);
  for (const b of babies) subjects.set(b.located.path, `baby:${b.baby.localId}`);
  const householdMembers = onMother.filter((r) => r !== partnerRp).map((r) => {
    const member = householdMember(r, problems);
    for (const p of linkedPatients(index, r)) subjects.set(p.path, `household:${member.localId}`);
    subjects.set(r.path, `household:${member.localId}`);
    return member;
  });
  if (partnerRp) {
    for (const p of linkedPatients(index, partnerRp)) subjects.set(p.path, 'partner');
    subjects.set(partnerRp.path, 'partner');
  }
  return {
    ...(partnerRp ? { partner: partner(index, partnerRp, babies, problems) } : {}),
    householdMembers,
    babies,
    subject: (ref, about) => (about ? subjects.get(index.resolve(about)?.path ?? '') : undefined) ?? subjects.get(index.resolve(ref)?.path ?? ''),
  };
}

export function motherRecord(m: Located<Patient>, problems: Problems): MaternityRecord['mother'] | undefined {
  const p = m.resource;
  if (!p.birthDate) problems.missing(`${m.path}.birthDate`, 'is required: the mother\'s birth date');
  const nhsNumber = problems.nhsNumber(p.identifier, m.path);
  const localId = localIdOf(p.identifier);
  if (!nhsNumber && !localId) problems.missing(`${m.path}.identifier`, 'must hold the NHS number or the trust\'s own identifier');
  if (!p.birthDate) return undefined;
  const address = p.address?.[0];
  const gp = p.generalPractitioner?.find((g) => g.identifier?.system === SYSTEM.odsOrganisation)?.identifier?.value;
  const ethnic = extensionValue(p.extension, EXT.ethnicCategory, (e) => e.valueCodeableConcept?.coding?.[0]?.code);
  // The maternity contract names a local id; a copy with only the NHS number leaves it out.
  return {
    localId: localId as string, ...(nhsNumber ? { nhsNumber } : {}), ...opt('name', nameOf(p.name)), birthDate: p.birthDate,
    ...(address ? { address: { ...(address.line ? { line: [...address.line] } : {}), ...opt('city', address.city), ...opt('postcode', address.postalCode) } } : {}),
    ...(gp ? { gpPractice: { odsCode: gp } } : {}), ...opt('ethnicCategory', ethnic),
  };
}

function readBabies(index: BundleIndex, mother: Located<Patient>, recordId: string, problems: Problems): People['babies'] {
  const seen = new Set<string>();
  const out: People['babies'] = [];
  for (const rp of index.ofType('RelatedPerson')) {
    const target = index.resolve(rp.resource.patient);
    if (!hasCode(rp.resource, 'MTH') || !target || target.path === mother.path || seen.has(target.path) || target.resource.resourceType !== 'Patient') continue;
    seen.add(target.path);
    const p = target.resource;
    const nhsNumber = problems.nhsNumber(p.identifier, target.path);
    const birthTime = extensionValue(p._birthDate?.extension, EXT.birthTime, (e) => e.valueDateTime);
    out.push({ located: target as Located<Patient>, baby: {
      localId: localIdOf(p.identifier, recordId) ?? `B${p.multipleBirthInteger ?? out.length + 1}`,
      ...(nhsNumber ? { nhsNumber } : {}),
      ...opt('birthDate', birthTime ?? p.birthDate),
      ...(p.gender ? { sex: p.gender } : {}),
      ...opt('birthOrder', p.multipleBirthInteger),
    } });
  }
  return out;
}

function partner(index: BundleIndex, r: Located<RelatedPerson>, babies: People['babies'], problems: Problems): NonNullable<MaternityRecord['partner']> {
  const rp = r.resource;
  const nhsNumber = problems.nhsNumber(rp.identifier, r.path);
  const known = extensionValue(rp.extension, EXT.identified, (e) => e.valueBoolean) ?? !!(rp.identifier?.length || rp.name?.length);
  const relationshipToBaby = extensionValue(rp.extension, EXT.relationshipToBaby, (e) => cradleCode(e.valueCodeableConcept, CS.relationshipToBaby))
    ?? (isFatherOfABaby(index, rp, babies) ? 'father' : undefined);
  const lives = extensionValue(rp.extension, EXT.livesWithMother, (e) => e.valueBoolean) ?? livesFromCode(rp);
  return {
    known, ...opt('localId', localIdOf(rp.identifier)), ...(nhsNumber ? { nhsNumber } : {}), ...opt('name', nameOf(rp.name)),
    ...opt('birthDate', rp.birthDate), ...opt('relationshipToBaby', relationshipToBaby as NonNullable<MaternityRecord['partner']>['relationshipToBaby']),
    ...opt('livesWithMother', lives),
  };
}

function householdMember(r: Located<RelatedPerson>, problems: Problems): HouseholdMember {
  const rp = r.resource;
  const nhsNumber = problems.nhsNumber(rp.identifier, r.path);
  const name = nameOf(rp.name);
  const relationship = (cradleCode(rp.relationship?.[0], CS.relationshipToMother) ?? 'other') as RelationshipToMother;
  return {
    localId: localIdOf(rp.identifier) ?? mintedKey('hm', relationship, name?.family, name?.given?.join(' '), rp.birthDate, nhsNumber),
    ...(nhsNumber ? { nhsNumber } : {}), ...opt('name', name), ...opt('birthDate', rp.birthDate), relationshipToMother: relationship,
    identified: extensionValue(rp.extension, EXT.identified, (e) => e.valueBoolean) ?? true,
  };
}

function linkedPatients(index: BundleIndex, r: Located<RelatedPerson>): Located[] {
  const keys = new Set((r.resource.identifier ?? []).map((i) => `${i.system}|${i.value}`));
  return index.ofType('Patient').filter((p) => (p.resource.link ?? []).some((l) => index.resolve(l.other)?.path === r.path)
    || (p.resource.identifier ?? []).some((i) => keys.has(`${i.system}|${i.value}`)));
}

function isFatherOfABaby(index: BundleIndex, partnerRp: RelatedPerson, babies: People['babies']): boolean {
  const keys = new Set((partnerRp.identifier ?? []).map((i) => `${i.system}|${i.value}`));
  const babyPaths = new Set(babies.map((b) => b.located.path));
  return index.ofType('RelatedPerson').some((r) => hasCode(r.resource, 'FTH') && babyPaths.has(index.resolve(r.resource.patient)?.path ?? '')
    && (r.resource.identifier ?? []).some((i) => keys.has(`${i.system}|${i.value}`)));
}

function isPartner(rp: RelatedPerson): boolean {
  const household = rp.relationship?.some((cc) => cc.coding?.some((c) => c.system === CS.relationshipToMother));
  return !household && PARTNER_CODES.some((code) => hasCode(rp, code));
}

/**
 * SIGOTHR says the partner lives elsewhere. DOMPART says nothing either way: it is also
 * what the maternity mapping writes when cohabitation is unknown.
 */
function livesFromCode(rp: RelatedPerson): boolean | undefined {
  return hasCode(rp, 'SIGOTHR') ? false : undefined;
}

function hasCode(rp: RelatedPerson, code: string): boolean {
  return (rp.relationship ?? []).some((cc) => cc.coding?.some((c) => c.system === SYSTEM.v3RoleCode && c.code === code));
}

function opt<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}
