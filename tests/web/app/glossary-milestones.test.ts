// Which glossary terms a figure's text mentions (the "?" links), and the milestones the training
// status announces to screen readers (instead of every progress report).
import { describe, expect, it } from 'vitest';
import { GLOSSARY, termsIn } from '../../../web/src/app/glossary';
import { START_STATE, finishedMilestone, progressMilestone, type MilestoneState } from '../../../web/src/app/panels/train-milestones';

describe('glossary terms in a text', () => {
  it('covers the terms the issue lists', () => {
    expect(GLOSSARY.map((t) => t.id)).toEqual(['r2-within', 'r2', 'wape', 'skill', 'marginal-roi', 'roi', 'adstock', 'saturation']);
  });

  it('finds each term once, the specific one before the general one', () => {
    const ids = (s: string) => termsIn(s).map((t) => t.id);
    expect(ids('Holdout R² 0.81, within-region R² 0.64, WAPE 9.1 %.')).toEqual(['r2-within', 'r2', 'wape']);
    expect(ids('Within-region R² only')).toEqual(['r2-within']);
    expect(ids('Solid: average ROI · faded: marginal ROI')).toEqual(['marginal-roi', 'roi']);
    expect(ids('Marginal ROI by channel')).toEqual(['marginal-roi']);
    expect(ids('Adstock (carry-over) and Hill saturation curves')).toEqual(['adstock', 'saturation']);
    expect(ids('skill against two naive forecasts')).toEqual(['skill']);
    expect(ids('Contributions over time')).toEqual([]);
  });
});

describe('training milestones', () => {
  /** Feeds progress reports in order; returns what would be announced. */
  function announced(reports: { phase: string; epoch: number; totalEpochs: number }[]): string[] {
    let state: MilestoneState = START_STATE;
    const out: string[] = [];
    for (const p of reports) {
      const m = progressMilestone(state, p);
      state = m.state;
      if (m.text) out.push(m.text);
    }
    return out;
  }

  it('announces each quarter once, not every one of ~10 reports a second', () => {
    const reports = Array.from({ length: 400 }, (_, i) => ({ phase: 'training', epoch: i + 1, totalEpochs: 400 }));
    expect(announced(reports)).toEqual([
      'Training 25 % done: epoch 100 of at most 400.',
      'Training 50 % done: epoch 200 of at most 400.',
      'Training 75 % done: epoch 300 of at most 400.',
    ]);
  });

  it('a report that jumps several quarters announces only the latest, and a new phase starts over', () => {
    expect(announced([
      { phase: 'warm-start', epoch: 30, totalEpochs: 40 },
      { phase: 'training', epoch: 10, totalEpochs: 200 },
      { phase: 'training', epoch: 60, totalEpochs: 200 },
    ])).toEqual(['Warm start 75 % done: epoch 30 of at most 40.', 'Training 25 % done: epoch 60 of at most 200.']);
    expect(announced([{ phase: 'training', epoch: 0, totalEpochs: 0 }])).toEqual([]);
    // The last epoch is not "75 % done": the finished message covers it.
    expect(announced([{ phase: 'training', epoch: 160, totalEpochs: 160 }])).toEqual([]);
  });

  it('says when training stopped early', () => {
    expect(finishedMilestone({ epochs: 120, maxEpochs: 400, r2: 0.8123, wape: 0.091 })).toBe(
      'Stopped early at epoch 120 of at most 400: the validation loss stopped improving. Training finished after 120 epochs. Holdout R² 0.812, WAPE 9.1%.');
    expect(finishedMilestone({ epochs: 400, maxEpochs: 400, r2: null, wape: null })).toBe('Training finished after 400 epochs. Holdout R² –, WAPE –.');
  });
});
