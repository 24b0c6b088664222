/** Small, dependency-free HTML helpers for the server-rendered dashboard pages. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/** A trusted fragment, already escaped: `html` returns one, and interpolated fragments are not escaped again. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Tagged template: interpolated values are escaped unless they are Html (or arrays of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return esc(v);
}

export interface PageOptions {
  title: string;
  body: Html;
  /** Load Chart.js and the dashboard script. */
  charts?: boolean;
}

/** The page shell: no inline script or style, so the Content-Security-Policy can allow only 'self'. */
export function page(o: PageOptions): string {
  return `<!doctype html>\n${html`<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${o.title} · Cradle</title>
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
${o.charts ? html`<script src="/dashboard/assets/chart.umd.min.js" defer></script>
<script src="/dashboard/assets/dashboard.js" defer></script>` : ''}
</head>
<body>
${o.body}
</body>
</html>`.text}\n`;
}

/** "4 min ago", "3 h ago", "2 days ago" — relative to `now`. */
export function ago(iso: string | null, now: string): string {
  if (!iso) return 'never';
  const s = Math.max(0, (Date.parse(now) - Date.parse(iso)) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  const days = Math.round(s / 86_400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** A duration for people: "340 ms", "1.8 s", "12 s", "4.5 min", "2.0 h"; "–" for none. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
