// The model's forward pass, its hand-written reverse pass and its penalties, over one chunk of
// regions at a time (all regions of a chunk advance together through the weeks).
//
// Scaled space (y = KPI / region training mean):
//   x'  = (1 - d) x_t + d x_{t-1}        learned lag blend d (spec.adstock_delay; x_{-1} = a0):
//                                         with the decay this gives kernels that peak at lag 1-2
//   a   = adstock(x')                    per channel, learned decay           (adstock.hpp)
//   h   = hill(a)                        learned slope and half-saturation    (hill.hpp)
//   m   = dag_mix(h)                     triangular or NOTEARS adjacency      (dag.hpp)
//   f   = dropout(tanh(xc Wc + bc))      control features, width Hc
//   s_t = GRU([m ; f])                   hidden H, learned h0                 (nn.hpp)
//   beta  = sigmoid(MLP_m(s)) * (softplus(cap_m) + 0.1)     media coefficients, >= 0, bounded
//   gamma = tanh(MLP_c(s))    * (softplus(cap_c) + 0.1)     control coefficients, signed, bounded
//     (first burn_in weeks: w_t * stable + (1 - w_t) * generated, w_t = exp(-3 t / B))
//   baseline_rt = softplus(b_r) + softplus(b0) + (tau + tau_r) u_t   (u_t: centred week index / weeks)
//                 + level_r(t)        piecewise-linear local level, knots every `level_spacing` weeks
//                                     ending at the last training week, flat after it (level_basis)
//   seasonal_rt = softplus(theta_s) * sum_j phi_j(week_t) (g_j + g_rj)  (calendar Fourier basis)
//   yhat = scale * (sum_c m_c beta_c + sum_k xc_k gamma_k + baseline + seasonal)  — exactly additive.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mmm/dag.hpp"

namespace mmm {

struct ModelSpec {
  int regions = 0, channels = 0, controls = 0;
  int hidden = 32, control_hidden = 16, coef_hidden = 32, coef_hidden2 = 16;
  int fourier = 0;  // number of seasonal basis functions (2 x harmonics)
  bool trend = true;
  bool notears = false;
  double dag_temperature = 0.5;
  double adstock_max = 0.9;
  double slope_min = 0.5, slope_max = 4.0;
  double half_min = 0.01;
  int burn_in = 4;
  bool adstock_delay = false;  // learned lag blend before the adstock (model format >= 3)
  // Local level (model format >= 5): level_knots knots per region, the last at week level_end (the
  // last training week), level_spacing weeks apart; 0 knots = no local level.
  int level_knots = 0, level_spacing = 13, level_end = 0;
  int gru_input() const { return channels + control_hidden; }
};

// Knots for a local level over `train_weeks` training weeks, `spacing` weeks apart (0 = none): the
// last knot sits on the last training week, the first at or before week 0.
void set_level_knots(ModelSpec& spec, int spacing, int train_weeks);

// The local level at global week `week` is (1 - frac) * knot[k0] + frac * knot[k0 + 1] (frac = 0 and
// k0 = 0 with a single knot). Weeks outside the knots take the nearest end knot, so forecasts carry
// the level reached at the last training week forward.
struct LevelBasis {
  int k0 = 0;
  double frac = 0;
};
inline LevelBasis level_basis(const ModelSpec& s, int week) {
  LevelBasis b;
  if (s.level_knots <= 1) return b;
  const int first = s.level_end - (s.level_knots - 1) * s.level_spacing;
  const int tc = week < first ? first : (week > s.level_end ? s.level_end : week);
  const int off = tc - first;
  b.k0 = off / s.level_spacing;
  if (b.k0 >= s.level_knots - 1) {
    b.k0 = s.level_knots - 2;
    b.frac = 1.0;
  } else {
    b.frac = static_cast<double>(off - b.k0 * s.level_spacing) / s.level_spacing;
  }
  return b;
}

struct Slot {
  size_t off = 0, size = 0;
  int rows = 1, cols = 1;
};

enum class ParamGroup { Transform = 0, Network = 1, Coefficient = 2, Baseline = 3 };

struct SlotInfo {
  std::string name;
  Slot slot;
  ParamGroup group;
  bool matrix;      // a weight matrix (weight decay, L1/L2 apply)
  bool coef_clip;   // belongs to the coefficient clip group
};

struct ParamLayout {
  Slot alpha, slope, half, dag_logits, dag_mix;
  Slot ctrl_w, ctrl_b;
  Slot gru_wi, gru_bi, gru_wh, gru_bh, h0;
  Slot mg_w1, mg_b1, mg_w2, mg_b2, mg_w3, mg_b3;
  Slot cg_w1, cg_b1, cg_w2, cg_b2, cg_w3, cg_b3;
  Slot media_cap, ctrl_cap, stable_media, stable_ctrl;
  Slot region_base, bias, scale, seas_scale, seas_global, seas_region, trend_global, trend_region;
  Slot delay;  // lag-blend logits d = sigmoid(theta) [C], empty without spec.adstock_delay
  Slot level;  // local level knots [R x level_knots] (scaled KPI units), empty without it
  size_t total = 0;
  std::vector<SlotInfo> slots;

  ParamLayout() = default;
  explicit ParamLayout(const ModelSpec& spec);
  const SlotInfo* find(const std::string& name) const;
};

// Random initialisation of the network weights (Xavier/He, deterministic from the seed) and
// neutral values for everything else; the trainer then overwrites the data-driven parts.
void init_params(const ModelSpec& spec, const ParamLayout& L, uint64_t seed, std::vector<float>& params);

// One chunk's inputs, time-major: token (t, i) is row t*n + i.
template <class S>
struct ChunkInput {
  int T = 0;            // weeks to run
  int n = 0;            // regions in the chunk
  int r0 = 0;           // first region (global index)
  const S* xm = nullptr;       // [T][n][C] scaled media
  const S* xc = nullptr;       // [T][n][K] scaled controls
  const S* y = nullptr;        // [T][n] scaled KPI (may be null for pure prediction)
  const S* a0 = nullptr;       // [n][C] adstock state before week 0
  const S* fourier = nullptr;  // [T][F]
  const S* trend = nullptr;    // [T]
  int week0 = 0;               // global week index of t = 0 (dropout key)
  const S* week_weight = nullptr;    // [T] weight of each week's data loss (block bootstrap); null = 1
  const double* kpi_mean = nullptr;  // [n] region KPI means (KPI units), needed by PassOptions::roi_coef
};

enum class LossKind { Huber, Mse };

struct PassOptions {
  int loss_end = 0;         // weeks [0, loss_end) enter the loss and the reverse pass
  int val_end = 0;          // weeks [loss_end, val_end) are scored as validation
  int score_begin = 0;      // training statistics start here (burn-in excluded)
  double loss_norm = 1.0;   // 1 / number of loss cells over ALL regions
  LossKind loss = LossKind::Huber;
  double huber_delta = 0.25;
  double attr_weight = 0.0;  // attribution prior weight (mean squared deviation of media share)
  double attr_share = 0.4;
  bool attr_one_sided = false;  // penalise only media above attr_share x prediction (a cap, not a target)
  // Cap on media's AGGREGATE share S = Σ media / Σ prediction over the loss cells of all regions:
  // penalty w max(0, S - cap)². S couples every chunk, so the trainer linearises it at the previous
  // epoch's sums: each cell adds share_cap_coef * (media - share_cap_ref * raw), whose gradient equals
  // the penalty's at that point (share_cap_coef = 2 w max(0, S' - cap) / Σ' raw, share_cap_ref = S').
  double share_cap_coef = 0.0, share_cap_ref = 0.0;
  // [C] channels the cap does not pull on (null = none): per cell the term becomes
  // share_cap_coef * ((media - E) - share_cap_ref * (raw - E)), E their media terms. The trainer can
  // exempt channels with ROI priors (FitConfig::share_cap_exempts_priors, off by default): their
  // size is set by evidence, and the cap's pull would go to the channels with nothing else on them.
  const uint8_t* share_cap_exempt = nullptr;
  // ROI priors, linearised by the trainer like the share cap: each loss cell adds
  // Σ_c roi_coef[c] * (media contribution of channel c in KPI units). null = none.
  const double* roi_coef = nullptr;
  bool track_contrib = false;  // accumulate PassStats::contrib (per-channel KPI-unit contributions)
  double coef_reg = 0.0;     // mean over loss cells of Σ_c (beta - stable_c)² + Σ_k (gamma - stable_k)², times this
  bool all_stable = false;   // warm start: every week uses the stable coefficients
  double dropout = 0.0;      // applied on loss weeks only
  uint64_t seed = 0;
  int epoch = 0;
};

struct PassStats {
  double loss = 0, attr = 0, coef = 0;
  double tr_sse = 0, tr_sy = 0, tr_syy = 0, tr_n = 0;  // scaled space, weeks [score_begin, loss_end)
  double va_sse = 0, va_sy = 0, va_syy = 0, va_n = 0;  // scaled space, weeks [loss_end, val_end)
  double media = 0, total = 0;                           // sums over loss weeks (scaled)
  double share_cap = 0;                                  // the linearised share-cap term (see PassOptions)
  double roi = 0;                                        // the linearised ROI-prior term
  std::vector<double> contrib;                           // [C] KPI units over loss weeks (track_contrib)
  void add(const PassStats& o);
};

template <class S>
struct Workspace {
  int T = 0, n = 0;
  // derived per-channel / per-control values
  std::vector<S> alpha, slope, half, A, mu, cap_m, cap_k, stable_m, stable_k, delay;
  S scale = 1, seas_scale = 1, bias = 0;
  // activations
  std::vector<S> xd, dxd;         // lag-blended media and its gradient (spec.adstock_delay)
  std::vector<S> a, h, m, f, fd, gi, ghn, hs, tmp, a1m, a2m, om, a1k, a2k, ok;
  std::vector<S> sgm, thk;        // sigmoid(om) [N x C], tanh(ok) [N x K]
  std::vector<S> base_r, dbase_r; // softplus(region baseline) and its derivative, per chunk region
  std::vector<S> beta, gamma, base, seas, raw, pred;
  // reverse-pass buffers
  std::vector<S> dm, dh, dfd, dHs, d1, d2, dom, dok;
  void ensure(const ModelSpec& spec, int T, int n);
};

template <class S>
void forward(const ModelSpec& spec, const ParamLayout& L, const S* params, const ChunkInput<S>& in,
             const PassOptions& opt, Workspace<S>& ws);

// Loss (+ statistics) of the last forward pass and its gradient, accumulated into grad [L.total].
template <class S>
void backward(const ModelSpec& spec, const ParamLayout& L, const S* params, const ChunkInput<S>& in,
              const PassOptions& opt, Workspace<S>& ws, S* grad, PassStats& stats);

// Channel c's own media term (its additive slice m_c β_c of the prediction) in KPI units (in.kpi_mean),
// summed over the cells with cell_weight[t * n + i] != 0 (times that weight), from the last forward
// pass. With grad, adds coef times its gradient with respect to c's coefficient cap and stable
// coefficient — the only parameters an experiment's lift term trains (trainer.cpp says why).
// all_stable: the pass ran with PassOptions::all_stable.
template <class S>
double media_term(const ModelSpec& spec, const ParamLayout& L, const S* params, const ChunkInput<S>& in,
                  const Workspace<S>& ws, bool all_stable, int c, const double* cell_weight, double coef, S* grad);

// Statistics only (no gradient) of the last forward pass.
template <class S>
void score(const ChunkInput<S>& in, const PassOptions& opt, const Workspace<S>& ws, PassStats& stats);

struct PenaltyOptions {
  dag::PenaltyConfig dag;
  double dag_weight = 0.008;
  double sparsity_weight = 0.001;
  double l1 = 0, l2 = 0;
  double seasonal_prior = 0.0;
  double region_shrinkage = 0.0;
  double level_smoothness = 0.0;  // (1/R) Σ_r Σ_k (l_rk - l_r,k-1)² + 0.1 l_r0²: a random-walk prior on the level
  // (1/R) Σ_r slope_r², slope_r the least-squares slope of region r's knots over the knot index: keeps
  // linear drift in the trend term, which the forecast extrapolates, and out of the level, which it holds flat.
  double level_detrend = 0.0;
};

// Parameter-only penalties (DAG, sparsity, L1/L2, seasonal prior, regional shrinkage).
// Returns the value; grad (may be null) accumulates the gradient.
template <class S>
double penalty(const ModelSpec& spec, const ParamLayout& L, const S* params, const PenaltyOptions& opt, S* grad);

// Channel c's adstock decay, adstock_max * sigmoid(alpha_c) (the forward pass's ws.alpha).
double adstock_decay(const ModelSpec& spec, const ParamLayout& L, const float* params, int c);

// Burn-in weight of the stable coefficients at week t.
inline double burn_in_weight(int t, int burn_in, bool all_stable);

}  // namespace mmm

#include <cmath>
inline double mmm::burn_in_weight(int t, int burn_in, bool all_stable) {
  if (all_stable) return 1.0;
  if (t >= burn_in || burn_in <= 0) return 0.0;
  return std::exp(-3.0 * t / burn_in);
}
