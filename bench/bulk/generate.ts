import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { nhsNumbers } from '../support/nhs.js';
import { maternityMessage } from '../pipeline/workload.js';

const DAY = 86_400_000;

/**
 * A maternity backfill: `count` BadgerNet-style records (≈3 KB each, one JSON file per
 * record, as an export lands), of families whose babies were born one to two years before
 * `now`, spread over the year — history being loaded, not today's work. NHS numbers from the 999 range, from
 * `nhsOffset` on. Returns the directory's file count.
 */
export function writeMaternityBackfill(dir: string, count: number, nhsOffset: number, now = Date.now()): number {
  mkdirSync(dir, { recursive: true });
  const nhs = nhsNumbers(nhsOffset, count * 3);
  for (let i = 0; i < count; i++) {
    // Spread over a year of births (one to two years ago), as a real backfill is.
    const then = now - (365 + (i % 365)) * DAY;
    const m = maternityMessage(`bulk-${i}`, { mother: nhs[3 * i]!, partner: nhs[3 * i + 1]!, baby: nhs[3 * i + 2]! }, then);
    writeFileSync(join(dir, `record-${String(i).padStart(6, '0')}.json`), m.body);
  }
  return count;
}

/**
 * One local authority's CIN census return with `children` children, in the DfE schema of
 * mappings/cin-census/cases: a third with a child protection plan, the rest children in
 * need with an assessment. Written as a stream (a big return is tens of MB).
 */
export async function writeCinReturn(file: string, children: number, now = Date.now()): Promise<void> {
  const out = createWriteStream(file);
  const year = new Date(now).getUTCFullYear();
  const day = (offset: number) => new Date(now + offset * DAY).toISOString().slice(0, 10);
  out.write(`<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n      <Collection>CIN</Collection>\n`
    + `      <Year>${year}</Year>\n      <ReferenceDate>${year}-03-31</ReferenceDate>\n    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n`
    + `      <LEA>850</LEA>\n      <SoftwareCode>Local Authority</SoftwareCode>\n      <Release>ver 3.1.21</Release>\n      <SerialNo>001</SerialNo>\n`
    + `      <DateTime>${day(0)}T09:30:00</DateTime>\n    </Source>\n  </Header>\n  <Children>\n`);
  for (let i = 0; i < children; i++) {
    if (!out.write(child(i, day))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end('  </Children>\n</Message>\n');
  await finished(out);
}

function child(i: number, day: (offset: number) => string): string {
  const born = -70 - (i % 3000);
  const plan = i % 3 === 0
    ? `        <ChildProtectionPlans>\n          <CPPstartDate>${day(-20)}</CPPstartDate>\n          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>\n`
      + `          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>\n          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>\n        </ChildProtectionPlans>\n`
    : '';
  return `    <Child>\n      <ChildIdentifiers>\n        <LAchildID>BULK-C-${i}</LAchildID>\n        <PersonBirthDate>${day(born)}</PersonBirthDate>\n`
    + `        <GenderCurrent>${1 + (i % 2)}</GenderCurrent>\n      </ChildIdentifiers>\n      <ChildCharacteristics>\n        <Ethnicity>WBRI</Ethnicity>\n`
    + `        <Disabilities>\n          <Disability>NONE</Disability>\n        </Disabilities>\n      </ChildCharacteristics>\n      <CINdetails>\n`
    + `        <CINreferralDate>${day(-60)}</CINreferralDate>\n        <ReferralSource>3B</ReferralSource>\n        <PrimaryNeedCode>N1</PrimaryNeedCode>\n`
    + `        <Assessments>\n          <AssessmentActualStartDate>${day(-58)}</AssessmentActualStartDate>\n          <AssessmentAuthorisationDate>${day(-40)}</AssessmentAuthorisationDate>\n`
    + `          <FactorsIdentifiedAtAssessment>\n            <AssessmentFactors>2B</AssessmentFactors>\n            <AssessmentFactors>21</AssessmentFactors>\n`
    + `          </FactorsIdentifiedAtAssessment>\n        </Assessments>\n        <ReferralNFA>false</ReferralNFA>\n${plan}      </CINdetails>\n    </Child>\n`;
}
