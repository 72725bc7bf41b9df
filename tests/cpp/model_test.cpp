// Whole-model tests: finite-difference gradient of the full objective w.r.t. every parameter
// group (in double), the additivity contract, and burn-in behaviour.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "mmm/model.hpp"
#include "mmm/nn.hpp"

namespace {

struct Problem {
  mmm::ModelSpec spec;
  mmm::ParamLayout L;
  int T = 9, n = 3;
  std::vector<double> xm, xc, y, a0, fourier, trend, params;
  std::vector<double> week_weight, kpi_mean;  // empty = not used
};

Problem make_problem(bool notears, bool trend, int K, bool delay = false, int level_spacing = 0) {
  Problem pr;
  mmm::ModelSpec& s = pr.spec;
  s.regions = 5;  // the chunk covers regions 1..3 of 5
  s.channels = 3;
  s.controls = K;
  s.hidden = 4;
  s.control_hidden = 3;
  s.coef_hidden = 5;
  s.coef_hidden2 = 3;
  s.fourier = 2;
  s.trend = trend;
  s.notears = notears;
  s.burn_in = 3;
  s.adstock_delay = delay;
  // Training weeks 0..6 (loss_end 7): with spacing 3 the knots sit on weeks 0, 3 and 6 and weeks 7-8
  // take the last knot's level.
  mmm::set_level_knots(s, level_spacing, 7);
  pr.L = mmm::ParamLayout(s);
  mmm::nn::Rng rng(7);
  const int T = pr.T, n = pr.n, C = s.channels;
  pr.xm.resize(static_cast<size_t>(T) * n * C);
  for (double& v : pr.xm) v = rng.uniform() < 0.15 ? 0.0 : rng.uniform(0.2, 2.0);
  pr.xc.resize(static_cast<size_t>(T) * n * K);
  for (double& v : pr.xc) v = rng.normal();
  pr.y.resize(static_cast<size_t>(T) * n);
  for (double& v : pr.y) v = rng.uniform(0.3, 2.5);  // some residuals beyond the Huber delta
  pr.a0.resize(static_cast<size_t>(n) * C);
  for (double& v : pr.a0) v = rng.uniform(0.5, 1.5);
  pr.fourier.resize(static_cast<size_t>(T) * s.fourier);
  for (double& v : pr.fourier) v = rng.uniform(-1, 1);
  pr.trend.resize(T);
  for (int t = 0; t < T; ++t) pr.trend[t] = (t - 4.0) / 9.0;
  std::vector<float> pf;
  mmm::init_params(s, pr.L, 3, pf);
  pr.params.assign(pf.begin(), pf.end());
  for (double& v : pr.params) v += 0.3 * rng.normal();  // move off neutral values
  return pr;
}

mmm::ChunkInput<double> input(const Problem& pr) {
  mmm::ChunkInput<double> in;
  in.T = pr.T;
  in.n = pr.n;
  in.r0 = 1;
  in.xm = pr.xm.data();
  in.xc = pr.xc.data();
  in.y = pr.y.data();
  in.a0 = pr.a0.data();
  in.fourier = pr.fourier.data();
  in.trend = pr.trend.data();
  if (!pr.week_weight.empty()) in.week_weight = pr.week_weight.data();
  if (!pr.kpi_mean.empty()) in.kpi_mean = pr.kpi_mean.data();
  return in;
}

mmm::PassOptions options() {
  mmm::PassOptions o;
  o.loss_end = 7;  // last 2 weeks are validation: no gradient from them
  o.val_end = 9;
  o.score_begin = 1;
  o.loss_norm = 1.0 / 21.0;
  o.huber_delta = 0.3;
  o.attr_weight = 0.7;
  o.attr_share = 0.4;
  o.coef_reg = 0.3;
  o.share_cap_coef = 0.05;  // the linearised aggregate share cap, as the trainer sets it
  o.share_cap_ref = 0.6;
  o.dropout = 0.25;
  o.seed = 11;
  o.epoch = 3;
  return o;
}

mmm::PenaltyOptions penalties(bool notears) {
  mmm::PenaltyOptions po;
  po.dag.notears = notears;
  po.dag.tau = 0.5;
  po.dag.active = true;
  po.dag.rho = 2.0;
  po.dag.alpha = 0.5;
  po.dag_weight = 0.3;
  po.sparsity_weight = 0.01;
  po.l1 = 0.01;
  po.l2 = 0.02;
  po.seasonal_prior = 0.1;
  po.region_shrinkage = 0.05;
  po.level_smoothness = 0.4;
  po.level_detrend = 0.7;
  return po;
}

double objective(const Problem& pr, const std::vector<double>& P, const mmm::PassOptions& o,
                 const mmm::PenaltyOptions& po, std::vector<double>* grad) {
  mmm::Workspace<double> ws;
  mmm::ChunkInput<double> in = input(pr);
  mmm::forward(pr.spec, pr.L, P.data(), in, o, ws);
  mmm::PassStats st;
  std::vector<double> g(pr.L.total, 0.0);
  mmm::backward(pr.spec, pr.L, P.data(), in, o, ws, g.data(), st);
  double pen = mmm::penalty(pr.spec, pr.L, P.data(), po, g.data());
  if (grad) *grad = g;
  return st.loss + st.attr + st.coef + st.share_cap + st.roi + pen;
}

// The calibration inputs of a pass: bootstrap week weights and ROI-prior coefficients (with the
// region KPI means they need).
struct Calibration {
  bool on = false;
  std::vector<double> roi_coef;
  const uint8_t share_cap_exempt[3] = {0, 1, 0};
};

void check_all_groups(bool notears, bool trend, int K, mmm::LossKind loss, bool all_stable, bool delay = false,
                      int level_spacing = 0, bool one_sided = false, Calibration cal = {}) {
  Problem pr = make_problem(notears, trend, K, delay, level_spacing);
  mmm::PassOptions o = options();
  if (cal.on) {
    pr.week_weight = {0, 1, 2, 1, 0, 3, 1, 1, 1};
    pr.kpi_mean = {120.0, 80.0, 310.0};
    cal.roi_coef = {0.002, -0.001, 0.003};
    o.roi_coef = cal.roi_coef.data();
    o.share_cap_exempt = cal.share_cap_exempt;  // a channel with ROI priors: the share cap leaves it alone
    o.track_contrib = true;
  }
  o.attr_one_sided = one_sided;
  if (one_sided) {
    // Put the cap between the cells' media shares so the hinge is active in some cells and not in
    // others (both branches are then checked).
    mmm::Workspace<double> ws;
    mmm::ChunkInput<double> in = input(pr);
    mmm::forward(pr.spec, pr.L, pr.params.data(), in, o, ws);
    std::vector<double> ratio;
    for (int t = 0; t < o.loss_end; ++t)
      for (int i = 0; i < pr.n; ++i) {
        const size_t k = static_cast<size_t>(t) * pr.n + i;
        double media = 0;
        for (int c = 0; c < pr.spec.channels; ++c) media += ws.m[k * pr.spec.channels + c] * ws.beta[k * pr.spec.channels + c];
        ratio.push_back(media / ws.raw[k]);
      }
    std::sort(ratio.begin(), ratio.end());
    o.attr_share = 0.5 * (ratio[ratio.size() / 2] + ratio[ratio.size() / 2 + 1]);
    ASSERT_GT(ratio.back(), o.attr_share);
    ASSERT_LT(ratio.front(), o.attr_share);
  }
  o.loss = loss;
  o.all_stable = all_stable;
  mmm::PenaltyOptions po = penalties(notears);
  std::vector<double> g;
  objective(pr, pr.params, o, po, &g);
  const double h = 1e-6;
  for (const mmm::SlotInfo& si : pr.L.slots) {
    double max_err = 0, max_g = 0;
    for (size_t k = 0; k < si.slot.size; ++k) {
      size_t idx = si.slot.off + k;
      std::vector<double> P = pr.params;
      P[idx] += h;
      double fp = objective(pr, P, o, po, nullptr);
      P[idx] -= 2 * h;
      double fm = objective(pr, P, o, po, nullptr);
      double fd = (fp - fm) / (2 * h);
      max_err = std::max(max_err, std::fabs(fd - g[idx]));
      max_g = std::max(max_g, std::fabs(fd));
    }
    EXPECT_LE(max_err, 1e-6 + 1e-5 * max_g) << "parameter group " << si.name << " (max |grad| " << max_g << ")";
  }
}

}  // namespace

TEST(ModelGradient, EveryParameterGroupTriangularHuber) {
  check_all_groups(false, true, 2, mmm::LossKind::Huber, false);
}
TEST(ModelGradient, EveryParameterGroupNotearsMse) { check_all_groups(true, true, 2, mmm::LossKind::Mse, false); }
TEST(ModelGradient, AdstockLagBlendHuber) {
  check_all_groups(false, true, 2, mmm::LossKind::Huber, false, true);
}
TEST(ModelGradient, AdstockLagBlendWarmStart) { check_all_groups(false, true, 2, mmm::LossKind::Mse, true, true); }
TEST(ModelGradient, LocalLevelAndOneSidedAttributionPriorHuber) {
  check_all_groups(false, true, 2, mmm::LossKind::Huber, false, true, 3, true);
}
TEST(ModelGradient, LocalLevelWideSpacingWarmStart) {
  check_all_groups(false, false, 2, mmm::LossKind::Mse, true, false, 50, true);
}
TEST(Model, LocalLevelInterpolatesBetweenKnotsAndIsFlatAfterTheLast) {
  mmm::ModelSpec s;
  mmm::set_level_knots(s, 13, 100);  // knots at weeks 99, 86, ..., -5: 9 of them
  EXPECT_EQ(s.level_knots, 9);
  EXPECT_EQ(s.level_end, 99);
  mmm::LevelBasis at_end = mmm::level_basis(s, 99), after = mmm::level_basis(s, 130);
  EXPECT_EQ(at_end.k0 + at_end.frac, 8.0);  // all weight on the last knot
  EXPECT_EQ(after.k0, at_end.k0);
  EXPECT_EQ(after.frac, at_end.frac);
  mmm::LevelBasis mid = mmm::level_basis(s, 86 + 6);
  EXPECT_EQ(mid.k0, 7);
  EXPECT_NEAR(mid.frac, 6.0 / 13.0, 1e-12);
  mmm::LevelBasis first = mmm::level_basis(s, 0);
  EXPECT_EQ(first.k0, 0);
  EXPECT_NEAR(first.frac, 5.0 / 13.0, 1e-12);
}
TEST(Model, ShareCapLeavesExemptChannelsAlone) {
  // With channel 1 exempt, the share-cap term's gradient on channel 1's media term is zero: its
  // coefficient cap receives exactly what it receives with the cap switched off.
  Problem pr = make_problem(false, true, 2, true, 3);
  const uint8_t exempt[3] = {0, 1, 0};
  auto cap_grad = [&](double coef) {
    mmm::PassOptions o = options();
    o.share_cap_coef = coef;
    o.share_cap_exempt = exempt;
    std::vector<double> g;
    objective(pr, pr.params, o, penalties(false), &g);
    return g;
  };
  const std::vector<double> with = cap_grad(0.05), without = cap_grad(0.0);
  EXPECT_NEAR(with[pr.L.media_cap.off + 1], without[pr.L.media_cap.off + 1], 1e-12 * std::fabs(without[pr.L.media_cap.off + 1]) + 1e-15);
  EXPECT_NE(with[pr.L.media_cap.off + 0], without[pr.L.media_cap.off + 0]);
}
TEST(ModelGradient, BootstrapWeightsAndRoiPriorHuber) {
  Calibration cal;
  cal.on = true;
  check_all_groups(false, true, 2, mmm::LossKind::Huber, false, true, 3, false, cal);
}

// An experiment's lift term: channel c's media term over some cells, and its gradient with respect
// to c's coefficient cap and stable coefficient, against central differences — in weeks inside and
// after the burn-in, and in a warm-start (all-stable) pass.
void check_media_term(bool all_stable) {
  Problem pr = make_problem(false, true, 2, true, 3);
  pr.kpi_mean = {120.0, 80.0, 310.0};
  const int c = 1;
  std::vector<double> cells(static_cast<size_t>(pr.T) * pr.n, 0.0);
  for (int t = 1; t < pr.T; t += 2)
    for (int i = 0; i < pr.n; i += 2) cells[static_cast<size_t>(t) * pr.n + i] = 1.0;
  mmm::PassOptions o = options();
  o.all_stable = all_stable;
  auto term = [&](const std::vector<double>& P, std::vector<double>* grad) {
    mmm::Workspace<double> ws;
    mmm::ChunkInput<double> in = input(pr);
    mmm::forward(pr.spec, pr.L, P.data(), in, o, ws);
    return mmm::media_term(pr.spec, pr.L, P.data(), in, ws, all_stable, c, cells.data(), 0.7, grad ? grad->data() : nullptr);
  };
  std::vector<double> g(pr.L.total, 0.0);
  const double value = term(pr.params, &g);
  EXPECT_GT(std::fabs(value), 0.0);
  const double h = 1e-6;
  for (size_t off : {pr.L.media_cap.off + c, pr.L.stable_media.off + c}) {
    std::vector<double> P = pr.params;
    P[off] += h;
    const double fp = term(P, nullptr);
    P[off] -= 2 * h;
    const double fm = term(P, nullptr);
    const double fd = 0.7 * (fp - fm) / (2 * h);
    EXPECT_NEAR(g[off], fd, 1e-6 + 1e-6 * std::fabs(fd)) << "parameter " << off;
    if (!all_stable || off == pr.L.stable_media.off + c) EXPECT_NE(fd, 0.0) << "parameter " << off;
  }
  // Nothing else moves: the lift term trains only these two.
  for (size_t k = 0; k < g.size(); ++k)
    if (k != pr.L.media_cap.off + c && k != pr.L.stable_media.off + c) EXPECT_EQ(g[k], 0.0) << k;
}
TEST(ModelGradient, ExperimentMediaTermCapAndStableCoefficient) { check_media_term(false); }
TEST(ModelGradient, ExperimentMediaTermWarmStart) { check_media_term(true); }
TEST(ModelGradient, WarmStartAllStableNoTrendNoControls) {
  check_all_groups(false, false, 0, mmm::LossKind::Huber, true);
}

TEST(ModelGradient, GroupsWithSignalAreNonZero) {
  // Guards against a silently dead branch: every trainable group must receive gradient.
  Problem pr = make_problem(true, true, 2, true, 3);
  std::vector<double> g;
  objective(pr, pr.params, options(), penalties(true), &g);
  for (const mmm::SlotInfo& si : pr.L.slots) {
    double s = 0;
    for (size_t k = 0; k < si.slot.size; ++k) s += std::fabs(g[si.slot.off + k]);
    if (si.slot.size) EXPECT_GT(s, 0.0) << si.name;
  }
}

TEST(Model, PredictionIsScaleTimesSumOfComponents) {
  Problem pr = make_problem(false, true, 2);
  mmm::Workspace<double> ws;
  mmm::PassOptions o;
  mmm::forward(pr.spec, pr.L, pr.params.data(), input(pr), o, ws);
  const int C = pr.spec.channels, K = pr.spec.controls;
  for (int k = 0; k < pr.T * pr.n; ++k) {
    double sum = ws.base[k] + ws.seas[k];
    for (int c = 0; c < C; ++c) sum += ws.m[k * C + c] * ws.beta[k * C + c];
    for (int q = 0; q < K; ++q) sum += pr.xc[k * K + q] * ws.gamma[k * K + q];
    EXPECT_NEAR(ws.pred[k], ws.scale * sum, 1e-12);
    for (int c = 0; c < C; ++c) {
      EXPECT_GE(ws.beta[k * C + c], 0.0);
      EXPECT_LE(ws.beta[k * C + c], ws.cap_m[c] + ws.stable_m[c]);
    }
  }
}

TEST(Model, BurnInStartsAtStableCoefficients) {
  Problem pr = make_problem(false, true, 2);
  mmm::Workspace<double> ws;
  mmm::PassOptions o;
  mmm::forward(pr.spec, pr.L, pr.params.data(), input(pr), o, ws);
  const int C = pr.spec.channels;
  for (int i = 0; i < pr.n; ++i)
    for (int c = 0; c < C; ++c) EXPECT_DOUBLE_EQ(ws.beta[i * C + c], ws.stable_m[c]);  // week 0: weight 1
  EXPECT_NEAR(mmm::burn_in_weight(1, 6, false), 0.6065, 1e-4);
  EXPECT_NEAR(mmm::burn_in_weight(5, 6, false), 0.0821, 1e-4);
  EXPECT_EQ(mmm::burn_in_weight(6, 6, false), 0.0);
}

TEST(Model, FloatAndDoubleAgree) {
  Problem pr = make_problem(false, true, 2);
  mmm::Workspace<double> wd;
  mmm::PassOptions o;
  mmm::forward(pr.spec, pr.L, pr.params.data(), input(pr), o, wd);
  std::vector<float> pf(pr.params.begin(), pr.params.end()), xm(pr.xm.begin(), pr.xm.end()),
      xc(pr.xc.begin(), pr.xc.end()), a0(pr.a0.begin(), pr.a0.end()), fo(pr.fourier.begin(), pr.fourier.end()),
      tr(pr.trend.begin(), pr.trend.end());
  mmm::ChunkInput<float> in;
  in.T = pr.T;
  in.n = pr.n;
  in.r0 = 1;
  in.xm = xm.data();
  in.xc = xc.data();
  in.a0 = a0.data();
  in.fourier = fo.data();
  in.trend = tr.data();
  mmm::Workspace<float> wf;
  mmm::forward(pr.spec, pr.L, pf.data(), in, o, wf);
  for (int k = 0; k < pr.T * pr.n; ++k) EXPECT_NEAR(wf.pred[k], wd.pred[k], 1e-4 * (1 + std::fabs(wd.pred[k])));
}
