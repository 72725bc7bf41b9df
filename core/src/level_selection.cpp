#include "mmm/level_selection.hpp"

#include <algorithm>
#include <cmath>

namespace mmm {

bool keep_level(const LevelCandidate& with_level, const LevelCandidate& without_level, const LevelTieBreak& tie) {
  const size_t n = std::min(with_level.sq_err.size(), without_level.sq_err.size());
  if (n == 0) return false;
  double mean = 0, var = 0;
  for (size_t i = 0; i < n; ++i) mean += (with_level.sq_err[i] - without_level.sq_err[i]) / n;
  for (size_t i = 0; i < n; ++i) {
    const double d = with_level.sq_err[i] - without_level.sq_err[i] - mean;
    var += d * d / std::max<size_t>(1, n - 1);
  }
  const double se = std::sqrt(var / n);
  if (mean < -se) return true;   // the level is clearly better
  if (mean > se) return false;   // clearly worse
  const bool less_media = with_level.media_share < without_level.media_share;
  const bool held_by_cap = tie.cap_margin >= 0 && tie.media_share_cap > 0 &&
                           without_level.media_share >= tie.media_share_cap - tie.cap_margin;
  return less_media && (tie.prefers_less_media || held_by_cap);
}

}  // namespace mmm
