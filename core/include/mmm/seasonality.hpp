// Seasonality as a function of the calendar week, so it extends to holdout and future weeks
// (the reference slices a training-period profile and misaligns the holdout).
//
// phase(t) in [0, 52]: the panel's week_of_year - 1 when known (continued week by week past the
// panel's end), else t mod 52. Basis: Fourier pairs sin/cos(2 pi k phase / 52.1775), k = 1..K.
// The model multiplies the basis by learned per-region coefficients (global + shrunk regional
// deviations), initialised by ridge regression on the training KPI.
#pragma once
#include <vector>

#include "mmm/panel.hpp"

namespace mmm {

struct Seasonality {
  int harmonics = 0;
  std::vector<int> week_of_year;  // copy of the panel's calendar (may be empty)
  int panel_weeks = 0;

  static Seasonality from_panel(const Panel& panel, int harmonics);
  int features() const { return 2 * harmonics; }
  int phase(int t) const;
  // out [weeks][features] for weeks t = 0 .. weeks-1 of the panel's timeline.
  std::vector<float> basis(int weeks) const;
};

}  // namespace mmm
