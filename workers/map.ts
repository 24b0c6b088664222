import { mapProcessor } from '../src/pipeline/map-message.js';
import type { Runtime } from '../src/runtime/runtime.js';

/** The `map` worker: inbound message → FHIR in the store. */
export function startMapWorker(rt: Runtime, concurrency = 4): void {
  rt.queue.work('map', mapProcessor(rt), { concurrency });
}
