// Scaling of the model's inputs, fitted on training weeks only, and its inverse.
//
// Media KEEPS VOLUME (unlike the reference's share-of-voice, which makes a plan that doubles every
// channel look identical to the current one). Default "intensity" divides channel c in region r by
//     d_rc = m_c * s_r,   m_c = mean of channel c over all regions and training weeks,
//                         s_r = kpi_mean_r / mean_r'(kpi_mean_r')  (the region's relative size).
// Why: the KPI is modelled relative to each region's mean (regions differ ~100x in size), so media
// must be relative to region size too, or a small region's media would sit far below the Hill
// half-saturation learned on big regions. Dividing by region size (not by the region's own media
// mean) still lets a region that buys relatively more of a channel show higher intensity, and
// doubling a plan doubles the input, so the model, its response curves and the optimiser agree.
// Alternatives: "region" (d_rc = region-channel mean), "global" (d_rc = m_c).
//
// Controls: z-score (or median / (IQR/1.349) when robust), within each region by default (a
// region's level is absorbed by its baseline), then clipped to +-clip. KPI: divided by each
// region's training mean.
#pragma once
#include <string>
#include <vector>

#include "mmm/fit_config.hpp"
#include "mmm/panel.hpp"

namespace mmm {

struct Scalers {
  int regions = 0, channels = 0, controls = 0;
  std::vector<float> media_divisor;   // [R*C]
  std::vector<float> control_center;  // [R*K]
  std::vector<float> control_scale;   // [R*K]
  float control_clip = 5.0f;
  std::vector<double> kpi_mean;       // [R]
  std::vector<float> adstock_init;    // [R*C] mean scaled media over training weeks (adstock state before week 0)

  // Fits on weeks [0, train_weeks) of the panel. Throws InvalidData when the KPI is unusable.
  void fit(const Panel& panel, int train_weeks, const FitConfig& cfg);

  // Region-major [R][weeks][.] in and out; `weeks` may differ from the panel's (scenarios).
  void scale_media(const float* raw, int weeks, float* out) const;
  void scale_controls(const float* raw, int weeks, float* out) const;
  void scale_kpi(const float* raw, int weeks, float* out) const;
};

}  // namespace mmm
