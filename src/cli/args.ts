import { parseArgs } from 'node:util';

export interface Parsed {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/** node:util parseArgs with Cradle's options; unknown options are an error, not ignored. */
export function parse(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>): Parsed {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  return { positionals, values: values as Parsed['values'] };
}

export class UsageError extends Error {
  override name = 'UsageError';
}
