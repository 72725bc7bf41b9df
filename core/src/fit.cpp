#include "mmm/fit.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>

#include "mmm/byte_io.hpp"
#include "mmm/errors.hpp"
#include "mmm/nn.hpp"
#include "mmm/parallel.hpp"

namespace mmm {

FittedModel::FittedModel(FitConfig cfg, ModelSpec spec, Scalers scalers, Seasonality season, std::vector<float> params,
                         const Panel& panel, int train_weeks, int fit_weeks)
    : cfg_(std::move(cfg)),
      spec_(spec),
      scalers_(std::move(scalers)),
      season_(std::move(season)),
      params_(std::move(params)),
      weeks_(panel.weeks),
      train_weeks_(train_weeks),
      fit_weeks_(fit_weeks),
      media_(panel.media),
      controls_(panel.control_values),
      kpi_(panel.kpi),
      region_names_(panel.region_names),
      channel_names_(panel.channel_names),
      control_names_(panel.control_names) {}

Decomposition FittedModel::run(const std::vector<float>& media, const std::vector<float>& controls, int W) const {
  const int R = spec_.regions, C = spec_.channels, K = spec_.controls, F = spec_.fourier;
  const size_t cells = static_cast<size_t>(R) * W;
  std::vector<float> xm(cells * C), xc(cells * K);
  scalers_.scale_media(media.data(), W, xm.data());
  scalers_.scale_controls(controls.data(), W, xc.data());
  std::vector<float> fourier = season_.basis(W);
  std::vector<float> trend = trend_series(W, train_weeks_);
  (void)F;
  ParamLayout L(spec_);
  if (L.total != params_.size()) throw InvalidData("model parameters do not match the model's dimensions");

  Decomposition d;
  d.regions = R;
  d.weeks = W;
  d.channels = C;
  d.controls = K;
  d.prediction.assign(cells, 0.0f);
  d.baseline.assign(cells, 0.0f);
  d.seasonal.assign(cells, 0.0f);
  d.control.assign(cells * K, 0.0f);
  d.media.assign(cells * C, 0.0f);
  d.media_coef.assign(cells * C, 0.0f);

  Chunking ck = fixed_chunks(R, cfg_.chunk_regions);
  ThreadPool pool(cfg_.threads);
  std::vector<std::unique_ptr<Workspace<float>>> wss;
  std::vector<Workspace<float>*> free_ws;
  for (int i = 0; i < pool.threads(); ++i) {
    wss.emplace_back(new Workspace<float>());
    free_ws.push_back(wss.back().get());
  }
  std::mutex mu;
  pool.run(ck.chunks, [&](int c) {
    Workspace<float>* ws;
    {
      std::lock_guard<std::mutex> lock(mu);
      ws = free_ws.back();
      free_ws.pop_back();
    }
    const int r0 = ck.begin(c), n = ck.end(c) - r0;
    std::vector<float> cxm(static_cast<size_t>(W) * n * C), cxc(static_cast<size_t>(W) * n * K),
        a0(static_cast<size_t>(n) * C);
    for (int t = 0; t < W; ++t)
      for (int i = 0; i < n; ++i) {
        const size_t src = static_cast<size_t>(r0 + i) * W + t, dst = static_cast<size_t>(t) * n + i;
        for (int j = 0; j < C; ++j) cxm[dst * C + j] = xm[src * C + j];
        for (int k = 0; k < K; ++k) cxc[dst * K + k] = xc[src * K + k];
      }
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < C; ++j)
        a0[static_cast<size_t>(i) * C + j] = scalers_.adstock_init[static_cast<size_t>(r0 + i) * C + j];
    ChunkInput<float> in;
    in.T = W;
    in.n = n;
    in.r0 = r0;
    in.xm = cxm.data();
    in.xc = cxc.data();
    in.a0 = a0.data();
    in.fourier = fourier.data();
    in.trend = trend.data();
    PassOptions opt;
    forward(spec_, L, params_.data(), in, opt, *ws);
    for (int t = 0; t < W; ++t)
      for (int i = 0; i < n; ++i) {
        const int r = r0 + i;
        const size_t k = static_cast<size_t>(t) * n + i, o = static_cast<size_t>(r) * W + t;
        const double f = static_cast<double>(ws->scale) * scalers_.kpi_mean[r];
        double total = 0;
        auto put = [&](float& dst, double v) {
          float q = static_cast<float>(v * f);
          dst = q;
          total += q;
        };
        put(d.baseline[o], ws->base[k]);
        put(d.seasonal[o], ws->seas[k]);
        for (int q = 0; q < K; ++q)
          put(d.control[o * K + q], static_cast<double>(cxc[k * K + q]) * ws->gamma[k * K + q]);
        for (int j = 0; j < C; ++j) {
          put(d.media[o * C + j], static_cast<double>(ws->m[k * C + j]) * ws->beta[k * C + j]);
          d.media_coef[o * C + j] = ws->beta[k * C + j];
        }
        d.prediction[o] = static_cast<float>(total);
      }
    std::lock_guard<std::mutex> lock(mu);
    free_ws.push_back(ws);
  });
  return d;
}

Decomposition FittedModel::decompose() const {
  Decomposition d = run(media_, controls_, weeks_);
  d.kpi = kpi_;
  return d;
}

Decomposition FittedModel::simulate(const std::vector<float>& media, const std::vector<float>& controls) const {
  const int R = spec_.regions, C = spec_.channels, K = spec_.controls;
  const size_t per_week = static_cast<size_t>(R) * C;
  if (media.empty() || media.size() % per_week != 0)
    throw InvalidData("simulate: media has " + std::to_string(media.size()) + " values; expected a positive multiple of regions x channels = " +
                      std::to_string(per_week));
  const int W = static_cast<int>(media.size() / per_week);
  for (size_t i = 0; i < media.size(); ++i)
    if (!std::isfinite(media[i]) || media[i] < 0)
      throw InvalidData("simulate: media value " + std::to_string(i) + " is " + std::to_string(media[i]) +
                        "; values must be finite and non-negative");
  std::vector<float> ctrl;
  if (controls.empty()) {
    ctrl.resize(static_cast<size_t>(R) * W * K);
    for (int r = 0; r < R; ++r)
      for (int t = 0; t < W; ++t)
        for (int k = 0; k < K; ++k) {
          int ts = std::min(t, weeks_ - 1);
          ctrl[(static_cast<size_t>(r) * W + t) * K + k] = controls_[(static_cast<size_t>(r) * weeks_ + ts) * K + k];
        }
  } else {
    if (controls.size() != static_cast<size_t>(R) * W * K)
      throw InvalidData("simulate: control_values has " + std::to_string(controls.size()) + " values; expected " +
                        std::to_string(static_cast<size_t>(R) * W * K) + " (regions x weeks x controls) or none");
    for (size_t i = 0; i < controls.size(); ++i)
      if (!std::isfinite(controls[i]))
        throw InvalidData("simulate: control value " + std::to_string(i) + " is not finite");
    ctrl = controls;
  }
  return run(media, ctrl, W);
}

std::vector<float> FittedModel::adstock_decay() const {
  ParamLayout L(spec_);
  std::vector<float> v(spec_.channels);
  for (int c = 0; c < spec_.channels; ++c) v[c] = static_cast<float>(mmm::adstock_decay(spec_, L, params_.data(), c));
  return v;
}
std::vector<float> FittedModel::hill_slope() const {
  ParamLayout L(spec_);
  std::vector<float> v(spec_.channels);
  for (int c = 0; c < spec_.channels; ++c)
    v[c] = static_cast<float>(spec_.slope_min + (spec_.slope_max - spec_.slope_min) *
                                                    nn::sigmoid(static_cast<double>(params_[L.slope.off + c])));
  return v;
}
std::vector<float> FittedModel::hill_half_saturation() const {
  ParamLayout L(spec_);
  std::vector<float> v(spec_.channels);
  for (int c = 0; c < spec_.channels; ++c)
    v[c] = static_cast<float>(spec_.half_min + nn::softplus(static_cast<double>(params_[L.half.off + c])));
  return v;
}
std::vector<float> FittedModel::dag_adjacency() const {
  ParamLayout L(spec_);
  const int C = spec_.channels;
  std::vector<float> A(static_cast<size_t>(C) * C);
  dag::adjacency(C, params_.data() + L.dag_logits.off, spec_.notears, spec_.dag_temperature, A.data());
  return A;
}

// ---- serialisation -------------------------------------------------------------------------

namespace {

constexpr uint32_t kMagic = 0x464D4D4Du;  // "MMMF" little-endian
// Version history: 1 = first release; 2 = FitConfig::transform_lr_mult added (version 1 still reads);
// 3 = adstock lag blend (FitConfig::adstock_delay, _init; ModelSpec::adstock_delay). Older versions
// read as models without the lag blend; 4 = FitConfig::notears_data_weight (older: 0, as trained);
// 5 = local level (FitConfig::level_knot_weeks, level_smoothness) and the one-sided attribution prior.
constexpr uint32_t kVersion = 5;

using Writer = ByteWriter;
using Reader = ByteReader;

// One list of fields serves both directions, so reader and writer cannot drift apart.
template <class IO, class Cfg>
void config_fields(IO& io, Cfg& c, uint32_t version) {
  io.i(c.holdout_weeks);
  io.d(c.holdout_ratio);
  io.i(c.validation_weeks);
  io.i(c.burn_in_weeks);
  io.s(c.media_scaling);
  io.bo(c.control_per_region);
  io.bo(c.robust_controls);
  io.d(c.control_clip);
  io.i(c.fourier_harmonics);
  io.bo(c.trend);
  io.i(c.hidden);
  io.i(c.control_hidden);
  io.i(c.coef_hidden);
  io.s(c.dag_mode);
  io.d(c.dag_temperature);
  io.d(c.dag_mix_init);
  io.d(c.adstock_max);
  io.d(c.adstock_init);
  io.d(c.hill_slope_min);
  io.d(c.hill_slope_max);
  io.d(c.hill_slope_init);
  io.d(c.dropout);
  io.i(c.epochs);
  io.i(c.warm_start_epochs);
  io.d(c.warm_start_lr_mult);
  io.d(c.learning_rate);
  io.i(c.warmup_epochs);
  if (version >= 2)
    io.d(c.transform_lr_mult);
  else
    c.transform_lr_mult = 1.0;  // what version 1 trained with (the default has changed since)
  if (version >= 3) {
    io.bo(c.adstock_delay);
    io.d(c.adstock_delay_init);
  } else {
    c.adstock_delay = false;
  }
  if (version >= 4)
    io.d(c.notears_data_weight);
  else
    c.notears_data_weight = 0.0;
  if (version >= 5) {
    io.i(c.level_knot_weeks);
    io.d(c.level_smoothness);
    io.bo(c.attribution_prior_one_sided);
    io.d(c.media_share_cap);
    io.d(c.media_share_cap_weight);
  } else {
    c.media_share_cap = 0.0;
    c.level_knot_weeks = 0;  // no local level before format 5
    c.attribution_prior_one_sided = false;
  }
  io.d(c.min_lr_ratio);
  io.d(c.weight_decay);
  io.d(c.beta1);
  io.d(c.beta2);
  io.d(c.adam_eps);
  io.d(c.grad_clip);
  io.d(c.coef_grad_clip);
  io.d(c.global_grad_clip);
  io.i(c.patience);
  io.d(c.min_delta);
  io.bo(c.refit);
  io.d(c.huber_delta);
  io.d(c.attribution_prior_weight);
  io.d(c.attribution_prior_share);
  io.d(c.seasonal_prior_weight);
  io.d(c.coef_reg_weight);
  io.d(c.dag_weight);
  io.d(c.sparsity_weight);
  io.d(c.l1_weight);
  io.d(c.l2_weight);
  io.d(c.region_shrinkage);
  io.i(c.notears_warmup_epochs);
  io.i(c.notears_dual_every);
  io.d(c.notears_lambda1);
  io.d(c.notears_group_l1);
  io.d(c.notears_rho_init);
  io.d(c.notears_alpha_init);
  io.d(c.notears_rho_max);
  io.d(c.notears_dual_factor);
  io.d(c.notears_threshold);
  io.u(c.seed);
  io.i(c.threads);
  io.i(c.chunk_regions);
}

template <class IO, class Spec>
void spec_fields(IO& io, Spec& s) {
  io.i(s.regions);
  io.i(s.channels);
  io.i(s.controls);
  io.i(s.hidden);
  io.i(s.control_hidden);
  io.i(s.coef_hidden);
  io.i(s.coef_hidden2);
  io.i(s.fourier);
  io.bo(s.trend);
  io.bo(s.notears);
  io.d(s.dag_temperature);
  io.d(s.adstock_max);
  io.d(s.slope_min);
  io.d(s.slope_max);
  io.d(s.half_min);
  io.i(s.burn_in);
}

struct Out {
  Writer& w;
  void i(int v) { w.i32(v); }
  void d(double v) { w.f64(v); }
  void bo(bool v) { w.b(v); }
  void s(const std::string& v) { w.str(v); }
  void u(uint64_t v) { w.u64(v); }
};
struct In {
  Reader& r;
  void i(int& v) { v = r.i32(); }
  void d(double& v) { v = r.f64(); }
  void bo(bool& v) { v = r.b(); }
  void s(std::string& v) { v = r.str(); }
  void u(uint64_t& v) { v = r.u64(); }
};

}  // namespace

std::vector<uint8_t> FittedModel::serialize() const {
  static_assert(sizeof(float) == 4 && sizeof(double) == 8, "IEEE float sizes expected");
  Writer w;
  w.u32(kMagic);
  w.u32(kVersion);
  Out o{w};
  FitConfig c = cfg_;
  config_fields(o, c, kVersion);
  ModelSpec s = spec_;
  spec_fields(o, s);
  w.i32(scalers_.regions);
  w.i32(scalers_.channels);
  w.i32(scalers_.controls);
  w.vf(scalers_.media_divisor);
  w.vf(scalers_.control_center);
  w.vf(scalers_.control_scale);
  w.f32(scalers_.control_clip);
  w.vd(scalers_.kpi_mean);
  w.vf(scalers_.adstock_init);
  w.i32(season_.harmonics);
  w.vi(season_.week_of_year);
  w.i32(season_.panel_weeks);
  w.i32(weeks_);
  w.i32(train_weeks_);
  w.i32(fit_weeks_);
  w.vf(params_);
  w.vf(media_);
  w.vf(controls_);
  w.vf(kpi_);
  w.vs(region_names_);
  w.vs(channel_names_);
  w.vs(control_names_);
  return w.out;
}

FittedModel FittedModel::deserialize(const std::vector<uint8_t>& bytes) {
  Reader r(bytes);
  if (bytes.size() < 8 || r.u32() != kMagic) throw InvalidData("model bytes do not start with the MMMF signature");
  uint32_t version = r.u32();
  if (version < 1 || version > kVersion)
    throw InvalidData("model bytes have format version " + std::to_string(version) + "; this build reads version " +
                      std::to_string(kVersion));
  FittedModel m;
  In in{r};
  config_fields(in, m.cfg_, version);
  spec_fields(in, m.spec_);
  m.spec_.adstock_delay = m.cfg_.adstock_delay;  // false for versions < 3
  m.scalers_.regions = r.i32();
  m.scalers_.channels = r.i32();
  m.scalers_.controls = r.i32();
  m.scalers_.media_divisor = r.vf();
  m.scalers_.control_center = r.vf();
  m.scalers_.control_scale = r.vf();
  m.scalers_.control_clip = r.f32();
  m.scalers_.kpi_mean = r.vd();
  m.scalers_.adstock_init = r.vf();
  m.season_.harmonics = r.i32();
  m.season_.week_of_year = r.vi();
  m.season_.panel_weeks = r.i32();
  m.weeks_ = r.i32();
  m.train_weeks_ = r.i32();
  m.fit_weeks_ = r.i32();
  set_level_knots(m.spec_, m.cfg_.level_knot_weeks, m.train_weeks_);  // 0 knots for versions < 5
  m.params_ = r.vf();
  m.media_ = r.vf();
  m.controls_ = r.vf();
  m.kpi_ = r.vf();
  m.region_names_ = r.vs();
  m.channel_names_ = r.vs();
  m.control_names_ = r.vs();
  if (!r.at_end()) throw InvalidData("model bytes have trailing data after the last field");
  // Consistency checks so a corrupt file cannot index out of bounds later.
  const ModelSpec& s = m.spec_;
  const size_t R = s.regions, C = s.channels, K = s.controls, W = m.weeks_;
  bool ok = s.regions > 0 && s.channels > 0 && s.controls >= 0 && m.weeks_ > 0 && s.hidden > 0 &&
            m.params_.size() == ParamLayout(s).total && m.scalers_.media_divisor.size() == R * C &&
            m.scalers_.control_center.size() == R * K && m.scalers_.control_scale.size() == R * K &&
            m.scalers_.kpi_mean.size() == R && m.scalers_.adstock_init.size() == R * C &&
            m.media_.size() == R * W * C && m.controls_.size() == R * W * K && m.kpi_.size() == R * W &&
            m.scalers_.regions == s.regions && m.scalers_.channels == s.channels && m.scalers_.controls == s.controls &&
            s.fourier == 2 * m.season_.harmonics;
  if (!ok) throw InvalidData("model bytes are inconsistent: array sizes do not match the model's dimensions");
  return m;
}

}  // namespace mmm
