// Neural-network building blocks with hand-written reverse passes: activations, dense layers,
// a batched GRU (all regions of a chunk advance together), the Huber loss and a counter-based RNG.
//
// Layout conventions (shared by every kernel of the model):
//   * matrices are row-major; a weight W of a layer "in -> out" is stored [in x out], so a layer is
//     Y[N x out] = X[N x in] * W + b with one row per token;
//   * sequences are time-major inside a chunk: token (t, i) is row t*n + i, n = regions in the chunk,
//     so the rows of one week are contiguous and the recurrent step is one [n x H]*[H x 3H] product.
// Kernels are templates on the scalar type: float in production, double in gradient tests.
#pragma once
#include <Eigen/Core>
#include <cmath>
#include <cstdint>

namespace mmm {

template <class S>
using MatR = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class S>
using MapR = Eigen::Map<MatR<S>>;
template <class S>
using CMapR = Eigen::Map<const MatR<S>>;
template <class S>
using RowV = Eigen::Matrix<S, 1, Eigen::Dynamic>;

namespace nn {

template <class S>
inline S sigmoid(S x) {
  if (x >= S(0)) return S(1) / (S(1) + std::exp(-x));
  S e = std::exp(x);
  return e / (S(1) + e);
}
template <class S>
inline S softplus(S x) {
  if (x > S(20)) return x;
  if (x < S(-20)) return std::exp(x);
  return std::log1p(std::exp(x));
}
inline double softplus_inv(double y) {
  if (y <= 0) y = 1e-6;
  return y > 20 ? y : std::log(std::expm1(y));
}
inline double logit(double p) {
  if (p < 1e-6) p = 1e-6;
  if (p > 1 - 1e-6) p = 1 - 1e-6;
  return std::log(p / (1 - p));
}

// Huber loss of a residual and its derivative. delta <= 0 means squared error (0.5 r^2).
inline double huber(double r, double delta) {
  double a = std::fabs(r);
  if (delta <= 0 || a <= delta) return 0.5 * r * r;
  return delta * (a - 0.5 * delta);
}
inline double huber_grad(double r, double delta) {
  if (delta <= 0 || std::fabs(r) <= delta) return r;
  return r > 0 ? delta : -delta;
}

// Counter-based random numbers: the value depends only on the key, never on the order of calls or
// the thread that asks, so dropout is identical for any thread schedule.
inline uint64_t mix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
inline double uniform_key(uint64_t seed, uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  uint64_t h = mix64(seed);
  h = mix64(h ^ a);
  h = mix64(h ^ b);
  h = mix64(h ^ c);
  h = mix64(h ^ d);
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
}

// Sequential deterministic generator for initialisation (same numbers on every platform, unlike
// the standard distributions whose algorithms are implementation-defined).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(mix64(seed ^ 0x5DEECE66Dull)) {}
  uint64_t next() { return mix64(state_++); }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double normal() {
    double u1 = uniform(), u2 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t state_;
};

// Y[N x O] = X[N x I] * W[I x O] + b (b may be null).
template <class S>
void dense_forward(int N, int I, int O, const S* X, const S* W, const S* b, S* Y);
// dW += X^T dY, db += colsum(dY) (db may be null); dX = dY W^T (or += when accumulate; dX may be null).
template <class S>
void dense_backward(int N, int I, int O, const S* X, const S* W, const S* dY, S* dW, S* db, S* dX,
                    bool accumulate_dx);

// Batched GRU over T steps of n sequences, PyTorch gate order (r, z, n):
//   r = s(gi_r + gh_r), z = s(gi_z + gh_z), n = tanh(gi_n + r * gh_n), h' = (1 - z) n + z h,
//   gh = h W_h + b_h, W_h [H x 3H].
// gi [T*n x 3H]: input projections incl. b_i; overwritten with the gate values (r, z, n).
// ghn [T*n x H]: receives gh_n (needed by the reverse pass).
// hs [(T+1)*n x H]: rows [0,n) are h0 broadcast, rows [(t+1)n, (t+2)n) are h_t.
// tmp: scratch [n x 3H].
template <class S>
void gru_forward(int T, int n, int H, const S* Wh, const S* bh, const S* h0, S* gi, S* ghn, S* hs, S* tmp);

// Reverse pass of gru_forward over the first T steps. dhs [T*n x H]: gradient w.r.t. h_1..h_T
// (modified). On return gi holds dL/d(gi) (so dW_i, db_i and the input gradient follow from one
// product each), ghn is clobbered; dWh, dbh, dh0 are accumulated. tmp: scratch [n x 3H + n x H].
template <class S>
void gru_backward(int T, int n, int H, const S* Wh, const S* hs, S* gi, S* ghn, S* dhs, S* dWh, S* dbh, S* dh0,
                  S* tmp);

}  // namespace nn
}  // namespace mmm
