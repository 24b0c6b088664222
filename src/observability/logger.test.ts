import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('logger', () => {
  it('censors names, addresses, NHS numbers, payloads and tokens wherever a careless call puts them', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const log = createLogger('info', sink as never);
    log.info({ nhsNumber: '9434765919', name: { family: 'Smith' }, patient: { address: { line: ['1 High St'] }, birthDate: '1999-04-01' },
      body: '{"mother":{}}', headers: { authorization: 'Bearer abc' }, messageId: 'm-1' }, 'careless');
    const text = lines.join('');
    for (const secret of ['9434765919', 'Smith', 'High St', '1999-04-01', 'mother', 'Bearer abc']) expect(text).not.toContain(secret);
    expect(text).toContain('m-1');
  });
});
