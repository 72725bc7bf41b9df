#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <string>

#include "mmm/demo.hpp"
#include "mmm/errors.hpp"

namespace {

mmm::DemoConfig small_config() {
  mmm::DemoConfig c;
  c.regions = 12;
  c.weeks = 60;
  c.channels = 8;
  c.controls = 3;
  return c;
}

template <typename T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

std::string config_error(const mmm::DemoConfig& c) {
  try {
    c.validate();
  } catch (const mmm::InvalidConfig& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Demo, DeterministicForASeed) {
  const auto a = mmm::generate_demo(small_config());
  const auto b = mmm::generate_demo(small_config());
  EXPECT_TRUE(same_bits(a.panel.kpi, b.panel.kpi));
  EXPECT_TRUE(same_bits(a.panel.media, b.panel.media));
  EXPECT_TRUE(same_bits(a.panel.spend, b.panel.spend));
  EXPECT_TRUE(same_bits(a.panel.control_values, b.panel.control_values));
  EXPECT_TRUE(same_bits(a.impressions, b.impressions));
  EXPECT_TRUE(same_bits(a.truth.media_contribution, b.truth.media_contribution));
  EXPECT_TRUE(same_bits(a.truth.noise, b.truth.noise));
  EXPECT_EQ(a.truth.channel[3].roi, b.truth.channel[3].roi);
}

TEST(Demo, SameBitsForAnyThreadCount) {
  auto c = small_config();
  c.regions = 70;  // several chunks of regions
  const auto a = mmm::generate_demo(c);
  c.threads = 3;
  const auto b = mmm::generate_demo(c);
  EXPECT_TRUE(same_bits(a.panel.kpi, b.panel.kpi));
  EXPECT_TRUE(same_bits(a.panel.media, b.panel.media));
  EXPECT_TRUE(same_bits(a.truth.media_contribution, b.truth.media_contribution));
  EXPECT_EQ(a.truth.total_kpi, b.truth.total_kpi);
  EXPECT_EQ(a.truth.channel[1].marginal_roi, b.truth.channel[1].marginal_roi);
  EXPECT_EQ(a.truth.channel[0].indirect_contribution, b.truth.channel[0].indirect_contribution);
}

TEST(Demo, DifferentSeedsDiffer) {
  auto c = small_config();
  const auto a = mmm::generate_demo(c);
  c.seed = 43;
  const auto b = mmm::generate_demo(c);
  EXPECT_FALSE(same_bits(a.panel.kpi, b.panel.kpi));
  EXPECT_FALSE(same_bits(a.panel.media, b.panel.media));
}

TEST(Demo, RegionDataDoNotDependOnRegionCount) {
  auto c = small_config();
  const auto a = mmm::generate_demo(c);
  c.regions = 5;
  const auto b = mmm::generate_demo(c);
  // Same spend for the shared regions (the KPI differs only through the calibrated effect scale).
  const size_t n = static_cast<size_t>(5) * c.weeks * c.channels;
  EXPECT_EQ(0, std::memcmp(a.panel.spend.data(), b.panel.spend.data(), n * sizeof(float)));
}

TEST(Demo, KpiIsTheSumOfItsComponents) {
  const auto d = mmm::generate_demo(small_config());
  const auto& p = d.panel;
  const auto& tr = d.truth;
  double max_rel = 0;
  for (int r = 0; r < p.regions; ++r)
    for (int t = 0; t < p.weeks; ++t) {
      const size_t cell = static_cast<size_t>(r) * p.weeks + t;
      double s = static_cast<double>(tr.baseline[cell]) + tr.seasonal[cell] + tr.noise[cell];
      for (int k = 0; k < p.controls; ++k) s += tr.control_contribution[cell * p.controls + k];
      for (int c = 0; c < p.channels; ++c) s += tr.media_contribution[cell * p.channels + c];
      max_rel = std::max(max_rel, std::fabs(s - p.kpi[cell]) / std::fabs(s));
      ASSERT_GT(p.kpi[cell], 0.0f);
    }
  EXPECT_LT(max_rel, 1.2e-7);  // float rounding of the KPI only
  // Totals agree with the per-cell truth.
  double media = 0;
  for (const auto& ch : tr.channel) media += ch.total_contribution;
  EXPECT_NEAR(media / tr.total_media, 1.0, 1e-9);
  EXPECT_NEAR((tr.total_baseline + tr.total_seasonal + tr.total_controls + tr.total_media + tr.total_noise) /
                  tr.total_kpi,
              1.0, 1e-9);
}

TEST(Demo, ShapesNamesAndCalendar) {
  auto c = small_config();
  c.start_date = "2023-01-04";  // a Wednesday: snapped back to Monday 2023-01-02
  const auto d = mmm::generate_demo(c);
  const auto& p = d.panel;
  EXPECT_NO_THROW(p.validate());
  const size_t cells = static_cast<size_t>(c.regions) * c.weeks;
  EXPECT_EQ(p.media.size(), cells * c.channels);
  EXPECT_EQ(p.spend.size(), cells * c.channels);
  EXPECT_EQ(d.impressions.size(), cells * c.channels);
  EXPECT_EQ(p.control_values.size(), cells * c.controls);
  EXPECT_EQ(p.kpi.size(), cells);
  EXPECT_EQ(d.truth.media_contribution.size(), cells * c.channels);
  EXPECT_EQ(d.truth.control_contribution.size(), cells * c.controls);
  EXPECT_TRUE(same_bits(p.media, p.spend));  // spend is the model driver
  EXPECT_EQ(p.region_names.front(), "Region 01");
  EXPECT_EQ(p.region_names.back(), "Region 12");
  const std::vector<std::string> ch = {"TV", "Search", "Social", "Display", "Radio", "Video", "Print", "OOH"};
  EXPECT_EQ(p.channel_names, ch);
  EXPECT_EQ(p.control_names, (std::vector<std::string>{"Price index", "Competitor activity", "Holiday"}));
  ASSERT_EQ(p.dates.size(), static_cast<size_t>(c.weeks));
  EXPECT_EQ(p.dates[0], "2023-01-02");
  EXPECT_EQ(p.dates[1], "2023-01-09");
  EXPECT_EQ(p.dates[52], "2024-01-01");
  EXPECT_EQ(p.week_of_year[0], 1);
  EXPECT_EQ(p.week_of_year[51], 52);
  EXPECT_EQ(p.week_of_year[52], 1);  // 2024-01-01 is ISO 2024-W01

  auto big = c;
  big.regions = 120;
  big.channels = 11;
  big.controls = 8;
  big.weeks = 10;
  const auto e = mmm::generate_demo(big);
  EXPECT_EQ(e.panel.region_names.front(), "Region 001");
  EXPECT_EQ(e.panel.channel_names[8], "Channel 9");
  EXPECT_EQ(e.panel.channel_names[10], "Channel 11");
  EXPECT_EQ(e.panel.control_names[6], "Control 7");
  EXPECT_NO_THROW(e.panel.validate());
}

TEST(Demo, IsoCalendar) {
  EXPECT_EQ(mmm::format_iso_date(0), "1970-01-01");
  EXPECT_EQ(mmm::iso_weekday(0), 4);  // Thursday
  const long long d = mmm::parse_iso_date("2020-12-31", "x");
  EXPECT_EQ(mmm::format_iso_date(d), "2020-12-31");
  EXPECT_EQ(mmm::iso_week_of_year(d), 53);  // 2020 has 53 ISO weeks
  EXPECT_EQ(mmm::iso_week_of_year(mmm::parse_iso_date("2021-01-03", "x")), 53);
  EXPECT_EQ(mmm::iso_week_of_year(mmm::parse_iso_date("2021-01-04", "x")), 1);
  EXPECT_EQ(mmm::iso_week_of_year(mmm::parse_iso_date("2019-12-30", "x")), 1);  // ISO 2020-W01
  EXPECT_EQ(mmm::format_iso_date(mmm::parse_iso_date("2024-02-29", "x")), "2024-02-29");
  EXPECT_THROW(mmm::parse_iso_date("2023-02-29", "x"), mmm::InvalidConfig);
  EXPECT_THROW(mmm::parse_iso_date("2023-1-02", "x"), mmm::InvalidConfig);
}

TEST(Demo, RealisticTruth) {
  const auto d = mmm::generate_demo(mmm::DemoConfig{});  // 50 x 104 x 8 x 3 defaults
  const auto& tr = d.truth;
  EXPECT_GT(tr.media_share, 0.2);
  EXPECT_LT(tr.media_share, 0.4);
  // Region sizes spread widely but at most 100x.
  const auto mm = std::minmax_element(tr.region_size.begin(), tr.region_size.end());
  EXPECT_GT(*mm.second / *mm.first, 20.0);
  EXPECT_LE(*mm.second / *mm.first, 100.0 + 1e-9);
  double share = 0;
  for (const auto& ch : tr.channel) {
    share += ch.share;
    EXPECT_GT(ch.total_spend, 0) << ch.name;
    EXPECT_GT(ch.total_contribution, 0) << ch.name;
    EXPECT_GT(ch.roi, 0.2) << ch.name;
    EXPECT_LT(ch.roi, 20.0) << ch.name;
    EXPECT_GT(ch.marginal_roi, 0) << ch.name;
    EXPECT_GT(ch.hill_slope, 0) << ch.name;
    EXPECT_GT(ch.half_saturation, 0) << ch.name;
    double w = 0;
    for (double x : ch.adstock_weights) w += x;
    EXPECT_NEAR(w, 1.0, 1e-12) << ch.name;
    const auto peak = std::max_element(ch.adstock_weights.begin(), ch.adstock_weights.end());
    EXPECT_EQ(peak - ch.adstock_weights.begin(), ch.peak_delay) << ch.name;
  }
  EXPECT_NEAR(share, 1.0, 1e-9);
  EXPECT_EQ(tr.channel[0].peak_delay, 1);  // TV has a delayed peak
  // Burst channels have weeks without spend; always-on channels do not.
  int tv_zero = 0, search_zero = 0;
  for (int r = 0; r < d.panel.regions; ++r)
    for (int t = 0; t < d.panel.weeks; ++t) {
      tv_zero += d.panel.media_at(r, t, 0) == 0.0f;
      search_zero += d.panel.media_at(r, t, 1) == 0.0f;
    }
  EXPECT_GT(tv_zero, 0);
  EXPECT_EQ(search_zero, 0);
  // Impressions follow spend / CPM.
  double s = 0, imp = 0;
  for (size_t i = 2; i < d.impressions.size(); i += 8) {
    s += d.panel.spend[i];
    imp += d.impressions[i];
  }
  EXPECT_NEAR(s / imp * 1000.0, tr.channel[2].cpm, 0.05 * tr.channel[2].cpm);
  // Controls: price and competitor hurt, holiday helps.
  EXPECT_LT(tr.control[0].coefficient, 0);
  EXPECT_LT(tr.control[1].coefficient, 0);
  EXPECT_GT(tr.control[2].coefficient, 0);
}

TEST(Demo, CausalEdgeAndIndirectCredit) {
  const auto d = mmm::generate_demo(small_config());
  const auto& tr = d.truth;
  ASSERT_EQ(tr.edges.size(), 1u);
  const auto& e = tr.edges[0];
  EXPECT_EQ(e.from_name, "TV");
  EXPECT_EQ(e.to_name, "Search");
  EXPECT_GT(e.strength, 0);
  EXPECT_GT(e.indirect_contribution, 0);
  EXPECT_LT(e.indirect_contribution, tr.channel[1].total_contribution);
  EXPECT_DOUBLE_EQ(tr.channel[0].indirect_contribution, e.indirect_contribution);
  EXPECT_DOUBLE_EQ(tr.channel[1].contribution_from_parents, e.indirect_contribution);
  EXPECT_GT(tr.channel[0].marginal_roi_with_indirect, tr.channel[0].marginal_roi);
  EXPECT_EQ(tr.channel[1].marginal_roi_with_indirect, tr.channel[1].marginal_roi);
  EXPECT_FALSE(e.description.empty());
  // Search spend tracks TV: weeks after TV flights see more Search spend.
  double cov = 0, mt = 0, ms = 0;
  const int n = d.panel.regions * d.panel.weeks;
  for (int i = 0; i < n; ++i) {
    mt += d.panel.media[i * 8 + 0];
    ms += d.panel.media[i * 8 + 1];
  }
  mt /= n;
  ms /= n;
  for (int i = 0; i < n; ++i) cov += (d.panel.media[i * 8 + 0] - mt) * (d.panel.media[i * 8 + 1] - ms);
  EXPECT_GT(cov, 0);
  // One channel: no edge.
  auto c = small_config();
  c.channels = 1;
  EXPECT_TRUE(mmm::generate_demo(c).truth.edges.empty());
}

TEST(Demo, TruthParametersReproduceContributions) {
  // The documented formula, fed with the observed spend and the truth parameters, gives back every
  // contribution once the adstock window lies inside the panel.
  const auto d = mmm::generate_demo(small_config());
  const auto& p = d.panel;
  const auto& tr = d.truth;
  double max_rel = 0;
  for (int c = 0; c < p.channels; ++c) {
    const auto& ch = tr.channel[c];
    const int L = static_cast<int>(ch.adstock_weights.size());
    for (int r = 0; r < p.regions; ++r)
      for (int t = L - 1; t < p.weeks; ++t) {
        double a = 0;
        for (int l = 0; l < L; ++l) a += ch.adstock_weights[l] * p.spend[(static_cast<size_t>(r) * p.weeks + t - l) * p.channels + c];
        const double K = ch.half_saturation_per_size * tr.region_size[r];
        const double h = a > 0 ? std::pow(a, ch.hill_slope) / (std::pow(a, ch.hill_slope) + std::pow(K, ch.hill_slope)) : 0.0;
        const double want = ch.effect_scale * ch.drift_at(t) * tr.region_base[r] * h;
        const double got = tr.media_at(r, t, c);
        max_rel = std::max(max_rel, std::fabs(got - want) / std::max(1e-9, std::fabs(want)));
      }
  }
  EXPECT_LT(max_rel, 1e-5);  // float storage of spend and contributions
}

TEST(Demo, MarginalRoiConsistentWithHill) {
  // The analytic marginal ROI is Σ effect·s·h·(1 − h) / Σ spend (a·h'(a) = s·h·(1 − h) for Hill), so
  // 0 < mROI < s·ROI.
  const auto d = mmm::generate_demo(small_config());
  for (const auto& ch : d.truth.channel) {
    EXPECT_GT(ch.marginal_roi, 0.0) << ch.name;
    EXPECT_LT(ch.marginal_roi, ch.roi * ch.hill_slope) << ch.name;  // s·h(1−h) < s·h
  }
}

TEST(Demo, ValidatesRanges) {
  auto c = small_config();
  c.regions = 0;
  EXPECT_EQ(config_error(c), "DemoConfig.regions is 0; allowed range is 1..2000");
  c = small_config();
  c.weeks = 261;
  EXPECT_NE(config_error(c).find("DemoConfig.weeks is 261"), std::string::npos);
  c = small_config();
  c.channels = 51;
  EXPECT_NE(config_error(c).find("channels"), std::string::npos);
  c = small_config();
  c.controls = -1;
  EXPECT_NE(config_error(c).find("controls"), std::string::npos);
  c = small_config();
  c.noise = -0.1;
  EXPECT_NE(config_error(c).find("noise"), std::string::npos);
  c = small_config();
  c.noise = std::nan("");
  EXPECT_NE(config_error(c).find("noise"), std::string::npos);
  c = small_config();
  c.threads = 0;
  EXPECT_NE(config_error(c).find("DemoConfig.threads is 0"), std::string::npos);
  c = small_config();
  c.start_date = "02/01/2023";
  EXPECT_NE(config_error(c).find("start_date"), std::string::npos);
  c = small_config();
  c.regions = 0;
  EXPECT_THROW(mmm::generate_demo(c), mmm::InvalidConfig);
}

TEST(Demo, NoImpressionsOption) {
  auto c = small_config();
  c.impressions = false;
  const auto a = mmm::generate_demo(c);
  EXPECT_TRUE(a.impressions.empty());
  c.impressions = true;
  const auto b = mmm::generate_demo(c);
  EXPECT_TRUE(same_bits(a.panel.kpi, b.panel.kpi));
}

TEST(Demo, LargeConfigGeneratesQuickly) {
#ifdef NDEBUG
  const int regions = 2000;
#else
  const int regions = 500;  // the Debug build is -O1; the full 2000 x 260 x 50 runs in Release
#endif
  mmm::DemoConfig c;
  c.regions = regions;
  c.weeks = 260;
  c.channels = 50;
  c.controls = 10;
  c.impressions = false;
  c.threads = 2;
  const auto t0 = std::chrono::steady_clock::now();
  const auto d = mmm::generate_demo(c);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(d.panel.media.size(), static_cast<size_t>(regions) * 260 * 50);
  EXPECT_GT(d.truth.media_share, 0.2);
  EXPECT_LT(d.truth.media_share, 0.4);
  EXPECT_LT(s, 15.0);
  RecordProperty("generate_seconds", std::to_string(s));
}
