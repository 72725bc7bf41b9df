#include "mmm/calibration.hpp"

#include <algorithm>
#include <cmath>

#include "mmm/errors.hpp"
#include "mmm/nn.hpp"

namespace mmm {

std::vector<float> block_bootstrap_weights(int weeks, int block, uint64_t seed) {
  std::vector<float> w(static_cast<size_t>(std::max(0, weeks)), 0.0f);
  if (weeks <= 0) return w;
  block = std::clamp(block, 1, weeks);
  nn::Rng rng(seed);
  int covered = 0;
  while (covered < weeks) {
    const int starts = weeks - block + 1;
    const int s = std::min(starts - 1, static_cast<int>(rng.uniform() * starts));
    for (int t = s; t < s + block && covered < weeks; ++t, ++covered) w[t] += 1.0f;
  }
  return w;
}

bool covers_region(const Experiment& e, int r) {
  return e.regions.empty() || std::find(e.regions.begin(), e.regions.end(), r) != e.regions.end();
}

int readout_end_week(const Experiment& e, double decay, bool lag_blend, int last_week) {
  constexpr int kMaxCarryoverWeeks = 26;
  int extra = e.readout_weeks;
  if (extra < 0) {
    extra = decay > 0 ? static_cast<int>(std::ceil(std::log(0.01) / std::log(std::min(decay, 0.999)))) - 1 : 0;
    extra = std::clamp(extra + (lag_blend ? 1 : 0), 0, kMaxCarryoverWeeks);
  }
  return std::min(last_week, e.end_week + extra);
}

double model_lift(const FittedModel& m, const Experiment& e) {
  const int R = m.spec().regions, C = m.spec().channels, W = m.weeks();
  if (e.channel < 0 || e.channel >= C || e.start_week < 0 || e.end_week < e.start_week || e.end_week >= W)
    throw InvalidConfig("experiment: channel or weeks outside the model's data");
  const std::vector<float>& media = m.media();
  std::vector<float> off = media;
  for (int r = 0; r < R; ++r) {
    if (!covers_region(e, r)) continue;
    for (int t = e.start_week; t <= e.end_week; ++t) off[(static_cast<size_t>(r) * W + t) * C + e.channel] = 0.0f;
  }
  const Decomposition base = m.simulate(media, {}), cf = m.simulate(off, {});
  const int readout_end = readout_end_week(e, m.adstock_decay()[e.channel], m.spec().adstock_delay, W - 1);
  double lift = 0;
  for (int r = 0; r < R; ++r) {
    if (!covers_region(e, r)) continue;
    for (int t = e.start_week; t <= readout_end; ++t) {
      const size_t i = (static_cast<size_t>(r) * W + t) * C + e.channel;
      lift += static_cast<double>(base.media[i]) - cf.media[i];
    }
  }
  return lift;
}

double experiment_spend(const std::vector<float>& spend, int R, int W, int C, const Experiment& e) {
  if (spend.size() != static_cast<size_t>(R) * W * C) return 0.0;
  double s = 0;
  for (int r = 0; r < R; ++r) {
    if (!covers_region(e, r)) continue;
    for (int t = e.start_week; t <= e.end_week; ++t) s += spend[(static_cast<size_t>(r) * W + t) * C + e.channel];
  }
  return s;
}

MeasuredLift measured_lift(const Experiment& e, double window_spend) {
  MeasuredLift m;
  if (e.is_roi()) {
    m.lift = e.roi * window_spend;
    m.se = e.roi_se * window_spend;
  } else {
    m.lift = e.lift;
    m.se = e.lift_se;
  }
  if (!(m.se > 0)) m.se = 1e-12;
  return m;
}

std::vector<ExperimentFit> experiment_fits(const FittedModel& m, const std::vector<Experiment>& experiments,
                                           const std::vector<float>& spend) {
  std::vector<ExperimentFit> out;
  for (const Experiment& e : experiments) {
    ExperimentFit f;
    f.spend = experiment_spend(spend, m.spec().regions, m.weeks(), m.spec().channels, e);
    const MeasuredLift ml = measured_lift(e, f.spend);
    f.measured = ml.lift;
    f.measured_se = ml.se;
    f.model = model_lift(m, e);
    f.z = (f.model - f.measured) / ml.se;
    out.push_back(f);
  }
  return out;
}

}  // namespace mmm
