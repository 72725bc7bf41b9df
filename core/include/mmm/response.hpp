// Response curves: a 4-parameter Hill curve fitted to (spend, response) points.
//
//   f(x) = bottom + (top − bottom) · x^s / (K^s + x^s),   x ≥ 0
//
// K is the half-saturation point (f(K) is half-way between bottom and top), s the slope (Hill
// exponent; s > 1 gives an S-shaped curve with an inflection point).
//
// The fit is bounded least squares, deterministic: a grid over (K, s) with (bottom, top) solved
// in closed form for each grid point (variable projection), then Levenberg–Marquardt with
// projection onto the bounds from the best few grid points. Bounds, in data units:
//   K ∈ [0.05 · smallest positive x, 20 · largest x],  s ∈ [min_slope, max_slope],
//   bottom ∈ [min y − 2h, min y + 3h],  top ∈ [min y − 50h, min y + 50h]   (h = max y − min y)
// or bottom fixed at 0 when fit_bottom is false (a response that is 0 at zero spend).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "mmm/panel.hpp"

namespace mmm {

struct HillFit {
  double bottom = 0;
  double top = 0;
  double K = 1;  // half-saturation (x units)
  double s = 1;  // slope
  double r2 = 0;     // 1 − SSE/SST on the fitted points (1 when SST = SSE = 0)
  double rmse = 0;
  int n = 0;         // points used
  int iterations = 0;
  bool ok = false;   // a fit was made (false: too few usable points; the curve is then flat)

  double eval(double x) const;
  // d f / d x. At x = 0: 0 for s > 1, (top − bottom)/K for s = 1, ±infinity for s < 1.
  double derivative(double x) const;
  // x at which the derivative is largest (the inflection point): K·((s−1)/(s+1))^(1/s) for s > 1,
  // else 0.
  double inflection() const;
};

struct HillFitOptions {
  bool fit_bottom = true;
  double min_slope = 0.3;
  double max_slope = 10.0;
};

// Throws InvalidData when x and y differ in size, hold non-finite values, x < 0, or fewer than
// 4 points have x > 0. Throws InvalidConfig for inconsistent options.
HillFit fit_hill_curve(const std::vector<double>& x, const std::vector<double>& y,
                       const HillFitOptions& options = HillFitOptions{});

// National response curve of one channel: for every week in [t_begin, t_end), the spend summed
// over regions (Panel::spend, or Panel::media when there is no spend) against the channel's
// contribution summed over regions; weeks without spend are dropped. `fit.ok` is false when fewer
// than 4 weeks have spend (the channel then has no curve).
struct ResponseCurve {
  std::string channel;
  HillFit fit;
  std::vector<double> spend;     // weekly national spend of the points used
  std::vector<double> response;  // weekly national contribution of those points
  double mean_spend = 0;         // mean weekly spend over the points used
};

// media_contribution[(r*weeks + t)*channels + c] in KPI units (the model's decomposition).
std::vector<ResponseCurve> fit_response_curves(const Panel& panel, const std::vector<float>& media_contribution,
                                               int t_begin, int t_end,
                                               const HillFitOptions& options = HillFitOptions{false});

// Response curve by simulation (cleaner than the weekly scatter above, which mixes carry-over and
// drift into the noise): `response(m)` returns the channel's mean weekly contribution when all of
// its spend is multiplied by m (the caller runs the fitted model); the curve is sampled at
// m = 0, max_multiplier/(points−1), ..., max_multiplier and fitted at x = m · mean_weekly_spend.
// Throws InvalidConfig for mean_weekly_spend <= 0, max_multiplier <= 0 or points < 5, and
// InvalidData when response returns a non-finite value.
ResponseCurve simulate_response_curve(const std::string& channel, double mean_weekly_spend,
                                      const std::function<double(double)>& response, double max_multiplier = 3.0,
                                      int points = 25, const HillFitOptions& options = HillFitOptions{false});

// n points of the curve on [0, x_max] for plotting.
void sample_curve(const HillFit& fit, double x_max, int n, std::vector<double>& xs, std::vector<double>& ys);

}  // namespace mmm
