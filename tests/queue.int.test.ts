import { describe } from 'vitest';
import { BullQueue } from '../src/queue/bullmq-queue.js';
import { queueContract } from '../src/queue/queue-contract.fixture.js';
import type { QueueName } from '../src/queue/names.js';
import type { JobQueue } from '../src/queue/queue.js';
import { TEST_REDIS_URL, uniqueName } from './support/services.js';

const policy = { attempts: 3, backoffMs: 5 };

async function settle(q: JobQueue, queue: QueueName = 'map'): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const c = await q.counts(queue);
    if (c.waiting + c.active + c.delayed === 0) return;
    if (Date.now() > deadline) throw new Error('queue did not settle');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('BullQueue on real Redis keeps the job contract', () => {
  queueContract(async () => new BullQueue({ url: TEST_REDIS_URL, prefix: uniqueName('cradle-qtest'), policies: { map: policy, assess: policy, deliver: policy, sweep: policy, notify: policy } }), async (q, queue) => {
    await new Promise((r) => setTimeout(r, 50));
    await settle(q, queue);
    await (q as BullQueue).obliterate();
  });
});
