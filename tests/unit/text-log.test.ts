import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { defaultLogFormat, textLine, textLogStream } from '../../server/src/text-log.js';

describe('the log as text for a terminal', () => {
  it('is text on a terminal and JSON anywhere else', () => {
    expect(defaultLogFormat({ isTTY: true })).toBe('text');
    expect(defaultLogFormat({ isTTY: false })).toBe('json');
    expect(defaultLogFormat({})).toBe('json');
  });

  it('writes the server’s log entries as one short line each, with their fields and an error’s stack', () => {
    const lines: string[] = [];
    const { log } = Fastify({ logger: { level: 'info', stream: textLogStream({ write: (s) => lines.push(s) }) } });
    log.info({ signal: 'SIGTERM' }, 'shutting down');
    log.warn({ sittingId: 'demo', detail: { a: 1 }, note: 'two words' }, 'checkpoint late');
    log.error({ err: new Error('disk full') }, 'writer thread');
    log.info('Server listening at http://127.0.0.1:8080');
    log.debug('not at this level');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d INFO shutting down signal=SIGTERM\n$/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d WARN checkpoint late sittingId=demo detail=\{"a":1\} note="two words"\n$/);
    expect(lines[2]).toMatch(/^\d\d:\d\d:\d\d ERROR writer thread\n {4}Error: disk full\n {8}at /);
  });

  it('passes a line that is not JSON through as it is', () => {
    expect(textLine('plain words')).toBe('plain words\n');
  });
});
