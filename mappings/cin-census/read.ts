import type { Issue } from '../../src/fhir/outcome.js';
import type { CategoryOfAbuse } from '../socialcare/record.js';
import { invalid, missing } from './validate.js';
import type { XmlNode } from './xml.js';

/** One CIN census child as Cradle reads it, after the schema check. */
export interface CinHeader { lea: string; year?: string; referenceDate?: string; generatedAt?: string }

export interface CinChild {
  /** 1-based position in the return. */
  index: number;
  laChildId: string;
  upn?: string;
  birthDate?: string;
  expectedBirthDate?: string;
  gender: string;
  deathDate?: string;
  episodes: CinEpisode[];
}

export interface CinEpisode {
  referralDate: string;
  referralSource: string;
  primaryNeed?: string;
  closureDate?: string;
  reasonForClosure?: string;
  assessments: Array<{ start: string; authorised?: string; factors: string[] }>;
  cinPlans: Array<{ start: string; end?: string }>;
  cpPlans: Array<{ start: string; end?: string; initial: CategoryOfAbuse; latest: CategoryOfAbuse }>;
}

export function readHeader(header: XmlNode): CinHeader {
  const details = first(header, 'CollectionDetails');
  return {
    lea: value(first(header, 'Source')!, 'LEA')!,
    ...optional('year', details && value(details, 'Year')?.slice(0, 4)),
    ...optional('referenceDate', details && date(details, 'ReferenceDate')),
    ...optional('generatedAt', value(first(header, 'Source')!, 'DateTime')),
  };
}

export function readChild(child: XmlNode, index: number): CinChild {
  const ids = first(child, 'ChildIdentifiers')!;
  return {
    index,
    laChildId: value(ids, 'LAchildID')!,
    ...optional('upn', value(ids, 'UPN')),
    ...optional('birthDate', date(ids, 'PersonBirthDate')),
    ...optional('expectedBirthDate', date(ids, 'ExpectedPersonBirthDate')),
    gender: value(ids, 'GenderCurrent')!,
    ...optional('deathDate', date(ids, 'PersonDeathDate')),
    episodes: all(child, 'CINdetails').map(readEpisode),
  };
}

function readEpisode(d: XmlNode): CinEpisode {
  return {
    referralDate: date(d, 'CINreferralDate')!,
    referralSource: value(d, 'ReferralSource')!,
    ...optional('primaryNeed', value(d, 'PrimaryNeedCode')),
    ...optional('closureDate', date(d, 'CINclosureDate')),
    ...optional('reasonForClosure', value(d, 'ReasonForClosure')),
    assessments: all(d, 'Assessments').map((a) => ({
      start: date(a, 'AssessmentActualStartDate')!,
      ...optional('authorised', date(a, 'AssessmentAuthorisationDate')),
      factors: all(first(a, 'FactorsIdentifiedAtAssessment'), 'AssessmentFactors').map((f) => f.text),
    })),
    cinPlans: all(d, 'CINPlanDates').map((p) => ({ start: date(p, 'CINPlanStartDate')!, ...optional('end', date(p, 'CINPlanEndDate')) })),
    cpPlans: all(d, 'ChildProtectionPlans').map((p) => ({
      start: date(p, 'CPPstartDate')!, ...optional('end', date(p, 'CPPendDate')),
      initial: value(p, 'InitialCategoryOfAbuse') as CategoryOfAbuse, latest: value(p, 'LatestCategoryOfAbuse') as CategoryOfAbuse,
    })),
  };
}

/**
 * Rules beyond the XSD that Cradle needs: a child must be identifiable (a birth date or,
 * unborn, an expected one: the census carries no name or NHS number), and no period may
 * end before it starts (the status of a plan would be wrong).
 */
export function childIssues(c: CinChild): Issue[] {
  const at = `/Message/Children/Child[${c.index}]`;
  const issues: Issue[] = [];
  if (!c.birthDate && !c.expectedBirthDate) {
    issues.push(missing(`${at}/ChildIdentifiers/PersonBirthDate`, 'or ExpectedPersonBirthDate is required: without either the child cannot be identified'));
  }
  c.episodes.forEach((e, i) => {
    const ep = `${at}/CINdetails[${i + 1}]`;
    if (e.closureDate && e.closureDate < e.referralDate) issues.push(before(`${ep}/CINclosureDate`, 'CINreferralDate'));
    e.cinPlans.forEach((p, j) => { if (p.end && p.end < p.start) issues.push(before(`${ep}/CINPlanDates[${j + 1}]/CINPlanEndDate`, 'CINPlanStartDate')); });
    e.cpPlans.forEach((p, j) => { if (p.end && p.end < p.start) issues.push(before(`${ep}/ChildProtectionPlans[${j + 1}]/CPPendDate`, 'CPPstartDate')); });
  });
  return [...issues, ...repeatedStarts(c, at)];
}

/** A case or plan is identified by its start: two starting the same day would be one resource saying two things. */
function repeatedStarts(c: CinChild, at: string): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const check = (key: string, path: string, what: string) => {
    if (seen.has(key)) issues.push({ ...invalid(path, `repeats the start date of an earlier ${what} of this child`), code: 'CRADLE_INPUT_INCONSISTENT' });
    seen.add(key);
  };
  c.episodes.forEach((e, i) => {
    const ep = `${at}/CINdetails[${i + 1}]`;
    check(`episode|${e.referralDate}`, `${ep}/CINreferralDate`, 'CINdetails');
    e.cinPlans.forEach((p, j) => check(`cin|${p.start}`, `${ep}/CINPlanDates[${j + 1}]/CINPlanStartDate`, 'CIN plan'));
    e.cpPlans.forEach((p, j) => check(`cp|${p.start}`, `${ep}/ChildProtectionPlans[${j + 1}]/CPPstartDate`, 'child protection plan'));
  });
  return issues;
}

function before(path: string, start: string): Issue {
  return { ...invalid(path, `is before ${start}`), code: 'CRADLE_INPUT_INCONSISTENT' };
}

function first(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

function all(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((c) => c.name === name) ?? [];
}

function value(node: XmlNode, name: string): string | undefined {
  const text = first(node, name)?.text;
  return text === undefined || text === '' ? undefined : text;
}

/** xs:date may carry a zone; FHIR `date` may not. The census gives local dates. */
function date(node: XmlNode, name: string): string | undefined {
  return value(node, name)?.slice(0, 10);
}

function optional<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}
