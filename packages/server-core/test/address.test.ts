/** HOST:PORT parsing and the Do53 loopback rule (DESIGN §7). */
import { describe, expect, it } from 'vitest';
import { checkDo53Address, formatHostPort, isLoopback, parseHostPort } from '../src/address.js';
import { ServerConfigError, UsageError } from '../src/errors.js';

describe('parseHostPort', () => {
  it.each([
    ['127.0.0.1:8053', { host: '127.0.0.1', port: 8053 }],
    ['[::1]:53', { host: '::1', port: 53 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['0.0.0.0:65535', { host: '0.0.0.0', port: 65535 }],
  ])('%s', (text, expected) => {
    expect(parseHostPort(text, '--listen')).toEqual(expected);
    expect(formatHostPort(expected)).toBe(text);
  });

  it.each(['127.0.0.1', '::1:53', '127.0.0.1:65536', ':53', '[127.0.0.1]:53', 'host:port', '[::1]:'])(
    'refuses %s',
    (text) => {
      expect(() => parseHostPort(text, '--do53')).toThrow(UsageError);
      expect(() => parseHostPort(text, '--do53')).toThrow(/^--do53 /);
    },
  );
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['128.0.0.1', false],
    ['0.0.0.0', false],
    ['::', false],
    ['::2', false],
    ['192.0.2.1', false],
    ['localhost', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

describe('checkDo53Address', () => {
  it('accepts loopback, refuses other addresses unless public', () => {
    expect(() => checkDo53Address({ host: '127.0.0.1', port: 53 }, false)).not.toThrow();
    expect(() => checkDo53Address({ host: '0.0.0.0', port: 53 }, false)).toThrow(
      expect.objectContaining({ code: 'do53-not-loopback' }),
    );
    expect(() => checkDo53Address({ host: '0.0.0.0', port: 53 }, true)).not.toThrow();
    expect(() => checkDo53Address({ host: 'localhost', port: 53 }, true)).toThrow(ServerConfigError);
  });
});
