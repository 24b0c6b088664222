/** A timed run: how many items were processed in how much CPU time (and wall time). */
export interface Timing {
  items: number;
  /** CPU seconds (user + system) the process spent. */
  seconds: number;
  wallSeconds: number;
  perSecond: number;
}

/**
 * CPU seconds used by this process so far. The benchmark is timed in CPU time, not wall
 * time: the machine is shared (2 cores, other engineers' test suites running), and wall
 * time under a load average of 8 measures the other jobs as much as this one.
 */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Runs `pass` (which processes `items` things) repeatedly until at least `minSeconds`
 * of CPU time have passed, at least once, and reports the rate. Repeating the fast
 * side's pass gives it as stable a number as the slow side gets from one long pass.
 */
export async function timePasses(items: number, minSeconds: number, pass: () => unknown): Promise<Timing> {
  let done = 0;
  const cpuStart = cpuSeconds();
  const wallStart = process.hrtime.bigint();
  let seconds = 0;
  do {
    await pass();
    done += items;
    seconds = cpuSeconds() - cpuStart;
  } while (seconds < minSeconds);
  return { items: done, seconds, wallSeconds: Number(process.hrtime.bigint() - wallStart) / 1e9, perSecond: done / seconds };
}

/** Runs `pass` for `seconds` of CPU time (warm-up: lets V8 optimise the hot code before timing). */
export async function warmUp(seconds: number, pass: () => unknown): Promise<void> {
  await timePasses(1, seconds, pass);
}

/** CPU microseconds per item of a timing. */
export function microsPer(t: Timing): number {
  return (t.seconds * 1e6) / t.items;
}
