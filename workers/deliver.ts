import { DELIVER_IN_FLIGHT, deliverProcessor } from '../src/pipeline/deliver-view.js';
import type { Runtime } from '../src/runtime/runtime.js';

/** Deliveries recorded together in one batch (queue/batch.ts); their pushes go out side by side. */
export const DELIVER_BATCH = 16;

/** The `deliver` worker: a family's view → the recipient's FHIR server. */
export function startDeliverWorker(rt: Runtime, maxBatch = DELIVER_BATCH): void {
  rt.queue.work('deliver', deliverProcessor(rt, maxBatch), { concurrency: maxBatch * (DELIVER_IN_FLIGHT + 1) });
}
