import { nhsCheckDigit } from '../../src/identity/nhs-number.js';

/**
 * A small seeded random source, so every run of the benchmark maps the same records and
 * two runs' numbers are comparable (mulberry32: fast, good enough for test data).
 */
export class Random {
  private state: number;
  private nhsSerial = 0;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /**
   * The next valid NHS number in the never-issued 999 range: synthetic data only, and
   * each number handed out once per generator so no two people collide.
   */
  nhsNumber(): string {
    for (;;) {
      const nine = `999${String(this.nhsSerial++).padStart(6, '0')}`;
      const check = nhsCheckDigit(nine);
      if (check !== undefined) return `${nine}${check}`;
    }
  }
}

/** `days` after an ISO instant, as an ISO date-time in UTC (`2026-05-01T09:00:00Z`). */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString().replace('.000Z', 'Z');
}
