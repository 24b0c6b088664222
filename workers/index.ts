import { requeueUnfinished, startRecoverySweep } from '../src/pipeline/recovery.js';
import type { QueueName } from '../src/queue/names.js';
import type { Runtime } from '../src/runtime/runtime.js';
import { startAssessWorker } from './assess.js';
import { startDeliverWorker } from './deliver.js';
import { startMapWorker } from './map.js';
import { startNotifyWorker } from './notify.js';

const STARTERS: Record<Exclude<QueueName, 'sweep'>, (rt: Runtime) => void | Promise<void>> = {
  map: startMapWorker,
  assess: startAssessWorker,
  deliver: startDeliverWorker,
  notify: startNotifyWorker,
};

/**
 * Starts workers for the given queues, re-queues everything accepted but unfinished (the
 * inbound store and outbox are the source of truth), and starts the recovery sweep.
 * Returns a function that stops the sweep; `rt.close()` stops the workers.
 */
export async function startWorkers(rt: Runtime, queues: readonly QueueName[]): Promise<() => void> {
  // The sweep runs with the assess workers; asking for it alone starts them too.
  const wanted = new Set(queues.map((q) => (q === 'sweep' ? 'assess' : q)));
  for (const q of wanted) await STARTERS[q](rt);
  const requeued = await requeueUnfinished(rt, 0);
  rt.logger.info({ queues, requeued }, 'workers started');
  return startRecoverySweep(rt);
}
