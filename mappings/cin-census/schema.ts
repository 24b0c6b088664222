import type { CodeSystem } from '../../src/fhir/types.js';
import { readPackageJson } from '../../src/util/package-root.js';

/**
 * The CIN census XSD (CIN_schema_2023.xsd, identical to the 2024 schema; liia-tools, MIT)
 * as data: which elements each element may hold, how often, and the type of each value.
 * Code lists Cradle publishes as CodeSystems are read from profiles/, so the validator and
 * the FHIR codes can never disagree.
 *
 * Two deliberate differences from the XSD, both because they matter for safeguarding:
 * the Header must name the authority (Source/LEA; the XSD allows neither), and
 * NumberOfPreviousCPP may be 0 (the XSD says positiveInteger, which would reject a child's
 * first plan). Element order is not enforced: it changes no meaning.
 */
export type ValueType =
  | { kind: 'string' } | { kind: 'date' } | { kind: 'dateTime' } | { kind: 'gYear' } | { kind: 'count' }
  | { kind: 'code'; codes: ReadonlySet<string> } | { kind: 'pattern'; pattern: RegExp; describe: string };

export interface ElementSpec {
  name: string;
  min: number;
  max: number;
  /** A value type for leaf elements, or the elements a complex element holds. */
  content: ValueType | readonly ElementSpec[];
}

const MANY = Number.POSITIVE_INFINITY;
const el = (name: string, min: number, max: number, content: ElementSpec['content']): ElementSpec => ({ name, min, max, content });
const STRING: ValueType = { kind: 'string' };
const DATE: ValueType = { kind: 'date' };
const codes = (...list: string[]): ValueType => ({ kind: 'code', codes: new Set(list) });
const published = (id: string): ValueType => codes(...(readPackageJson<CodeSystem>(`profiles/CodeSystem-${id}.json`).concept ?? []).map((c) => c.code));
const YES_NO = codes('true', 'false', 'TRUE', 'FALSE', '0', '1');
const UPN: ValueType = { kind: 'pattern', pattern: /^[A-Za-z](\d{12}|\d{11}[A-Za-z])$/, describe: 'a UPN (a letter then 12 digits, or 11 digits and a letter)' };

const HEADER: readonly ElementSpec[] = [
  el('CollectionDetails', 0, 1, [el('Collection', 0, 1, codes('CIN')), el('Year', 0, 1, { kind: 'gYear' }), el('ReferenceDate', 0, 1, DATE)]),
  el('Source', 1, MANY, [
    el('SourceLevel', 0, 1, codes('L')),
    el('LEA', 1, 1, { kind: 'pattern', pattern: /^\d{3}$/, describe: 'a three-digit DfE LA number' }),
    el('SoftwareCode', 0, 1, STRING), el('Release', 0, 1, STRING),
    el('SerialNo', 0, 1, { kind: 'pattern', pattern: /^\d{3,}$/, describe: 'three or more digits' }),
    el('DateTime', 0, 1, { kind: 'dateTime' }),
  ]),
];

const IDENTIFIERS: readonly ElementSpec[] = [
  el('LAchildID', 1, 1, { kind: 'pattern', pattern: /\S/, describe: 'not empty' }),
  el('UPN', 0, 1, UPN), el('FormerUPN', 0, 1, UPN),
  el('UPNunknown', 0, 1, codes('UN1', 'UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7')),
  el('PersonBirthDate', 0, 1, DATE), el('ExpectedPersonBirthDate', 0, 1, DATE),
  el('GenderCurrent', 1, 1, codes('0', '1', '2', '9')),
  el('PersonDeathDate', 0, 1, DATE),
];

const CHARACTERISTICS: readonly ElementSpec[] = [
  el('Ethnicity', 1, 1, codes('WBRI', 'WIRI', 'WIRT', 'WOTH', 'WROM', 'MWBC', 'MWBA', 'MWAS', 'MOTH', 'AIND', 'APKN', 'ABAN', 'AOTH',
    'BCRB', 'BAFR', 'BOTH', 'CHNE', 'OOTH', 'REFU', 'NOBT')),
  el('Disabilities', 0, 1, [el('Disability', 1, MANY, codes('NONE', 'MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT', 'DDA'))]),
];

const CIN_DETAILS: readonly ElementSpec[] = [
  el('CINreferralDate', 1, 1, DATE),
  el('ReferralSource', 1, 1, published('cin-referral-source')),
  el('PrimaryNeedCode', 0, 1, published('cin-primary-need')),
  el('CINclosureDate', 0, 1, DATE),
  el('ReasonForClosure', 0, 1, published('cin-reason-for-closure')),
  el('DateOfInitialCPC', 0, 1, DATE),
  el('Assessments', 0, MANY, [
    el('AssessmentActualStartDate', 1, 1, DATE), el('AssessmentInternalReviewDate', 0, 1, DATE), el('AssessmentAuthorisationDate', 0, 1, DATE),
    el('FactorsIdentifiedAtAssessment', 0, 1, [el('AssessmentFactors', 1, MANY, published('cin-assessment-factor'))]),
  ]),
  el('CINPlanDates', 0, MANY, [el('CINPlanStartDate', 1, 1, DATE), el('CINPlanEndDate', 0, 1, DATE)]),
  el('Section47', 0, MANY, [el('S47ActualStartDate', 1, 1, DATE), el('InitialCPCtarget', 0, 1, DATE), el('DateOfInitialCPC', 0, 1, DATE), el('ICPCnotRequired', 1, 1, YES_NO)]),
  el('ReferralNFA', 1, 1, YES_NO),
  el('ChildProtectionPlans', 0, MANY, [
    el('CPPstartDate', 1, 1, DATE), el('CPPendDate', 0, 1, DATE),
    el('InitialCategoryOfAbuse', 1, 1, published('cin-category-of-abuse')), el('LatestCategoryOfAbuse', 1, 1, published('cin-category-of-abuse')),
    el('NumberOfPreviousCPP', 1, 1, { kind: 'count' }),
    el('Reviews', 0, 1, [el('CPPreviewDate', 1, MANY, DATE)]),
  ]),
];

/** `Message` holding one child: what a part of a return is. */
export const MESSAGE: ElementSpec = el('Message', 1, 1, [
  el('Header', 1, 1, HEADER),
  el('Children', 1, 1, [el('Child', 1, MANY, [
    el('ChildIdentifiers', 1, 1, IDENTIFIERS),
    el('ChildCharacteristics', 1, 1, CHARACTERISTICS),
    el('CINdetails', 1, MANY, CIN_DETAILS),
  ])]),
]);

/** The Header alone, checked once per return before it is split. */
export const HEADER_SPEC: ElementSpec = (MESSAGE.content as readonly ElementSpec[]).find((e) => e.name === 'Header')!;
