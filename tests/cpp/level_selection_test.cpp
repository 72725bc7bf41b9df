// keep_level: the one-standard-error rule between the fit with the local level and the fit without
// it, and its tie-breaks (towards the smaller media share; towards the level when the fit without it
// is held by the media share cap).
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
const mmm::LevelTieBreak less_media{true, -1, 0.5};

}  // namespace

TEST(LevelSelection, KeepsTheLevelWhenItIsClearlyBetter) {
  // Mean difference -0.5, SE of the mean 1/sqrt(8) * ~1.07 = 0.38: clearly better.
  EXPECT_TRUE(mmm::keep_level(candidate(2, -0.5, 1, 0.4), reference(2, 0.2), {}));
  EXPECT_TRUE(mmm::keep_level(candidate(2, -0.5, 1, 0.4), reference(2, 0.2), less_media));
}

TEST(LevelSelection, DropsTheLevelWhenItIsClearlyWorseWhateverTheShares) {
  EXPECT_FALSE(mmm::keep_level(candidate(2, 0.5, 1, 0.1), reference(2, 0.5), {}));
  EXPECT_FALSE(mmm::keep_level(candidate(2, 0.5, 1, 0.1), reference(2, 0.5), less_media));
}

TEST(LevelSelection, WithinOneStandardErrorTheSmallerMediaShareWins) {
  // Mean difference -0.2 with an SE of ~0.38: a tie.
  const mmm::LevelCandidate with_level = candidate(2, -0.2, 1, 0.30);
  EXPECT_FALSE(mmm::keep_level(with_level, reference(2, 0.30), less_media));  // equal shares: the simpler model
  EXPECT_TRUE(mmm::keep_level(with_level, reference(2, 0.45), less_media));   // the model without it credits media more
  EXPECT_FALSE(mmm::keep_level(candidate(2, -0.2, 1, 0.45), reference(2, 0.30), less_media));
  // Off: a tie always goes to the model without the level (the plain one-SE rule).
  EXPECT_FALSE(mmm::keep_level(with_level, reference(2, 0.45), {}));
}

TEST(LevelSelection, ATieGoesToTheLevelWhenTheModelWithoutItIsHeldByTheShareCap) {
  const mmm::LevelTieBreak at_cap{false, 0.02, 0.5};
  const mmm::LevelCandidate with_level = candidate(2, -0.2, 1, 0.34);  // a tie (see above)
  EXPECT_TRUE(mmm::keep_level(with_level, reference(2, 0.486), at_cap));   // within the margin of the cap
  EXPECT_TRUE(mmm::keep_level(with_level, reference(2, 0.53), at_cap));    // above it (the cap is a penalty)
  EXPECT_FALSE(mmm::keep_level(with_level, reference(2, 0.47), at_cap));   // further from the cap: the simpler model
  EXPECT_FALSE(mmm::keep_level(candidate(2, -0.2, 1, 0.50), reference(2, 0.49), at_cap));  // the level credits media no less
  // Only ties: a clearly better model without the level keeps it out, however near the cap.
  EXPECT_FALSE(mmm::keep_level(candidate(2, 0.5, 1, 0.34), reference(2, 0.5), at_cap));
  // Off (margin < 0) or no cap: the plain rule.
  EXPECT_FALSE(mmm::keep_level(with_level, reference(2, 0.5), mmm::LevelTieBreak{false, -1, 0.5}));
  EXPECT_FALSE(mmm::keep_level(with_level, reference(2, 0.5), mmm::LevelTieBreak{false, 0.02, 0.0}));
}

TEST(LevelSelection, NoValidationCellsKeepsNoLevel) {
  mmm::LevelCandidate empty;
  empty.media_share = 0.1;
  EXPECT_FALSE(mmm::keep_level(empty, reference(2, 0.5), less_media));
}
