import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';

/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, e.g. `BENCH_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=/tmp/prof" npm run bench`): self time by function and by package, so
 * what stands between Cradle and its targets is named, not guessed.
 * Usage: `node --import tsx bench/profile-summary.ts FILE.cpuprofile [TOP]`.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [TOP]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const where = place(url);
  add(byFunction, `${functionName || '(anonymous)'} ${where}${url ? `:${lineNumber + 1}` : ''}`, us);
  add(byPackage, packageOf(where, functionName), us);
}
// Inclusive ("total") time of Cradle's own functions: what each costs with everything it
// calls synchronously. After an await a function resumes from the microtask queue, so this
// counts each async function's own synchronous stretches, not time spent awaiting.
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
    const where = place(url);
    if (!/^(dist\/)?(src|mappings|workers)\//.test(where)) continue;
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    if (!seen.has(key)) add(inclusive, key, us);
    seen.add(key);
  }
}
const top = Number(topArg ?? 25);
process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n\nself time by package\n${table(byPackage, total, 12)}\n\nself time by function\n${table(byFunction, total, top)}\n\ntotal time of Cradle's functions (with what they call synchronously)\n${table(inclusive, total, top)}\n`);

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

function place(url: string): string {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(packageRoot) ? relative(packageRoot, path) : path;
}

/** node_modules/<pkg>, Cradle's own top folders, node: internals, or V8's own entries ((garbage collector), (idle)…). */
function packageOf(where: string, fn: string): string {
  if (!where) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (nm) return nm[1]!;
  if (where.startsWith('node:')) return 'node:internal';
  return where.split('/').slice(0, 2).join('/');
}

function table(map: Map<string, number>, total: number, n: number): string {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, us]) => `${(100 * us / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`).join('\n');
}
