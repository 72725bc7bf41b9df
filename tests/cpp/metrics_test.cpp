#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "mmm/errors.hpp"
#include "mmm/metrics.hpp"

using mmm::score;

TEST(Metrics, HandComputedTwoRegions) {
  // Region 0: y = 1 2 3, yhat = 1 2 4.  Region 1: y = 10 10 13, yhat = 11 10 13.
  const std::vector<float> y = {1, 2, 3, 10, 10, 13};
  const std::vector<float> f = {1, 2, 4, 11, 10, 13};
  const auto m = score(y, f, 2, 3, 0, 3, 3);
  EXPECT_EQ(m.n, 6);
  // SSE = 1 + 1 = 2, pooled mean = 39/6 = 6.5, SST = 5.5²+4.5²+3.5²+3.5²+3.5²+6.5² = 129.5
  EXPECT_NEAR(m.r2, 1.0 - 2.0 / 129.5, 1e-12);
  // Within: region means 2 and 11: (1+0+1) + (1+1+4) = 8
  EXPECT_NEAR(m.r2_within, 1.0 - 2.0 / 8.0, 1e-12);
  EXPECT_NEAR(m.rmse, std::sqrt(2.0 / 6.0), 1e-12);
  EXPECT_NEAR(m.mae, 2.0 / 6.0, 1e-12);
  EXPECT_NEAR(m.wape, 2.0 / 39.0, 1e-12);
  EXPECT_NEAR(m.rel_error, std::sqrt(2.0 / 6.0) / 6.5, 1e-12);
  // Per region: 1 − 1/2 = 0.5 and 1 − 1/6; median of two = mean.
  EXPECT_EQ(m.r2_regions, 2);
  EXPECT_NEAR(m.r2_region_median, 0.5 * (0.5 + 5.0 / 6.0), 1e-12);
  EXPECT_NEAR(m.mean_y, 6.5, 1e-12);
}

TEST(Metrics, RecentMeanSkillUsesTrainingWeeksOnly) {
  // One region, 16 training weeks then 2 holdout weeks. Last 13 training weeks are 3..15 → mean 9.
  std::vector<float> y(18), f(18);
  for (int t = 0; t < 18; ++t) y[t] = static_cast<float>(t);
  for (int t = 0; t < 18; ++t) f[t] = static_cast<float>(t) + 1.0f;  // error 1 everywhere
  const auto m = score(y, f, 1, 18, 16, 18, 16);
  ASSERT_TRUE(m.skill.recent_available);
  // Naive errors on weeks 16, 17: 7, 8 → SSE 113; model SSE 2.
  EXPECT_NEAR(m.skill.recent_mean, 1.0 - 2.0 / 113.0, 1e-12);
  EXPECT_FALSE(m.skill.seasonal_available);  // no week 52 earlier
  EXPECT_TRUE(std::isnan(m.skill.seasonal_naive));

  // Short training: fewer than 13 weeks are averaged.
  std::vector<float> y2 = {2, 4, 9}, f2 = {2, 4, 8};
  const auto m2 = score(y2, f2, 1, 3, 2, 3, 2);  // naive = mean(2,4) = 3 → error 6
  EXPECT_NEAR(m2.skill.recent_mean, 1.0 - 1.0 / 36.0, 1e-12);

  // No training weeks: unavailable.
  const auto m3 = score(y2, f2, 1, 3, 0, 3, 0);
  EXPECT_FALSE(m3.skill.recent_available);
  EXPECT_TRUE(std::isnan(m3.skill.recent_mean));
}

TEST(Metrics, SeasonalNaiveHonestIndices) {
  // 1 region, 120 weeks, train_end = 100. y_t = t (so the seasonal naive error is 52·k).
  const int W = 120;
  std::vector<float> y(W), f(W);
  for (int t = 0; t < W; ++t) {
    y[t] = static_cast<float>(t);
    f[t] = static_cast<float>(t) + 2.0f;
  }
  // Holdout 100..119: t − 52 ranges 48..67, but 67 ≥ train_end only when t ≥ 152 — here all < 100,
  // so k = 1 everywhere and the naive error is 52.
  auto m = score(y, f, 1, W, 100, 120, 100);
  ASSERT_TRUE(m.skill.seasonal_available);
  EXPECT_NEAR(m.skill.seasonal_naive, 1.0 - 4.0 / (52.0 * 52.0), 1e-12);

  // Short training (train_end = 60), holdout 60..119: weeks t ≥ 112 need k = 2 (t − 104 < 60).
  m = score(y, f, 1, W, 60, 120, 60);
  ASSERT_TRUE(m.skill.seasonal_available);
  double sse_naive = 0;
  for (int t = 60; t < 120; ++t) {
    const int k = (t - 60) / 52 + 1;
    sse_naive += (52.0 * k) * (52.0 * k);
  }
  EXPECT_NEAR(m.skill.seasonal_naive, 1.0 - 60 * 4.0 / sse_naive, 1e-12);

  // Training range scoring: weeks 0..51 have no history → unavailable; 52..99 available.
  EXPECT_FALSE(score(y, f, 1, W, 0, 100, 100).skill.seasonal_available);
  EXPECT_TRUE(score(y, f, 1, W, 52, 100, 100).skill.seasonal_available);
  // Forecasting weeks whose one-year-earlier value is not in the training data and 52·k goes
  // below 0: train_end = 30, holdout week 100 → k = 2 → index −4 → unavailable.
  EXPECT_FALSE(score(y, f, 1, W, 100, 101, 30).skill.seasonal_available);
}

TEST(Metrics, DegenerateCases) {
  const std::vector<float> y = {5, 5, 5, 5};
  // Constant KPI, perfect fit: R² conventions give 1, WAPE 0.
  auto m = score(y, y, 2, 2, 0, 2, 2);
  EXPECT_EQ(m.r2, 1.0);
  EXPECT_EQ(m.r2_within, 1.0);
  EXPECT_EQ(m.wape, 0.0);
  EXPECT_EQ(m.rmse, 0.0);
  EXPECT_EQ(m.r2_regions, 0);
  EXPECT_TRUE(std::isnan(m.r2_region_median));
  EXPECT_EQ(m.skill.recent_mean, 0.0);  // perfect model, perfect naive: no skill
  // Constant KPI, imperfect fit: R² 0 (finite), skill NaN.
  const std::vector<float> f = {5, 6, 5, 5};
  m = score(y, f, 2, 2, 0, 2, 2);
  EXPECT_EQ(m.r2, 0.0);
  EXPECT_EQ(m.r2_within, 0.0);
  EXPECT_TRUE(std::isnan(m.skill.recent_mean));
  // Zero KPI: WAPE and relative error undefined.
  const std::vector<float> z = {0, 0, 0, 0};
  m = score(z, f, 2, 2, 0, 2, 2);
  EXPECT_TRUE(std::isnan(m.wape));
  EXPECT_TRUE(std::isnan(m.rel_error));
  m = score(z, z, 2, 2, 0, 2, 2);
  EXPECT_EQ(m.wape, 0.0);
  EXPECT_EQ(m.rel_error, 0.0);
  // Empty range: n = 0, NaN metrics, no exception.
  m = score(y, f, 2, 2, 1, 1, 1);
  EXPECT_EQ(m.n, 0);
  EXPECT_TRUE(std::isnan(m.r2));
  EXPECT_TRUE(std::isnan(m.rmse));
  EXPECT_FALSE(m.skill.recent_available);
  EXPECT_FALSE(m.skill.seasonal_available);
}

TEST(Metrics, RegionMedianSkipsConstantRegions) {
  // Region 0 constant (skipped), regions 1 and 2 with R² 0.5 and 0.75, region 3 with R² −1.
  const std::vector<float> y = {3, 3, 0, 2, 0, 4, 0, 2};
  const std::vector<float> f = {3, 4, 0.5f, 1.5f, 1, 3, 1, 1};
  const auto m = score(y, f, 4, 2, 0, 2, 2);
  EXPECT_EQ(m.r2_regions, 3);
  // R²: region1 1 − 0.5/2 = 0.75; region2 1 − 2/8 = 0.75; region3 1 − 2/2 = 0 → median 0.75
  EXPECT_NEAR(m.r2_region_median, 0.75, 1e-12);
}

TEST(Metrics, PooledR2HidesLackOfSkill) {
  // Two regions 100x apart, model = each region's constant: pooled R² is high, within R² is 0.
  std::vector<float> y, f;
  for (int r = 0; r < 2; ++r)
    for (int t = 0; t < 10; ++t) {
      const float level = r == 0 ? 10.0f : 1000.0f;
      y.push_back(level + ((t % 2) ? 1.0f : -1.0f));
      f.push_back(level);
    }
  const auto m = score(y, f, 2, 10, 0, 10, 10);
  EXPECT_GT(m.r2, 0.999);
  EXPECT_NEAR(m.r2_within, 0.0, 1e-12);
}

TEST(Metrics, ValidatesInputs) {
  const std::vector<float> y = {1, 2, 3, 4};
  EXPECT_THROW(score(y, std::vector<float>{1, 2, 3}, 2, 2, 0, 2, 2), mmm::InvalidData);
  EXPECT_THROW(score(y, y, 2, 2, 1, 0, 2), mmm::InvalidConfig);
  EXPECT_THROW(score(y, y, 2, 2, 0, 3, 2), mmm::InvalidConfig);
  EXPECT_THROW(score(y, y, 2, 2, 0, 2, 5), mmm::InvalidConfig);
  std::vector<float> bad = y;
  bad[3] = std::nanf("");
  try {
    score(y, bad, 2, 2, 0, 2, 2);
    FAIL();
  } catch (const mmm::InvalidData& e) {
    EXPECT_NE(std::string(e.what()).find("yhat at region 1, week 1"), std::string::npos);
  }
  try {
    score(y, y, 2, 2, 0, 3, 2);
    FAIL();
  } catch (const mmm::InvalidConfig& e) {
    EXPECT_NE(std::string(e.what()).find("t_end is 3"), std::string::npos);
  }
}

TEST(Metrics, TrainHoldoutGap) {
  mmm::Metrics tr, ho;
  tr.r2 = 0.95;
  ho.r2 = 0.842;
  tr.r2_within = 0.8;
  ho.r2_within = 0.5;
  tr.wape = 0.05;
  ho.wape = 0.08;
  tr.rmse = 2;
  ho.rmse = 3;
  const auto g = mmm::train_holdout_gap(tr, ho);
  EXPECT_NEAR(g.r2, 0.108, 1e-12);
  EXPECT_NEAR(g.r2_within, 0.3, 1e-12);
  EXPECT_NEAR(g.wape, 0.03, 1e-12);
  EXPECT_NEAR(g.rmse_ratio, 1.5, 1e-12);
}
