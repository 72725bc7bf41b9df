#include "mmm/nn.hpp"

namespace mmm {
namespace nn {

template <class S>
void dense_forward(int N, int I, int O, const S* X, const S* W, const S* b, S* Y) {
  MapR<S> y(Y, N, O);
  if (I > 0) {
    y.noalias() = CMapR<S>(X, N, I) * CMapR<S>(W, I, O);
  } else {
    y.setZero();
  }
  if (b) y.rowwise() += Eigen::Map<const RowV<S>>(b, O);
}

template <class S>
void dense_backward(int N, int I, int O, const S* X, const S* W, const S* dY, S* dW, S* db, S* dX,
                    bool accumulate_dx) {
  CMapR<S> dy(dY, N, O);
  if (I > 0 && dW) MapR<S>(dW, I, O).noalias() += CMapR<S>(X, N, I).transpose() * dy;
  if (db) Eigen::Map<RowV<S>>(db, O) += dy.colwise().sum();
  if (dX && I > 0) {
    MapR<S> dx(dX, N, I);
    if (accumulate_dx)
      dx.noalias() += dy * CMapR<S>(W, I, O).transpose();
    else
      dx.noalias() = dy * CMapR<S>(W, I, O).transpose();
  }
}

template <class S>
void gru_forward(int T, int n, int H, const S* Wh, const S* bh, const S* h0, S* gi, S* ghn, S* hs, S* tmp) {
  const int H3 = 3 * H;
  CMapR<S> wh(Wh, H, H3);
  Eigen::Map<const RowV<S>> bvec(bh, H3);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < H; ++j) hs[static_cast<size_t>(i) * H + j] = h0[j];
  MapR<S> gh(tmp, n, H3);
  using Blk = Eigen::Map<MatR<S>, 0, Eigen::OuterStride<>>;
  for (int t = 0; t < T; ++t) {
    const S* hp = hs + static_cast<size_t>(t) * n * H;
    S* hn = hs + static_cast<size_t>(t + 1) * n * H;
    gh.noalias() = CMapR<S>(hp, n, H) * wh;
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
  CMapR<S> wh(Wh, H, H3);
  S* dgh = tmp;                                   // [n x 3H] gradient w.r.t. gh of this step
  S* carry = tmp + static_cast<size_t>(n) * H3;   // [n x H] gradient flowing into h_{t-1}
  MapR<S> carry_m(carry, n, H);
  carry_m.setZero();
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
    carry_m.noalias() += CMapR<S>(dgh, n, H3) * wh.transpose();
  }
  // h_{-1} = h0 for every sequence.
  Eigen::Map<RowV<S>>(dh0, H) += carry_m.colwise().sum();
  // dWh = sum_t h_{t-1}^T dgh_t as two big products over all steps.
  const int N = T * n;
  CMapR<S> hprev(hs, N, H);
  Eigen::Map<MatR<S>, 0, Eigen::OuterStride<>> dgi_rz(gi, N, 2 * H, Eigen::OuterStride<>(H3));
  MapR<S> dw(dWh, H, H3);
  dw.leftCols(2 * H).noalias() += hprev.transpose() * dgi_rz;
  dw.rightCols(H).noalias() += hprev.transpose() * CMapR<S>(ghn, N, H);
  Eigen::Map<RowV<S>> db(dbh, H3);
  db.head(2 * H) += dgi_rz.colwise().sum();
  db.tail(H) += CMapR<S>(ghn, N, H).colwise().sum();
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
