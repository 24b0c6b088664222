import { Client } from 'fhir-kit-client';
import type { PullEndpoint } from '../../config/config.js';
import { CradleError } from '../../fhir/outcome.js';
import type { AnyResource, Bundle, EpisodeOfCare } from '../../fhir/types.js';
import type { BearerTokens } from '../../http/bearer-tokens.js';
import { pregnancyCopy } from './pregnancy-copy.js';

const TOKEN_ID = 'pull:maternity-fhir';
const MAX_PAGES = 50;

/**
 * The pull connector's fetch (fhir-kit-client, OAuth2 client credentials): the pregnancy's
 * EpisodeOfCare, then `Patient/{mother}/$everything` (BadgerNet Spine returns what the
 * client's record filter allows; DOMAIN.md section 6), following `next` pages. Failures
 * are sorted for the caller: 4xx is CRADLE_SOURCE_REJECTED, anything else
 * CRADLE_SOURCE_UNAVAILABLE; a 401 also drops the cached token.
 */
export async function fetchPregnancy(endpoint: PullEndpoint, tokens: BearerTokens, pregnancyId: string, fetchedAt: string): Promise<Bundle> {
  const headers = await tokens.header({ id: TOKEN_ID, auth: endpoint.auth, timeoutMs: endpoint.timeoutMs,
    codes: { unavailable: 'CRADLE_SOURCE_UNAVAILABLE', rejected: 'CRADLE_SOURCE_REJECTED' } });
  const client = new Client({ baseUrl: endpoint.baseUrl, customHeaders: { ...headers, accept: 'application/fhir+json' } });
  const options = () => ({ signal: AbortSignal.timeout(endpoint.timeoutMs) });
  try {
    const episode = (await client.read({ resourceType: 'EpisodeOfCare', id: pregnancyId, options: options() })) as unknown as EpisodeOfCare;
    const mother = episode.patient?.reference?.match(/Patient\/([^/]+)$/)?.[1];
    if (episode.resourceType !== 'EpisodeOfCare' || !mother) throw new CradleError('CRADLE_SOURCE_REJECTED', { diagnostics: 'the maternity system returned no EpisodeOfCare naming a patient' });
    const pages = await allPages(client, endpoint.baseUrl, (await client.operation({ name: 'everything', resourceType: 'Patient', id: mother, method: 'GET', options: options() })) as unknown as Bundle, options);
    const everything = pages.flatMap((p) => p.entry ?? []).map((e) => e.resource).filter((r): r is AnyResource => !!r);
    return pregnancyCopy(episode, everything, endpoint.baseUrl, fetchedAt);
  } catch (err) {
    throw sorted(err, tokens);
  }
}

/**
 * Follows `next` links, only on the maternity system's own server (the token goes with each
 * request: a link elsewhere would hand it to another host). A record longer than MAX_PAGES is
 * refused rather than cut short: a partial copy would read as findings withdrawn.
 */
async function allPages(client: Client, baseUrl: string, first: Bundle, options: () => { signal: AbortSignal }): Promise<Bundle[]> {
  const pages = [first];
  for (;;) {
    const next = pages.at(-1)!.link?.find((l) => l.relation === 'next')?.url;
    if (!next) return pages;
    if (!sameServer(next, baseUrl)) throw new CradleError('CRADLE_SOURCE_REJECTED', { diagnostics: 'the maternity system\'s next page is on another server; not followed' });
    if (pages.length >= MAX_PAGES) throw new CradleError('CRADLE_SOURCE_REJECTED', { diagnostics: `the record runs to more than ${MAX_PAGES} pages; refused rather than taken in part` });
    pages.push((await client.nextPage({ bundle: pages.at(-1)! as never, options: options() })) as unknown as Bundle);
  }
}

function sameServer(url: string, baseUrl: string): boolean {
  try {
    const u = new URL(url, baseUrl);
    const base = new URL(baseUrl);
    return u.origin === base.origin && u.pathname.startsWith(base.pathname.replace(/\/?$/, '/'));
  } catch {
    return false;
  }
}

function sorted(err: unknown, tokens: BearerTokens): CradleError {
  if (err instanceof CradleError) return err;
  const status = (err as { response?: { status?: number } }).response?.status;
  if (status === 401) tokens.invalidate(TOKEN_ID);
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new CradleError('CRADLE_SOURCE_REJECTED', { diagnostics: `the maternity system answered ${status}` }, { cause: err });
  }
  const why = status !== undefined ? `answered ${status}` : (err as Error).name === 'TimeoutError' ? 'timed out' : 'was unreachable';
  return new CradleError('CRADLE_SOURCE_UNAVAILABLE', { diagnostics: `the maternity system ${why}` }, { cause: err });
}
