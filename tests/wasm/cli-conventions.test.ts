// The conventions every CLI command follows (issue 14): strict options with the nearest valid
// name, -h/--help, --version, '-' for standard input, progress on stderr (also with --json, none
// with --quiet), usage on stderr for mistakes, one spelling per concept, all in the README.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliIo } from '../../web/cli/io';
import { COMMAND_SPECS, main } from '../../web/cli/main';
import { APP_VERSION } from '../../web/src/version';

const ALL_COMMANDS = Object.keys(COMMAND_SPECS);

function capture(stdin?: Uint8Array | string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (s) => out.push(s), stderr: (s) => err.push(s) };
  if (stdin !== undefined) io.stdin = async () => (typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin);
  return { io, out, err, stdout: () => out.join(''), stderr: () => err.join('\n') };
}

describe('CLI conventions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-cli-conv-'));
  const csv = join(dir, 'demo.csv');
  const model = join(dir, 'fit', 'model.mmm');

  beforeAll(async () => {
    expect(await main(['demo', '--out', csv, '--regions', '4', '--weeks', '60', '--channels', '2', '--controls', '1', '--seed', '7'], capture().io)).toBe(0);
    expect(await main(['fit', csv, '--epochs', '3', '--hidden', '8', '--seed', '1', '--quiet', '--out', join(dir, 'fit')], capture().io)).toBe(0);
  });

  it('-h and --help on every command print its usage on stdout, exit 0, nothing on stderr', async () => {
    for (const name of ALL_COMMANDS) {
      for (const flag of ['-h', '--help']) {
        const c = capture();
        expect(await main([name, flag], c.io), `${name} ${flag}`).toBe(0);
        expect(c.stdout()).toMatch(new RegExp(`^Usage: mmm-studio ${name}\\b`));
        expect(c.err).toEqual([]);
      }
    }
    // The reported bug: `fit -h` answered "cannot read '-h'".
    const c = capture();
    expect(await main(['fit', '-h'], c.io)).toBe(0);
    expect(c.stdout()).not.toMatch(/cannot read/);
    const h = capture();
    expect(await main(['help', 'predict'], h.io)).toBe(0);
    expect(h.stdout()).toMatch(/^Usage: mmm-studio predict/);
  });

  it('an unknown option on any command: exit 2, the option and the nearest valid one on stderr with the usage, stdout empty', async () => {
    const cases: [string, string[], string, string | null][] = [
      ['fit', [csv, '--holdout', '8'], '--holdout', '--holdout-weeks'],
      ['fit', [csv, '--thread=2'], '--thread', '--threads'],
      ['inspect', [csv, '--holdout', '8'], '--holdout', '--holdout-weeks'],
      ['inspect', [csv, '--jsno'], '--jsno', '--json'],
      ['predict', [model, csv, '--josn'], '--josn', '--json'],
      ['optimize', [model, '--budgte', '5'], '--budgte', '--budget'],
      ['export', [model, '--onnx', 'x.onnx'], '--onnx', null],
      ['export', [model, '--output', 'x.onnx'], '--output', '--out'],
      ['demo', ['--out', join(dir, 'x.csv'), '--region', '3'], '--region', '--regions'],
      ['batch', ['m.csv', '--out', dir, '--tasks', '3'], '--tasks', '--task'],
      ['info', ['--verbose'], '--verbose', null],
    ];
    for (const [name, args, bad, near] of cases) {
      const c = capture();
      expect(await main([name, ...args], c.io), `${name} ${args.join(' ')}`).toBe(2);
      expect(c.out).toEqual([]);
      const err = c.stderr();
      expect(err).toContain(`mmm-studio ${name}: unknown option '${bad}'${near ? `; did you mean '${near}'?` : ''}`);
      if (!near) expect(err).not.toMatch(/did you mean/);
      expect(err).toContain(`Usage: mmm-studio ${name}`);
    }
  });

  it('other command-line mistakes also exit 2 with the usage on stderr, never on stdout', async () => {
    for (const argv of [[], ['fitt'], ['--bogus'], ['fit'], ['fit', 'a.csv', 'b.csv'], ['fit', csv, '--seed'], ['fit', csv, '--json=yes'], ['predict', model], ['demo'], ['info', 'extra']]) {
      const c = capture();
      expect(await main(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.out, argv.join(' ')).toEqual([]);
      expect(c.stderr(), argv.join(' ')).toMatch(/Usage: mmm-studio/);
    }
    const c = capture();
    await main(['fitt'], c.io);
    expect(c.stderr()).toMatch(/unknown command 'fitt'; did you mean 'fit'\?/);
  });

  it('an unwritable output is a clear error (exit 2) naming the path and why, before any training', async () => {
    const c = capture();
    expect(await main(['demo', '--out', join(dir, 'missing', 'x.csv')], c.io)).toBe(2);
    expect(c.stderr()).toContain(`cannot write '${join(dir, 'missing', 'x.csv')}': no such file or folder`);
    const f = capture();
    expect(await main(['fit', csv, '--out', join(csv, 'sub'), '--epochs', '3', '--hidden', '8'], f.io)).toBe(2);
    expect(f.stderr()).toContain('a part of the path is a file, not a folder');
    expect(f.stderr()).not.toMatch(/trained/);
  });

  it.skipIf(!existsSync('/proc/self'))('regression: fit --out under /proc fails at once (mkdirSync recursive looped there forever)', async () => {
    const c = capture();
    expect(await main(['fit', csv, '--out', '/proc/mmm-studio-test/out', '--epochs', '3', '--hidden', '8'], c.io)).toBe(2);
    expect(c.stderr()).toMatch(/cannot create the folder '\/proc\/mmm-studio-test\/out'/);
  });

  it('--version and -V print the app version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const c = capture();
      expect(await main([flag], c.io)).toBe(0);
      expect(c.stdout()).toBe(`mmm-studio ${APP_VERSION}`);
    }
    expect(APP_VERSION).toBe(pkg.version);
  });

  it("'-' reads standard input: inspect, fit and predict's CSV give what the file gives", async () => {
    const text = readFileSync(csv, 'utf8');
    const fromFile = capture();
    expect(await main(['inspect', csv, '--json'], fromFile.io)).toBe(0);
    const fromStdin = capture(text);
    expect(await main(['inspect', '-', '--json'], fromStdin.io)).toBe(0);
    const { file: _a, ...a } = JSON.parse(fromFile.stdout());
    const { file: b0, ...b } = JSON.parse(fromStdin.stdout());
    expect(b0).toBe('-');
    expect(b).toEqual(a);

    const fitFile = capture();
    expect(await main(['fit', csv, '--json', '--quiet', '--epochs', '3', '--hidden', '8', '--seed', '2'], fitFile.io)).toBe(0);
    const fitStdin = capture(text);
    expect(await main(['fit', '-', '--json', '--quiet', '--epochs', '3', '--hidden', '8', '--seed', '2'], fitStdin.io)).toBe(0);
    const [x, y] = [JSON.parse(fitFile.stdout()), JSON.parse(fitStdin.stdout())];
    expect(y.shape).toEqual(x.shape);
    expect(y.holdout).toEqual(x.holdout); // same data, options and seed: identical results

    const predFile = capture();
    expect(await main(['predict', model, csv], predFile.io)).toBe(0);
    const predStdin = capture(text);
    expect(await main(['predict', model, '-'], predStdin.io)).toBe(0);
    expect(predStdin.stdout()).toBe(predFile.stdout());
    expect(predStdin.stdout().split(/\r?\n/)[0]).toBe('region,week,prediction,actual');

    // No standard input to read (e.g. an embedding without one): a clear usage error.
    const none = capture();
    expect(await main(['inspect', '-'], none.io)).toBe(2);
    expect(none.stderr()).toMatch(/'-' reads standard input, but there is none here/);
  });

  it('fit --json: progress lines on stderr (fit and analysis), stdout pure JSON; --quiet: nothing on stderr', async () => {
    const c = capture();
    expect(await main(['fit', csv, '--json', '--epochs', '3', '--hidden', '8'], c.io)).toBe(0);
    expect(() => JSON.parse(c.stdout())).not.toThrow();
    const lines = c.err;
    expect(lines[0]).toMatch(/^fit: .*demo\.csv: 4 regions × 60 weeks × 2 channels × 1 controls, 1 thread$/);
    expect(lines.some((l) => /^fit: \d+%  epoch \d+ of at most \d+/.test(l))).toBe(true);
    expect(lines.some((l) => /^fit: 100%/.test(l))).toBe(true);
    expect(lines.some((l) => /^fit: trained \d+ epochs in [\d.]+ s$/.test(l))).toBe(true);
    expect(lines.some((l) => /^fit: analysing/.test(l))).toBe(true);
    // The analysis reports its share done from inside the engine call (here one chunk of regions).
    expect(lines.some((l) => /^fit: 100%  analysis: 1 of 1 region chunks simulated, \d+ s$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^fit: analysis done in [\d.]+ s \(\d+ simulations\)$/);

    const q = capture();
    expect(await main(['fit', csv, '--json', '--quiet', '--epochs', '3', '--hidden', '8'], q.io)).toBe(0);
    expect(q.err).toEqual([]);
    expect(JSON.parse(q.stdout()).shape.regions).toBe(4);
  });

  it('on a terminal the progress is one bar redrawn in place, and stdout is untouched', async () => {
    let raw = '';
    const c = capture();
    c.io.stderrTerminal = { write: (s) => (raw += s), columns: 100 };
    expect(await main(['fit', csv, '--json', '--epochs', '3', '--hidden', '8'], c.io)).toBe(0);
    expect(raw).toMatch(/\rfit \[[#-]{24}\] +\d+%  epoch \d+/);
    expect(raw).toContain('fit: analysis done');
    expect(raw.endsWith('\n')).toBe(true); // the bar is cleared, not left on the line
    expect(() => JSON.parse(c.stdout())).not.toThrow();
  });

  it('one spelling per concept: no option is a longer or shorter spelling of another, same name same type', () => {
    const types = new Map<string, string>();
    for (const [name, spec] of Object.entries(COMMAND_SPECS)) {
      for (const [opt, def] of Object.entries(spec.options as Record<string, { type: string }>)) {
        expect(types.get(opt) ?? def.type, `${name} --${opt}`).toBe(def.type);
        types.set(opt, def.type);
      }
    }
    const names = [...types.keys()];
    for (const a of names) for (const b of names) expect(b.startsWith(`${a}-`), `--${a} and --${b}`).toBe(false);
    // Where a command writes a file or folder, the option is --out.
    for (const name of ['fit', 'demo', 'export']) expect(Object.keys(COMMAND_SPECS[name as keyof typeof COMMAND_SPECS].options)).toContain('out');
  });

  it("every command and every option is in its usage and in the README's command-line section", async () => {
    const text = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const readme = text.slice(text.indexOf('## Command line\n'), text.indexOf('\n## ', text.indexOf('## Command line\n') + 1));
    expect(readme.length).toBeGreaterThan(500);
    for (const name of ALL_COMMANDS) {
      expect(readme, `README: mmm-studio ${name}`).toMatch(new RegExp(`mmm-studio ${name}\\b`));
      const c = capture();
      await main([name, '--help'], c.io);
      const usage = c.stdout();
      const declared = Object.keys(COMMAND_SPECS[name as keyof typeof COMMAND_SPECS].options);
      for (const opt of [...declared, 'help']) {
        expect(usage, `${name} --help lists --${opt}`).toContain(`--${opt}`);
        expect(readme, `README lists ${name} --${opt}`).toMatch(new RegExp(`--${opt}\\b`));
      }
    }
  });
});
