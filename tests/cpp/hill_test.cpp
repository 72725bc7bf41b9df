#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "mmm/hill.hpp"
#include "mmm/nn.hpp"

TEST(Hill, ValuesMatchTheClosedForm) {
  std::vector<double> a = {0.0, 0.5, 1.0, 3.0}, h(4), s = {2.0}, g = {1.0};
  mmm::hill::forward(4, 1, a.data(), s.data(), g.data(), h.data());
  EXPECT_EQ(h[0], 0.0);
  EXPECT_NEAR(h[1], 0.25 / 1.25, 1e-12);
  EXPECT_NEAR(h[2], 0.5, 1e-12);  // half-saturation
  EXPECT_NEAR(h[3], 9.0 / 10.0, 1e-12);
  for (double v : h) {
    EXPECT_GE(v, 0.0);
    EXPECT_LE(v, 1.0);
  }
}

TEST(Hill, BackwardMatchesFiniteDifferences) {
  const int N = 6, C = 2;
  mmm::nn::Rng rng(9);
  std::vector<double> a(N * C), R(N * C), slope = {0.8, 2.5}, half = {0.7, 1.3};
  for (auto& v : a) v = rng.uniform(0.05, 3);
  a[3] = 0.0;  // zero activity: value and gradient 0
  for (auto& v : R) v = rng.normal();
  auto loss = [&](const std::vector<double>& aa, const std::vector<double>& s, const std::vector<double>& g) {
    std::vector<double> h(N * C);
    mmm::hill::forward(N, C, aa.data(), s.data(), g.data(), h.data());
    double t = 0;
    for (size_t i = 0; i < h.size(); ++i) t += h[i] * R[i];
    return t;
  };
  std::vector<double> h(N * C), ds(C, 0), dg(C, 0), da(N * C);
  mmm::hill::forward(N, C, a.data(), slope.data(), half.data(), h.data());
  mmm::hill::backward(N, C, a.data(), slope.data(), half.data(), h.data(), R.data(), ds.data(), dg.data(), da.data());
  const double e = 1e-6;
  for (int c = 0; c < C; ++c) {
    auto p = slope, m = slope;
    p[c] += e;
    m[c] -= e;
    EXPECT_NEAR((loss(a, p, half) - loss(a, m, half)) / (2 * e), ds[c], 1e-7);
    p = half;
    m = half;
    p[c] += e;
    m[c] -= e;
    EXPECT_NEAR((loss(a, slope, p) - loss(a, slope, m)) / (2 * e), dg[c], 1e-7);
  }
  for (size_t k = 0; k < a.size(); ++k) {
    if (a[k] == 0.0) {
      EXPECT_EQ(da[k], 0.0);
      continue;
    }
    auto p = a, m = a;
    p[k] += e;
    m[k] -= e;
    EXPECT_NEAR((loss(p, slope, half) - loss(m, slope, half)) / (2 * e), da[k], 1e-7);
  }
}
