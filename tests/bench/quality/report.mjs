// Aggregates per-origin results into per-dataset means and per-set summaries, and renders the
// Markdown table (one row per dataset, a summary row per set).
import { mean } from './metrics.mjs';

const MODEL_KEYS = ['r2', 'wape', 'skillRecent', 'skillSeasonal', 'mediaShare', 'roasError', 'contributionR2', 'trueMediaShare', 'seconds'];

/** Mean over a dataset's origins of the model's and the baselines' figures (failed origins left out). */
export function summariseDataset(ds) {
  const ok = ds.origins.filter((o) => !o.error);
  const pick = (f) => mean(ok.map(f));
  const model = Object.fromEntries(MODEL_KEYS.map((k) => [k, pick((o) => o.model[k])]));
  const baseline = (name) => ({
    r2: pick((o) => o.baselines[name].r2),
    wape: pick((o) => o.baselines[name].wape),
    skillRecent: pick((o) => o.baselines[name].skillRecent),
    skillSeasonal: pick((o) => o.baselines[name].skillSeasonal),
  });
  const beats = (m) => m.skillRecent !== null && m.skillSeasonal !== null && m.skillRecent > 0 && m.skillSeasonal > 0;
  return {
    origins: ok.length,
    failed: ds.origins.length - ok.length,
    model,
    linear: baseline('linear'),
    recentMean: baseline('recentMean'),
    seasonalNaive: baseline('seasonalNaive'),
    modelBeatsBothNaive: ok.length ? beats(model) : null,
    linearBeatsBothNaive: ok.length ? beats(baseline('linear')) : null,
  };
}

/** Per set: mean of the datasets' mean skills, and how many beat both naive forecasts. */
export function summariseSet(datasets) {
  const done = datasets.filter((d) => d.mean && d.mean.origins > 0);
  return {
    datasets: datasets.length,
    scored: done.length,
    meanSkillRecent: mean(done.map((d) => d.mean.model.skillRecent)),
    meanSkillSeasonal: mean(done.map((d) => d.mean.model.skillSeasonal)),
    beatBothNaive: done.filter((d) => d.mean.modelBeatsBothNaive).length,
    linearMeanSkillRecent: mean(done.map((d) => d.mean.linear.skillRecent)),
    linearMeanSkillSeasonal: mean(done.map((d) => d.mean.linear.skillSeasonal)),
    linearBeatBothNaive: done.filter((d) => d.mean.linearBeatsBothNaive).length,
  };
}

const fmt = (v, digits = 3) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));
const pct = (v) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)} %`);
const signed = (v) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`);

export function renderMarkdown(result) {
  const lines = [];
  lines.push(`# Forecast quality (rolling origin): ${result.label ?? 'defaults'}`);
  lines.push('');
  lines.push(`\`${result.command}\` — ${result.date}, ${result.origins} origin(s) per dataset (13 forecast weeks each), ` +
    `fit overrides: ${result.overrides.length ? result.overrides.map((o) => `\`${o}\``).join(' ') : 'none (defaults)'}, ` +
    `${result.seconds.toFixed(0)} s in all.`);
  lines.push('');
  lines.push('Means over origins. Skill = 1 − SSE / SSE(naive): vs each region\'s mean of its last 13 training weeks (recent) and vs the same week last year (LY); > 0 beats it. ' +
    'Media share: model (truth). ROAS error: mean |model − true| / true over channels; contribution R²: median over channels, weekly, summed over regions; both over the training weeks. ' +
    'Linear: ridge on the controls with region fixed effects, anchored at the recent level.');
  for (const set of ['tuning', 'reporting']) {
    const rows = result.datasets.filter((d) => d.set === set);
    if (!rows.length) continue;
    lines.push('');
    lines.push(`## ${set === 'tuning' ? 'Tuning set (defaults are chosen here)' : 'Reporting set (never used for tuning)'}`);
    lines.push('');
    lines.push('| dataset | R×T×C×K | pooled R² | WAPE | skill vs recent | skill vs LY | media share | ROAS error | contrib. R² | linear: R² / WAPE | linear: skill recent / LY |');
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const d of rows) {
      if (!d.mean || d.mean.origins === 0) {
        lines.push(`| ${d.name} | ${d.shape ? `${d.shape.regions}×${d.shape.weeks}×${d.shape.channels}×${d.shape.controls}` : '—'} | failed: ${(d.error ?? d.origins?.find((o) => o.error)?.error ?? '').replace(/\|/g, '/')} ||||||||| `);
        continue;
      }
      const m = d.mean.model;
      const l = d.mean.linear;
      const share = `${fmt(m.mediaShare, 2)}${m.trueMediaShare !== null ? ` (${fmt(m.trueMediaShare, 2)})` : ''}`;
      const failed = d.mean.failed ? ` (${d.mean.failed} origin(s) failed)` : '';
      lines.push(`| ${d.name}${failed} | ${d.shape.regions}×${d.shape.weeks}×${d.shape.channels}×${d.shape.controls} | ${fmt(m.r2)} | ${pct(m.wape)} | ${signed(m.skillRecent)} | ${signed(m.skillSeasonal)} | ${share} | ${m.roasError !== null ? pct(m.roasError) : '—'} | ${fmt(m.contributionR2, 2)} | ${fmt(l.r2)} / ${pct(l.wape)} | ${signed(l.skillRecent)} / ${signed(l.skillSeasonal)} |`);
    }
    const s = result.summary[set];
    lines.push(`| **${set}: mean** (${s.scored} datasets) | | | | **${signed(s.meanSkillRecent)}** | **${signed(s.meanSkillSeasonal)}** | | | | | ${signed(s.linearMeanSkillRecent)} / ${signed(s.linearMeanSkillSeasonal)} |`);
    lines.push(`| **${set}: beat both naive** | | | | **${s.beatBothNaive} / ${s.scored}** | | | | | | ${s.linearBeatBothNaive} / ${s.scored} |`);
  }
  lines.push('');
  return lines.join('\n');
}

const delta = (now, was, digits = 2) =>
  now === null || was === null || now === undefined || was === undefined ? '—' : `${fmt(was, digits)} → ${fmt(now, digits)}`;

/**
 * A table of what changed against an earlier run (its JSON, e.g. bench-results/quality-before.json):
 * per dataset both skills, media share and ROAS error, then the per-set summaries. Datasets only in
 * one of the runs are listed as such.
 */
export function renderComparison(result, previous, previousName) {
  const lines = ['', `## Against ${previousName} (${previous.date}, overrides: ${previous.overrides.length ? previous.overrides.join(' ') : 'none'})`, ''];
  if (previous.origins !== result.origins) lines.push(`Note: ${previousName} used ${previous.origins} origin(s) per dataset, this run ${result.origins}.`, '');
  lines.push('| dataset | skill vs recent | skill vs LY | media share | ROAS error | beats both naive |');
  lines.push('|---|---|---|---|---|---|');
  const before = new Map(previous.datasets.map((d) => [d.name, d]));
  for (const d of result.datasets) {
    const p = before.get(d.name);
    if (!d.mean || !p?.mean) {
      lines.push(`| ${d.name} | ${p ? 'not scored in one of the runs' : `not in ${previousName}`} | | | | |`);
      continue;
    }
    const [m, q] = [d.mean.model, p.mean.model];
    const beats = (x) => (x.modelBeatsBothNaive ? 'yes' : 'no');
    lines.push(`| ${d.name} | ${delta(m.skillRecent, q.skillRecent)} | ${delta(m.skillSeasonal, q.skillSeasonal)} | ${delta(m.mediaShare, q.mediaShare)} | ${delta(m.roasError, q.roasError)} | ${beats(p.mean)} → ${beats(d.mean)} |`);
  }
  // Set means compare only when both runs scored the same datasets of the set.
  const names = (run, set) => run.datasets.filter((d) => d.set === set).map((d) => d.name).join();
  for (const set of Object.keys(result.summary)) {
    const [s, q] = [result.summary[set], previous.summary?.[set]];
    if (!q || names(result, set) !== names(previous, set)) continue;
    lines.push(`| **${set}: mean** | **${delta(s.meanSkillRecent, q.meanSkillRecent)}** | **${delta(s.meanSkillSeasonal, q.meanSkillSeasonal)}** | | | **${q.beatBothNaive}/${q.scored} → ${s.beatBothNaive}/${s.scored}** |`);
  }
  lines.push('');
  return lines.join('\n');
}
