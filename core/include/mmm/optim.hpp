// Optimisation: AdamW with parameter groups, warm-up + cosine learning-rate schedule, gradient
// clipping per group and globally. Parameters live in one flat float vector; a group is a list of
// segments of it with its own LR multiplier, weight decay and clip group.
#pragma once
#include <cstddef>
#include <vector>

namespace mmm {
namespace optim {

struct Segment {
  size_t offset = 0;
  size_t size = 0;
  double lr_mult = 1.0;       // multiplies the scheduled learning rate
  double weight_decay = 0.0;  // decoupled (AdamW) decay, times the learning rate
  int clip_group = 0;         // index into the per-group clip norms
  bool frozen = false;        // not updated (moments untouched)
};

class AdamW {
 public:
  AdamW() = default;
  AdamW(size_t n, double beta1, double beta2, double eps) : beta1_(beta1), beta2_(beta2), eps_(eps), m_(n, 0.0f), v_(n, 0.0f) {}
  // One update: p -= lr*lr_mult*(mhat/(sqrt(vhat)+eps) + wd*p) for every non-frozen segment.
  void step(float* params, const float* grad, const std::vector<Segment>& segments, double lr);
  long steps() const { return t_; }

 private:
  double beta1_ = 0.9, beta2_ = 0.999, eps_ = 1e-8;
  long t_ = 0;
  std::vector<float> m_, v_;
};

// Linear warm-up from 10% to 100% of base_lr over `warmup` epochs, then cosine decay to
// base_lr*min_ratio at epoch `total` (constant afterwards).
double lr_at(int epoch, int total, int warmup, double base_lr, double min_ratio);

// Per-group L2 norms of the gradient (segments grouped by clip_group; frozen segments excluded).
std::vector<double> group_norms(const float* grad, const std::vector<Segment>& segments, int groups);
// Scales every group whose norm exceeds its max (max <= 0: no limit), then the whole gradient when
// the global norm exceeds global_max (<= 0: no limit). Returns the global norm before clipping.
double clip(float* grad, const std::vector<Segment>& segments, const std::vector<double>& group_max, double global_max);

}  // namespace optim
}  // namespace mmm
