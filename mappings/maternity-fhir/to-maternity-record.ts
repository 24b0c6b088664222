import { CradleError } from '../../src/fhir/outcome.js';
import { SYSTEM } from '../../src/fhir/canonical.js';
import type { Bundle, EpisodeOfCare, Patient } from '../../src/fhir/types.js';
import type { MaternityRecord } from '../maternity/record.js';
import { BundleIndex, type Located } from './bundle-index.js';
import { contacts, nipeOf } from './contacts.js';
import { birthFacts, observationsByType, pregnancy, referrals, socialFactors } from './facts.js';
import { motherRecord, readPeople } from './people.js';
import { Problems } from './problems.js';

const PREGNANCY = '77386006';
const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;

/**
 * A maternity system's FHIR copy of one pregnancy → the `maternity` contract's record, so
 * the `maternity` mapping turns it into exactly the resources a JSON record would give:
 * same ids for the same facts, same Cradle codings, and rules never know which way the
 * data came. Every problem is gathered, each as FHIRPath into the Bundle.
 */
export function toMaternityRecord(bundle: Bundle): MaternityRecord {
  const problems = new Problems();
  const index = new BundleIndex(bundle);
  const episode = pregnancyEpisode(index, problems);
  const mother = episode && motherOf(index, episode, problems);
  const recordId = episode && recordIdOf(episode, problems);
  const ods = episode && odsOf(index, episode, problems);
  const updatedAt = bundle.timestamp ?? bundle.meta?.lastUpdated ?? episode?.resource.meta?.lastUpdated;
  if (!updatedAt) problems.missing('Bundle.timestamp', 'is required (or meta.lastUpdated): it orders versions of the record');
  const motherFacts = mother && motherRecord(mother, problems);
  if (!episode || !mother || !recordId || !ods || !updatedAt || !motherFacts || problems.issues.length) throw CradleError.of(problems.issues);
  const people = readPeople(index, mother, recordId, problems);
  const obs = observationsByType(index);
  const record: MaternityRecord = {
    recordType: 'maternity-record', recordId, version: versionOf(updatedAt), updatedAt,
    organisation: { odsCode: ods.code, ...(ods.name ? { name: ods.name } : {}) },
    mother: motherFacts,
    ...(people.partner ? { partner: people.partner } : {}),
    ...(people.householdMembers.length ? { householdMembers: people.householdMembers } : {}),
    pregnancy: pregnancy(episode.resource.period?.start, obs),
    ...nonEmpty('socialFactors', socialFactors(index, people, problems)),
    ...nonEmpty('contacts', contacts(index, people, recordId, problems)),
    ...nonEmpty('babies', people.babies.map((b) => ({ ...b.baby, ...birthFacts(b.located, obs, index), ...optNipe(nipeOf(index, people, b.located, problems)) }))),
    ...nonEmpty('referrals', referrals(index, people, problems)),
  };
  if (problems.issues.length) throw CradleError.of(problems.issues);
  return record;
}

/** Versions order by the copy's own timestamp: a later copy of the record wins. */
export function versionOf(updatedAt: string): number {
  return Math.floor(Date.parse(updatedAt) / 1000);
}

function pregnancyEpisode(index: BundleIndex, problems: Problems): Located<EpisodeOfCare> | undefined {
  const episodes = index.ofType('EpisodeOfCare');
  const pregnancies = episodes.filter((e) => e.resource.type?.some((t) => t.coding?.some((c) => c.system === SYSTEM.snomed && c.code === PREGNANCY)));
  const candidates = pregnancies.length ? pregnancies : episodes;
  if (candidates.length !== 1) {
    problems.invalid('Bundle.entry', `must hold exactly one pregnancy EpisodeOfCare (SNOMED ${PREGNANCY}); it holds ${candidates.length}`);
    return undefined;
  }
  return candidates[0];
}

function motherOf(index: BundleIndex, e: Located<EpisodeOfCare>, problems: Problems): Located<Patient> | undefined {
  const target = index.resolve(e.resource.patient);
  if (target?.resource.resourceType === 'Patient') return target as Located<Patient>;
  problems.missing(`${e.path}.patient`, 'must refer to the mother\'s Patient inside the Bundle');
  return undefined;
}

function recordIdOf(e: Located<EpisodeOfCare>, problems: Problems): string | undefined {
  const value = e.resource.identifier?.find((i) => i.value)?.value;
  if (value && RECORD_ID.test(value)) return value;
  if (value) problems.invalid(`${e.path}.identifier[0].value`, 'must be 1–64 letters, digits, ".", "_", "/" or "-"');
  else problems.missing(`${e.path}.identifier`, 'is required: the pregnancy\'s business identifier in the maternity system');
  return undefined;
}

function odsOf(index: BundleIndex, e: Located<EpisodeOfCare>, problems: Problems): { code: string; name?: string } | undefined {
  const ref = e.resource.managingOrganization;
  const org = index.resolve(ref)?.resource;
  const identifier = ref?.identifier ?? (org?.resourceType === 'Organization' ? org.identifier?.find((i) => i.system === SYSTEM.odsOrganisation) : undefined);
  const name = ref?.display ?? (org?.resourceType === 'Organization' ? org.name : undefined);
  if (identifier?.system === SYSTEM.odsOrganisation && identifier.value && /^[A-Z0-9]{3,10}$/.test(identifier.value)) {
    return { code: identifier.value, ...(name ? { name } : {}) };
  }
  problems.missing(`${e.path}.managingOrganization`, 'must identify the trust by ODS code (https://fhir.nhs.uk/Id/ods-organization-code)');
  return undefined;
}

function nonEmpty<K extends string, T>(key: K, list: T[]): { [P in K]?: T[] } {
  return (list.length ? { [key]: list } : {}) as { [P in K]?: T[] };
}

function optNipe<T>(nipe: T | undefined): { nipe?: T } {
  return nipe ? { nipe } : {};
}
