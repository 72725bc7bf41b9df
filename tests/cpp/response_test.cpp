#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "mmm/demo.hpp"
#include "mmm/errors.hpp"
#include "mmm/response.hpp"

namespace {

mmm::HillFit curve(double b, double t, double K, double s) {
  mmm::HillFit f;
  f.bottom = b;
  f.top = t;
  f.K = K;
  f.s = s;
  return f;
}

// Small deterministic noise source for the tests (uniform in [-1, 1]).
struct TestNoise {
  uint64_t state = 12345;
  double next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) * 0x1.0p-52 - 1.0;
  }
};

}  // namespace

TEST(Response, EvalAndDerivative) {
  const auto f = curve(5, 105, 40, 2.5);
  EXPECT_DOUBLE_EQ(f.eval(0), 5);
  EXPECT_NEAR(f.eval(40), 55, 1e-12);  // half-way at K
  EXPECT_NEAR(f.eval(1e9), 105, 1e-9);
  for (double x : {1.0, 10.0, 40.0, 77.0, 300.0}) {
    const double h = 1e-5 * x;
    const double fd = (f.eval(x + h) - f.eval(x - h)) / (2 * h);
    EXPECT_NEAR(f.derivative(x), fd, 1e-6 * std::fabs(fd) + 1e-12) << x;
  }
  EXPECT_EQ(f.derivative(0), 0.0);
  // The derivative peaks at the inflection point.
  const double xi = f.inflection();
  EXPECT_GT(f.derivative(xi), f.derivative(xi * 0.99));
  EXPECT_GT(f.derivative(xi), f.derivative(xi * 1.01));
  EXPECT_EQ(curve(0, 1, 2, 0.8).inflection(), 0.0);
  EXPECT_NEAR(curve(0, 1, 2, 1).derivative(0), 0.5, 1e-15);
  EXPECT_TRUE(std::isinf(curve(0, 1, 2, 0.5).derivative(0)));
}

TEST(Response, RecoversExactParameters) {
  const auto truth = curve(5, 105, 40, 2.5);
  std::vector<double> x, y;
  for (int i = 0; i <= 30; ++i) {
    x.push_back(4.0 * i);
    y.push_back(truth.eval(x.back()));
  }
  const auto f = mmm::fit_hill_curve(x, y);
  ASSERT_TRUE(f.ok);
  EXPECT_NEAR(f.bottom, 5, 1e-6);
  EXPECT_NEAR(f.top, 105, 1e-5);
  EXPECT_NEAR(f.K, 40, 1e-6);
  EXPECT_NEAR(f.s, 2.5, 1e-6);
  EXPECT_GT(f.r2, 1 - 1e-12);
  EXPECT_EQ(f.n, 31);
}

TEST(Response, RecoversConcaveCurveWithFixedBottom) {
  const auto truth = curve(0, 2.0e6, 3.0e5, 0.9);  // concave, large units
  std::vector<double> x, y;
  for (int i = 1; i <= 40; ++i) {
    x.push_back(2.5e4 * i);
    y.push_back(truth.eval(x.back()));
  }
  mmm::HillFitOptions o;
  o.fit_bottom = false;
  const auto f = mmm::fit_hill_curve(x, y, o);
  EXPECT_EQ(f.bottom, 0.0);
  EXPECT_NEAR(f.top / 2.0e6, 1.0, 1e-6);
  EXPECT_NEAR(f.K / 3.0e5, 1.0, 1e-6);
  EXPECT_NEAR(f.s, 0.9, 1e-6);
  EXPECT_GT(f.r2, 1 - 1e-12);
}

TEST(Response, RecoversFromNoisyData) {
  const auto truth = curve(10, 210, 50, 2.0);
  TestNoise rng;
  std::vector<double> x, y;
  for (int i = 0; i < 120; ++i) {
    const double xi = 1.5 * (i % 100) + 0.5;  // 0.5..149, some repeated
    x.push_back(xi);
    y.push_back(truth.eval(xi) + 4.0 * rng.next());  // ±2% of the range
  }
  const auto f = mmm::fit_hill_curve(x, y);
  EXPECT_NEAR(f.bottom, 10, 4);
  EXPECT_NEAR(f.top, 210, 0.05 * 210);
  EXPECT_NEAR(f.K, 50, 0.05 * 50);
  EXPECT_NEAR(f.s, 2.0, 0.15);
  EXPECT_GT(f.r2, 0.99);
  EXPECT_LT(f.r2, 1.0);
}

TEST(Response, DeterministicAndValidates) {
  std::vector<double> x = {1, 2, 3, 4, 5, 6}, y = {0.1, 0.5, 1.2, 1.9, 2.3, 2.5};
  const auto a = mmm::fit_hill_curve(x, y), b = mmm::fit_hill_curve(x, y);
  EXPECT_EQ(a.K, b.K);
  EXPECT_EQ(a.s, b.s);
  EXPECT_EQ(a.top, b.top);
  EXPECT_THROW(mmm::fit_hill_curve({1, 2, 3}, {1, 2, 3}), mmm::InvalidData);  // < 4 points
  EXPECT_THROW(mmm::fit_hill_curve({1, 2, 3, 4}, {1, 2, 3}), mmm::InvalidData);
  EXPECT_THROW(mmm::fit_hill_curve({1, -2, 3, 4, 5}, {1, 2, 3, 4, 5}), mmm::InvalidData);
  EXPECT_THROW(mmm::fit_hill_curve({1, 2, 3, 4, 5}, {1, 2, std::nan(""), 4, 5}), mmm::InvalidData);
  mmm::HillFitOptions o;
  o.min_slope = 0;
  EXPECT_THROW(mmm::fit_hill_curve(x, y, o), mmm::InvalidConfig);
  // A flat response is fitted without NaN.
  const auto flat = mmm::fit_hill_curve(x, std::vector<double>(6, 3.0));
  EXPECT_NEAR(flat.eval(3.5), 3.0, 1e-9);
  EXPECT_EQ(flat.r2, 1.0);
}

TEST(Response, NationalCurvesFromDemoTruth) {
  // Fit national curves (weekly national spend vs contribution, the reference's method) on the
  // demo's true contributions. Carry-over (TV: decay 0.6, delayed peak) and drift make the weekly
  // scatter noisy, so only short-carry-over channels get a high R²; every curve still increases.
  mmm::DemoConfig c;
  c.regions = 20;
  c.weeks = 104;
  c.channels = 4;
  c.controls = 0;
  const auto d = mmm::generate_demo(c);
  const auto curves = mmm::fit_response_curves(d.panel, d.truth.media_contribution, 0, c.weeks);
  ASSERT_EQ(curves.size(), 4u);
  EXPECT_EQ(curves[0].channel, "TV");
  for (const auto& rc : curves) {
    ASSERT_TRUE(rc.fit.ok) << rc.channel;
    EXPECT_EQ(rc.fit.bottom, 0.0);
    EXPECT_GT(rc.fit.r2, 0.0) << rc.channel;
    EXPECT_GT(rc.fit.eval(2 * rc.mean_spend), rc.fit.eval(rc.mean_spend)) << rc.channel;
  }
  EXPECT_GT(curves[1].fit.r2, 0.6);  // Search: decay 0.15
  EXPECT_GT(curves[3].fit.r2, 0.6);  // Display: decay 0.25
  std::vector<double> xs, ys;
  mmm::sample_curve(curves[1].fit, 1000.0, 11, xs, ys);
  EXPECT_EQ(xs.size(), 11u);
  EXPECT_DOUBLE_EQ(xs.back(), 1000.0);
  EXPECT_THROW(mmm::fit_response_curves(d.panel, std::vector<float>(3), 0, c.weeks), mmm::InvalidData);
  EXPECT_THROW(mmm::fit_response_curves(d.panel, d.truth.media_contribution, 0, c.weeks + 1), mmm::InvalidConfig);
}

TEST(Response, SimulatedCurveRecoversSteadyStateHill) {
  // A toy "model": geometric adstock (normalised) then Hill, over 60 weeks of varying spend.
  // Scaling all spend by m and averaging the contribution gives a clean curve whose Hill fit is
  // near the true steady-state Hill (same K and s) — unlike the weekly scatter.
  const double K = 800, s = 2.0, top = 5000, decay = 0.6;
  std::vector<double> spend(60);
  for (int t = 0; t < 60; ++t) spend[t] = 1000.0 * (1.0 + 0.1 * std::sin(0.7 * t));
  auto model = [&](double m) {
    double a = spend[0] * m, total = 0;
    for (int t = 0; t < 60; ++t) {
      a = decay * a + (1 - decay) * spend[t] * m;
      total += top / (1.0 + std::pow(K / std::max(a, 1e-300), s));
    }
    return total / 60;
  };
  const auto rc = mmm::simulate_response_curve("TV", 1000.0, model, 3.0, 31);
  ASSERT_TRUE(rc.fit.ok);
  EXPECT_EQ(rc.spend.size(), 31u);
  EXPECT_GT(rc.fit.r2, 0.999);
  EXPECT_NEAR(rc.fit.K / K, 1.0, 0.03);
  EXPECT_NEAR(rc.fit.s / s, 1.0, 0.05);
  EXPECT_NEAR(rc.fit.top / top, 1.0, 0.03);
  EXPECT_THROW(mmm::simulate_response_curve("TV", 0.0, model), mmm::InvalidConfig);
  EXPECT_THROW(mmm::simulate_response_curve("TV", 1.0, model, 3.0, 2), mmm::InvalidConfig);
  EXPECT_THROW(mmm::simulate_response_curve("TV", 1.0, [](double) { return std::nan(""); }), mmm::InvalidData);
}
