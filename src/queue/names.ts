/** The three queues of DESIGN.md's pipeline, and what each job carries. */
export const QUEUES = ['map', 'assess', 'deliver', 'sweep', 'notify'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Map one inbound message. `attempt` distinguishes replays of the same message. */
export interface MapJob { messageId: string; attempt: number }
/** Re-assess one family. `generation` is the change that queued it (for logs); the job assesses the latest. */
export interface AssessJob { familyKey: string; generation: number }
/** Bring one recipient's copy of one family up to date (deliver, or withdraw). */
export interface DeliverJob { recipientId: string; familyKey: string; generation: number }

/** A scheduled sweep for what no message announces (an overdue birth). Runs beside the assess workers. */
export interface SweepJob { kind: 'overdue-pregnancies' | 'unseen-alerts' }

/**
 * FHIR Subscriptions: bring one subscription's endpoint up to date (handshake, pending events,
 * a due heartbeat), draining its outbox item like deliver; or the repeatable tick that finds
 * the subscriptions whose heartbeat is due.
 */
export type NotifyJob = { kind: 'subscription'; subscriptionId: string; generation: number } | { kind: 'heartbeats' };

export interface JobData {
  map: MapJob;
  assess: AssessJob;
  deliver: DeliverJob;
  sweep: SweepJob;
  notify: NotifyJob;
}

/**
 * Job ids de-duplicate: adding a job whose id is waiting does nothing, and adding one whose
 * id is running queues it to run once more when that run ends. Assess and deliver jobs are
 * keyed by the family (and recipient) alone, so one family is never worked on by two jobs at
 * once — which keeps its writes and its pushes in order — and a running job picks up changes
 * that arrive meanwhile (it drains its outbox item); a change that lands after its last look
 * at the outbox is taken by the run after it. BullMQ forbids `:`.
 */
export function jobIdOf<Q extends QueueName>(queue: Q, data: JobData[Q]): string {
  switch (queue) {
    case 'map': {
      const d = data as MapJob;
      return `map-${d.messageId}-${d.attempt}`;
    }
    case 'assess': {
      return `assess-${(data as AssessJob).familyKey}`;
    }
    case 'deliver': {
      const d = data as DeliverJob;
      return `deliver-${d.recipientId}-${d.familyKey}`;
    }
    case 'notify': {
      const d = data as NotifyJob;
      return d.kind === 'subscription' ? `notify-${d.subscriptionId}` : 'notify-heartbeats';
    }
    default:
      return `sweep-${(data as SweepJob).kind}`;
  }
}

export function isQueueName(name: string): name is QueueName {
  return (QUEUES as readonly string[]).includes(name);
}
