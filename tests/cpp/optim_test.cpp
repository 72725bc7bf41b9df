#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "mmm/optim.hpp"

TEST(AdamW, FirstStepMovesByLearningRate) {
  std::vector<float> p = {1.0f, -2.0f, 3.0f}, g = {0.5f, -0.1f, 0.0f};
  mmm::optim::AdamW opt(3, 0.9, 0.999, 1e-8);
  std::vector<mmm::optim::Segment> segs(1);
  segs[0].offset = 0;
  segs[0].size = 3;
  opt.step(p.data(), g.data(), segs, 0.01);
  // With bias correction the first Adam step is lr * sign(g).
  EXPECT_NEAR(p[0], 0.99f, 1e-6);
  EXPECT_NEAR(p[1], -1.99f, 1e-6);
  EXPECT_NEAR(p[2], 3.0f, 1e-6);
}

TEST(AdamW, DecoupledWeightDecayAndFrozenSegments) {
  std::vector<float> p = {2.0f, 2.0f}, g = {0.0f, 1.0f};
  mmm::optim::AdamW opt(2, 0.9, 0.999, 1e-8);
  std::vector<mmm::optim::Segment> segs(2);
  segs[0] = {0, 1, 1.0, 0.1, 0, false};
  segs[1] = {1, 1, 1.0, 0.0, 0, true};
  opt.step(p.data(), g.data(), segs, 0.5);
  EXPECT_NEAR(p[0], 2.0f * (1 - 0.5 * 0.1), 1e-6);
  EXPECT_EQ(p[1], 2.0f);
}

TEST(Schedule, WarmupThenCosine) {
  EXPECT_NEAR(mmm::optim::lr_at(0, 100, 10, 1.0, 0.1), 0.1, 1e-12);
  EXPECT_NEAR(mmm::optim::lr_at(10, 100, 10, 1.0, 0.1), 1.0, 1e-12);
  EXPECT_NEAR(mmm::optim::lr_at(55, 100, 10, 1.0, 0.1), 0.55, 1e-12);
  EXPECT_NEAR(mmm::optim::lr_at(100, 100, 10, 1.0, 0.1), 0.1, 1e-12);
  EXPECT_NEAR(mmm::optim::lr_at(500, 100, 10, 1.0, 0.1), 0.1, 1e-12);
  for (int e = 11; e < 100; ++e)
    EXPECT_LE(mmm::optim::lr_at(e, 100, 10, 1.0, 0.1), mmm::optim::lr_at(e - 1, 100, 10, 1.0, 0.1));
}

TEST(Clip, PerGroupThenGlobal) {
  std::vector<float> g = {3.0f, 4.0f, 0.3f, 0.4f};  // group 0 norm 5, group 1 norm 0.5
  std::vector<mmm::optim::Segment> segs(2);
  segs[0] = {0, 2, 1.0, 0.0, 0, false};
  segs[1] = {2, 2, 1.0, 0.0, 1, false};
  double before = mmm::optim::clip(g.data(), segs, {1.0, 1.0}, 0.0);
  EXPECT_NEAR(before, std::sqrt(25.25), 1e-6);
  EXPECT_NEAR(g[0], 0.6f, 1e-6);
  EXPECT_NEAR(g[1], 0.8f, 1e-6);
  EXPECT_NEAR(g[2], 0.3f, 1e-6);  // under its limit: untouched
  std::vector<float> h = {3.0f, 4.0f, 0.0f, 0.0f};
  mmm::optim::clip(h.data(), segs, {0.0, 0.0}, 2.5);
  EXPECT_NEAR(h[0], 1.5f, 1e-6);
  EXPECT_NEAR(h[1], 2.0f, 1e-6);
}
