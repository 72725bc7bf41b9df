#include "mmm/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "mmm/errors.hpp"

namespace mmm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// 1 − a/b with the documented conventions for b == 0.
double one_minus_ratio_r2(double sse, double sst) {
  if (sst > 0) return 1.0 - sse / sst;
  return sse == 0 ? 1.0 : 0.0;
}

double one_minus_ratio_skill(double sse, double sse_naive) {
  if (sse_naive > 0) return 1.0 - sse / sse_naive;
  return sse == 0 ? 0.0 : kNaN;
}

double safe_ratio(double num, double den) {
  if (den != 0) return num / den;
  return num == 0 ? 0.0 : kNaN;
}

void check_range(const char* field, int value, int lo, int hi) {
  if (value < lo || value > hi) {
    std::ostringstream m;
    m << "score: " << field << " is " << value << "; allowed range is " << lo << ".." << hi;
    throw InvalidConfig(m.str());
  }
}

}  // namespace

Metrics score(const std::vector<float>& y, const std::vector<float>& yhat, int regions, int weeks, int t_begin,
              int t_end, int train_end) {
  check_range("regions", regions, 1, std::numeric_limits<int>::max());
  check_range("weeks", weeks, 1, std::numeric_limits<int>::max());
  const size_t cells = static_cast<size_t>(regions) * weeks;
  if (y.size() != cells || yhat.size() != cells) {
    std::ostringstream m;
    m << "score: y has " << y.size() << " values and yhat " << yhat.size() << "; both must have regions x weeks = "
      << regions << " x " << weeks << " = " << cells;
    throw InvalidData(m.str());
  }
  check_range("t_begin", t_begin, 0, weeks);
  check_range("t_end", t_end, t_begin, weeks);
  check_range("train_end", train_end, 0, weeks);

  Metrics m;
  const int W = t_end - t_begin;
  m.n = static_cast<long>(regions) * W;
  if (m.n == 0) {
    m.r2 = m.r2_within = m.rmse = m.mae = m.wape = m.rel_error = m.r2_region_median = m.mean_y = kNaN;
    m.skill.recent_mean = m.skill.seasonal_naive = kNaN;
    return m;
  }
  for (int r = 0; r < regions; ++r)
    for (int t = t_begin; t < t_end; ++t) {
      const size_t i = static_cast<size_t>(r) * weeks + t;
      if (!std::isfinite(y[i]) || !std::isfinite(yhat[i])) {
        std::ostringstream s;
        s << "score: " << (!std::isfinite(y[i]) ? "y" : "yhat") << " at region " << r << ", week " << t << " is "
          << (!std::isfinite(y[i]) ? y[i] : yhat[i]) << "; values must be finite";
        throw InvalidData(s.str());
      }
    }

  // Recent-mean naive forecast per region (from training weeks only).
  const bool recent_ok = train_end > 0;
  const int recent_begin = std::max(0, train_end - 13);
  // Seasonal naive availability: every scored week needs a known index t − 52k ≥ 0.
  auto seasonal_index = [&](int t) {
    if (t < train_end) return t - kSeasonalPeriod;
    const int k = (t - train_end) / kSeasonalPeriod + 1;  // smallest k with t − 52k < train_end
    return t - kSeasonalPeriod * k;
  };
  bool seasonal_ok = true;
  for (int t = t_begin; t < t_end && seasonal_ok; ++t) seasonal_ok = seasonal_index(t) >= 0;

  double sum_y = 0;
  for (int r = 0; r < regions; ++r)
    for (int t = t_begin; t < t_end; ++t) sum_y += y[static_cast<size_t>(r) * weeks + t];
  const double mean_y = sum_y / static_cast<double>(m.n);

  double sse = 0, sae = 0, sum_abs_y = 0, sst = 0, sst_within = 0, sse_recent = 0, sse_seasonal = 0;
  std::vector<double> region_r2;
  region_r2.reserve(regions);
  for (int r = 0; r < regions; ++r) {
    const float* yr = y.data() + static_cast<size_t>(r) * weeks;
    const float* fr = yhat.data() + static_cast<size_t>(r) * weeks;
    double sr = 0;
    for (int t = t_begin; t < t_end; ++t) sr += yr[t];
    const double mean_r = sr / W;
    double recent = 0;
    if (recent_ok) {
      for (int t = recent_begin; t < train_end; ++t) recent += yr[t];
      recent /= (train_end - recent_begin);
    }
    double sse_r = 0, sst_r = 0, sq_r = 0;
    for (int t = t_begin; t < t_end; ++t) {
      const double yt = yr[t];
      const double e = yt - static_cast<double>(fr[t]);
      sse_r += e * e;
      sae += std::fabs(e);
      sum_abs_y += std::fabs(yt);
      sst += (yt - mean_y) * (yt - mean_y);
      sst_r += (yt - mean_r) * (yt - mean_r);
      sq_r += yt * yt;
      if (recent_ok) sse_recent += (yt - recent) * (yt - recent);
      if (seasonal_ok) {
        const double e2 = yt - static_cast<double>(yr[seasonal_index(t)]);
        sse_seasonal += e2 * e2;
      }
    }
    sse += sse_r;
    sst_within += sst_r;
    // Zero variance (up to float round-off in the mean) → skipped.
    if (sst_r > 1e-12 * sq_r) region_r2.push_back(1.0 - sse_r / sst_r);
  }

  const double n = static_cast<double>(m.n);
  m.mean_y = mean_y;
  m.r2 = one_minus_ratio_r2(sse, sst);
  m.r2_within = one_minus_ratio_r2(sse, sst_within);
  m.rmse = std::sqrt(sse / n);
  m.mae = sae / n;
  m.wape = safe_ratio(sae, sum_abs_y);
  m.rel_error = safe_ratio(m.rmse, mean_y);
  m.r2_regions = static_cast<int>(region_r2.size());
  if (region_r2.empty()) {
    m.r2_region_median = kNaN;
  } else {
    const size_t h = region_r2.size() / 2;
    std::nth_element(region_r2.begin(), region_r2.begin() + h, region_r2.end());
    double med = region_r2[h];
    if (region_r2.size() % 2 == 0) med = 0.5 * (med + *std::max_element(region_r2.begin(), region_r2.begin() + h));
    m.r2_region_median = med;
  }
  m.skill.recent_available = recent_ok;
  m.skill.recent_mean = recent_ok ? one_minus_ratio_skill(sse, sse_recent) : kNaN;
  m.skill.seasonal_available = seasonal_ok;
  m.skill.seasonal_naive = seasonal_ok ? one_minus_ratio_skill(sse, sse_seasonal) : kNaN;
  return m;
}

TrainHoldoutGap train_holdout_gap(const Metrics& train, const Metrics& holdout) {
  TrainHoldoutGap g;
  g.r2 = train.r2 - holdout.r2;
  g.r2_within = train.r2_within - holdout.r2_within;
  g.wape = holdout.wape - train.wape;
  g.rmse_ratio = train.rmse > 0 ? holdout.rmse / train.rmse : kNaN;
  return g;
}

}  // namespace mmm
