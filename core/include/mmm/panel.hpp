// The validated input of every fit: a dense regions × weeks grid, region-major.
// The web ingest (or the demo generator) fills it; the core never sees CSV text.
#pragma once
#include <string>
#include <vector>

namespace mmm {

struct Panel {
  int regions = 0;
  int weeks = 0;
  int channels = 0;
  int controls = 0;

  // media[(r*weeks + t)*channels + c]: the activity the model sees (spend, or impressions when
  // that is what the user mapped as the channel's driver). Non-negative.
  std::vector<float> media;
  // spend[(r*weeks + t)*channels + c], same layout, or empty when no spend is known. Used for ROI.
  std::vector<float> spend;
  // control_values[(r*weeks + t)*controls + k]
  std::vector<float> control_values;
  // kpi[r*weeks + t]
  std::vector<float> kpi;

  std::vector<std::string> region_names;   // size regions
  std::vector<std::string> channel_names;  // size channels
  std::vector<std::string> control_names;  // size controls
  std::vector<std::string> dates;          // size weeks (ISO date of the week start), may be empty
  // Calendar week of year 1..53 for every week, used by seasonality so it extends to future
  // weeks. Empty means "unknown": weeks are numbered 0..weeks-1 and 52-periodic.
  std::vector<int> week_of_year;

  bool has_spend() const { return !spend.empty(); }
  float media_at(int r, int t, int c) const { return media[(static_cast<size_t>(r) * weeks + t) * channels + c]; }
  float kpi_at(int r, int t) const { return kpi[static_cast<size_t>(r) * weeks + t]; }

  // Throws InvalidData naming the first problem (sizes, NaN/Inf, negative media/spend).
  void validate() const;
};

}  // namespace mmm
