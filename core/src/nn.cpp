#include "mmm/nn.hpp"

#include <algorithm>
#include <vector>

#include "mmm/gemm.hpp"

namespace mmm {
namespace nn {
namespace {

// out[j] += sum over the N rows of X[r * ld + j]. Row by row, so the reads are contiguous and the
// loop vectorises (Eigen's colwise().sum() of a row-major map walks each column with a stride).
template <class S>
void add_column_sums(int N, int O, const S* X, int ld, S* out) {
  for (int r = 0; r < N; ++r) {
    const S* x = X + static_cast<size_t>(r) * ld;
    for (int j = 0; j < O; ++j) out[j] += x[j];
  }
}

}  // namespace

template <class S>
void dense_forward(int N, int I, int O, const S* X, const S* W, const S* b, S* Y) {
  gemm::ab(N, O, I, X, I, W, O, Y, O, false);
  if (b) MapR<S>(Y, N, O).rowwise() += Eigen::Map<const RowV<S>>(b, O);
}

template <class S>
void dense_backward(int N, int I, int O, const S* X, const S* W, const S* dY, S* dW, S* db, S* dX,
                    bool accumulate_dx) {
  if (dW) gemm::atb(I, O, N, X, I, dY, O, dW, O, true);
  if (db) add_column_sums(N, O, dY, O, db);
  if (dX) gemm::abt(N, I, O, dY, O, W, O, dX, I, accumulate_dx);
}

template <class S>
void gru_forward(int T, int n, int H, const S* Wh, const S* bh, const S* h0, S* gi, S* ghn, S* hs, S* tmp) {
  const int H3 = 3 * H;
  Eigen::Map<const RowV<S>> bvec(bh, H3);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < H; ++j) hs[static_cast<size_t>(i) * H + j] = h0[j];
  MapR<S> gh(tmp, n, H3);
  using Blk = Eigen::Map<MatR<S>, 0, Eigen::OuterStride<>>;
  for (int t = 0; t < T; ++t) {
    const S* hp = hs + static_cast<size_t>(t) * n * H;
    S* hn = hs + static_cast<size_t>(t + 1) * n * H;
    gemm::ab(n, H3, H, hp, H, Wh, H3, tmp, H3, false);
    gh.rowwise() += bvec;
    S* g = gi + static_cast<size_t>(t) * n * H3;
    // Gates with vectorised activations over the whole [n x H] blocks of this week.
    Blk gr(g, n, H, Eigen::OuterStride<>(H3)), gz(g + H, n, H, Eigen::OuterStride<>(H3)),
        gnn(g + 2 * H, n, H, Eigen::OuterStride<>(H3));
    Blk qr(tmp, n, H, Eigen::OuterStride<>(H3)), qz(tmp + H, n, H, Eigen::OuterStride<>(H3)),
        qn(tmp + 2 * H, n, H, Eigen::OuterStride<>(H3));
    MapR<S>(ghn + static_cast<size_t>(t) * n * H, n, H) = qn;
    // Exact logistic (see hill.cpp): Eigen's logistic() is not accurate enough in the tail.
    gr.array() = (S(1) + (-(gr.array() + qr.array())).exp()).inverse();
    gz.array() = (S(1) + (-(gz.array() + qz.array())).exp()).inverse();
    gnn.array() = (gnn.array() + gr.array() * qn.array()).tanh();
    MapR<S>(hn, n, H).array() =
        (S(1) - gz.array()) * gnn.array() + gz.array() * CMapR<S>(hp, n, H).array();
  }
}

template <class S>
void gru_backward(int T, int n, int H, const S* Wh, const S* hs, S* gi, S* ghn, S* dhs, S* dWh, S* dbh, S* dh0,
                  S* tmp) {
  const int H3 = 3 * H;
  if (T <= 0) return;
  // Wh^T [3H x H], transposed once for all steps (see gemm::abt).
  std::vector<S> wht(static_cast<size_t>(H3) * H);
  for (int j = 0; j < H; ++j)
    for (int k = 0; k < H3; ++k) wht[static_cast<size_t>(k) * H + j] = Wh[static_cast<size_t>(j) * H3 + k];
  S* dgh = tmp;                                   // [n x 3H] gradient w.r.t. gh of this step
  S* carry = tmp + static_cast<size_t>(n) * H3;   // [n x H] gradient flowing into h_{t-1}
  std::fill(carry, carry + static_cast<size_t>(n) * H, S(0));
  for (int t = T - 1; t >= 0; --t) {
    const S* hp = hs + static_cast<size_t>(t) * n * H;
    S* dh_out = dhs + static_cast<size_t>(t) * n * H;
    for (int i = 0; i < n; ++i) {
      S* g = gi + (static_cast<size_t>(t) * n + i) * H3;
      S* gn = ghn + (static_cast<size_t>(t) * n + i) * H;
      S* dg = dgh + static_cast<size_t>(i) * H3;
      S* dho = dh_out + static_cast<size_t>(i) * H;
      S* c = carry + static_cast<size_t>(i) * H;
      const S* hpi = hp + static_cast<size_t>(i) * H;
      for (int j = 0; j < H; ++j) {
        S dh = dho[j] + c[j];
        S r = g[j], z = g[H + j], nv = g[2 * H + j];
        S dn = dh * (S(1) - z);
        S dz = dh * (hpi[j] - nv);
        c[j] = dh * z;  // direct path h_{t-1} -> h_t
        S dan = dn * (S(1) - nv * nv);
        S daz = dz * z * (S(1) - z);
        S dr = dan * gn[j];
        S dar = dr * r * (S(1) - r);
        g[j] = dar;
        g[H + j] = daz;
        g[2 * H + j] = dan;
        gn[j] = dan * r;  // gradient w.r.t. gh_n
        dg[j] = dar;
        dg[H + j] = daz;
        dg[2 * H + j] = dan * r;
      }
    }
    gemm::ab(n, H, H3, dgh, H3, wht.data(), H, carry, H, true);
  }
  // h_{-1} = h0 for every sequence.
  add_column_sums(n, H, carry, H, dh0);
  // dWh = sum_t h_{t-1}^T dgh_t as two big products over all steps.
  const int N = T * n;
  gemm::atb(H, 2 * H, N, hs, H, gi, H3, dWh, H3, true);        // r, z columns of gi
  gemm::atb(H, H, N, hs, H, ghn, H, dWh + 2 * H, H3, true);    // n: gradient w.r.t. gh_n
  add_column_sums(N, 2 * H, gi, H3, dbh);
  add_column_sums(N, H, ghn, H, dbh + 2 * H);
}

#define MMM_NN_INST(S)                                                                                      \
  template void dense_forward<S>(int, int, int, const S*, const S*, const S*, S*);                          \
  template void dense_backward<S>(int, int, int, const S*, const S*, const S*, S*, S*, S*, bool);           \
  template void gru_forward<S>(int, int, int, const S*, const S*, const S*, S*, S*, S*, S*);                \
  template void gru_backward<S>(int, int, int, const S*, const S*, S*, S*, S*, S*, S*, S*, S*);
MMM_NN_INST(float)
MMM_NN_INST(double)
#undef MMM_NN_INST

}  // namespace nn
}  // namespace mmm
