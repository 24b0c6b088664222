import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { noQueueBoardPage } from '../../dashboard/detail-pages.js';
import { BullQueue } from '../../queue/bullmq-queue.js';
import { QUEUES } from '../../queue/names.js';
import type { Runtime } from '../../runtime/runtime.js';

export const QUEUE_BOARD_PATH = '/dashboard/queues';

/**
 * The operators' queue board at /dashboard/queues (admin role, checked by the caller):
 * bull-board's Hono adapter over Cradle's BullMQ queues (waiting, active, delayed, failed
 * jobs; retry, clean, pause). It shows BullMQ on Redis only: on the embedded default the
 * queue is in-process, and the page says so, with this process's counts.
 */
export function queueBoardRoutes(rt: Runtime): Hono {
  if (rt.queue instanceof BullQueue) {
    const serverAdapter = new HonoAdapter(serveStatic);
    createBullBoard({
      queues: rt.queue.boardQueues().map((q) => new BullMQAdapter(q)),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Cradle queues' } },
    });
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    return serverAdapter.registerPlugin() as unknown as Hono;
  }
  const app = new Hono();
  app.get('/', async (c) => {
    const counts = await Promise.all(QUEUES.map(async (queue) => ({ queue, ...(await rt.queue.counts(queue)) })));
    return c.html(noQueueBoardPage(counts));
  });
  return app;
}
