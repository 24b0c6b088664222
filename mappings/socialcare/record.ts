/** The `socialcare` source contract as TypeScript (contract.schema.json is the published form; CONTRACTS.md). */
export interface SocialCareEvent {
  recordType: 'socialcare-event';
  /** The idempotency key: the same event sent twice changes nothing. */
  eventId: string;
  localAuthority: LocalAuthority;
  occurredAt: string;
  event: SocialCareEventType;
  child: Child;
  details?: Details;
}

export type SocialCareEventType =
  | 'referral' | 'assessment-completed' | 'cin-plan-start' | 'cin-plan-end' | 'cp-plan-start' | 'cp-plan-end'
  | 'lac-start' | 'lac-end' | 'case-open' | 'case-closed' | 'household-updated';

export interface LocalAuthority {
  /** ONS GSS code of the local authority, e.g. E10000014 (Hampshire). */
  code: string;
  name?: string;
  /** Office-hours phone, as CP-IS shares it. */
  phone?: string;
  emergencyDutyPhone?: string;
}

export interface Name { family?: string; given?: string[] }

export interface Child {
  laChildId: string;
  nhsNumber?: string;
  name?: Name;
  birthDate?: string;
  /** With `motherNhsNumber`, identifies a child not yet born (CP-IS unborn plans). */
  expectedBirthDate?: string;
  motherNhsNumber?: string;
  sex?: 'male' | 'female' | 'other' | 'unknown';
  address?: { line?: string[]; city?: string; postcode?: string };
}

export type CategoryOfAbuse = 'NEG' | 'PHY' | 'SAB' | 'EMO' | 'MUL';

export type RelationshipToChild =
  | 'mother' | 'father' | 'step-mother' | 'step-father' | 'parents-partner' | 'sibling' | 'half-sibling' | 'step-sibling'
  | 'grandparent' | 'other-relative' | 'foster-carer' | 'lodger' | 'friend' | 'other' | 'unknown';

export interface HouseholdMember {
  /** The local authority's own person id, when it has one. */
  localId?: string;
  nhsNumber?: string;
  name?: Name;
  birthDate?: string;
  relationshipToChild: RelationshipToChild;
}

export interface Details {
  /** The start of the plan, case or assessment the event is about; identifies a plan on its end event. */
  startDate?: string;
  /** The end of a plan or case (end events); defaults to the date of `occurredAt`. */
  endDate?: string;
  categoryOfAbuse?: CategoryOfAbuse;
  /** CIN census assessment factor codes (1A–24A). */
  assessmentFactors?: string[];
  /** The whole household as known when the event occurred. */
  householdMembers?: HouseholdMember[];
  /** CIN census code lists. */
  referralSource?: string;
  primaryNeed?: string;
  reasonForClosure?: string;
}
