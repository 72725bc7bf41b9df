#include "mmm/trainer.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>

#include "mmm/calibration.hpp"
#include "mmm/dag.hpp"
#include "mmm/level_selection.hpp"
#include "mmm/errors.hpp"
#include "mmm/nn.hpp"
#include "mmm/optim.hpp"
#include "mmm/parallel.hpp"

namespace mmm {

namespace {
// Σ media / Σ prediction over weeks [begin, end) of every region (0 when Σ prediction is 0).
double media_share(const Decomposition& d, int begin, int end) {
  double media = 0, total = 0;
  for (int r = 0; r < d.regions; ++r)
    for (int t = begin; t < end; ++t) {
      const size_t i = static_cast<size_t>(r) * d.weeks + t;
      total += d.prediction[i];
      for (int c = 0; c < d.channels; ++c) media += d.media[i * d.channels + c];
    }
  return total != 0 ? media / total : 0.0;
}

using Clock = std::chrono::steady_clock;

double r2_of(double sse, double sy, double syy, double n) {
  if (n <= 0) return std::numeric_limits<double>::quiet_NaN();
  double sst = syy - sy * sy / n;
  if (sst <= 0) return sse <= 0 ? 1.0 : 0.0;
  return 1.0 - sse / sst;
}

}  // namespace

// Builds the model's fixed dimensions from a panel and a config.
ModelSpec make_spec(const Panel& p, const FitConfig& cfg) {
  ModelSpec s;
  s.regions = p.regions;
  s.channels = p.channels;
  s.controls = p.controls;
  s.hidden = cfg.hidden;
  s.control_hidden = cfg.control_hidden > 0 ? cfg.control_hidden : std::max(1, cfg.hidden / 2);
  s.coef_hidden = cfg.coef_hidden > 0 ? cfg.coef_hidden : cfg.hidden;
  s.coef_hidden2 = std::max(1, s.coef_hidden / 2);
  s.fourier = 2 * cfg.fourier_harmonics;
  s.trend = cfg.trend;
  s.notears = cfg.dag_mode == "notears";
  s.dag_temperature = cfg.dag_temperature;
  s.adstock_max = cfg.adstock_max;
  s.slope_min = cfg.hill_slope_min;
  s.slope_max = cfg.hill_slope_max;
  s.half_min = 0.01;
  s.burn_in = cfg.burn_in_weeks;
  s.adstock_delay = cfg.adstock_delay;
  set_level_knots(s, cfg.level_knot_weeks, p.weeks - cfg.holdout_for(p.weeks));
  return s;
}

// Centred, normalised week index for the trend: u_t = (t - (Ttr - 1) / 2) / Ttr.
std::vector<float> trend_series(int weeks, int train_weeks) {
  std::vector<float> u(weeks);
  for (int t = 0; t < weeks; ++t) u[t] = static_cast<float>((t - 0.5 * (train_weeks - 1)) / train_weeks);
  return u;
}

struct Trainer::Impl {
  Panel panel;
  FitConfig cfg;
  ModelSpec spec;
  ParamLayout L;
  Scalers sc;
  Seasonality season;
  int T = 0, Ttr = 0, Tfit = 0, Thold = 0, V = 0;
  std::vector<float> xm, xc, y;  // scaled, region-major, all weeks
  std::vector<float> fourier, trend;
  dag::SemStatistics sem;  // NOTEARS data term statistics (empty unless dag_mode is notears)

  struct Chunk {
    int r0 = 0, n = 0;
    std::vector<float> xm, xc, y, a0;
    std::vector<double> kpi_mean;          // [n] KPI units per scaled unit (ROI priors, experiments)
    std::vector<std::vector<double>> readout;  // [experiment][Ttr*n] 1 on the experiment's readout cells
    std::vector<float> xm_off;             // media with an experiment's channel switched off
  };
  // Calibration state (FitConfig::experiments, roi_priors, bootstrap_seed).
  std::vector<float> week_weight;              // [Ttr] bootstrap weights (empty: none)
  std::vector<std::vector<double>> spend_week; // [C][Ttr] spend summed over regions (ROI priors)
  std::vector<MeasuredLift> targets;           // per experiment
  // The ROI priors the fit uses: the user's, then one per experiment whose ROI is carried to the
  // channel's whole training period (FitConfig::experiment_roi_prior_weight).
  std::vector<RoiPrior> priors;
  // [C] 1 for channels with ROI priors when FitConfig::share_cap_exempts_priors (off by default):
  // the media share cap does not pull on them (model.hpp PassOptions::share_cap_exempt).
  std::vector<uint8_t> share_cap_exempt;
  std::vector<double> lift_prev, contrib_prev; // last epoch's model lifts and channel contributions
  bool have_prev = false;
  double mse_prev = 0;                         // last epoch's scaled training MSE
  std::vector<std::vector<double>> chunk_base_sum, chunk_off_sum;  // [chunk][experiment]
  std::vector<Chunk> chunks;

  std::vector<float> params, best_params, init_snapshot;
  optim::AdamW adam;
  std::vector<optim::Segment> seg_main, seg_warm;
  std::unique_ptr<ThreadPool> pool;
  std::vector<std::unique_ptr<Workspace<float>>> workspaces;
  std::vector<Workspace<float>*> free_ws;
  std::mutex ws_mutex;
  std::vector<std::vector<float>> chunk_grads;
  std::vector<PassStats> chunk_stats;
  std::vector<float> grad;
  std::vector<double> grad_acc;

  int epoch = 0;        // global epoch counter (selection + refit)
  int phase_epoch = 0;  // epoch within the current phase (selection or refit)
  int phase_start = 0;  // global epoch at which the current phase began
  // Local level chosen on the validation slice (FitConfig::select_level): candidate 0 trains with the
  // level, candidate 1 with it frozen at zero; the one with the lower validation loss is refitted.
  int candidate = 0;
  bool level_frozen = false;
  struct CandidateResult {
    double val = std::numeric_limits<double>::infinity();
    int best_epoch = -1, phase_start = 0;
    std::vector<float> params;
    Metrics validation;
    LevelCandidate errors;  // its validation cells' errors and media share
  } with_level;
  LevelCandidate selection_errors;  // of the current selection's best weights
  double val_with_level = std::numeric_limits<double>::quiet_NaN(), val_without_level = std::numeric_limits<double>::quiet_NaN();
  double share_with_level = std::numeric_limits<double>::quiet_NaN(), share_without_level = std::numeric_limits<double>::quiet_NaN();
  bool refitting = false;
  int refit_main = 0;   // main epochs of the refit (selected by early stopping)
  int warm_epochs = 0, main_epochs = 0;
  double best_val = std::numeric_limits<double>::infinity();
  int best_epoch = -1, bad_epochs = 0;
  bool done = false;
  // NOTEARS duals
  double rho = 1, alpha_dual = 0, h_prev = std::numeric_limits<double>::infinity();
  std::vector<EpochReport> history;
  double elapsed = 0;
  std::atomic<bool> cancelled{false};
  bool finished_called = false;
  double prev_media = 0, prev_total = 0;  // last epoch's Σ media and Σ prediction (share cap)
  bool have_selection_validation = false;
  Metrics selection_validation;  // validation slice scored with the selected weights (before refit)

  ChunkInput<float> input(const Chunk& ch, int weeks) const {
    ChunkInput<float> in;
    in.T = weeks;
    in.n = ch.n;
    in.r0 = ch.r0;
    in.xm = ch.xm.data();
    in.xc = ch.xc.data();
    in.y = ch.y.data();
    in.a0 = ch.a0.data();
    in.fourier = fourier.data();
    in.trend = trend.data();
    if (!week_weight.empty()) in.week_weight = week_weight.data();
    in.kpi_mean = ch.kpi_mean.data();
    return in;
  }

  Workspace<float>* acquire() {
    std::lock_guard<std::mutex> lock(ws_mutex);
    Workspace<float>* w = free_ws.back();
    free_ws.pop_back();
    return w;
  }
  void release(Workspace<float>* w) {
    std::lock_guard<std::mutex> lock(ws_mutex);
    free_ws.push_back(w);
  }

  void setup(const Panel& p, const FitConfig& c);
  void build_chunks();
  void build_segments();
  void data_init();
  void align_generators();
  void start_at_priors();
  // Channel c's spend over weeks [0, loss_end), all regions (the denominator of an ROI prior).
  double loss_spend(int c, int loss_end) const {
    double s = 0;
    for (int t = 0; t < loss_end; ++t) s += spend_week[c][t];
    return s;
  }
  void end_selection();
  void restart_phase();
  void set_level_frozen(bool frozen);
  void step();
};

void Trainer::Impl::setup(const Panel& p, const FitConfig& c) {
  p.validate();
  c.validate(p);
  panel = p;
  cfg = c;
  T = p.weeks;
  Thold = cfg.holdout_for(T);
  Ttr = T - Thold;
  V = cfg.validation_weeks;
  Tfit = Ttr - V;
  spec = make_spec(p, cfg);
  L = ParamLayout(spec);
  sc.fit(p, Ttr, cfg);
  season = Seasonality::from_panel(p, cfg.fourier_harmonics);
  const size_t cells = static_cast<size_t>(p.regions) * T;
  xm.resize(cells * p.channels);
  xc.resize(cells * p.controls);
  y.resize(cells);
  sc.scale_media(p.media.data(), T, xm.data());
  sc.scale_controls(p.control_values.data(), T, xc.data());
  sc.scale_kpi(p.kpi.data(), T, y.data());
  fourier = season.basis(T);
  trend = trend_series(T, Ttr);
  // Exposure = spend through a geometric adstock of decay 0.5 (a typical media memory; the learned
  // decays are not known yet, and the statistics stay fixed so the term is a plain quadratic in A).
  if (spec.notears && cfg.notears_data_weight > 0)
    sem = dag::sem_statistics(p.regions, T, p.channels, Tfit, xm.data(), 0.5);
  build_chunks();
  if (cfg.bootstrap_seed > 0) week_weight = block_bootstrap_weights(Ttr, cfg.bootstrap_block_weeks, static_cast<uint64_t>(cfg.bootstrap_seed));
  for (const Experiment& e : cfg.experiments)
    targets.push_back(measured_lift(e, experiment_spend(p.spend, p.regions, T, p.channels, e)));
  priors = cfg.roi_priors;
  if (cfg.experiment_roi_prior_weight > 0)
    for (size_t e = 0; e < cfg.experiments.size(); ++e) {
      const double sp = experiment_spend(p.spend, p.regions, T, p.channels, cfg.experiments[e]);
      if (!(sp > 0) || cfg.experiments[e].end_week >= Tfit) continue;  // no spend to price, or not in the fit weeks
      RoiPrior q;
      q.channel = cfg.experiments[e].channel;
      q.mean = targets[e].lift / sp;
      q.sd = targets[e].se / sp / std::sqrt(cfg.experiment_roi_prior_weight);
      priors.push_back(q);
    }
  if (cfg.share_cap_exempts_priors && !priors.empty() && cfg.calibration_weight > 0) {
    share_cap_exempt.assign(p.channels, 0);
    for (const RoiPrior& q : priors) share_cap_exempt[q.channel] = 1;
  }
  if (!priors.empty()) {
    spend_week.assign(p.channels, std::vector<double>(Ttr, 0.0));
    for (int r = 0; r < p.regions; ++r)
      for (int t = 0; t < Ttr; ++t)
        for (int c = 0; c < p.channels; ++c) spend_week[c][t] += p.spend[(static_cast<size_t>(r) * T + t) * p.channels + c];
  }
  lift_prev.assign(cfg.experiments.size(), 0.0);
  chunk_base_sum.assign(chunks.size(), std::vector<double>(cfg.experiments.size(), 0.0));
  chunk_off_sum = chunk_base_sum;
  init_params(spec, L, cfg.seed, params);
  pool.reset(new ThreadPool(cfg.threads));
  for (int i = 0; i < pool->threads(); ++i) {
    workspaces.emplace_back(new Workspace<float>());
    free_ws.push_back(workspaces.back().get());
  }
  chunk_grads.assign(chunks.size(), std::vector<float>(L.total, 0.0f));
  chunk_stats.assign(chunks.size(), PassStats());
  grad.assign(L.total, 0.0f);
  grad_acc.assign(L.total, 0.0);
  data_init();
  init_snapshot = params;
  build_segments();
  adam = optim::AdamW(L.total, cfg.beta1, cfg.beta2, cfg.adam_eps);
  warm_epochs = cfg.warm_start_epochs;
  main_epochs = cfg.epochs;
  rho = cfg.notears_rho_init;
  alpha_dual = cfg.notears_alpha_init;
  if (warm_epochs == 0) align_generators();
}

// Model selection is over: either finish, or restart from the same initialisation and train on
// ALL training weeks (validation slice included) for the selected number of epochs, with the same
// schedule. The most recent weeks then inform the level and trend the forecast starts from.
void Trainer::Impl::end_selection() {
  const bool can_select = V > 0 && best_epoch >= 0;
  // Score the validation slice with the selected weights now: after the refit those weeks are
  // training data and would no longer give an honest number.
  if (can_select) {
    FittedModel sel(cfg, spec, sc, season, best_params, panel, Ttr, Tfit);
    Decomposition d = sel.decompose();
    selection_validation = score(panel.kpi, d.prediction, panel.regions, T, Tfit, Ttr, Tfit);
    have_selection_validation = true;
    selection_errors.sq_err.clear();
    for (int r = 0; r < panel.regions; ++r)
      for (int t = Tfit; t < Ttr; ++t) {
        const size_t i = static_cast<size_t>(r) * T + t;
        const double e = (static_cast<double>(d.prediction[i]) - panel.kpi[i]) / sc.kpi_mean[r];
        selection_errors.sq_err.push_back(e * e);
      }
    selection_errors.media_share = media_share(d, std::min(cfg.burn_in_weeks, Tfit - 1), Tfit);
  }
  if (can_select && cfg.select_level && spec.level_knots > 0) {
    if (candidate == 0) {
      // Keep the level's result and train the same model with the level frozen at zero.
      with_level = CandidateResult{best_val, best_epoch, phase_start, best_params, selection_validation, selection_errors};
      val_with_level = best_val;
      candidate = 1;
      set_level_frozen(true);
      best_val = std::numeric_limits<double>::infinity();
      best_epoch = -1;
      bad_epochs = 0;
      restart_phase();
      return;
    }
    val_without_level = best_val;
    share_with_level = with_level.errors.media_share;
    share_without_level = selection_errors.media_share;
    const LevelTieBreak tie{cfg.level_tie_prefers_less_media, cfg.level_tie_cap_margin, cfg.media_share_cap_weight > 0 ? cfg.media_share_cap : 0.0};
    if (keep_level(with_level.errors, selection_errors, tie)) {
      set_level_frozen(false);
      best_params = with_level.params;
      best_epoch = with_level.best_epoch;
      selection_validation = with_level.validation;
      phase_start = with_level.phase_start;
    }
  }
  if (!cfg.refit || !can_select) {
    done = true;
    return;
  }
  refitting = true;
  refit_main = best_epoch - phase_start - warm_epochs + 1;
  restart_phase();
}

void Trainer::Impl::set_level_frozen(bool frozen) {
  level_frozen = frozen;
  for (std::vector<optim::Segment>* segs : {&seg_main, &seg_warm})
    for (optim::Segment& sg : *segs)
      if (sg.offset == L.level.off && sg.size == L.level.size && L.level.size > 0) sg.frozen = frozen;
  if (frozen)
    for (size_t k = 0; k < L.level.size; ++k) init_snapshot[L.level.off + k] = 0.0f;
}

// A new phase (the next candidate, or the refit) from the same initialisation.
void Trainer::Impl::restart_phase() {
  prev_media = prev_total = 0;
  have_prev = false;
  params = init_snapshot;
  adam = optim::AdamW(L.total, cfg.beta1, cfg.beta2, cfg.adam_eps);
  rho = cfg.notears_rho_init;
  alpha_dual = cfg.notears_alpha_init;
  h_prev = std::numeric_limits<double>::infinity();
  phase_epoch = 0;
  phase_start = epoch;
  if (warm_epochs == 0) align_generators();
}

void Trainer::Impl::build_chunks() {
  const int R = panel.regions, C = panel.channels, K = panel.controls;
  Chunking ck = fixed_chunks(R, cfg.chunk_regions);
  chunks.resize(ck.chunks);
  for (int c = 0; c < ck.chunks; ++c) {
    Chunk& ch = chunks[c];
    ch.r0 = ck.begin(c);
    ch.n = ck.end(c) - ch.r0;
    const int n = ch.n;
    ch.xm.resize(static_cast<size_t>(Ttr) * n * C);
    ch.xc.resize(static_cast<size_t>(Ttr) * n * K);
    ch.y.resize(static_cast<size_t>(Ttr) * n);
    ch.a0.resize(static_cast<size_t>(n) * C);
    for (int t = 0; t < Ttr; ++t)
      for (int i = 0; i < n; ++i) {
        const size_t src = static_cast<size_t>(ch.r0 + i) * T + t;
        const size_t dst = static_cast<size_t>(t) * n + i;
        for (int j = 0; j < C; ++j) ch.xm[dst * C + j] = xm[src * C + j];
        for (int k = 0; k < K; ++k) ch.xc[dst * K + k] = xc[src * K + k];
        ch.y[dst] = y[src];
      }
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < C; ++j)
        ch.a0[static_cast<size_t>(i) * C + j] = sc.adstock_init[static_cast<size_t>(ch.r0 + i) * C + j];
    ch.kpi_mean.resize(n);
    for (int i = 0; i < n; ++i) ch.kpi_mean[i] = sc.kpi_mean[ch.r0 + i];
    ch.readout.assign(cfg.experiments.size(), {});
  }
}

void Trainer::Impl::build_segments() {
  seg_main.clear();
  seg_warm.clear();
  for (const SlotInfo& si : L.slots) {
    optim::Segment s;
    s.offset = si.slot.off;
    s.size = si.slot.size;
    s.lr_mult = si.group == ParamGroup::Transform ? cfg.transform_lr_mult : 1.0;
    s.weight_decay = si.matrix ? cfg.weight_decay : 0.0;
    s.clip_group = si.coef_clip ? 1 : 0;
    seg_main.push_back(s);
    // Warm start: static coefficients, so the networks (which only shape the time variation) and
    // the generator caps are frozen.
    optim::Segment w = s;
    bool stable = si.name == "stable_media" || si.name == "stable_ctrl";
    w.frozen = (si.group == ParamGroup::Network || si.group == ParamGroup::Coefficient) && !stable;
    seg_warm.push_back(w);
  }
}

// Data-driven initialisation: Hill half-saturation from the data, then a ridge regression of the
// scaled KPI on the transformed media, the controls, the seasonal basis and the trend with region
// fixed effects. It sets the stable coefficients, the generators' output biases (so the generated
// coefficients start there), the seasonal and trend coefficients and each region's baseline, so
// the initial prediction already matches the data's level (the reference starts ~5x too high).
void Trainer::Impl::data_init() {
  const int R = spec.regions, C = spec.channels, K = spec.controls, F = spec.fourier;
  float* P = params.data();
  for (int c = 0; c < C; ++c) {
    P[L.alpha.off + c] = static_cast<float>(nn::logit(cfg.adstock_init / cfg.adstock_max));
    if (spec.adstock_delay) P[L.delay.off + c] = static_cast<float>(nn::logit(cfg.adstock_delay_init));
    P[L.slope.off + c] = static_cast<float>(
        nn::logit((cfg.hill_slope_init - cfg.hill_slope_min) / (cfg.hill_slope_max - cfg.hill_slope_min)));
    // Half-saturation: the median of the channel's non-zero scaled values, so the Hill curve starts
    // in its responsive range.
    std::vector<float> v;
    for (int r = 0; r < R; ++r)
      for (int t = 0; t < Tfit; ++t) {
        float x = xm[(static_cast<size_t>(r) * T + t) * C + c];
        if (x > 0) v.push_back(x);
      }
    double g = 1.0;
    if (!v.empty()) {
      std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
      g = v[v.size() / 2];
    }
    g = std::clamp(g, 0.1, 10.0);
    P[L.half.off + c] = static_cast<float>(nn::softplus_inv(g - spec.half_min));
    P[L.dag_mix.off + c] = static_cast<float>(nn::logit(cfg.dag_mix_init));
  }
  // Transformed media at the initial transforms.
  std::vector<float> mm(static_cast<size_t>(R) * Tfit * C);
  PassOptions opt;
  opt.all_stable = true;
  for (const Chunk& ch : chunks) {
    Workspace<float>& ws = *workspaces[0];
    ChunkInput<float> in = input(ch, Tfit);
    forward(spec, L, P, in, opt, ws);
    for (int t = 0; t < Tfit; ++t)
      for (int i = 0; i < ch.n; ++i)
        for (int c = 0; c < C; ++c)
          mm[(static_cast<size_t>(ch.r0 + i) * Tfit + t) * C + c] = ws.m[(static_cast<size_t>(t) * ch.n + i) * C + c];
  }
  // Ridge with region fixed effects (within transformation), non-negative media coefficients by
  // an active set: channels with a negative estimate are fixed at a small floor and refitted.
  const int nt = spec.trend ? 1 : 0;
  const int Pn = C + K + F + nt;
  auto feature = [&](int r, int t, int j) -> double {
    if (j < C) return mm[(static_cast<size_t>(r) * Tfit + t) * C + j];
    j -= C;
    if (j < K) return xc[(static_cast<size_t>(r) * T + t) * K + j];
    j -= K;
    if (j < F) return fourier[static_cast<size_t>(t) * F + j];
    return trend[t];
  };
  Eigen::MatrixXd XtX = Eigen::MatrixXd::Zero(Pn, Pn);
  Eigen::VectorXd Xty = Eigen::VectorXd::Zero(Pn);
  Eigen::VectorXd row(Pn), mean(Pn);
  for (int r = 0; r < R; ++r) {
    mean.setZero();
    double ym = 0;
    for (int t = 0; t < Tfit; ++t) {
      for (int j = 0; j < Pn; ++j) mean[j] += feature(r, t, j);
      ym += y[static_cast<size_t>(r) * T + t];
    }
    mean /= Tfit;
    ym /= Tfit;
    for (int t = 0; t < Tfit; ++t) {
      for (int j = 0; j < Pn; ++j) row[j] = feature(r, t, j) - mean[j];
      double yy = y[static_cast<size_t>(r) * T + t] - ym;
      XtX.selfadjointView<Eigen::Lower>().rankUpdate(row);
      Xty += row * yy;
    }
  }
  XtX = XtX.selfadjointView<Eigen::Lower>();
  double lam = 1e-3 * std::max(1e-12, XtX.diagonal().mean());
  const double floor_beta = 0.01;
  std::vector<bool> fixed(C, false);
  Eigen::VectorXd coef = Eigen::VectorXd::Zero(Pn);
  for (int iter = 0; iter <= C; ++iter) {
    std::vector<int> idx;
    for (int j = 0; j < Pn; ++j)
      if (j >= C || !fixed[j]) idx.push_back(j);
    const int m = static_cast<int>(idx.size());
    Eigen::MatrixXd A(m, m);
    Eigen::VectorXd b(m);
    for (int a = 0; a < m; ++a) {
      b[a] = Xty[idx[a]];
      for (int j = 0; j < C; ++j)
        if (fixed[j]) b[a] -= XtX(idx[a], j) * floor_beta;
      for (int c = 0; c < m; ++c) A(a, c) = XtX(idx[a], idx[c]);
      A(a, a) += lam;
    }
    Eigen::VectorXd sol = A.ldlt().solve(b);
    coef.setZero();
    for (int j = 0; j < C; ++j)
      if (fixed[j]) coef[j] = floor_beta;
    for (int a = 0; a < m; ++a) coef[idx[a]] = sol[a];
    int worst = -1;
    for (int j = 0; j < C; ++j)
      if (!fixed[j] && coef[j] < floor_beta && (worst < 0 || coef[j] < coef[worst])) worst = j;
    if (worst < 0) break;
    fixed[worst] = true;
  }
  for (int j = 0; j < Pn; ++j)
    if (!std::isfinite(coef[j])) coef[j] = j < C ? floor_beta : 0.0;
  for (int c = 0; c < C; ++c) {
    double b = std::max(coef[c], floor_beta);
    P[L.stable_media.off + c] = static_cast<float>(nn::softplus_inv(b));
  }
  for (int k = 0; k < K; ++k) P[L.stable_ctrl.off + k] = static_cast<float>(coef[C + k]);
  for (int j = 0; j < F; ++j) P[L.seas_global.off + j] = static_cast<float>(coef[C + K + j]);
  if (spec.trend) P[L.trend_global.off] = static_cast<float>(coef[C + K + F]);
  // Baselines: what the regressors leave of each region's mean.
  const double bias = nn::softplus(static_cast<double>(P[L.bias.off]));
  for (int r = 0; r < R; ++r) {
    double acc = 0;
    for (int t = 0; t < Tfit; ++t) {
      double v = y[static_cast<size_t>(r) * T + t];
      for (int c = 0; c < C; ++c) v -= std::max(coef[c], floor_beta) * feature(r, t, c);
      for (int j = C; j < Pn; ++j) v -= coef[j] * feature(r, t, j);
      acc += v;
    }
    double base = acc / Tfit - bias;
    P[L.region_base.off + r] = static_cast<float>(nn::softplus_inv(std::max(base, 0.01)));
  }
  align_generators();
}

// At the end of the warm start (every week on the stable coefficients, so a channel's contribution is
// proportional to softplus(stable)), scales each channel that has ROI priors so that its ROI over the
// loss weeks starts at the priors' precision-weighted mean; align_generators then carries it into the
// generated coefficients. Why: the priors' pull on a channel is slow (Adam moves the one coefficient
// cap by about the learning rate per epoch while the coefficient network follows the data), and the
// refit ends after the selected number of epochs, which on the example data left Search's ROI at
// 6.6 while the selection run had reached 5.7 (prior 5.07). Training then moves it wherever the data
// and the priors together put it.
void Trainer::Impl::start_at_priors() {
  if (!(cfg.start_at_priors > 0) || cfg.calibration_weight <= 0 || priors.empty() || !have_prev) return;
  const int loss_end = refitting ? Ttr : Tfit;
  for (int c = 0; c < spec.channels; ++c) {
    double precision = 0, weighted = 0;
    for (const RoiPrior& q : priors)
      if (q.channel == c) precision += 1.0 / (q.sd * q.sd), weighted += q.mean / (q.sd * q.sd);
    const double spend = loss_spend(c, loss_end);
    if (precision == 0 || !(spend > 0) || !(contrib_prev[c] > 0)) continue;
    const double factor = std::pow((weighted / precision) / (contrib_prev[c] / spend), cfg.start_at_priors);
    float& stable = params[L.stable_media.off + c];
    stable = static_cast<float>(nn::softplus_inv(std::max(factor * nn::softplus(static_cast<double>(stable)), 1e-6)));
  }
}

// Sets the coefficient caps and the generators' output biases so that the generated coefficients
// equal the stable ones where the generator's hidden layers are neutral.
void Trainer::Impl::align_generators() {
  float* P = params.data();
  for (int c = 0; c < spec.channels; ++c) {
    double b = nn::softplus(static_cast<double>(P[L.stable_media.off + c]));
    double cap = std::max(2.5 * b, 0.2);
    P[L.media_cap.off + c] = static_cast<float>(nn::softplus_inv(cap - 0.1));
    double capv = nn::softplus(static_cast<double>(P[L.media_cap.off + c])) + 0.1;
    P[L.mg_b3.off + c] = static_cast<float>(nn::logit(b / capv));
  }
  for (int k = 0; k < spec.controls; ++k) {
    double g = P[L.stable_ctrl.off + k];
    double cap = std::max(2.5 * std::fabs(g), 0.2);
    P[L.ctrl_cap.off + k] = static_cast<float>(nn::softplus_inv(cap - 0.1));
    double capv = nn::softplus(static_cast<double>(P[L.ctrl_cap.off + k])) + 0.1;
    double q = std::clamp(g / capv, -0.999, 0.999);
    P[L.cg_b3.off + k] = static_cast<float>(std::atanh(q));
  }
}

void Trainer::Impl::step() {
  const bool warm = phase_epoch < warm_epochs;
  const int me = phase_epoch - warm_epochs;  // main epoch index (negative in warm start)
  const int loss_end = refitting ? Ttr : Tfit;
  PassOptions opt;
  opt.loss_end = loss_end;
  opt.val_end = Ttr;
  opt.score_begin = std::min(cfg.burn_in_weeks, Tfit - 1);
  opt.loss_norm = 1.0 / (static_cast<double>(spec.regions) * loss_end);
  opt.loss = warm ? LossKind::Mse : LossKind::Huber;
  opt.huber_delta = cfg.huber_delta;
  opt.attr_weight = cfg.attribution_prior_weight;
  opt.attr_share = cfg.attribution_prior_share;
  opt.attr_one_sided = cfg.attribution_prior_one_sided;
  if (cfg.media_share_cap > 0 && prev_total > 0) {
    const double share = prev_media / prev_total;
    opt.share_cap_ref = share;
    opt.share_cap_coef = 2.0 * cfg.media_share_cap_weight * std::max(0.0, share - cfg.media_share_cap) / prev_total;
    if (!share_cap_exempt.empty()) opt.share_cap_exempt = share_cap_exempt.data();
  }
  opt.coef_reg = cfg.coef_reg_weight;
  opt.all_stable = warm;
  opt.dropout = warm ? 0.0 : cfg.dropout;
  opt.seed = cfg.seed;
  opt.epoch = epoch;

  // Calibration terms, linearised at the previous epoch like the share cap. Their weight puts a
  // Gaussian log-likelihood on the data loss's scale: loss ~ mean of e²/2 = σ² (-log lik) / N, so a
  // term (x - m)² / s² enters as σ² / (2N) (x - m)² / s², σ² the training MSE (scaled).
  const double w_cal = cfg.calibration_weight * mse_prev * opt.loss_norm / 2.0;
  const int E = static_cast<int>(cfg.experiments.size());
  std::vector<double> roi_coef, exp_coef(E, 0.0);
  std::vector<bool> exp_active(E, false);
  for (int e = 0; e < E; ++e) exp_active[e] = cfg.experiments[e].end_week < loss_end;  // whole window in the loss weeks
  // Each ROI prior's spend over this phase's loss weeks (the ROI's denominator), used twice below.
  std::vector<double> prior_spend(priors.size(), 0.0);
  for (size_t i = 0; i < priors.size(); ++i) prior_spend[i] = loss_spend(priors[i].channel, loss_end);
  if (!priors.empty()) {
    opt.track_contrib = true;
    roi_coef.assign(spec.channels, 0.0);
    if (have_prev)
      for (size_t i = 0; i < priors.size(); ++i) {
        const RoiPrior& q = priors[i];
        const double sp = prior_spend[i];
        if (sp <= 0) continue;
        const double roi = contrib_prev[q.channel] / sp;
        roi_coef[q.channel] += 2.0 * w_cal * (roi - q.mean) / (q.sd * q.sd) / sp;
      }
    opt.roi_coef = roi_coef.data();
  }
  if (have_prev)
    for (int e = 0; e < E; ++e)
      if (exp_active[e]) exp_coef[e] = 2.0 * w_cal * (lift_prev[e] - targets[e].lift) / (targets[e].se * targets[e].se);
  // Each experiment's readout weeks at the current carryover (calibration.hpp), within the loss weeks.
  std::vector<int> readout_end(E, 0);
  for (int e = 0; e < E; ++e) {
    const Experiment& x = cfg.experiments[e];
    readout_end[e] = readout_end_week(x, adstock_decay(spec, L, params.data(), x.channel), spec.adstock_delay, loss_end - 1);
  }

  const float* P = params.data();
  pool->run(static_cast<int>(chunks.size()), [&](int c) {
    Workspace<float>* ws = acquire();
    std::vector<float>& g = chunk_grads[c];
    std::fill(g.begin(), g.end(), 0.0f);
    chunk_stats[c] = PassStats();
    Chunk& ch = chunks[c];
    ChunkInput<float> in = input(ch, Ttr);
    try {
      forward(spec, L, P, in, opt, *ws);
      // Each active experiment's lift: the channel's own media term over the readout cells, minus the
      // same in a counterfactual pass with the channel off in the test's regions and weeks. Its
      // gradient goes straight into g, and only to the channel's coefficient cap and stable
      // coefficient. Why: with every parameter free, training met a test by bending the channel's
      // coefficient inside the test weeks, by lengthening its carryover, or by shaping what the network
      // predicts for the counterfactual (an input it never sees in the data), and the ROI outside the
      // window did not move (mmm_roas_data: x1 decay 0.33 -> 0.73, ROAS 75 -> 142, holdout skill
      // 0.87 -> 0.34). The test's ROI reaches the rest of the model through its ROI prior instead.
      const int n = ch.n;
      std::vector<int> touched;  // experiments with test regions in this chunk
      for (int e = 0; e < E; ++e) {
        chunk_base_sum[c][e] = chunk_off_sum[c][e] = 0;
        if (!exp_active[e]) continue;
        const Experiment& x = cfg.experiments[e];
        std::vector<double>& cw = ch.readout[e];
        cw.assign(static_cast<size_t>(Ttr) * n, 0.0);
        bool any = false;
        for (int i = 0; i < n; ++i) {
          if (!covers_region(x, ch.r0 + i)) continue;
          for (int t = x.start_week; t <= readout_end[e]; ++t) cw[static_cast<size_t>(t) * n + i] = 1.0;
          any = true;
        }
        if (!any) continue;
        touched.push_back(e);
        chunk_base_sum[c][e] = media_term(spec, L, P, in, *ws, opt.all_stable, x.channel, cw.data(), exp_coef[e], g.data());
      }
      backward(spec, L, P, in, opt, *ws, g.data(), chunk_stats[c]);
      for (int e : touched) {
        const Experiment& x = cfg.experiments[e];
        ch.xm_off = ch.xm;
        for (int i = 0; i < n; ++i)
          if (covers_region(x, ch.r0 + i))
            for (int t = x.start_week; t <= x.end_week; ++t) ch.xm_off[(static_cast<size_t>(t) * n + i) * spec.channels + x.channel] = 0.0f;
        ChunkInput<float> in_off = in;
        in_off.xm = ch.xm_off.data();
        forward(spec, L, P, in_off, opt, *ws);
        chunk_off_sum[c][e] = media_term(spec, L, P, in_off, *ws, opt.all_stable, x.channel, ch.readout[e].data(), -exp_coef[e], g.data());
      }
    } catch (...) {
      release(ws);
      throw;
    }
    release(ws);
  });
  // Reduce in chunk order (deterministic for any thread count).
  std::fill(grad_acc.begin(), grad_acc.end(), 0.0);
  PassStats st;
  for (size_t c = 0; c < chunks.size(); ++c) {
    const std::vector<float>& g = chunk_grads[c];
    for (size_t k = 0; k < g.size(); ++k) grad_acc[k] += g[k];
    st.add(chunk_stats[c]);
  }
  for (size_t k = 0; k < grad.size(); ++k) grad[k] = static_cast<float>(grad_acc[k]);

  PenaltyOptions po;
  po.dag.notears = spec.notears;
  po.dag.tau = spec.dag_temperature;
  po.dag.active = spec.notears && !warm && me >= cfg.notears_warmup_epochs;
  po.dag.rho = rho;
  po.dag.alpha = alpha_dual;
  po.dag.lambda1 = cfg.notears_lambda1;
  po.dag.group_l1 = cfg.notears_group_l1;
  po.dag.sem_weight = warm ? 0.0 : cfg.notears_data_weight;
  po.dag.sem_gee = &sem.gee;
  po.dag.sem_gex = &sem.gex;
  po.dag_weight = cfg.dag_weight;
  po.sparsity_weight = cfg.sparsity_weight;
  po.l1 = cfg.l1_weight;
  po.l2 = cfg.l2_weight;
  po.seasonal_prior = cfg.seasonal_prior_weight;
  po.region_shrinkage = cfg.region_shrinkage;
  po.level_smoothness = cfg.level_smoothness;
  po.level_detrend = cfg.level_detrend;
  double pen = penalty(spec, L, P, po, grad.data());
  prev_media = st.media;
  prev_total = st.total;
  // Calibration: the true penalty values at this epoch, and the state the next epoch linearises at.
  double cal_z2 = 0;  // Σ z² of the calibration terms (model selection)
  for (int e = 0; e < E; ++e) {
    double lift = 0;
    for (size_t c = 0; c < chunks.size(); ++c) lift += chunk_base_sum[c][e] - chunk_off_sum[c][e];
    lift_prev[e] = lift;
    if (exp_active[e]) {
      const double z = (lift - targets[e].lift) / targets[e].se;
      pen += w_cal * z * z;
      cal_z2 += z * z;
    }
  }
  if (!priors.empty()) {
    contrib_prev = st.contrib;
    contrib_prev.resize(spec.channels, 0.0);
    for (size_t i = 0; i < priors.size(); ++i) {
      const RoiPrior& q = priors[i];
      const double sp = prior_spend[i];
      if (sp <= 0) continue;
      const double z = (contrib_prev[q.channel] / sp - q.mean) / q.sd;
      pen += w_cal * z * z;
      cal_z2 += z * z;
    }
  }
  mse_prev = st.tr_n > 0 ? st.tr_sse / st.tr_n : 0.0;
  have_prev = true;
  if (cfg.media_share_cap > 0 && st.total > 0) {
    const double over = std::max(0.0, st.media / st.total - cfg.media_share_cap);
    pen += cfg.media_share_cap_weight * over * over;  // the true value (the per-cell term is its linearisation)
  }
  double total = st.loss + st.attr + st.coef + pen;
  if (!std::isfinite(total))
    throw NumericFailure("training diverged at epoch " + std::to_string(epoch) +
                         " (loss is not finite); try a smaller learning_rate (now " +
                         std::to_string(cfg.learning_rate) + ")");

  EpochReport rep;
  rep.epoch = epoch;
  rep.total_epochs = refitting ? static_cast<int>(history.size()) + (warm_epochs + refit_main - phase_epoch)
                               : phase_start + warm_epochs + main_epochs;
  rep.warm_start = warm;
  rep.refit = refitting;
  rep.train_loss = total;
  rep.train_r2 = r2_of(st.tr_sse, st.tr_sy, st.tr_syy, st.tr_n);
  rep.val_loss = st.va_n > 0 ? st.va_sse / st.va_n : std::numeric_limits<double>::quiet_NaN();
  rep.val_r2 = r2_of(st.va_sse, st.va_sy, st.va_syy, st.va_n);

  // Model selection on the validation slice (main phase only); the weights evaluated here are the
  // pre-update weights of this epoch.
  bool stop = false;
  if (!warm && !refitting && st.va_n > 0) {
    // With calibration, the epoch is chosen by the validation weeks' and the calibration terms' joint
    // Gaussian log-likelihood, per validation cell: MSE + σ² Σ z² / cells, σ² the training MSE. On the
    // data alone, selection would prefer the epochs before calibration had taken effect.
    const double sel = rep.val_loss + cfg.calibration_weight * (st.tr_n > 0 ? st.tr_sse / st.tr_n : 0.0) * cal_z2 / st.va_n;
    if (sel < best_val * (1.0 - cfg.min_delta)) {
      best_val = sel;
      best_epoch = epoch;
      best_params = params;
      bad_epochs = 0;
    } else if (++bad_epochs >= cfg.patience) {
      stop = true;
    }
  }

  // Clip and update.
  std::vector<double> gmax = {cfg.grad_clip, cfg.coef_grad_clip};
  const std::vector<optim::Segment>& segs = warm ? seg_warm : seg_main;
  rep.grad_norm = optim::clip(grad.data(), segs, gmax, cfg.global_grad_clip);
  double lr = warm ? cfg.learning_rate * cfg.warm_start_lr_mult
                   : optim::lr_at(me, main_epochs, cfg.warmup_epochs, cfg.learning_rate, cfg.min_lr_ratio);
  rep.learning_rate = lr;
  if (!stop) adam.step(params.data(), grad.data(), segs, lr);

  // NOTEARS dual ascent.
  if (spec.notears && !warm && me >= cfg.notears_warmup_epochs && cfg.notears_dual_every > 0 &&
      (me - cfg.notears_warmup_epochs) % cfg.notears_dual_every == cfg.notears_dual_every - 1) {
    const int C = spec.channels;
    std::vector<double> A(static_cast<size_t>(C) * C);
    dag::adjacency(C, params.data() + L.dag_logits.off, true, spec.dag_temperature, grad.data());
    for (size_t k = 0; k < A.size(); ++k) A[k] = grad[k];
    double h = dag::notears_h(C, A.data(), nullptr);
    if (h > 0.25 * h_prev) rho = std::min(rho * cfg.notears_dual_factor, cfg.notears_rho_max);
    alpha_dual += rho * h;
    h_prev = h;
  }

  ++epoch;
  ++phase_epoch;
  if (phase_epoch == warm_epochs) {
    start_at_priors();
    align_generators();
  }
  history.push_back(rep);
  if (refitting) {
    if (phase_epoch >= warm_epochs + refit_main) done = true;
  } else if (stop || phase_epoch >= warm_epochs + main_epochs) {
    end_selection();
  }
}

Trainer::Trainer(const Panel& panel, const FitConfig& config) : impl_(new Impl) { impl_->setup(panel, config); }
Trainer::~Trainer() = default;

bool Trainer::run(int max_epochs, double max_seconds) {
  Impl& s = *impl_;
  if (s.cancelled) throw Cancelled();
  auto t0 = Clock::now();
  int ran = 0;
  while (!s.done) {
    s.step();
    ++ran;
    double el = std::chrono::duration<double>(Clock::now() - t0).count();
    s.history.back().elapsed_seconds = s.elapsed + el;
    if (s.cancelled) {
      s.elapsed += el;
      throw Cancelled();
    }
    if (max_epochs > 0 && ran >= max_epochs) break;
    if (max_seconds > 0 && el >= max_seconds) break;
  }
  s.elapsed += std::chrono::duration<double>(Clock::now() - t0).count();
  return s.done;
}

bool Trainer::finished() const { return impl_->done; }
const std::vector<EpochReport>& Trainer::history() const { return impl_->history; }
int Trainer::total_epochs() const {
  const Impl& s = *impl_;
  if (s.refitting) return s.epoch + (s.warm_epochs + s.refit_main - s.phase_epoch);
  return s.phase_start + s.warm_epochs + s.main_epochs;
}
void Trainer::cancel() { impl_->cancelled = true; }

FitResult Trainer::finish() {
  Impl& s = *impl_;
  if (s.cancelled) throw Cancelled();
  if (s.finished_called) throw InvalidConfig("Trainer::finish() was already called; it can be called once");
  s.finished_called = true;
  auto t0 = Clock::now();
  FitResult res;
  if (s.best_epoch >= 0 && !s.refitting) s.params = s.best_params;
  res.best_epoch = s.best_epoch;
  res.epochs_run = s.epoch;
  res.history = s.history;
  res.train_weeks = s.Ttr;
  res.validation_weeks = s.V;
  res.holdout_weeks = s.Thold;
  res.burn_in_weeks = s.cfg.burn_in_weeks;
  res.refit = s.refitting;
  res.model = FittedModel(s.cfg, s.spec, s.sc, s.season, s.params, s.panel, s.Ttr, s.refitting ? s.Ttr : s.Tfit);
  Decomposition d = res.model.decompose();
  const int R = s.panel.regions, T = s.T, B = std::min(s.cfg.burn_in_weeks, s.Tfit - 1);
  res.train = score(s.panel.kpi, d.prediction, R, T, B, s.Ttr, s.Ttr);
  if (s.have_selection_validation)
    res.validation = s.selection_validation;
  else if (s.V > 0)
    res.validation = score(s.panel.kpi, d.prediction, R, T, s.Tfit, s.Ttr, s.Tfit);
  if (s.Thold > 0) res.holdout = score(s.panel.kpi, d.prediction, R, T, s.Ttr, T, s.Ttr);
  res.media_share = media_share(d, B, s.Ttr);
  res.experiments = experiment_fits(res.model, s.cfg.experiments, s.panel.spend);
  res.training_lifts = s.lift_prev;
  res.local_level = s.spec.level_knots > 0 && !s.level_frozen;
  res.validation_loss_with_level = s.val_with_level;
  res.validation_loss_without_level = s.val_without_level;
  res.media_share_with_level = s.share_with_level;
  res.media_share_without_level = s.share_without_level;
  res.dag_adjacency = res.model.dag_adjacency();
  res.dag_adjacency_pruned = dag::prune(res.dag_adjacency, static_cast<float>(s.cfg.notears_threshold));
  res.dag_edges_removed = dag::make_acyclic(s.spec.channels, res.dag_adjacency_pruned);
  res.dag_acyclic = dag::is_acyclic(s.spec.channels, res.dag_adjacency_pruned);
  res.adstock_decay = res.model.adstock_decay();
  res.hill_slope = res.model.hill_slope();
  res.hill_half_saturation = res.model.hill_half_saturation();
  res.scaled_media = s.xm;
  res.scaled_controls = s.xc;
  res.scaled_kpi = s.y;
  s.elapsed += std::chrono::duration<double>(Clock::now() - t0).count();
  res.fit_seconds = s.elapsed;
  return res;
}

FitResult fit(const Panel& panel, const FitConfig& config, const std::function<bool(const EpochReport&)>& progress) {
  auto t0 = Clock::now();
  Trainer tr(panel, config);
  double last = -1;
  for (;;) {
    bool done = tr.run(1, 0);
    if (progress && !tr.history().empty()) {
      double now = std::chrono::duration<double>(Clock::now() - t0).count();
      if (done || now - last >= 0.1) {
        last = now;
        if (!progress(tr.history().back())) {
          tr.cancel();
          throw Cancelled();
        }
      }
    }
    if (done) break;
  }
  FitResult r = tr.finish();
  r.fit_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

}  // namespace mmm
