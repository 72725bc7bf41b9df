// The UI-side client against a scripted fake worker: ids, progress routing, cancel, crashes, terminate().
import { describe, expect, it } from 'vitest';
import { EngineClient, type WorkerPort } from '../../web/src/client/engine-client';
import { EngineError } from '../../web/src/engine/errors';
import type { FromWorker, ToWorker } from '../../web/src/engine/protocol';

class FakeWorker implements WorkerPort {
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  sent: ToWorker[] = [];
  terminated = false;
  postMessage(m: ToWorker) { this.sent.push(m); }
  terminate() { this.terminated = true; }
  reply(m: FromWorker) { this.onmessage?.({ data: m } as MessageEvent<FromWorker>); }
}

describe('EngineClient', () => {
  it('matches responses to requests by id and routes progress events', async () => {
    const w = new FakeWorker();
    const c = new EngineClient(w);
    const progress: unknown[] = [];
    const a = c.call('selfTest', { steps: 2, stepMs: 1 }, { onProgress: (d) => progress.push(d) });
    const b = c.call('heapStats', {});
    const [ra, rb] = w.sent as Extract<ToWorker, { kind: 'request' }>[];
    w.reply({ kind: 'event', event: 'progress', id: ra.id, data: { step: 1 } });
    w.reply({ kind: 'response', id: rb.id, ok: true, result: { heapBytes: 1, allocatedBytes: 2, sessions: 0 } });
    w.reply({ kind: 'response', id: ra.id, ok: true, result: { stepsDone: 2 } });
    await expect(b).resolves.toEqual({ heapBytes: 1, allocatedBytes: 2, sessions: 0 });
    await expect(a).resolves.toEqual({ stepsDone: 2 });
    expect(progress).toEqual([{ step: 1 }]);
    expect(c.pendingCount).toBe(0);
  });

  it('rebuilds engine errors as EngineError with code and message', async () => {
    const w = new FakeWorker();
    const c = new EngineClient(w);
    const p = c.call('raiseForTest', { kind: 'invalid-data' });
    w.reply({ kind: 'response', id: 1, ok: false, error: { code: 'INVALID_DATA', message: 'row 7 is negative' } });
    await expect(p).rejects.toMatchObject({ name: 'EngineError', code: 'INVALID_DATA', message: 'row 7 is negative' });
  });

  it('sends a cancel message for an aborted signal', async () => {
    const w = new FakeWorker();
    const c = new EngineClient(w);
    const ac = new AbortController();
    const p = c.call('selfTest', { steps: 100, stepMs: 10 }, { signal: ac.signal });
    ac.abort();
    expect(w.sent.at(-1)).toEqual({ kind: 'cancel', id: 1 });
    w.reply({ kind: 'response', id: 1, ok: false, error: { code: 'CANCELLED', message: 'cancelled' } });
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('terminate() rejects pending calls and later calls', async () => {
    const w = new FakeWorker();
    const c = new EngineClient(w);
    const p = c.call('selfTest', { steps: 100, stepMs: 10 });
    c.terminate('stopped by the user');
    expect(w.terminated).toBe(true);
    await expect(p).rejects.toMatchObject({ code: 'TERMINATED', message: 'stopped by the user' });
    await expect(c.call('heapStats', {})).rejects.toBeInstanceOf(EngineError);
  });

  it('a crashed worker fails every pending call with WORKER_CRASHED', async () => {
    const w = new FakeWorker();
    const c = new EngineClient(w);
    const p = c.call('heapStats', {});
    w.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    await expect(p).rejects.toMatchObject({ code: 'WORKER_CRASHED', message: expect.stringContaining('boom') });
  });
});
