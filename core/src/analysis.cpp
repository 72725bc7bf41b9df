// Contribution totals, channel units, scenarios, economics and response curves (analysis.hpp).
// The budget and plan simulation are in analysis_budget.cpp.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "mmm/analysis.hpp"
#include "mmm/errors.hpp"

namespace mmm {

// ---- decomposition totals ----------------------------------------------------------------------

ContributionTotals contribution_totals(const Decomposition& d, int from, int to, const std::vector<int>& regions) {
  if (from < 0 || from >= d.weeks)
    throw InvalidConfig("contribution totals: from is " + std::to_string(from) + "; allowed range is 0.." +
                        std::to_string(d.weeks - 1));
  if (to <= from || to > d.weeks)
    throw InvalidConfig("contribution totals: to is " + std::to_string(to) + "; it must be above from (" +
                        std::to_string(from) + ") and at most the number of weeks, " + std::to_string(d.weeks));
  ContributionTotals out;
  out.from = from;
  out.to = to;
  if (regions.empty()) {
    for (int r = 0; r < d.regions; ++r) out.regions.push_back(r);
  } else {
    std::vector<bool> seen(d.regions, false);
    for (int r : regions) {
      if (r < 0 || r >= d.regions)
        throw InvalidConfig("contribution totals: region " + std::to_string(r) + " does not exist; allowed range is 0.." +
                            std::to_string(d.regions - 1));
      if (seen[r]) throw InvalidConfig("contribution totals: region " + std::to_string(r) + " is listed twice");
      seen[r] = true;
      out.regions.push_back(r);
    }
  }
  const int C = d.channels, K = d.controls;
  out.control.assign(K, 0.0);
  out.media.assign(C, 0.0);
  const bool has_kpi = d.kpi.size() == d.prediction.size();
  for (int r : out.regions)
    for (int t = from; t < to; ++t) {
      const size_t i = static_cast<size_t>(r) * d.weeks + t;
      if (has_kpi) out.actual += d.kpi[i];
      out.prediction += d.prediction[i];
      out.baseline += d.baseline[i];
      out.seasonal += d.seasonal[i];
      for (int k = 0; k < K; ++k) out.control[k] += d.control[i * K + k];
      for (int c = 0; c < C; ++c) out.media[c] += d.media[i * C + c];
    }
  for (double v : out.control) out.control_total += v;
  for (double v : out.media) out.media_total += v;
  out.media_share.assign(C, 0.0);
  if (out.media_total != 0)
    for (int c = 0; c < C; ++c) out.media_share[c] = out.media[c] / out.media_total;
  out.media_share_of_prediction = out.prediction != 0 ? out.media_total / out.prediction : 0.0;
  return out;
}

// ---- channel units -----------------------------------------------------------------------------

ChannelUnits channel_units(const FittedModel& model, const std::vector<float>& spend) {
  const int R = model.regions(), W = model.weeks(), C = model.channels();
  const std::vector<float>& media = model.media();
  if (!spend.empty() && spend.size() != media.size())
    throw InvalidData("spend has " + std::to_string(spend.size()) + " values; the fitted panel has " +
                      std::to_string(media.size()) + " (regions x weeks x channels)");
  std::vector<double> ts(C, 0.0), tm(C, 0.0);
  const size_t cells = static_cast<size_t>(R) * W;
  for (size_t i = 0; i < cells; ++i)
    for (int c = 0; c < C; ++c) {
      tm[c] += media[i * C + c];
      if (!spend.empty()) ts[c] += spend[i * C + c];
    }
  ChannelUnits u;
  u.has_spend.assign(C, false);
  u.driver_per_spend.assign(C, 1.0);
  for (int c = 0; c < C; ++c) {
    if (ts[c] > 0 && std::isfinite(ts[c])) {
      u.has_spend[c] = true;
      u.driver_per_spend[c] = tm[c] > 0 ? tm[c] / ts[c] : 1.0;
    }
  }
  return u;
}

// ---- scenarios ---------------------------------------------------------------------------------

int default_carryover_weeks(const FittedModel& model) {
  double amax = 0;
  for (float a : model.adstock_decay()) amax = std::max(amax, static_cast<double>(a));
  if (!(amax > 0)) return 4;
  if (amax >= 1) return 26;
  const double w = std::ceil(std::log(0.02) / std::log(amax));
  return static_cast<int>(std::clamp(w, 4.0, 26.0));
}

ScenarioRunner::ScenarioRunner(const FittedModel& model, int from, int to, int carryover) : model_(model) {
  const int W = model.weeks();
  R_ = model.regions();
  C_ = model.channels();
  if (from < 0 || from >= W)
    throw InvalidConfig("scenario window: from is " + std::to_string(from) + "; allowed range is 0.." + std::to_string(W - 1));
  if (to <= from || to > W)
    throw InvalidConfig("scenario window: to is " + std::to_string(to) + "; it must be above from (" + std::to_string(from) +
                        ") and at most the number of weeks, " + std::to_string(W));
  if (carryover < -1 || carryover > 104)
    throw InvalidConfig("scenario window: carry-over weeks is " + std::to_string(carryover) + "; allowed range is 0..104 (-1: automatic)");
  if (carryover < 0) carryover = default_carryover_weeks(model);
  window_.from = from;
  window_.to = to;
  window_.carryover = carryover;
  window_.sim_weeks = to + carryover;
  const int S = window_.sim_weeks;
  const int P = std::min(52, W);  // past the panel: repeat its last year
  const std::vector<float>& media = model.media();
  base_.resize(static_cast<size_t>(R_) * S * C_);
  for (int r = 0; r < R_; ++r)
    for (int t = 0; t < S; ++t) {
      const int src = t < W ? t : (W - P) + ((t - W) % P);
      const float* in = &media[(static_cast<size_t>(r) * W + src) * C_];
      std::copy(in, in + C_, &base_[(static_cast<size_t>(r) * S + t) * C_]);
    }
  // Regional shares of each channel's driver over the panel (the KPI's when it never ran).
  share_.assign(static_cast<size_t>(C_) * R_, 0.0);
  std::vector<double> kpi_r(R_, 0.0);
  double kpi_total = 0;
  for (int r = 0; r < R_; ++r) {
    for (int t = 0; t < W; ++t) kpi_r[r] += std::max(0.0f, model.kpi()[static_cast<size_t>(r) * W + t]);
    kpi_total += kpi_r[r];
  }
  for (int c = 0; c < C_; ++c) {
    double total = 0;
    std::vector<double> by(R_, 0.0);
    for (int r = 0; r < R_; ++r) {
      for (int t = 0; t < W; ++t) by[r] += media[(static_cast<size_t>(r) * W + t) * C_ + c];
      total += by[r];
    }
    for (int r = 0; r < R_; ++r)
      share_[static_cast<size_t>(c) * R_ + r] =
          total > 0 ? by[r] / total : (kpi_total > 0 ? kpi_r[r] / kpi_total : 1.0 / R_);
  }
}

void ScenarioRunner::check(const std::vector<ChannelChange>& changes) const {
  if (!changes.empty() && static_cast<int>(changes.size()) != C_)
    throw InvalidConfig("scenario: " + std::to_string(changes.size()) + " channel changes given; the model has " +
                        std::to_string(C_) + " channels");
  for (size_t c = 0; c < changes.size(); ++c) {
    const ChannelChange& ch = changes[c];
    if (!std::isfinite(ch.factor) || ch.factor < 0 || !std::isfinite(ch.add_per_week) || ch.add_per_week < 0)
      throw InvalidConfig("scenario: channel " + std::to_string(c) + " has factor " + format_value(ch.factor) + " and addition " +
                          format_value(ch.add_per_week) + "; both must be finite and >= 0");
  }
}

std::vector<float> ScenarioRunner::media_for(const std::vector<ChannelChange>& changes) const {
  check(changes);
  std::vector<float> m = base_;
  if (changes.empty()) return m;
  const int S = window_.sim_weeks;
  for (int c = 0; c < C_; ++c) {
    const ChannelChange& ch = changes[c];
    if (ch.factor == 1 && ch.add_per_week == 0) continue;
    for (int r = 0; r < R_; ++r) {
      const double add = ch.add_per_week * share_[static_cast<size_t>(c) * R_ + r];
      for (int t = window_.from; t < window_.to; ++t) {
        float& v = m[(static_cast<size_t>(r) * S + t) * C_ + c];
        v = static_cast<float>(ch.factor * v + add);
      }
    }
  }
  return m;
}

ScenarioOutcome ScenarioRunner::run(const std::vector<ChannelChange>& changes) const {
  const bool is_base = changes.empty() || std::all_of(changes.begin(), changes.end(), [](const ChannelChange& ch) {
                          return ch.factor == 1 && ch.add_per_week == 0;
                        });
  if (base_coef_.empty() && !is_base) run({});  // the base coefficients first
  const Decomposition d = model_.simulate(media_for(changes), {});
  if (base_coef_.empty()) base_coef_ = d.media_coef;
  ScenarioOutcome o;
  o.media.assign(C_, 0.0);
  o.media_window.assign(C_, 0.0);
  o.media_at_base_coef.assign(C_, 0.0);
  const int S = window_.sim_weeks;
  for (int r = 0; r < R_; ++r)
    for (int t = window_.from; t < S; ++t) {
      const size_t i = static_cast<size_t>(r) * S + t;
      o.prediction += d.prediction[i];
      for (int c = 0; c < C_; ++c) {
        const size_t k = i * C_ + c;
        const double m = d.media[k];
        o.media[c] += m;
        if (t < window_.to) o.media_window[c] += m;
        const double b = d.media_coef[k];
        o.media_at_base_coef[c] += b != 0 ? m * (static_cast<double>(base_coef_[k]) / b) : m;
      }
    }
  return o;
}

// ---- economics and response curves -------------------------------------------------------------

namespace {

std::vector<double> default_factors() {
  std::vector<double> f;
  for (int i = 0; i <= 12; ++i) f.push_back(0.25 * i);
  return f;
}

}  // namespace

Analysis analyze(const FittedModel& model, const std::vector<float>& spend, const AnalysisOptions& o,
                 const AnalysisProgress& progress) {
  const auto t_start = std::chrono::steady_clock::now();
  const int R = model.regions(), W = model.weeks(), C = model.channels();
  const int to = o.to < 0 ? W : o.to;
  if (!(o.epsilon > 0 && o.epsilon <= 0.5))
    throw InvalidConfig("analysis: epsilon is " + format_value(o.epsilon) + "; allowed range is (0, 0.5]");
  if (!std::isnan(o.revenue_per_kpi) && !(o.revenue_per_kpi > 0 && std::isfinite(o.revenue_per_kpi)))
    throw InvalidConfig("analysis: revenue per KPI is " + format_value(o.revenue_per_kpi) + "; it must be a finite number > 0 (or left out)");
  std::vector<double> factors = o.factors.empty() ? default_factors() : o.factors;
  if (o.curves) {
    if (factors.size() < 5 || factors.size() > 101)
      throw InvalidConfig("analysis: " + std::to_string(factors.size()) + " curve factors given; allowed 5..101");
    for (size_t i = 0; i < factors.size(); ++i) {
      if (!(factors[i] >= 0 && factors[i] <= 10))
        throw InvalidConfig("analysis: curve factor " + format_value(factors[i]) + " is outside 0..10");
      if (i > 0 && !(factors[i] > factors[i - 1]))
        throw InvalidConfig("analysis: curve factors must be strictly ascending (" + format_value(factors[i - 1]) + " then " +
                            format_value(factors[i]) + ")");
    }
    if (factors.front() != 0)
      throw InvalidConfig("analysis: the first curve factor must be 0 (the channel switched off); got " + format_value(factors.front()));
  }
  const ChannelUnits units = channel_units(model, spend);
  ScenarioRunner runner(model, o.from, to, o.carryover);
  const ScenarioWindow win = runner.window();
  const int ww = win.to - win.from;

  // Window totals per channel.
  std::vector<double> drv(C, 0.0), spd(C, 0.0);
  for (int r = 0; r < R; ++r)
    for (int t = win.from; t < win.to; ++t)
      for (int c = 0; c < C; ++c) {
        const size_t i = (static_cast<size_t>(r) * W + t) * C + c;
        drv[c] += model.media()[i];
        if (units.has_spend[c]) spd[c] += spend[i];
      }

  // Every scenario in one batch: base, then per active channel: off, (1 − ε), (1 + ε), curve factors.
  std::vector<std::vector<ChannelChange>> sc;
  sc.push_back({});
  struct Slots {
    int off = -1, minus = -1, plus = -1;
    std::vector<int> curve;  // per factor (-1: base or off)
  };
  std::vector<Slots> slot(C);
  std::vector<bool> prediction_only{false};  // the curve points need the prediction alone
  auto scaled = [&](int c, double f, bool curve_point = false) {
    std::vector<ChannelChange> ch(C);
    ch[c].factor = f;
    sc.push_back(ch);
    prediction_only.push_back(curve_point);
    return static_cast<int>(sc.size()) - 1;
  };
  for (int c = 0; c < C; ++c) {
    if (!(drv[c] > 0)) continue;
    slot[c].off = scaled(c, 0.0);
    slot[c].minus = scaled(c, 1.0 - o.epsilon);
    slot[c].plus = scaled(c, 1.0 + o.epsilon);
    if (o.curves)
      for (double f : factors) slot[c].curve.push_back(f == 0 ? slot[c].off : f == 1 ? 0 : scaled(c, f, true));
  }
  const std::vector<ScenarioOutcome> out = runner.run_many(sc, progress, prediction_only);
  const ScenarioOutcome& base = out[0];

  Analysis a;
  a.window = win;
  a.window_weeks = ww;
  a.revenue_per_kpi = o.revenue_per_kpi;
  a.simulations = static_cast<int>(sc.size());
  a.channels.resize(C);
  double direct_sum = 0;
  for (int c = 0; c < C; ++c) {
    ChannelEconomicsResult& e = a.channels[c];
    e.channel = model.channel_names().size() == static_cast<size_t>(C) ? model.channel_names()[c] : "Channel " + std::to_string(c + 1);
    e.has_spend = units.has_spend[c];
    e.driver = drv[c];
    e.spend = e.has_spend ? spd[c] : 0.0;
    if (!e.has_spend || units.driver_per_spend[c] != 1.0) e.activity = drv[c];
    e.decomposition = base.media_window[c];
    if (slot[c].off < 0) continue;
    const ScenarioOutcome& off = out[slot[c].off];
    e.incremental = base.prediction - off.prediction;
    e.contribution = base.media[c] - off.media[c];
    for (int j = 0; j < C; ++j)
      if (j != c) e.indirect += base.media[j] - off.media_at_base_coef[j];
    e.interaction = e.incremental - e.contribution - e.indirect;
    direct_sum += e.contribution;
    const ScenarioOutcome& mi = out[slot[c].minus];
    const ScenarioOutcome& pl = out[slot[c].plus];
    if (e.has_spend && e.spend > 0) {
      e.roi = e.contribution / e.spend;
      e.roi_total = (e.contribution + e.indirect) / e.spend;
      if (!std::isnan(o.revenue_per_kpi)) e.revenue_roi = e.roi * o.revenue_per_kpi;
      if (e.contribution > 0) e.cost_per_kpi = e.spend / e.contribution;
      const double ds = 2.0 * o.epsilon * e.spend;
      e.marginal_roi = (pl.media[c] - mi.media[c]) / ds;
      e.marginal_roi_total = (pl.prediction - mi.prediction) / ds;
    }
    if (!std::isnan(e.activity) && e.activity > 0) e.effect_per_1000 = 1000.0 * e.contribution / e.activity;
  }
  for (auto& e : a.channels) e.share = direct_sum > 0 ? e.contribution / direct_sum : 0.0;

  if (o.curves) {
    a.curves.resize(C);
    for (int c = 0; c < C; ++c) {
      ChannelResponseCurve& rc = a.curves[c];
      rc.channel = a.channels[c].channel;
      rc.spend_units = units.has_spend[c];
      if (slot[c].off < 0) continue;
      const double total = rc.spend_units ? spd[c] : drv[c];
      rc.current = total / ww;
      if (!(rc.current > 0)) continue;
      const double y0 = out[slot[c].off].prediction;
      for (size_t k = 0; k < factors.size(); ++k) {
        rc.factors.push_back(factors[k]);
        rc.x.push_back(factors[k] * rc.current);
        rc.y.push_back(out[slot[c].curve[k]].prediction - y0);
      }
      rc.hill = fit_hill_curve(rc.x, rc.y, HillFitOptions{false});
      rc.ok = rc.hill.ok;
      const double fc = rc.hill.eval(rc.current);
      rc.saturation_pct = rc.hill.top > 0 ? 100.0 * std::clamp(fc / rc.hill.top, 0.0, 1.0) : 0.0;
    }
  }
  a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return a;
}

}  // namespace mmm
