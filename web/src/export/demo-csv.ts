// The example data as a CSV file a user (or the CLI) can open elsewhere and load again: one row
// per region and week, spend and impressions per channel, controls and the KPI ("sales").
import type { DemoData } from '../engine/core-types';
import { writeCsv } from './csv';

export function demoToCsv(demo: DemoData): string {
  const p = demo.panel;
  const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
  const header = ['week', 'region',
    ...p.channelNames.map((c) => `${slug(c)}_spend`),
    ...(demo.impressions ? p.channelNames.map((c) => `${slug(c)}_impressions`) : []),
    ...p.controlNames.map(slug), 'sales'];
  const C = p.channels;
  const K = p.controls;
  function* rows(): Generator<unknown[]> {
    for (let r = 0; r < p.regions; r++) {
      for (let t = 0; t < p.weeks; t++) {
        const i = r * p.weeks + t;
        const row: unknown[] = [p.dates[t], p.regionNames[r]];
        for (let c = 0; c < C; c++) row.push(round(p.media[i * C + c]));
        if (demo.impressions) for (let c = 0; c < C; c++) row.push(Math.round(demo.impressions[i * C + c]));
        for (let k = 0; k < K; k++) row.push(round(p.controlValues[i * K + k]));
        row.push(round(p.kpi[i]));
        yield row;
      }
    }
  }
  return writeCsv(header, rows());
}

/** The truth as JSON (arrays per cell are left out: they are large and derivable). */
export function demoTruthJson(demo: DemoData): string {
  const t = demo.truth;
  return JSON.stringify({
    mediaShare: t.mediaShare,
    totalKpi: t.totalKpi,
    totalMedia: t.totalMedia,
    channels: t.channels,
    edges: t.edges,
  }, null, 2) + '\n';
}

const round = (x: number) => Math.round(x * 100) / 100;
