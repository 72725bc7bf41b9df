// Budget planning on the model's response curves, verified by a full-model simulation, and
// simulation of user spend plans (analysis.hpp).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "mmm/analysis.hpp"
#include "mmm/errors.hpp"

namespace mmm {

BudgetPlanResult plan_budget(const FittedModel& model, const std::vector<float>& spend, const Analysis& analysis,
                             const BudgetRequest& req) {
  const auto t_start = std::chrono::steady_clock::now();
  const int R = model.regions(), W = model.weeks(), C = model.channels();
  const int N = req.weeks == 0 ? std::min(52, W) : req.weeks;
  if (N < 1 || N > W)
    throw InvalidConfig("budget: weeks is " + std::to_string(req.weeks) + "; allowed range is 1.." + std::to_string(W) +
                        " (the plan follows the pattern of the panel's last weeks)");
  if (static_cast<int>(analysis.curves.size()) != C || analysis.window_weeks <= 0)
    throw InvalidConfig("budget: the analysis has no response curves; run the analysis with curves first");
  const ChannelUnits units = channel_units(model, spend);

  // Current spend over the horizon: the panel's last N weeks.
  std::vector<double> current(C, 0.0);
  for (int r = 0; r < R; ++r)
    for (int t = W - N; t < W; ++t)
      for (int c = 0; c < C; ++c)
        if (units.has_spend[c]) current[c] += spend[(static_cast<size_t>(r) * W + t) * C + c];

  BudgetPlanResult out;
  out.mode = req.mode;
  out.weeks = N;
  std::vector<int> plan_pos(C, -1);
  for (int c = 0; c < C; ++c) {
    const ChannelResponseCurve& rc = analysis.curves[c];
    if (units.has_spend[c] && rc.ok && rc.spend_units) {
      plan_pos[c] = static_cast<int>(out.channel_index.size());
      out.channel_index.push_back(c);
    } else {
      out.fixed_channels.push_back(analysis.channels[c].channel);
    }
  }
  if (out.channel_index.empty())
    throw InvalidConfig("budget: no channel has spend and a response curve, so there is nothing to allocate (map a spend column for at least one channel)");

  std::map<std::string, int> by_name;
  for (int c = 0; c < C; ++c) by_name[analysis.channels[c].channel] = c;
  std::vector<const BudgetBound*> bound(C, nullptr);
  for (const BudgetBound& b : req.bounds) {
    auto it = by_name.find(b.channel);
    if (it == by_name.end()) throw InvalidConfig("budget: bounds name channel '" + b.channel + "', which the model does not have");
    const int c = it->second;
    if (plan_pos[c] < 0)
      throw InvalidConfig("budget: channel '" + b.channel + "' has no spend" +
                          (units.has_spend[c] ? std::string(" in the analysis window (no response curve)") : std::string()) +
                          ", so it cannot be planned; remove its bounds");
    if (bound[c]) throw InvalidConfig("budget: channel '" + b.channel + "' has bounds twice");
    bound[c] = &b;
  }

  const double value = std::isnan(analysis.revenue_per_kpi) ? 1.0 : analysis.revenue_per_kpi;
  std::vector<ChannelBudget> cb;
  for (int c : out.channel_index) {
    ChannelBudget b;
    b.name = analysis.channels[c].channel;
    b.curve = analysis.curves[c].hill;
    // The curve is incremental KPI over the window per weekly spend; per week of spend it is / weeks.
    b.curve.bottom /= analysis.window_weeks;
    b.curve.top /= analysis.window_weeks;
    b.current = current[c];
    b.value_per_kpi = value;
    if (bound[c]) {
      b.lower = bound[c]->lower;
      b.upper = bound[c]->upper;
      b.locked = bound[c]->locked;
    }
    out.locked.push_back(b.locked);
    cb.push_back(b);
  }
  OptimizerConfig cfg;
  cfg.mode = req.mode;
  cfg.budget = req.budget;
  cfg.target = req.target;
  cfg.horizon_weeks = N;
  cfg.bound_pct = req.bound_pct;
  out.optimization = optimize_budget(cb, cfg);
  const OptimizationResult& opt = out.optimization;
  out.current_kpi = opt.response_current;
  out.optimal_kpi = opt.response;
  out.uplift_pct = opt.response_current != 0 ? 100.0 * (opt.response - opt.response_current) / std::fabs(opt.response_current) : 0.0;

  // The plan as driver changes in the last N weeks.
  out.plan_factor.assign(C, 1.0);
  std::vector<ChannelChange> plan(C), zero(C);
  for (size_t i = 0; i < out.channel_index.size(); ++i) {
    const int c = out.channel_index[i];
    const ChannelAllocation& al = opt.channels[i];
    zero[c].factor = 0;
    if (current[c] > 0) {
      plan[c].factor = al.optimal / current[c];
    } else {
      plan[c].factor = 0;
      plan[c].add_per_week = al.optimal / N * units.driver_per_spend[c];
    }
    out.plan_factor[c] = plan[c].factor;
  }
  if (req.verify) {
    ScenarioRunner runner(model, W - N, W, analysis.window.carryover);
    const auto res = runner.run_many({{}, plan, zero});
    out.simulated_current_kpi = res[0].prediction - res[2].prediction;
    out.simulated_optimal_kpi = res[1].prediction - res[2].prediction;
    out.simulated_uplift_pct = out.simulated_current_kpi != 0
                                   ? 100.0 * (out.simulated_optimal_kpi - out.simulated_current_kpi) / std::fabs(out.simulated_current_kpi)
                                   : 0.0;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return out;
}

PlanOutcome simulate_plan(const FittedModel& model, const std::vector<float>& spend, const SpendPlan& plan) {
  const int R = model.regions(), W = model.weeks(), C = model.channels(), K = model.controls();
  const int start = plan.start < 0 ? W : plan.start;
  if (start > W)
    throw InvalidConfig("plan: start is week " + std::to_string(plan.start) + "; allowed range is 0.." + std::to_string(W) +
                        " (" + std::to_string(W) + " = the week after the panel)");
  const int N = plan.weeks;
  if (N < 1 || N > 520) throw InvalidConfig("plan: weeks is " + std::to_string(N) + "; allowed range is 1..520");
  const size_t expected = (plan.regional ? static_cast<size_t>(R) : 1) * N * C;
  if (plan.amounts.size() != expected)
    throw InvalidData("plan: " + std::to_string(plan.amounts.size()) + " amounts given; expected " + std::to_string(expected) +
                      (plan.regional ? " (regions x weeks x channels)" : " (weeks x channels)"));
  for (size_t i = 0; i < plan.amounts.size(); ++i)
    if (!std::isfinite(plan.amounts[i]) || plan.amounts[i] < 0)
      throw InvalidData("plan: amount " + std::to_string(i) + " (week " +
                        std::to_string((i / C) % N) + ", channel " + std::to_string(i % C) + ") is " + format_value(plan.amounts[i]) +
                        "; amounts must be finite and >= 0");
  const ChannelUnits units = channel_units(model, spend);
  const ScenarioRunner shares(model, 0, W, 0);
  const int S = start + N;
  std::vector<float> media(static_cast<size_t>(R) * S * C);
  for (int r = 0; r < R; ++r) {
    for (int t = 0; t < start; ++t)
      for (int c = 0; c < C; ++c)
        media[(static_cast<size_t>(r) * S + t) * C + c] = model.media()[(static_cast<size_t>(r) * W + t) * C + c];
    for (int t = 0; t < N; ++t)
      for (int c = 0; c < C; ++c) {
        const double a = plan.regional ? plan.amounts[(static_cast<size_t>(r) * N + t) * C + c]
                                       : plan.amounts[static_cast<size_t>(t) * C + c] * shares.region_share(r, c);
        const double per = units.has_spend[c] ? units.driver_per_spend[c] : 1.0;
        media[(static_cast<size_t>(r) * S + start + t) * C + c] = static_cast<float>(a * per);
      }
  }
  const Decomposition d = model.simulate(media, {});
  PlanOutcome out;
  out.start = start;
  out.weeks = N;
  Decomposition& p = out.decomposition;
  p.regions = R;
  p.weeks = N;
  p.channels = C;
  p.controls = K;
  const size_t cells = static_cast<size_t>(R) * N;
  p.prediction.resize(cells);
  p.baseline.resize(cells);
  p.seasonal.resize(cells);
  p.control.resize(cells * K);
  p.media.resize(cells * C);
  p.media_coef.resize(cells * C);
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < N; ++t) {
      const size_t o = static_cast<size_t>(r) * N + t, i = static_cast<size_t>(r) * S + start + t;
      p.prediction[o] = d.prediction[i];
      p.baseline[o] = d.baseline[i];
      p.seasonal[o] = d.seasonal[i];
      for (int k = 0; k < K; ++k) p.control[o * K + k] = d.control[i * K + k];
      for (int c = 0; c < C; ++c) {
        p.media[o * C + c] = d.media[i * C + c];
        p.media_coef[o * C + c] = d.media_coef[i * C + c];
      }
    }
  out.totals = contribution_totals(p, 0, N);
  return out;
}

}  // namespace mmm
