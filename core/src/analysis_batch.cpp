// ScenarioRunner::run_many (analysis.hpp): many scenarios of one window through the fitted model,
// sharing the work they have in common. What the model computes per region and week (model.hpp):
//   x' (lag blend) -> adstock -> Hill h -> DAG mix m = h · Mix -> GRU input gi = m Wm + f Wf + b
//   -> GRU state s -> coefficients beta(s), gamma(s) -> yhat = scale (Σ m beta + Σ xc gamma + base + seasonal)
// A scenario changes the driver of a few channels. Lag blend, adstock and Hill are per channel, so
// only the changed channels' columns are recomputed; the mix and the GRU input are linear in h, so
//   m' = m + Σ_c Δh_c Mix[c, :]      gi' = gi + Σ_c Δh_c (Mix Wm)[c, :]
// (one rank-one update per changed channel instead of the whole input projection; the control
// features f do not depend on media). The recurrence, the coefficient networks and the sums depend
// on every input and are recomputed; baseline and seasonal terms are the base run's. The base run
// itself is the model's own forward pass, once per chunk of regions for all scenarios.
#include <algorithm>
#include <cmath>
#include <memory>

#include "mmm/adstock.hpp"
#include "mmm/analysis.hpp"
#include "mmm/errors.hpp"
#include "mmm/gemm.hpp"
#include "mmm/hill.hpp"
#include "mmm/model.hpp"
#include "mmm/nn.hpp"
#include "mmm/parallel.hpp"

namespace mmm {
namespace {

// One scenario's sums over one chunk of regions (the fields of ScenarioOutcome).
struct Sums {
  double prediction = 0;
  std::vector<double> media, media_window, media_at_base_coef;  // [C]
  void reset(int C) {
    prediction = 0;
    media.assign(C, 0.0);
    media_window.assign(C, 0.0);
    media_at_base_coef.assign(C, 0.0);
  }
  void add_to(ScenarioOutcome& o) const {
    o.prediction += prediction;
    for (size_t c = 0; c < media.size(); ++c) {
      o.media[c] += media[c];
      o.media_window[c] += media_window[c];
      o.media_at_base_coef[c] += media_at_base_coef[c];
    }
  }
};

// Buffers of one worker: the chunk's inputs, its base run and one scenario at a time.
struct Scratch {
  Workspace<float> ws;                  // the model's forward pass over the base plan
  std::vector<float> xm, xc, a0;        // chunk inputs, time-major [T][n][C], [T][n][K], [n][C]
  std::vector<float> gi0, fixed;        // base GRU input projection [N x 3H]; baseline + seasonal [N]
  std::vector<float> mix, gru_in;       // [C x C] d m / d h, [C x 3H] d gi / d h
  std::vector<float> x, xd, a, h, a0c;  // one changed channel's column [N] ([n] for a0c)
  std::vector<float> dh;                // Δh of the pending group's changed channels, [changed x N] each
  std::vector<size_t> dh_at;            // where each group member's Δh starts in dh
  std::vector<float> m, gi, ghn, hs, tmp, a1, a2, om, ok, beta, gamma;
  std::vector<Sums> sums;               // per scenario
};

// Scenarios run through the recurrence together (rows per week: kGroup × regions of the chunk).
// 8 keeps a group's buffers at a few MB for 24-region chunks of a few hundred weeks.
constexpr int kGroup = 8;

void relu(float* v, size_t n) {
  for (size_t i = 0; i < n; ++i) v[i] = std::max(v[i], 0.0f);
}

template <class V>
void fit_size(V& v, size_t n) {
  if (v.size() < n) v.resize(n);
}

}  // namespace

std::vector<ScenarioOutcome> ScenarioRunner::run_many(const std::vector<std::vector<ChannelChange>>& scenarios,
                                                      const AnalysisProgress& progress,
                                                      const std::vector<bool>& prediction_only) const {
  for (const auto& s : scenarios) check(s);
  if (!prediction_only.empty() && prediction_only.size() != scenarios.size())
    throw InvalidConfig("scenarios: " + std::to_string(prediction_only.size()) + " prediction-only flags for " +
                        std::to_string(scenarios.size()) + " scenarios");
  const FittedModel& model = model_;
  const ModelSpec& spec = model.spec();
  const Scalers& scalers = model.scalers();
  const ParamLayout L(spec);
  const float* P = model.parameters().data();
  if (L.total != model.parameters().size()) throw InvalidData("model parameters do not match the model's dimensions");
  const int R = R_, C = C_, K = spec.controls, H = spec.hidden, Hc = spec.control_hidden, G1 = spec.coef_hidden,
            G2 = spec.coef_hidden2, H3 = 3 * H;
  const int S = window_.sim_weeks, from = window_.from, to = window_.to, W = model.weeks();
  const int NS = static_cast<int>(scenarios.size());

  // The changed channels of each scenario.
  std::vector<std::vector<int>> changed(NS);
  for (int s = 0; s < NS; ++s)
    for (size_t c = 0; c < scenarios[s].size(); ++c)
      if (scenarios[s][c].factor != 1 || scenarios[s][c].add_per_week != 0) changed[s].push_back(static_cast<int>(c));

  // Inputs every chunk shares, built as FittedModel::simulate builds them for the base plan:
  // controls continue each region's last value past the panel's end.
  std::vector<float> ctrl(static_cast<size_t>(R) * S * K), xc_all(ctrl.size());
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < S; ++t)
      for (int k = 0; k < K; ++k)
        ctrl[(static_cast<size_t>(r) * S + t) * K + k] =
            model.control_values()[(static_cast<size_t>(r) * W + std::min(t, W - 1)) * K + k];
  scalers.scale_controls(ctrl.data(), S, xc_all.data());
  ctrl = std::vector<float>();
  const std::vector<float> fourier = model.seasonality().basis(S);
  const std::vector<float> trend = trend_series(S, model.train_weeks());

  auto chunk_sums = [&](int r0, int n, Scratch& z) {
    const int T = S;
    const size_t N = static_cast<size_t>(T) * n;
    fit_size(z.xm, N * C);
    fit_size(z.xc, N * K);
    fit_size(z.a0, static_cast<size_t>(n) * C);
    for (int t = 0; t < T; ++t)
      for (int i = 0; i < n; ++i) {
        const size_t src = static_cast<size_t>(r0 + i) * S + t, dst = static_cast<size_t>(t) * n + i;
        for (int c = 0; c < C; ++c)
          z.xm[dst * C + c] = base_[src * C + c] / scalers.media_divisor[static_cast<size_t>(r0 + i) * C + c];
        for (int k = 0; k < K; ++k) z.xc[dst * K + k] = xc_all[src * K + k];
      }
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < C; ++c) z.a0[static_cast<size_t>(i) * C + c] = scalers.adstock_init[static_cast<size_t>(r0 + i) * C + c];
    ChunkInput<float> in;
    in.T = T;
    in.n = n;
    in.r0 = r0;
    in.xm = z.xm.data();
    in.xc = z.xc.data();
    in.a0 = z.a0.data();
    in.fourier = fourier.data();
    in.trend = trend.data();
    Workspace<float>& ws = z.ws;
    forward(spec, L, P, in, PassOptions{}, ws);

    // What the scenarios reuse: the GRU input projection before the recurrence (as forward()
    // computes it: media part, then the control features added), baseline + seasonal, and the
    // derivatives of the mix and of the GRU input with respect to each channel's h.
    fit_size(z.gi0, N * H3);
    fit_size(z.fixed, N);
    nn::dense_forward(static_cast<int>(N), C, H3, ws.m.data(), P + L.gru_wi.off, P + L.gru_bi.off, z.gi0.data());
    if (Hc > 0)
      gemm::ab(static_cast<int>(N), H3, Hc, ws.f.data(), Hc, P + L.gru_wi.off + static_cast<size_t>(C) * H3, H3, z.gi0.data(), H3,
               true);
    for (size_t k = 0; k < N; ++k) z.fixed[k] = ws.base[k] + ws.seas[k];
    z.mix.assign(static_cast<size_t>(C) * C, 0.0f);
    z.gru_in.assign(static_cast<size_t>(C) * H3, 0.0f);
    for (int c = 0; c < C; ++c)
      for (int j = 0; j < C; ++j) {
        const double d = (j == c ? 1.0 - ws.mu[j] : 0.0) + static_cast<double>(ws.mu[j]) * ws.A[static_cast<size_t>(c) * C + j];
        z.mix[static_cast<size_t>(c) * C + j] = static_cast<float>(d);
      }
    for (int c = 0; c < C; ++c)
      for (int g = 0; g < H3; ++g) {
        double v = 0;
        for (int j = 0; j < C; ++j)
          v += static_cast<double>(z.mix[static_cast<size_t>(c) * C + j]) * P[L.gru_wi.off + static_cast<size_t>(j) * H3 + g];
        z.gru_in[static_cast<size_t>(c) * H3 + g] = static_cast<float>(v);
      }

    // Sums of a run with mixed media m, coefficients beta and gamma over weeks [from, T); the
    // channel terms only when asked for (most scenarios need the prediction alone). The run is
    // member b of a group of nb scenarios: its row for week t and region i is (t·nb + b)·n + i.
    auto accumulate = [&](Sums& out, const float* m, const float* beta, const float* gamma, bool terms, int nb, int b) {
      out.reset(C);
      for (int t = from; t < T; ++t)
        for (int i = 0; i < n; ++i) {
          const size_t k = static_cast<size_t>(t) * n + i, kr = (static_cast<size_t>(t) * nb + b) * n + i;
          const double f = static_cast<double>(ws.scale) * scalers.kpi_mean[r0 + i];
          double total = z.fixed[k];
          for (int q = 0; q < K; ++q) total += static_cast<double>(z.xc[k * K + q]) * gamma[kr * K + q];
          if (!terms) {
            for (int c = 0; c < C; ++c) total += static_cast<double>(m[kr * C + c]) * beta[kr * C + c];
            out.prediction += total * f;
            continue;
          }
          for (int c = 0; c < C; ++c) {
            const double bc = beta[kr * C + c];
            const double mc = static_cast<double>(m[kr * C + c]) * bc;
            total += mc;
            out.media[c] += mc * f;
            if (t < to) out.media_window[c] += mc * f;
            // ScenarioRunner::run: M · beta_base / beta, and M when beta is 0 (M is 0 then).
            if (bc != 0) out.media_at_base_coef[c] += static_cast<double>(m[kr * C + c]) * ws.beta[k * C + c] * f;
          }
          out.prediction += total * f;
        }
    };

    z.sums.resize(NS);
    Sums base, base_prediction;
    accumulate(base, ws.m.data(), ws.beta.data(), ws.gamma.data(), true, 1, 0);
    base_prediction.reset(C);
    base_prediction.prediction = base.prediction;
    auto terms_of = [&](int s) { return prediction_only.empty() || !prediction_only[s]; };

    // Runs the group of scenarios `members` (their Δh in z.dh, from z.dh_at[b]) through the
    // recurrence and the coefficient networks at once: nb·n rows per week, so the recurrent
    // step is one larger product instead of nb small ones.
    std::vector<int> members;
    auto run_group = [&]() {
      const int nb = static_cast<int>(members.size());
      if (nb == 0) return;
      const int rows = nb * n;
      const size_t NB = static_cast<size_t>(T) * rows;
      fit_size(z.m, NB * C);
      fit_size(z.gi, NB * H3);
      // Mixed media and GRU input: the base run's plus rank-one updates per changed channel.
      for (int t = 0; t < T; ++t)
        for (int b = 0; b < nb; ++b)
          for (int i = 0; i < n; ++i) {
            const size_t k = static_cast<size_t>(t) * n + i, kr = (static_cast<size_t>(t) * nb + b) * n + i;
            float* mk = z.m.data() + kr * C;
            float* gk = z.gi.data() + kr * H3;
            std::copy(ws.m.begin() + k * C, ws.m.begin() + (k + 1) * C, mk);
            std::copy(z.gi0.begin() + k * H3, z.gi0.begin() + (k + 1) * H3, gk);
            const std::vector<int>& ch = changed[members[b]];
            for (size_t j = 0; j < ch.size(); ++j) {
              const float d = z.dh[z.dh_at[b] + j * N + k];
              if (d == 0) continue;
              const float* mr = z.mix.data() + static_cast<size_t>(ch[j]) * C;
              const float* gr = z.gru_in.data() + static_cast<size_t>(ch[j]) * H3;
              for (int q = 0; q < C; ++q) mk[q] += d * mr[q];
              for (int g = 0; g < H3; ++g) gk[g] += d * gr[g];
            }
          }
      // Recurrence and coefficient networks, as forward() runs them.
      fit_size(z.ghn, NB * H);
      fit_size(z.hs, (NB + rows) * H);
      fit_size(z.tmp, static_cast<size_t>(rows) * H3 + static_cast<size_t>(rows) * H);
      fit_size(z.a1, NB * G1);
      fit_size(z.a2, NB * G2);
      fit_size(z.om, NB * C);
      fit_size(z.ok, NB * K);
      fit_size(z.beta, NB * C);
      fit_size(z.gamma, NB * K);
      const int Ni = static_cast<int>(NB);
      nn::gru_forward(T, rows, H, P + L.gru_wh.off, P + L.gru_bh.off, P + L.h0.off, z.gi.data(), z.ghn.data(), z.hs.data(),
                      z.tmp.data());
      const float* hs = z.hs.data() + static_cast<size_t>(rows) * H;
      nn::dense_forward(Ni, H, G1, hs, P + L.mg_w1.off, P + L.mg_b1.off, z.a1.data());
      relu(z.a1.data(), NB * G1);
      nn::dense_forward(Ni, G1, G2, z.a1.data(), P + L.mg_w2.off, P + L.mg_b2.off, z.a2.data());
      relu(z.a2.data(), NB * G2);
      nn::dense_forward(Ni, G2, C, z.a2.data(), P + L.mg_w3.off, P + L.mg_b3.off, z.om.data());
      MapR<float>(z.om.data(), Ni, C).array() = (1.0f + (-MapR<float>(z.om.data(), Ni, C).array()).exp()).inverse();
      if (K > 0) {
        nn::dense_forward(Ni, H, G1, hs, P + L.cg_w1.off, P + L.cg_b1.off, z.a1.data());
        relu(z.a1.data(), NB * G1);
        nn::dense_forward(Ni, G1, G2, z.a1.data(), P + L.cg_w2.off, P + L.cg_b2.off, z.a2.data());
        relu(z.a2.data(), NB * G2);
        nn::dense_forward(Ni, G2, K, z.a2.data(), P + L.cg_w3.off, P + L.cg_b3.off, z.ok.data());
        MapR<float>(z.ok.data(), Ni, K).array() = MapR<float>(z.ok.data(), Ni, K).array().tanh();
      }
      for (int t = 0; t < T; ++t) {
        const float w = static_cast<float>(burn_in_weight(t, spec.burn_in, false));
        for (size_t kr = static_cast<size_t>(t) * rows; kr < static_cast<size_t>(t + 1) * rows; ++kr) {
          for (int c = 0; c < C; ++c)
            z.beta[kr * C + c] = w * ws.stable_m[c] + (1.0f - w) * (ws.cap_m[c] * z.om[kr * C + c]);
          for (int q = 0; q < K; ++q)
            z.gamma[kr * K + q] = w * ws.stable_k[q] + (1.0f - w) * (ws.cap_k[q] * z.ok[kr * K + q]);
        }
      }
      for (int b = 0; b < nb; ++b)
        accumulate(z.sums[members[b]], z.m.data(), z.beta.data(), z.gamma.data(), terms_of(members[b]), nb, b);
      members.clear();
      z.dh.clear();
      z.dh_at.clear();
    };

    fit_size(z.x, N);
    fit_size(z.xd, N);
    fit_size(z.a, N);
    fit_size(z.h, N);
    fit_size(z.a0c, static_cast<size_t>(n));
    z.dh.clear();
    z.dh_at.clear();
    for (int s = 0; s < NS; ++s) {
      const std::vector<int>& ch = changed[s];
      // The changed channels' scaled media, lag blend, adstock and saturation; Δh against the base.
      const size_t at = z.dh.size();
      z.dh.resize(at + ch.size() * N);
      bool moved = false;
      for (size_t j = 0; j < ch.size(); ++j) {
        const int c = ch[j];
        const ChannelChange& cc = scenarios[s][c];
        for (int t = 0; t < T; ++t)
          for (int i = 0; i < n; ++i) {
            const int r = r0 + i;
            const float raw = base_[(static_cast<size_t>(r) * S + t) * C + c];
            float v = raw;
            if (t >= from && t < to) v = static_cast<float>(cc.factor * raw + cc.add_per_week * region_share(r, c));  // as media_for
            moved = moved || v != raw;
            z.x[static_cast<size_t>(t) * n + i] = v / scalers.media_divisor[static_cast<size_t>(r) * C + c];
          }
        for (int i = 0; i < n; ++i) z.a0c[i] = z.a0[static_cast<size_t>(i) * C + c];
        const float* xin = z.x.data();
        if (spec.adstock_delay) {  // as forward(): x'_t = (1 − d) x_t + d x_{t−1}, x_{−1} = a0
          const float d = ws.delay[c];
          for (int t = 0; t < T; ++t)
            for (int i = 0; i < n; ++i) {
              const float prev = t == 0 ? z.a0c[i] : z.x[static_cast<size_t>(t - 1) * n + i];
              z.xd[static_cast<size_t>(t) * n + i] = (1.0f - d) * z.x[static_cast<size_t>(t) * n + i] + d * prev;
            }
          xin = z.xd.data();
        }
        adstock::forward(T, n, 1, xin, &ws.alpha[c], z.a0c.data(), z.a.data());
        hill::forward(static_cast<int>(N), 1, z.a.data(), &ws.slope[c], &ws.half[c], z.h.data());
        float* dh = z.dh.data() + at + j * N;
        for (size_t k = 0; k < N; ++k) dh[k] = z.h[k] - ws.h[k * C + c];
      }
      if (!moved) {  // nothing changes in this chunk's regions
        z.dh.resize(at);
        z.sums[s] = terms_of(s) ? base : base_prediction;
        continue;
      }
      members.push_back(s);
      z.dh_at.push_back(at);
      if (static_cast<int>(members.size()) == kGroup) run_group();
    }
    run_group();
  };

  std::vector<ScenarioOutcome> out(NS);
  for (ScenarioOutcome& o : out) {
    o.media.assign(C, 0.0);
    o.media_window.assign(C, 0.0);
    o.media_at_base_coef.assign(C, 0.0);
  }
  if (NS == 0) return out;
  const Chunking ck = fixed_chunks(R, model.config().chunk_regions);
  ThreadPool pool(model.config().threads);
  // Chunks run in waves of one per thread; each wave is added in chunk order, so the sums do not
  // depend on the thread count, and progress is reported here, on the calling thread.
  const int workers = pool.threads();
  std::vector<Scratch> scratch(workers);
  for (int c0 = 0; c0 < ck.chunks; c0 += workers) {
    const int wave = std::min(workers, ck.chunks - c0);
    pool.run(wave, [&](int j) { chunk_sums(ck.begin(c0 + j), ck.end(c0 + j) - ck.begin(c0 + j), scratch[j]); });
    for (int j = 0; j < wave; ++j)
      for (int s = 0; s < NS; ++s) scratch[j].sums[s].add_to(out[s]);
    if (progress && !progress(c0 + wave, ck.chunks)) throw Cancelled("analysis cancelled by the user");
  }
  return out;
}

}  // namespace mmm
