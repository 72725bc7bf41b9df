// What a fitted model means for money: contribution totals, channel economics (ROI, marginal ROI,
// cost per KPI, DAG indirect effects), model-based response curves with Hill fits, a budget
// optimiser whose plan is verified by a full-model simulation, and scenario simulation of any
// spend plan. Everything here runs the fitted model forward (FittedModel::simulate); nothing is
// re-derived from the learned transforms by hand.
//
// Units. The model's driver for a channel (Panel::media) is its spend, or its activity
// (impressions, clicks, ...) when that is what the user mapped. "Scaling a channel's spend by m"
// scales its driver by m (a constant cost per unit of activity). Spend, ROI and budgets are in
// the user's spend units; KPI amounts in the user's KPI units; a channel with no spend column is
// reported per unit of activity and is never moved by the budget optimiser.
//
// Incremental KPI. The incremental KPI of channel c over a window [from, to) is
//     Σ prediction(panel) − Σ prediction(panel with c's driver set to 0 in weeks [from, to))
// summed over all regions and over weeks [from, to + carry-over), computed with simulate. The
// carry-over weeks catch effects of spend in the window that land after it (adstock and the
// recurrent state); past the panel's end the simulation repeats the last year's media and
// continues each region's last control values, identically in every scenario. How this relates
// to the additive decomposition (decompose(): prediction = baseline + seasonal + Σ controls +
// Σ_c m_c β_c): channel c's media term m_c β_c is one additive slice of a single run of the
// model, while the incremental KPI is a difference of two runs. They differ because
//   (a) m_c = (1 − μ_c) h_c + μ_c Σ_p A_pc h_p also carries what DAG parents p push into c — when
//       c is switched off that part stays in c's term, and it is credited to the parents instead;
//   (b) the coefficients β come from the recurrent network whose input is all media, so switching
//       c off also moves other channels' (and the controls') terms a little;
//   (c) the decomposition counts carry-over from spend before the window (and from the steady
//       state assumed before the panel) and not the carry-over after it; the incremental KPI does
//       the opposite.
// The incremental KPI is split exactly into three parts, from the two runs' media terms M = m·β
// (KPI units) and coefficients β:
//   direct      the change of c's own media term;
//   indirect    what c pushes into its DAG children through adjacency × mixing: for every other
//               channel j, Σ (m_j − m_j') · β_j over the cells (m' and β' from the run without
//               c) — only the mixing input of m_j changes, since h_j depends on j's own media;
//   interaction the rest: other channels' and the controls' terms moving because the recurrent
//               coefficient network sees c's input, Σ m_j' · (β_j − β_j') + Δ controls  (b).
// direct + indirect + interaction = incremental.
#pragma once
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "mmm/fit.hpp"
#include "mmm/optimizer.hpp"
#include "mmm/response.hpp"

namespace mmm {

// ---- decomposition totals ----------------------------------------------------------------------

struct ContributionTotals {
  int from = 0, to = 0;
  std::vector<int> regions;  // regions summed (every region when none were asked for)
  double actual = 0;         // Σ KPI (0 when the decomposition has no KPI, e.g. a simulation)
  double prediction = 0, baseline = 0, seasonal = 0;
  std::vector<double> control;  // [K]
  std::vector<double> media;    // [C]
  double control_total = 0, media_total = 0;
  std::vector<double> media_share;         // media[c] / media_total (0 when media_total is 0)
  double media_share_of_prediction = 0;    // media_total / prediction (0 when prediction is 0)
};

// Sums of the decomposition over weeks [from, to) and the given regions (empty: all). The parts
// add up to the prediction (each cell does, to float rounding). Throws InvalidConfig naming the
// bad value (from/to out of 0..weeks or from >= to, a region index out of range or repeated).
ContributionTotals contribution_totals(const Decomposition& d, int from, int to, const std::vector<int>& regions = {});

// ---- channel units -----------------------------------------------------------------------------

// Per channel: whether spend is known (the panel has spend and the channel's total is > 0), and
// the driver units per spend unit (1 when spend is the driver; Σ media / Σ spend otherwise).
struct ChannelUnits {
  std::vector<bool> has_spend;
  std::vector<double> driver_per_spend;
};
// `spend` is Panel::spend of the fitted panel ([(r*W + t)*C + c]) or empty.
ChannelUnits channel_units(const FittedModel& model, const std::vector<float>& spend);

// ---- progress ----------------------------------------------------------------------------------

// Progress of a long analysis step, called on the calling thread (never from a worker thread) with
// the work done so far and the total, in the same units; returning false cancels the step, which
// then throws Cancelled.
using AnalysisProgress = std::function<bool(int done, int total)>;

// ---- scenarios ---------------------------------------------------------------------------------

// Carry-over weeks simulated after a window: enough for the slowest learned adstock to decay to
// 2% (ceil(ln 0.02 / ln α_max)), at least 4 and at most 26.
int default_carryover_weeks(const FittedModel& model);

struct ScenarioWindow {
  int from = 0, to = 0;    // weeks whose media a scenario changes
  int carryover = 0;       // weeks after `to` whose KPI still counts
  int sim_weeks = 0;       // to + carryover: weeks simulated from the panel's first week
};

// A change of one channel's driver in the window's weeks: media' = factor · media + add_per_week
// · region_share (add_per_week is a national amount per week in driver units, split over regions
// by each region's share of the channel's driver over the whole panel, or of the KPI when the
// channel never ran).
struct ChannelChange {
  double factor = 1;
  double add_per_week = 0;
};

struct ScenarioOutcome {
  double prediction = 0;      // Σ over all regions and weeks [from, sim_weeks)
  std::vector<double> media;  // [C], the media terms, same sums
  std::vector<double> media_window;  // [C], the media terms over weeks [from, to) only
  // [C], Σ M · β_base / β: each media term at the base run's coefficients (= media for the base
  // run); the base's media minus this is the part of a term's change due to its mixing input.
  std::vector<double> media_at_base_coef;
};

// Runs scenarios on windows of a fitted model. The base media over sim_weeks is the panel's,
// extended past the panel's end by repeating its last year (or all of it when shorter).
class ScenarioRunner {
 public:
  // Throws InvalidConfig for a window outside the panel or carryover < 0 (-1: the default).
  ScenarioRunner(const FittedModel& model, int from, int to, int carryover = -1);
  const ScenarioWindow& window() const { return window_; }
  // changes: one per channel (or empty: the base plan). One full-model simulation
  // (FittedModel::simulate): the reference that run_many is tested against.
  ScenarioOutcome run(const std::vector<ChannelChange>& changes) const;
  // Many scenarios at once; each outcome equals run() of the same changes up to float rounding
  // (relative differences ~1e-6), at a fraction of the cost (analysis_batch.cpp): per chunk of
  // regions the base plan runs through the model once, and each scenario then recomputes only
  // what its changed channels move — their lag blend, adstock and saturation, the change of the
  // recurrent network's input (one rank-one update per changed channel instead of the whole
  // input projection), the recurrent state, the coefficient networks and the sums the outcome
  // needs — never the controls' features, the baseline or the seasonality, and no per-scenario
  // decomposition. A chunk where a scenario changes no media is the base's. Chunks spread over
  // the fit's threads (in waves, so that progress is reported from the calling thread after each
  // wave; unit: region chunks). prediction_only (empty, or one flag per scenario): flagged
  // scenarios get `prediction` alone (their channel vectors stay 0), which saves the per-channel
  // sums. Throws InvalidConfig for a bad change or flag count, Cancelled when progress returns false.
  std::vector<ScenarioOutcome> run_many(const std::vector<std::vector<ChannelChange>>& scenarios,
                                        const AnalysisProgress& progress = {},
                                        const std::vector<bool>& prediction_only = {}) const;
  // The scenario's media for weeks [0, sim_weeks), region-major (what run() simulates).
  std::vector<float> media_for(const std::vector<ChannelChange>& changes) const;
  double region_share(int r, int c) const { return share_[static_cast<size_t>(c) * R_ + r]; }

 private:
  // Throws InvalidConfig unless changes is empty or one valid change per channel.
  void check(const std::vector<ChannelChange>& changes) const;

  const FittedModel& model_;
  ScenarioWindow window_;
  mutable std::vector<float> base_coef_;  // β of the base run [(r*S + t)*C + c], filled by the first run
  int R_ = 0, C_ = 0;
  std::vector<float> base_;     // [(r*sim_weeks + t)*C + c]
  std::vector<double> share_;   // [c*R + r]
};

// ---- economics and response curves -------------------------------------------------------------

struct AnalysisOptions {
  int from = 0;
  int to = -1;                  // -1: the panel's last week + 1
  int carryover = -1;           // -1: default_carryover_weeks
  double revenue_per_kpi = std::numeric_limits<double>::quiet_NaN();  // > 0: revenue ROI; NaN: none
  double epsilon = 0.02;        // marginal ROI: central difference at (1 ± ε) × the window's spend
  std::vector<double> factors;  // response-curve multipliers, ascending, 0..10; empty: 0, 0.25, ..., 3
  bool curves = true;           // false: economics only: 1 + 3C simulations (with curves 1 + C(3 + P − 2), P factors)
};

struct ChannelEconomicsResult {
  std::string channel;
  bool has_spend = false;
  double spend = 0;             // Σ spend in the window (0 without spend)
  double activity = std::numeric_limits<double>::quiet_NaN();  // Σ activity driver (NaN when spend is the driver)
  double driver = 0;            // Σ model driver in the window
  double contribution = 0;      // direct incremental KPI (see the top of this file)
  double indirect = 0;          // through DAG children (adjacency × mixing)
  double interaction = 0;       // through the coefficient network (other terms moving)
  double incremental = 0;       // contribution + indirect + interaction
  double decomposition = 0;     // Σ of the channel's additive media term over [from, to)
  double share = 0;             // contribution / Σ contributions (0 when that is <= 0)
  // NaN where undefined (no spend, zero contribution, ...).
  double roi = std::numeric_limits<double>::quiet_NaN();               // contribution / spend
  double roi_total = std::numeric_limits<double>::quiet_NaN();         // (contribution + indirect) / spend
  double revenue_roi = std::numeric_limits<double>::quiet_NaN();       // roi · revenue_per_kpi
  double cost_per_kpi = std::numeric_limits<double>::quiet_NaN();      // spend / contribution
  double marginal_roi = std::numeric_limits<double>::quiet_NaN();      // d contribution / d spend
  double marginal_roi_total = std::numeric_limits<double>::quiet_NaN();// d incremental / d spend (all parts)
  double effect_per_1000 = std::numeric_limits<double>::quiet_NaN();   // contribution per 1000 activity units
};

struct ChannelResponseCurve {
  std::string channel;
  bool spend_units = false;     // x in spend (else activity) units
  bool ok = false;              // false: the channel has no driver in the window (no curve)
  std::vector<double> factors;  // multipliers of the window's driver
  std::vector<double> x;        // national weekly spend (or activity) at each factor
  std::vector<double> y;        // incremental KPI over the window (+ carry-over) at each factor
  HillFit hill;                 // fitted to (x, y), bottom fixed at 0
  double current = 0;           // x at factor 1: mean weekly national spend (or activity)
  double saturation_pct = 0;    // 100 · hill(current) / hill.top
};

struct Analysis {
  ScenarioWindow window;
  int window_weeks = 0;
  double revenue_per_kpi = std::numeric_limits<double>::quiet_NaN();
  std::vector<ChannelEconomicsResult> channels;  // model channel order
  std::vector<ChannelResponseCurve> curves;      // model channel order (empty when options.curves is false)
  int simulations = 0;
  double seconds = 0;
};

// `spend`: Panel::spend of the fitted panel or empty. Throws InvalidConfig for bad options.
// progress (optional) follows the scenario simulations (ScenarioRunner::run_many), which are
// nearly all of the time; returning false cancels (throws Cancelled).
Analysis analyze(const FittedModel& model, const std::vector<float>& spend, const AnalysisOptions& options = {},
                 const AnalysisProgress& progress = {});

// ---- budget ------------------------------------------------------------------------------------

struct BudgetBound {
  std::string channel;
  double lower = std::numeric_limits<double>::quiet_NaN();  // horizon spend; NaN: default
  double upper = std::numeric_limits<double>::quiet_NaN();
  bool locked = false;
};

struct BudgetRequest {
  OptimizeMode mode = OptimizeMode::FixedBudget;
  double budget = std::numeric_limits<double>::quiet_NaN();  // FixedBudget; NaN: current spend
  double target = 0;          // TargetRoi / TargetMarginalRoi
  int weeks = 0;              // planning horizon; 0: min(52, panel weeks)
  double bound_pct = 0.3;     // default bounds ±30% of current
  std::vector<BudgetBound> bounds;
  bool verify = true;         // run the full-model check
};

struct BudgetPlanResult {
  OptimizeMode mode = OptimizeMode::FixedBudget;
  int weeks = 0;
  // Planned channels (those with spend and a response curve), in model order, with the flags
  // they were planned with.
  OptimizationResult optimization;
  std::vector<int> channel_index;  // model index of optimization.channels[i]
  std::vector<bool> locked;
  // Channels kept as they are (no spend, or no curve), by name.
  std::vector<std::string> fixed_channels;
  // On the fitted curves (KPI units over the horizon incl. carry-over).
  double current_kpi = 0, optimal_kpi = 0, uplift_pct = 0;
  // Full model: the last `weeks` weeks' media, each planned channel scaled by optimal / current
  // (a channel without current spend gets optimal / weeks per week, split by its regional share),
  // against the same weeks with every planned channel at 0. NaN when verify is false.
  double simulated_current_kpi = std::numeric_limits<double>::quiet_NaN();
  double simulated_optimal_kpi = std::numeric_limits<double>::quiet_NaN();
  double simulated_uplift_pct = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> plan_factor;  // [C] driver multiplier per channel in the horizon (1 for fixed channels)
  double seconds = 0;
};

// Optimises on the curves of `analysis` (each channel's weekly response is curve / window weeks)
// with optimize_budget. Throws InvalidConfig for infeasible or invalid requests, naming the
// channel, the field and the value (e.g. bounds that cannot hold the budget, a bound for a
// channel without spend, an unknown channel).
BudgetPlanResult plan_budget(const FittedModel& model, const std::vector<float>& spend, const Analysis& analysis,
                             const BudgetRequest& request);

// ---- scenario simulation -----------------------------------------------------------------------

struct SpendPlan {
  int start = -1;        // first week of the plan as a panel week (0..weeks); -1: after the panel
  int weeks = 0;         // 1..520
  bool regional = false; // amounts [(r*weeks + t)*C + c] (else national [t*C + c], split by share)
  // Spend per channel and week (activity for channels without spend); media before `start` is the
  // panel's.
  std::vector<float> amounts;
};

struct PlanOutcome {
  int start = 0, weeks = 0;
  Decomposition decomposition;  // the plan's weeks only: regions × weeks
  ContributionTotals totals;    // over those weeks and all regions (from/to relative to `start`)
};

// Throws InvalidData for amounts of the wrong size, negative or not finite, InvalidConfig for a
// bad start or weeks.
PlanOutcome simulate_plan(const FittedModel& model, const std::vector<float>& spend, const SpendPlan& plan);

}  // namespace mmm
