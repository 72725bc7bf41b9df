// Fit and forecast metrics on the original KPI scale.
//
// y and yhat are full region-major grids (y[r*weeks + t]); a score covers every region and the
// weeks [t_begin, t_end). Everything is accumulated in double.
//
//   r2                1 − SSE / Σ (y − pooled mean)²            (pooled over regions and weeks)
//   r2_within         1 − SSE / Σ_r Σ_t (y − mean of region r over the scored weeks)²
//                     — what is left once region size is explained; the honest "fit" number
//   rmse, mae         √(SSE/n), Σ|e|/n
//   wape              Σ|e| / Σ|y|
//   rel_error         rmse / mean(y)
//   r2_region_median  median over regions of that region's own R² (regions whose scored KPI has
//                     zero variance are skipped; r2_regions counts the regions used)
//   skill.*           1 − SSE(model) / SSE(naive forecast); > 0 means better than the naive one.
//                     Naive forecasts use only KPI values known at forecast time (index < train_end):
//                     recent_mean: each region's mean over its last min(13, train_end) training
//                       weeks (unavailable when train_end == 0);
//                     seasonal_naive: y[r, t − 52·k] with k = 1 for t < train_end, and for forecast
//                       weeks t ≥ train_end the smallest k ≥ 1 with t − 52·k < train_end (the
//                       standard seasonal naive forecast); available only when that index is ≥ 0
//                       for every scored week.
//
// Degenerate cases (documented, never an exception):
//   * empty range (n == 0): every metric is NaN, n = 0, skills unavailable;
//   * R²-type ratios 1 − A/B with B == 0 (a constant KPI): 1 when A == 0, else 0 (the convention
//     of scikit-learn's r2_score) — always finite;
//   * wape with Σ|y| == 0 and rel_error with mean(y) == 0: 0 when the errors are all 0, else NaN;
//   * r2_region_median: NaN when every region has zero variance;
//   * skill with a perfect naive forecast (SSE(naive) == 0): 0 when the model is perfect too, else
//     NaN; an unavailable skill is NaN with its *_available flag false.
// Non-finite y or yhat values and inconsistent sizes/ranges throw InvalidData / InvalidConfig.
#pragma once
#include <vector>

namespace mmm {

struct Skill {
  double recent_mean = 0;     // skill vs each region's recent training mean
  double seasonal_naive = 0;  // skill vs the same week one year earlier
  bool recent_available = false;
  bool seasonal_available = false;
};

struct Metrics {
  double r2 = 0;
  double r2_within = 0;
  double rmse = 0;
  double mae = 0;
  double wape = 0;
  double rel_error = 0;
  double r2_region_median = 0;
  int r2_regions = 0;  // regions that entered r2_region_median
  double mean_y = 0;
  Skill skill;
  long n = 0;  // scored region-weeks
};

// Seasonal period (weeks) of the seasonal naive forecast.
constexpr int kSeasonalPeriod = 52;

Metrics score(const std::vector<float>& y, const std::vector<float>& yhat, int regions, int weeks,
              int t_begin, int t_end, int train_end);

// Train vs holdout: positive r2 / r2_within / wape_increase mean the holdout is worse.
struct TrainHoldoutGap {
  double r2 = 0;          // train.r2 − holdout.r2 (R² points; "gap 10.8%" in the reference = 0.108)
  double r2_within = 0;   // train.r2_within − holdout.r2_within
  double wape = 0;        // holdout.wape − train.wape
  double rmse_ratio = 0;  // holdout.rmse / train.rmse (NaN when train.rmse == 0)
};
TrainHoldoutGap train_holdout_gap(const Metrics& train, const Metrics& holdout);

}  // namespace mmm
