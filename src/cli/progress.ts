/**
 * A one-line progress bar on stderr with count, rate and ETA. Falls back to a line every
 * few seconds when stderr is not a terminal (CI logs).
 */
export class ProgressBar {
  private done = 0;
  private failed = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastDrawnDone = -1;

  constructor(private readonly total: number, private readonly label: string, private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly failedLabel = 'refused') {}

  tick(ok: boolean): void {
    this.update(this.done + 1, this.failed + (ok ? 0 : 1));
  }

  /** Sets the counts outright (progress learnt by polling rather than one item at a time). */
  update(done: number, failed: number): void {
    if (done === this.done && failed === this.failed) return;
    this.done = done;
    this.failed = failed;
    const now = Date.now();
    const interval = this.stream.isTTY ? 100 : 5000;
    if (now - this.lastDraw >= interval || this.done === this.total) {
      this.lastDraw = now;
      this.draw();
    }
  }

  finish(): { done: number; failed: number; seconds: number } {
    // The last update may have been throttled: always show where it ended.
    if (this.stream.isTTY || this.lastDrawnDone !== this.done) this.draw();
    if (this.stream.isTTY) this.stream.write('\n');
    return { done: this.done, failed: this.failed, seconds: (Date.now() - this.started) / 1000 };
  }

  private draw(): void {
    this.lastDrawnDone = this.done;
    const seconds = (Date.now() - this.started) / 1000;
    // Under a second the rate is noise (one item in 1 ms is not 1000/s).
    const rate = seconds >= 1 ? this.done / seconds : undefined;
    const eta = rate ? (this.total - this.done) / rate : undefined;
    const width = 30;
    const filled = this.total > 0 ? Math.round((this.done / this.total) * width) : width;
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const line = `${this.label} ${bar} ${this.done}/${this.total} ${rate === undefined ? '–' : rate.toFixed(1)}/s ETA ${eta === undefined ? '–' : formatEta(eta)}`
      + `${this.failed ? ` (${this.failed} ${this.failedLabel})` : ''}`;
    this.stream.write(this.stream.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  }
}

function formatEta(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}min`;
  return `${(seconds / 3600).toFixed(1)}h`;
}
