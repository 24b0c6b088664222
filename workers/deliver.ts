import { deliverProcessor } from '../src/pipeline/deliver-view.js';
import type { Runtime } from '../src/runtime/runtime.js';

/** The `deliver` worker: a family's view → the recipient's FHIR server. */
export function startDeliverWorker(rt: Runtime, concurrency = 4): void {
  rt.queue.work('deliver', deliverProcessor(rt), { concurrency });
}
