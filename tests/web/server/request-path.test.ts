// requestPath: how the static server turns a raw request target into a file path, or refuses it.
import { describe, expect, it } from 'vitest';
import { MAX_PATH_LENGTH, requestPath } from '../../../web/scripts/static-server.mjs';

describe('requestPath', () => {
  it('decodes ordinary paths and drops the query and fragment', () => {
    expect(requestPath('/')).toEqual({ path: '/' });
    expect(requestPath('/assets/app-1a2b.js?v=3#x')).toEqual({ path: '/assets/app-1a2b.js' });
    expect(requestPath('/R%C2%B2%20report.html')).toEqual({ path: '/R² report.html' });
    // Double encoding is decoded once: "%2e%2e" is then a literal (missing) file name, not a step up.
    expect(requestPath('/%252e%252e/x')).toEqual({ path: '/%2e%2e/x' });
  });

  it('regression: /%E0%A4%A (truncated escape) is refused with a reason instead of throwing', () => {
    expect(requestPath('/%E0%A4%A').error).toMatch(/malformed percent-encoding or is not valid UTF-8/);
  });

  it.each([
    ['/%C0%AE%C0%AE/', /not valid UTF-8/], // overlong "."
    ['/%ED%A0%80', /not valid UTF-8/], // lone surrogate
    ['/%', /malformed/],
    ['/a%00b', /control character/],
    ['/a%0Ab', /control character/],
    ['/a%5Cb', /backslash/],
    ['/a\\b', /backslash/],
    ['/../etc/passwd', /"\." or "\.\." segment/],
    ['/a/%2e%2e/b', /"\." or "\.\." segment/],
    ['/a/%2E/b', /"\." or "\.\." segment/],
    ['*', /starting with "\/"/],
    ['http://host/x', /starting with "\/"/],
    ['', /starting with "\/"/],
  ])('refuses %s', (target, reason) => {
    const r = requestPath(target);
    expect(r.path).toBeUndefined();
    expect(r.error).toMatch(reason);
  });

  it('refuses a path longer than MAX_PATH_LENGTH', () => {
    expect(requestPath(`/${'x'.repeat(MAX_PATH_LENGTH)}`).error).toMatch(/longer than 2048 characters/);
    expect(requestPath(`/${'x'.repeat(MAX_PATH_LENGTH - 1)}`).path).toHaveLength(MAX_PATH_LENGTH);
  });

  it('refuses undefined (a request with no target)', () => {
    expect(requestPath(undefined).error).toMatch(/starting with/);
  });
});
