// Demo data generator: a simulated regional business with KNOWN truth, for "Try with example
// data", the CLI `demo` command, and parameter-recovery tests.
//
// What is simulated (all in one deterministic pass per region, see demo.cpp for the formulas):
//   * regions of very different sizes (lognormal, clipped so the largest is at most 100x the
//     smallest); every level below is proportional to the region's size;
//   * per channel a weekly spend (the model driver: Panel::media == Panel::spend) and an activity
//     (impressions = spend / CPM * 1000 with noise, in DemoData::impressions);
//     "always-on" channels vary smoothly, "burst" channels (TV, Radio, Video, Print, OOH) run in
//     flights with weeks of zero spend;
//   * plans differ between regions as real geo plans do: local media (Radio, Print, OOH) run their
//     own flights per region, national flights (TV, Video) are bought heavier in some regions, and
//     always-on budgets drift away from the national pattern (persistent AR(1) deviations);
//   * true ROIs are spread (return factors 0.55x-2.4x of TV's), so rankings and budget shifts exist;
//   * adstock: a normalised lag kernel w_l ∝ decay^|l - peak_delay| (l = 0..L-1), so peak_delay = 0
//     is the (truncated) geometric adstock and peak_delay > 0 a delayed peak; because the kernel
//     sums to 1 the adstocked value is in weekly-spend units;
//   * Hill saturation h = a^s / (a^s + K_r^s) with K_r = half_saturation_per_size * region size;
//   * channel effects that drift slowly over time: effect_c(t) = effect_scale * exp(drift_amplitude
//     * sin(2π t / drift_period + phase)), in KPI per unit of region base level;
//   * a causal edge TV -> Search: TV's adstocked spend (relative to its usual level) raises Search
//     spend and activity: search_spend = search_spend_0 * (1 + strength * tv_adstock / tv_level);
//   * a linear trend in the baseline, yearly seasonality (two Fourier harmonics of the ISO week),
//     controls (price index, competitor activity, holiday dummy, ...) with known coefficients, and
//     Gaussian noise.
//   kpi = baseline + seasonal + Σ_k control_k + Σ_c media_c + noise holds for every region-week
//   (the components are rounded to float first and kpi is their double sum rounded to float).
//
// Determinism: a self-contained PRNG (splitmix64 seeding xoshiro256**, polar Box–Muller normals), one
// stream for national series and one per region, so a seed gives bit-identical data on a given
// platform and any thread count, and region r's data do not depend on how many regions are
// generated. Native (glibc) and wasm (Emscripten 3.1.6) gave bit-identical data for the default
// config; in principle another libm could change last bits where its log/exp differ.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "mmm/panel.hpp"

namespace mmm {

struct DemoConfig {
  int regions = 50;      // 1..2000
  int weeks = 104;       // 2..260
  int channels = 8;      // 1..50
  int controls = 3;      // 0..10
  uint64_t seed = 42;
  double noise = 0.03;          // noise sd as a fraction of each region's base weekly KPI, 0..0.5
  double media_share = 0.30;    // target share of total KPI driven by media, 0.05..0.6
  std::string start_date = "2023-01-02";  // YYYY-MM-DD; snapped back to the Monday of its ISO week
  bool impressions = true;      // also fill DemoData::impressions
  int threads = 1;              // 1..64 (clamped to the build's limit); the data do not depend on it

  // Throws InvalidConfig naming the field, the value and the allowed range.
  void validate() const;
};

struct DemoChannelTruth {
  std::string name;
  bool burst = false;             // flighted (weeks of zero spend) vs always-on
  double cpm = 0;                 // spend per 1000 impressions (before noise)
  // Adstock: kernel weights w_l for lags l = 0..size-1, summing to 1.
  double adstock_decay = 0;
  int peak_delay = 0;             // lag (weeks) of the largest kernel weight
  std::vector<double> adstock_weights;
  // Hill saturation on the adstocked weekly spend.
  double hill_slope = 1;
  double half_saturation_per_size = 0;  // K for a region of size 1 (weekly spend)
  double half_saturation = 0;           // K in national weekly spend: per-size K × Σ region sizes
  // Effect: contribution = effect(t) × region base level × hill(adstock).
  double effect_scale = 0;
  double drift_amplitude = 0;
  double drift_period = 0;        // weeks
  double drift_phase = 0;         // radians
  // exp(drift_amplitude · sin(2π t / drift_period + drift_phase)) for week t (0 = first week)
  double drift_at(int t) const;
  // Totals over all regions and weeks.
  double total_spend = 0;
  double total_impressions = 0;
  double total_contribution = 0;  // in KPI units, includes contribution_from_parents
  double share = 0;               // of total media contribution
  double roi = 0;                 // total_contribution / total_spend (0 when no spend)
  // d(total contribution of this channel) / d(total spend of this channel) when all of the
  // channel's spend is scaled by (1 + ε): the direct marginal ROI at current spend.
  double marginal_roi = 0;
  // As marginal_roi, plus the extra contribution of causal children (e.g. TV raising Search) per
  // extra unit of this channel's spend. The children's induced extra spend is not charged here.
  double marginal_roi_with_indirect = 0;
  // Causal credit: part of this channel's own contribution that exists only because parents raised
  // its activity (Search's contribution minus its contribution with the TV lift removed)...
  double contribution_from_parents = 0;
  // ...and the same amount credited to the parent: contribution this channel causes in children.
  double indirect_contribution = 0;
};

struct DemoControlTruth {
  std::string name;
  // contribution = coefficient × region base level × (value − reference)
  double coefficient = 0;
  double reference = 0;
  double total_contribution = 0;
};

struct DemoEdge {
  int from = 0;
  int to = 0;
  std::string from_name, to_name;
  // to's spend/activity is multiplied by (1 + strength × from's adstocked spend / from's usual level)
  double strength = 0;
  double indirect_contribution = 0;  // KPI the edge carries (to's contribution caused by from)
  std::string description;
};

struct DemoTruth {
  int regions = 0, weeks = 0, channels = 0, controls = 0;
  // Reproducing a contribution from the truth (exact for weeks t ≥ adstock_weights.size() − 1,
  // earlier weeks also carry spend from simulated weeks before the panel starts):
  //   a = Σ_l adstock_weights[l] · spend[r, t − l, c]
  //   h = a^s / (a^s + (half_saturation_per_size · region_size[r])^s)
  //   media_contribution[r, t, c] = effect_scale · drift_at(t) · region_base[r] · h
  std::vector<double> region_size;  // relative size, median ≈ 1, max/min ≤ 100
  std::vector<double> region_base;  // base weekly KPI level of the region at t = 0
  std::vector<double> region_trend; // baseline growth per year (fraction of the base level)

  // Per cell components, KPI units, same layouts as Panel.
  std::vector<float> media_contribution;    // [(r*weeks + t)*channels + c]
  std::vector<float> baseline;              // [r*weeks + t], includes the trend
  std::vector<float> seasonal;              // [r*weeks + t]
  std::vector<float> control_contribution;  // [(r*weeks + t)*controls + k]
  std::vector<float> noise;                 // [r*weeks + t]

  std::vector<DemoChannelTruth> channel;
  std::vector<DemoControlTruth> control;
  std::vector<DemoEdge> edges;

  // Totals over all regions and weeks.
  double total_kpi = 0, total_media = 0, total_baseline = 0, total_seasonal = 0, total_controls = 0,
         total_noise = 0, total_spend = 0;
  double media_share = 0;  // total_media / total_kpi

  float media_at(int r, int t, int c) const {
    return media_contribution[(static_cast<size_t>(r) * weeks + t) * channels + c];
  }
};

struct DemoData {
  Panel panel;  // media = spend (the model driver), spend filled too, dates, week_of_year, names
  std::vector<float> impressions;  // [(r*weeks + t)*channels + c]; empty if !config.impressions
  DemoTruth truth;
};

DemoData generate_demo(const DemoConfig& config);

// Calendar helpers (proleptic Gregorian), exposed for tests and the ingest side.
// Parses "YYYY-MM-DD" into days since 1970-01-01; throws InvalidConfig naming `field` if malformed.
long long parse_iso_date(const std::string& text, const char* field);
std::string format_iso_date(long long days);
int iso_week_of_year(long long days);  // 1..53
int iso_weekday(long long days);       // 1 = Monday .. 7 = Sunday

}  // namespace mmm
