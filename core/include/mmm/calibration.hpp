// Calibration to experiments and the ensemble's block bootstrap.
//
// A lift experiment's model lift is what the channel's own media term (its additive slice m_c β_c of
// the prediction, the numerator of the ROI the analysis reports) loses when the channel's media is set
// to zero in the test's regions and weeks [start, end], simulated with the full model, summed over the
// test's regions and weeks [start, readout end]:
//     Σ (media_c - media_c with the channel off in the test)
// Why the channel's own term and not the whole prediction: it is the numerator of the ROI the
// analysis reports (analysis.hpp "contribution"), which is what a test is meant to correct; switching
// the channel off also moves the other channels' and the controls' coefficients a little through the
// recurrent network ("interaction", about 2 % of Search's contribution on the example data), which
// the ROI leaves out as well. And the lift term trains only the channel's coefficient cap and stable
// coefficient (trainer.cpp says why), for which this lift has an exact, cheap gradient (media_term).
// By default the readout runs on past the test's last week until the switched-off spend's carryover
// has faded, so the lift is the whole effect of the window's spend. Why: counted over the test weeks
// alone, a model can shrink its lift by lengthening the channel's carryover without changing its
// return — training found exactly that escape (decay 0.33 -> 0.73 on PyMC-Marketing's mmm_roas data,
// the ROAS unchanged, the forecast worse). The whole effect of the window's spend is also what a
// test's KPI difference over the window measures when spend is steady (the carryover arriving from
// before the window replaces the carryover leaving after it), and what Meridian and PyMC-Marketing
// take a lift test to mean. Experiment::readout_weeks fixes the readout instead (0 = the test weeks).
#pragma once
#include <cstdint>
#include <vector>

#include "mmm/fit.hpp"

namespace mmm {

// Weight of each of `weeks` weeks under a moving-block bootstrap: blocks of `block` consecutive
// weeks (starts uniform over [0, weeks - block]) are drawn until `weeks` weeks are covered; a week's
// weight is how often it was drawn. Deterministic in `seed`; the weights sum to `weeks`.
std::vector<float> block_bootstrap_weights(int weeks, int block, uint64_t seed);

// Whether the experiment ran in region r (no regions listed = every region).
bool covers_region(const Experiment& experiment, int r);

// The last week (inclusive) a lift's readout counts: end_week + readout_weeks when given; otherwise
// end_week plus the weeks until the channel's adstock weight decay^k falls below 1 % (one more with the
// lag blend, at most 26). Never past last_week.
int readout_end_week(const Experiment& experiment, double decay, bool lag_blend, int last_week);

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
