// Budget optimiser on fitted response curves.
//
// Each channel j has a weekly Hill curve f_j (response in KPI per week at a weekly spend) and a
// value per KPI unit w_j (revenue per KPI, default 1). Spend x_j is the total over a planning
// horizon of N weeks, spread evenly, so the channel's value is the incremental response
//     V_j(x) = N · w_j · (f_j(x / N) − f_j(0))
// (incremental: a fitted `bottom` earned at zero spend is not credited to the spend).
//
// Modes
//   FixedBudget        maximise Σ V_j(x_j)  s.t.  Σ x_j = budget,  lower_j ≤ x_j ≤ upper_j
//   TargetRoi          the largest budget whose optimal plan has overall ROI Σ V / Σ x ≥ target
//   TargetMarginalRoi  spend until the marginal ROI equals the target: x_j = argmax V_j(x) − target·x
//                      on [lower_j, upper_j] (exact per channel); the budget is Σ x_j
//
// Bounds: lower/upper default to (1 ∓ bound_pct) · current (so a channel with zero current spend
// gets none unless its bounds are set); `locked` sets lower = upper = current.
//
// Method (FixedBudget; the target modes call it): Hill curves with s > 1 are S-shaped, so the
// problem is not concave. A dynamic programme over a budget grid finds the global basin, a
// Lagrangian solution on exact per-channel 1-D maximisations gives a second start and an upper
// bound (the dual value), then pairwise exchanges (most-violating pair, with 1-D root finding of the
// marginal-ROI difference) and an exact equal-marginal-ROI solve on the free channels polish it.
// The budget and the bounds hold to round-off. Deterministic.
#pragma once
#include <limits>
#include <string>
#include <vector>

#include "mmm/response.hpp"

namespace mmm {

struct ChannelBudget {
  std::string name;
  HillFit curve;             // weekly response vs weekly spend
  double current = 0;        // current spend over the horizon, >= 0
  double lower = std::numeric_limits<double>::quiet_NaN();  // horizon spend; NaN = default
  double upper = std::numeric_limits<double>::quiet_NaN();
  bool locked = false;       // keep the current spend
  double value_per_kpi = 1;  // w_j >= 0
};

enum class OptimizeMode { FixedBudget, TargetRoi, TargetMarginalRoi };

struct OptimizerConfig {
  OptimizeMode mode = OptimizeMode::FixedBudget;
  double budget = std::numeric_limits<double>::quiet_NaN();  // FixedBudget; NaN = Σ current
  double target = 0;         // TargetRoi / TargetMarginalRoi, > 0
  int horizon_weeks = 1;     // 1..520
  double bound_pct = 0.3;    // default bounds ±30% of current, 0..10
};

struct ChannelAllocation {
  std::string name;
  double lower = 0, upper = 0;
  double current = 0, optimal = 0;
  double change = 0;       // optimal − current
  double change_pct = 0;   // 100 · change / current (0 when current = 0)
  double response_current = 0, response = 0;  // incremental KPI over the horizon
  double value_current = 0, value = 0;        // response · value_per_kpi
  double roi_current = 0, roi = 0;            // value / spend (0 without spend)
  double marginal_roi_current = 0, marginal_roi = 0;  // dV/dx
  double saturation_pct = 0;      // 100 · weekly spend / K (can exceed 100)
  double saturation_top_pct = 0;  // 100 · (f(weekly) − f(0)) / (top − f(0))
  bool at_lower = false, at_upper = false;
};

struct OptimizationResult {
  OptimizeMode mode = OptimizeMode::FixedBudget;
  std::vector<ChannelAllocation> channels;
  double budget = 0;           // Σ optimal spend
  double current_budget = 0;   // Σ current spend
  double value_current = 0, value = 0;  // Σ V_j (objective)
  double response_current = 0, response = 0;
  double uplift = 0;           // value − value_current
  double uplift_pct = 0;       // 100 · uplift / value_current (0 when value_current = 0)
  double roi_current = 0, roi = 0;
  double marginal_roi = 0;     // common marginal ROI of the channels strictly inside their bounds
                               // (the Lagrange multiplier; the target in TargetMarginalRoi)
  double upper_bound = 0;      // FixedBudget: no plan can beat this value (Lagrangian dual bound)
  bool target_met = true;      // TargetRoi: false when no budget reaches the target
  std::string message;
};

// Throws InvalidConfig for infeasible or invalid inputs (Σ lower > budget, Σ upper < budget,
// lower > upper, negative values, bad curves), naming the channel, the field and the value.
OptimizationResult optimize_budget(const std::vector<ChannelBudget>& channels, const OptimizerConfig& config);

}  // namespace mmm
