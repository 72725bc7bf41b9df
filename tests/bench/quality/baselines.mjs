// Forecasts the model must beat, computed from the training weeks only (index < trainEnd):
//   recentMean     each region's mean of its last 13 training weeks;
//   seasonalNaive  the same week one year earlier (the latest t − 52k before trainEnd);
//   anchoredRidge  ridge regression of the KPI on the controls with region fixed effects, fitted on
//                  the training weeks, forecasting from each region's recent level:
//                  ŷ[r,t] = recent mean of r + Σ_k b_k (x[r,t,k] − x̄_k of r over the same 13 weeks).
//                  Controls are standardised; the penalty is RIDGE_LAMBDA × cells on that scale.
// Each returns per-region Float64Array forecasts over all weeks (NaN before trainEnd). Weeks a region
// has no row read the KPI filled as the driver fills it (metrics.mjs fillGaps).
import { RECENT_WEEKS, fillGaps, recentMeans, seasonalIndex } from './metrics.mjs';

export const RIDGE_LAMBDA = 0.01;

const forecastGrid = (kpi) => kpi.map((row) => new Float64Array(row.length).fill(NaN));

export function recentMeanForecast(kpi, trainEnd) {
  const level = recentMeans(kpi, trainEnd);
  const out = forecastGrid(kpi);
  out.forEach((row, r) => row.fill(level[r], trainEnd));
  return out;
}

export function seasonalNaiveForecast(kpi, trainEnd) {
  const filled = fillGaps(kpi);
  const out = forecastGrid(kpi);
  out.forEach((row, r) => {
    for (let t = trainEnd; t < row.length; t++) {
      const s = seasonalIndex(t, trainEnd);
      row[t] = s >= 0 ? filled[r][s] : NaN;
    }
  });
  return out;
}

/** Solves the symmetric positive-definite system A x = b (A: array of rows) by Cholesky. */
export function solveSpd(A, b) {
  const n = b.length;
  const L = A.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) throw new Error(`solveSpd: the matrix is not positive definite (pivot ${i} is ${s})`);
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * y[k];
    y[i] = s / L[i][i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

/**
 * Ridge coefficients of the KPI on the controls with region fixed effects (within-region demeaned),
 * on the original control units. controls: [{ values: [R][T] }].
 */
export function ridgeCoefficients(kpi, controls, trainEnd, lambda = RIDGE_LAMBDA) {
  const K = controls.length;
  if (K === 0) return new Float64Array(0);
  const XtX = Array.from({ length: K }, () => new Float64Array(K));
  const Xty = new Float64Array(K);
  const sd = new Float64Array(K);
  let cells = 0;
  const rows = [];
  kpi.forEach((row, r) => {
    const ts = [];
    for (let t = 0; t < trainEnd; t++) if (!Number.isNaN(row[t])) ts.push(t);
    if (!ts.length) return;
    const ym = ts.reduce((a, t) => a + row[t], 0) / ts.length;
    const xm = controls.map((c) => ts.reduce((a, t) => a + c.values[r][t], 0) / ts.length);
    for (const t of ts) rows.push({ y: row[t] - ym, x: controls.map((c, k) => c.values[r][t] - xm[k]) });
    cells += ts.length;
  });
  for (let k = 0; k < K; k++) sd[k] = Math.sqrt(rows.reduce((a, q) => a + q.x[k] ** 2, 0) / Math.max(1, cells)) || 1;
  for (const q of rows) {
    const z = q.x.map((v, k) => v / sd[k]);
    for (let i = 0; i < K; i++) {
      Xty[i] += z[i] * q.y;
      for (let j = 0; j < K; j++) XtX[i][j] += z[i] * z[j];
    }
  }
  for (let i = 0; i < K; i++) XtX[i][i] += lambda * cells;
  const bz = solveSpd(XtX, Xty);
  return bz.map((b, k) => b / sd[k]);
}

export function anchoredRidgeForecast(kpi, controls, trainEnd, lambda = RIDGE_LAMBDA) {
  const b = ridgeCoefficients(kpi, controls, trainEnd, lambda);
  const level = recentMeans(kpi, trainEnd);
  const out = forecastGrid(kpi);
  out.forEach((row, r) => {
    // Over the same weeks as the level: the last 13 training weeks.
    const from = Math.max(0, trainEnd - RECENT_WEEKS);
    const xm = controls.map((c) => c.values[r].subarray(from, trainEnd).reduce((a, v) => a + v, 0) / (trainEnd - from));
    for (let t = trainEnd; t < row.length; t++) {
      let v = level[r];
      controls.forEach((c, k) => (v += b[k] * (c.values[r][t] - xm[k])));
      row[t] = v;
    }
  });
  return out;
}
