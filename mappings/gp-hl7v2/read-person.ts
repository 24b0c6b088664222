import { isValidNhsNumber, normaliseNhsNumber } from '../../src/identity/nhs-number.js';
import type { Er7Segment, Er7Value } from '../../src/ingest/hl7v2/er7.js';
import { parseHl7DateTime } from '../../src/ingest/hl7v2/datetime.js';
import { readFhirDateTime, type IssueList } from './read-values.js';
import type { Gender, LocalId, PersonIds, PersonName, PostalAddress } from './record.js';

/** CX-4 assigning authorities and CX-5 identifier types that mean "NHS number" (UK ITK HL7 v2: `^^^NHS^NH`). */
const NHS_AUTHORITIES = new Set(['NHS', 'NHSNMBR', 'NHS NUMBER', '2.16.840.1.113883.2.1.4.1']);
const NHS_TYPES = new Set(['NH', 'NHS', 'NHSNMBR']);
/**
 * Identifier types (HL7 table 0203) Cradle does not keep: they do not identify the person
 * in health or social care (visit and account numbers), or are sensitive and of no use
 * here (a US social security number, a passport, a bank card).
 */
const NOT_KEPT = new Set(['SS', 'DL', 'PPN', 'BA', 'BC', 'BCT', 'CC', 'VS', 'AN', 'VN', 'TAX', 'ANON']);

/**
 * Person identifiers from CX repetitions: the NHS number (by assigning authority or
 * identifier type, Modulus 11 checked — a failing one is rejected, not demoted, so the
 * sender hears of the mistake rather than Cradle quietly splitting one child into two),
 * and local ids scoped by assigning authority (else the sending facility).
 */
export function readIdentifiers(reps: readonly Er7Value[], facility: string, issues: IssueList, into: PersonIds = { local: [] }): PersonIds {
  for (const cx of reps) {
    const value = cx.comp(1);
    if (!value) continue;
    const authorityId = cx.comp(4);
    const authorityUniversalId = cx.sub(4, 2);
    const authority = authorityId || authorityUniversalId || facility;
    const type = cx.comp(5).toUpperCase();
    if (NHS_AUTHORITIES.has(authorityId.toUpperCase()) || NHS_AUTHORITIES.has(authorityUniversalId) || NHS_TYPES.has(type)) {
      const nhs = normaliseNhsNumber(value);
      if (!nhs || !isValidNhsNumber(nhs)) {
        issues.add('CRADLE_NHS_NUMBER_INVALID', cx.at(1), `${cx.at(1)} is marked as an NHS number but is not a valid one (10 digits, Modulus 11 check)`);
      } else if (into.nhsNumber && into.nhsNumber !== nhs) {
        issues.add('CRADLE_INPUT_INCONSISTENT', cx.at(1), `${cx.at(1)} is a second, different NHS number for the same person`);
      } else {
        into.nhsNumber = nhs;
      }
      continue;
    }
    if (NOT_KEPT.has(type)) continue;
    if (!into.local.some((l) => l.authority === authority && l.value === value)) {
      const id: LocalId = { authority, value };
      if (type) id.type = type;
      into.local.push(id);
    }
  }
  return into;
}

const NAME_USES: Readonly<Record<string, PersonName['use']>> = { L: 'official', D: 'usual', M: 'maiden', N: 'nickname' };

/**
 * XPN repetitions: family (FN.1), given and middle names, prefix, suffix, and the name type (HL7 table 0200).
 * Built in a loop with the optional elements assigned in order (not spread): read for every person.
 */
export function readNames(reps: readonly Er7Value[]): PersonName[] {
  const names: PersonName[] = [];
  for (const xpn of reps) {
    const family = xpn.component(1).comp(1);
    const given = [xpn.comp(2), xpn.comp(3)].filter(Boolean);
    if (!family && given.length === 0) continue;
    const use = NAME_USES[xpn.comp(7).toUpperCase()];
    const name = {} as PersonName;
    if (family) name.family = family;
    name.given = given;
    const prefix = xpn.comp(5);
    if (prefix) name.prefix = prefix;
    const suffix = xpn.comp(4);
    if (suffix) name.suffix = suffix;
    if (use) name.use = use;
    names.push(name);
  }
  return names;
}

const GENDERS: Readonly<Record<string, Gender>> = { M: 'male', F: 'female', O: 'other', A: 'other', U: 'unknown', N: 'unknown', 1: 'male', 2: 'female', 9: 'unknown', 0: 'unknown' };

/** PID-8 / NK1-15: HL7 table 0001, and the NHS Data Dictionary person gender codes (1, 2, 9, 0) UK senders use. */
export function readGender(v: Er7Value): Gender | undefined {
  return GENDERS[v.comp(1).toUpperCase()];
}

/** A birth date (DT/DTM, or an ISO date); the time of birth is not kept. */
export function readBirthDate(v: Er7Value, issues: IssueList): string | undefined {
  const text = v.comp(1);
  if (!text) return undefined;
  const parsed = parseHl7DateTime(text);
  if (!parsed) {
    issues.invalid(v.at(), 'must be a date (YYYYMMDD)');
    return undefined;
  }
  return parsed.date;
}

/**
 * XAD repetitions, UK style (NHS ITK): XAD-1/2 street lines, XAD-3 town, XAD-4 county,
 * XAD-5 postcode (upper-cased: routing reads it), XAD-6 country, XAD-7 address type,
 * XAD-12/13/14 validity. A bad address (BA) is kept as `old`.
 */
export function readAddresses(reps: readonly Er7Value[], issues: IssueList): PostalAddress[] {
  const addresses: PostalAddress[] = [];
  for (const xad of reps) {
    const lines = [xad.component(1).comp(1), xad.comp(2)].filter(Boolean);
    const postcode = xad.comp(5).toUpperCase();
    const city = xad.comp(3);
    if (lines.length === 0 && !city && !postcode) continue;
    // Read in this order (start, then end), so any issues come in the order they always have.
    const start = readFhirDateTime(xad, issues, 'address effective date', 13) ?? readFhirDateTime(xad.component(12), issues, 'address valid from', 1);
    const end = readFhirDateTime(xad, issues, 'address expiry date', 14) ?? readFhirDateTime(xad.component(12), issues, 'address valid to', 2);
    const use = addressUse(xad.comp(7));
    const country = xad.comp(6).toUpperCase();
    // Optional elements assigned in order rather than spread, as in readNames.
    const address: PostalAddress = { lines };
    if (city) address.city = city;
    const district = xad.comp(4);
    if (district) address.district = district;
    if (postcode) address.postcode = postcode;
    if (/^[A-Z]{2,3}$/.test(country)) address.country = country;
    if (use) address.use = use;
    if (start || end) {
      const period: NonNullable<PostalAddress['period']> = {};
      if (start) period.start = start;
      if (end) period.end = end;
      address.period = period;
    }
    addresses.push(address);
  }
  return addresses;
}

function addressUse(type: string): PostalAddress['use'] {
  const t = type.toUpperCase();
  if (t === 'H' || t === 'HOME' || t === 'P' || t === 'L') return 'home';
  if (t === 'B' || t === 'O' || t === 'BI') return 'work';
  if (t === 'C' || t === 'TEMP') return 'temp';
  if (t === 'BA') return 'old';
  return undefined;
}

/** PD1-3 (XON): the registered practice, taken only when its id (XON-10, else XON-3) is a GP practice ODS code. */
export function readPractice(pd1: Er7Segment | undefined): { odsCode: string; name?: string } | undefined {
  if (!pd1) return undefined;
  for (const xon of pd1.repetitions(3)) {
    const code = (xon.comp(10) || xon.comp(3)).toUpperCase();
    // England, Wales and Northern Ireland practice codes: a letter and five digits (A81001, Y06601).
    if (/^[A-Z]\d{5}$/.test(code)) return { odsCode: code, ...(xon.comp(1) ? { name: xon.comp(1) } : {}) };
  }
  return undefined;
}

export function localKey(id: LocalId): string {
  return `${id.authority}|${id.value}`;
}
