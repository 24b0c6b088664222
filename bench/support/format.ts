import { cpus } from 'node:os';

/** The machine a bench ran on, as every bench reports it. */
export function machine(): { cpus: number; model: string; node: string } {
  return { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version };
}

/** A rounded count for a report table ("1,300"); "–" for no value. */
export function int(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-GB') : '–';
}
