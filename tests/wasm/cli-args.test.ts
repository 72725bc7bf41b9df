// The CLI's shared argument parser and progress reporter, without the engine.
import { describe, expect, it } from 'vitest';
import { nearestOption, parseCommandArgs } from '../../web/cli/args';
import { CliUsageError, type CliIo } from '../../web/cli/io';
import { createProgress } from '../../web/cli/progress';

function capture(extra: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), ...extra } as CliIo, out, err };
}

const SPEC = {
  name: 'try',
  usage: 'Usage: try <file> [--holdout-weeks N] [--hidden H] [--json]',
  options: { 'holdout-weeks': { type: 'string' }, hidden: { type: 'string' }, json: { type: 'boolean' }, dag: { type: 'string' } },
  positionals: { min: 1, max: 1, what: 'one file' },
} as const;

function usageError(fn: () => unknown): CliUsageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliUsageError) return err;
    throw err;
  }
  throw new Error('expected a CliUsageError');
}

describe('nearestOption', () => {
  const declared = ['holdout-weeks', 'hidden', 'seed', 'epochs', 'threads', 'json', 'out', 'help'];
  it('prefers the option the typed name begins (not the closest by edit distance)', () => {
    // 'hidden' is closer by edit distance (5) than 'holdout-weeks' (6): prefix wins.
    expect(nearestOption('--holdout', declared)).toBe('holdout-weeks');
    expect(nearestOption('--thread', declared)).toBe('threads');
    expect(nearestOption('--output', declared)).toBe('out');
  });
  it('finds small typos and gives up on unrelated names', () => {
    expect(nearestOption('--seeed', declared)).toBe('seed');
    expect(nearestOption('--jsno', declared)).toBe('json');
    expect(nearestOption('--epoch', declared)).toBe('epochs');
    expect(nearestOption('--frobnicate', declared)).toBeUndefined();
    expect(nearestOption('-x', declared)).toBeUndefined();
  });
});

describe('parseCommandArgs', () => {
  it('an unknown option is a usage error naming it and the nearest valid option, with the usage', () => {
    const e = usageError(() => parseCommandArgs(['f.csv', '--holdout', '8'], SPEC, capture().io));
    expect(e.message).toBe("unknown option '--holdout'; did you mean '--holdout-weeks'?");
    expect(e.usage).toBe(SPEC.usage);
    expect(usageError(() => parseCommandArgs(['f.csv', '--holdout=8'], SPEC, capture().io)).message).toMatch(/'--holdout'; did you mean '--holdout-weeks'/);
    expect(usageError(() => parseCommandArgs(['f.csv', '-z'], SPEC, capture().io)).message).toBe("unknown option '-z'");
  });
  it('values: missing, unexpected, typed ranges and choices', () => {
    expect(usageError(() => parseCommandArgs(['f.csv', '--hidden'], SPEC, capture().io)).message).toMatch(/--hidden <value>' argument missing/);
    expect(usageError(() => parseCommandArgs(['f.csv', '--json=yes'], SPEC, capture().io)).message).toMatch(/'--json' does not take an argument/);
    const args = parseCommandArgs(['f.csv', '--hidden', '8', '--holdout-weeks=4', '--dag', 'circular'], SPEC, capture().io)!;
    expect(args.positional).toEqual(['f.csv']);
    expect(args.int('hidden', 1, 64)).toBe(8);
    expect(args.int('holdout-weeks', 0, 52)).toBe(4);
    expect(args.flag('json')).toBe(false);
    expect(args.has('json')).toBe(false);
    expect(() => args.int('hidden', 10, 64)).toThrow("--hidden must be a whole number from 10 to 64 (got '8')");
    expect(() => args.choice('dag', ['triangular', 'notears'])).toThrow("--dag must be 'triangular' or 'notears' (got 'circular')");
  });
  it('the number of positionals is checked, with what was expected and what came', () => {
    expect(usageError(() => parseCommandArgs([], SPEC, capture().io)).message).toBe('expected one file (got none)');
    expect(usageError(() => parseCommandArgs(['a', 'b'], SPEC, capture().io)).message).toBe("expected one file (got 2: 'a' 'b')");
    // '-' (standard input) is a positional, not an option.
    expect(parseCommandArgs(['-', '--json'], SPEC, capture().io)!.positional).toEqual(['-']);
  });
  it('-h/--help prints the usage on stdout and wins over other mistakes', () => {
    for (const argv of [['-h'], ['--help'], ['--bogus', '-h'], ['a', 'b', 'c', '--help']]) {
      const c = capture();
      expect(parseCommandArgs(argv, SPEC, c.io)).toBeNull();
      expect(c.out).toEqual([SPEC.usage]);
      expect(c.err).toEqual([]);
    }
    // After '--' it is a file name.
    expect(parseCommandArgs(['--', '-h'], SPEC, capture().io)!.positional).toEqual(['-h']);
  });
});

describe('progress on stderr', () => {
  it('plain lines when stderr is not a terminal: the first and last always, the rest throttled', () => {
    const c = capture();
    let t = 0;
    const p = createProgress(c.io, { quiet: false, label: 'fit', lineInterval: 2, now: () => t });
    p.note('starting');
    for (let e = 1; e <= 10; e++) {
      t = e * 0.5;
      p.update(e, 10, `epoch ${e}`);
    }
    expect(c.err).toEqual(['fit: starting', 'fit: 10%  epoch 1', 'fit: 50%  epoch 5', 'fit: 90%  epoch 9', 'fit: 100%  epoch 10']);
    expect(c.out).toEqual([]);
  });
  it('a bar redrawn in place on a terminal, cleared before a note', () => {
    let raw = '';
    const c = capture({ stderrTerminal: { write: (s: string) => (raw += s), columns: 60 } });
    let t = 0;
    const p = createProgress(c.io, { quiet: false, label: 'fit', now: () => t });
    p.update(1, 4, 'epoch 1');
    t = 0.05;
    p.update(2, 4, 'epoch 2'); // within 1/10 s of the last draw: skipped
    t = 0.2;
    p.update(3, 4, 'epoch 3');
    p.note('done');
    expect(raw).toBe(
      '\rfit [######------------------]  25%  epoch 1\x1b[K' + '\rfit [##################------]  75%  epoch 3\x1b[K' + '\r\x1b[K' + 'fit: done\n',
    );
    expect(c.err).toEqual([]);
  });
  it('--quiet: nothing at all', () => {
    let raw = '';
    const c = capture({ stderrTerminal: { write: (s: string) => (raw += s), columns: 80 } });
    const p = createProgress(c.io, { quiet: true, label: 'fit' });
    p.note('x');
    p.update(1, 2, 'y');
    p.end();
    expect(raw).toBe('');
    expect(c.err).toEqual([]);
  });
});
