export interface CoalesceOptions {
  /** The most inputs in one call. */
  maxBatch: number;
  /** Calls running at once (default 1). */
  inFlight?: number;
  /** Told the size of each call as it starts. */
  onBatch?: (size: number) => void;
}

/**
 * Turns a function of many inputs into a function of one, for callers that run
 * concurrently: inputs that arrive while a call is running wait and go together in the
 * next call, up to `maxBatch` ("natural batching", as in group commit). An input that
 * arrives alone waits one turn of the event loop and goes alone: no timer, no added latency.
 * `runMany` returns one output per input, in order; if it throws, every input of that call
 * rejects with the error.
 *
 * @example const accept = coalesce((inputs) => store.acceptMany(inputs), { maxBatch: 64 }); await accept(input)
 */
export function coalesce<I, O>(runMany: (inputs: readonly I[]) => Promise<readonly O[]>, options: CoalesceOptions): (input: I) => Promise<O> {
  const inFlight = options.inFlight ?? 1;
  const waiting: Array<{ input: I; resolve: (output: O) => void; reject: (err: unknown) => void }> = [];
  let running = 0;
  let scheduled = false;

  async function call(batch: typeof waiting): Promise<void> {
    options.onBatch?.(batch.length);
    try {
      const outputs = await runMany(batch.map((w) => w.input));
      batch.forEach((w, i) => w.resolve(outputs[i]!));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }

  function start(): void {
    scheduled = false;
    while (running < inFlight && waiting.length > 0) {
      running++;
      void call(waiting.splice(0, options.maxBatch)).finally(() => {
        running--;
        start();
      });
    }
  }

  return function coalesced(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (running >= inFlight || scheduled) return;
      scheduled = true;
      // Inputs that arrive in the same turn of the event loop join this call.
      setImmediate(start);
    });
  };
}
