// Finite-difference tests of the network kernels (in double) and the counter-based RNG.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "mmm/nn.hpp"

namespace {

std::vector<double> randv(size_t n, mmm::nn::Rng& rng, double s = 1.0) {
  std::vector<double> v(n);
  for (double& x : v) x = s * rng.normal();
  return v;
}
double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

}  // namespace

TEST(Dense, BackwardMatchesFiniteDifferences) {
  mmm::nn::Rng rng(1);
  const int N = 5, I = 4, O = 3;
  auto X = randv(N * I, rng), W = randv(I * O, rng), b = randv(O, rng), R = randv(N * O, rng);
  auto loss = [&](const std::vector<double>& x, const std::vector<double>& w, const std::vector<double>& bb) {
    std::vector<double> Y(N * O);
    mmm::nn::dense_forward(N, I, O, x.data(), w.data(), bb.data(), Y.data());
    return dot(Y, R);
  };
  std::vector<double> dW(I * O, 0), db(O, 0), dX(N * I, 0);
  mmm::nn::dense_backward(N, I, O, X.data(), W.data(), R.data(), dW.data(), db.data(), dX.data(), false);
  const double h = 1e-6;
  for (size_t k = 0; k < W.size(); ++k) {
    auto p = W, m = W;
    p[k] += h;
    m[k] -= h;
    EXPECT_NEAR((loss(X, p, b) - loss(X, m, b)) / (2 * h), dW[k], 1e-7);
  }
  for (size_t k = 0; k < b.size(); ++k) {
    auto p = b, m = b;
    p[k] += h;
    m[k] -= h;
    EXPECT_NEAR((loss(X, W, p) - loss(X, W, m)) / (2 * h), db[k], 1e-7);
  }
  for (size_t k = 0; k < X.size(); ++k) {
    auto p = X, m = X;
    p[k] += h;
    m[k] -= h;
    EXPECT_NEAR((loss(p, W, b) - loss(m, W, b)) / (2 * h), dX[k], 1e-7);
  }
}

TEST(Gru, BackwardThroughTimeMatchesFiniteDifferences) {
  mmm::nn::Rng rng(2);
  const int T = 6, n = 3, H = 4;
  auto gi0 = randv(T * n * 3 * H, rng, 0.8), Wh = randv(H * 3 * H, rng, 0.5), bh = randv(3 * H, rng, 0.3),
       h0 = randv(H, rng, 0.3), R = randv(T * n * H, rng);
  auto run = [&](const std::vector<double>& gi_in, const std::vector<double>& wh, const std::vector<double>& b,
                 const std::vector<double>& h) {
    std::vector<double> gi = gi_in, ghn(T * n * H), hs((T + 1) * n * H), tmp(n * 3 * H + n * H);
    mmm::nn::gru_forward(T, n, H, wh.data(), b.data(), h.data(), gi.data(), ghn.data(), hs.data(), tmp.data());
    std::vector<double> out(hs.begin() + n * H, hs.end());
    return dot(out, R);
  };
  std::vector<double> gi = gi0, ghn(T * n * H), hs((T + 1) * n * H), tmp(n * 3 * H + n * H);
  mmm::nn::gru_forward(T, n, H, Wh.data(), bh.data(), h0.data(), gi.data(), ghn.data(), hs.data(), tmp.data());
  std::vector<double> dhs = R, dWh(H * 3 * H, 0), dbh(3 * H, 0), dh0(H, 0);
  mmm::nn::gru_backward(T, n, H, Wh.data(), hs.data(), gi.data(), ghn.data(), dhs.data(), dWh.data(), dbh.data(),
                        dh0.data(), tmp.data());
  const double h = 1e-6;
  auto check = [&](std::vector<double> base, const std::vector<double>& analytic, int which) {
    for (size_t k = 0; k < base.size(); ++k) {
      auto p = base, m = base;
      p[k] += h;
      m[k] -= h;
      double fp, fm;
      if (which == 0) {
        fp = run(p, Wh, bh, h0);
        fm = run(m, Wh, bh, h0);
      } else if (which == 1) {
        fp = run(gi0, p, bh, h0);
        fm = run(gi0, m, bh, h0);
      } else if (which == 2) {
        fp = run(gi0, Wh, p, h0);
        fm = run(gi0, Wh, m, h0);
      } else {
        fp = run(gi0, Wh, bh, p);
        fm = run(gi0, Wh, bh, m);
      }
      EXPECT_NEAR((fp - fm) / (2 * h), analytic[k], 1e-7) << "which " << which << " k " << k;
    }
  };
  check(gi0, gi, 0);  // gi now holds d/d(gi)
  check(Wh, dWh, 1);
  check(bh, dbh, 2);
  check(h0, dh0, 3);
}

TEST(Huber, ValueAndGradient) {
  EXPECT_DOUBLE_EQ(mmm::nn::huber(0.1, 0.25), 0.005);
  EXPECT_DOUBLE_EQ(mmm::nn::huber(1.0, 0.25), 0.25 * (1.0 - 0.125));
  EXPECT_DOUBLE_EQ(mmm::nn::huber_grad(-1.0, 0.25), -0.25);
  EXPECT_DOUBLE_EQ(mmm::nn::huber_grad(0.1, 0.25), 0.1);
  for (double r : {-0.7, -0.2, 0.05, 0.4}) {
    double h = 1e-7;
    EXPECT_NEAR((mmm::nn::huber(r + h, 0.3) - mmm::nn::huber(r - h, 0.3)) / (2 * h), mmm::nn::huber_grad(r, 0.3), 1e-6);
  }
}

TEST(Activations, StableAtExtremes) {
  EXPECT_EQ(mmm::nn::sigmoid(-1000.0), 0.0);
  EXPECT_EQ(mmm::nn::sigmoid(1000.0), 1.0);
  EXPECT_NEAR(mmm::nn::softplus(mmm::nn::softplus_inv(0.3)), 0.3, 1e-12);
  EXPECT_NEAR(mmm::nn::softplus(mmm::nn::softplus_inv(25.0)), 25.0, 1e-9);
  EXPECT_TRUE(std::isfinite(mmm::nn::softplus(800.0)));
}

TEST(CounterRng, DependsOnlyOnKey) {
  double a = mmm::nn::uniform_key(42, 1, 2, 3, 4);
  EXPECT_EQ(a, mmm::nn::uniform_key(42, 1, 2, 3, 4));
  EXPECT_NE(a, mmm::nn::uniform_key(42, 1, 2, 3, 5));
  EXPECT_NE(a, mmm::nn::uniform_key(43, 1, 2, 3, 4));
  double mean = 0;
  for (int i = 0; i < 10000; ++i) mean += mmm::nn::uniform_key(1, 0, 0, 0, i);
  EXPECT_NEAR(mean / 10000, 0.5, 0.02);
}
