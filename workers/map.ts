import { mapProcessor } from '../src/pipeline/map-message.js';
import type { Runtime } from '../src/runtime/runtime.js';

/** Messages applied together in one batch (queue/batch.ts); the queue keeps twice as many jobs active, so the next batch fills meanwhile. */
export const MAP_BATCH = 16;

/** The `map` worker: inbound message → FHIR in the store. */
export function startMapWorker(rt: Runtime, maxBatch = MAP_BATCH): void {
  rt.queue.work('map', mapProcessor(rt, maxBatch), { concurrency: 2 * maxBatch });
}
