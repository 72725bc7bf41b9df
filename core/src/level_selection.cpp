#include "mmm/level_selection.hpp"

#include <algorithm>
#include <cmath>

namespace mmm {

bool keep_level(const LevelCandidate& with_level, const LevelCandidate& without_level, bool tie_prefers_less_media) {
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
  return tie_prefers_less_media && with_level.media_share < without_level.media_share;
}

}  // namespace mmm
