import { describe, expect, it } from 'vitest';
import { ago, duration, esc, html } from './html.js';

describe('dashboard HTML helpers', () => {
  it('escapes interpolated values, and does not escape trusted fragments twice', () => {
    const evil = '<img src=x onerror="alert(1)">&\'';
    expect(esc(evil)).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
    expect(html`<p title="${evil}">${html`<b>${evil}</b>`}</p>`.text).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;"><b>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;</b></p>');
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>${null}${false}${undefined}`.text).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
  });

  it('says durations and ages the way people read them', () => {
    expect([null, 0.034, 1.84, 42, 270, 7300, 200_000].map(duration)).toEqual(['–', '34 ms', '1.8 s', '42 s', '4.5 min', '2.0 h', '2.3 days']);
    const now = '2026-11-20T12:00:00Z';
    expect([null, '2026-11-20T11:59:30Z', '2026-11-20T11:40:00Z', '2026-11-20T09:00:00Z', '2026-11-19T12:00:00Z', '2026-11-10T12:00:00Z'].map((t) => ago(t, now)))
      .toEqual(['never', 'just now', '20 min ago', '3 h ago', '1 day ago', '10 days ago']);
  });
});
