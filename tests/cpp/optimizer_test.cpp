#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "mmm/errors.hpp"
#include "mmm/optimizer.hpp"

namespace {

mmm::HillFit curve(double b, double t, double K, double s) {
  mmm::HillFit f;
  f.bottom = b;
  f.top = t;
  f.K = K;
  f.s = s;
  f.ok = true;
  return f;
}

mmm::ChannelBudget chan(const std::string& name, const mmm::HillFit& f, double current, double lower, double upper,
                        double w = 1.0) {
  mmm::ChannelBudget c;
  c.name = name;
  c.curve = f;
  c.current = current;
  c.lower = lower;
  c.upper = upper;
  c.value_per_kpi = w;
  return c;
}

// Value of a plan, as the optimiser defines it.
double plan_value(const std::vector<mmm::ChannelBudget>& ch, const std::vector<double>& x, int N) {
  double v = 0;
  for (size_t j = 0; j < ch.size(); ++j)
    v += N * ch[j].value_per_kpi * (ch[j].curve.eval(x[j] / N) - ch[j].curve.eval(0));
  return v;
}

// Brute force over a grid for 2 or 3 channels with Σ x = B.
double brute_force(const std::vector<mmm::ChannelBudget>& ch, double B, int N, int grid) {
  double best = -1e300;
  const double l0 = ch[0].lower, u0 = ch[0].upper, l1 = ch[1].lower, u1 = ch[1].upper;
  for (int i = 0; i <= grid; ++i) {
    const double x0 = l0 + (u0 - l0) * i / grid;
    if (ch.size() == 2) {
      const double x1 = B - x0;
      if (x1 < l1 || x1 > u1) continue;
      best = std::max(best, plan_value(ch, {x0, x1}, N));
      continue;
    }
    for (int k = 0; k <= grid; ++k) {
      const double x1 = l1 + (u1 - l1) * k / grid;
      const double x2 = B - x0 - x1;
      if (x2 < ch[2].lower || x2 > ch[2].upper) continue;
      best = std::max(best, plan_value(ch, {x0, x1, x2}, N));
    }
  }
  return best;
}

void expect_feasible(const mmm::OptimizationResult& r, double B) {
  double s = 0;
  for (const auto& a : r.channels) {
    EXPECT_GE(a.optimal, a.lower) << a.name;
    EXPECT_LE(a.optimal, a.upper) << a.name;
    s += a.optimal;
  }
  EXPECT_NEAR(s / B, 1.0, 1e-9);
  EXPECT_NEAR(r.budget / B, 1.0, 1e-9);
}

void expect_equal_marginals(const mmm::OptimizationResult& r, double tol) {
  double ref = std::nan("");
  int free_n = 0;
  for (const auto& a : r.channels) {
    if (a.at_lower || a.at_upper) continue;
    ++free_n;
    if (std::isnan(ref)) ref = a.marginal_roi;
    EXPECT_NEAR(a.marginal_roi / ref, 1.0, tol) << a.name;
  }
  if (free_n > 0) {
    EXPECT_NEAR(r.marginal_roi / ref, 1.0, tol);
  }
  // KKT for channels at a bound: at the lower bound the marginal is not above the common one, at
  // the upper bound not below it.
  if (free_n > 0)
    for (const auto& a : r.channels) {
      if (a.lower == a.upper) continue;
      if (a.at_lower) EXPECT_LE(a.marginal_roi, ref * (1 + tol)) << a.name;
      if (a.at_upper) EXPECT_GE(a.marginal_roi, ref * (1 - tol)) << a.name;
    }
}

mmm::OptimizerConfig fixed(double B, int N = 1) {
  mmm::OptimizerConfig c;
  c.budget = B;
  c.horizon_weeks = N;
  return c;
}

std::string config_error(const std::vector<mmm::ChannelBudget>& ch, const mmm::OptimizerConfig& c) {
  try {
    mmm::optimize_budget(ch, c);
  } catch (const mmm::InvalidConfig& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Optimizer, TwoConcaveChannelsMatchBruteForce) {
  const std::vector<mmm::ChannelBudget> ch = {chan("TV", curve(0, 1000, 300, 0.9), 400, 0, 1000),
                                              chan("Search", curve(0, 600, 150, 1.0), 200, 0, 1000)};
  const double B = 600;
  const auto r = mmm::optimize_budget(ch, fixed(B));
  expect_feasible(r, B);
  const double bf = brute_force(ch, B, 1, 20000);
  EXPECT_GE(r.value, bf * (1 - 1e-9));
  EXPECT_LE(r.value, bf * (1 + 5e-3));
  expect_equal_marginals(r, 1e-7);
  // Concave problem: the Lagrangian bound is tight.
  EXPECT_GE(r.upper_bound, r.value * (1 - 1e-12));
  EXPECT_LE(r.upper_bound, r.value * (1 + 1e-9));
  EXPECT_GE(r.uplift, 0.0);
}

TEST(Optimizer, SShapedChannelsMatchBruteForce) {
  // Two steep S-curves: splitting evenly is a poor local point; the optimum concentrates.
  const int N = 13;
  const std::vector<mmm::ChannelBudget> ch = {chan("TV", curve(0, 800, 100, 3.0), 650, 0, 3000),
                                              chan("Video", curve(0, 700, 90, 3.5), 650, 0, 3000)};
  for (double B : {500.0, 1300.0, 2600.0, 4000.0}) {
    const auto r = mmm::optimize_budget(ch, fixed(B, N));
    expect_feasible(r, B);
    const double bf = brute_force(ch, B, N, 20000);
    EXPECT_GE(r.value, bf * (1 - 1e-9)) << B;
    EXPECT_LE(r.value, bf * (1 + 5e-3)) << B;
    expect_equal_marginals(r, 1e-6);
    EXPECT_GE(r.upper_bound, r.value * (1 - 1e-12));
  }
}

TEST(Optimizer, ThreeChannelsWithBoundsWeightsAndHorizon) {
  const int N = 8;
  const std::vector<mmm::ChannelBudget> ch = {
      chan("TV", curve(0, 900, 250, 2.2), 1600, 400, 3500, 1.2),
      chan("Search", curve(5, 500, 120, 1.1), 1000, 600, 1500, 1.0),  // bottom > 0: incremental only
      chan("Radio", curve(0, 300, 60, 1.8), 400, 0, 1200, 0.8)};
  for (double B : {1500.0, 3000.0, 4500.0}) {
    const auto r = mmm::optimize_budget(ch, fixed(B, N));
    expect_feasible(r, B);
    const double bf = brute_force(ch, B, N, 500);
    EXPECT_GE(r.value, bf * (1 - 1e-9)) << B;
    EXPECT_LE(r.value, bf * (1 + 5e-3)) << B;
    expect_equal_marginals(r, 1e-6);
    EXPECT_NEAR(r.value, plan_value(ch, {r.channels[0].optimal, r.channels[1].optimal, r.channels[2].optimal}, N),
                1e-9 * r.value);
  }
}

TEST(Optimizer, ReportFields) {
  const int N = 4;
  const std::vector<mmm::ChannelBudget> ch = {chan("TV", curve(0, 1000, 300, 1.5), 800, 0, 2000),
                                              chan("Search", curve(0, 600, 150, 1.0), 800, 0, 2000)};
  const auto r = mmm::optimize_budget(ch, fixed(1600, N));
  ASSERT_EQ(r.channels.size(), 2u);
  const auto& a = r.channels[0];
  EXPECT_EQ(a.name, "TV");
  EXPECT_DOUBLE_EQ(a.current, 800);
  EXPECT_NEAR(a.change, a.optimal - 800, 1e-12);
  EXPECT_NEAR(a.change_pct, 100 * (a.optimal - 800) / 800, 1e-9);
  EXPECT_NEAR(a.response, N * ch[0].curve.eval(a.optimal / N), 1e-9);
  EXPECT_NEAR(a.roi, a.value / a.optimal, 1e-12);
  EXPECT_NEAR(a.marginal_roi, ch[0].curve.derivative(a.optimal / N), 1e-12);
  EXPECT_NEAR(a.saturation_pct, 100 * (a.optimal / N) / 300, 1e-9);
  EXPECT_NEAR(a.saturation_top_pct, 100 * ch[0].curve.eval(a.optimal / N) / 1000, 1e-9);
  EXPECT_NEAR(r.value_current, plan_value(ch, {800, 800}, N), 1e-9);
  EXPECT_NEAR(r.uplift, r.value - r.value_current, 1e-9);
  EXPECT_GE(r.uplift, 0.0);
  EXPECT_NEAR(r.roi, r.value / 1600, 1e-12);
  EXPECT_NEAR(r.uplift_pct, 100 * r.uplift / r.value_current, 1e-9);
}

TEST(Optimizer, DefaultBoundsZeroSpendAndLocks) {
  // Default bounds are ±30% of current; a channel without spend stays at 0; a locked channel
  // keeps its spend.
  std::vector<mmm::ChannelBudget> ch = {chan("TV", curve(0, 1000, 300, 1.2), 1000, NAN, NAN),
                                        chan("Search", curve(0, 5000, 100, 1.0), 0, NAN, NAN),  // very good, but no spend
                                        chan("Radio", curve(0, 500, 200, 1.0), 500, NAN, NAN),
                                        chan("Print", curve(0, 400, 100, 1.0), 300, NAN, NAN)};
  ch[3].locked = true;
  mmm::OptimizerConfig c;  // budget = Σ current = 1800
  const auto r = mmm::optimize_budget(ch, c);
  expect_feasible(r, 1800);
  EXPECT_EQ(r.channels[1].optimal, 0.0);
  EXPECT_EQ(r.channels[1].upper, 0.0);
  EXPECT_EQ(r.channels[3].optimal, 300.0);
  EXPECT_TRUE(r.channels[3].at_lower && r.channels[3].at_upper);
  EXPECT_DOUBLE_EQ(r.channels[0].lower, 700);
  EXPECT_DOUBLE_EQ(r.channels[0].upper, 1300);
  EXPECT_DOUBLE_EQ(r.channels[2].lower, 350);
  EXPECT_DOUBLE_EQ(r.channels[2].upper, 650);
  EXPECT_EQ(r.channels[1].roi, 0.0);
  // Give Search room explicitly: it now takes budget.
  ch[1].upper = 800;
  const auto r2 = mmm::optimize_budget(ch, c);
  expect_feasible(r2, 1800);
  EXPECT_GT(r2.channels[1].optimal, 100.0);
  EXPECT_EQ(r2.channels[3].optimal, 300.0);
  expect_equal_marginals(r2, 1e-6);
  // A custom bound_pct.
  c.bound_pct = 0.1;
  const auto r3 = mmm::optimize_budget(ch, c);
  EXPECT_DOUBLE_EQ(r3.channels[0].lower, 900);
  EXPECT_DOUBLE_EQ(r3.channels[0].upper, 1100);
}

TEST(Optimizer, InfeasibleInputsAreRejected) {
  const std::vector<mmm::ChannelBudget> ch = {chan("TV", curve(0, 1000, 300, 1.2), 1000, 800, 1200),
                                              chan("Search", curve(0, 600, 150, 1.0), 500, 400, 600)};
  std::string e = config_error(ch, fixed(1000));
  EXPECT_NE(e.find("budget 1000 is below the sum of the lower bounds, 1200"), std::string::npos) << e;
  e = config_error(ch, fixed(2000));
  EXPECT_NE(e.find("budget 2000 is above the sum of the upper bounds, 1800"), std::string::npos) << e;
  auto bad = ch;
  bad[1].lower = 700;
  e = config_error(bad, fixed(1500));
  EXPECT_NE(e.find("channel 'Search': lower bound 700 is above upper bound 600"), std::string::npos) << e;
  bad = ch;
  bad[0].current = -1;
  EXPECT_NE(config_error(bad, fixed(1500)).find("channel 'TV': current spend is -1"), std::string::npos);
  bad = ch;
  bad[0].lower = -5;
  EXPECT_NE(config_error(bad, fixed(1500)).find("lower bound is -5"), std::string::npos);
  bad = ch;
  bad[0].curve.K = 0;
  EXPECT_NE(config_error(bad, fixed(1500)).find("K (half-saturation) is 0"), std::string::npos);
  EXPECT_NE(config_error(ch, fixed(-3)).find("budget is -3"), std::string::npos);
  EXPECT_NE(config_error({}, fixed(1)).find("no channels"), std::string::npos);
  auto c = fixed(1500);
  c.horizon_weeks = 0;
  EXPECT_NE(config_error(ch, c).find("horizon_weeks is 0"), std::string::npos);
  c = fixed(1500);
  c.mode = mmm::OptimizeMode::TargetRoi;
  c.target = 0;
  EXPECT_NE(config_error(ch, c).find("target ROI is 0"), std::string::npos);
  EXPECT_THROW(mmm::optimize_budget(ch, fixed(1000)), mmm::InvalidConfig);
  // Exactly the sum of the bounds is feasible.
  const auto r = mmm::optimize_budget(ch, fixed(1800));
  EXPECT_EQ(r.channels[0].optimal, 1200);
  EXPECT_EQ(r.channels[1].optimal, 600);
}

TEST(Optimizer, TargetMarginalRoi) {
  const int N = 10;
  const std::vector<mmm::ChannelBudget> ch = {chan("TV", curve(0, 1000, 300, 2.0), 3000, 0, 20000),
                                              chan("Search", curve(0, 600, 150, 1.0), 1500, 0, 20000),
                                              chan("Print", curve(0, 300, 200, 1.0), 500, 0, 300)};
  mmm::OptimizerConfig c;
  c.mode = mmm::OptimizeMode::TargetMarginalRoi;
  c.target = 0.5;
  c.horizon_weeks = N;
  const auto r = mmm::optimize_budget(ch, c);
  EXPECT_EQ(r.marginal_roi, 0.5);
  for (const auto& a : r.channels) {
    if (!a.at_lower && !a.at_upper) EXPECT_NEAR(a.marginal_roi, 0.5, 1e-9) << a.name;
  }
  EXPECT_TRUE(r.channels[2].at_upper);  // Print: marginal ROI still 1.13 at its upper bound
  // The plan is the optimum for its own budget.
  const auto f = mmm::optimize_budget(ch, fixed(r.budget, N));
  EXPECT_NEAR(f.value / r.value, 1.0, 1e-7);
  // A higher target spends less.
  c.target = 1.0;
  const auto r2 = mmm::optimize_budget(ch, c);
  EXPECT_LT(r2.budget, r.budget);
}

TEST(Optimizer, TargetRoi) {
  const int N = 4;
  const std::vector<mmm::ChannelBudget> ch = {chan("TV", curve(0, 1000, 300, 1.5), 800, 0, 8000),
                                              chan("Search", curve(0, 600, 150, 1.0), 800, 0, 8000)};
  mmm::OptimizerConfig c;
  c.mode = mmm::OptimizeMode::TargetRoi;
  c.target = 1.5;
  c.horizon_weeks = N;
  const auto r = mmm::optimize_budget(ch, c);
  ASSERT_TRUE(r.target_met) << r.message;
  EXPECT_NEAR(r.roi, 1.5, 1e-4);
  expect_feasible(r, r.budget);
  // 1% more budget, optimally spent, falls below the target.
  const auto more = mmm::optimize_budget(ch, fixed(r.budget * 1.01, N));
  EXPECT_LT(more.roi, 1.5);
  // An unreachable target is reported, not thrown.
  c.target = 100;
  const auto u = mmm::optimize_budget(ch, c);
  EXPECT_FALSE(u.target_met);
  EXPECT_NE(u.message.find("no budget reaches the target ROI 100"), std::string::npos) << u.message;
  // A target met even at the upper bounds spends everything allowed.
  c.target = 0.01;
  const auto all = mmm::optimize_budget(ch, c);
  EXPECT_TRUE(all.target_met);
  EXPECT_NEAR(all.budget, 16000, 1e-6);
}

TEST(Optimizer, ManyChannelsQuickAndConsistent) {
  // 50 channels with mixed shapes: feasible, KKT-consistent, better than the current plan, fast.
  uint64_t st = 7;
  auto uni = [&](double a, double b) {
    st = st * 6364136223846793005ULL + 1442695040888963407ULL;
    return a + (b - a) * (static_cast<double>(st >> 11) * 0x1.0p-53);
  };
  std::vector<mmm::ChannelBudget> ch;
  double B = 0;
  for (int j = 0; j < 50; ++j) {
    const double K = uni(50, 500);
    const double cur = K * uni(0.3, 2.0) * 13;
    ch.push_back(chan("Channel " + std::to_string(j + 1), curve(0, uni(200, 2000), K, uni(0.7, 3.0)), cur, NAN, NAN));
    B += cur;
  }
  mmm::OptimizerConfig c;
  c.horizon_weeks = 13;
  c.bound_pct = 0.5;
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = mmm::optimize_budget(ch, c);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  expect_feasible(r, B);
  expect_equal_marginals(r, 1e-6);
  EXPECT_GT(r.uplift, 0.0);
  EXPECT_GE(r.upper_bound, r.value);
  EXPECT_LE(r.upper_bound, r.value * 1.01);
  EXPECT_LT(secs, 5.0);
  RecordProperty("seconds", std::to_string(secs));
}

TEST(Optimizer, Deterministic) {
  const std::vector<mmm::ChannelBudget> ch = {chan("TV", curve(0, 800, 100, 3.0), 650, 0, 3000),
                                              chan("Video", curve(0, 700, 90, 3.5), 650, 0, 3000),
                                              chan("Search", curve(0, 300, 50, 1.0), 200, 0, 3000)};
  const auto a = mmm::optimize_budget(ch, fixed(1500, 13));
  const auto b = mmm::optimize_budget(ch, fixed(1500, 13));
  for (size_t j = 0; j < ch.size(); ++j) EXPECT_EQ(a.channels[j].optimal, b.channels[j].optimal);
}

TEST(Optimizer, RandomThreeChannelProblemsMatchBruteForce) {
  uint64_t st = 2024;
  auto uni = [&](double a, double b) {
    st = st * 6364136223846793005ULL + 1442695040888963407ULL;
    return a + (b - a) * (static_cast<double>(st >> 11) * 0x1.0p-53);
  };
  for (int trial = 0; trial < 12; ++trial) {
    std::vector<mmm::ChannelBudget> ch;
    double sl = 0, su = 0;
    for (int j = 0; j < 3; ++j) {
      const double K = uni(50, 400);
      const double lo = uni(0, 1) < 0.5 ? 0.0 : uni(0, 2) * K;
      const double hi = lo + uni(1, 8) * K;
      ch.push_back(chan("C" + std::to_string(j), curve(0, uni(300, 3000), K, uni(0.6, 4.0)), 0, lo, hi, uni(0.5, 2)));
      sl += lo;
      su += hi;
    }
    const double B = sl + uni(0.05, 0.95) * (su - sl);
    const auto r = mmm::optimize_budget(ch, fixed(B));
    expect_feasible(r, B);
    const double bf = brute_force(ch, B, 1, 400);
    EXPECT_GE(r.value, bf * (1 - 1e-9)) << "trial " << trial;
    EXPECT_LE(r.value, bf * (1 + 5e-3)) << "trial " << trial;
    expect_equal_marginals(r, 1e-6);
  }
}
