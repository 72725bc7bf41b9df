#include "mmm/seasonality.hpp"

#include <cmath>

namespace mmm {

Seasonality Seasonality::from_panel(const Panel& panel, int harmonics) {
  Seasonality s;
  s.harmonics = harmonics;
  s.week_of_year = panel.week_of_year;
  s.panel_weeks = panel.weeks;
  return s;
}

int Seasonality::phase(int t) const {
  if (week_of_year.empty()) return ((t % 52) + 52) % 52;
  const int T = static_cast<int>(week_of_year.size());
  if (t >= 0 && t < T) return week_of_year[t] - 1;
  if (t < 0) return (((week_of_year[0] - 1 + t) % 52) + 52) % 52;
  return (week_of_year[T - 1] - 1 + (t - T + 1)) % 52;
}

std::vector<float> Seasonality::basis(int weeks) const {
  const int F = features();
  std::vector<float> out(static_cast<size_t>(weeks) * F, 0.0f);
  const double two_pi = 6.283185307179586;
  for (int t = 0; t < weeks; ++t) {
    double ph = phase(t);
    for (int k = 1; k <= harmonics; ++k) {
      double ang = two_pi * k * ph / 52.1775;
      out[static_cast<size_t>(t) * F + 2 * (k - 1)] = static_cast<float>(std::sin(ang));
      out[static_cast<size_t>(t) * F + 2 * (k - 1) + 1] = static_cast<float>(std::cos(ang));
    }
  }
  return out;
}

}  // namespace mmm
