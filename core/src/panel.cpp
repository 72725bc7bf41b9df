#include "mmm/panel.hpp"

#include <cmath>
#include <sstream>

#include "mmm/errors.hpp"

namespace mmm {
namespace {

void require_size(const char* field, size_t got, size_t want) {
  if (got != want) {
    std::ostringstream m;
    m << "panel." << field << " has " << got << " values; expected " << want;
    throw InvalidData(m.str());
  }
}

template <typename Names>
void check_finite(const char* field, const std::vector<float>& v, int weeks, int width, const Names& names,
                  bool non_negative) {
  for (size_t i = 0; i < v.size(); ++i) {
    float x = v[i];
    bool bad = !std::isfinite(x) || (non_negative && x < 0.0f);
    if (!bad) continue;
    size_t cell = width > 0 ? i / width : i;
    int col = width > 0 ? static_cast<int>(i % width) : 0;
    std::ostringstream m;
    m << "panel." << field << " at region " << cell / weeks << ", week " << cell % weeks;
    if (width > 0 && col < static_cast<int>(names.size())) m << ", column '" << names[col] << "'";
    m << " is " << x << (non_negative ? "; values must be finite and non-negative" : "; values must be finite");
    throw InvalidData(m.str());
  }
}

}  // namespace

void Panel::validate() const {
  if (regions < 1) throw InvalidData("panel has no regions; at least 1 is required");
  if (weeks < 2) throw InvalidData("panel has " + std::to_string(weeks) + " weeks; at least 2 are required");
  if (channels < 1) throw InvalidData("panel has no media channels; map at least one column as media");
  if (controls < 0) throw InvalidData("panel.controls is negative");
  const size_t cells = static_cast<size_t>(regions) * weeks;
  require_size("media", media.size(), cells * channels);
  if (!spend.empty()) require_size("spend", spend.size(), cells * channels);
  require_size("control_values", control_values.size(), cells * controls);
  require_size("kpi", kpi.size(), cells);
  if (!region_names.empty()) require_size("region_names", region_names.size(), regions);
  if (!channel_names.empty()) require_size("channel_names", channel_names.size(), channels);
  if (!control_names.empty()) require_size("control_names", control_names.size(), controls);
  if (!week_of_year.empty()) require_size("week_of_year", week_of_year.size(), weeks);
  if (!dates.empty()) require_size("dates", dates.size(), weeks);
  check_finite("media", media, weeks, channels, channel_names, true);
  check_finite("spend", spend, weeks, channels, channel_names, true);
  check_finite("control_values", control_values, weeks, controls, control_names, false);
  check_finite("kpi", kpi, weeks, 0, channel_names, false);
  for (int w : week_of_year)
    if (w < 1 || w > 53) throw InvalidData("panel.week_of_year has " + std::to_string(w) + "; expected 1..53");
}

}  // namespace mmm
