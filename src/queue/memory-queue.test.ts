import { describe } from 'vitest';
import { MemoryQueue } from './memory-queue.js';
import { queueContract } from './queue-contract.fixture.js';

const policy = { attempts: 3, backoffMs: 5 };

describe('MemoryQueue keeps the job contract', () => {
  queueContract(async () => new MemoryQueue({ map: policy, assess: policy, deliver: policy, sweep: policy, notify: policy }), (q) => (q as MemoryQueue).idle());
});
