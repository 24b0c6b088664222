import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MaternityRecord } from '../../mappings/maternity/record.js';
import { packageRoot } from '../../src/util/package-root.js';

/** The CONTRACTS.md example: a bruise on the left cheek of a 10-day-old, a NIPE birthmark on the sacrum. */
export function fullRecord(): MaternityRecord {
  return JSON.parse(readFileSync(join(packageRoot, 'mappings/maternity/cases/full.input.json'), 'utf8')) as MaternityRecord;
}

export const BABY_NHS = '9434765846';
export const MOTHER_NHS = '9434765919';
export const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** A maternity record for a different family, with a bruise seen at `ageDays` old. */
export function recordWithBruise(opts: { recordId: string; motherNhs: string; babyNhs: string; ageDays: number; version?: number; gp?: string; postcode?: string; site?: string }): MaternityRecord {
  const born = Date.parse('2026-10-01T08:00:00Z');
  const seen = new Date(born + opts.ageDays * 86_400_000).toISOString();
  return {
    recordType: 'maternity-record', recordId: opts.recordId, version: opts.version ?? 1, updatedAt: seen,
    organisation: { odsCode: 'RHM', name: 'University Hospital Southampton' },
    mother: { localId: `M-${opts.recordId}`, nhsNumber: opts.motherNhs, birthDate: '1995-01-01',
      address: { postcode: opts.postcode ?? 'SO16 6YD' }, gpPractice: { odsCode: opts.gp ?? 'J82001' } },
    babies: [{ localId: 'B1', nhsNumber: opts.babyNhs, birthDate: '2026-10-01T08:00:00Z', sex: 'male' }],
    // ICON and safe sleep discussed, so only the bruise can raise an alert.
    contacts: [{ contactId: 'V1', type: 'postnatal', date: seen, subject: 'baby:B1', attended: true, iconDiscussed: true, safeSleepDiscussed: true,
      findings: [{ subject: 'baby:B1', kind: 'bruise', bodySite: opts.site ?? 'left ear' }] }],
  };
}
