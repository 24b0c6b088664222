/**
 * Canonical URLs and identifier systems used by Cradle. One place, so that a deployment
 * can see every URI Cradle mints and so that profiles, mappings and rules agree.
 */
export const CRADLE_BASE = 'https://fhir.cradle.org.uk';

export const CS = {
  safeguardingRule: `${CRADLE_BASE}/CodeSystem/safeguarding-rule`,
  flagCategory: `${CRADLE_BASE}/CodeSystem/flag-category`,
  socialFactor: `${CRADLE_BASE}/CodeSystem/social-factor`,
  findingKind: `${CRADLE_BASE}/CodeSystem/finding-kind`,
  contactType: `${CRADLE_BASE}/CodeSystem/contact-type`,
  notAttendedReason: `${CRADLE_BASE}/CodeSystem/not-attended-reason`,
  daEnquiryOutcome: `${CRADLE_BASE}/CodeSystem/domestic-abuse-enquiry-outcome`,
  referralType: `${CRADLE_BASE}/CodeSystem/referral-type`,
  observationType: `${CRADLE_BASE}/CodeSystem/observation-type`,
  relationshipToBaby: `${CRADLE_BASE}/CodeSystem/relationship-to-baby`,
  relationshipToMother: `${CRADLE_BASE}/CodeSystem/relationship-to-mother`,
  issueCode: `${CRADLE_BASE}/CodeSystem/issue-code`,
  tag: `${CRADLE_BASE}/CodeSystem/tag`,
  familyRole: `${CRADLE_BASE}/CodeSystem/family-role`,
  agency: `${CRADLE_BASE}/CodeSystem/agency`,
  healthNeed: `${CRADLE_BASE}/CodeSystem/health-need`,
  sourceSystem: `${CRADLE_BASE}/CodeSystem/source`,
  // Children's social care (socialcare events, CIN census): DfE code lists published as CodeSystems.
  socialCareEpisode: `${CRADLE_BASE}/CodeSystem/socialcare-episode-type`,
  cinCategoryOfAbuse: `${CRADLE_BASE}/CodeSystem/cin-category-of-abuse`,
  cinAssessmentFactor: `${CRADLE_BASE}/CodeSystem/cin-assessment-factor`,
  cinReasonForClosure: `${CRADLE_BASE}/CodeSystem/cin-reason-for-closure`,
  cinPrimaryNeed: `${CRADLE_BASE}/CodeSystem/cin-primary-need`,
  cinReferralSource: `${CRADLE_BASE}/CodeSystem/cin-referral-source`,
  relationshipToChild: `${CRADLE_BASE}/CodeSystem/relationship-to-child`,
} as const;

export const EXT = {
  ruleVersion: `${CRADLE_BASE}/StructureDefinition/rule-version`,
  relationshipToBaby: `${CRADLE_BASE}/StructureDefinition/relationship-to-baby`,
  identified: `${CRADLE_BASE}/StructureDefinition/person-identified`,
  livesWithMother: `${CRADLE_BASE}/StructureDefinition/lives-with-mother`,
  socialFactorStatus: `${CRADLE_BASE}/StructureDefinition/social-factor-status`,
  about: `${CRADLE_BASE}/StructureDefinition/about-related-person`,
  workflowEpisodeOfCare: 'http://hl7.org/fhir/StructureDefinition/workflow-episodeOfCare',
  familyRole: `${CRADLE_BASE}/StructureDefinition/family-role`,
  edgeSource: `${CRADLE_BASE}/StructureDefinition/edge-source`,
  registeredPractice: `${CRADLE_BASE}/StructureDefinition/registered-practice`,
  responsibleTeam: `${CRADLE_BASE}/StructureDefinition/responsible-team`,
  flagPriority: 'http://hl7.org/fhir/StructureDefinition/flag-priority',
  flagDetail: 'http://hl7.org/fhir/StructureDefinition/flag-detail',
  birthTime: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime',
  ethnicCategory: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory',
  expectedBirthDate: `${CRADLE_BASE}/StructureDefinition/expected-birth-date`,
  referralSource: `${CRADLE_BASE}/StructureDefinition/referral-source`,
  episodeEndReason: `${CRADLE_BASE}/StructureDefinition/episode-end-reason`,
  /** FHIR Extensions Pack 5.2.0 `patient-fetalStatus` (valueCode from {@link SYSTEM.fetalStatus}): a Patient not yet born. */
  fetalStatus: 'http://hl7.org/fhir/StructureDefinition/patient-fetalStatus',
} as const;

export const SYSTEM = {
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  odsOrganisation: 'https://fhir.nhs.uk/Id/ods-organization-code',
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  v3RoleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  flagPriority: 'http://hl7.org/fhir/flag-priority-code',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  ethnicCategoryEngland: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland',
  provenanceParticipantType: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  auditEventType: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  restfulInteraction: 'http://hl7.org/fhir/restful-interaction',
  auditEventOutcome: 'http://hl7.org/fhir/audit-event-outcome',
  /** Identifiers Cradle mints: inbound messages, flags, detected issues. */
  inboundMessage: `${CRADLE_BASE}/Id/inbound-message`,
  flag: `${CRADLE_BASE}/Id/flag`,
  detectedIssue: `${CRADLE_BASE}/Id/detected-issue`,
  client: `${CRADLE_BASE}/Id/client`,
  recipient: `${CRADLE_BASE}/Id/recipient`,
  family: `${CRADLE_BASE}/Id/family`,
  fetalStatus: 'http://hl7.org/fhir/patient-fetalstatus',
  /** A local authority by ONS GSS code (socialcare events, e.g. E10000014) or DfE LA number (CIN census LEA, e.g. 850). */
  laGssCode: `${CRADLE_BASE}/Id/local-authority-gss`,
  laDfeNumber: `${CRADLE_BASE}/Id/local-authority-dfe`,
  /** DfE Unique Pupil Number (CIN census UPN). */
  upn: `${CRADLE_BASE}/Id/upn`,
  /** An unborn child, as CP-IS identifies one: see {@link unbornChildIdentifier}. */
  unbornChild: `${CRADLE_BASE}/Id/unborn-child`,
} as const;

/** The identifier system for a source system's local ids, e.g. a trust's maternity patient ids. */
export function localIdSystem(odsCode: string, kind: string): string {
  return `${CRADLE_BASE}/Id/local/${encodeURIComponent(odsCode)}/${encodeURIComponent(kind)}`;
}

/**
 * The identifier of an unborn child: CP-IS identifies an unborn child only through the
 * mother's NHS number and the expected date of birth (DOMAIN.md section 1), so Cradle's
 * identifier is exactly that pair, `<mother NHS number>|<YYYY-MM-DD>`. Social care mappings
 * put it on the unborn child's Patient (with the fetal-status and expected-birth-date
 * extensions and a MTH RelatedPerson); identity attaches it to the baby once the birth of
 * a child of that mother near that date arrives.
 */
export function unbornChildIdentifier(motherNhsNumber: string, expectedBirthDate: string): { system: string; value: string } {
  return { system: SYSTEM.unbornChild, value: `${motherNhsNumber}|${expectedBirthDate}` };
}

export const PROFILE = {
  safeguardingFlag: `${CRADLE_BASE}/StructureDefinition/CradleSafeguardingFlag`,
  safeguardingDetectedIssue: `${CRADLE_BASE}/StructureDefinition/CradleSafeguardingDetectedIssue`,
  ukCorePatient: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient',
  ukCoreRelatedPerson: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-RelatedPerson',
  ukCoreObservation: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation',
  ukCoreCondition: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Condition',
  ukCoreEncounter: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter',
  ukCoreEpisodeOfCare: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-EpisodeOfCare',
  ukCoreAppointment: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Appointment',
  ukCoreServiceRequest: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest',
  ukCoreProvenance: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Provenance',
  ukCoreFlag: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Flag',
  ukCoreAuditEvent: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-AuditEvent',
  ukCoreOrganization: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization',
} as const;
