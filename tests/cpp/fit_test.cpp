// FittedModel: additivity in KPI units, simulate vs decompose, forecasting with carried state,
// and bit-exact serialisation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "mmm/demo.hpp"
#include "mmm/errors.hpp"
#include "mmm/fit.hpp"

namespace {

struct Fixture {
  mmm::Panel panel;
  mmm::FitResult result;
};

const Fixture& fitted() {
  static Fixture f = [] {
    mmm::DemoConfig dc;
    dc.regions = 7;
    dc.weeks = 60;
    dc.channels = 4;
    dc.controls = 2;
    dc.seed = 5;
    Fixture x;
    x.panel = mmm::generate_demo(dc).panel;
    mmm::FitConfig c;
    c.hidden = 8;
    c.epochs = 15;
    c.warm_start_epochs = 5;
    c.holdout_weeks = 8;
    c.validation_weeks = 6;
    x.result = mmm::fit(x.panel, c);
    return x;
  }();
  return f;
}

}  // namespace

TEST(FittedModel, DecompositionAddsUpInKpiUnits) {
  const auto& f = fitted();
  mmm::Decomposition d = f.result.model.decompose();
  ASSERT_EQ(d.prediction.size(), f.panel.kpi.size());
  EXPECT_EQ(d.kpi, f.panel.kpi);
  for (int r = 0; r < d.regions; ++r)
    for (int t = 0; t < d.weeks; ++t) {
      size_t i = static_cast<size_t>(r) * d.weeks + t;
      double s = static_cast<double>(d.baseline[i]) + d.seasonal[i];
      for (int k = 0; k < d.controls; ++k) s += d.control[i * d.controls + k];
      for (int c = 0; c < d.channels; ++c) {
        s += d.media[i * d.channels + c];
        EXPECT_GE(d.media[i * d.channels + c], 0.0f);
        EXPECT_GE(d.media_coef[i * d.channels + c], 0.0f);
      }
      EXPECT_NEAR(d.prediction[i], s, 1e-5 * (1 + std::fabs(s)));
    }
}

TEST(FittedModel, SimulateWithThePanelsPlanEqualsDecompose) {
  const auto& f = fitted();
  mmm::Decomposition a = f.result.model.decompose();
  mmm::Decomposition b = f.result.model.simulate(f.panel.media, f.panel.control_values);
  EXPECT_EQ(a.prediction, b.prediction);
  EXPECT_EQ(a.media, b.media);
  mmm::Decomposition c = f.result.model.simulate(f.panel.media, {});
  EXPECT_EQ(a.prediction, c.prediction);
  EXPECT_TRUE(b.kpi.empty());
}

TEST(FittedModel, MoreMediaNeverLowersThatChannelsContribution) {
  const auto& f = fitted();
  std::vector<float> more = f.panel.media;
  const int C = f.panel.channels;
  for (size_t i = 0; i < more.size(); i += C) more[i] *= 1.5f;  // channel 0 +50%
  mmm::Decomposition a = f.result.model.decompose();
  mmm::Decomposition b = f.result.model.simulate(more, {});
  double sa = 0, sb = 0;
  for (size_t i = 0; i < a.media.size(); i += C) {
    sa += a.media[i];
    sb += b.media[i];
  }
  EXPECT_GT(sb, sa);
}

TEST(FittedModel, SimulatesBeyondThePanelEnd) {
  const auto& f = fitted();
  const int R = f.panel.regions, T = f.panel.weeks, C = f.panel.channels, W = T + 10;
  std::vector<float> media(static_cast<size_t>(R) * W * C);
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < W; ++t)
      for (int c = 0; c < C; ++c)
        media[(static_cast<size_t>(r) * W + t) * C + c] = f.panel.media[(static_cast<size_t>(r) * T + std::min(t, T - 1)) * C + c];
  mmm::Decomposition d = f.result.model.simulate(media, {});
  EXPECT_EQ(d.weeks, W);
  for (float v : d.prediction) EXPECT_TRUE(std::isfinite(v));
  EXPECT_THROW(f.result.model.simulate(std::vector<float>(5, 1.0f), {}), mmm::InvalidData);
}

TEST(FittedModel, HoldoutCarriesStateFromTraining) {
  // Changing media in the last training week changes the first holdout week's prediction
  // (adstock and GRU state are carried, not restarted).
  const auto& f = fitted();
  const int T = f.panel.weeks, C = f.panel.channels, t_last = f.result.train_weeks - 1;
  std::vector<float> media = f.panel.media;
  for (int c = 0; c < C; ++c) media[static_cast<size_t>(t_last) * C + c] *= 3.0f;
  mmm::Decomposition a = f.result.model.decompose();
  mmm::Decomposition b = f.result.model.simulate(media, {});
  EXPECT_NE(a.prediction[t_last + 1], b.prediction[t_last + 1]);
  EXPECT_EQ(a.prediction[T + t_last + 1], b.prediction[T + t_last + 1]);  // other regions unaffected
}

TEST(FittedModel, SerialisationRoundTripIsBitExact) {
  const auto& f = fitted();
  std::vector<uint8_t> bytes = f.result.model.serialize();
  mmm::FittedModel m = mmm::FittedModel::deserialize(bytes);
  EXPECT_EQ(m.serialize(), bytes);
  EXPECT_EQ(m.parameters(), f.result.model.parameters());
  mmm::Decomposition a = f.result.model.decompose(), b = m.decompose();
  EXPECT_EQ(a.prediction, b.prediction);
  EXPECT_EQ(a.media, b.media);
  EXPECT_EQ(m.config().hidden, 8);
  EXPECT_EQ(m.channel_names(), f.panel.channel_names);
  // Corrupt inputs are rejected with InvalidData, never a crash.
  std::vector<uint8_t> bad = bytes;
  bad[0] ^= 0xFF;
  EXPECT_THROW(mmm::FittedModel::deserialize(bad), mmm::InvalidData);
  std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + bytes.size() / 2);
  EXPECT_THROW(mmm::FittedModel::deserialize(cut), mmm::InvalidData);
  bad = bytes;
  bad[4] = 99;  // version
  EXPECT_THROW(mmm::FittedModel::deserialize(bad), mmm::InvalidData);
}

// Older images come from models without the adstock lag blend (format 3 added it). Build them from
// a current image of such a model: transform_lr_mult (a double after warmup_epochs, format >= 2) and
// adstock_delay + adstock_delay_init (a bool and a double right after it, format >= 3) removed.
// The offset: magic + version, then holdout_weeks i32, holdout_ratio f64, validation_weeks,
// burn_in_weeks i32, media_scaling string, 2 bools, control_clip f64, fourier i32, trend bool,
// hidden/control_hidden/coef_hidden i32, dag_mode string, 8 f64 (dag_temperature .. dropout),
// epochs/warm_start i32, warm_start_lr_mult/learning_rate f64, warmup_epochs i32.
namespace {
// A few epochs of a small model: enough for the serialisation tests.
mmm::FitConfig tiny_config() {
  mmm::FitConfig c;
  c.hidden = 8;
  c.epochs = 5;
  c.warm_start_epochs = 2;
  c.holdout_weeks = 8;
  c.validation_weeks = 6;
  return c;
}
const mmm::FitResult& fitted_without_lag_blend() {
  static mmm::FitResult r = [] {
    mmm::FitConfig c = tiny_config();
    c.adstock_delay = false;
    c.level_knot_weeks = 0;  // older formats have no local level
    c.media_share_cap = 0.0;
    return mmm::fit(fitted().panel, c);
  }();
  return r;
}
std::vector<uint8_t> old_image(uint32_t version, const mmm::FittedModel& model) {
  mmm::FitConfig c = model.config();
  std::vector<uint8_t> current = model.serialize();
  size_t off = 8 + 4 + 8 + 4 + 4 + (4 + c.media_scaling.size()) + 2 + 8 + 4 + 1 + 12 + (4 + c.dag_mode.size()) +
               8 * 8 + 8 + 16 + 4;
  double stored;
  std::memcpy(&stored, current.data() + off, 8);
  EXPECT_EQ(stored, c.transform_lr_mult);
  EXPECT_EQ(current[off + 8], 0);  // adstock_delay = false
  // Fields added after version 1, in image order: transform_lr_mult (v2, 8 bytes), adstock_delay and
  // its init (v3, 1 + 8), notears_data_weight (v4, 8), then the v5 fields level_knot_weeks (4),
  // level_smoothness (8), attribution_prior_one_sided (1), media_share_cap and its weight (8 + 8).
  const size_t v5_fields = 4 + 8 + 1 + 8 + 8;
  const size_t keep = version >= 4 ? 8 + 1 + 8 + 8 : version >= 3 ? 8 + 1 + 8 : version >= 2 ? 8 : 0;
  std::vector<uint8_t> v(current.begin(), current.begin() + off + keep);
  v.insert(v.end(), current.begin() + off + 8 + 1 + 8 + 8 + v5_fields, current.end());
  v[4] = static_cast<uint8_t>(version);
  return v;
}
}  // namespace

TEST(FittedModel, ReadsFormatVersion1) {
  const mmm::FittedModel& model = fitted_without_lag_blend().model;
  mmm::FittedModel m = mmm::FittedModel::deserialize(old_image(1, model));
  EXPECT_EQ(m.parameters(), model.parameters());
  EXPECT_EQ(m.config().transform_lr_mult, 1.0);
  EXPECT_FALSE(m.config().adstock_delay);
}

TEST(FittedModel, ReadsFormatVersion2WithoutLagBlend) {
  const mmm::FittedModel& model = fitted_without_lag_blend().model;
  mmm::FittedModel m = mmm::FittedModel::deserialize(old_image(2, model));
  EXPECT_EQ(m.parameters(), model.parameters());
  EXPECT_FALSE(m.config().adstock_delay);
  EXPECT_EQ(m.decompose().prediction, model.decompose().prediction);
}

TEST(FittedModel, ReadsFormatVersion3WithoutTheNotearsDataTerm) {
  const mmm::FittedModel& model = fitted_without_lag_blend().model;
  mmm::FittedModel m = mmm::FittedModel::deserialize(old_image(3, model));
  EXPECT_EQ(m.parameters(), model.parameters());
  EXPECT_EQ(m.config().notears_data_weight, 0.0);  // version 3 trained without it
  EXPECT_EQ(m.decompose().prediction, model.decompose().prediction);
}

TEST(FittedModel, ReadsFormatVersion4WithoutTheLocalLevel) {
  const mmm::FittedModel& model = fitted_without_lag_blend().model;
  mmm::FittedModel m = mmm::FittedModel::deserialize(old_image(4, model));
  EXPECT_EQ(m.parameters(), model.parameters());
  EXPECT_EQ(m.config().level_knot_weeks, 0);  // version 4 had no local level
  EXPECT_EQ(m.config().media_share_cap, 0.0);
  EXPECT_EQ(m.decompose().prediction, model.decompose().prediction);
}

TEST(FittedModel, LocalLevelRoundTrips) {
  mmm::FitConfig c = tiny_config();
  c.level_knot_weeks = 10;
  c.media_share_cap = 0.5;
  const mmm::FittedModel model = mmm::fit(fitted().panel, c).model;
  ASSERT_GT(model.spec().level_knots, 1);
  mmm::FittedModel m = mmm::FittedModel::deserialize(model.serialize());
  EXPECT_EQ(m.spec().level_knots, model.spec().level_knots);
  EXPECT_EQ(m.spec().level_end, model.spec().level_end);
  EXPECT_EQ(m.config().media_share_cap, 0.5);
  EXPECT_EQ(m.decompose().prediction, model.decompose().prediction);
}

TEST(FittedModel, LagBlendRoundTrips) {
  const mmm::FittedModel& model = fitted().result.model;
  ASSERT_TRUE(model.config().adstock_delay);
  mmm::FittedModel m = mmm::FittedModel::deserialize(model.serialize());
  EXPECT_TRUE(m.config().adstock_delay);
  EXPECT_EQ(m.decompose().prediction, model.decompose().prediction);
}

TEST(FitResult, HoldsEverythingDownstreamNeeds) {
  const auto& f = fitted();
  const auto& r = f.result;
  const int C = f.panel.channels;
  EXPECT_EQ(r.dag_adjacency.size(), static_cast<size_t>(C * C));
  EXPECT_TRUE(r.dag_acyclic);
  for (int i = 0; i < C; ++i)
    for (int j = 0; j <= i; ++j) EXPECT_EQ(r.dag_adjacency[i * C + j], 0.0f);  // triangular
  ASSERT_EQ(r.adstock_decay.size(), static_cast<size_t>(C));
  for (int c = 0; c < C; ++c) {
    EXPECT_GT(r.adstock_decay[c], 0.0f);
    EXPECT_LT(r.adstock_decay[c], 0.9f);
    EXPECT_GT(r.hill_slope[c], 0.5f);
    EXPECT_GT(r.hill_half_saturation[c], 0.0f);
  }
  EXPECT_EQ(r.scaled_media.size(), f.panel.media.size());
  EXPECT_EQ(r.scaled_kpi.size(), f.panel.kpi.size());
  EXPECT_EQ(r.holdout.n, static_cast<long>(f.panel.regions) * 8);
  EXPECT_EQ(r.train.n, static_cast<long>(f.panel.regions) * (52 - r.burn_in_weeks));
  EXPECT_GT(r.fit_seconds, 0.0);
  EXPECT_EQ(static_cast<int>(r.history.size()), r.epochs_run);
}
