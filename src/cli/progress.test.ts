import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressBar } from './progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { lines: () => string[] } {
  const chunks: string[] = [];
  return {
    isTTY, write: (s: string) => chunks.push(s) > 0,
    // What a reader sees: each \r redraw replaces the line, \n ends it.
    lines: () => chunks.join('').split(/[\r\n]/).map((l) => l.replace('\x1b[K', '')).filter(Boolean),
  } as unknown as NodeJS.WriteStream & { lines: () => string[] };
}

describe('ProgressBar', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-20T10:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('shows count, rate and ETA on a terminal, redrawing one line, and where it ended', () => {
    const out = fakeStream(true);
    const bar = new ProgressBar(10, 'ingest maternity', out);
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(500);
      bar.tick(i !== 3);
    }
    // 4 done in 2 s: 2.0/s; 6 left → ETA 3 s; one of them refused.
    expect(out.lines().at(-1)).toBe('ingest maternity [############..................] 4/10 2.0/s ETA 3s (1 refused)');
    expect(bar.finish()).toEqual({ done: 4, failed: 1, seconds: 2 });
  });

  it('gives no rate or ETA in the first second, and minutes for long waits', () => {
    const out = fakeStream(true);
    const bar = new ProgressBar(1000, 'ingest', out);
    bar.tick(true);
    expect(out.lines().at(-1)).toMatch(/ 1\/1000 –\/s ETA –$/);
    vi.advanceTimersByTime(10_000);
    bar.tick(true);
    expect(out.lines().at(-1)).toMatch(/ 2\/1000 0\.2\/s ETA 83min$/);
  });

  it('writes whole lines at most every few seconds when not a terminal (CI logs), and always the last', () => {
    const out = fakeStream(false);
    const bar = new ProgressBar(3, 'replay', out, 'rejected or failed');
    bar.update(1, 0);
    vi.advanceTimersByTime(1000);
    bar.update(2, 0);
    vi.advanceTimersByTime(1000);
    bar.update(3, 1);
    bar.finish();
    expect(out.lines()).toEqual([
      'replay [##########....................] 1/3 –/s ETA –',
      'replay [##############################] 3/3 1.5/s ETA 0s (1 rejected or failed)',
    ]);
  });
});
