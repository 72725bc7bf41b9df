// Calibration to experiments and the ensemble's block bootstrap.
//
// A lift experiment's model lift is what the full model predicts the channel added in the test's
// regions and weeks: Σ_{r in regions, t in [start, end]} (prediction - prediction with that channel's
// media set to zero in those regions and weeks). Media switched off in the window also lowers later
// weeks through the adstock; those weeks are outside the measured window and are not counted, as a
// test's readout does not count them either.
#pragma once
#include <cstdint>
#include <vector>

#include "mmm/fit.hpp"

namespace mmm {

// Weight of each of `weeks` weeks under a moving-block bootstrap: blocks of `block` consecutive
// weeks (starts uniform over [0, weeks - block]) are drawn until `weeks` weeks are covered; a week's
// weight is how often it was drawn. Deterministic in `seed`; the weights sum to `weeks`.
std::vector<float> block_bootstrap_weights(int weeks, int block, uint64_t seed);

// The model's lift for an experiment (KPI units), by simulating the full model twice.
double model_lift(const FittedModel& model, const Experiment& experiment);

// The channel's spend in the experiment's regions and weeks (spend: region-major like the panel).
double experiment_spend(const std::vector<float>& spend, int regions, int weeks, int channels, const Experiment& experiment);

// The experiment's measured lift and its standard error in KPI units (an ROI experiment is turned
// into a lift with the spend in its window).
struct MeasuredLift {
  double lift = 0, se = 1;
};
MeasuredLift measured_lift(const Experiment& experiment, double window_spend);

// Measured vs model (ExperimentFit, fit_config.hpp) for each experiment.
std::vector<ExperimentFit> experiment_fits(const FittedModel& model, const std::vector<Experiment>& experiments,
                                           const std::vector<float>& spend);

}  // namespace mmm
