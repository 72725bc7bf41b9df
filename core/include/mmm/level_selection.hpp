// Whether a fit keeps its local level (FitConfig::select_level): the trainer trains the model with
// the level and with it frozen at zero, and compares the two on the validation cells.
#pragma once
#include <vector>

namespace mmm {

struct LevelCandidate {
  std::vector<double> sq_err;  // squared scaled error of each validation cell, in one fixed order
  double media_share = 0;      // Σ media / Σ prediction over the fitted weeks after burn-in
};

// The one-standard-error rule: the level (the more flexible model) is kept when it beats the model
// without it by more than one standard error of the mean paired difference of the cells' errors.
// With `tie_prefers_less_media` (FitConfig::level_tie_prefers_less_media, off by default: see the
// measurements there), when neither beats the other by more than that, the candidate that credits
// media with the smaller share is kept: the data cannot tell the two apart, and a model without a
// level can follow a curved baseline only with media, which it then over-credits.
bool keep_level(const LevelCandidate& with_level, const LevelCandidate& without_level, bool tie_prefers_less_media);

}  // namespace mmm
