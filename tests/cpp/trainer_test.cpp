// Trainer: determinism across thread counts, the step-wise API, cancellation, config errors,
// national panels, and the honest-forecast rules (validation slice, carried state).
#include <gtest/gtest.h>
#include "mmm/model.hpp"

#include <cmath>
#include <string>

#include "mmm/demo.hpp"
#include "mmm/errors.hpp"
#include "mmm/fit.hpp"
#include "mmm/trainer.hpp"

namespace {

mmm::Panel demo_panel(int regions, int weeks, int channels, int controls, uint64_t seed = 3) {
  mmm::DemoConfig dc;
  dc.regions = regions;
  dc.weeks = weeks;
  dc.channels = channels;
  dc.controls = controls;
  dc.seed = seed;
  return mmm::generate_demo(dc).panel;
}

mmm::FitConfig small_config() {
  mmm::FitConfig c;
  c.hidden = 8;
  c.epochs = 12;
  c.warm_start_epochs = 4;
  c.warmup_epochs = 2;
  c.holdout_weeks = 8;
  c.validation_weeks = 6;
  c.chunk_regions = 4;
  c.dropout = 0.1;  // exercises the counter-based RNG across threads
  return c;
}

}  // namespace

TEST(Trainer, BitIdenticalForOneTwoAndFourThreads) {
  mmm::Panel p = demo_panel(11, 52, 4, 2);
  mmm::FitConfig c = small_config();
  c.dag_mode = "notears";
  c.notears_warmup_epochs = 2;
  c.notears_dual_every = 3;
  c.threads = 1;
  mmm::FitResult a = mmm::fit(p, c);
  for (int th : {2, 4}) {
    c.threads = th;
    mmm::FitResult b = mmm::fit(p, c);
    ASSERT_EQ(a.model.parameters().size(), b.model.parameters().size());
    for (size_t k = 0; k < a.model.parameters().size(); ++k)
      ASSERT_EQ(a.model.parameters()[k], b.model.parameters()[k]) << "threads " << th << " param " << k;
    EXPECT_EQ(a.holdout.rmse, b.holdout.rmse);
    EXPECT_EQ(a.train.r2, b.train.r2);
    ASSERT_EQ(a.history.size(), b.history.size());
    for (size_t e = 0; e < a.history.size(); ++e) EXPECT_EQ(a.history[e].train_loss, b.history[e].train_loss);
  }
}

TEST(Trainer, SlicedRunsEqualOneFit) {
  mmm::Panel p = demo_panel(6, 48, 3, 1);
  mmm::FitConfig c = small_config();
  mmm::FitResult whole = mmm::fit(p, c);
  mmm::Trainer tr(p, c);
  int slices = 0;
  while (!tr.run(3, 0)) ++slices;
  EXPECT_GE(slices, 3);
  mmm::FitResult sliced = tr.finish();
  EXPECT_EQ(sliced.epochs_run, whole.epochs_run);
  EXPECT_EQ(sliced.model.parameters(), whole.model.parameters());
  EXPECT_EQ(tr.history().size(), static_cast<size_t>(whole.epochs_run));
  EXPECT_EQ(tr.total_epochs(), whole.epochs_run);
}

TEST(Trainer, CancelThrowsCancelled) {
  mmm::Panel p = demo_panel(4, 40, 2, 1);
  mmm::FitConfig c = small_config();
  mmm::Trainer tr(p, c);
  tr.run(1, 0);
  tr.cancel();
  EXPECT_THROW(tr.run(1, 0), mmm::Cancelled);
  EXPECT_THROW(tr.finish(), mmm::Cancelled);
  int calls = 0;
  EXPECT_THROW(mmm::fit(p, c,
                        [&](const mmm::EpochReport&) {
                          ++calls;
                          return false;
                        }),
               mmm::Cancelled);
  EXPECT_EQ(calls, 1);
}

TEST(Trainer, TimeBudgetEndsASlice) {
  mmm::Panel p = demo_panel(4, 40, 2, 1);
  mmm::FitConfig c = small_config();
  c.epochs = 100000;
  c.patience = 100000;
  mmm::Trainer tr(p, c);
  EXPECT_FALSE(tr.run(0, 0.05));
  EXPECT_GE(tr.history().size(), 1u);
}

TEST(Trainer, ConfigErrorsNameFieldValueAndRange) {
  mmm::Panel p = demo_panel(3, 40, 2, 1);
  auto message = [&](mmm::FitConfig c) {
    try {
      mmm::Trainer tr(p, c);
    } catch (const mmm::InvalidConfig& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  mmm::FitConfig c = small_config();
  c.hidden = 0;
  EXPECT_NE(message(c).find("config.hidden is 0; allowed range is 2..1024"), std::string::npos) << message(c);
  c = small_config();
  c.dag_mode = "cyclic";
  EXPECT_NE(message(c).find("dag_mode"), std::string::npos);
  c = small_config();
  c.learning_rate = -1;
  EXPECT_NE(message(c).find("learning_rate is -1"), std::string::npos);
  c = small_config();
  c.holdout_weeks = 30;
  EXPECT_NE(message(c).find("weeks to fit"), std::string::npos) << message(c);
}

TEST(Trainer, NationalPanelWorks) {
  mmm::Panel p = demo_panel(1, 70, 3, 2);
  mmm::FitConfig c = small_config();
  c.epochs = 20;
  mmm::FitResult r = mmm::fit(p, c);
  EXPECT_EQ(r.model.regions(), 1);
  EXPECT_TRUE(std::isfinite(r.holdout.rmse));
  EXPECT_GT(r.train.r2, 0.0);
}

TEST(Trainer, ValidationSliceDrivesEarlyStoppingAndBestWeights) {
  mmm::Panel p = demo_panel(6, 60, 3, 1);
  mmm::FitConfig c = small_config();
  c.epochs = 60;
  c.patience = 5;
  c.learning_rate = 0.05;
  c.select_level = false;  // one selection phase (the level choice is tested below)
  mmm::FitResult r = mmm::fit(p, c);
  EXPECT_EQ(r.validation_weeks, 6);
  EXPECT_EQ(r.train_weeks, 52);
  EXPECT_GE(r.best_epoch, c.warm_start_epochs);
  EXPECT_LE(r.best_epoch, r.epochs_run - 1);
  // The kept epoch has the best validation loss of the main phase.
  double best = r.history[r.best_epoch].val_loss;
  for (const auto& h : r.history)
    if (!h.warm_start && !h.refit) EXPECT_GE(h.val_loss, best * (1 - 1e-9));
  EXPECT_GT(r.validation.n, 0);
  // Refit on all training weeks for the selected number of epochs.
  ASSERT_TRUE(r.refit);
  int refit_epochs = 0;
  for (const auto& h : r.history) refit_epochs += h.refit ? 1 : 0;
  EXPECT_EQ(refit_epochs, r.best_epoch + 1);
  EXPECT_EQ(r.model.fit_weeks(), r.train_weeks);
  c.refit = false;
  mmm::FitResult nr = mmm::fit(p, c);
  EXPECT_FALSE(nr.refit);
  EXPECT_EQ(nr.epochs_run, r.epochs_run - refit_epochs);
  EXPECT_EQ(nr.model.fit_weeks(), r.train_weeks - 6);
  // The validation metrics come from the selected weights, identical with or without the refit.
  EXPECT_EQ(nr.validation.rmse, r.validation.rmse);
}

// With select_level the model is selected twice on the validation slice, with the local level and
// with it frozen at zero; the kept model's level is zero exactly when the level lost.
TEST(Trainer, LocalLevelIsChosenOnTheValidationSlice) {
  mmm::Panel p = demo_panel(6, 60, 3, 1);
  mmm::FitConfig c = small_config();
  c.epochs = 40;
  c.patience = 5;
  c.level_knot_weeks = 10;
  c.select_level = true;
  mmm::FitResult r = mmm::fit(p, c);
  EXPECT_TRUE(std::isfinite(r.validation_loss_with_level));
  EXPECT_TRUE(std::isfinite(r.validation_loss_without_level));
  // Both candidates' media shares are reported (the level choice's tie-breaks read them).
  for (double share : {r.media_share_with_level, r.media_share_without_level}) {
    EXPECT_GT(share, 0.0);
    EXPECT_LT(share, 1.0);
  }
  int selection_phases = 0;
  for (size_t i = 0; i < r.history.size(); ++i)
    if (!r.history[i].refit && r.history[i].warm_start && (i == 0 || !r.history[i - 1].warm_start)) ++selection_phases;
  EXPECT_EQ(selection_phases, 2);
  const mmm::ParamLayout L(r.model.spec());
  ASSERT_GT(L.level.size, 0u);
  double level_abs = 0;
  for (size_t k = 0; k < L.level.size; ++k) level_abs += std::fabs(r.model.parameters()[L.level.off + k]);
  EXPECT_EQ(level_abs == 0.0, !r.local_level);
  c.select_level = false;
  mmm::FitResult one = mmm::fit(p, c);
  EXPECT_TRUE(one.local_level);
  EXPECT_LT(one.epochs_run, r.epochs_run);
  EXPECT_TRUE(std::isnan(one.media_share_with_level));  // no choice was made
  EXPECT_TRUE(std::isnan(one.media_share_without_level));
}

TEST(Trainer, TrainingImprovesOnInitialisation) {
  mmm::Panel p = demo_panel(8, 70, 3, 2);
  mmm::FitConfig c = small_config();
  c.epochs = 40;
  c.dropout = 0;
  mmm::FitResult r = mmm::fit(p, c);
  EXPECT_LT(r.history.back().train_loss, r.history.front().train_loss);
  EXPECT_GT(r.holdout.r2, 0.9);  // pooled, KPI units
}
