// The fitted model and the result of a fit: everything downstream (contributions, response curves,
// budget optimiser, scenarios, the model bundle) is built on FittedModel.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mmm/fit_config.hpp"
#include "mmm/metrics.hpp"
#include "mmm/model.hpp"
#include "mmm/panel.hpp"
#include "mmm/scaling.hpp"
#include "mmm/seasonality.hpp"

namespace mmm {

struct EpochReport {
  int epoch = 0;          // 0-based, counting warm-start epochs first
  int total_epochs = 0;   // warm-start + main epochs planned (early stopping may end sooner)
  bool warm_start = false;
  bool refit = false;     // refit phase: all training weeks, epoch count chosen by early stopping
  double train_loss = 0;  // objective (data loss + priors + penalties), scaled space
  double val_loss = 0;    // mean squared error on the validation weeks, scaled space (NaN if none)
  double train_r2 = 0;    // pooled R² in scaled space (KPI / region mean), burn-in excluded
  double val_r2 = 0;      // same on the validation weeks (NaN if none)
  double learning_rate = 0;
  double grad_norm = 0;
  double elapsed_seconds = 0;
};

// Per region x week decomposition in KPI units: prediction = baseline + seasonal + Σ controls +
// Σ media (exactly, up to float rounding of the stored parts).
struct Decomposition {
  int regions = 0, weeks = 0, channels = 0, controls = 0;
  std::vector<float> prediction;  // [r*weeks + t]
  std::vector<float> baseline;    // [r*weeks + t] (region level + trend)
  std::vector<float> seasonal;    // [r*weeks + t]
  std::vector<float> control;     // [(r*weeks + t)*controls + k]
  std::vector<float> media;       // [(r*weeks + t)*channels + c]
  std::vector<float> media_coef;  // [(r*weeks + t)*channels + c] time-varying coefficient beta (model units)
  std::vector<float> kpi;         // actual KPI [r*weeks + t] (decompose() only; empty for simulate)
};

class FittedModel {
 public:
  FittedModel() = default;
  FittedModel(FitConfig cfg, ModelSpec spec, Scalers scalers, Seasonality season, std::vector<float> params,
              const Panel& panel, int train_weeks, int fit_weeks);

  int regions() const { return spec_.regions; }
  int weeks() const { return weeks_; }
  int channels() const { return spec_.channels; }
  int controls() const { return spec_.controls; }
  int train_weeks() const { return train_weeks_; }  // weeks [0, train_weeks) were training weeks
  int fit_weeks() const { return fit_weeks_; }      // weeks [0, fit_weeks) entered the loss
  const FitConfig& config() const { return cfg_; }
  const ModelSpec& spec() const { return spec_; }
  const Scalers& scalers() const { return scalers_; }
  const Seasonality& seasonality() const { return season_; }
  const std::vector<float>& parameters() const { return params_; }
  const std::vector<std::string>& channel_names() const { return channel_names_; }
  const std::vector<std::string>& control_names() const { return control_names_; }
  const std::vector<std::string>& region_names() const { return region_names_; }
  // The panel inputs the model was fitted on (user units).
  const std::vector<float>& media() const { return media_; }
  const std::vector<float>& control_values() const { return controls_; }
  const std::vector<float>& kpi() const { return kpi_; }

  // The whole panel (training and holdout weeks, state carried through) in KPI units.
  Decomposition decompose() const;
  // Same for another media plan (user units, [(r*W + t)*C + c], W = size / (R*C) weeks from the
  // panel's first week, W >= 1) and controls ([(r*W + t)*K + k], or empty: the panel's controls,
  // continued with each region's last value past the panel's end).
  Decomposition simulate(const std::vector<float>& media_user_units, const std::vector<float>& control_values) const;

  // Learned parameters, per channel.
  std::vector<float> adstock_decay() const;
  std::vector<float> hill_slope() const;
  std::vector<float> hill_half_saturation() const;  // in scaled media units (1 = typical intensity)
  std::vector<float> dag_adjacency() const;         // [C*C], row = from, column = to

  // Versioned little-endian bytes; deserialize(serialize()) reproduces the model bit for bit.
  std::vector<uint8_t> serialize() const;
  static FittedModel deserialize(const std::vector<uint8_t>& bytes);

 private:
  Decomposition run(const std::vector<float>& media, const std::vector<float>& controls, int weeks) const;

  FitConfig cfg_;
  ModelSpec spec_;
  Scalers scalers_;
  Seasonality season_;
  std::vector<float> params_;
  int weeks_ = 0, train_weeks_ = 0, fit_weeks_ = 0;
  std::vector<float> media_, controls_, kpi_;
  std::vector<std::string> region_names_, channel_names_, control_names_;
};

struct FitResult {
  FittedModel model;
  Metrics train;       // KPI units, weeks [burn_in, train_weeks)
  Metrics validation;  // KPI units, the validation slice, scored with the weights selected by early
                       // stopping (before any refit); n = 0 when there is no validation slice
  Metrics holdout;     // KPI units, weeks [train_weeks, weeks) (n = 0 when there is none)
  int epochs_run = 0;  // warm-start + main epochs actually run
  int best_epoch = -1; // epoch chosen by early stopping on the validation slice (-1: none)
  bool refit = false;  // the final weights come from a refit on all training weeks
  double fit_seconds = 0;
  std::vector<EpochReport> history;
  int train_weeks = 0, validation_weeks = 0, holdout_weeks = 0, burn_in_weeks = 0;
  std::vector<float> dag_adjacency;         // [C*C] continuous
  std::vector<float> dag_adjacency_pruned;  // edges < notears_threshold set to 0, then the weakest edge
                                            // of any remaining cycle removed until acyclic
  int dag_edges_removed = 0;                // edges removed by that acyclicity repair
  bool dag_acyclic = true;                  // of the pruned graph (always true after the repair)
  std::vector<float> adstock_decay, hill_slope, hill_half_saturation;
  double media_share = 0;  // Σ media / Σ prediction over training weeks (KPI units)
  std::vector<ExperimentFit> experiments;  // one per FitConfig::experiments, with the final model
  std::vector<double> training_lifts;      // the lifts the trainer computed in its last epoch (chunked passes)
  // Whether the local level is in the final model, and the validation losses (scaled MSE; with
  // experiments or ROI priors, MSE plus the calibration terms, the selection criterion in trainer.cpp)
  // of the two candidates (NaN when no choice was made: FitConfig::select_level off, no level, or no
  // validation slice). The choice itself compares the validation cells' errors only.
  bool local_level = false;
  double validation_loss_with_level = 0, validation_loss_without_level = 0;
  // The two candidates' media shares over the fitting weeks (before the refit; NaN as above).
  double media_share_with_level = 0, media_share_without_level = 0;
  // The scaled inputs the model saw, region-major like the panel.
  std::vector<float> scaled_media, scaled_controls, scaled_kpi;
};

// Model dimensions for a panel and config; the centred trend regressor u_t = (t - (Ttr-1)/2) / Ttr.
ModelSpec make_spec(const Panel& panel, const FitConfig& config);
std::vector<float> trend_series(int weeks, int train_weeks);

// Convenience: runs a Trainer to the end. progress (optional) is called after epochs (at most ~10
// times a second, and for the last epoch); returning false cancels and throws Cancelled.
FitResult fit(const Panel& panel, const FitConfig& config,
              const std::function<bool(const EpochReport&)>& progress = {});

}  // namespace mmm
