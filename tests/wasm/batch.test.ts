// `mmm-studio batch` in-process on the real wasm: the manifest parser, the task index from each
// scheduler variable, idempotent tasks and --collect. (Child processes and kills: batch-process.test.ts.)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchCommand } from '../../web/cli/commands/batch';
import { main } from '../../web/cli/main';
import { CliUsageError } from '../../web/cli/io';
import { parseManifestText } from '../../web/cli/batch/manifest';
import { resolveTaskIndex, attemptOf, TASK_INDEX_VARIABLES } from '../../web/cli/batch/task-index';
import { readSummary } from './batch-helpers';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
}

const parseError = (text: string) => {
  try {
    parseManifestText(text, '/data/m.csv');
  } catch (err) {
    expect(err).toBeInstanceOf(CliUsageError);
    return (err as Error).message;
  }
  throw new Error('expected the manifest to be rejected');
};

describe('batch manifest parser', () => {
  it('reads ids, resolves data against the manifest folder and turns columns into fit options', () => {
    const m = parseManifestText('id,data,seed,holdout-weeks,media\nbrand-a.de,a.csv,3,8,"TV_spend,Search_spend"\nb_2,/abs/b.csv,,,\n', '/data/sub/m.csv');
    expect(m.tasks).toHaveLength(2);
    expect(m.tasks[0]).toMatchObject({ index: 0, id: 'brand-a.de', data: '/data/sub/a.csv', fitArgs: ['--seed', '3', '--holdout-weeks', '8', '--media', 'TV_spend,Search_spend'] });
    // Empty cells keep fit's defaults; absolute paths stay as they are.
    expect(m.tasks[1]).toMatchObject({ index: 1, id: 'b_2', data: '/abs/b.csv', fitArgs: [] });
  });

  it('names unknown columns and lists the allowed ones', () => {
    expect(parseError('id,data,sed,lr\na,a.csv,1,2\n')).toMatch(/unknown columns 'sed', 'lr'\. Allowed: id, data, (\S+, )*seed, (\S+, )*media/);
  });

  it('rejects columns batch sets itself, missing id/data columns, duplicates and empty manifests', () => {
    expect(parseError('id,data,out\na,a.csv,x\n')).toMatch(/column 'out' cannot be set per row/);
    expect(parseError('name,data\na,a.csv\n')).toMatch(/no 'id' column \(the header is: name,data\)/);
    expect(parseError('id,data,seed,seed\na,a.csv,1,2\n')).toMatch(/column 'seed' appears twice/);
    expect(parseError('id,data\n')).toMatch(/has a header but no task rows/);
    expect(parseError('')).toMatch(/is empty/);
  });

  it('rejects duplicate, unsafe and empty ids and empty data cells, naming the row and line', () => {
    expect(parseError('id,data\na,a.csv\nb,b.csv\na,c.csv\n')).toMatch(/row 2 \(line 4\): id 'a' is already used by row 0/);
    expect(parseError('id,data\n../x,a.csv\n')).toMatch(/row 0 \(line 2\): id '\.\.\/x' is not usable as a folder name/);
    expect(parseError('id,data\n.hidden,a.csv\n')).toMatch(/id '\.hidden' is not usable/);
    expect(parseError('id,data\n,a.csv\n')).toMatch(/id '' is not usable/);
    expect(parseError('id,data\nsummary.csv,a.csv\n')).toMatch(/and not summary\.csv/);
    expect(parseError('id,data\na,\n')).toMatch(/row 0 \(line 2\): the data cell is empty/);
    expect(parseError('id,data,seed\na,a.csv\n')).toMatch(/row 0 \(line 2\): 2 fields, the header has 3/);
  });

  it("checks option cells with fit's own rules before any task runs, naming row and column", () => {
    expect(parseError('id,data,seed\na,a.csv,1\nb,b.csv,abc\n')).toMatch(/row 1 \(line 3\): column 'seed' must be a whole number from 0 to \d+ \(got 'abc'\)/);
    expect(parseError('id,data,dag\na,a.csv,cyclic\n')).toMatch(/row 0 \(line 2\): column 'dag' must be 'triangular' or 'notears' \(got 'cyclic'\)/);
    expect(parseError('id,data,threads\na,a.csv,9\n')).toMatch(/column 'threads' must be a whole number from 1 to 4/);
  });
});

describe('batch task index', () => {
  it('--task wins over the environment', () => {
    expect(resolveTaskIndex('2', { SLURM_ARRAY_TASK_ID: '5' }, 12)).toBe(2);
  });

  it.each(TASK_INDEX_VARIABLES)('reads %s (0-based row index)', (name) => {
    expect(resolveTaskIndex(undefined, { [name]: '7' }, 12)).toBe(7);
    expect(resolveTaskIndex(undefined, { [name]: '0' }, 12)).toBe(0);
  });

  it('consults SLURM, then Kubernetes, then AWS Batch, skipping empty variables', () => {
    expect(resolveTaskIndex(undefined, { SLURM_ARRAY_TASK_ID: '', JOB_COMPLETION_INDEX: '4', AWS_BATCH_JOB_ARRAY_INDEX: '9' }, 12)).toBe(4);
  });

  it('rejects a missing, malformed or out-of-range index with the way to fix it', () => {
    expect(() => resolveTaskIndex(undefined, {}, 12)).toThrow(/no task index: pass --task N \(0 to 11\)/);
    expect(() => resolveTaskIndex(undefined, { AWS_BATCH_JOB_ARRAY_INDEX: '1.5' }, 12)).toThrow(/AWS_BATCH_JOB_ARRAY_INDEX='1\.5' is not a task index/);
    expect(() => resolveTaskIndex('-1', {}, 12)).toThrow(/--task='-1' is not a task index/);
    expect(() => resolveTaskIndex(undefined, { SLURM_ARRAY_TASK_ID: '12' }, 12)).toThrow(/past the manifest's last row: it has 12 tasks, indices 0 to 11 .*--array=0-11/);
  });

  it('counts attempts from SLURM requeues and AWS Batch attempts', () => {
    expect(attemptOf({})).toBe(1);
    expect(attemptOf({ SLURM_RESTART_COUNT: '1' })).toBe(2);
    expect(attemptOf({ AWS_BATCH_JOB_ATTEMPT: '3' })).toBe(3);
  });
});

describe('batch tasks and --collect on the real wasm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-batch-'));
  const out = join(dir, 'out');
  const manifest = join(dir, 'manifest.csv');

  beforeAll(async () => {
    expect(await main(['demo', '--out', join(dir, 'small.csv'), '--regions', '3', '--weeks', '60', '--channels', '3', '--seed', '4'], capture().io)).toBe(0);
    writeFileSync(join(dir, 'bad.csv'), 'week,sales\n2024-01-01,1\n');
    writeFileSync(manifest, 'id,data,seed,epochs,hidden,holdout-weeks\nok,small.csv,3,20,8,8\nbroken,bad.csv,1,20,8,\nnot-run,small.csv,5,20,8,\n');
  });

  it('a task writes DIR/<id>/ with the fit files and result.json; run twice, it writes once', async () => {
    const first = capture();
    expect(await batchCommand([manifest, '--out', out, '--task', '0'], first.io)).toBe(0);
    const files = readdirSync(join(out, 'ok')).sort();
    expect(files).toEqual(expect.arrayContaining(['channels.csv', 'contributions.csv', 'model.mmm', 'result.json', 'summary.json']));
    const result = JSON.parse(readFileSync(join(out, 'ok', 'result.json'), 'utf8'));
    expect(result).toMatchObject({ status: 'done', id: 'ok', index: 0, attempt: 1, cells: { seed: '3', epochs: '20' } });
    expect(result.fit.holdout.n).toBeGreaterThan(0);
    expect(result.fit.seed).toBe(3);
    const before = statSync(join(out, 'ok', 'result.json'));

    const again = capture();
    expect(await batchCommand([manifest, '--out', out, '--task', '0'], again.io)).toBe(0);
    expect(again.err.join('')).toMatch(/task 0 \(ok\) is already done, nothing to do/);
    const after = statSync(join(out, 'ok', 'result.json'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('a changed manifest row is not mistaken for the finished one', async () => {
    const changed = join(dir, 'changed.csv');
    writeFileSync(changed, 'id,data,seed,epochs,hidden,holdout-weeks\nok,small.csv,99,20,8,8\n');
    await expect(batchCommand([changed, '--out', out, '--task', '0'], capture().io)).rejects.toThrow(/holds the result of a different manifest row.*Delete .* to refit it/);
  });

  it('bad data fails with exit 2 (no retry) and DIR/<id>.failed.json, leaving no folder', async () => {
    const c = capture();
    expect(await batchCommand([manifest, '--out', out, '--task', '1'], c.io)).toBe(2);
    const failure = JSON.parse(readFileSync(join(out, 'broken.failed.json'), 'utf8'));
    expect(failure).toMatchObject({ status: 'failed', id: 'broken', kind: 'bad-input' });
    expect(failure.reason).toMatch(/cannot be used for training/);
    expect(existsSync(join(out, 'broken'))).toBe(false);
  });

  it('--collect writes summary.csv in manifest order and exits 1 naming failed and missing ids', async () => {
    const c = capture();
    expect(await batchCommand([manifest, '--out', out, '--collect'], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/1\/3 done, 1 failed, 1 missing/);
    expect(c.err.join('\n')).toMatch(/failed: broken/);
    expect(c.err.join('\n')).toMatch(/missing: not-run/);
    const { columns, rows } = readSummary(join(out, 'summary.csv'));
    expect(columns.slice(0, 6)).toEqual(['id', 'status', 'seed', 'epochs', 'train_r2', 'holdout_r2']);
    expect(columns).toEqual(expect.arrayContaining(['media_share', 'roi:TV', 'share:Search', 'reason']));
    expect(rows.map((r) => `${r.id} ${r.status}`)).toEqual(['ok done', 'broken failed', 'not-run missing']);
    const ok = rows[0];
    expect(ok.seed).toBe('3');
    expect(Number(ok.holdout_r2)).toBeLessThanOrEqual(1);
    expect(Number.isFinite(Number(ok['roi:TV']))).toBe(true);
    expect(rows[1].reason).toMatch(/^bad-input: .*cannot be used for training/);
    expect(rows[2].holdout_r2).toBe('');
    // Two collects of the same results are identical byte for byte (no timings in the summary).
    const first = readFileSync(join(out, 'summary.csv'));
    await batchCommand([manifest, '--out', out, '--collect'], capture().io);
    expect(readFileSync(join(out, 'summary.csv')).equals(first)).toBe(true);
  });

  it('a damaged result.json is reported with the file and the fix, not as a JSON stack trace', async () => {
    const damaged = join(dir, 'damaged');
    mkdirSync(join(damaged, 'ok'), { recursive: true });
    writeFileSync(join(damaged, 'ok', 'result.json'), '{"status": "do');
    await expect(batchCommand([manifest, '--out', damaged, '--collect'], capture().io)).rejects.toThrow(/ok\/result\.json is not valid JSON .*delete .*damaged\/ok to refit task 'ok'/);
  });

  it('rejects unknown options, missing --out and combined modes as usage errors', async () => {
    await expect(batchCommand([manifest, '--out', out, '--colect'], capture().io)).rejects.toThrow(/unknown option '--colect'; did you mean '--collect'\?/);
    await expect(batchCommand([manifest], capture().io)).rejects.toThrow(/--out DIR is required/);
    await expect(batchCommand([manifest, '--out', out, '--collect', '--local'], capture().io)).rejects.toThrow(/--collect and --local cannot be combined/);
    await expect(batchCommand([manifest, '--out', out, '--jobs', '2'], capture().io)).rejects.toThrow(/--jobs only applies to --local/);
    await expect(batchCommand([join(dir, 'nope.csv'), '--out', out, '--collect'], capture().io)).rejects.toThrow(/cannot read manifest .*nope\.csv.*no such file/);
  });
});
