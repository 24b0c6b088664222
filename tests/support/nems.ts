/** NEMS STU3 event messages (JSON) for tests: a PDS change of GP or of address for one child. */
const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';

export interface PdsChange {
  event: 'pds-change-of-gp-1' | 'pds-change-of-address-1';
  nhs: string;
  timestamp: string;
  practice?: string;
  /** The new home postcode; `previousPostcode` becomes an `old` address. */
  postcode?: string;
  previousPostcode?: string;
}

export function pdsChange(c: PdsChange): string {
  const url = (n: number) => `urn:uuid:aaaaaaaa-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const address = [
    ...(c.postcode ? [{ use: 'home', line: ['1 New Road'], postalCode: c.postcode, period: { start: c.timestamp.slice(0, 10) } }] : []),
    ...(c.previousPostcode ? [{ use: 'old', line: ['1 Old Road'], postalCode: c.previousPostcode, period: { end: c.timestamp.slice(0, 10) } }] : []),
  ];
  const patient = {
    resourceType: 'Patient', id: 'p', identifier: [{ system: NHS, value: c.nhs }], name: [{ use: 'official', family: 'TEST', given: ['Baby'] }],
    birthDate: '2026-10-01', ...(address.length ? { address } : {}),
    ...(c.practice ? { generalPractitioner: [{ reference: url(4) }] } : {}),
  };
  const entries = [
    { fullUrl: url(1), resource: { resourceType: 'MessageHeader', id: 'mh', event: { system: 'https://fhir.nhs.uk/STU3/CodeSystem/EventType-1', code: c.event },
      timestamp: c.timestamp, source: { endpoint: 'urn:nhs:addressing:asid:477121000323' }, responsible: { display: 'NHS DIGITAL' }, focus: { reference: url(2) } } },
    { fullUrl: url(2), resource: { resourceType: 'Communication', id: 'c', status: 'completed', subject: { reference: url(3) } } },
    { fullUrl: url(3), resource: patient },
    ...(c.practice ? [{ fullUrl: url(4), resource: { resourceType: 'Organization', id: 'o', identifier: [{ system: ODS, value: c.practice }], name: 'TEST PRACTICE' } }] : []),
  ];
  return JSON.stringify({ resourceType: 'Bundle', id: `b-${c.event}-${c.timestamp}`, type: 'message', entry: entries });
}
