import { describe, expect, it } from 'vitest';
import { BIG_FILE_BYTES, readNotice, trainCost, trainNotice } from '../../../web/src/ingest/size-estimate';

describe('size notices', () => {
  it('says nothing for ordinary files, and the size and reading time for big ones', () => {
    expect(readNotice(BIG_FILE_BYTES)).toBeNull();
    expect(readNotice(120e6)).toMatch(/^This 120 MB file takes about \d+ s to read.*Cancel keeps/);
  });
  it('scales training time and memory from the benchmark panel', () => {
    const bench = trainCost({ regions: 190, weeks: 109, channels: 13, controls: 7 });
    expect(bench.seconds).toBeCloseTo(15.9, 5);
    expect(bench.heapMB).toBeCloseTo(208, 5);
    expect(trainNotice({ regions: 190, weeks: 109, channels: 13, controls: 7 })).toBeNull();
    const big = trainCost({ regions: 2000, weeks: 156, channels: 30, controls: 2 });
    expect(big.tooBig).toBe(true);
    expect(trainNotice({ regions: 2000, weeks: 156, channels: 30, controls: 2 })).toMatch(/2000 regions × 156 weeks.*about \d+ min.*GB.*more than the 4 GB/);
    expect(trainNotice({ regions: 600, weeks: 156, channels: 13, controls: 7 })).toMatch(/takes about 72 s and about 940 MB of memory/);
  });
});
