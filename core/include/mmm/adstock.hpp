// Geometric adstock with a learned per-channel decay.
//
// We use the normalised recursion a_t = alpha * a_{t-1} + (1 - alpha) * x_t (the reference uses
// a_t = x_t + alpha * a_{t-1}). Both have the same shape over time; the normalised one keeps the
// adstocked series on the scale of its input whatever alpha is, so the Hill half-saturation keeps
// its meaning while alpha is learned (decay and saturation do not fight each other), and no
// clipping is needed. alpha = alpha_max * sigmoid(theta) is smooth (the reference clamps at 0.8,
// which zeroes the gradient). The state before the first week, a_{-1}, is the channel's training
// mean in that region (steady state), so the first weeks are not starved of carry-over.
//
// Layout: x, a are [T][n][C] (time-major, n regions in a chunk); a0 is [n][C].
#pragma once

namespace mmm {
namespace adstock {

template <class S>
void forward(int T, int n, int C, const S* x, const S* alpha, const S* a0, S* a);

// Reverse pass. da [T][n][C] is the gradient w.r.t. a (consumed: overwritten while it propagates
// back in time). Accumulates dalpha [C]; dx (may be null) receives dL/dx.
template <class S>
void backward(int T, int n, int C, const S* x, const S* alpha, const S* a0, const S* a, S* da, S* dalpha, S* dx);

}  // namespace adstock
}  // namespace mmm
