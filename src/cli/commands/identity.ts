import { parse, UsageError } from '../args.js';
import { call } from './client.js';

const USAGE = `cradle identity reviews [--status open|matched|not-matched|superseded]
cradle identity decide REVIEW_ID match|no-match [--reason TEXT]
cradle identity merge SURVIVOR_ID MERGED_ID --reason TEXT
cradle identity unmerge MERGE_ID
cradle identity show PERSON_ID`;

/** `cradle identity …`: work through the possible-match review list, merge and unmerge people. */
export async function identity(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parse(rest, { status: { type: 'string' }, reason: { type: 'string' } });
  const print = (json: unknown) => process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  switch (action) {
    case 'reviews': {
      const { status, json } = await call('GET', `/admin/identity/reviews?status=${encodeURIComponent(String(values.status ?? 'open'))}`);
      if (status !== 200) return fail(json);
      const reviews = (json as { reviews: Array<{ id: string; personId: string; candidateId: string; summary: string }> }).reviews;
      if (reviews.length === 0) process.stdout.write('no reviews\n');
      for (const r of reviews) process.stdout.write(`${r.id}\n  person ${r.personId}\n  candidate ${r.candidateId}\n  ${r.summary}\n`);
      return 0;
    }
    case 'decide': {
      const [id, decision] = positionals;
      if (!id || (decision !== 'match' && decision !== 'no-match')) throw new UsageError(USAGE);
      const res = await call('POST', `/admin/identity/reviews/${encodeURIComponent(id)}`, { body: JSON.stringify({ decision, reason: values.reason }), contentType: 'application/json' });
      print(res.json);
      return res.status === 200 ? 0 : 1;
    }
    case 'merge': {
      const [survivor, merged] = positionals;
      if (!survivor || !merged || !values.reason) throw new UsageError(USAGE);
      const res = await call('POST', '/admin/identity/merge', { body: JSON.stringify({ survivor, merged, reason: values.reason }), contentType: 'application/json' });
      print(res.json);
      return res.status === 202 ? 0 : 1;
    }
    case 'unmerge': {
      const [id] = positionals;
      if (!id) throw new UsageError(USAGE);
      const res = await call('POST', `/admin/identity/merges/${encodeURIComponent(id)}/unmerge`);
      print(res.json);
      return res.status === 202 ? 0 : 1;
    }
    case 'show': {
      const [id] = positionals;
      if (!id) throw new UsageError(USAGE);
      const res = await call('GET', `/admin/identity/persons/${encodeURIComponent(id)}`);
      print(res.json);
      return res.status === 200 ? 0 : 1;
    }
    default:
      throw new UsageError(USAGE);
  }
}

function fail(json: unknown): number {
  process.stderr.write(`${JSON.stringify(json)}\n`);
  return 1;
}
