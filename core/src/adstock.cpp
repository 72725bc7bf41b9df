#include "mmm/adstock.hpp"

#include <cstddef>

namespace mmm {
namespace adstock {

template <class S>
void forward(int T, int n, int C, const S* x, const S* alpha, const S* a0, S* a) {
  const size_t row = static_cast<size_t>(n) * C;
  for (int t = 0; t < T; ++t) {
    const S* prev = t == 0 ? a0 : a + (t - 1) * row;
    const S* xt = x + t * row;
    S* at = a + t * row;
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < C; ++c) {
        size_t k = static_cast<size_t>(i) * C + c;
        at[k] = alpha[c] * prev[k] + (S(1) - alpha[c]) * xt[k];
      }
  }
}

template <class S>
void backward(int T, int n, int C, const S* x, const S* alpha, const S* a0, const S* a, S* da, S* dalpha, S* dx) {
  const size_t row = static_cast<size_t>(n) * C;
  for (int t = T - 1; t >= 0; --t) {
    const S* prev = t == 0 ? a0 : a + (t - 1) * row;
    const S* xt = x + t * row;
    S* dt = da + t * row;
    S* dprev = t == 0 ? nullptr : da + (t - 1) * row;
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < C; ++c) {
        size_t k = static_cast<size_t>(i) * C + c;
        S g = dt[k];
        dalpha[c] += g * (prev[k] - xt[k]);
        if (dx) dx[t * row + k] = g * (S(1) - alpha[c]);
        if (dprev) dprev[k] += alpha[c] * g;
      }
  }
}

template void forward<float>(int, int, int, const float*, const float*, const float*, float*);
template void forward<double>(int, int, int, const double*, const double*, const double*, double*);
template void backward<float>(int, int, int, const float*, const float*, const float*, const float*, float*, float*,
                              float*);
template void backward<double>(int, int, int, const double*, const double*, const double*, const double*, double*,
                               double*, double*);

}  // namespace adstock
}  // namespace mmm
