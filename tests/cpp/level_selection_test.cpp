// keep_level: the one-standard-error rule between the fit with the local level and the fit without
// it, and the tie-break towards the smaller media share.
#include "mmm/level_selection.hpp"

#include <gtest/gtest.h>

namespace {

// Validation-cell errors whose paired differences (with - without) are `diff` plus ±spread.
mmm::LevelCandidate candidate(double base, double diff, double spread, double share) {
  mmm::LevelCandidate c;
  for (int i = 0; i < 8; ++i) c.sq_err.push_back(base + diff + (i % 2 ? spread : -spread));
  c.media_share = share;
  return c;
}
mmm::LevelCandidate reference(double base, double share) { return candidate(base, 0, 0, share); }

}  // namespace

TEST(LevelSelection, KeepsTheLevelWhenItIsClearlyBetter) {
  // Mean difference -0.5, SE of the mean 1/sqrt(8) * ~1.07 = 0.38: clearly better.
  EXPECT_TRUE(mmm::keep_level(candidate(2, -0.5, 1, 0.4), reference(2, 0.2), false));
  EXPECT_TRUE(mmm::keep_level(candidate(2, -0.5, 1, 0.4), reference(2, 0.2), true));
}

TEST(LevelSelection, DropsTheLevelWhenItIsClearlyWorseWhateverTheShares) {
  EXPECT_FALSE(mmm::keep_level(candidate(2, 0.5, 1, 0.1), reference(2, 0.5), false));
  EXPECT_FALSE(mmm::keep_level(candidate(2, 0.5, 1, 0.1), reference(2, 0.5), true));
}

TEST(LevelSelection, WithinOneStandardErrorTheSmallerMediaShareWins) {
  // Mean difference -0.2 with an SE of ~0.38: a tie.
  const mmm::LevelCandidate with_level = candidate(2, -0.2, 1, 0.30);
  EXPECT_FALSE(mmm::keep_level(with_level, reference(2, 0.30), true));  // equal shares: the simpler model
  EXPECT_TRUE(mmm::keep_level(with_level, reference(2, 0.45), true));   // the model without it credits media more
  EXPECT_FALSE(mmm::keep_level(candidate(2, -0.2, 1, 0.45), reference(2, 0.30), true));
  // Off: a tie always goes to the model without the level (the plain one-SE rule).
  EXPECT_FALSE(mmm::keep_level(with_level, reference(2, 0.45), false));
}

TEST(LevelSelection, NoValidationCellsKeepsNoLevel) {
  mmm::LevelCandidate empty;
  empty.media_share = 0.1;
  EXPECT_FALSE(mmm::keep_level(empty, reference(2, 0.5), true));
}
