#include "mmm/optim.hpp"

#include <algorithm>
#include <cmath>

namespace mmm {
namespace optim {

void AdamW::step(float* params, const float* grad, const std::vector<Segment>& segments, double lr) {
  ++t_;
  const double bc1 = 1.0 - std::pow(beta1_, static_cast<double>(t_));
  const double bc2 = 1.0 - std::pow(beta2_, static_cast<double>(t_));
  const float b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_);
  for (const Segment& s : segments) {
    if (s.frozen || s.size == 0) continue;
    const double step = lr * s.lr_mult;
    const float a = static_cast<float>(step / bc1);
    const float isb = static_cast<float>(1.0 / std::sqrt(bc2));
    const float decay = static_cast<float>(1.0 - step * s.weight_decay);
    const float eps = static_cast<float>(eps_);
    for (size_t k = s.offset; k < s.offset + s.size; ++k) {
      float g = grad[k];
      m_[k] = b1 * m_[k] + (1.0f - b1) * g;
      v_[k] = b2 * v_[k] + (1.0f - b2) * g * g;
      params[k] = params[k] * decay - a * m_[k] / (std::sqrt(v_[k]) * isb + eps);
    }
  }
}

double lr_at(int epoch, int total, int warmup, double base_lr, double min_ratio) {
  if (warmup > 0 && epoch < warmup) return base_lr * (0.1 + 0.9 * static_cast<double>(epoch) / warmup);
  int span = std::max(1, total - warmup);
  double p = std::min(1.0, static_cast<double>(epoch - warmup) / span);
  double cosv = 0.5 * (1.0 + std::cos(3.141592653589793 * p));
  return base_lr * (min_ratio + (1.0 - min_ratio) * cosv);
}

std::vector<double> group_norms(const float* grad, const std::vector<Segment>& segments, int groups) {
  std::vector<double> ss(groups, 0.0);
  for (const Segment& s : segments) {
    if (s.frozen) continue;
    double acc = 0;
    for (size_t k = s.offset; k < s.offset + s.size; ++k) acc += static_cast<double>(grad[k]) * grad[k];
    if (s.clip_group >= 0 && s.clip_group < groups) ss[s.clip_group] += acc;
  }
  for (double& v : ss) v = std::sqrt(v);
  return ss;
}

double clip(float* grad, const std::vector<Segment>& segments, const std::vector<double>& group_max, double global_max) {
  const int groups = static_cast<int>(group_max.size());
  std::vector<double> norms = group_norms(grad, segments, groups);
  double total = 0;
  for (double n : norms) total += n * n;
  total = std::sqrt(total);
  std::vector<double> scale(groups, 1.0);
  double after = 0;
  for (int g = 0; g < groups; ++g) {
    if (group_max[g] > 0 && norms[g] > group_max[g]) scale[g] = group_max[g] / norms[g];
    after += norms[g] * scale[g] * norms[g] * scale[g];
  }
  after = std::sqrt(after);
  double gscale = (global_max > 0 && after > global_max) ? global_max / after : 1.0;
  for (const Segment& s : segments) {
    if (s.frozen || s.clip_group < 0 || s.clip_group >= groups) continue;
    float f = static_cast<float>(scale[s.clip_group] * gscale);
    if (f == 1.0f) continue;
    for (size_t k = s.offset; k < s.offset + s.size; ++k) grad[k] *= f;
  }
  return total;
}

}  // namespace optim
}  // namespace mmm
