import { describe, expect, it } from 'vitest';
import { appendLog, readLog } from '../../src/format/log.js';

describe('appendLog', () => {
  it('adds the entry as the last line of the Log section, before the next heading', () => {
    const text = '---\nid: a\n---\nIntro\n\n## Log\n- one\n- two\n\n## Notes\nx\n';
    const out = appendLog(text, 'three');
    expect(out).toBe('---\nid: a\n---\nIntro\n\n## Log\n- one\n- two\n- three\n\n## Notes\nx\n');
  });

  it('keeps CRLF and a missing final newline', () => {
    const text = '\uFEFF---\r\nid: a\r\n---\r\n## Log\r\n- one';
    expect(appendLog(text, 'two')).toBe('\uFEFF---\r\nid: a\r\n---\r\n## Log\r\n- one\r\n- two');
    expect(appendLog('---\nid: a\n---\n## Log\n', 'x')).toBe('---\nid: a\n---\n## Log\n- x\n');
  });

  it('creates the section after exactly one blank line', () => {
    expect(appendLog('---\nid: a\n---\nBody\n', 'x')).toBe(
      '---\nid: a\n---\nBody\n\n## Log\n- x\n',
    );
    expect(appendLog('---\nid: a\n---\nBody', 'x')).toBe('---\nid: a\n---\nBody\n\n## Log\n- x\n');
    expect(appendLog('---\nid: a\n---\nBody\n\n', 'x')).toBe(
      '---\nid: a\n---\nBody\n\n## Log\n- x\n',
    );
    expect(appendLog('---\nid: a\n---\n', 'x')).toBe('---\nid: a\n---\n\n## Log\n- x\n');
    expect(appendLog('---\nid: a\n---', 'x')).toBe('---\nid: a\n---\n\n## Log\n- x\n');
    expect(appendLog('---\r\nid: a\r\n---\r\nBody\r\n', 'x')).toBe(
      '---\r\nid: a\r\n---\r\nBody\r\n\r\n## Log\r\n- x\r\n',
    );
  });

  it('does not take `### Log` or `## Logging` for the section, and keeps entries on one line', () => {
    const text = '---\nid: a\n---\n### Log\n## Logging\n';
    expect(appendLog(text, 'a\nb')).toBe(`${text}\n## Log\n- a b\n`);
  });

  it('does not look for the section in the front matter', () => {
    expect(appendLog('---\nid: a\n---\nBody\n', 'x')).not.toContain('id: a\n- x');
  });
});

describe('readLog', () => {
  it('returns the entries of the Log section only', () => {
    const body =
      'Intro\n- not a log entry\n\n## Log\r\n- one\r\nwrapped text\r\n- two\r\n\r\n## Next\n- no\n';
    expect(readLog(body)).toEqual(['one', 'two']);
    expect(readLog('no log here\n')).toEqual([]);
  });
});
