#include "mmm/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "mmm/errors.hpp"

namespace mmm {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// One channel in horizon units.
struct Ch {
  HillFit f;
  double N = 1, w = 1, f0 = 0;
  double l = 0, u = 0;
  double p = 0;          // x where dV peaks (inflection) in horizon units; dV is monotone on each side
  bool increasing = true;

  double V(double x) const { return N * w * (f.eval(x / N) - f0); }
  double dV(double x) const { return w * f.derivative(x / N); }
};

std::string label(const ChannelBudget& c, size_t j) {
  return c.name.empty() ? "channel " + std::to_string(j + 1) : "channel '" + c.name + "'";
}

double total_value(const std::vector<Ch>& ch, const std::vector<double>& x) {
  double v = 0;
  for (size_t j = 0; j < ch.size(); ++j) v += ch[j].V(x[j]);
  return v;
}

// Root of g(x) = dV(x) − lambda on [a, b], where g(a) and g(b) have opposite signs.
double bisect_marginal(const Ch& c, double lambda, double a, double b) {
  double ga = c.dV(a) - lambda;
  for (int it = 0; it < 200 && b - a > 1e-15 * std::max(1.0, std::fabs(b)); ++it) {
    const double m = 0.5 * (a + b);
    if (m <= a || m >= b) break;
    const double gm = c.dV(m) - lambda;
    if ((gm > 0) == (ga > 0)) {
      a = m;
      ga = gm;
    } else {
      b = m;
    }
  }
  return 0.5 * (a + b);
}

// Exact global argmax of V(x) − lambda·x on [l, u]: the maximiser is an end point or a root of
// dV = lambda on one of the (at most two) pieces where dV is monotone. Ties go to the smaller x.
double argmax_lagrangian(const Ch& c, double lambda) {
  if (c.u <= c.l) return c.l;
  double cand[4];
  int n = 0;
  cand[n++] = c.l;
  const double pieces[3] = {c.l, std::min(std::max(c.p, c.l), c.u), c.u};
  for (int k = 0; k < 2; ++k) {
    const double a = pieces[k], b = pieces[k + 1];
    if (b <= a) continue;
    const double ga = c.dV(a) - lambda, gb = c.dV(b) - lambda;
    if ((ga > 0 && gb < 0) || (ga < 0 && gb > 0)) cand[n++] = bisect_marginal(c, lambda, a, b);
  }
  cand[n++] = c.u;
  double best = cand[0], best_g = c.V(cand[0]) - lambda * cand[0];
  for (int k = 1; k < n; ++k) {
    const double g = c.V(cand[k]) - lambda * cand[k];
    if (g > best_g) {
      best_g = g;
      best = cand[k];
    }
  }
  return best;
}

// Makes x feasible (bounds, then Σ x = B) by moving spend proportionally to the room left.
void make_feasible(const std::vector<Ch>& ch, double B, std::vector<double>& x) {
  const size_t J = ch.size();
  for (size_t j = 0; j < J; ++j) x[j] = std::min(ch[j].u, std::max(ch[j].l, x[j]));
  for (int pass = 0; pass < 4; ++pass) {
    double s = 0;
    for (double v : x) s += v;
    const double r = B - s;
    if (r == 0) return;
    double room = 0;
    for (size_t j = 0; j < J; ++j) room += r > 0 ? ch[j].u - x[j] : x[j] - ch[j].l;
    if (room <= 0) return;
    for (size_t j = 0; j < J; ++j) {
      const double rj = r > 0 ? ch[j].u - x[j] : x[j] - ch[j].l;
      x[j] = std::min(ch[j].u, std::max(ch[j].l, x[j] + r * (rj / room)));
    }
  }
  // Round-off: put the last residual on the channel with the most room.
  double s = 0;
  for (double v : x) s += v;
  const double r = B - s;
  size_t best = 0;
  double best_room = -1;
  for (size_t j = 0; j < J; ++j) {
    const double rj = r > 0 ? ch[j].u - x[j] : x[j] - ch[j].l;
    if (rj > best_room) {
      best_room = rj;
      best = j;
    }
  }
  x[best] = std::min(ch[best].u, std::max(ch[best].l, x[best] + r));
}

// ---- dynamic programme over a budget grid (global, approximate) ----
std::vector<double> solve_dp(const std::vector<Ch>& ch, double B, long work) {
  const size_t J = ch.size();
  std::vector<double> x(J);
  double R = B;
  std::vector<size_t> free;
  for (size_t j = 0; j < J; ++j) {
    x[j] = ch[j].l;
    R -= ch[j].l;
    if (ch[j].u > ch[j].l) free.push_back(j);
  }
  if (R <= 0 || free.empty()) return x;
  const int G = static_cast<int>(std::max(50.0, std::min(4000.0, std::sqrt(static_cast<double>(work) / free.size()))));
  const double delta = R / G;
  const double NEG = -kInf;
  std::vector<double> best(G + 1, NEG), next(G + 1);
  best[0] = 0;
  std::vector<std::vector<int>> choice(free.size(), std::vector<int>(G + 1, 0));
  std::vector<double> vals;
  for (size_t q = 0; q < free.size(); ++q) {
    const Ch& c = ch[free[q]];
    const int kmax = static_cast<int>(std::min<double>(G, std::floor((c.u - c.l) / delta * (1 + 1e-12))));
    vals.resize(kmax + 1);
    for (int k = 0; k <= kmax; ++k) vals[k] = c.V(std::min(c.u, c.l + k * delta));
    for (int g = 0; g <= G; ++g) {
      double bv = NEG;
      int bk = 0;
      const int kk = std::min(g, kmax);
      for (int k = 0; k <= kk; ++k) {
        const double prev = best[g - k];
        if (prev == NEG) continue;
        const double v = prev + vals[k];
        if (v > bv) {
          bv = v;
          bk = k;
        }
      }
      next[g] = bv;
      choice[q][g] = bk;
    }
    best.swap(next);
  }
  int g = G;
  while (g > 0 && best[g] == NEG) --g;
  for (size_t q = free.size(); q-- > 0;) {
    const int k = choice[q][g];
    x[free[q]] = std::min(ch[free[q]].u, ch[free[q]].l + k * delta);
    g -= k;
  }
  make_feasible(ch, B, x);
  return x;
}

// ---- Lagrangian: bisection on the multiplier with exact per-channel maximisation ----
struct Lagrange {
  double lambda = 0;
  double upper_bound = kInf;
  std::vector<double> x;  // a feasible primal built from the two sides of the multiplier
};

Lagrange solve_lagrange(const std::vector<Ch>& ch, double B, double rel_tol) {
  const size_t J = ch.size();
  auto xs = [&](double lam, std::vector<double>& x) {
    double s = 0;
    for (size_t j = 0; j < J; ++j) s += (x[j] = argmax_lagrangian(ch[j], lam));
    return s;
  };
  auto dual = [&](double lam) {
    double d = lam * B;
    for (size_t j = 0; j < J; ++j) {
      const double xj = argmax_lagrangian(ch[j], lam);
      d += ch[j].V(xj) - lam * xj;
    }
    return d;
  };
  std::vector<double> xlo(J), xhi(J);
  double lo = 0, hi = 1;
  double slo = xs(lo, xlo);
  for (int i = 0; i < 200 && slo < B; ++i) slo = xs(lo = -std::ldexp(1.0, i), xlo);
  double shi = xs(hi, xhi);
  for (int i = 0; i < 1000 && shi > B; ++i) shi = xs(hi *= 2.0, xhi);
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi || hi - lo <= rel_tol * std::max(std::fabs(lo), std::fabs(hi))) break;
    std::vector<double> xm(J);
    const double sm = xs(mid, xm);
    if (sm >= B) {
      lo = mid;
      xlo.swap(xm);
    } else {
      hi = mid;
      xhi.swap(xm);
    }
  }
  Lagrange L;
  L.lambda = 0.5 * (lo + hi);
  L.upper_bound = std::min(dual(lo), dual(hi));
  // Primal: start from the side that spends at most B, move channels toward the other side.
  L.x = xhi;
  double s = 0;
  for (double v : L.x) s += v;
  double left = B - s;
  for (size_t j = 0; j < J && left > 0; ++j) {
    const double add = std::min(left, std::max(0.0, xlo[j] - L.x[j]));
    L.x[j] += add;
    left -= add;
  }
  make_feasible(ch, B, L.x);
  return L;
}

// ---- local polish --------------------------------------------------------------------------
bool can_up(const Ch& c, double x) { return x < c.u - 1e-13 * std::max(1.0, std::fabs(c.u)); }
bool can_down(const Ch& c, double x) { return x > c.l + 1e-13 * std::max(1.0, std::fabs(c.l)); }

// One exchange of spend from channel k to channel i (whose marginal ROI is higher): moves to the
// first point where the marginals meet (first sign change of dphi on a scan, then bisection), or
// to the end of the feasible range. Returns false when no improving move was found.
bool exchange(const std::vector<Ch>& ch, std::vector<double>& x, size_t i, size_t k) {
  double dmax = std::min(ch[i].u - x[i], x[k] - ch[k].l);
  if (!(dmax > 0)) return false;
  auto phi = [&](double d) { return ch[i].V(x[i] + d) + ch[k].V(x[k] - d); };
  auto dphi = [&](double d) { return ch[i].dV(x[i] + d) - ch[k].dV(x[k] - d); };
  const double phi0 = phi(0), dphi0 = dphi(0);
  if (!(dphi0 > 0)) return false;
  const double xscale = std::max(1.0, std::fabs(x[i]) + std::fabs(x[k]));
  for (int level = 0; level < 4; ++level) {
    const int M = 32;
    double a = 0, b = dmax;
    bool bracket = false;
    for (int m = 1; m <= M; ++m) {
      const double dm = dmax * m / M;
      if (dphi(dm) <= 0) {
        b = dm;
        bracket = true;
        break;
      }
      a = dm;
    }
    double d = dmax;
    if (bracket) {
      for (int r = 0; r < 200 && b - a > 1e-16 * xscale; ++r) {
        const double m = 0.5 * (a + b);
        if (m <= a || m >= b) break;
        (dphi(m) > 0 ? a : b) = m;
      }
      d = 0.5 * (a + b);
    }
    const double ph = phi(d);
    if (d > 0 && (ph > phi0 || (ph == phi0 && std::fabs(dphi(d)) < dphi0))) {
      const double xi = x[i];
      x[i] = std::min(ch[i].u, xi + d);
      x[k] = std::max(ch[k].l, x[k] - (x[i] - xi));
      return true;
    }
    dmax /= M;  // look closer to the current point
  }
  return false;
}

// Pairwise exchanges, most-violating pair first (other violating pairs are tried when it cannot
// improve), until the marginal ROIs of all movable channels agree.
void pair_exchange(const std::vector<Ch>& ch, std::vector<double>& x, int max_iter) {
  const size_t J = ch.size();
  std::vector<double> d(J);
  for (int it = 0; it < max_iter; ++it) {
    size_t i = J, k = J;
    double di = -kInf, dk = kInf;
    for (size_t j = 0; j < J; ++j) {
      d[j] = ch[j].dV(x[j]);
      if (can_up(ch[j], x[j]) && d[j] > di) {
        di = d[j];
        i = j;
      }
      if (can_down(ch[j], x[j]) && d[j] < dk) {
        dk = d[j];
        k = j;
      }
    }
    auto violated = [&](size_t a, size_t b) {
      return a != b && d[a] - d[b] > 1e-13 * (std::fabs(d[a]) + std::fabs(d[b]));
    };
    if (i == J || k == J || !violated(i, k)) break;
    if (exchange(ch, x, i, k)) continue;
    // Other violating pairs, largest violation first.
    std::vector<std::pair<double, std::pair<size_t, size_t>>> pairs;
    for (size_t a = 0; a < J; ++a) {
      if (!can_up(ch[a], x[a])) continue;
      for (size_t b = 0; b < J; ++b)
        if (can_down(ch[b], x[b]) && violated(a, b) && !(a == i && b == k))
          pairs.push_back({d[a] - d[b], {a, b}});
    }
    std::stable_sort(pairs.begin(), pairs.end(), [](const auto& p, const auto& q) { return p.first > q.first; });
    bool moved = false;
    for (const auto& p : pairs)
      if ((moved = exchange(ch, x, p.second.first, p.second.second))) break;
    if (!moved) break;
  }
}

// Global pair moves: for every pair, the best exchange on a scan of the full feasible range.
// Escapes local optima where one S-shaped channel should jump between its branches.
bool global_pair_sweep(const std::vector<Ch>& ch, std::vector<double>& x) {
  const size_t J = ch.size();
  bool improved = false;
  for (size_t i = 0; i < J; ++i)
    for (size_t k = i + 1; k < J; ++k) {
      const double dlo = -std::min(x[i] - ch[i].l, ch[k].u - x[k]);
      const double dhi = std::min(ch[i].u - x[i], x[k] - ch[k].l);
      if (dhi - dlo <= 0) continue;
      const double base = ch[i].V(x[i]) + ch[k].V(x[k]);
      double best = base, best_d = 0;
      const int M = 48;
      for (int m = 0; m <= M; ++m) {
        const double d = dlo + (dhi - dlo) * m / M;
        const double v = ch[i].V(x[i] + d) + ch[k].V(x[k] - d);
        if (v > best) {
          best = v;
          best_d = d;
        }
      }
      if (best > base + 1e-12 * std::fabs(base)) {
        const double xi = x[i];
        x[i] = std::min(ch[i].u, std::max(ch[i].l, xi + best_d));
        x[k] = std::min(ch[k].u, std::max(ch[k].l, x[k] - (x[i] - xi)));
        improved = true;
      }
    }
  return improved;
}

// Exact equal-marginal-ROI solve on the free channels when all are on the concave side of their
// curves: bisection on the multiplier, each channel's x from dV(x) = lambda on its concave piece.
void equalize_marginals(const std::vector<Ch>& ch, double B, std::vector<double>& x) {
  const size_t J = ch.size();
  std::vector<size_t> fr;
  double fixed = 0;
  for (size_t j = 0; j < J; ++j) {
    const bool is_free = can_up(ch[j], x[j]) && can_down(ch[j], x[j]);
    if (!is_free) {
      fixed += x[j];
      continue;
    }
    // Concave side: beyond the derivative peak for increasing curves.
    if (!ch[j].increasing || x[j] < ch[j].p) return;
    fr.push_back(j);
  }
  if (fr.size() < 2) return;
  const double R = B - fixed;
  std::vector<double> lo_x(J), y = x;
  double lam_lo = kInf, lam_hi = -kInf;
  for (size_t j : fr) {
    lo_x[j] = std::max(ch[j].l, ch[j].p);
    lam_lo = std::min(lam_lo, ch[j].dV(ch[j].u));
    lam_hi = std::max(lam_hi, ch[j].dV(lo_x[j]));
  }
  if (!(lam_hi < kInf)) return;
  auto sum_at = [&](double lam) {
    double s = 0;
    for (size_t j : fr) {
      const Ch& c = ch[j];
      double v;
      if (c.dV(c.u) >= lam) v = c.u;
      else if (c.dV(lo_x[j]) <= lam) v = lo_x[j];
      else v = bisect_marginal(c, lam, lo_x[j], c.u);
      y[j] = v;
      s += v;
    }
    return s;
  };
  double a = lam_lo, b = lam_hi;  // sum_at(a) >= R >= sum_at(b)
  if (sum_at(a) < R || sum_at(b) > R) return;
  for (int it = 0; it < 200; ++it) {
    const double m = 0.5 * (a + b);
    if (m <= a || m >= b) break;
    (sum_at(m) >= R ? a : b) = m;
  }
  sum_at(0.5 * (a + b));
  make_feasible(ch, B, y);
  if (total_value(ch, y) >= total_value(ch, x) - 1e-13 * std::fabs(total_value(ch, x))) x = y;
}

// Snaps spend within round-off of a bound onto the bound and puts the (tiny) residual on the
// free channel with the most room, so "at a bound" is exact in the report.
void snap_to_bounds(const std::vector<Ch>& ch, double B, std::vector<double>& x) {
  const size_t J = ch.size();
  const double tol = 1e-11 * std::max(1.0, B);
  double s = 0;
  for (size_t j = 0; j < J; ++j) {
    if (x[j] - ch[j].l < tol) x[j] = ch[j].l;
    else if (ch[j].u - x[j] < tol) x[j] = ch[j].u;
    s += x[j];
  }
  const double r = B - s;
  if (r == 0) return;
  size_t best = J;
  double best_room = 0;
  for (size_t j = 0; j < J; ++j) {
    if (x[j] == ch[j].l || x[j] == ch[j].u) continue;
    const double room = r > 0 ? ch[j].u - x[j] : x[j] - ch[j].l;
    if (room > best_room) {
      best_room = room;
      best = j;
    }
  }
  if (best < J && best_room >= std::fabs(r)) {
    x[best] += r;
  } else {
    make_feasible(ch, B, x);
  }
}

// Second derivative of V (horizon units).
double d2V(const Ch& c, double x) {
  if (x <= 0) return 0.0;
  const double xw = x / c.N;
  const HillFit& f = c.f;
  const double g = 1.0 / (1.0 + std::exp(f.s * (std::log(f.K) - std::log(xw))));
  return c.w * (f.top - f.bottom) * f.s * g * (1.0 - g) * (f.s * (1.0 - 2.0 * g) - 1.0) / (xw * xw) / c.N;
}

// Newton's method on the KKT system of the free channels (dV_j(x_j) = lambda, Σ x_j fixed). It
// converges from the near-optimal point the exchanges leave, whatever the curvature of each
// channel (a free channel on the convex part of its S-curve included). Steps that leave the
// bounds or lower the value are refused.
void newton_kkt(const std::vector<Ch>& ch, std::vector<double>& x) {
  const size_t J = ch.size();
  std::vector<size_t> fr;
  for (size_t j = 0; j < J; ++j)
    if (can_up(ch[j], x[j]) && can_down(ch[j], x[j])) fr.push_back(j);
  if (fr.size() < 2) return;
  auto spread = [&](const std::vector<double>& y) {
    double lo = kInf, hi = -kInf;
    for (size_t j : fr) {
      const double d = ch[j].dV(y[j]);
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    return (hi - lo) / std::max(std::fabs(hi), std::fabs(lo));
  };
  double v = total_value(ch, x), sp = spread(x);
  for (int it = 0; it < 30 && sp > 1e-14; ++it) {
    double lam = 0, sum_inv = 0, sum_rh = 0;
    for (size_t j : fr) lam += ch[j].dV(x[j]);
    lam /= static_cast<double>(fr.size());
    bool ok = true;
    for (size_t j : fr) {
      const double h = d2V(ch[j], x[j]);
      if (!(std::fabs(h) > 0) || !std::isfinite(h)) ok = false;
      if (!ok) break;
      sum_inv += 1.0 / h;
      sum_rh += (ch[j].dV(x[j]) - lam) / h;
    }
    if (!ok || !(std::fabs(sum_inv) > 0)) return;
    const double dlam = sum_rh / sum_inv;  // keeps Σ dx = 0
    std::vector<double> y = x;
    double moved = 0;
    size_t last = fr.back();
    for (size_t j : fr) {
      if (j == last) continue;
      const double dx = (dlam - (ch[j].dV(x[j]) - lam)) / d2V(ch[j], x[j]);
      y[j] = x[j] + dx;
      moved += dx;
      if (!(y[j] > ch[j].l && y[j] < ch[j].u)) return;
    }
    y[last] = x[last] - moved;  // exact budget
    if (!(y[last] > ch[last].l && y[last] < ch[last].u)) return;
    const double vy = total_value(ch, y), spy = spread(y);
    if (!(vy >= v - 1e-14 * std::fabs(v)) || !(spy < sp)) return;
    x = y;
    v = vy;
    sp = spy;
  }
}

void polish(const std::vector<Ch>& ch, double B, std::vector<double>& x, bool thorough) {
  const int iters = 200 + 40 * static_cast<int>(ch.size());
  pair_exchange(ch, x, iters);
  if (thorough) {
    for (int r = 0; r < 4 && global_pair_sweep(ch, x); ++r) pair_exchange(ch, x, iters);
  }
  snap_to_bounds(ch, B, x);
  equalize_marginals(ch, B, x);
  snap_to_bounds(ch, B, x);
  newton_kkt(ch, x);
}

struct Solution {
  std::vector<double> x;
  double value = -kInf;
  double lambda = 0;
  double upper_bound = kInf;
};

Solution solve_fixed(const std::vector<Ch>& ch, double B, bool thorough) {
  const size_t J = ch.size();
  Solution best;
  Lagrange L = solve_lagrange(ch, B, thorough ? 1e-15 : 1e-9);
  best.lambda = L.lambda;
  best.upper_bound = L.upper_bound;
  std::vector<std::vector<double>> starts;
  starts.push_back(solve_dp(ch, B, thorough ? 4000000L : 600000L));
  starts.push_back(L.x);
  if (thorough) {
    std::vector<double> mid(J);
    for (size_t j = 0; j < J; ++j) mid[j] = 0.5 * (ch[j].l + ch[j].u);
    make_feasible(ch, B, mid);
    starts.push_back(mid);
  }
  for (auto& x : starts) {
    polish(ch, B, x, thorough);
    const double v = total_value(ch, x);
    if (v > best.value) {
      best.value = v;
      best.x = x;
    }
  }
  best.upper_bound = std::max(best.upper_bound, best.value);
  return best;
}

}  // namespace

OptimizationResult optimize_budget(const std::vector<ChannelBudget>& in, const OptimizerConfig& cfg) {
  auto fail = [](const std::string& m) { throw InvalidConfig("optimize_budget: " + m); };
  auto num = [](double v) {
    std::ostringstream s;
    s.precision(10);
    s << v;
    return s.str();
  };
  if (in.empty()) fail("no channels; give at least one channel with a response curve");
  if (cfg.horizon_weeks < 1 || cfg.horizon_weeks > 520)
    fail("horizon_weeks is " + std::to_string(cfg.horizon_weeks) + "; allowed range is 1..520");
  if (!std::isfinite(cfg.bound_pct) || cfg.bound_pct < 0 || cfg.bound_pct > 10)
    fail("bound_pct is " + num(cfg.bound_pct) + "; allowed range is 0..10 (0.3 = ±30%)");
  if (cfg.mode != OptimizeMode::FixedBudget && (!std::isfinite(cfg.target) || cfg.target <= 0))
    fail(std::string(cfg.mode == OptimizeMode::TargetRoi ? "target ROI" : "target marginal ROI") + " is " +
         num(cfg.target) + "; it must be finite and > 0");

  const size_t J = in.size();
  std::vector<Ch> ch(J);
  double sum_l = 0, sum_u = 0, sum_current = 0;
  for (size_t j = 0; j < J; ++j) {
    const ChannelBudget& c = in[j];
    const std::string who = label(c, j);
    const HillFit& f = c.curve;
    if (!std::isfinite(f.K) || f.K <= 0) fail(who + ": curve K (half-saturation) is " + num(f.K) + "; it must be finite and > 0");
    if (!std::isfinite(f.s) || f.s <= 0) fail(who + ": curve slope s is " + num(f.s) + "; it must be finite and > 0");
    if (!std::isfinite(f.top) || !std::isfinite(f.bottom)) fail(who + ": curve top/bottom must be finite");
    if (!std::isfinite(c.current) || c.current < 0) fail(who + ": current spend is " + num(c.current) + "; it must be finite and >= 0");
    if (!std::isfinite(c.value_per_kpi) || c.value_per_kpi < 0)
      fail(who + ": value_per_kpi is " + num(c.value_per_kpi) + "; it must be finite and >= 0");
    double l, u;
    if (c.locked) {
      l = u = c.current;
    } else {
      if (!std::isnan(c.lower) && (!std::isfinite(c.lower) || c.lower < 0))
        fail(who + ": lower bound is " + num(c.lower) + "; it must be finite and >= 0");
      if (!std::isnan(c.upper) && (!std::isfinite(c.upper) || c.upper < 0))
        fail(who + ": upper bound is " + num(c.upper) + "; it must be finite and >= 0");
      const double dl = std::max(0.0, (1.0 - cfg.bound_pct) * c.current), du = (1.0 + cfg.bound_pct) * c.current;
      l = !std::isnan(c.lower) ? c.lower : (!std::isnan(c.upper) ? std::min(dl, c.upper) : dl);
      u = !std::isnan(c.upper) ? c.upper : std::max(du, l);
      if (l > u) fail(who + ": lower bound " + num(l) + " is above upper bound " + num(u));
    }
    Ch& h = ch[j];
    h.f = f;
    h.N = cfg.horizon_weeks;
    h.w = c.value_per_kpi;
    h.f0 = f.eval(0);
    h.l = l;
    h.u = u;
    h.p = h.N * f.inflection();
    h.increasing = f.top >= f.bottom;
    sum_l += l;
    sum_u += u;
    sum_current += c.current;
  }

  OptimizationResult res;
  res.mode = cfg.mode;
  std::vector<double> x(J);
  double lambda = 0;

  auto fixed_budget_check = [&](double B) {
    const double tol = 1e-12 * std::max(1.0, std::max(std::fabs(B), sum_u));
    if (sum_l > B + tol)
      fail("budget " + num(B) + " is below the sum of the lower bounds, " + num(sum_l) +
           "; raise the budget or lower the bounds");
    if (sum_u < B - tol)
      fail("budget " + num(B) + " is above the sum of the upper bounds, " + num(sum_u) +
           "; lower the budget or raise the bounds");
    return std::min(sum_u, std::max(sum_l, B));
  };

  if (cfg.mode == OptimizeMode::FixedBudget) {
    double B = std::isnan(cfg.budget) ? sum_current : cfg.budget;
    if (!std::isfinite(B) || B < 0) fail("budget is " + num(B) + "; it must be finite and >= 0");
    B = fixed_budget_check(B);
    Solution s = solve_fixed(ch, B, true);
    x = s.x;
    lambda = s.lambda;
    res.upper_bound = s.upper_bound;
  } else if (cfg.mode == OptimizeMode::TargetMarginalRoi) {
    lambda = cfg.target;
    for (size_t j = 0; j < J; ++j) x[j] = argmax_lagrangian(ch[j], lambda);
    res.upper_bound = total_value(ch, x);  // a Lagrangian maximiser is optimal for its own budget
    res.message = "spend raised until each channel's marginal ROI reaches " + num(cfg.target) +
                  " (or a bound is hit)";
  } else {  // TargetRoi
    if (!(sum_u > 0)) fail("every channel's upper bound is 0, so no budget can reach a target ROI");
    auto roi_at = [&](double B, Solution& s) {
      s = solve_fixed(ch, B, false);
      return B > 0 ? s.value / B : 0.0;
    };
    const int M = 24;
    std::vector<double> Bs(M + 1), rois(M + 1);
    std::vector<Solution> sols(M + 1);
    const double b0 = sum_l > 0 ? sum_l : sum_u * 1e-3;
    for (int m = 0; m <= M; ++m) {
      Bs[m] = b0 + (sum_u - b0) * m / M;
      rois[m] = roi_at(Bs[m], sols[m]);
    }
    int last = -1;
    for (int m = 0; m <= M; ++m)
      if (rois[m] >= cfg.target) last = m;
    double B;
    if (last < 0) {
      const int mb = static_cast<int>(std::max_element(rois.begin(), rois.end()) - rois.begin());
      B = Bs[mb];
      res.target_met = false;
      res.message = "no budget reaches the target ROI " + num(cfg.target) + "; the best overall ROI is " +
                    num(rois[mb]) + " at budget " + num(B);
    } else if (last == M) {
      B = Bs[M];
      res.message = "every channel is at its upper bound and the overall ROI is still >= " + num(cfg.target);
    } else {
      double a = Bs[last], b = Bs[last + 1];
      Solution tmp;
      for (int it = 0; it < 40 && b - a > 1e-10 * b; ++it) {
        const double mid = 0.5 * (a + b);
        (roi_at(mid, tmp) >= cfg.target ? a : b) = mid;
      }
      B = a;
      res.message = "largest budget with overall ROI >= " + num(cfg.target);
    }
    Solution s = solve_fixed(ch, B, true);
    x = s.x;
    lambda = s.lambda;
    res.upper_bound = s.upper_bound;
  }

  // ---- report ----
  double free_sum = 0;
  int free_n = 0;
  res.channels.resize(J);
  for (size_t j = 0; j < J; ++j) {
    const Ch& c = ch[j];
    ChannelAllocation& a = res.channels[j];
    a.name = in[j].name;
    a.lower = c.l;
    a.upper = c.u;
    a.current = in[j].current;
    a.optimal = x[j];
    a.change = a.optimal - a.current;
    a.change_pct = a.current > 0 ? 100.0 * a.change / a.current : 0.0;
    a.value_current = c.V(a.current);
    a.value = c.V(a.optimal);
    a.response_current = c.N * (c.f.eval(a.current / c.N) - c.f0);
    a.response = c.N * (c.f.eval(a.optimal / c.N) - c.f0);
    a.roi_current = a.current > 0 ? a.value_current / a.current : 0.0;
    a.roi = a.optimal > 0 ? a.value / a.optimal : 0.0;
    const double tiny = 1e-9 * c.N * c.f.K;  // finite marginal ROI at zero spend when s < 1
    a.marginal_roi_current = c.dV(std::max(a.current, tiny));
    a.marginal_roi = c.dV(std::max(a.optimal, tiny));
    a.saturation_pct = 100.0 * (a.optimal / c.N) / c.f.K;
    const double span = c.f.top - c.f0;
    a.saturation_top_pct = span != 0 ? 100.0 * (c.f.eval(a.optimal / c.N) - c.f0) / span : 0.0;
    a.at_lower = !can_down(c, a.optimal);
    a.at_upper = !can_up(c, a.optimal);
    if (!a.at_lower && !a.at_upper) {
      free_sum += a.marginal_roi;
      ++free_n;
    }
    res.budget += a.optimal;
    res.current_budget += a.current;
    res.value += a.value;
    res.value_current += a.value_current;
    res.response += a.response;
    res.response_current += a.response_current;
  }
  res.uplift = res.value - res.value_current;
  res.uplift_pct = res.value_current != 0 ? 100.0 * res.uplift / std::fabs(res.value_current) : 0.0;
  res.roi = res.budget > 0 ? res.value / res.budget : 0.0;
  res.roi_current = res.current_budget > 0 ? res.value_current / res.current_budget : 0.0;
  res.marginal_roi = cfg.mode == OptimizeMode::TargetMarginalRoi ? cfg.target
                     : free_n > 0                                 ? free_sum / free_n
                                                                  : lambda;
  if (cfg.mode == OptimizeMode::TargetMarginalRoi) res.upper_bound = std::max(res.upper_bound, res.value);
  return res;
}

}  // namespace mmm
