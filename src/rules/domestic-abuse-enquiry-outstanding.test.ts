import { describe, expect, it } from 'vitest';
import { CS } from '../fhir/canonical.js';
import { domesticAbuseEnquiryOutstanding as rule } from './domestic-abuse-enquiry-outstanding.js';
import { PictureBuilder } from './picture.fixture.js';

const ctx = { now: '2026-12-01T00:00:00Z', settings: {} };
const enquiry = (b: PictureBuilder, at: string, outcome: string) => b.observation('mum', 'domestic-abuse-enquiry', at, { valueCodeableConcept: { coding: [{ system: CS.daEnquiryOutcome, code: outcome }] } });

describe('domestic-abuse-enquiry-outstanding', () => {
  it('fires while the latest enquiry could not be asked because the partner was present', () => {
    const picture = enquiry(new PictureBuilder('mum').baby('b1', '2026-11-01T08:00:00Z'), '2026-11-28T11:00:00Z', 'not-asked-partner-present').build();
    expect(rule.evaluate(picture, ctx)[0]!.detail).toMatch(/could not be asked at the contact on 28 Nov 2026 .* because the partner was present/);
  });

  it('is silent once asked since', () => {
    const b = enquiry(new PictureBuilder('mum').baby('b1', '2026-11-01T08:00:00Z'), '2026-11-28T11:00:00Z', 'not-asked-partner-present');
    expect(rule.evaluate(enquiry(b, '2026-11-30T11:00:00Z', 'not-disclosed').build(), ctx)).toEqual([]);
  });
});
