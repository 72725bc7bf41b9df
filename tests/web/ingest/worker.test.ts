// The ingest worker and its UI-thread client, wired together in Node through a fake Worker: the
// real ingest.worker.ts module runs, so parse → inference → validation → panel and mapping edits
// are tested as the browser runs them (minus the thread).
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IngestWorker } from '../../../web/src/ingest/worker-client';
import { IngestError } from '../../../web/src/ingest/types';
import { fixturePath } from './helpers';

type Listener = ((ev: { data: unknown }) => void) | null;

/** A Worker whose "thread" is the ingest.worker.ts module imported into this process. */
async function fakeWorker(): Promise<{ worker: Worker; sent: unknown[] }> {
  const sent: unknown[] = [];
  const scope = {
    onmessage: null as Listener,
    postMessage(data: unknown) {
      setTimeout(() => worker.onmessage?.({ data } as MessageEvent));
    },
  };
  const worker = {
    onmessage: null as ((ev: MessageEvent) => void) | null,
    onerror: null,
    terminated: false,
    postMessage(data: unknown) {
      sent.push(data);
      if (!this.terminated) setTimeout(() => scope.onmessage?.({ data }));
    },
    terminate() {
      this.terminated = true;
    },
  };
  (globalThis as unknown as { self: unknown }).self = scope;
  vi.resetModules();
  await import('../../../web/src/ingest/ingest.worker');
  return { worker: worker as unknown as Worker, sent };
}

describe('IngestWorker', () => {
  let fake: { worker: Worker; sent: unknown[] };
  beforeEach(async () => {
    fake = await fakeWorker();
  });
  afterEach(() => {
    delete (globalThis as unknown as { self?: unknown }).self;
  });

  it('loads a file: progress, inference, report and panel all come from the worker', async () => {
    const client = new IngestWorker(() => fake.worker);
    const progress: number[] = [];
    const bytes = readFileSync(fixturePath('style_robyn.csv'));
    const out = await client.load(new Blob([bytes]), (l, t) => progress.push(l / t), { }).promise;
    expect(progress.at(-1)).toBe(1);
    expect(out.inference.mapping.kpi).toBe('revenue');
    expect(out.columns[0]).toBe('DATE');
    expect(out.report.canTrain).toBe(true);
    expect(out.panel).toMatchObject({ regions: 1, weeks: 80, channels: 6, controls: 3 });
    expect(out.panel!.controlNames).toEqual(['competitor_sales_B', 'events=event1', 'events=event2']);
    expect(out.parseMs).toBeGreaterThanOrEqual(0);
  });

  it('mapping edits are validated and built in the worker; the latest edit wins', async () => {
    const client = new IngestWorker(() => fake.worker);
    const out = await client.load(new Blob([readFileSync(fixturePath('style_robyn.csv'))])).promise;
    const noEvents = { ...out.inference.mapping, controls: ['competitor_sales_B', 'events=event2'], dummies: { events: ['event2'] } };
    const noKpi = { ...out.inference.mapping, kpi: '' };
    const [stale, latest] = await Promise.all([client.apply(noEvents), client.apply(noKpi)]);
    expect(stale).toBeNull();
    expect(latest!.report.canTrain).toBe(false);
    expect(latest!.report.errors.map((e) => e.code)).toContain('NO_KPI');
    const again = await client.apply(noEvents);
    expect(again!.panel!.controlNames).toEqual(['competitor_sales_B', 'events=event2']);
  });

  it('errors in the worker come back with their code; cancel rejects with CANCELLED and stops the worker', async () => {
    const client = new IngestWorker(() => fake.worker);
    await expect(client.apply({ time: 'week', region: null, kpi: 'x', channels: [], controls: [], ignored: [] })).rejects.toMatchObject({ code: 'NO_TABLE' });
    const fresh = await fakeWorker();
    const second = new IngestWorker(() => fresh.worker);
    const handle = second.load(new Blob([readFileSync(fixturePath('ok_geo_panel.csv'))]));
    handle.cancel();
    await expect(handle.promise).rejects.toBeInstanceOf(IngestError);
    await expect(handle.promise).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(second.apply({ time: 'week', region: null, kpi: 'x', channels: [], controls: [], ignored: [] })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
