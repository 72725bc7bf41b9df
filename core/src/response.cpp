#include "mmm/response.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "mmm/errors.hpp"

namespace mmm {

// ---- the curve -------------------------------------------------------------------------------
double HillFit::eval(double x) const {
  if (x <= 0) return bottom;
  // x^s / (K^s + x^s) = 1 / (1 + (K/x)^s), computed in logs so it neither overflows nor underflows badly.
  const double g = 1.0 / (1.0 + std::exp(s * (std::log(K) - std::log(x))));
  return bottom + (top - bottom) * g;
}

double HillFit::derivative(double x) const {
  const double span = top - bottom;
  if (x <= 0) {
    if (s > 1) return 0.0;
    if (s == 1) return span / K;
    return span == 0 ? 0.0 : (span > 0 ? std::numeric_limits<double>::infinity()
                                        : -std::numeric_limits<double>::infinity());
  }
  const double g = 1.0 / (1.0 + std::exp(s * (std::log(K) - std::log(x))));
  return span * s * g * (1.0 - g) / x;
}

double HillFit::inflection() const {
  if (s <= 1) return 0.0;
  return K * std::pow((s - 1.0) / (s + 1.0), 1.0 / s);
}

namespace {

// Normalised problem: u = x / x_scale in (0, 1], v = (y − y_min) / y_scale.
// Parameters p = (b, t, lk, s) with lk = ln K (normalised); b may be fixed.
struct Problem {
  std::vector<double> lu;  // ln u for u > 0 (−inf for u == 0)
  std::vector<double> v;
  bool fit_bottom = true;
  double b_fixed = 0;
  double lo[4], hi[4];
};

inline double hill_g(double lu, double lk, double s) {
  if (lu == -std::numeric_limits<double>::infinity()) return 0.0;
  return 1.0 / (1.0 + std::exp(s * (lk - lu)));
}

double sse_of(const Problem& P, const double* p) {
  double sse = 0;
  for (size_t i = 0; i < P.v.size(); ++i) {
    const double g = hill_g(P.lu[i], p[2], p[3]);
    const double e = p[0] + (p[1] - p[0]) * g - P.v[i];
    sse += e * e;
  }
  return sse;
}

double clampd(double x, double lo, double hi) { return std::min(hi, std::max(lo, x)); }

// Best (b, t) for fixed (lk, s): linear least squares, then clamped to the bounds.
void solve_linear(const Problem& P, double* p) {
  double saa = 0, sag = 0, sgg = 0, sav = 0, sgv = 0;
  for (size_t i = 0; i < P.v.size(); ++i) {
    const double g = hill_g(P.lu[i], p[2], p[3]);
    const double a = 1.0 - g;
    saa += a * a;
    sag += a * g;
    sgg += g * g;
    sav += a * P.v[i];
    sgv += g * P.v[i];
  }
  if (!P.fit_bottom) {
    p[0] = P.b_fixed;
    p[1] = sgg > 0 ? clampd((sgv - p[0] * sag) / sgg, P.lo[1], P.hi[1]) : clampd(p[0], P.lo[1], P.hi[1]);
    return;
  }
  const double det = saa * sgg - sag * sag;
  double b, t;
  if (det > 1e-12 * (saa * sgg + 1e-300)) {
    b = (sav * sgg - sgv * sag) / det;
    t = (saa * sgv - sag * sav) / det;
  } else {
    const double n = static_cast<double>(P.v.size());
    b = t = (sav + sgv) / n;
  }
  const double bc = clampd(b, P.lo[0], P.hi[0]);
  if (bc != b && sgg > 0) t = (sgv - bc * sag) / sgg;
  const double tc = clampd(t, P.lo[1], P.hi[1]);
  if (tc != t && saa > 0) b = clampd((sav - tc * sag) / saa, P.lo[0], P.hi[0]);
  p[0] = clampd(b, P.lo[0], P.hi[0]);
  p[1] = tc;
}

// Projected Levenberg–Marquardt from p (in place). Returns the final SSE.
double levenberg_marquardt(const Problem& P, double* p, int& iterations) {
  const int first = P.fit_bottom ? 0 : 1;
  double sse = sse_of(P, p);
  double mu = 1e-3;
  int small_steps = 0;
  iterations = 0;
  for (int it = 0; it < 400; ++it) {
    iterations = it + 1;
    Eigen::Matrix4d JtJ = Eigen::Matrix4d::Zero();
    Eigen::Vector4d Jtr = Eigen::Vector4d::Zero();
    for (size_t i = 0; i < P.v.size(); ++i) {
      const double g = hill_g(P.lu[i], p[2], p[3]);
      const double span = p[1] - p[0];
      const double r = p[0] + span * g - P.v[i];
      const double gg = g * (1.0 - g);
      Eigen::Vector4d j;
      j << 1.0 - g, g, -span * p[3] * gg,
          (P.lu[i] == -std::numeric_limits<double>::infinity()) ? 0.0 : span * gg * (P.lu[i] - p[2]);
      JtJ.noalias() += j * j.transpose();
      Jtr.noalias() += j * r;
    }
    // Free parameters: not fixed, and not pressed against a bound by the descent direction.
    bool freev[4];
    int nfree = 0;
    for (int k = 0; k < 4; ++k) {
      freev[k] = k >= first;
      if (freev[k] && p[k] <= P.lo[k] && Jtr[k] > 0) freev[k] = false;
      if (freev[k] && p[k] >= P.hi[k] && Jtr[k] < 0) freev[k] = false;
      nfree += freev[k];
    }
    if (nfree == 0) break;
    const double gnorm = Jtr.cwiseAbs().maxCoeff();
    if (gnorm < 1e-15 * (1.0 + sse)) break;
    bool accepted = false;
    while (mu < 1e12) {
      Eigen::Matrix4d A = Eigen::Matrix4d::Identity();
      Eigen::Vector4d rhs = Eigen::Vector4d::Zero();
      for (int a = 0; a < 4; ++a) {
        if (!freev[a]) continue;
        for (int b = 0; b < 4; ++b)
          if (freev[b]) A(a, b) = JtJ(a, b);
        A(a, a) += mu * (JtJ(a, a) + 1e-12);
        rhs[a] = -Jtr[a];
      }
      const Eigen::Vector4d d = A.ldlt().solve(rhs);
      double q[4];
      double step = 0;
      for (int k = 0; k < 4; ++k) {
        q[k] = freev[k] ? clampd(p[k] + d[k], P.lo[k], P.hi[k]) : p[k];
        step = std::max(step, std::fabs(q[k] - p[k]) / (1.0 + std::fabs(p[k])));
      }
      const double sse_new = sse_of(P, q);
      if (std::isfinite(sse_new) && sse_new < sse) {
        const double gain = sse - sse_new;
        std::copy(q, q + 4, p);
        sse = sse_new;
        mu = std::max(mu / 3.0, 1e-12);
        accepted = true;
        small_steps = (gain <= 1e-13 * sse + 1e-300 || step < 1e-12) ? small_steps + 1 : 0;
        break;
      }
      if (step < 1e-15) break;
      mu *= 4.0;
    }
    if (!accepted || small_steps >= 3) break;
  }
  return sse;
}

}  // namespace

HillFit fit_hill_curve(const std::vector<double>& x, const std::vector<double>& y, const HillFitOptions& opt) {
  if (x.size() != y.size()) {
    throw InvalidData("fit_hill_curve: x has " + std::to_string(x.size()) + " points and y " +
                      std::to_string(y.size()) + "; they must match");
  }
  if (!(opt.min_slope > 0) || !(opt.max_slope >= opt.min_slope) || !std::isfinite(opt.max_slope)) {
    std::ostringstream m;
    m << "fit_hill_curve: slope bounds [" << opt.min_slope << ", " << opt.max_slope
      << "] are invalid; need 0 < min_slope <= max_slope < infinity";
    throw InvalidConfig(m.str());
  }
  double xmax = 0, xminpos = std::numeric_limits<double>::infinity();
  double ymin = std::numeric_limits<double>::infinity(), ymax = -ymin;
  int positive = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]) || x[i] < 0) {
      std::ostringstream m;
      m << "fit_hill_curve: point " << i << " is (" << x[i] << ", " << y[i]
        << "); x must be finite and >= 0 and y finite";
      throw InvalidData(m.str());
    }
    if (x[i] > 0) {
      ++positive;
      xminpos = std::min(xminpos, x[i]);
    }
    xmax = std::max(xmax, x[i]);
    ymin = std::min(ymin, y[i]);
    ymax = std::max(ymax, y[i]);
  }
  if (positive < 4)
    throw InvalidData("fit_hill_curve: " + std::to_string(positive) +
                      " points have x > 0; at least 4 are needed to fit a 4-parameter Hill curve");

  const double h = ymax - ymin;
  const double yscale = h > 0 ? h : (std::fabs(ymin) > 0 ? std::fabs(ymin) : 1.0);
  Problem P;
  P.fit_bottom = opt.fit_bottom;
  P.b_fixed = (0.0 - ymin) / yscale;
  P.lu.resize(x.size());
  P.v.resize(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    P.lu[i] = x[i] > 0 ? std::log(x[i] / xmax) : -std::numeric_limits<double>::infinity();
    P.v[i] = (y[i] - ymin) / yscale;
  }
  P.lo[0] = -2.0;
  P.hi[0] = 3.0;
  P.lo[1] = -50.0;
  P.hi[1] = 50.0;
  P.lo[2] = std::log(0.05 * xminpos / xmax);
  P.hi[2] = std::log(20.0);
  P.lo[3] = opt.min_slope;
  P.hi[3] = opt.max_slope;

  // Grid over (lk, s) with closed-form (b, t).
  const int NK = 36, NS = 12;
  struct Cand {
    double sse;
    int ik, is;
    double p[4];
  };
  std::vector<Cand> grid;
  grid.reserve(NK * NS);
  for (int ik = 0; ik < NK; ++ik)
    for (int is = 0; is < NS; ++is) {
      Cand c;
      c.ik = ik;
      c.is = is;
      c.p[2] = P.lo[2] + (P.hi[2] - P.lo[2]) * ik / (NK - 1);
      c.p[3] = NS == 1 ? P.lo[3] : P.lo[3] * std::pow(P.hi[3] / P.lo[3], static_cast<double>(is) / (NS - 1));
      c.p[0] = P.b_fixed;
      solve_linear(P, c.p);
      c.sse = sse_of(P, c.p);
      grid.push_back(c);
    }
  std::stable_sort(grid.begin(), grid.end(), [](const Cand& a, const Cand& b) { return a.sse < b.sse; });
  std::vector<const Cand*> starts;
  for (const Cand& c : grid) {
    bool distinct = true;
    for (const Cand* s : starts)
      if (std::abs(s->ik - c.ik) <= 2 && std::abs(s->is - c.is) <= 1) distinct = false;
    if (distinct) starts.push_back(&c);
    if (starts.size() == 4) break;
  }

  double best_sse = std::numeric_limits<double>::infinity();
  double best[4] = {0, 0, 0, 1};
  int best_iter = 0;
  for (const Cand* c : starts) {
    double p[4];
    std::copy(c->p, c->p + 4, p);
    int it = 0;
    const double sse = levenberg_marquardt(P, p, it);
    if (sse < best_sse) {
      best_sse = sse;
      std::copy(p, p + 4, best);
      best_iter = it;
    }
  }

  HillFit f;
  f.bottom = opt.fit_bottom ? ymin + best[0] * yscale : 0.0;
  f.top = ymin + best[1] * yscale;
  f.K = std::exp(best[2]) * xmax;
  f.s = best[3];
  f.n = static_cast<int>(x.size());
  f.iterations = best_iter;
  f.ok = true;
  double ymean = 0;
  for (double v : y) ymean += v;
  ymean /= static_cast<double>(y.size());
  double sse = 0, sst = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double e = y[i] - f.eval(x[i]);
    sse += e * e;
    sst += (y[i] - ymean) * (y[i] - ymean);
  }
  f.rmse = std::sqrt(sse / static_cast<double>(x.size()));
  f.r2 = sst > 0 ? 1.0 - sse / sst : (sse <= 1e-24 * (1.0 + ymean * ymean) ? 1.0 : 0.0);
  return f;
}

std::vector<ResponseCurve> fit_response_curves(const Panel& panel, const std::vector<float>& contrib, int t_begin,
                                               int t_end, const HillFitOptions& options) {
  const size_t n = static_cast<size_t>(panel.regions) * panel.weeks * panel.channels;
  if (contrib.size() != n) {
    throw InvalidData("fit_response_curves: media_contribution has " + std::to_string(contrib.size()) +
                      " values; expected regions x weeks x channels = " + std::to_string(n));
  }
  const std::vector<float>& driver = panel.has_spend() ? panel.spend : panel.media;
  if (driver.size() != n) throw InvalidData("fit_response_curves: panel media/spend size does not match its shape");
  if (t_begin < 0 || t_end > panel.weeks || t_begin > t_end) {
    std::ostringstream m;
    m << "fit_response_curves: week range [" << t_begin << ", " << t_end << ") is outside 0.." << panel.weeks;
    throw InvalidConfig(m.str());
  }
  std::vector<ResponseCurve> out(panel.channels);
  for (int c = 0; c < panel.channels; ++c) {
    ResponseCurve& rc = out[c];
    rc.channel = c < static_cast<int>(panel.channel_names.size()) ? panel.channel_names[c] : "Channel " + std::to_string(c + 1);
    for (int t = t_begin; t < t_end; ++t) {
      double s = 0, y = 0;
      for (int r = 0; r < panel.regions; ++r) {
        const size_t i = (static_cast<size_t>(r) * panel.weeks + t) * panel.channels + c;
        s += driver[i];
        y += contrib[i];
      }
      if (s > 0) {
        rc.spend.push_back(s);
        rc.response.push_back(y);
      }
    }
    for (double s : rc.spend) rc.mean_spend += s;
    if (!rc.spend.empty()) rc.mean_spend /= static_cast<double>(rc.spend.size());
    if (rc.spend.size() >= 4) {
      rc.fit = fit_hill_curve(rc.spend, rc.response, options);
    } else {
      rc.fit.n = static_cast<int>(rc.spend.size());
      rc.fit.top = rc.fit.bottom = 0;
      rc.fit.ok = false;
    }
  }
  return out;
}

ResponseCurve simulate_response_curve(const std::string& channel, double mean_weekly_spend,
                                      const std::function<double(double)>& response, double max_multiplier, int points,
                                      const HillFitOptions& options) {
  auto bad = [&](const char* field, double v, const char* allowed) {
    std::ostringstream m;
    m << "simulate_response_curve('" << channel << "'): " << field << " is " << v << "; " << allowed;
    throw InvalidConfig(m.str());
  };
  if (!(mean_weekly_spend > 0) || !std::isfinite(mean_weekly_spend))
    bad("mean_weekly_spend", mean_weekly_spend, "it must be finite and > 0");
  if (!(max_multiplier > 0) || !std::isfinite(max_multiplier))
    bad("max_multiplier", max_multiplier, "it must be finite and > 0");
  if (points < 5 || points > 10000) bad("points", points, "allowed range is 5..10000");
  ResponseCurve rc;
  rc.channel = channel;
  rc.mean_spend = mean_weekly_spend;
  for (int i = 0; i < points; ++i) {
    const double m = max_multiplier * i / (points - 1);
    const double y = response(m);
    if (!std::isfinite(y)) {
      std::ostringstream s;
      s << "simulate_response_curve('" << channel << "'): the response at multiplier " << m << " is " << y;
      throw InvalidData(s.str());
    }
    rc.spend.push_back(m * mean_weekly_spend);
    rc.response.push_back(y);
  }
  rc.fit = fit_hill_curve(rc.spend, rc.response, options);
  return rc;
}

void sample_curve(const HillFit& fit, double x_max, int n, std::vector<double>& xs, std::vector<double>& ys) {
  if (n < 2) throw InvalidConfig("sample_curve: n is " + std::to_string(n) + "; need at least 2 points");
  if (!(x_max > 0) || !std::isfinite(x_max)) {
    std::ostringstream m;
    m << "sample_curve: x_max is " << x_max << "; it must be finite and > 0";
    throw InvalidConfig(m.str());
  }
  xs.resize(n);
  ys.resize(n);
  for (int i = 0; i < n; ++i) {
    xs[i] = x_max * i / (n - 1);
    ys[i] = fit.eval(xs[i]);
  }
}

}  // namespace mmm
