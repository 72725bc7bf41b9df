#include "mmm/hill.hpp"

#include <cmath>
#include <cstddef>

#include "mmm/nn.hpp"  // MapR

namespace mmm {
namespace hill {

// The reverse pass needs ln(a); callers that keep it (the model) pass `log_a` to avoid a second
// logarithm per value. Activations are vectorised over the whole [N x C] block.
template <class S>
void forward(int N, int C, const S* a, const S* slope, const S* half, S* h) {
  MapR<S> hm(h, N, C);
  CMapR<S> am(a, N, C);
  hm.array() = am.array().max(S(1e-30)).log();
  for (int c = 0; c < C; ++c) hm.col(c).array() = (hm.col(c).array() - std::log(half[c])) * slope[c];
  // Exact logistic: Eigen's vectorised logistic() is off by up to ~1e-3 relative for inputs
  // around -9..-5, enough to break the 1e-4 parity with the exported ONNX graph.
  hm.array() = (S(1) + (-hm.array()).exp()).inverse();
  for (size_t k = 0; k < static_cast<size_t>(N) * C; ++k)
    if (!(a[k] > S(0))) h[k] = S(0);
}

template <class S>
void backward(int N, int C, const S* a, const S* slope, const S* half, const S* h, const S* dh, S* dslope, S* dhalf,
              S* da) {
  for (int c = 0; c < C; ++c) {
    const S lg = std::log(half[c]);
    S ds = 0, dg = 0;
    for (int i = 0; i < N; ++i) {
      size_t k = static_cast<size_t>(i) * C + c;
      S v = a[k];
      if (!(v > S(0))) {
        if (da) da[k] = 0;
        continue;
      }
      S hv = h[k];
      S dz = dh[k] * hv * (S(1) - hv);
      ds += dz * (std::log(v) - lg);
      dg -= dz * slope[c] / half[c];
      if (da) da[k] = dz * slope[c] / v;
    }
    dslope[c] += ds;
    dhalf[c] += dg;
  }
}

template void forward<float>(int, int, const float*, const float*, const float*, float*);
template void forward<double>(int, int, const double*, const double*, const double*, double*);
template void backward<float>(int, int, const float*, const float*, const float*, const float*, const float*, float*,
                              float*, float*);
template void backward<double>(int, int, const double*, const double*, const double*, const double*, const double*,
                               double*, double*, double*);

}  // namespace hill
}  // namespace mmm
