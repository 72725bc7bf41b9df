#include "mmm/hill.hpp"

#include <cmath>
#include <cstddef>

#include "mmm/nn.hpp"

namespace mmm {
namespace hill {

template <class S>
void forward(int N, int C, const S* a, const S* slope, const S* half, S* h) {
  for (int c = 0; c < C; ++c) {
    const S lg = std::log(half[c]);
    for (int i = 0; i < N; ++i) {
      size_t k = static_cast<size_t>(i) * C + c;
      S v = a[k];
      h[k] = v > S(0) ? nn::sigmoid(slope[c] * (std::log(v) - lg)) : S(0);
    }
  }
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
