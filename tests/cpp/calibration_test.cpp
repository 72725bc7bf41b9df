// Calibration to experiments, ROI priors and the ensemble's block bootstrap: the counterfactual lift
// against brute-force simulation, the trainer's chunked lift against the full model, and that each
// term pulls the fit towards what it was told.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "mmm/analysis.hpp"
#include "mmm/calibration.hpp"
#include "mmm/demo.hpp"
#include "mmm/errors.hpp"

namespace {

const mmm::Panel& panel() {
  static mmm::Panel p = [] {
    mmm::DemoConfig dc;
    dc.regions = 6;
    dc.weeks = 60;
    dc.channels = 3;
    dc.controls = 1;
    dc.seed = 5;
    return mmm::generate_demo(dc).panel;
  }();
  return p;
}

mmm::FitConfig small_config() {
  mmm::FitConfig c;
  c.hidden = 6;
  c.epochs = 60;
  c.warm_start_epochs = 10;
  c.holdout_weeks = 8;
  c.validation_weeks = 6;
  return c;
}

const mmm::FitResult& uncalibrated() {
  static mmm::FitResult r = mmm::fit(panel(), small_config());
  return r;
}

mmm::Experiment experiment(std::vector<int> regions) {
  mmm::Experiment e;
  e.channel = 1;
  e.start_week = 20;
  e.end_week = 27;
  e.regions = std::move(regions);
  e.lift = 1.0;
  e.lift_se = 1.0;
  return e;
}

// Decomposition ROI (Σ the channel's media term / Σ spend) over the training weeks, what the prior constrains.
double training_roi(const mmm::FitResult& r, int c) {
  const mmm::Panel& p = panel();
  mmm::Decomposition d = r.model.decompose();
  double contrib = 0, spend = 0;
  for (int reg = 0; reg < p.regions; ++reg)
    for (int t = 0; t < r.train_weeks; ++t) {
      const size_t i = static_cast<size_t>(reg) * p.weeks + t;
      contrib += d.media[i * p.channels + c];
      spend += p.spend[i * p.channels + c];
    }
  return contrib / spend;
}

}  // namespace

TEST(Calibration, BlockBootstrapWeightsCoverEveryWeekCountAndRepeat) {
  std::vector<float> a = mmm::block_bootstrap_weights(50, 8, 3), b = mmm::block_bootstrap_weights(50, 8, 3),
                     c = mmm::block_bootstrap_weights(50, 8, 4);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(std::accumulate(a.begin(), a.end(), 0.0f), 50.0f);
  int zeros = 0, repeats = 0;
  for (float w : a) zeros += w == 0, repeats += w > 1;
  EXPECT_GT(zeros, 0);  // a bootstrap leaves some weeks out ...
  EXPECT_GT(repeats, 0);  // ... and draws others twice
}

TEST(Calibration, CounterfactualLiftEqualsBruteForceSimulation) {
  const mmm::FittedModel& m = uncalibrated().model;
  const mmm::Panel& p = panel();
  const mmm::Experiment e = experiment({1, 4});
  // Brute force: one region at a time (regions do not interact), switching the channel off week by
  // week in a copy of the media, and summing the change in the channel's own media term from the
  // test's first week until its carryover has faded (decay^k < 1 %, one week more for the lag blend).
  const double decay = m.adstock_decay()[e.channel];
  int last = e.end_week;
  for (double w = decay; w >= 0.01; w *= decay) ++last;
  if (m.spec().adstock_delay) ++last;
  last = std::min(last, p.weeks - 1);
  ASSERT_EQ(last, mmm::readout_end_week(e, decay, m.spec().adstock_delay, p.weeks - 1));
  ASSERT_GT(last, e.end_week);
  double brute = 0;
  const mmm::Decomposition base = m.simulate(p.media, {});
  for (int r : e.regions) {
    std::vector<float> off = p.media;
    for (int t = e.start_week; t <= e.end_week; ++t) off[(static_cast<size_t>(r) * p.weeks + t) * p.channels + e.channel] = 0;
    const mmm::Decomposition cf = m.simulate(off, {});
    for (int t = e.start_week; t <= last; ++t) {
      const size_t i = (static_cast<size_t>(r) * p.weeks + t) * p.channels + e.channel;
      brute += base.media[i] - cf.media[i];
    }
  }
  const double lift = mmm::model_lift(m, e);
  EXPECT_GT(lift, 0);
  EXPECT_NEAR(lift, brute, 1e-4 * std::fabs(brute));
  // readout_weeks = 0: the test weeks only, a smaller lift.
  mmm::Experiment only_window = e;
  only_window.readout_weeks = 0;
  EXPECT_LT(mmm::model_lift(m, only_window), lift);
}

TEST(Calibration, TrainersChunkedLiftEqualsTheFullModelsLift) {
  // With a negligible learning rate the last epoch's weights are the final ones (to ~1e-7), so the
  // lift the trainer computed from its chunked passes must equal the simulated one.
  mmm::FitConfig c = small_config();
  c.learning_rate = 1e-7;
  c.warm_start_epochs = 0;
  c.epochs = 3;
  c.refit = false;
  c.chunk_regions = 4;  // two chunks: regions 1 (chunk 0) and 4 (chunk 1)
  c.experiments = {experiment({1, 4})};
  mmm::FitResult r = mmm::fit(panel(), c);
  ASSERT_EQ(r.training_lifts.size(), 1u);
  ASSERT_EQ(r.experiments.size(), 1u);
  ASSERT_GT(std::fabs(r.experiments[0].model), 1.0);
  EXPECT_NEAR(r.training_lifts[0], r.experiments[0].model, 1e-3 * std::fabs(r.experiments[0].model));
}

TEST(Calibration, ALiftExperimentPullsTheModelsLiftTowardsTheMeasuredOne) {
  mmm::Experiment e = experiment({});
  const double before = mmm::model_lift(uncalibrated().model, e);
  e.lift = 0.4 * before;
  e.lift_se = 0.02 * before;
  mmm::FitConfig c = small_config();
  c.experiments = {e};
  mmm::FitResult r = mmm::fit(panel(), c);
  ASSERT_EQ(r.experiments.size(), 1u);
  EXPECT_DOUBLE_EQ(r.experiments[0].measured, e.lift);
  EXPECT_LT(std::fabs(r.experiments[0].model - e.lift), 0.5 * std::fabs(before - e.lift))
      << "before " << before << ", after " << r.experiments[0].model << ", measured " << e.lift;
}

TEST(Calibration, ALiftExperimentAlsoMovesTheChannelsRoiOutsideItsWindow) {
  // The test's ROI is carried to the whole training period (experiment_roi_prior_weight): a lift
  // 0.4 x the model's own lowers the channel's ROI over all training weeks, not only in the window.
  mmm::Experiment e = experiment({});
  const double before_lift = mmm::model_lift(uncalibrated().model, e);
  const double before = training_roi(uncalibrated(), e.channel);
  e.lift = 0.4 * before_lift;
  e.lift_se = 0.05 * before_lift;
  mmm::FitConfig c = small_config();
  c.experiments = {e};
  const double with_prior = training_roi(mmm::fit(panel(), c), e.channel);
  c.experiment_roi_prior_weight = 0;
  c.start_at_priors = 0;
  const double lift_term_only = training_roi(mmm::fit(panel(), c), e.channel);
  EXPECT_LT(with_prior, 0.8 * before) << "before " << before << ", after " << with_prior;
  EXPECT_LT(with_prior, lift_term_only) << "lift term only " << lift_term_only;
}

TEST(Calibration, WeightZeroIsTheUncalibratedFitBitForBit) {
  // Regression (calibration_weight_zero_still_started_at_priors): with calibration_weight 0 an
  // experiment must change nothing — it once still moved the channel's starting ROI to the test's.
  mmm::FitConfig c = small_config();
  c.experiments = {experiment({1, 4})};
  c.calibration_weight = 0;
  const mmm::FitResult r = mmm::fit(panel(), c);
  EXPECT_EQ(r.model.parameters(), uncalibrated().model.parameters());
}

TEST(Calibration, AnRoiExperimentIsALiftPerUnitOfWindowSpend) {
  mmm::Experiment e = experiment({0, 2});
  const double spend = mmm::experiment_spend(panel().spend, panel().regions, panel().weeks, panel().channels, e);
  ASSERT_GT(spend, 0);
  e.lift = std::nan("");
  e.roi = 2.5;
  e.roi_se = 0.5;
  const mmm::MeasuredLift m = mmm::measured_lift(e, spend);
  EXPECT_DOUBLE_EQ(m.lift, 2.5 * spend);
  EXPECT_DOUBLE_EQ(m.se, 0.5 * spend);
}

TEST(Calibration, AnRoiPriorPullsTheChannelsRoi) {
  const double before = training_roi(uncalibrated(), 0);
  mmm::FitConfig c = small_config();
  c.roi_priors = {mmm::RoiPrior{0, 0.3 * before, 0.02 * before}};
  mmm::FitResult r = mmm::fit(panel(), c);
  const double after = training_roi(r, 0);
  EXPECT_LT(std::fabs(after - 0.3 * before), 0.5 * std::fabs(before - 0.3 * before)) << "before " << before << ", after " << after;
}

TEST(Calibration, BadExperimentsAndPriorsAreRefusedWithTheirNumberAndAFix) {
  auto refused = [](mmm::FitConfig c, const std::string& words) {
    try {
      c.validate(panel());
      ADD_FAILURE() << "accepted; expected: " << words;
    } catch (const mmm::InvalidConfig& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  mmm::FitConfig c = small_config();
  mmm::Experiment e = experiment({});
  e.channel = 9;
  c.experiments = {e};
  refused(c, "experiment 1 names channel 9");
  e = experiment({});
  e.start_week = 55;
  e.end_week = 58;
  c.experiments = {e};
  refused(c, "inside the holdout weeks");
  e = experiment({});
  e.lift_se = -1;
  c.experiments = {e};
  refused(c, "positive, finite standard error");
  e = experiment({17});
  c.experiments = {e};
  refused(c, "names region 17");
  c.experiments = {};
  c.roi_priors = {mmm::RoiPrior{0, 1, 0.5}, mmm::RoiPrior{0, 2, 0.5}};
  refused(c, "repeats channel");
  c.roi_priors = {mmm::RoiPrior{1, 1, 0}};
  refused(c, "positive, finite spread");
}

TEST(Calibration, BootstrapMembersDifferAndRepeat) {
  mmm::FitConfig c = small_config();
  c.bootstrap_seed = 7;
  mmm::FitResult a = mmm::fit(panel(), c), b = mmm::fit(panel(), c);
  EXPECT_EQ(a.model.parameters(), b.model.parameters());
  EXPECT_NE(a.model.parameters(), uncalibrated().model.parameters());
}
