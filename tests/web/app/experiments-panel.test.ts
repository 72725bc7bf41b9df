// The experiments panel's table of parsed tests.
// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { calibrationInputs } from '../../../web/src/app/calibration-inputs';
import { mountExperimentsPanel, readoutText } from '../../../web/src/app/panels/experiments-panel';
import { appState, type Dataset } from '../../../web/src/app/state';

const weeks = 20;
const dataset = (name: string) =>
  ({
    source: 'file', name, table: null, inference: null, report: null, truth: null, original: null, mapping: null,
    panel: { regions: 1, weeks, channels: 1, controls: 0, media: new Float32Array(weeks), spend: new Float32Array(weeks), controlValues: new Float32Array(0), kpi: new Float32Array(weeks), channelNames: ['TV'], regionNames: ['all'], dates: Array.from({ length: weeks }, (_, t) => `2024-01-${String(1 + t).padStart(2, '0')}`) },
  }) as unknown as Dataset;

describe('experiments panel', () => {
  it("shows each test's readout after its end: weeks, none, or the whole carryover", () => {
    const root = document.createElement('div');
    mountExperimentsPanel(root);
    appState.setDataset(dataset('readout.csv'));
    calibrationInputs.setExperiments({
      name: 'tests.csv',
      text: 'channel,start,end,lift,lift_se,readout_weeks\nTV,2024-01-01,2024-01-02,10,1,0\nTV,2024-01-01,2024-01-02,10,1,4\nTV,2024-01-01,2024-01-02,10,1,\n',
    });
    const cells = [...root.querySelectorAll('#experiments-rows tbody tr')].map((tr) => tr.lastElementChild?.textContent);
    expect(cells).toEqual(['none (the test weeks only)', '4 weeks', 'the whole carryover']);
    expect(readoutText(1)).toBe('1 week');
  });
});
