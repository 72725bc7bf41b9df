// The experiments panel: its table of parsed tests, and a regression test.
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
  // Regression: loading a second dataset reset the calibration inputs from inside the panel's render,
  // whose reset() notified the same render again before it noted the new dataset — endless recursion,
  // so every file after the first never finished loading (upload e2e, <mmm-studio> drop).
  it('a second dataset resets the experiments once and does not recurse (second file never loaded)', () => {
    const root = document.createElement('div');
    mountExperimentsPanel(root);
    appState.setDataset(dataset('first.csv'));
    calibrationInputs.setExperiments({ name: 'tests.csv', text: 'channel,start,end,lift,lift_se\nTV,2024-01-01,2024-01-08,10,1\n' });
    let resets = 0;
    const stop = calibrationInputs.subscribe(() => { resets += calibrationInputs.experiments === null ? 1 : 0; });
    expect(() => appState.setDataset(dataset('second.csv'))).not.toThrow();
    stop();
    expect(calibrationInputs.experiments).toBeNull();
    expect(resets).toBe(1);
  });

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
