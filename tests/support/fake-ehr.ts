import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

type SetupServerApi = ReturnType<typeof setupServer>;
import type { Bundle } from '../../src/fhir/types.js';

export interface FakeEhr {
  server: SetupServerApi;
  /** Transaction Bundles received, in order. */
  received: Bundle[];
  /** Status to answer with per call, in order; then 200. */
  script: number[];
  attempts: number;
}

/**
 * A recipient's remote FHIR server, faked with msw: the only thing in these tests that is
 * not real, because a trust's EHR cannot run here.
 */
export function fakeEhr(baseUrl: string): FakeEhr {
  const ehr: FakeEhr = { server: undefined as unknown as SetupServerApi, received: [], script: [], attempts: 0 };
  ehr.server = setupServer(
    http.post(`${baseUrl}*`, async ({ request }) => {
      ehr.attempts++;
      const status = ehr.script.shift() ?? 200;
      const body = (await request.json()) as Bundle;
      if (status !== 200) return HttpResponse.json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] }, { status });
      ehr.received.push(body);
      return HttpResponse.json({ resourceType: 'Bundle', type: 'transaction-response', entry: (body.entry ?? []).map(() => ({ response: { status: '200 OK' } })) });
    }),
  );
  ehr.server.listen({ onUnhandledRequest: 'bypass' });
  return ehr;
}
