#include "mmm/model.hpp"

#include <algorithm>
#include <cmath>

#include "mmm/adstock.hpp"
#include "mmm/gemm.hpp"
#include "mmm/hill.hpp"
#include "mmm/nn.hpp"

namespace mmm {

ParamLayout::ParamLayout(const ModelSpec& s) {
  const int C = s.channels, K = s.controls, H = s.hidden, Hc = s.control_hidden, G1 = s.coef_hidden,
            G2 = s.coef_hidden2, F = s.fourier, R = s.regions, D = s.gru_input();
  auto add = [&](Slot& slot, const char* name, int rows, int cols, ParamGroup g, bool matrix, bool coef) {
    slot.off = total;
    slot.rows = rows;
    slot.cols = cols;
    slot.size = static_cast<size_t>(rows) * cols;
    total += slot.size;
    slots.push_back(SlotInfo{name, slot, g, matrix, coef});
  };
  using G = ParamGroup;
  add(alpha, "adstock", 1, C, G::Transform, false, false);
  add(slope, "hill_slope", 1, C, G::Transform, false, false);
  add(half, "hill_half", 1, C, G::Transform, false, false);
  add(dag_logits, "dag_logits", C, C, G::Transform, false, false);
  add(dag_mix, "dag_mix", 1, C, G::Transform, false, false);
  add(ctrl_w, "ctrl_w", K, Hc, G::Network, true, false);
  add(ctrl_b, "ctrl_b", 1, Hc, G::Network, false, false);
  add(gru_wi, "gru_wi", D, 3 * H, G::Network, true, false);
  add(gru_bi, "gru_bi", 1, 3 * H, G::Network, false, false);
  add(gru_wh, "gru_wh", H, 3 * H, G::Network, true, false);
  add(gru_bh, "gru_bh", 1, 3 * H, G::Network, false, false);
  add(h0, "gru_h0", 1, H, G::Network, false, false);
  add(mg_w1, "media_gen_w1", H, G1, G::Coefficient, true, true);
  add(mg_b1, "media_gen_b1", 1, G1, G::Coefficient, false, true);
  add(mg_w2, "media_gen_w2", G1, G2, G::Coefficient, true, true);
  add(mg_b2, "media_gen_b2", 1, G2, G::Coefficient, false, true);
  add(mg_w3, "media_gen_w3", G2, C, G::Coefficient, true, true);
  add(mg_b3, "media_gen_b3", 1, C, G::Coefficient, false, true);
  add(cg_w1, "ctrl_gen_w1", H, G1, G::Coefficient, true, true);
  add(cg_b1, "ctrl_gen_b1", 1, G1, G::Coefficient, false, true);
  add(cg_w2, "ctrl_gen_w2", G1, G2, G::Coefficient, true, true);
  add(cg_b2, "ctrl_gen_b2", 1, G2, G::Coefficient, false, true);
  add(cg_w3, "ctrl_gen_w3", G2, K, G::Coefficient, true, true);
  add(cg_b3, "ctrl_gen_b3", 1, K, G::Coefficient, false, true);
  add(media_cap, "media_cap", 1, C, G::Coefficient, false, true);
  add(ctrl_cap, "ctrl_cap", 1, K, G::Coefficient, false, true);
  add(stable_media, "stable_media", 1, C, G::Coefficient, false, true);
  add(stable_ctrl, "stable_ctrl", 1, K, G::Coefficient, false, true);
  add(region_base, "region_baseline", 1, R, G::Baseline, false, false);
  add(bias, "global_bias", 1, 1, G::Baseline, false, false);
  add(scale, "prediction_scale", 1, 1, G::Baseline, false, false);
  add(seas_scale, "seasonal_scale", 1, 1, G::Baseline, false, true);
  add(seas_global, "seasonal_global", 1, F, G::Baseline, false, false);
  add(seas_region, "seasonal_region", R, F, G::Baseline, false, false);
  add(trend_global, "trend_global", 1, s.trend ? 1 : 0, G::Baseline, false, false);
  add(trend_region, "trend_region", 1, s.trend ? R : 0, G::Baseline, false, false);
  add(delay, "adstock_delay", 1, s.adstock_delay ? C : 0, G::Transform, false, false);
  add(level, "local_level", R, s.level_knots, G::Baseline, false, false);
}

void set_level_knots(ModelSpec& s, int spacing, int train_weeks) {
  if (spacing <= 0 || train_weeks <= 0) {
    s.level_knots = 0;
    return;
  }
  s.level_spacing = spacing;
  s.level_end = train_weeks - 1;
  s.level_knots = (train_weeks - 1 + spacing - 1) / spacing + 1;
}

const SlotInfo* ParamLayout::find(const std::string& name) const {
  for (const SlotInfo& s : slots)
    if (s.name == name) return &s;
  return nullptr;
}

void init_params(const ModelSpec& s, const ParamLayout& L, uint64_t seed, std::vector<float>& p) {
  p.assign(L.total, 0.0f);
  nn::Rng rng(seed);
  auto uniform = [&](const Slot& slot, double bound) {
    for (size_t k = 0; k < slot.size; ++k) p[slot.off + k] = static_cast<float>(rng.uniform(-bound, bound));
  };
  auto xavier = [&](const Slot& slot, double gain) {
    if (slot.size == 0) return;
    uniform(slot, gain * std::sqrt(6.0 / (slot.rows + slot.cols)));
  };
  const int H = s.hidden;
  const double inv = 1.0 / std::sqrt(static_cast<double>(H));
  for (size_t k = 0; k < L.alpha.size; ++k) p[L.alpha.off + k] = 0.0f;
  xavier(L.ctrl_w, 1.0);
  uniform(L.gru_wi, inv);
  uniform(L.gru_bi, inv);
  uniform(L.gru_wh, inv);
  uniform(L.gru_bh, inv);
  for (size_t k = 0; k < L.h0.size; ++k) p[L.h0.off + k] = static_cast<float>(0.01 * rng.normal());
  // Coefficient generators: He-style hidden layers so their gradients are not vanishingly small,
  // and a small (gain 0.1) output layer so the generated coefficients start at their bias, which
  // the trainer sets to the ridge-initialised stable coefficients (no collapse at the start).
  xavier(L.mg_w1, std::sqrt(2.0));
  xavier(L.mg_w2, std::sqrt(2.0));
  xavier(L.mg_w3, 0.1);
  xavier(L.cg_w1, std::sqrt(2.0));
  xavier(L.cg_w2, std::sqrt(2.0));
  xavier(L.cg_w3, 0.1);
  // Edges start weak (sigmoid(-1.0 / 0.5) ~ 0.12, below the 0.3 display threshold) so an edge has
  // to be earned from the data; the reference starts at N(-0.1, 0.3) (~0.45, above the threshold,
  // so an untrained graph already shows every edge).
  for (size_t k = 0; k < L.dag_logits.size; ++k)
    p[L.dag_logits.off + k] = static_cast<float>(s.dag_temperature * (-2.0 + 0.3 * rng.normal()));
  p[L.scale.off] = static_cast<float>(nn::softplus_inv(1.0));
  p[L.seas_scale.off] = static_cast<float>(nn::softplus_inv(1.0));
  p[L.bias.off] = static_cast<float>(nn::softplus_inv(0.05));
}

void PassStats::add(const PassStats& o) {
  loss += o.loss;
  attr += o.attr;
  coef += o.coef;
  tr_sse += o.tr_sse;
  tr_sy += o.tr_sy;
  tr_syy += o.tr_syy;
  tr_n += o.tr_n;
  va_sse += o.va_sse;
  va_sy += o.va_sy;
  va_syy += o.va_syy;
  va_n += o.va_n;
  media += o.media;
  total += o.total;
  share_cap += o.share_cap;
  roi += o.roi;
  if (contrib.size() < o.contrib.size()) contrib.resize(o.contrib.size(), 0.0);
  for (size_t c = 0; c < o.contrib.size(); ++c) contrib[c] += o.contrib[c];
}

template <class S>
void Workspace<S>::ensure(const ModelSpec& s, int T_, int n_) {
  T = T_;
  n = n_;
  const size_t N = static_cast<size_t>(T) * n;
  const int C = s.channels, K = s.controls, H = s.hidden, Hc = s.control_hidden, G1 = s.coef_hidden,
            G2 = s.coef_hidden2;
  auto sz = [](std::vector<S>& v, size_t k) {
    if (v.size() < k) v.resize(k);
  };
  alpha.resize(C);
  slope.resize(C);
  half.resize(C);
  A.resize(static_cast<size_t>(C) * C);
  mu.resize(C);
  cap_m.resize(C);
  cap_k.resize(K);
  stable_m.resize(C);
  stable_k.resize(K);
  delay.resize(C);
  if (s.adstock_delay) {
    sz(xd, N * C);
    sz(dxd, N * C);
  }
  sz(a, N * C);
  sz(h, N * C);
  sz(m, N * C);
  sz(f, N * Hc);
  sz(fd, N * Hc);
  sz(gi, N * 3 * H);
  sz(ghn, N * H);
  sz(hs, (N + n) * H);
  sz(tmp, static_cast<size_t>(n) * 3 * H + static_cast<size_t>(n) * H);
  sz(a1m, N * G1);
  sz(a2m, N * G2);
  sz(om, N * C);
  sz(a1k, N * G1);
  sz(a2k, N * G2);
  sz(ok, N * K);
  sz(sgm, N * C);
  sz(thk, N * K);
  base_r.resize(n);
  dbase_r.resize(n);
  sz(beta, N * C);
  sz(gamma, N * K);
  sz(base, N);
  sz(seas, N);
  sz(raw, N);
  sz(pred, N);
  sz(dm, N * C);
  sz(dh, N * C);
  sz(dfd, N * Hc);
  sz(dHs, N * H);
  sz(d1, N * G1);
  sz(d2, N * G2);
  sz(dom, N * C);
  sz(dok, N * K);
}

namespace {

template <class S>
void relu_inplace(S* v, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (v[i] < S(0)) v[i] = S(0);
}
template <class S>
void relu_mask(const S* act, S* grad, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!(act[i] > S(0))) grad[i] = S(0);
}

template <class S>
bool dropped(const PassOptions& opt, int t, int week0, int region, int unit) {
  return nn::uniform_key(opt.seed, static_cast<uint64_t>(opt.epoch), static_cast<uint64_t>(region),
                         static_cast<uint64_t>(week0 + t), static_cast<uint64_t>(unit)) < opt.dropout;
}

}  // namespace

template <class S>
void forward(const ModelSpec& s, const ParamLayout& L, const S* P, const ChunkInput<S>& in, const PassOptions& opt,
             Workspace<S>& ws) {
  const int T = in.T, n = in.n, C = s.channels, K = s.controls, H = s.hidden, Hc = s.control_hidden,
            G1 = s.coef_hidden, G2 = s.coef_hidden2, F = s.fourier, D = s.gru_input();
  ws.ensure(s, T, n);
  const int N = T * n;
  // Derived parameters.
  for (int c = 0; c < C; ++c) {
    ws.alpha[c] = S(s.adstock_max) * nn::sigmoid(P[L.alpha.off + c]);
    ws.slope[c] = S(s.slope_min) + S(s.slope_max - s.slope_min) * nn::sigmoid(P[L.slope.off + c]);
    ws.half[c] = S(s.half_min) + nn::softplus(P[L.half.off + c]);
    ws.mu[c] = nn::sigmoid(P[L.dag_mix.off + c]);
    ws.cap_m[c] = nn::softplus(P[L.media_cap.off + c]) + S(0.1);
    ws.stable_m[c] = nn::softplus(P[L.stable_media.off + c]);
    ws.delay[c] = s.adstock_delay ? nn::sigmoid(P[L.delay.off + c]) : S(0);
  }
  for (int k = 0; k < K; ++k) {
    ws.cap_k[k] = nn::softplus(P[L.ctrl_cap.off + k]) + S(0.1);
    ws.stable_k[k] = P[L.stable_ctrl.off + k];
  }
  dag::adjacency(C, P + L.dag_logits.off, s.notears, s.dag_temperature, ws.A.data());
  ws.scale = nn::softplus(P[L.scale.off]);
  ws.seas_scale = nn::softplus(P[L.seas_scale.off]);
  ws.bias = nn::softplus(P[L.bias.off]);

  // 1-3. adstock -> Hill -> DAG mix.
  const S* xin = in.xm;
  if (s.adstock_delay) {
    const size_t row = static_cast<size_t>(n) * C;
    for (int t = 0; t < T; ++t) {
      const S* prev = t == 0 ? in.a0 : in.xm + (t - 1) * row;
      const S* xt = in.xm + t * row;
      S* out = ws.xd.data() + t * row;
      for (size_t k = 0; k < row; ++k) {
        const S d = ws.delay[k % C];
        out[k] = (S(1) - d) * xt[k] + d * prev[k];
      }
    }
    xin = ws.xd.data();
  }
  adstock::forward(T, n, C, xin, ws.alpha.data(), in.a0, ws.a.data());
  hill::forward(N, C, ws.a.data(), ws.slope.data(), ws.half.data(), ws.h.data());
  dag::mix_forward(N, C, ws.h.data(), ws.A.data(), ws.mu.data(), ws.m.data());

  // With static coefficients (warm start) the generated coefficients get weight 0 in every week, so
  // the control features, the GRU and the generators do not affect the output: skip them (the
  // result is identical; their gradients would be exactly zero).
  if (!opt.all_stable) {
  // 4. Control features (+ dropout on loss weeks).
  nn::dense_forward(N, K, Hc, in.xc, P + L.ctrl_w.off, P + L.ctrl_b.off, ws.f.data());
  MapR<S>(ws.f.data(), N, Hc).array() = MapR<S>(ws.f.data(), N, Hc).array().tanh();
  const S* fd = ws.f.data();
  if (opt.dropout > 0 && opt.loss_end > 0) {
    const S keep = S(1.0 / (1.0 - opt.dropout));
    std::copy(ws.f.begin(), ws.f.begin() + static_cast<size_t>(N) * Hc, ws.fd.begin());
    for (int t = 0; t < std::min(T, opt.loss_end); ++t)
      for (int i = 0; i < n; ++i)
        for (int u = 0; u < Hc; ++u) {
          size_t k = (static_cast<size_t>(t) * n + i) * Hc + u;
          ws.fd[k] = dropped<S>(opt, t, in.week0, in.r0 + i, u) ? S(0) : ws.fd[k] * keep;
        }
    fd = ws.fd.data();
  }

  // 5. GRU: input projection for all weeks at once, then the recurrence.
  nn::dense_forward(N, C, 3 * H, ws.m.data(), P + L.gru_wi.off, P + L.gru_bi.off, ws.gi.data());
  if (Hc > 0)
    gemm::ab(N, 3 * H, Hc, fd, Hc, P + L.gru_wi.off + static_cast<size_t>(C) * 3 * H, 3 * H, ws.gi.data(), 3 * H,
             true);
  (void)D;
  nn::gru_forward(T, n, H, P + L.gru_wh.off, P + L.gru_bh.off, P + L.h0.off, ws.gi.data(), ws.ghn.data(),
                  ws.hs.data(), ws.tmp.data());
  const S* Hs = ws.hs.data() + static_cast<size_t>(n) * H;

  // 6. Coefficient generators.
  nn::dense_forward(N, H, G1, Hs, P + L.mg_w1.off, P + L.mg_b1.off, ws.a1m.data());
  relu_inplace(ws.a1m.data(), static_cast<size_t>(N) * G1);
  nn::dense_forward(N, G1, G2, ws.a1m.data(), P + L.mg_w2.off, P + L.mg_b2.off, ws.a2m.data());
  relu_inplace(ws.a2m.data(), static_cast<size_t>(N) * G2);
  nn::dense_forward(N, G2, C, ws.a2m.data(), P + L.mg_w3.off, P + L.mg_b3.off, ws.om.data());
  if (K > 0) {
    nn::dense_forward(N, H, G1, Hs, P + L.cg_w1.off, P + L.cg_b1.off, ws.a1k.data());
    relu_inplace(ws.a1k.data(), static_cast<size_t>(N) * G1);
    nn::dense_forward(N, G1, G2, ws.a1k.data(), P + L.cg_w2.off, P + L.cg_b2.off, ws.a2k.data());
    relu_inplace(ws.a2k.data(), static_cast<size_t>(N) * G2);
    nn::dense_forward(N, G2, K, ws.a2k.data(), P + L.cg_w3.off, P + L.cg_b3.off, ws.ok.data());
  }

  MapR<S>(ws.sgm.data(), N, C).array() = (S(1) + (-MapR<S>(ws.om.data(), N, C).array()).exp()).inverse();  // exact logistic (see hill.cpp)
  if (K > 0) MapR<S>(ws.thk.data(), N, K).array() = MapR<S>(ws.ok.data(), N, K).array().tanh();
  } else {
    std::fill(ws.sgm.begin(), ws.sgm.begin() + static_cast<size_t>(N) * C, S(0));
    if (K > 0) std::fill(ws.thk.begin(), ws.thk.begin() + static_cast<size_t>(N) * K, S(0));
  }

  // 7-10. Coefficients (burn-in blend), contributions, baseline, seasonal, prediction.
  for (int i = 0; i < n; ++i) {
    const S th = P[L.region_base.off + in.r0 + i];
    ws.base_r[i] = nn::softplus(th) + ws.bias;
    ws.dbase_r[i] = nn::sigmoid(th);
  }
  for (int t = 0; t < T; ++t) {
    const S w = S(burn_in_weight(in.week0 + t, s.burn_in, opt.all_stable));
    const S* phi = in.fourier ? in.fourier + static_cast<size_t>(t) * F : nullptr;
    const S u = (s.trend && in.trend) ? in.trend[t] : S(0);
    const LevelBasis lb = level_basis(s, in.week0 + t);
    for (int i = 0; i < n; ++i) {
      const int r = in.r0 + i;
      const size_t k = static_cast<size_t>(t) * n + i;
      S total = 0;
      for (int c = 0; c < C; ++c) {
        S b = ws.cap_m[c] * ws.sgm[k * C + c];
        b = w * ws.stable_m[c] + (S(1) - w) * b;
        ws.beta[k * C + c] = b;
        total += ws.m[k * C + c] * b;
      }
      for (int q = 0; q < K; ++q) {
        S g = ws.cap_k[q] * ws.thk[k * K + q];
        g = w * ws.stable_k[q] + (S(1) - w) * g;
        ws.gamma[k * K + q] = g;
        total += in.xc[k * K + q] * g;
      }
      S base = ws.base_r[i];
      if (s.trend) base += (P[L.trend_global.off] + P[L.trend_region.off + r]) * u;
      if (s.level_knots > 0) {
        const S* lv = P + L.level.off + static_cast<size_t>(r) * s.level_knots;
        base += s.level_knots == 1 ? lv[0] : S(1 - lb.frac) * lv[lb.k0] + S(lb.frac) * lv[lb.k0 + 1];
      }
      S se = 0;
      for (int j = 0; j < F; ++j)
        se += phi[j] * (P[L.seas_global.off + j] + P[L.seas_region.off + static_cast<size_t>(r) * F + j]);
      se *= ws.seas_scale;
      ws.base[k] = base;
      ws.seas[k] = se;
      total += base + se;
      ws.raw[k] = total;
      ws.pred[k] = ws.scale * total;
    }
  }
}

template <class S>
void score(const ChunkInput<S>& in, const PassOptions& opt, const Workspace<S>& ws, PassStats& st) {
  if (!in.y) return;
  const int n = in.n;
  for (int t = 0; t < in.T; ++t) {
    const bool train = t < opt.loss_end && t >= opt.score_begin;
    const bool val = t >= opt.loss_end && t < opt.val_end;
    if (!train && !val) continue;
    for (int i = 0; i < n; ++i) {
      size_t k = static_cast<size_t>(t) * n + i;
      double y = in.y[k], e = static_cast<double>(ws.pred[k]) - y;
      if (train) {
        st.tr_sse += e * e;
        st.tr_sy += y;
        st.tr_syy += y * y;
        st.tr_n += 1;
      } else {
        st.va_sse += e * e;
        st.va_sy += y;
        st.va_syy += y * y;
        st.va_n += 1;
      }
    }
  }
}

template <class S>
void backward(const ModelSpec& s, const ParamLayout& L, const S* P, const ChunkInput<S>& in, const PassOptions& opt,
              Workspace<S>& ws, S* grad, PassStats& st) {
  score(in, opt, ws, st);
  if (opt.track_contrib && st.contrib.size() < static_cast<size_t>(s.channels)) st.contrib.resize(s.channels, 0.0);
  const int n = in.n, C = s.channels, K = s.controls, H = s.hidden, Hc = s.control_hidden, G1 = s.coef_hidden,
            G2 = s.coef_hidden2, F = s.fourier;
  const int Tb = std::min(in.T, opt.loss_end);
  if (Tb <= 0 || !in.y) return;
  const int Nb = Tb * n;
  std::fill(ws.dm.begin(), ws.dm.begin() + static_cast<size_t>(Nb) * C, S(0));
  std::fill(ws.dom.begin(), ws.dom.begin() + static_cast<size_t>(Nb) * C, S(0));
  std::fill(ws.dok.begin(), ws.dok.begin() + static_cast<size_t>(Nb) * K, S(0));

  std::vector<S> d_cap_m(C, 0), d_stable_m(C, 0), d_cap_k(K, 0), d_stable_k(K, 0), d_seas_g(F, 0);
  S d_scale = 0, d_seas_scale = 0, d_bias = 0, d_trend_g = 0;
  const double norm = opt.loss_norm;

  // Loss, attribution prior, and the gradient w.r.t. every per-token output.
  for (int t = 0; t < Tb; ++t) {
    const int tw = in.week0 + t;
    const S w = S(burn_in_weight(tw, s.burn_in, opt.all_stable));
    const S* phi = in.fourier ? in.fourier + static_cast<size_t>(t) * F : nullptr;
    const S u = (s.trend && in.trend) ? in.trend[t] : S(0);
    const LevelBasis lb = level_basis(s, tw);
    for (int i = 0; i < n; ++i) {
      const int r = in.r0 + i;
      const size_t k = static_cast<size_t>(t) * n + i;
      double dpred = 0;
      {
        const double e = static_cast<double>(ws.pred[k]) - in.y[k];
        const double wt = norm * (in.week_weight ? static_cast<double>(in.week_weight[t]) : 1.0);
        if (opt.loss == LossKind::Huber) {
          st.loss += wt * nn::huber(e, opt.huber_delta);
          dpred = wt * nn::huber_grad(e, opt.huber_delta);
        } else {
          st.loss += wt * 0.5 * e * e;
          dpred = wt * e;
        }
      }
      double media = 0;
      for (int c = 0; c < C; ++c) media += static_cast<double>(ws.m[k * C + c]) * ws.beta[k * C + c];
      double dmedia_extra = 0;
      // KPI units per scaled media unit in this cell (ROI priors).
      const double kpi_unit = in.kpi_mean ? in.kpi_mean[i] * static_cast<double>(ws.scale) : 0.0;
      {
        st.media += media;
        st.total += ws.raw[k];
        if (opt.track_contrib)
          for (int c = 0; c < C; ++c)
            st.contrib[c] += kpi_unit * static_cast<double>(ws.m[k * C + c]) * ws.beta[k * C + c];
      }
      double draw = static_cast<double>(ws.scale) * dpred;
      if (opt.attr_weight > 0) {
        double dev = media - opt.attr_share * ws.raw[k];
        if (opt.attr_one_sided && dev < 0) dev = 0;
        st.attr += opt.attr_weight * norm * dev * dev;
        double g = opt.attr_weight * norm * 2.0 * dev;
        dmedia_extra = g;
        draw += -opt.attr_share * g;
      }
      if (opt.share_cap_coef > 0) {
        // Channels in share_cap_exempt count as fixed: their media terms leave both the media sum
        // and the total, so the term does not depend on them.
        double exempt = 0;
        if (opt.share_cap_exempt)
          for (int c = 0; c < C; ++c)
            if (opt.share_cap_exempt[c]) exempt += static_cast<double>(ws.m[k * C + c]) * ws.beta[k * C + c];
        st.share_cap += opt.share_cap_coef * ((media - exempt) - opt.share_cap_ref * (ws.raw[k] - exempt));
        dmedia_extra += opt.share_cap_coef;
        draw -= opt.share_cap_coef * opt.share_cap_ref;
      }
      d_scale += S(dpred * ws.raw[k]);
      const bool roi = opt.roi_coef && in.kpi_mean;
      if (roi) {
        double v = 0;
        for (int c = 0; c < C; ++c) v += opt.roi_coef[c] * static_cast<double>(ws.m[k * C + c]) * ws.beta[k * C + c];
        st.roi += v * kpi_unit;
        d_scale += S(v * in.kpi_mean[i]);
      }
      const S dr = S(draw);
      const S dmc = S(draw + dmedia_extra);
      const double cr = 2.0 * opt.coef_reg * norm;
      for (int c = 0; c < C; ++c) {
        const S b = ws.beta[k * C + c];
        S dmcc = roi ? S(dmc + opt.roi_coef[c] * kpi_unit) : dmc;
        if (opt.share_cap_coef > 0 && opt.share_cap_exempt && opt.share_cap_exempt[c])
          dmcc -= S(opt.share_cap_coef * (1.0 - opt.share_cap_ref));  // cancels the cap's pull on this channel
        ws.dm[k * C + c] = dmcc * b;
        S db = dmcc * ws.m[k * C + c];
        if (cr > 0) {
          const double dev = static_cast<double>(b) - ws.stable_m[c];
          st.coef += opt.coef_reg * norm * dev * dev;
          db += S(cr * dev);
          d_stable_m[c] -= S(cr * dev);
        }
        d_stable_m[c] += w * db;
        const S dyn = (S(1) - w) * db;
        const S sg = ws.sgm[k * C + c];
        ws.dom[k * C + c] = dyn * ws.cap_m[c] * sg * (S(1) - sg);
        d_cap_m[c] += dyn * sg;
      }
      for (int q = 0; q < K; ++q) {
        S dg = dr * in.xc[k * K + q];
        if (cr > 0) {
          const double dev = static_cast<double>(ws.gamma[k * K + q]) - ws.stable_k[q];
          st.coef += opt.coef_reg * norm * dev * dev;
          dg += S(cr * dev);
          d_stable_k[q] -= S(cr * dev);
        }
        d_stable_k[q] += w * dg;
        const S dyn = (S(1) - w) * dg;
        const S th = ws.thk[k * K + q];
        ws.dok[k * K + q] = dyn * ws.cap_k[q] * (S(1) - th * th);
        d_cap_k[q] += dyn * th;
      }
      // baseline
      grad[L.region_base.off + r] += dr * ws.dbase_r[i];
      d_bias += dr;
      if (s.trend) {
        d_trend_g += dr * u;
        grad[L.trend_region.off + r] += dr * u;
      }
      if (s.level_knots > 0) {
        S* gl = grad + L.level.off + static_cast<size_t>(r) * s.level_knots;
        if (s.level_knots == 1) {
          gl[0] += dr;
        } else {
          gl[lb.k0] += dr * S(1 - lb.frac);
          gl[lb.k0 + 1] += dr * S(lb.frac);
        }
      }
      // seasonal
      if (F > 0) {
        S basis = 0;
        for (int j = 0; j < F; ++j)
          basis += phi[j] * (P[L.seas_global.off + j] + P[L.seas_region.off + static_cast<size_t>(r) * F + j]);
        d_seas_scale += dr * basis;
        for (int j = 0; j < F; ++j) {
          const S g = dr * ws.seas_scale * phi[j];
          d_seas_g[j] += g;
          grad[L.seas_region.off + static_cast<size_t>(r) * F + j] += g;
        }
      }
    }
  }
  // Chain the derived scalars to their raw parameters.
  grad[L.scale.off] += d_scale * nn::sigmoid(P[L.scale.off]);
  grad[L.bias.off] += d_bias * nn::sigmoid(P[L.bias.off]);
  grad[L.seas_scale.off] += d_seas_scale * nn::sigmoid(P[L.seas_scale.off]);
  if (s.trend) grad[L.trend_global.off] += d_trend_g;
  for (int j = 0; j < F; ++j) grad[L.seas_global.off + j] += d_seas_g[j];
  for (int c = 0; c < C; ++c) {
    grad[L.media_cap.off + c] += d_cap_m[c] * nn::sigmoid(P[L.media_cap.off + c]);
    grad[L.stable_media.off + c] += d_stable_m[c] * nn::sigmoid(P[L.stable_media.off + c]);
  }
  for (int q = 0; q < K; ++q) {
    grad[L.ctrl_cap.off + q] += d_cap_k[q] * nn::sigmoid(P[L.ctrl_cap.off + q]);
    grad[L.stable_ctrl.off + q] += d_stable_k[q];
  }

  // Coefficient generators, GRU and control features (reverse); skipped with static coefficients
  // (see forward: their gradients are exactly zero there).
  if (!opt.all_stable) {
  const S* Hs = ws.hs.data() + static_cast<size_t>(n) * H;
  nn::dense_backward(Nb, G2, C, ws.a2m.data(), P + L.mg_w3.off, ws.dom.data(), grad + L.mg_w3.off,
                     grad + L.mg_b3.off, ws.d2.data(), false);
  relu_mask(ws.a2m.data(), ws.d2.data(), static_cast<size_t>(Nb) * G2);
  nn::dense_backward(Nb, G1, G2, ws.a1m.data(), P + L.mg_w2.off, ws.d2.data(), grad + L.mg_w2.off,
                     grad + L.mg_b2.off, ws.d1.data(), false);
  relu_mask(ws.a1m.data(), ws.d1.data(), static_cast<size_t>(Nb) * G1);
  nn::dense_backward(Nb, H, G1, Hs, P + L.mg_w1.off, ws.d1.data(), grad + L.mg_w1.off, grad + L.mg_b1.off,
                     ws.dHs.data(), false);
  if (K > 0) {
    nn::dense_backward(Nb, G2, K, ws.a2k.data(), P + L.cg_w3.off, ws.dok.data(), grad + L.cg_w3.off,
                       grad + L.cg_b3.off, ws.d2.data(), false);
    relu_mask(ws.a2k.data(), ws.d2.data(), static_cast<size_t>(Nb) * G2);
    nn::dense_backward(Nb, G1, G2, ws.a1k.data(), P + L.cg_w2.off, ws.d2.data(), grad + L.cg_w2.off,
                       grad + L.cg_b2.off, ws.d1.data(), false);
    relu_mask(ws.a1k.data(), ws.d1.data(), static_cast<size_t>(Nb) * G1);
    nn::dense_backward(Nb, H, G1, Hs, P + L.cg_w1.off, ws.d1.data(), grad + L.cg_w1.off, grad + L.cg_b1.off,
                       ws.dHs.data(), true);
  }

  // GRU through time; afterwards ws.gi holds dL/d(input projection).
  nn::gru_backward(Tb, n, H, P + L.gru_wh.off, ws.hs.data(), ws.gi.data(), ws.ghn.data(), ws.dHs.data(),
                   grad + L.gru_wh.off, grad + L.gru_bh.off, grad + L.h0.off, ws.tmp.data());
  const S* fd = (opt.dropout > 0) ? ws.fd.data() : ws.f.data();
  const S* Wim = P + L.gru_wi.off;
  const S* Wif = P + L.gru_wi.off + static_cast<size_t>(C) * 3 * H;
  nn::dense_backward(Nb, C, 3 * H, ws.m.data(), Wim, ws.gi.data(), grad + L.gru_wi.off, grad + L.gru_bi.off,
                     ws.dm.data(), true);
  if (Hc > 0) {
    nn::dense_backward(Nb, Hc, 3 * H, fd, Wif, ws.gi.data(), grad + L.gru_wi.off + static_cast<size_t>(C) * 3 * H,
                       static_cast<S*>(nullptr), ws.dfd.data(), false);
    // dropout and tanh
    const S keep = opt.dropout > 0 ? S(1.0 / (1.0 - opt.dropout)) : S(1);
    for (int t = 0; t < Tb; ++t)
      for (int i = 0; i < n; ++i)
        for (int u = 0; u < Hc; ++u) {
          size_t k = (static_cast<size_t>(t) * n + i) * Hc + u;
          S g = ws.dfd[k];
          if (opt.dropout > 0) g = dropped<S>(opt, t, in.week0, in.r0 + i, u) ? S(0) : g * keep;
          const S fv = ws.f[k];
          ws.dfd[k] = g * (S(1) - fv * fv);
        }
    nn::dense_backward(Nb, K, Hc, in.xc, P + L.ctrl_w.off, ws.dfd.data(), grad + L.ctrl_w.off, grad + L.ctrl_b.off,
                       static_cast<S*>(nullptr), false);
  }
  }

  // DAG mix, Hill, adstock.
  std::vector<S> dA(static_cast<size_t>(C) * C, 0), dmu(C, 0), dslope(C, 0), dhalf(C, 0), dalpha(C, 0);
  std::fill(ws.dh.begin(), ws.dh.begin() + static_cast<size_t>(Nb) * C, S(0));
  dag::mix_backward(Nb, C, ws.h.data(), ws.A.data(), ws.mu.data(), ws.dm.data(), ws.dh.data(), dA.data(), dmu.data());
  dag::adjacency_backward(C, s.notears, s.dag_temperature, ws.A.data(), dA.data(), grad + L.dag_logits.off);
  // da reuses dm (no longer needed).
  hill::backward(Nb, C, ws.a.data(), ws.slope.data(), ws.half.data(), ws.h.data(), ws.dh.data(), dslope.data(),
                 dhalf.data(), ws.dm.data());
  if (s.adstock_delay) {
    adstock::backward(Tb, n, C, ws.xd.data(), ws.alpha.data(), in.a0, ws.a.data(), ws.dm.data(), dalpha.data(),
                      ws.dxd.data());
    const size_t row = static_cast<size_t>(n) * C;
    std::vector<S> dd(C, S(0));
    for (int t = 0; t < Tb; ++t) {
      const S* prev = t == 0 ? in.a0 : in.xm + (t - 1) * row;
      const S* xt = in.xm + t * row;
      const S* g = ws.dxd.data() + t * row;
      for (size_t k = 0; k < row; ++k) dd[k % C] += g[k] * (prev[k] - xt[k]);
    }
    for (int c = 0; c < C; ++c) grad[L.delay.off + c] += dd[c] * ws.delay[c] * (S(1) - ws.delay[c]);
  } else {
    adstock::backward(Tb, n, C, in.xm, ws.alpha.data(), in.a0, ws.a.data(), ws.dm.data(), dalpha.data(),
                      static_cast<S*>(nullptr));
  }
  for (int c = 0; c < C; ++c) {
    S sa = nn::sigmoid(P[L.alpha.off + c]);
    grad[L.alpha.off + c] += dalpha[c] * S(s.adstock_max) * sa * (S(1) - sa);
    S ss = nn::sigmoid(P[L.slope.off + c]);
    grad[L.slope.off + c] += dslope[c] * S(s.slope_max - s.slope_min) * ss * (S(1) - ss);
    grad[L.half.off + c] += dhalf[c] * nn::sigmoid(P[L.half.off + c]);
    grad[L.dag_mix.off + c] += dmu[c] * ws.mu[c] * (S(1) - ws.mu[c]);
  }
}

template <class S>
double penalty(const ModelSpec& s, const ParamLayout& L, const S* P, const PenaltyOptions& o, S* grad) {
  double value = 0;
  const int C = s.channels, K = s.controls, R = s.regions, F = s.fourier;
  if (C > 1 && o.dag_weight > 0)
    value += dag::penalty(C, P + L.dag_logits.off, o.dag, o.dag_weight,
                          grad ? grad + L.dag_logits.off : static_cast<S*>(nullptr));
  auto l1_slot = [&](const Slot& sl, double w) {
    for (size_t k = 0; k < sl.size; ++k) {
      double v = P[sl.off + k];
      value += w * std::fabs(v);
      if (grad) grad[sl.off + k] += S(w * (v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0)));
    }
  };
  if (o.sparsity_weight > 0) {
    // Stable coefficients are L1-penalised on their effective (softplus) values for media.
    for (int c = 0; c < C; ++c) {
      double th = P[L.stable_media.off + c];
      value += o.sparsity_weight * nn::softplus(th);
      if (grad) grad[L.stable_media.off + c] += S(o.sparsity_weight * nn::sigmoid(th));
    }
    l1_slot(L.stable_ctrl, o.sparsity_weight);
    // 0.1 x L1 of the GRU weights, as a mean over entries so it does not grow with H.
    for (const Slot* sl : {&L.gru_wi, &L.gru_wh})
      if (sl->size) l1_slot(*sl, 0.1 * o.sparsity_weight / static_cast<double>(sl->size));
  }
  if (o.l1 > 0 || o.l2 > 0) {
    for (const SlotInfo& si : L.slots) {
      if (!si.matrix || si.slot.size == 0) continue;
      const double inv = 1.0 / static_cast<double>(si.slot.size);
      for (size_t k = 0; k < si.slot.size; ++k) {
        double v = P[si.slot.off + k];
        value += inv * (o.l1 * std::fabs(v) + o.l2 * v * v);
        if (grad) grad[si.slot.off + k] += S(inv * (o.l1 * (v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0)) + 2.0 * o.l2 * v));
      }
    }
  }
  if (o.seasonal_prior > 0 && F > 0) {
    double th = P[L.seas_scale.off];
    double d = nn::softplus(th) - 1.0;
    value += o.seasonal_prior * d * d;
    if (grad) grad[L.seas_scale.off] += S(o.seasonal_prior * 2.0 * d * nn::sigmoid(th));
  }
  if (o.region_shrinkage > 0) {
    auto l2_slot = [&](const Slot& sl) {
      for (size_t k = 0; k < sl.size; ++k) {
        double v = P[sl.off + k];
        value += o.region_shrinkage * v * v / R;
        if (grad) grad[sl.off + k] += S(o.region_shrinkage * 2.0 * v / R);
      }
    };
    l2_slot(L.seas_region);
    l2_slot(L.trend_region);
  }
  if (o.level_detrend > 0 && s.level_knots > 1) {
    const int Kl = s.level_knots;
    const double kbar = 0.5 * (Kl - 1);
    double sxx = 0;
    for (int k = 0; k < Kl; ++k) sxx += (k - kbar) * (k - kbar);
    const double w = o.level_detrend / R;
    for (int r = 0; r < R; ++r) {
      const S* lv = P + L.level.off + static_cast<size_t>(r) * Kl;
      double slope = 0;
      for (int k = 0; k < Kl; ++k) slope += (k - kbar) * static_cast<double>(lv[k]);
      slope /= sxx;
      value += w * slope * slope;
      if (grad)
        for (int k = 0; k < Kl; ++k) grad[L.level.off + static_cast<size_t>(r) * Kl + k] += S(2 * w * slope * (k - kbar) / sxx);
    }
  }
  if (o.level_smoothness > 0 && s.level_knots > 0) {
    const int Kl = s.level_knots;
    const double w = o.level_smoothness / R;
    for (int r = 0; r < R; ++r) {
      const S* lv = P + L.level.off + static_cast<size_t>(r) * Kl;
      S* gl = grad ? grad + L.level.off + static_cast<size_t>(r) * Kl : nullptr;
      const double l0 = lv[0];
      value += 0.1 * w * l0 * l0;
      if (gl) gl[0] += S(0.2 * w * l0);
      for (int k = 1; k < Kl; ++k) {
        const double d = static_cast<double>(lv[k]) - lv[k - 1];
        value += w * d * d;
        if (gl) {
          gl[k] += S(2 * w * d);
          gl[k - 1] -= S(2 * w * d);
        }
      }
    }
  }
  (void)K;
  return value;
}

double adstock_decay(const ModelSpec& s, const ParamLayout& L, const float* params, int c) {
  return s.adstock_max * nn::sigmoid(static_cast<double>(params[L.alpha.off + c]));
}

template <class S>
double media_term(const ModelSpec& s, const ParamLayout& L, const S* P, const ChunkInput<S>& in, const Workspace<S>& ws,
                  bool all_stable, int c, const double* cell_weight, double coef, S* grad) {
  const int C = s.channels, n = in.n;
  double value = 0, d_cap = 0, d_stable = 0;
  for (int t = 0; t < in.T; ++t) {
    // beta = w stable + (1 - w) cap sigmoid(o) (forward): the media term is linear in both.
    const double w = burn_in_weight(in.week0 + t, s.burn_in, all_stable);
    for (int i = 0; i < n; ++i) {
      const size_t k = static_cast<size_t>(t) * n + i;
      if (cell_weight[k] == 0) continue;
      const double unit = cell_weight[k] * in.kpi_mean[i] * static_cast<double>(ws.scale);
      const double m = ws.m[k * C + c];
      value += unit * m * ws.beta[k * C + c];
      d_cap += unit * m * (1.0 - w) * ws.sgm[k * C + c];
      d_stable += unit * m * w;
    }
  }
  if (grad) {
    grad[L.media_cap.off + c] += S(coef * d_cap * nn::sigmoid(static_cast<double>(P[L.media_cap.off + c])));
    grad[L.stable_media.off + c] += S(coef * d_stable * nn::sigmoid(static_cast<double>(P[L.stable_media.off + c])));
  }
  return value;
}

#define MMM_MODEL_INST(S)                                                                                          \
  template struct Workspace<S>;                                                                                    \
  template void forward<S>(const ModelSpec&, const ParamLayout&, const S*, const ChunkInput<S>&,                   \
                           const PassOptions&, Workspace<S>&);                                                     \
  template void backward<S>(const ModelSpec&, const ParamLayout&, const S*, const ChunkInput<S>&,                  \
                            const PassOptions&, Workspace<S>&, S*, PassStats&);                                    \
  template void score<S>(const ChunkInput<S>&, const PassOptions&, const Workspace<S>&, PassStats&);               \
  template double media_term<S>(const ModelSpec&, const ParamLayout&, const S*, const ChunkInput<S>&,              \
                                const Workspace<S>&, bool, int, const double*, double, S*);                       \
  template double penalty<S>(const ModelSpec&, const ParamLayout&, const S*, const PenaltyOptions&, S*);
MMM_MODEL_INST(float)
MMM_MODEL_INST(double)
#undef MMM_MODEL_INST

}  // namespace mmm
