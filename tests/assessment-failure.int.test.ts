import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Flag } from '../src/fhir/types.js';
import { requeueUnfinished } from '../src/pipeline/recovery.js';
import type { Rule } from '../src/rules/rule.js';
import { startFhirRecipient, type FhirRecipient } from './support/fhir-recipient.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM, recordWithBruise } from './support/records.js';

/**
 * A family whose whole assessment fails — here a rule whose output the FHIR validator refuses,
 * so no Flag of any rule can be written — must not read as "no concern": it gets a
 * high-priority error Flag, pushed to its recipient; once the defect is fixed, the retried
 * assessment completes and withdraws it.
 */
describe.each<Mode>(['embedded', 'scaled'])('an assessment that cannot complete raises an error alert (%s)', (mode) => {
  let h: Harness;
  let hv: FhirRecipient;
  const baby = testNhsNumber(760);
  const broken: Rule = {
    id: 'test-broken-output', version: '1', title: 'Broken output', protocol: { name: 'none', url: 'https://example.org/none', learning: 'none' },
    settings: { schema: {}, defaults: {} },
    // A finding whose detail is not a string: the DetectedIssue fails R4 validation, so the transaction never happens.
    evaluate: (picture) => picture.flags.length >= 0 ? [{ subject: picture.key, priority: 'low', summary: 'x', detail: 42 as unknown as string, action: 'x', evidence: [`Patient/${picture.key}`] }] : [],
  };

  beforeAll(async () => {
    hv = await startFhirRecipient();
    h = await startHarness(mode, { config: { recipients: [{ id: 'hv', kind: 'health-visiting', endpoint: { baseUrl: hv.baseUrl }, routing: { postcodePrefixes: ['SO16'] } }] } });
  });
  afterAll(async () => {
    await h?.close();
    await hv?.close();
  });

  const flagsOf = async () => ((await (await h.request(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${baby}`)}`)).json()) as Bundle)
    .entry?.map((e) => e.resource as Flag) ?? [];
  const ruleOf = (f: Flag) => f.extension?.find((e) => e.url.endsWith('rule-version'))?.valueString?.split('@')[0];

  it('raises a high-priority error Flag on the baby and pushes it; the fixed assessment withdraws it', async () => {
    const rules = h.rt.rules;
    Object.assign(h.rt, { rules: [...rules, broken] });
    await h.postRecord('maternity', recordWithBruise({ recordId: 'ASSESS-FAIL', motherNhs: testNhsNumber(761), babyNhs: baby, ageDays: 20 }));
    const [error] = await h.waitFor(async () => {
      const flags = (await flagsOf()).filter((f) => ruleOf(f) === 'assessment');
      return flags.length > 0 && flags;
    }, 30_000);
    expect(error!.status).toBe('active');
    expect(error!.code.coding![0]!.code).toBe('rule-error');
    expect(error!.code.text).toMatch(/could not assess this family/);
    expect(error!.extension!.find((e) => e.url.endsWith('flag-priority'))!.valueCodeableConcept!.coding![0]!.code).toBe('PH');
    // The bruise itself could not be written: the error Flag is the only alert, and the recipient has it.
    expect((await flagsOf()).filter((f) => f.code.coding![0]!.code === 'bruising-non-mobile-infant')).toEqual([]);
    await h.waitFor(async () => hv.flags().get(error!.id!)?.status === 'active');

    // The defect is fixed; the sweep retries the family, which is still owed an assessment.
    Object.assign(h.rt, { rules });
    await requeueUnfinished(h.rt, 0);
    await h.waitFor(async () => (await flagsOf()).some((f) => f.code.coding![0]!.code === 'bruising-non-mobile-infant' && f.status === 'active'), 30_000);
    const after = await flagsOf();
    expect(after.find((f) => f.id === error!.id)!.status).toBe('inactive');
    await h.waitFor(async () => hv.flags().get(error!.id!)?.status === 'inactive');
  }, 90_000);
});
