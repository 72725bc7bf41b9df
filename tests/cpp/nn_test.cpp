// Finite-difference tests of the network kernels (in double), the hand-written matrix products
// and the counter-based RNG.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "mmm/gemm.hpp"
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

// Central differences of <h_1..h_T, R> w.r.t. every input of the GRU, against its reverse pass.
static void check_gru(int T, int n, int H, uint64_t seed) {
  mmm::nn::Rng rng(seed);
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

// A tiny shape, and one whose sizes are not multiples of the SIMD width or of the 4-row register
// tile of the matrix products (the edge paths of gemm.cpp).
TEST(Gru, BackwardThroughTimeMatchesFiniteDifferences) {
  check_gru(6, 3, 4, 2);
  check_gru(4, 5, 7, 3);
}

// The products against the plain triple loop on shapes that exercise every edge of the kernel:
// row remainders (M % 4), the 4-wide and scalar column tails (N % 8, N % 4), several K slices
// (K > 256, uneven), K = 0, and leading dimensions wider than the block. The kernel promises the
// same order of operations as the loop, so the results must be identical, in float and in double.
template <class S>
void check_products() {
  mmm::nn::Rng rng(7);
  const int shapes[][3] = {{1, 1, 1}, {3, 5, 2}, {4, 8, 7}, {5, 13, 9}, {7, 4, 1}, {24, 840, 280},
                           {22, 30, 3}, {9, 11, 600}, {97, 19, 257}, {6, 7, 0}, {2, 3, 513}};
  for (const auto& sh : shapes) {
    const int M = sh[0], N = sh[1], K = sh[2];
    const int pad = 3;  // leading dimensions wider than the operands
    auto rnd = [&](size_t n) {
      std::vector<S> v(n);
      for (S& x : v) x = static_cast<S>(rng.normal());
      return v;
    };
    const int lda = K + pad, ldat = M + pad, ldb = N + pad, ldbt = K + pad, ldc = N + pad;
    std::vector<S> A = rnd(static_cast<size_t>(M) * lda), At = rnd(static_cast<size_t>(K) * ldat),
                   B = rnd(static_cast<size_t>(K) * ldb), Bt = rnd(static_cast<size_t>(N) * ldbt),
                   C0 = rnd(static_cast<size_t>(M) * ldc);
    // a(i, k), b(k, j) for each of the three layouts, and the loop in ascending k.
    auto expect = [&](auto a, auto b, bool acc) {
      std::vector<S> C = C0;
      for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
          S s = acc ? C0[static_cast<size_t>(i) * ldc + j] : S(0);
          for (int k = 0; k < K; ++k) s += a(i, k) * b(k, j);
          C[static_cast<size_t>(i) * ldc + j] = s;
        }
      return C;
    };
    auto a_n = [&](int i, int k) { return A[static_cast<size_t>(i) * lda + k]; };
    auto a_t = [&](int i, int k) { return At[static_cast<size_t>(k) * ldat + i]; };
    auto b_n = [&](int k, int j) { return B[static_cast<size_t>(k) * ldb + j]; };
    auto b_t = [&](int k, int j) { return Bt[static_cast<size_t>(j) * ldbt + k]; };
    for (bool acc : {false, true}) {
      std::vector<S> C = C0;
      mmm::gemm::ab(M, N, K, A.data(), lda, B.data(), ldb, C.data(), ldc, acc);
      EXPECT_EQ(C, expect(a_n, b_n, acc)) << "ab " << M << "x" << N << "x" << K << " acc " << acc;
      C = C0;
      mmm::gemm::atb(M, N, K, At.data(), ldat, B.data(), ldb, C.data(), ldc, acc);
      EXPECT_EQ(C, expect(a_t, b_n, acc)) << "atb " << M << "x" << N << "x" << K << " acc " << acc;
      C = C0;
      mmm::gemm::abt(M, N, K, A.data(), lda, Bt.data(), ldbt, C.data(), ldc, acc);
      EXPECT_EQ(C, expect(a_n, b_t, acc)) << "abt " << M << "x" << N << "x" << K << " acc " << acc;
    }
  }
}

TEST(Gemm, MatchesPlainLoopExactlyFloat) { check_products<float>(); }
TEST(Gemm, MatchesPlainLoopExactlyDouble) { check_products<double>(); }

// The same products against Eigen (a different summation order, so to rounding only).
TEST(Gemm, AgreesWithEigen) {
  using M = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const int m = 23, n = 842, k = 281;
  M A = M::Random(m, k), B = M::Random(k, n), C(m, n);
  mmm::gemm::ab(m, n, k, A.data(), k, B.data(), n, C.data(), n, false);
  M ref = A * B;
  EXPECT_LT((C - ref).cwiseAbs().maxCoeff(), 1e-4f * ref.cwiseAbs().maxCoeff());
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
