#include <gtest/gtest.h>

#include <vector>

#include "mmm/adstock.hpp"
#include "mmm/nn.hpp"

TEST(Adstock, NormalisedRecursionAndSteadyState) {
  // One region, one channel, constant input equal to the initial state stays constant.
  std::vector<double> x(5, 2.0), a(5), alpha = {0.7}, a0 = {2.0};
  mmm::adstock::forward(5, 1, 1, x.data(), alpha.data(), a0.data(), a.data());
  for (double v : a) EXPECT_NEAR(v, 2.0, 1e-12);
  // A pulse decays geometrically.
  std::vector<double> p = {1, 0, 0, 0}, ap(4), z = {0.0};
  mmm::adstock::forward(4, 1, 1, p.data(), alpha.data(), z.data(), ap.data());
  EXPECT_NEAR(ap[0], 0.3, 1e-12);
  EXPECT_NEAR(ap[1], 0.21, 1e-12);
  EXPECT_NEAR(ap[3], 0.3 * 0.7 * 0.7 * 0.7, 1e-12);
}

TEST(Adstock, BackwardMatchesFiniteDifferences) {
  const int T = 7, n = 2, C = 3;
  mmm::nn::Rng rng(5);
  std::vector<double> x(T * n * C), a0(n * C), R(T * n * C), alpha = {0.2, 0.5, 0.85};
  for (auto& v : x) v = rng.uniform(0, 2);
  for (auto& v : a0) v = rng.uniform(0, 2);
  for (auto& v : R) v = rng.normal();
  auto loss = [&](const std::vector<double>& al, const std::vector<double>& xx) {
    std::vector<double> a(T * n * C);
    mmm::adstock::forward(T, n, C, xx.data(), al.data(), a0.data(), a.data());
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += a[i] * R[i];
    return s;
  };
  std::vector<double> a(T * n * C), da = R, dalpha(C, 0), dx(T * n * C);
  mmm::adstock::forward(T, n, C, x.data(), alpha.data(), a0.data(), a.data());
  mmm::adstock::backward(T, n, C, x.data(), alpha.data(), a0.data(), a.data(), da.data(), dalpha.data(), dx.data());
  const double h = 1e-6;
  for (int c = 0; c < C; ++c) {
    auto p = alpha, m = alpha;
    p[c] += h;
    m[c] -= h;
    EXPECT_NEAR((loss(p, x) - loss(m, x)) / (2 * h), dalpha[c], 1e-7);
  }
  for (size_t k = 0; k < x.size(); ++k) {
    auto p = x, m = x;
    p[k] += h;
    m[k] -= h;
    EXPECT_NEAR((loss(alpha, p) - loss(alpha, m)) / (2 * h), dx[k], 1e-7);
  }
}
