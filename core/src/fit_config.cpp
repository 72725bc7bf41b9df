#include "mmm/fit_config.hpp"

#include <cmath>
#include <sstream>

#include "mmm/errors.hpp"
#include "mmm/parallel.hpp"

namespace mmm {
namespace {

template <typename V>
[[noreturn]] void bad(const char* field, V value, const std::string& allowed) {
  std::ostringstream m;
  m << "config." << field << " is " << value << "; " << allowed;
  throw InvalidConfig(m.str());
}
void range_i(const char* f, int v, int lo, int hi) {
  if (v < lo || v > hi) bad(f, v, "allowed range is " + std::to_string(lo) + ".." + std::to_string(hi));
}
void range_d(const char* f, double v, double lo, double hi) {
  if (!(v >= lo && v <= hi)) {
    std::ostringstream a;
    a << "allowed range is " << lo << ".." << hi;
    bad(f, v, a.str());
  }
}

}  // namespace

int FitConfig::holdout_for(int weeks) const {
  if (holdout_ratio > 0) return static_cast<int>(std::floor(holdout_ratio * weeks));
  return holdout_weeks;
}

void FitConfig::validate(const Panel& p) const {
  range_i("holdout_weeks", holdout_weeks, 0, 520);
  range_d("holdout_ratio", holdout_ratio, 0.0, 0.5);
  range_i("validation_weeks", validation_weeks, 0, 104);
  range_i("burn_in_weeks", burn_in_weeks, 0, 52);
  if (media_scaling != "intensity" && media_scaling != "region" && media_scaling != "global")
    bad("media_scaling", "'" + media_scaling + "'", "allowed values are 'intensity', 'region', 'global'");
  range_d("control_clip", control_clip, 0.5, 100.0);
  range_i("fourier_harmonics", fourier_harmonics, 0, 10);
  range_i("hidden", hidden, 2, 1024);
  range_i("control_hidden", control_hidden, 0, 1024);
  range_i("coef_hidden", coef_hidden, 0, 2048);
  if (dag_mode != "triangular" && dag_mode != "notears")
    bad("dag_mode", "'" + dag_mode + "'", "allowed values are 'triangular', 'notears'");
  range_d("dag_temperature", dag_temperature, 0.01, 100.0);
  range_d("dag_mix_init", dag_mix_init, 0.001, 0.999);
  range_d("adstock_max", adstock_max, 0.01, 0.999);
  range_d("adstock_init", adstock_init, 0.0001, adstock_max * 0.999);
  range_d("adstock_delay_init", adstock_delay_init, 0.001, 0.999);
  range_d("hill_slope_min", hill_slope_min, 0.05, 10.0);
  range_d("hill_slope_max", hill_slope_max, hill_slope_min + 0.01, 20.0);
  range_d("hill_slope_init", hill_slope_init, hill_slope_min + 1e-3, hill_slope_max - 1e-3);
  range_d("dropout", dropout, 0.0, 0.9);
  range_i("epochs", epochs, 1, 100000);
  range_i("warm_start_epochs", warm_start_epochs, 0, 100000);
  range_d("warm_start_lr_mult", warm_start_lr_mult, 0.0, 100.0);
  range_d("learning_rate", learning_rate, 1e-7, 1.0);
  range_i("warmup_epochs", warmup_epochs, 0, 100000);
  range_d("transform_lr_mult", transform_lr_mult, 0.0, 100.0);
  range_d("min_lr_ratio", min_lr_ratio, 0.0, 1.0);
  range_d("weight_decay", weight_decay, 0.0, 1.0);
  range_d("beta1", beta1, 0.0, 0.9999);
  range_d("beta2", beta2, 0.0, 0.999999);
  range_d("adam_eps", adam_eps, 1e-12, 1e-2);
  range_d("grad_clip", grad_clip, 0.0, 1e6);
  range_d("coef_grad_clip", coef_grad_clip, 0.0, 1e6);
  range_d("global_grad_clip", global_grad_clip, 0.0, 1e6);
  range_i("patience", patience, 1, 100000);
  range_d("min_delta", min_delta, 0.0, 0.5);
  range_d("huber_delta", huber_delta, 0.0, 100.0);
  range_d("attribution_prior_weight", attribution_prior_weight, 0.0, 100.0);
  range_d("attribution_prior_share", attribution_prior_share, 0.0, 1.0);
  range_d("seasonal_prior_weight", seasonal_prior_weight, 0.0, 100.0);
  range_d("coef_reg_weight", coef_reg_weight, 0.0, 1e6);
  range_d("dag_weight", dag_weight, 0.0, 100.0);
  range_d("sparsity_weight", sparsity_weight, 0.0, 100.0);
  range_d("l1_weight", l1_weight, 0.0, 100.0);
  range_d("l2_weight", l2_weight, 0.0, 100.0);
  range_d("region_shrinkage", region_shrinkage, 0.0, 100.0);
  range_i("level_knot_weeks", level_knot_weeks, 0, 520);
  range_d("media_share_cap", media_share_cap, 0.0, 1.0);
  range_d("media_share_cap_weight", media_share_cap_weight, 0.0, 1e6);
  range_d("level_tie_cap_margin", level_tie_cap_margin, -1.0, 1.0);
  range_d("calibration_weight", calibration_weight, 0.0, 1e6);
  range_d("experiment_roi_prior_weight", experiment_roi_prior_weight, 0.0, 1e6);
  range_d("start_at_priors", start_at_priors, 0.0, 1.0);
  range_i("bootstrap_seed", bootstrap_seed, 0, 2147483647);
  range_i("bootstrap_block_weeks", bootstrap_block_weeks, 1, 520);
  range_d("level_smoothness", level_smoothness, 0.0, 1e6);
  range_i("notears_warmup_epochs", notears_warmup_epochs, 0, 100000);
  range_i("notears_dual_every", notears_dual_every, 1, 100000);
  range_d("notears_lambda1", notears_lambda1, 0.0, 100.0);
  range_d("notears_group_l1", notears_group_l1, 0.0, 100.0);
  range_d("notears_rho_init", notears_rho_init, 1e-12, 1e16);
  range_d("notears_alpha_init", notears_alpha_init, 0.0, 1e16);
  range_d("notears_rho_max", notears_rho_max, notears_rho_init, 1e20);
  range_d("notears_dual_factor", notears_dual_factor, 1.0, 100.0);
  range_d("notears_threshold", notears_threshold, 0.0, 1.0);
  range_d("notears_data_weight", notears_data_weight, 0.0, 1e3);
  range_i("threads", threads, 1, 64);
  range_i("chunk_regions", chunk_regions, 1, 100000);

  const int T = p.weeks;
  const int hold = holdout_for(T);
  const int train = T - hold;
  const int fitw = train - validation_weeks;
  const int need = burn_in_weeks + 8;
  if (fitw < need) {
    std::ostringstream m;
    m << "the panel has " << T << " weeks; holdout " << hold << " and validation_weeks " << validation_weeks
      << " leave " << fitw << " weeks to fit, but burn_in_weeks " << burn_in_weeks << " + 8 = " << need
      << " are required; lower holdout_weeks/holdout_ratio or validation_weeks";
    throw InvalidConfig(m.str());
  }
  validate_calibration(p, train);
}

void FitConfig::validate_calibration(const Panel& p, int train) const {
  auto channel_name = [&](int c) {
    return c >= 0 && c < static_cast<int>(p.channel_names.size()) ? "'" + p.channel_names[c] + "'" : std::to_string(c);
  };
  auto fail = [](const std::string& what, const std::string& fix) { throw InvalidConfig(what + "; " + fix); };
  for (size_t e = 0; e < experiments.size(); ++e) {
    const Experiment& x = experiments[e];
    const std::string name = "experiment " + std::to_string(e + 1);
    if (x.channel < 0 || x.channel >= p.channels)
      fail(name + " names channel " + std::to_string(x.channel) + ", but the data has " + std::to_string(p.channels) + " channels",
           "use one of the mapped media channels");
    const std::string ch = name + " (" + channel_name(x.channel) + ")";
    if (x.start_week < 0 || x.end_week < x.start_week || x.end_week >= p.weeks)
      fail(ch + " covers weeks " + std::to_string(x.start_week) + ".." + std::to_string(x.end_week) + ", outside the data's weeks 0.." +
               std::to_string(p.weeks - 1),
           "give a start and an end inside the data, start first");
    if (x.start_week >= train)
      fail(ch + " starts in week " + std::to_string(x.start_week) + ", inside the holdout weeks (from week " + std::to_string(train) +
               "), so it cannot inform the fit",
           "shorten the holdout or leave this experiment out");
    for (int r : x.regions)
      if (r < 0 || r >= p.regions)
        fail(ch + " names region " + std::to_string(r) + ", but the data has " + std::to_string(p.regions) + " regions",
             "use mapped region names");
    const bool lift = std::isfinite(x.lift), roi = std::isfinite(x.roi);
    if (lift == roi)
      fail(ch + (lift ? " gives both a lift and an ROI" : " gives neither a lift nor an ROI"), "give exactly one of them with its standard error");
    const double se = lift ? x.lift_se : x.roi_se;
    if (!(std::isfinite(se) && se > 0))
      fail(ch + " has standard error " + format_value(se), "give a positive, finite standard error (the test's uncertainty)");
    if (roi && !p.has_spend())
      fail(ch + " gives an ROI, but the data has no spend", "map the channel's spend, or give the lift instead");
    if (x.readout_weeks < -1 || x.readout_weeks > 26)
      fail(ch + " has readout_weeks " + std::to_string(x.readout_weeks),
           "give 0 to 26 weeks after the test that its lift includes, or leave it empty for the whole carryover");
  }
  std::vector<bool> seen(static_cast<size_t>(std::max(0, p.channels)), false);
  for (size_t i = 0; i < roi_priors.size(); ++i) {
    const RoiPrior& q = roi_priors[i];
    const std::string name = "ROI prior " + std::to_string(i + 1);
    if (q.channel < 0 || q.channel >= p.channels)
      fail(name + " names channel " + std::to_string(q.channel) + ", but the data has " + std::to_string(p.channels) + " channels",
           "use one of the mapped media channels");
    if (seen[q.channel]) fail(name + " repeats channel " + channel_name(q.channel), "give one prior per channel");
    seen[q.channel] = true;
    if (!std::isfinite(q.mean) || q.mean < 0)
      fail(name + " (" + channel_name(q.channel) + ") has mean " + format_value(q.mean), "give a finite ROI of 0 or more");
    if (!(std::isfinite(q.sd) && q.sd > 0))
      fail(name + " (" + channel_name(q.channel) + ") has sd " + format_value(q.sd), "give a positive, finite spread");
    if (!p.has_spend()) fail(name + " needs spend, but the data has none", "map the channel's spend column");
  }
}

}  // namespace mmm
