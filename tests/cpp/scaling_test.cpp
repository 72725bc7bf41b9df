#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "mmm/errors.hpp"
#include "mmm/scaling.hpp"
#include "mmm/seasonality.hpp"

namespace {

mmm::Panel small_panel() {
  mmm::Panel p;
  p.regions = 2;
  p.weeks = 10;
  p.channels = 2;
  p.controls = 1;
  for (int r = 0; r < 2; ++r)
    for (int t = 0; t < 10; ++t) {
      double size = r == 0 ? 1.0 : 100.0;
      p.media.push_back(static_cast<float>(size * (1 + t % 3)));
      p.media.push_back(static_cast<float>(size * 2 * (t % 2)));
      p.control_values.push_back(static_cast<float>(size * 10 + t));
      p.kpi.push_back(static_cast<float>(size * (50 + t)));
    }
  return p;
}

}  // namespace

TEST(Scaling, FitOnTrainingWeeksOnlyAndKeepsVolume) {
  mmm::Panel p = small_panel();
  mmm::FitConfig cfg;
  mmm::Scalers s;
  s.fit(p, 6, cfg);
  // KPI: divided by each region's mean over the 6 training weeks (52.5 x size).
  EXPECT_NEAR(s.kpi_mean[0], 52.5, 1e-9);
  EXPECT_NEAR(s.kpi_mean[1], 5250.0, 1e-6);
  std::vector<float> y(p.kpi.size());
  s.scale_kpi(p.kpi.data(), p.weeks, y.data());
  EXPECT_NEAR(y[0] * s.kpi_mean[0], p.kpi[0], 1e-4);  // inverse
  // Media: doubling the plan doubles the scaled input (volume kept), and regions of different size
  // but equal intensity get equal scaled values.
  std::vector<float> m(p.media.size()), m2(p.media.size()), dbl(p.media);
  for (float& v : dbl) v *= 2;
  s.scale_media(p.media.data(), p.weeks, m.data());
  s.scale_media(dbl.data(), p.weeks, m2.data());
  for (size_t i = 0; i < m.size(); ++i) EXPECT_NEAR(m2[i], 2 * m[i], 1e-5);
  for (int t = 0; t < p.weeks; ++t)
    for (int c = 0; c < 2; ++c) EXPECT_NEAR(m[t * 2 + c], m[(10 + t) * 2 + c], 1e-4);
  // Controls: per-region z-score of training weeks, clipped.
  std::vector<float> z(p.control_values.size());
  s.scale_controls(p.control_values.data(), p.weeks, z.data());
  double mean = 0;
  for (int t = 0; t < 6; ++t) mean += z[t];
  EXPECT_NEAR(mean / 6, 0.0, 1e-5);
  for (float v : z) EXPECT_LE(std::fabs(v), cfg.control_clip + 1e-6);
}

TEST(Scaling, RobustAndPooledOptions) {
  mmm::Panel p = small_panel();
  mmm::FitConfig cfg;
  cfg.robust_controls = true;
  cfg.control_per_region = false;
  cfg.media_scaling = "global";
  mmm::Scalers s;
  s.fit(p, 8, cfg);
  EXPECT_EQ(s.control_center[0], s.control_center[1]);
  EXPECT_EQ(s.media_divisor[0], s.media_divisor[2]);
  cfg.media_scaling = "region";
  s.fit(p, 8, cfg);
  EXPECT_GT(s.media_divisor[2], 50 * s.media_divisor[0]);
}

TEST(Scaling, RejectsKpiWithoutPositiveMean) {
  mmm::Panel p = small_panel();
  for (float& v : p.kpi) v = 0;
  mmm::Scalers s;
  EXPECT_THROW(s.fit(p, 6, mmm::FitConfig()), mmm::InvalidData);
}

TEST(Seasonality, FollowsTheCalendarIntoTheFuture) {
  mmm::Panel p;
  p.weeks = 4;
  p.week_of_year = {50, 51, 52, 1};
  auto s = mmm::Seasonality::from_panel(p, 2);
  EXPECT_EQ(s.phase(0), 49);
  EXPECT_EQ(s.phase(3), 0);
  EXPECT_EQ(s.phase(4), 1);   // continues past the panel's end
  EXPECT_EQ(s.phase(55), 0);  // one year after week 3
  auto b = s.basis(60);
  for (int j = 0; j < 4; ++j) EXPECT_NEAR(b[3 * 4 + j], b[55 * 4 + j], 1e-6);
  mmm::Panel q;
  q.weeks = 3;
  auto u = mmm::Seasonality::from_panel(q, 1);
  EXPECT_EQ(u.phase(53), 1);  // unknown calendar: t mod 52
}
