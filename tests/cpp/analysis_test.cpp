// Analysis on fitted models: decomposition totals, ROI and marginal ROI as finite differences of
// the full model, response curves, the budget optimiser end to end (brute force, bounds, locks,
// zero-spend channels, infeasible requests, target modes), plan simulation, and recovery of the
// demo generator's truth.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "mmm/analysis.hpp"
#include "mmm/demo.hpp"
#include "mmm/errors.hpp"
#include "mmm/fit.hpp"

namespace {

struct Fitted {
  mmm::DemoData demo;
  mmm::FitResult fit;
};

mmm::FitConfig quick_config() {
  mmm::FitConfig c;
  c.hidden = 8;
  c.epochs = 20;
  c.warm_start_epochs = 8;
  c.holdout_weeks = 6;
  c.validation_weeks = 6;
  return c;
}

Fitted fit_demo(int regions, int weeks, int channels, uint64_t seed, const mmm::FitConfig& c,
                void (*edit)(mmm::Panel&) = nullptr) {
  mmm::DemoConfig dc;
  dc.regions = regions;
  dc.weeks = weeks;
  dc.channels = channels;
  dc.controls = 2;
  dc.seed = seed;
  Fitted f;
  f.demo = mmm::generate_demo(dc);
  if (edit) edit(f.demo.panel);
  f.fit = mmm::fit(f.demo.panel, c);
  return f;
}

// 3 channels: the end-to-end optimiser checks.
const Fitted& three() {
  static Fitted f = fit_demo(6, 60, 3, 7, quick_config());
  return f;
}

// 4 channels; channel 3 (Display) has no spend in the last 20 weeks.
const Fitted& four_with_gap() {
  static Fitted f = fit_demo(6, 60, 4, 9, quick_config(), [](mmm::Panel& p) {
    for (int r = 0; r < p.regions; ++r)
      for (int t = p.weeks - 20; t < p.weeks; ++t) {
        const size_t i = (static_cast<size_t>(r) * p.weeks + t) * p.channels + 3;
        p.media[i] = 0;
        p.spend[i] = 0;
      }
  });
  return f;
}

const mmm::Analysis& three_analysis() {
  static mmm::Analysis a = mmm::analyze(three().fit.model, three().demo.panel.spend);
  return a;
}

double sum_prediction(const mmm::Decomposition& d, int from, int to) {
  double s = 0;
  for (int r = 0; r < d.regions; ++r)
    for (int t = from; t < to; ++t) s += d.prediction[static_cast<size_t>(r) * d.weeks + t];
  return s;
}

double sum_media(const mmm::Decomposition& d, int c, int from, int to) {
  double s = 0;
  for (int r = 0; r < d.regions; ++r)
    for (int t = from; t < to; ++t) s += d.media[(static_cast<size_t>(r) * d.weeks + t) * d.channels + c];
  return s;
}

// The panel's media for weeks [0, weeks) with channel c multiplied by f in [from, to).
std::vector<float> scaled_media(const mmm::Panel& p, int weeks, int c, double f, int from, int to) {
  const int C = p.channels;
  std::vector<float> m(static_cast<size_t>(p.regions) * weeks * C);
  for (int r = 0; r < p.regions; ++r)
    for (int t = 0; t < weeks; ++t)
      for (int j = 0; j < C; ++j) {
        float v = p.media_at(r, t, j);
        if (j == c && t >= from && t < to) v = static_cast<float>(f * v);
        m[(static_cast<size_t>(r) * weeks + t) * C + j] = v;
      }
  return m;
}

std::string config_error(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const mmm::InvalidConfig& e) {
    return e.what();
  }
  return "(no InvalidConfig thrown)";
}

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<int> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](int a, int b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t k = 0; k < idx.size(); ++k) r[idx[k]] = static_cast<double>(k);
  return r;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const auto ra = ranks(a), rb = ranks(b);
  const double n = static_cast<double>(a.size());
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += (ra[i] - rb[i]) * (ra[i] - rb[i]);
  return 1.0 - 6.0 * s / (n * (n * n - 1.0));
}

// The demo's TRUE media contribution over weeks [W − N, W + kernel length) when each channel's
// spend in the last N weeks is multiplied by factor[c] (zero spend after the panel), from the
// truth's adstock kernel, Hill curve, effect scale and drift. The TV -> Search edge's effect on
// Search spend is not re-simulated: a plan's Search spend is taken as given.
double true_media(const mmm::DemoData& d, const std::vector<double>& factor, int N) {
  const mmm::DemoTruth& tr = d.truth;
  const mmm::Panel& p = d.panel;
  const int R = p.regions, W = p.weeks, C = p.channels;
  double total = 0;
  for (int c = 0; c < C; ++c) {
    const mmm::DemoChannelTruth& ch = tr.channel[c];
    const int L = static_cast<int>(ch.adstock_weights.size());
    for (int r = 0; r < R; ++r) {
      const double K = ch.half_saturation_per_size * tr.region_size[r];
      auto spend = [&](int t) -> double {
        if (t < 0 || t >= W) return 0.0;
        const double s = p.spend[(static_cast<size_t>(r) * W + t) * C + c];
        return t >= W - N ? s * factor[c] : s;
      };
      for (int t = W - N; t < W + L; ++t) {
        double a = 0;
        for (int l = 0; l < L; ++l) a += ch.adstock_weights[l] * spend(t - l);
        const double h = a > 0 ? 1.0 / (1.0 + std::pow(K / a, ch.hill_slope)) : 0.0;
        total += ch.effect_scale * ch.drift_at(t) * tr.region_base[r] * h;
      }
    }
  }
  return total;
}

}  // namespace

TEST(Analysis, DecompositionPartsSumToThePrediction) {
  const auto& f = three();
  const mmm::Decomposition d = f.fit.model.decompose();
  const int K = d.controls, C = d.channels;
  for (int r = 0; r < d.regions; ++r)
    for (int t = 0; t < d.weeks; ++t) {
      const size_t i = static_cast<size_t>(r) * d.weeks + t;
      double s = static_cast<double>(d.baseline[i]) + d.seasonal[i];
      for (int k = 0; k < K; ++k) s += d.control[i * K + k];
      for (int c = 0; c < C; ++c) s += d.media[i * C + c];
      ASSERT_NEAR(d.prediction[i], s, 2e-6 * (1.0 + std::fabs(s))) << "region " << r << " week " << t;
    }
  // Totals over a date range and a set of regions add up too, and match a direct sum.
  const mmm::ContributionTotals tot = mmm::contribution_totals(d, 5, 37, {4, 1});
  EXPECT_EQ(tot.regions, (std::vector<int>{4, 1}));
  double parts = tot.baseline + tot.seasonal + tot.control_total + tot.media_total;
  EXPECT_NEAR(tot.prediction, parts, 1e-6 * std::fabs(tot.prediction));
  double direct = 0, kpi = 0;
  for (int r : {1, 4})
    for (int t = 5; t < 37; ++t) {
      direct += d.prediction[static_cast<size_t>(r) * d.weeks + t];
      kpi += d.kpi[static_cast<size_t>(r) * d.weeks + t];
    }
  EXPECT_NEAR(tot.prediction, direct, 1e-9 * std::fabs(direct));
  EXPECT_NEAR(tot.actual, kpi, 1e-9 * std::fabs(kpi));
  EXPECT_NEAR(std::accumulate(tot.media_share.begin(), tot.media_share.end(), 0.0), 1.0, 1e-12);
  // All regions, whole panel.
  const mmm::ContributionTotals all = mmm::contribution_totals(d, 0, d.weeks);
  EXPECT_EQ(all.regions.size(), static_cast<size_t>(d.regions));
  EXPECT_NEAR(all.prediction, all.baseline + all.seasonal + all.control_total + all.media_total, 1e-6 * std::fabs(all.prediction));
  // Errors name the value.
  EXPECT_NE(config_error([&] { mmm::contribution_totals(d, 10, 10); }).find("to is 10"), std::string::npos);
  EXPECT_NE(config_error([&] { mmm::contribution_totals(d, -1, 10); }).find("from is -1"), std::string::npos);
  EXPECT_NE(config_error([&] { mmm::contribution_totals(d, 0, 10, {9}); }).find("region 9 does not exist"), std::string::npos);
  EXPECT_NE(config_error([&] { mmm::contribution_totals(d, 0, 10, {1, 1}); }).find("listed twice"), std::string::npos);
}

TEST(Analysis, RoiAndMarginalRoiAreFiniteDifferencesOfTheModel) {
  const auto& f = three();
  const mmm::FittedModel& m = f.fit.model;
  const mmm::Panel& p = f.demo.panel;
  // A window inside the panel so the check can run simulate on panel weeks only.
  mmm::AnalysisOptions o;
  o.from = 10;
  o.to = 40;
  o.carryover = 8;
  o.revenue_per_kpi = 2.5;
  const mmm::Analysis a = mmm::analyze(m, p.spend, o);
  EXPECT_EQ(a.window.sim_weeks, 48);
  EXPECT_EQ(a.window_weeks, 30);
  const int S = 48;
  const mmm::Decomposition base = m.simulate(scaled_media(p, S, 0, 1.0, 0, 0), {});
  for (int c = 0; c < p.channels; ++c) {
    const auto& e = a.channels[c];
    double spend = 0;
    for (int r = 0; r < p.regions; ++r)
      for (int t = 10; t < 40; ++t) spend += p.spend[(static_cast<size_t>(r) * p.weeks + t) * p.channels + c];
    ASSERT_TRUE(e.has_spend);
    EXPECT_NEAR(e.spend, spend, 1e-9 * spend);
    // Incremental KPI: prediction with the channel minus prediction with its spend at 0 in the window.
    const mmm::Decomposition off = m.simulate(scaled_media(p, S, c, 0.0, 10, 40), {});
    const double inc = sum_prediction(base, 10, S) - sum_prediction(off, 10, S);
    const double dir = sum_media(base, c, 10, S) - sum_media(off, c, 10, S);
    // DAG part: the other channels' terms with the coefficients held at the base run's.
    double dag = 0;
    for (int r = 0; r < p.regions; ++r)
      for (int t = 10; t < S; ++t)
        for (int j = 0; j < p.channels; ++j) {
          if (j == c) continue;
          const size_t k = (static_cast<size_t>(r) * S + t) * p.channels + j;
          dag += base.media[k] - static_cast<double>(off.media[k]) * base.media_coef[k] / off.media_coef[k];
        }
    EXPECT_NEAR(e.incremental, inc, 1e-6 * std::fabs(inc) + 1e-3);
    EXPECT_NEAR(e.contribution, dir, 1e-6 * std::fabs(dir) + 1e-3);
    EXPECT_NEAR(e.indirect, dag, 1e-6 * std::fabs(inc) + 1e-3);
    EXPECT_NEAR(e.contribution + e.indirect + e.interaction, e.incremental, 1e-9 * std::fabs(e.incremental));
    EXPECT_NEAR(e.roi, dir / spend, 1e-6 * std::fabs(dir / spend));
    EXPECT_NEAR(e.roi_total, (dir + dag) / spend, 1e-6 * std::fabs(inc / spend));
    EXPECT_NEAR(e.revenue_roi, 2.5 * e.roi, 1e-12 * std::fabs(e.roi));
    EXPECT_NEAR(e.cost_per_kpi, spend / dir, 1e-6 * spend / dir);
    EXPECT_GT(e.contribution, 0.0);
    // Marginal ROI: an independent forward difference at +1% agrees with the analysis' central
    // difference at ±2%.
    const mmm::Decomposition up = m.simulate(scaled_media(p, S, c, 1.01, 10, 40), {});
    const double mroi = (sum_media(up, c, 10, S) - sum_media(base, c, 10, S)) / (0.01 * spend);
    const double mroi_total = (sum_prediction(up, 10, S) - sum_prediction(base, 10, S)) / (0.01 * spend);
    EXPECT_NEAR(e.marginal_roi, mroi, 0.02 * std::fabs(mroi) + 1e-6) << e.channel;
    EXPECT_NEAR(e.marginal_roi_total, mroi_total, 0.02 * std::fabs(mroi_total) + 1e-6) << e.channel;
    // Saturating response: the next unit earns less than the average one.
    EXPECT_LT(e.marginal_roi, e.roi * 1.05) << e.channel;
    // Demo channels are driven by spend: no separate activity.
    EXPECT_TRUE(std::isnan(e.activity));
    EXPECT_TRUE(std::isnan(e.effect_per_1000));
  }
  double shares = 0;
  for (const auto& e : a.channels) shares += e.share;
  EXPECT_NEAR(shares, 1.0, 1e-12);
}

TEST(Analysis, DagParentsGetIndirectCredit) {
  // Triangular DAG: channel 0 (TV) may feed every later channel, the last channel feeds none. Its
  // indirect credit is then 0 (to float rounding) while TV's is positive (A > 0, mixing > 0).
  const auto& f = three();
  ASSERT_EQ(f.fit.model.config().dag_mode, "triangular");
  const mmm::Analysis& a = three_analysis();
  const std::vector<float> A = f.fit.model.dag_adjacency();
  EXPECT_GT(A[0 * 3 + 1], 0.0f);
  EXPECT_EQ(A[2 * 3 + 0], 0.0f);
  EXPECT_EQ(A[2 * 3 + 1], 0.0f);
  double media_total = 0;
  for (const auto& e : a.channels) media_total += e.decomposition;
  EXPECT_GT(a.channels[0].indirect, 0.0);
  EXPECT_LT(std::fabs(a.channels[2].indirect), 1e-5 * media_total);
  for (const auto& e : a.channels)
    EXPECT_NEAR(e.contribution + e.indirect + e.interaction, e.incremental, 1e-9 * std::fabs(e.incremental));
}

TEST(Analysis, ResponseCurvesComeFromTheModelAndFitAHillCurve) {
  const auto& f = three();
  const mmm::Analysis& a = three_analysis();
  const mmm::Panel& p = f.demo.panel;
  ASSERT_EQ(a.curves.size(), 3u);
  EXPECT_EQ(a.window.from, 0);
  EXPECT_EQ(a.window.to, p.weeks);
  EXPECT_EQ(a.window.carryover, mmm::default_carryover_weeks(f.fit.model));
  EXPECT_EQ(a.simulations, 1 + 3 * (3 + 11));
  for (int c = 0; c < 3; ++c) {
    const auto& rc = a.curves[c];
    ASSERT_TRUE(rc.ok) << rc.channel;
    EXPECT_TRUE(rc.spend_units);
    ASSERT_EQ(rc.factors.size(), 13u);
    EXPECT_EQ(rc.factors.front(), 0.0);
    EXPECT_EQ(rc.factors.back(), 3.0);
    EXPECT_EQ(rc.y.front(), 0.0);
    // Factor 1 is the current plan: its y is the channel's incremental KPI.
    EXPECT_NEAR(rc.y[4], a.channels[c].incremental, 1e-9 * std::fabs(rc.y[4]));
    EXPECT_NEAR(rc.current * a.window_weeks, a.channels[c].spend, 1e-9 * a.channels[c].spend);
    EXPECT_NEAR(rc.x[4], rc.current, 1e-12 * rc.current);
    EXPECT_GT(rc.y.back(), rc.y[4]);
    EXPECT_GT(rc.hill.r2, 0.95) << rc.channel;
    EXPECT_GT(rc.hill.K, 0.0);
    EXPECT_GE(rc.saturation_pct, 0.0);
    EXPECT_LE(rc.saturation_pct, 100.0);
  }
  // Economics only skips the curves.
  mmm::AnalysisOptions o;
  o.curves = false;
  const mmm::Analysis e = mmm::analyze(f.fit.model, p.spend, o);
  EXPECT_TRUE(e.curves.empty());
  EXPECT_EQ(e.simulations, 1 + 3 * 3);
  EXPECT_DOUBLE_EQ(e.channels[1].roi, a.channels[1].roi);
  // Option errors.
  o = {};
  o.factors = {0.5, 1, 2, 3, 4};
  EXPECT_NE(config_error([&] { mmm::analyze(f.fit.model, p.spend, o); }).find("first curve factor must be 0"), std::string::npos);
  o.factors = {0, 1, 0.5, 2, 3};
  EXPECT_NE(config_error([&] { mmm::analyze(f.fit.model, p.spend, o); }).find("strictly ascending"), std::string::npos);
  o = {};
  o.epsilon = 0;
  EXPECT_NE(config_error([&] { mmm::analyze(f.fit.model, p.spend, o); }).find("epsilon is 0"), std::string::npos);
  o = {};
  o.revenue_per_kpi = -1;
  EXPECT_NE(config_error([&] { mmm::analyze(f.fit.model, p.spend, o); }).find("revenue per KPI is -1"), std::string::npos);
  o = {};
  o.from = 50;
  o.to = 40;
  EXPECT_NE(config_error([&] { mmm::analyze(f.fit.model, p.spend, o); }).find("to is 40"), std::string::npos);
}

TEST(Analysis, BudgetMatchesBruteForceAndHoldsBudgetAndBounds) {
  const auto& f = three();
  const mmm::Analysis& a = three_analysis();
  mmm::BudgetRequest req;
  req.weeks = 26;
  // Wide bounds: 0..2.5x current, so the brute force has room to find a different optimum.
  double current_total = 0;
  std::vector<double> current(3, 0.0);
  const mmm::Panel& p = f.demo.panel;
  for (int r = 0; r < p.regions; ++r)
    for (int t = p.weeks - 26; t < p.weeks; ++t)
      for (int c = 0; c < 3; ++c) current[c] += p.spend[(static_cast<size_t>(r) * p.weeks + t) * 3 + c];
  for (int c = 0; c < 3; ++c) {
    req.bounds.push_back({a.channels[c].channel, 0.0, 2.5 * current[c], false});
    current_total += current[c];
  }
  for (double budget_mult : {1.0, 0.6}) {
    req.budget = budget_mult * current_total;
    const mmm::BudgetPlanResult b = mmm::plan_budget(f.fit.model, p.spend, a, req);
    ASSERT_EQ(b.optimization.channels.size(), 3u);
    double sum = 0;
    for (int c = 0; c < 3; ++c) {
      const auto& al = b.optimization.channels[c];
      EXPECT_NEAR(al.current, current[c], 1e-9 * current[c]);
      EXPECT_GE(al.optimal, al.lower);
      EXPECT_LE(al.optimal, al.upper);
      sum += al.optimal;
    }
    EXPECT_NEAR(sum, req.budget, 1e-9 * req.budget);
    // Brute force on the same curves: a grid over (x0, x1), x2 = budget − x0 − x1.
    auto V = [&](int c, double x) {
      mmm::HillFit h = a.curves[c].hill;
      const double N = 26, ww = a.window_weeks;
      return N * (h.eval(x / N) - h.eval(0)) / ww;
    };
    double best = -1e300;
    const int G = 400;
    for (int i = 0; i <= G; ++i)
      for (int j = 0; i + j <= G; ++j) {
        const double x0 = req.budget * i / G, x1 = req.budget * j / G, x2 = req.budget - x0 - x1;
        if (x0 > 2.5 * current[0] || x1 > 2.5 * current[1] || x2 > 2.5 * current[2] || x2 < 0) continue;
        best = std::max(best, V(0, x0) + V(1, x1) + V(2, x2));
      }
    EXPECT_GE(b.optimization.value, best * (1 - 1e-9));
    EXPECT_NEAR(b.optimization.value, best, 0.005 * best);
    // Equal marginal ROI for the channels strictly inside their bounds.
    std::vector<double> free_m;
    for (const auto& al : b.optimization.channels)
      if (!al.at_lower && !al.at_upper) free_m.push_back(al.marginal_roi);
    ASSERT_GE(free_m.size(), 2u) << "budget multiplier " << budget_mult;
    for (double m : free_m) EXPECT_NEAR(m, free_m[0], 1e-3 * std::fabs(free_m[0]));
    // The full-model check ran and agrees with the curves on the direction.
    EXPECT_TRUE(std::isfinite(b.simulated_current_kpi));
    EXPECT_GT(b.simulated_current_kpi, 0.0);
    if (budget_mult == 1.0) {
      EXPECT_GE(b.optimal_kpi, b.current_kpi);
      EXPECT_GT(b.simulated_optimal_kpi, b.simulated_current_kpi * 0.999);
      // The curves describe the model: both views of the current plan agree within 10%.
      EXPECT_NEAR(b.current_kpi, b.simulated_current_kpi, 0.1 * b.simulated_current_kpi);
    }
  }
}

TEST(Analysis, BudgetDefaultsLocksAndZeroSpendChannels) {
  const auto& f = four_with_gap();
  const mmm::Panel& p = f.demo.panel;
  const mmm::Analysis a = mmm::analyze(f.fit.model, p.spend);
  mmm::BudgetRequest req;
  req.weeks = 20;
  // Defaults: budget = current, bounds ±30%, Display (no spend in the last 20 weeks) gets none.
  mmm::BudgetPlanResult b = mmm::plan_budget(f.fit.model, p.spend, a, req);
  ASSERT_EQ(b.optimization.channels.size(), 4u);
  const auto& disp = b.optimization.channels[3];
  EXPECT_EQ(disp.current, 0.0);
  EXPECT_EQ(disp.optimal, 0.0);
  EXPECT_EQ(disp.upper, 0.0);
  for (int c = 0; c < 3; ++c) {
    const auto& al = b.optimization.channels[c];
    EXPECT_NEAR(al.lower, 0.7 * al.current, 1e-9 * al.current);
    EXPECT_NEAR(al.upper, 1.3 * al.current, 1e-9 * al.current);
  }
  EXPECT_NEAR(b.optimization.budget, b.optimization.current_budget, 1e-9 * b.optimization.budget);
  // A lock keeps the current spend exactly.
  req.bounds = {{"TV", NAN, NAN, true}};
  b = mmm::plan_budget(f.fit.model, p.spend, a, req);
  EXPECT_EQ(b.optimization.channels[0].optimal, b.optimization.channels[0].current);
  EXPECT_TRUE(b.locked[0]);
  EXPECT_DOUBLE_EQ(b.plan_factor[0], 1.0);
  // Giving Display room: it may now take spend, and the full-model check spreads it over the
  // weeks by its regional share (its pattern in the horizon is empty).
  const double room = 0.25 * b.optimization.current_budget;
  req.bounds = {{"Display", room, room, false}};
  b = mmm::plan_budget(f.fit.model, p.spend, a, req);
  EXPECT_NEAR(b.optimization.channels[3].optimal, room, 1e-9 * room);
  EXPECT_EQ(b.plan_factor[3], 0.0);
  EXPECT_TRUE(std::isfinite(b.simulated_optimal_kpi));
  EXPECT_NE(b.simulated_optimal_kpi, b.simulated_current_kpi);
  mmm::ScenarioRunner runner(f.fit.model, p.weeks - 20, p.weeks, a.window.carryover);
  std::vector<mmm::ChannelChange> ch(4);
  ch[3].add_per_week = room / 20;
  const std::vector<float> m = runner.media_for(ch);
  double added = 0;
  const int S = runner.window().sim_weeks;
  for (int r = 0; r < p.regions; ++r)
    for (int t = p.weeks - 20; t < p.weeks; ++t) added += m[(static_cast<size_t>(r) * S + t) * 4 + 3];
  EXPECT_NEAR(added, room, 1e-4 * room);
}

TEST(Analysis, InfeasibleOrInvalidBudgetsGiveClearErrors) {
  const auto& f = three();
  const mmm::Analysis& a = three_analysis();
  const mmm::Panel& p = f.demo.panel;
  const auto plan = [&](const mmm::BudgetRequest& r) { mmm::plan_budget(f.fit.model, p.spend, a, r); };
  mmm::BudgetRequest r;
  r.weeks = 10;
  r.budget = 1.0;  // far below the default lower bounds (70% of current)
  std::string e = config_error([&] { plan(r); });
  EXPECT_NE(e.find("is below the sum of the lower bounds"), std::string::npos) << e;
  r = {};
  r.bounds = {{"TV", 10.0, 5.0, false}};
  e = config_error([&] { plan(r); });
  EXPECT_NE(e.find("channel 'TV': lower bound 10 is above upper bound 5"), std::string::npos) << e;
  r = {};
  r.bounds = {{"Billboards", 1, 2, false}};
  e = config_error([&] { plan(r); });
  EXPECT_NE(e.find("channel 'Billboards', which the model does not have"), std::string::npos) << e;
  r = {};
  r.weeks = 61;
  e = config_error([&] { plan(r); });
  EXPECT_NE(e.find("weeks is 61; allowed range is 1..60"), std::string::npos) << e;
  r = {};
  r.mode = mmm::OptimizeMode::TargetRoi;
  r.target = 0;
  e = config_error([&] { plan(r); });
  EXPECT_NE(e.find("target ROI is 0"), std::string::npos) << e;
  mmm::Analysis no_curves = a;
  no_curves.curves.clear();
  e = config_error([&] { mmm::plan_budget(f.fit.model, p.spend, no_curves, {}); });
  EXPECT_NE(e.find("no response curves"), std::string::npos) << e;
}

TEST(Analysis, TargetModes) {
  const auto& f = three();
  const mmm::Analysis& a = three_analysis();
  const mmm::Panel& p = f.demo.panel;
  mmm::BudgetRequest r;
  r.weeks = 26;
  r.bound_pct = 0.9;
  // Target marginal ROI: channels strictly inside their bounds sit at the target.
  const mmm::BudgetPlanResult base = mmm::plan_budget(f.fit.model, p.spend, a, r);
  r.mode = mmm::OptimizeMode::TargetMarginalRoi;
  r.target = base.optimization.marginal_roi;
  const mmm::BudgetPlanResult m = mmm::plan_budget(f.fit.model, p.spend, a, r);
  int inside = 0;
  for (const auto& al : m.optimization.channels)
    if (!al.at_lower && !al.at_upper) {
      EXPECT_NEAR(al.marginal_roi, r.target, 1e-4 * r.target) << al.name;
      ++inside;
    }
  EXPECT_GE(inside, 1);
  // Target ROI: the plan's overall ROI reaches the target.
  r.mode = mmm::OptimizeMode::TargetRoi;
  r.target = 0.9 * base.optimization.roi;
  const mmm::BudgetPlanResult t = mmm::plan_budget(f.fit.model, p.spend, a, r);
  EXPECT_TRUE(t.optimization.target_met);
  EXPECT_GE(t.optimization.roi, r.target * (1 - 1e-6));
  EXPECT_GE(t.optimization.budget, base.optimization.budget * 0.999);
}

TEST(Analysis, SimulatePlan) {
  const auto& f = three();
  const mmm::FittedModel& m = f.fit.model;
  const mmm::Panel& p = f.demo.panel;
  const int R = p.regions, W = p.weeks, C = p.channels, N = 12;
  // The panel's own last 12 weeks as a regional plan reproduce the decomposition exactly.
  mmm::SpendPlan plan;
  plan.start = W - N;
  plan.weeks = N;
  plan.regional = true;
  for (int r = 0; r < R; ++r)
    for (int t = W - N; t < W; ++t)
      for (int c = 0; c < C; ++c) plan.amounts.push_back(p.spend[(static_cast<size_t>(r) * W + t) * C + c]);
  const mmm::PlanOutcome o = mmm::simulate_plan(m, p.spend, plan);
  const mmm::Decomposition d = m.decompose();
  ASSERT_EQ(o.decomposition.prediction.size(), static_cast<size_t>(R) * N);
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < N; ++t) {
      EXPECT_EQ(o.decomposition.prediction[static_cast<size_t>(r) * N + t], d.prediction[static_cast<size_t>(r) * W + W - N + t]);
      for (int c = 0; c < C; ++c)
        EXPECT_EQ(o.decomposition.media[(static_cast<size_t>(r) * N + t) * C + c], d.media[(static_cast<size_t>(r) * W + W - N + t) * C + c]);
    }
  EXPECT_NEAR(o.totals.prediction, o.totals.baseline + o.totals.seasonal + o.totals.control_total + o.totals.media_total,
              1e-6 * std::fabs(o.totals.prediction));
  // A national plan after the panel: spend split by regional share; twice the spend earns more.
  mmm::SpendPlan future;
  future.weeks = 8;
  for (int t = 0; t < 8; ++t)
    for (int c = 0; c < C; ++c) future.amounts.push_back(1000.0f * (c + 1));
  const mmm::PlanOutcome a = mmm::simulate_plan(m, p.spend, future);
  EXPECT_EQ(a.start, W);
  EXPECT_EQ(a.decomposition.weeks, 8);
  for (float& v : future.amounts) v *= 2;
  const mmm::PlanOutcome b = mmm::simulate_plan(m, p.spend, future);
  EXPECT_GT(b.totals.media_total, a.totals.media_total);
  EXPECT_NEAR(b.totals.baseline, a.totals.baseline, 1e-6 * std::fabs(a.totals.baseline));
  // Errors.
  future.amounts.pop_back();
  EXPECT_THROW(mmm::simulate_plan(m, p.spend, future), mmm::InvalidData);
  future.amounts.push_back(-1);
  try {
    mmm::simulate_plan(m, p.spend, future);
    ADD_FAILURE() << "negative spend accepted";
  } catch (const mmm::InvalidData& e) {
    EXPECT_NE(std::string(e.what()).find("is -1"), std::string::npos) << e.what();
  }
  future.amounts.back() = 1;
  future.start = W + 1;
  EXPECT_NE(config_error([&] { mmm::simulate_plan(m, p.spend, future); }).find("start is week 61"), std::string::npos);
}

TEST(Analysis, ActivityOnlyChannels) {
  // Without spend the channels are reported per 1,000 activity units and cannot be budgeted.
  const auto& f = three();
  mmm::AnalysisOptions o;
  o.curves = true;
  const mmm::Analysis a = mmm::analyze(f.fit.model, {}, o);
  for (const auto& e : a.channels) {
    EXPECT_FALSE(e.has_spend);
    EXPECT_TRUE(std::isnan(e.roi));
    EXPECT_TRUE(std::isnan(e.marginal_roi));
    EXPECT_NEAR(e.effect_per_1000, 1000.0 * e.contribution / e.activity, 1e-9 * std::fabs(e.effect_per_1000));
  }
  EXPECT_FALSE(a.curves[0].spend_units);
  const std::string e = config_error([&] { mmm::plan_budget(f.fit.model, {}, a, {}); });
  EXPECT_NE(e.find("no channel has spend"), std::string::npos) << e;
}

// Recovery of the demo's truth: on a small problem, and on the default demo with default settings
// (DefaultDemoRecoversTheTruth, a few seconds in the debug build).
namespace {
// Returns the analysis it scored, for further checks.
mmm::Analysis check_recovery(const Fitted& f, double* rho, double* true_uplift_pct, double* sim_uplift_pct) {
  mmm::Analysis a = mmm::analyze(f.fit.model, f.demo.panel.spend);
  std::vector<double> est, truth;
  for (size_t c = 0; c < a.channels.size(); ++c) {
    est.push_back(a.channels[c].roi);
    truth.push_back(f.demo.truth.channel[c].roi);
  }
  *rho = spearman(est, truth);
  const mmm::BudgetPlanResult b = mmm::plan_budget(f.fit.model, f.demo.panel.spend, a, {});
  const std::vector<double> one(a.channels.size(), 1.0);
  const double before = true_media(f.demo, one, b.weeks), after = true_media(f.demo, b.plan_factor, b.weeks);
  *true_uplift_pct = 100.0 * (after - before) / before;
  *sim_uplift_pct = b.simulated_uplift_pct;
  for (size_t c = 0; c < a.channels.size(); ++c)
    std::printf("  %-8s ROI %.3f (true %.3f)  mROI %.3f (true %.3f)  plan x%.3f\n", a.channels[c].channel.c_str(), est[c],
                truth[c], a.channels[c].marginal_roi, f.demo.truth.channel[c].marginal_roi, b.plan_factor[c]);
  std::printf("  Spearman(ROI, true ROI) = %.3f; plan uplift: curves %+.2f%%, full model %+.2f%%, TRUE response %+.2f%%\n",
              *rho, b.uplift_pct, *sim_uplift_pct, *true_uplift_pct);
  return a;
}
}  // namespace

TEST(Analysis, TrueResponseOfTheDemoSmall) {
  // The true response evaluator reproduces the generator's contributions.
  const auto& f = three();
  const mmm::DemoData& d = f.demo;
  const int W = d.panel.weeks;
  const std::vector<double> one(3, 1.0);
  double truth_sum = 0;
  for (int r = 0; r < d.panel.regions; ++r)
    for (int t = W - 20; t < W; ++t)
      for (int c = 0; c < 3; ++c) truth_sum += d.truth.media_at(r, t, c);
  // true_media adds the tail after the panel; without it, it is the generator's sum.
  double with_tail = true_media(d, one, 20);
  EXPECT_GT(with_tail, truth_sum);
  EXPECT_LT(with_tail, 1.5 * truth_sum);
  double rho = 0, up = 0, sim = 0;
  check_recovery(f, &rho, &up, &sim);
  RecordProperty("spearman", std::to_string(rho));
  RecordProperty("true_uplift_pct", std::to_string(up));
  EXPECT_GE(sim, 0.0);
}

// The recovery targets on the default demo (50 x 104 x 8 x 3, seed 42) with default settings
// (about 3 s in the debug build): ROI ranks like the truth, channel shares within 15% (mean absolute
// relative error), holdout within-region R² >= 0.90, and the budget plan raises the TRUE response.
TEST(Analysis, DefaultDemoRecoversTheTruth) {
  Fitted f;
  f.demo = mmm::generate_demo(mmm::DemoConfig{});
  f.fit = mmm::fit(f.demo.panel, mmm::FitConfig{});
  double rho = 0, up = 0, sim = 0;
  const mmm::Analysis a = check_recovery(f, &rho, &up, &sim);
  double mare = 0;
  for (size_t c = 0; c < a.channels.size(); ++c)
    mare += std::fabs(a.channels[c].share - f.demo.truth.channel[c].share) / f.demo.truth.channel[c].share;
  mare /= static_cast<double>(a.channels.size());
  std::printf("  share MARE %.4f, holdout within-region R2 %.4f, pooled %.4f, WAPE %.4f\n", mare,
              f.fit.holdout.r2_within, f.fit.holdout.r2, f.fit.holdout.wape);
  RecordProperty("spearman", std::to_string(rho));
  RecordProperty("true_uplift_pct", std::to_string(up));
  RecordProperty("share_mare", std::to_string(mare));
  RecordProperty("holdout_r2_within", std::to_string(f.fit.holdout.r2_within));
  EXPECT_GE(rho, 0.9);
  EXPECT_GT(up, 0.0);
  EXPECT_GT(sim, 0.0);
  EXPECT_LE(mare, 0.15);
  EXPECT_GE(f.fit.holdout.r2_within, 0.90);
}

// ---- batched scenarios (ScenarioRunner::run_many) against one full simulation per scenario ------

namespace {

// Every figure of run_many's outcomes against run() (FittedModel::simulate per scenario): the
// prediction to 1e-7 of itself, channel terms to 1e-6 of the base's Σ|media term|, and each
// scenario's change against the base (what the economics use) to the same.
void expect_batch_equals_reference(const mmm::ScenarioRunner& runner, const std::vector<std::vector<mmm::ChannelChange>>& sc,
                                   const std::string& label) {
  const std::vector<mmm::ScenarioOutcome> fast = runner.run_many(sc);
  ASSERT_EQ(fast.size(), sc.size());
  const mmm::ScenarioOutcome base = runner.run({});
  double scale = 0;
  for (double v : base.media) scale += std::fabs(v);
  ASSERT_GT(scale, 0.0);
  for (size_t s = 0; s < sc.size(); ++s) {
    const mmm::ScenarioOutcome ref = runner.run(sc[s]);
    EXPECT_NEAR(fast[s].prediction, ref.prediction, 1e-7 * std::fabs(ref.prediction)) << label << " scenario " << s;
    EXPECT_NEAR(base.prediction - fast[s].prediction, base.prediction - ref.prediction, 1e-6 * scale) << label << " scenario " << s;
    for (size_t c = 0; c < ref.media.size(); ++c) {
      EXPECT_NEAR(fast[s].media[c], ref.media[c], 1e-6 * scale) << label << " scenario " << s << " channel " << c;
      EXPECT_NEAR(fast[s].media_window[c], ref.media_window[c], 1e-6 * scale) << label << " scenario " << s << " channel " << c;
      EXPECT_NEAR(fast[s].media_at_base_coef[c], ref.media_at_base_coef[c], 1e-6 * scale)
          << label << " scenario " << s << " channel " << c;
    }
  }
  // Prediction only (what the response curves ask for): the same predictions, no channel sums.
  const std::vector<mmm::ScenarioOutcome> lean = runner.run_many(sc, {}, std::vector<bool>(sc.size(), true));
  for (size_t s = 0; s < sc.size(); ++s) {
    EXPECT_NEAR(lean[s].prediction, fast[s].prediction, 1e-12 * std::fabs(fast[s].prediction)) << label << " scenario " << s;
    EXPECT_EQ(lean[s].media, std::vector<double>(base.media.size(), 0.0)) << label << " scenario " << s;
    EXPECT_EQ(lean[s].media_at_base_coef, std::vector<double>(base.media.size(), 0.0)) << label << " scenario " << s;
  }
}

// What analyze() simulates (the base, off, ±2%, curve points) plus a plan that moves every channel
// at once and adds spend where there was none (the budget check's kind of scenario).
std::vector<std::vector<mmm::ChannelChange>> analysis_like_scenarios(int C) {
  std::vector<std::vector<mmm::ChannelChange>> sc{{}};
  for (int c = 0; c < C; ++c)
    for (double f : {0.0, 0.98, 1.02, 0.5, 2.0, 3.0}) {
      std::vector<mmm::ChannelChange> ch(C);
      ch[c].factor = f;
      sc.push_back(ch);
    }
  std::vector<mmm::ChannelChange> plan(C);
  for (int c = 0; c < C; ++c) {
    plan[c].factor = 0.6 + 0.3 * c;
    plan[c].add_per_week = c % 2 ? 500.0 : 0.0;
  }
  sc.push_back(plan);
  return sc;
}

}  // namespace

TEST(Analysis, BatchedScenariosEqualOneSimulationEach) {
  // Triangular DAG, whole panel (the analysis' default window) and a window inside the panel.
  const mmm::FittedModel& m = three().fit.model;
  const int W = m.weeks();
  const auto sc = analysis_like_scenarios(m.channels());
  expect_batch_equals_reference(mmm::ScenarioRunner(m, 0, W), sc, "triangular, whole panel");
  expect_batch_equals_reference(mmm::ScenarioRunner(m, 20, 45, 6), sc, "triangular, weeks 20-45");
  // Channel 3 has no spend in the last 20 weeks: scaling it there changes nothing (the batch takes
  // the base's sums for it), adding spend does.
  const mmm::FittedModel& g = four_with_gap().fit.model;
  expect_batch_equals_reference(mmm::ScenarioRunner(g, g.weeks() - 20, g.weeks()), analysis_like_scenarios(4), "no spend in window");
  // NOTEARS DAG (a dense adjacency), the adstock lag blend, and two threads.
  mmm::FitConfig c = quick_config();
  c.dag_mode = "notears";
  c.adstock_delay = true;
  c.threads = 2;
  c.chunk_regions = 2;  // several chunks, run in waves over the threads
  const Fitted f = fit_demo(7, 50, 3, 11, c);
  ASSERT_TRUE(f.fit.model.spec().notears);
  ASSERT_TRUE(f.fit.model.spec().adstock_delay);
  expect_batch_equals_reference(mmm::ScenarioRunner(f.fit.model, 0, 50), analysis_like_scenarios(3), "notears + lag blend");
}

TEST(Analysis, BatchedScenariosDoNotDependOnTheThreadCount) {
  mmm::FitConfig c = quick_config();
  c.chunk_regions = 2;
  const Fitted one = fit_demo(7, 40, 3, 5, c);
  c.threads = 2;
  const Fitted two = fit_demo(7, 40, 3, 5, c);
  ASSERT_EQ(one.fit.model.parameters(), two.fit.model.parameters());
  const auto sc = analysis_like_scenarios(3);
  const auto a = mmm::ScenarioRunner(one.fit.model, 0, 40).run_many(sc);
  const auto b = mmm::ScenarioRunner(two.fit.model, 0, 40).run_many(sc);
  for (size_t s = 0; s < sc.size(); ++s) {
    EXPECT_EQ(a[s].prediction, b[s].prediction) << "scenario " << s;
    EXPECT_EQ(a[s].media, b[s].media) << "scenario " << s;
    EXPECT_EQ(a[s].media_at_base_coef, b[s].media_at_base_coef) << "scenario " << s;
  }
}

TEST(Analysis, AnalysisReportsProgressAndCanBeCancelled) {
  const auto& f = three();
  std::vector<std::pair<int, int>> seen;
  const mmm::Analysis a = mmm::analyze(f.fit.model, f.demo.panel.spend, {}, [&](int done, int total) {
    seen.emplace_back(done, total);
    return true;
  });
  ASSERT_FALSE(seen.empty());
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].second, seen.front().second);
    EXPECT_EQ(seen[i].first, static_cast<int>(i) + 1);  // one chunk of regions per step (one thread)
  }
  EXPECT_EQ(seen.back().first, seen.back().second);
  // The same figures as without a progress callback.
  EXPECT_EQ(a.channels[0].contribution, three_analysis().channels[0].contribution);
  EXPECT_EQ(a.curves[2].y, three_analysis().curves[2].y);
  // Returning false stops the analysis with Cancelled.
  int calls = 0;
  EXPECT_THROW(mmm::analyze(f.fit.model, f.demo.panel.spend, {}, [&](int, int) { return ++calls < 1; }), mmm::Cancelled);
  EXPECT_EQ(calls, 1);
}
