import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

export interface Asset {
  body: Buffer;
  type: string;
}

/**
 * The dashboard's static files, served by the gateway itself so the page works with no
 * internet: Chart.js's UMD build from node_modules (resolved through its package entry, as
 * its `exports` hide the dist folder), and the page's own script and stylesheet.
 */
const FILES: Record<string, () => { path: string; type: string }> = {
  'chart.umd.min.js': () => ({ path: join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' }),
  'dashboard.js': () => ({ path: join(packageRoot, 'src', 'dashboard', 'assets', 'dashboard.js'), type: 'text/javascript; charset=utf-8' }),
  'dashboard.css': () => ({ path: join(packageRoot, 'src', 'dashboard', 'assets', 'dashboard.css'), type: 'text/css; charset=utf-8' }),
};

const cache = new Map<string, Asset>();

/** The named asset, read once; undefined for any other name. */
export function dashboardAsset(name: string): Asset | undefined {
  const file = Object.hasOwn(FILES, name) ? FILES[name]!() : undefined;
  if (!file) return undefined;
  let asset = cache.get(name);
  if (!asset) {
    asset = { body: readFileSync(file.path), type: file.type };
    cache.set(name, asset);
  }
  return asset;
}
