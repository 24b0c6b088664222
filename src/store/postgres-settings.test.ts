import { describe, expect, it } from 'vitest';
import { postgresSettingWarnings } from './postgres-settings.js';

describe('postgresSettingWarnings', () => {
  it('names each setting the store needs that is off, and nothing when all are on', () => {
    expect(postgresSettingWarnings(new Map([['autovacuum', 'on'], ['track_counts', 'on']]))).toEqual([]);
    const warnings = postgresSettingWarnings(new Map([['autovacuum', 'off'], ['track_counts', 'on']]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^PostgreSQL autovacuum is off: .*VACUUM ANALYZE$/);
    expect(postgresSettingWarnings(new Map([['autovacuum', 'off'], ['track_counts', 'off']])).map((w) => w.split(' ')[1])).toEqual(['autovacuum', 'track_counts']);
  });

  it('does not judge a setting the server did not report', () => {
    expect(postgresSettingWarnings(new Map())).toEqual([]);
  });
});
