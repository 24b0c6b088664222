import type { CategoryOfAbuse, HouseholdMember, Name } from '../record.js';

/**
 * The facts of children's social care in one neutral shape, whichever way they arrive
 * (a socialcare event, a CIN census return): both sources build these and share the FHIR
 * builders beside this file, so a plan gets the same resource shape from either.
 */
export interface LaFacts {
  /** How `code` identifies the authority: ONS GSS code (events) or DfE LA number (CIN census LEA). */
  scheme: 'gss' | 'dfe';
  code: string;
  name?: string;
  phone?: string;
  emergencyDutyPhone?: string;
}

export interface ChildFacts {
  laChildId: string;
  nhsNumber?: string;
  name?: Name;
  birthDate?: string;
  expectedBirthDate?: string;
  motherNhsNumber?: string;
  gender?: 'male' | 'female' | 'other' | 'unknown';
  deathDate?: string;
  upn?: string;
  address?: { line?: string[]; city?: string; postcode?: string };
}

/** `cin-episode` is the case (referral to closure); the rest are plans within it. */
export type EpisodeKind = 'cin-episode' | 'cin-plan' | 'cp-plan' | 'lac';

export interface EpisodeFacts {
  kind: EpisodeKind;
  startDate: string;
  endDate?: string;
  /** CP plans: the latest category (the CIN census LatestCategoryOfAbuse). */
  categoryOfAbuse?: CategoryOfAbuse;
  initialCategoryOfAbuse?: CategoryOfAbuse;
  /** cin-episode: CIN census ReasonForClosure code. */
  reasonForClosure?: string;
}

export interface FactorFacts {
  /** CIN census assessment factor codes; 21 ("no factors identified") produces nothing. */
  codes: readonly string[];
  /** When the factors were identified (assessment completed or authorised). */
  recordedDate: string;
  /** What makes the assessment unique within the child, for ids: its start date, or the event id. */
  assessmentKey: string;
  /** False once the episode the assessment belongs to has closed. */
  current: boolean;
}

export interface ReferralFacts {
  date: string;
  referralSource?: string;
  primaryNeed?: string;
  /** False once the episode the referral opened has closed. */
  open: boolean;
}

export type { HouseholdMember };
