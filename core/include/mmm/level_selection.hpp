// Whether a fit keeps its local level (FitConfig::select_level): the trainer trains the model with
// the level and with it frozen at zero, and compares the two on the validation cells.
#pragma once
#include <vector>

namespace mmm {

struct LevelCandidate {
  std::vector<double> sq_err;  // squared scaled error of each validation cell, in one fixed order
  double media_share = 0;      // Σ media / Σ prediction over the fitted weeks after burn-in
};

// How a tie (neither candidate beats the other by a standard error) is broken. The plain rule gives
// it to the model without the level (the simpler one); either option below gives it to the level
// when the level's candidate credits media with the smaller share.
struct LevelTieBreak {
  // FitConfig::level_tie_prefers_less_media (off by default: see the measurements there): always.
  // The data cannot tell the two apart, and a model without a level can follow a curved baseline
  // only with media, which it then over-credits.
  bool prefers_less_media = false;
  // FitConfig::level_tie_cap_margin (< 0 = off): when the model without the level credits media
  // with at least media_share_cap - cap_margin, i.e. it is held by the cap and would credit more.
  double cap_margin = -1;
  double media_share_cap = 0;  // FitConfig::media_share_cap (0 = no cap)
};

// The one-standard-error rule: the level (the more flexible model) is kept when it beats the model
// without it by more than one standard error of the mean paired difference of the cells' errors;
// a tie is broken by `tie`.
bool keep_level(const LevelCandidate& with_level, const LevelCandidate& without_level, const LevelTieBreak& tie);

}  // namespace mmm
