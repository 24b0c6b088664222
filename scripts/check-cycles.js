#!/usr/bin/env node
// Fails when Cradle's own modules import each other in a cycle (STYLE.md: "no import cycles").
// Follows relative imports, type-only ones included: a cycle in types is a cycle in design.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = ['src', 'mappings', 'workers'];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.ts$/.test(name) && !/\.(test|fixture)\.ts$/.test(name) ? [path] : [];
  });
}

const graph = new Map();
for (const file of dirs.flatMap((d) => files(join(root, d)))) {
  const text = readFileSync(file, 'utf8');
  const deps = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)]
    .map((m) => resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
  graph.set(file, deps);
}

const cycles = [];
const state = new Map();
const stack = [];
function visit(node) {
  state.set(node, 'active');
  stack.push(node);
  for (const dep of graph.get(node) ?? []) {
    if (!graph.has(dep)) continue;
    if (state.get(dep) === 'active') cycles.push([...stack.slice(stack.indexOf(dep)), dep].map((f) => relative(root, f)));
    else if (!state.has(dep)) visit(dep);
  }
  stack.pop();
  state.set(node, 'done');
}
for (const node of graph.keys()) if (!state.has(node)) visit(node);

if (cycles.length) {
  console.error(`import cycles (${cycles.length}):`);
  for (const c of cycles) console.error(`  ${c.join(' → ')}`);
  process.exit(1);
}
console.log(`no import cycles in ${graph.size} modules`);
