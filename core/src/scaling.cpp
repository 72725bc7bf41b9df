#include "mmm/scaling.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "mmm/errors.hpp"

namespace mmm {
namespace {

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  double pos = q * (v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(v.size() - 1, lo + 1);
  double f = pos - lo;
  return v[lo] * (1 - f) + v[hi] * f;
}

// Centre and spread of a sample: mean/std, or median/(IQR/1.349) when robust.
void centre_spread(const std::vector<double>& v, bool robust, double& centre, double& spread) {
  if (v.empty()) {
    centre = 0;
    spread = 0;
    return;
  }
  if (robust) {
    centre = quantile(v, 0.5);
    spread = (quantile(v, 0.75) - quantile(v, 0.25)) / 1.349;
    if (spread > 0) return;  // fall back to the standard deviation for degenerate IQRs
  }
  double s = 0;
  for (double x : v) s += x;
  double m = s / v.size();
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  if (!robust) centre = m;
  spread = std::sqrt(ss / v.size());
}

}  // namespace

void Scalers::fit(const Panel& p, int train_weeks, const FitConfig& cfg) {
  regions = p.regions;
  channels = p.channels;
  controls = p.controls;
  control_clip = static_cast<float>(cfg.control_clip);
  const int R = p.regions, T = p.weeks, C = p.channels, K = p.controls, Tt = train_weeks;

  // KPI: per-region training mean; regions without a positive mean borrow the panel average.
  kpi_mean.assign(R, 0.0);
  double pos_sum = 0;
  int pos_n = 0;
  for (int r = 0; r < R; ++r) {
    double s = 0;
    for (int t = 0; t < Tt; ++t) s += p.kpi[static_cast<size_t>(r) * T + t];
    kpi_mean[r] = s / Tt;
    if (kpi_mean[r] > 0) {
      pos_sum += kpi_mean[r];
      ++pos_n;
    }
  }
  if (pos_n == 0)
    throw InvalidData("panel.kpi has no region with a positive mean over the " + std::to_string(Tt) +
                      " training weeks; the KPI must be positive on average");
  const double avg = pos_sum / pos_n;
  for (int r = 0; r < R; ++r)
    if (!(kpi_mean[r] > 1e-9 * avg)) kpi_mean[r] = avg;

  // Media divisors.
  std::vector<double> chan_mean(C, 0.0);
  std::vector<double> rc_mean(static_cast<size_t>(R) * C, 0.0);
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < Tt; ++t)
      for (int c = 0; c < C; ++c) {
        double x = p.media[(static_cast<size_t>(r) * T + t) * C + c];
        rc_mean[static_cast<size_t>(r) * C + c] += x / Tt;
        chan_mean[c] += x / (static_cast<double>(Tt) * R);
      }
  media_divisor.assign(static_cast<size_t>(R) * C, 1.0f);
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      double size = kpi_mean[r] / avg;
      double d;
      if (cfg.media_scaling == "global") {
        d = chan_mean[c];
      } else if (cfg.media_scaling == "region") {
        d = rc_mean[static_cast<size_t>(r) * C + c];
        // A region that (almost) never used the channel: fall back to the size-based divisor so a
        // single blip does not become a huge scaled value.
        d = std::max(d, 0.05 * chan_mean[c] * size);
      } else {
        d = chan_mean[c] * size;
      }
      media_divisor[static_cast<size_t>(r) * C + c] = d > 0 ? static_cast<float>(d) : 1.0f;
    }
  adstock_init.assign(static_cast<size_t>(R) * C, 0.0f);
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c)
      adstock_init[static_cast<size_t>(r) * C + c] =
          static_cast<float>(rc_mean[static_cast<size_t>(r) * C + c] / media_divisor[static_cast<size_t>(r) * C + c]);

  // Controls.
  control_center.assign(static_cast<size_t>(R) * K, 0.0f);
  control_scale.assign(static_cast<size_t>(R) * K, 1.0f);
  for (int k = 0; k < K; ++k) {
    std::vector<double> all;
    all.reserve(static_cast<size_t>(R) * Tt);
    for (int r = 0; r < R; ++r)
      for (int t = 0; t < Tt; ++t) all.push_back(p.control_values[(static_cast<size_t>(r) * T + t) * K + k]);
    double pc, ps;
    centre_spread(all, cfg.robust_controls, pc, ps);
    if (!cfg.control_per_region) {
      for (int r = 0; r < R; ++r) {
        control_center[static_cast<size_t>(r) * K + k] = static_cast<float>(pc);
        control_scale[static_cast<size_t>(r) * K + k] = static_cast<float>(ps > 0 ? ps : 1.0);
      }
      continue;
    }
    std::vector<double> centres(R), spreads(R);
    std::vector<double> v;
    for (int r = 0; r < R; ++r) {
      v.clear();
      for (int t = 0; t < Tt; ++t) v.push_back(p.control_values[(static_cast<size_t>(r) * T + t) * K + k]);
      centre_spread(v, cfg.robust_controls, centres[r], spreads[r]);
    }
    // Floor each region's spread at 10% of the median regional spread so a nearly constant control
    // in one region does not turn its noise into +-5 sigma swings.
    std::vector<double> pos;
    for (double s : spreads)
      if (s > 0) pos.push_back(s);
    double med = pos.empty() ? 0.0 : quantile(pos, 0.5);
    for (int r = 0; r < R; ++r) {
      double s = std::max(spreads[r], 0.1 * med);
      if (!(s > 0)) s = ps > 0 ? ps : 1.0;
      control_center[static_cast<size_t>(r) * K + k] = static_cast<float>(centres[r]);
      control_scale[static_cast<size_t>(r) * K + k] = static_cast<float>(s);
    }
  }
}

void Scalers::scale_media(const float* raw, int weeks, float* out) const {
  for (int r = 0; r < regions; ++r)
    for (int t = 0; t < weeks; ++t)
      for (int c = 0; c < channels; ++c) {
        size_t i = (static_cast<size_t>(r) * weeks + t) * channels + c;
        out[i] = raw[i] / media_divisor[static_cast<size_t>(r) * channels + c];
      }
}

void Scalers::scale_controls(const float* raw, int weeks, float* out) const {
  for (int r = 0; r < regions; ++r)
    for (int t = 0; t < weeks; ++t)
      for (int k = 0; k < controls; ++k) {
        size_t i = (static_cast<size_t>(r) * weeks + t) * controls + k;
        size_t j = static_cast<size_t>(r) * controls + k;
        float z = (raw[i] - control_center[j]) / control_scale[j];
        out[i] = std::clamp(z, -control_clip, control_clip);
      }
}

void Scalers::scale_kpi(const float* raw, int weeks, float* out) const {
  for (int r = 0; r < regions; ++r)
    for (int t = 0; t < weeks; ++t) {
      size_t i = static_cast<size_t>(r) * weeks + t;
      out[i] = static_cast<float>(raw[i] / kpi_mean[r]);
    }
}

}  // namespace mmm
