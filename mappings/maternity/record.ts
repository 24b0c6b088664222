/** The `maternity` source contract as TypeScript (contract.schema.json is the published form). */
export interface MaternityRecord {
  recordType: 'maternity-record';
  recordId: string;
  version: number;
  updatedAt: string;
  organisation: { odsCode: string; name?: string };
  mother: Person & { localId: string; birthDate: string; address?: Address; gpPractice?: { odsCode: string }; ethnicCategory?: string };
  partner?: Person & { known: boolean; relationshipToBaby?: 'father' | 'mothers-partner' | 'other'; livesWithMother?: boolean };
  householdMembers?: HouseholdMember[];
  pregnancy?: { edd?: string; bookingDate?: string; gestationAtBookingWeeks?: number; fetusCount?: number; previousLiveBirths?: number };
  socialFactors?: SocialFactor[];
  contacts?: Contact[];
  babies?: Baby[];
  referrals?: Referral[];
}

export interface Person {
  localId?: string;
  nhsNumber?: string;
  name?: { family?: string; given?: string[] };
  birthDate?: string;
}

export interface Address { line?: string[]; city?: string; postcode?: string }

export type RelationshipToMother = 'partner' | 'parent' | 'child' | 'sibling' | 'grandparent' | 'lodger' | 'friend' | 'other' | 'unknown';

export interface HouseholdMember extends Person {
  localId: string;
  relationshipToMother: RelationshipToMother;
  identified?: boolean;
}

export type SocialFactorKey =
  | 'mental-health' | 'substance-misuse' | 'cannabis-use' | 'alcohol-misuse' | 'domestic-abuse' | 'previous-convictions'
  | 'housing-issues' | 'care-leaver' | 'learning-disability' | 'previous-child-removed' | 'child-protection-history';

/** `mother`, `partner`, `household:<localId>`, `baby:<localId>`. */
export type SubjectRef = string;

export interface SocialFactor {
  factor: SocialFactorKey;
  subject: SubjectRef;
  status: 'current' | 'past';
  recordedAt?: string;
  code?: { system: string; code: string; display?: string };
  note?: string;
}

export type FindingKind = 'bruise' | 'injury' | 'birthmark' | 'other';

export interface Finding {
  subject: SubjectRef;
  kind: FindingKind;
  bodySite?: string;
  bodySiteCode?: string;
  description?: string;
}

export interface Contact {
  contactId: string;
  type: 'booking' | 'antenatal' | 'postnatal' | 'nipe' | 'discharge';
  date: string;
  subject: SubjectRef;
  attended: boolean;
  notAttendedReason?: 'did-not-attend' | 'was-not-brought' | 'cancelled-by-patient' | 'cancelled-by-service';
  present?: string[];
  domesticAbuseEnquiry?: 'disclosed' | 'not-disclosed' | 'not-asked-partner-present' | 'not-asked-other';
  safeSleepDiscussed?: boolean;
  iconDiscussed?: boolean;
  findings?: Finding[];
  narrative?: string;
}

export interface Baby {
  localId: string;
  nhsNumber?: string;
  birthDate?: string;
  sex?: 'male' | 'female' | 'other' | 'unknown';
  gestationWeeks?: number;
  birthWeightGrams?: number;
  birthOrder?: number;
  nipe?: { date: string; skinFindings?: Array<Omit<Finding, 'subject'>> };
}

export interface Referral {
  type: 'unborn-baby-protocol' | 'childrens-social-care' | 'early-help' | 'mash';
  date: string;
  subject: SubjectRef;
  to?: string;
}
