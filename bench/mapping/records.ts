import type {
  Baby, Contact, Finding, HouseholdMember, MaternityRecord, Referral, SocialFactor, SocialFactorKey,
} from '../../mappings/maternity/record.js';
import { addDays, Random } from './random.js';

const FAMILY = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Evans', 'Khan', 'Patel', 'Nowak', 'Okafor', 'Hughes'];
const GIVEN_F = ['Jane', 'Amy', 'Sara', 'Priya', 'Chloe', 'Zofia', 'Grace', 'Aisha', 'Emma', 'Ruth'];
const GIVEN_M = ['Mark', 'Tom', 'Ravi', 'Kwame', 'Piotr', 'Dan', 'Liam', 'Omar', 'Sam', 'Joe'];
const TOWNS = [['Southampton', 'SO16 6YD'], ['Portsmouth', 'PO1 2AB'], ['Winchester', 'SO23 9LT'], ['Eastleigh', 'SO50 5PE']] as const;
const FACTORS: SocialFactorKey[] = ['mental-health', 'substance-misuse', 'cannabis-use', 'alcohol-misuse', 'domestic-abuse',
  'previous-convictions', 'housing-issues', 'care-leaver', 'learning-disability', 'previous-child-removed', 'child-protection-history'];
const SITES = ['left cheek', 'right ear', 'sacrum', 'upper arm', 'forehead', 'left thigh', 'abdomen'];

/**
 * Synthetic maternity records shaped like real ones: a booking and a run of antenatal
 * contacts (some missed), for most a birth with NIPE and postnatal visits, a partner more
 * often than not, siblings and other household members, social factors and referrals at
 * the rates a safeguarding caseload shows. Sizes vary from a booking-only record (~10
 * resources) to twins with a large household (~100). Deterministic for a seed.
 */
export function generateRecords(count: number, seed = 20261130): MaternityRecord[] {
  const rnd = new Random(seed);
  return Array.from({ length: count }, (_, i) => generateRecord(rnd, i));
}

function generateRecord(rnd: Random, index: number): MaternityRecord {
  const booking = addDays('2026-01-05T09:00:00Z', rnd.int(0, 240));
  const born = rnd.chance(0.65);
  const fetusCount = rnd.chance(0.04) ? 2 : 1;
  const edd = addDays(booking, rnd.int(180, 210));
  const record: MaternityRecord = {
    recordType: 'maternity-record',
    recordId: `RHM-PREG-${String(index).padStart(6, '0')}`,
    version: rnd.int(1, 12),
    updatedAt: addDays(booking, born ? 230 : rnd.int(1, 150)),
    organisation: { odsCode: 'RHM', name: 'University Hospital Southampton' },
    mother: mother(rnd, index),
    pregnancy: {
      edd: edd.slice(0, 10), bookingDate: booking.slice(0, 10), gestationAtBookingWeeks: rnd.int(7, 14), fetusCount,
      previousLiveBirths: rnd.int(0, 3),
    },
  };
  if (rnd.chance(0.7)) record.partner = partner(rnd, index);
  const household = householdMembers(rnd, index);
  if (household.length) record.householdMembers = household;
  if (born) record.babies = babies(rnd, fetusCount, edd);
  record.contacts = contacts(rnd, record, booking);
  const factors = socialFactors(rnd, record);
  if (factors.length) record.socialFactors = factors;
  const referrals = referralsFor(rnd, record, booking);
  if (referrals.length) record.referrals = referrals;
  return record;
}

function mother(rnd: Random, index: number): MaternityRecord['mother'] {
  const [city, postcode] = rnd.pick(TOWNS);
  return {
    localId: `RHM${String(1_000_000 + index)}`,
    ...(rnd.chance(0.95) ? { nhsNumber: rnd.nhsNumber() } : {}),
    name: { family: rnd.pick(FAMILY), given: rnd.chance(0.3) ? [rnd.pick(GIVEN_F), rnd.pick(GIVEN_F)] : [rnd.pick(GIVEN_F)] },
    birthDate: `${rnd.int(1980, 2008)}-0${rnd.int(1, 9)}-${String(rnd.int(10, 28))}`,
    address: { line: [`${rnd.int(1, 200)} High Street`], city, postcode },
    gpPractice: { odsCode: `J8${String(rnd.int(2000, 2099))}` },
    ...(rnd.chance(0.8) ? { ethnicCategory: rnd.pick(['A', 'B', 'C', 'H', 'M', 'R', 'Z']) } : {}),
  };
}

function partner(rnd: Random, index: number): NonNullable<MaternityRecord['partner']> {
  if (rnd.chance(0.15)) return { known: false, relationshipToBaby: 'father' };
  return {
    known: true, localId: `RHMP${String(1_000_000 + index)}`,
    ...(rnd.chance(0.8) ? { nhsNumber: rnd.nhsNumber() } : {}),
    name: { family: rnd.pick(FAMILY), given: [rnd.pick(GIVEN_M)] },
    birthDate: `${rnd.int(1975, 2006)}-1${rnd.int(0, 2)}-${String(rnd.int(10, 28))}`,
    relationshipToBaby: rnd.chance(0.8) ? 'father' : 'mothers-partner',
    livesWithMother: rnd.chance(0.75),
  };
}

function householdMembers(rnd: Random, index: number): HouseholdMember[] {
  const count = rnd.pick([0, 0, 0, 1, 1, 2, 2, 3, 4]);
  return Array.from({ length: count }, (_, i): HouseholdMember => {
    const relationship = rnd.pick(['child', 'child', 'child', 'sibling', 'parent', 'grandparent', 'lodger', 'friend'] as const);
    const identified = rnd.chance(0.85);
    return {
      localId: `RHMH${index}-${i}`,
      ...(identified && rnd.chance(0.7) ? { nhsNumber: rnd.nhsNumber() } : {}),
      name: { family: rnd.pick(FAMILY), given: [rnd.pick(relationship === 'child' ? GIVEN_F : GIVEN_M)] },
      birthDate: relationship === 'child' ? `20${rnd.int(12, 25)}-0${rnd.int(1, 9)}-15` : `19${rnd.int(50, 99)}-0${rnd.int(1, 9)}-15`,
      relationshipToMother: relationship,
      identified,
    };
  });
}

function babies(rnd: Random, fetusCount: number, edd: string): Baby[] {
  const birth = addDays(edd, rnd.int(-21, 10));
  return Array.from({ length: fetusCount }, (_, i): Baby => ({
    localId: `B${i + 1}`,
    ...(rnd.chance(0.9) ? { nhsNumber: rnd.nhsNumber() } : {}),
    birthDate: addDays(birth, i * 0.01),
    sex: rnd.pick(['male', 'female'] as const),
    gestationWeeks: rnd.int(36, 41),
    birthWeightGrams: rnd.int(2200, 4400),
    birthOrder: i + 1,
    ...(rnd.chance(0.9) ? {
      nipe: { date: addDays(birth, 0.5), skinFindings: Array.from({ length: rnd.pick([0, 0, 0, 1, 1, 2]) }, () => skinFinding(rnd)) },
    } : {}),
  }));
}

function skinFinding(rnd: Random): Omit<Finding, 'subject'> {
  return {
    kind: rnd.pick(['birthmark', 'birthmark', 'other', 'bruise'] as const), bodySite: rnd.pick(SITES),
    ...(rnd.chance(0.3) ? { bodySiteCode: '29836001' } : {}),
    ...(rnd.chance(0.6) ? { description: 'Blue-grey mark, flat, well defined' } : {}),
  };
}

function contacts(rnd: Random, record: MaternityRecord, booking: string): Contact[] {
  const out: Contact[] = [contact(rnd, record, 'C0', 'booking', booking, 'mother')];
  const antenatal = rnd.int(3, 10);
  for (let i = 1; i <= antenatal; i++) out.push(contact(rnd, record, `C${out.length}`, 'antenatal', addDays(booking, i * 18), 'mother'));
  for (const baby of record.babies ?? []) {
    const birth = baby.birthDate!;
    out.push(contact(rnd, record, `C${out.length}`, 'discharge', addDays(birth, rnd.int(1, 3)), `baby:${baby.localId}`));
    const visits = rnd.int(2, 6);
    for (let i = 1; i <= visits; i++) out.push(contact(rnd, record, `C${out.length}`, 'postnatal', addDays(birth, i * 3), `baby:${baby.localId}`));
  }
  return out;
}

function contact(rnd: Random, record: MaternityRecord, contactId: string, type: Contact['type'], date: string, subject: string): Contact {
  if (type !== 'booking' && rnd.chance(0.1)) {
    const reason = rnd.pick(['did-not-attend', 'was-not-brought', 'cancelled-by-patient', 'cancelled-by-service'] as const);
    return { contactId, type, date, subject, attended: false, notAttendedReason: reason };
  }
  const partnerThere = !!record.partner && rnd.chance(0.4);
  const c: Contact = { contactId, type, date, subject, attended: true, present: partnerThere ? ['mother', 'partner'] : ['mother'] };
  if (type === 'booking' || rnd.chance(0.3)) {
    c.domesticAbuseEnquiry = partnerThere ? 'not-asked-partner-present' : rnd.pick(['not-disclosed', 'not-disclosed', 'disclosed'] as const);
  }
  if (type === 'postnatal' || type === 'discharge') {
    c.safeSleepDiscussed = rnd.chance(0.9);
    c.iconDiscussed = rnd.chance(0.8);
    if (rnd.chance(0.08)) c.findings = [{ ...skinFinding(rnd), subject, kind: rnd.pick(['bruise', 'injury'] as const) }];
  }
  if (rnd.chance(0.5)) c.narrative = 'Seen at home. Mother well, feeding established; plan reviewed & agreed <next visit booked>.';
  return c;
}

function socialFactors(rnd: Random, record: MaternityRecord): SocialFactor[] {
  const subjects = ['mother', ...(record.partner ? ['partner'] : []), ...(record.householdMembers ?? []).map((m) => `household:${m.localId}`)];
  const seen = new Set<string>();
  const out: SocialFactor[] = [];
  for (let i = rnd.pick([0, 0, 1, 1, 2, 3, 5]); i > 0; i--) {
    const factor = rnd.pick(FACTORS);
    const subject = rnd.pick(subjects);
    if (seen.has(`${factor}|${subject}`)) continue;
    seen.add(`${factor}|${subject}`);
    out.push({
      factor, subject, status: rnd.chance(0.7) ? 'current' : 'past', recordedAt: record.pregnancy!.bookingDate!,
      ...(factor === 'mental-health' && rnd.chance(0.5) ? { code: { system: 'http://snomed.info/sct', code: '35489007', display: 'Depressive disorder' } } : {}),
      ...(rnd.chance(0.4) ? { note: 'Disclosed at booking; support plan in place.' } : {}),
    });
  }
  return out;
}

function referralsFor(rnd: Random, record: MaternityRecord, booking: string): Referral[] {
  if (!record.socialFactors?.length || rnd.chance(0.5)) return [];
  const types = rnd.chance(0.5) ? ['unborn-baby-protocol', 'early-help'] as const : ['childrens-social-care'] as const;
  return types.map((type, i) => ({ type, date: addDays(booking, 14 + i).slice(0, 10), subject: 'mother', to: 'Southampton City Council' }));
}
