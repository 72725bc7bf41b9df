// Hill saturation with a learned slope s and half-saturation g per channel:
//   h = a^s / (a^s + g^s) = sigmoid(s * (ln a - ln g)),  h = 0 for a <= 0.
// Written through the log-sigmoid form it needs no epsilons and no clamps. Reparameterised
// smoothly (no hard clamps that zero gradients, unlike the reference):
//   s = s_min + (s_max - s_min) * sigmoid(theta_s),  g = g_min + softplus(theta_g).
// Layout: a, h are [N][C].
#pragma once

namespace mmm {
namespace hill {

template <class S>
void forward(int N, int C, const S* a, const S* slope, const S* half, S* h);

// Accumulates dslope [C], dhalf [C]; da (may be null) receives dL/da.
template <class S>
void backward(int N, int C, const S* a, const S* slope, const S* half, const S* h, const S* dh, S* dslope, S* dhalf,
              S* da);

}  // namespace hill
}  // namespace mmm
