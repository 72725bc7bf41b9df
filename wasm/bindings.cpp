// The only Embind file: a coarse, session-level API over the core.
//
// Every call returns a plain JS object: {ok:true, ...} or {ok:false, code, message}. No C++
// exception escapes (an escaping exception would abort the module and lose the user's work).
// Arrays cross as freshly allocated JS typed arrays (copied out), never as views of wasm memory,
// which detach when memory grows. Sessions are integer handles the JS side must dispose.
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "mmm/analysis.hpp"
#include "mmm/build_info.hpp"
#include "mmm/calibration.hpp"
#include "mmm/demo.hpp"
#include "mmm/diagnostics.hpp"
#include "mmm/errors.hpp"
#include "mmm/export_params.hpp"
#include "mmm/fit.hpp"
#include "mmm/fit_io.hpp"
#include "mmm/metrics.hpp"
#include "mmm/panel.hpp"
#include "mmm/trainer.hpp"

using emscripten::val;

namespace {

val error_result(const char* code, const std::string& message) {
  val r = val::object();
  r.set("ok", false);
  r.set("code", std::string(code));
  r.set("message", message);
  return r;
}

val ok_result() {
  val r = val::object();
  r.set("ok", true);
  return r;
}

// Runs fn, turning every exception into {ok:false, code, message}.
template <typename Fn>
val guarded(Fn&& fn) {
  try {
    return fn();
  } catch (const mmm::Error& e) {
    return error_result(mmm::error_code_name(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return error_result("OUT_OF_MEMORY",
                        "the engine ran out of memory; try fewer regions or weeks, or a smaller hidden size");
  } catch (const std::exception& e) {
    return error_result("INTERNAL", std::string("internal error: ") + e.what());
  } catch (...) {
    return error_result("INTERNAL", "internal error: an unknown exception was thrown in the engine");
  }
}

template <typename T>
val to_typed_array(const char* ctor, const std::vector<T>& v) {
  val out = val::global(ctor).new_(v.size());
  if (!v.empty()) out.call<void>("set", val(emscripten::typed_memory_view(v.size(), v.data())));
  return out;
}
val to_f32(const std::vector<float>& v) { return to_typed_array("Float32Array", v); }

val string_array(const std::vector<std::string>& v) {
  val out = val::array();
  for (size_t i = 0; i < v.size(); ++i) out.set(i, v[i]);
  return out;
}

bool has(const val& obj, const char* key) {
  if (!obj.hasOwnProperty(key)) return false;
  val v = obj[key];
  return !v.isNull() && !v.isUndefined();
}

int int_field(const val& obj, const char* key) {
  if (!has(obj, key)) throw mmm::InvalidData(std::string("panel field '") + key + "' is missing");
  return obj[key].as<int>();
}

std::vector<float> float_field(const val& obj, const char* key, bool required) {
  if (!has(obj, key)) {
    if (required) throw mmm::InvalidData(std::string("panel field '") + key + "' is missing");
    return {};
  }
  return emscripten::convertJSArrayToNumberVector<float>(obj[key]);
}

std::vector<std::string> strings_field(const val& obj, const char* key) {
  if (!has(obj, key)) return {};
  return emscripten::vecFromJSArray<std::string>(obj[key]);
}

mmm::Panel panel_from_js(const val& spec) {
  mmm::Panel p;
  p.regions = int_field(spec, "regions");
  p.weeks = int_field(spec, "weeks");
  p.channels = int_field(spec, "channels");
  p.controls = int_field(spec, "controls");
  p.media = float_field(spec, "media", true);
  p.spend = float_field(spec, "spend", false);
  p.control_values = float_field(spec, "controlValues", p.controls > 0);
  p.kpi = float_field(spec, "kpi", true);
  p.region_names = strings_field(spec, "regionNames");
  p.channel_names = strings_field(spec, "channelNames");
  p.control_names = strings_field(spec, "controlNames");
  p.dates = strings_field(spec, "dates");
  if (has(spec, "weekOfYear")) p.week_of_year = emscripten::convertJSArrayToNumberVector<int>(spec["weekOfYear"]);
  p.validate();
  return p;
}

val panel_summary(const mmm::Panel& p) {
  val r = ok_result();
  r.set("regions", p.regions);
  r.set("weeks", p.weeks);
  r.set("channels", p.channels);
  r.set("controls", p.controls);
  r.set("hasSpend", p.has_spend());
  r.set("regionNames", string_array(p.region_names));
  r.set("channelNames", string_array(p.channel_names));
  r.set("controlNames", string_array(p.control_names));
  return r;
}

val panel_to_js(const mmm::Panel& p) {
  val r = val::object();
  r.set("regions", p.regions);
  r.set("weeks", p.weeks);
  r.set("channels", p.channels);
  r.set("controls", p.controls);
  r.set("media", to_f32(p.media));
  r.set("spend", p.spend.empty() ? val::null() : to_f32(p.spend));
  r.set("controlValues", to_f32(p.control_values));
  r.set("kpi", to_f32(p.kpi));
  r.set("regionNames", string_array(p.region_names));
  r.set("channelNames", string_array(p.channel_names));
  r.set("controlNames", string_array(p.control_names));
  r.set("dates", string_array(p.dates));
  r.set("weekOfYear", to_typed_array("Int32Array", p.week_of_year));
  return r;
}

double number_or(const val& obj, const char* key, double fallback) {
  return has(obj, key) ? obj[key].as<double>() : fallback;
}

val demo_truth_to_js(const mmm::DemoTruth& t) {
  val r = val::object();
  r.set("mediaShare", t.media_share);
  r.set("totalKpi", t.total_kpi);
  r.set("totalMedia", t.total_media);
  r.set("mediaContribution", to_f32(t.media_contribution));
  r.set("baseline", to_f32(t.baseline));
  r.set("seasonal", to_f32(t.seasonal));
  r.set("controlContribution", to_f32(t.control_contribution));
  r.set("noise", to_f32(t.noise));
  val channels = val::array();
  for (size_t c = 0; c < t.channel.size(); ++c) {
    const mmm::DemoChannelTruth& ch = t.channel[c];
    val o = val::object();
    o.set("channel", ch.name);
    o.set("share", ch.share);
    o.set("roi", ch.roi);
    o.set("marginalRoi", ch.marginal_roi);
    o.set("contribution", ch.total_contribution);
    o.set("indirect", ch.indirect_contribution);
    o.set("spend", ch.total_spend);
    o.set("adstock", ch.adstock_decay);
    o.set("peakDelay", ch.peak_delay);
    o.set("hillSlope", ch.hill_slope);
    o.set("halfSaturation", ch.half_saturation);
    channels.set(c, o);
  }
  r.set("channels", channels);
  val edges = val::array();
  for (size_t i = 0; i < t.edges.size(); ++i) {
    val e = val::object();
    e.set("from", t.edges[i].from_name);
    e.set("to", t.edges[i].to_name);
    e.set("strength", t.edges[i].strength);
    e.set("indirect", t.edges[i].indirect_contribution);
    e.set("description", t.edges[i].description);
    edges.set(i, e);
  }
  r.set("edges", edges);
  return r;
}

// ---- sessions ------------------------------------------------------------------------------

struct Session {
  mmm::Panel panel;
  std::unique_ptr<mmm::Trainer> trainer;   // while a fit is running
  std::optional<mmm::FitResult> result;    // the last finished fit
  size_t reported_epochs = 0;              // history entries already sent to JS
};

std::map<int, std::unique_ptr<Session>>& sessions() {
  static std::map<int, std::unique_ptr<Session>> s;
  return s;
}
int next_session_id = 1;

Session& session(int id) {
  auto it = sessions().find(id);
  if (it == sessions().end())
    throw mmm::InvalidConfig("session " + std::to_string(id) + " does not exist (it was disposed, or never created)");
  return *it->second;
}

val number_or_null(double x) { return std::isfinite(x) ? val(x) : val::null(); }

val metrics_to_js(const mmm::Metrics& m) {
  val r = val::object();
  r.set("r2", number_or_null(m.r2));
  r.set("r2_within", number_or_null(m.r2_within));
  r.set("rmse", number_or_null(m.rmse));
  r.set("mae", number_or_null(m.mae));
  r.set("wape", number_or_null(m.wape));
  r.set("rel_error", number_or_null(m.rel_error));
  r.set("r2_region_median", number_or_null(m.r2_region_median));
  val skill = val::object();
  skill.set("recent_mean", m.skill.recent_available ? number_or_null(m.skill.recent_mean) : val::null());
  skill.set("seasonal_naive", m.skill.seasonal_available ? number_or_null(m.skill.seasonal_naive) : val::null());
  r.set("skill", skill);
  r.set("n", static_cast<double>(m.n));
  return r;
}

val epoch_to_js(const mmm::EpochReport& e) {
  val r = val::object();
  r.set("epoch", e.epoch);
  r.set("totalEpochs", e.total_epochs);
  r.set("warmStart", e.warm_start);
  r.set("trainLoss", number_or_null(e.train_loss));
  r.set("valLoss", number_or_null(e.val_loss));
  r.set("trainR2", number_or_null(e.train_r2));
  r.set("valR2", number_or_null(e.val_r2));
  r.set("learningRate", e.learning_rate);
  r.set("elapsedSeconds", e.elapsed_seconds);
  return r;
}

val float_list(const std::vector<float>& v) {
  val out = val::array();
  for (size_t i = 0; i < v.size(); ++i) out.set(i, v[i]);
  return out;
}

// Experiments: [{ channel, startWeek, endWeek, regions?: number[], lift?, liftSe?, roi?, roiSe?, readoutWeeks? }]
// (indices into the panel's channels, weeks and regions; web/src/engine/core-types.ts Experiment).
std::vector<mmm::Experiment> experiments_from_js(const val& a) {
  std::vector<mmm::Experiment> out;
  if (a.isUndefined() || a.isNull()) return out;
  const int n = a["length"].as<int>();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int i = 0; i < n; ++i) {
    const val x = a[i];
    mmm::Experiment e;
    e.channel = static_cast<int>(number_or(x, "channel", -1));
    e.start_week = static_cast<int>(number_or(x, "startWeek", -1));
    e.end_week = static_cast<int>(number_or(x, "endWeek", -1));
    if (has(x, "regions")) e.regions = emscripten::convertJSArrayToNumberVector<int>(x["regions"]);
    e.lift = number_or(x, "lift", nan);
    e.lift_se = number_or(x, "liftSe", nan);
    e.roi = number_or(x, "roi", nan);
    e.roi_se = number_or(x, "roiSe", nan);
    e.readout_weeks = static_cast<int>(number_or(x, "readoutWeeks", -1));
    out.push_back(e);
  }
  return out;
}

val experiment_fits_to_js(const std::vector<mmm::ExperimentFit>& fits) {
  val out = val::array();
  for (size_t i = 0; i < fits.size(); ++i) {
    val f = val::object();
    f.set("measured", fits[i].measured);
    f.set("measuredSe", fits[i].measured_se);
    f.set("model", fits[i].model);
    f.set("spend", fits[i].spend);
    f.set("z", fits[i].z);
    out.set(i, f);
  }
  return out;
}

mmm::FitConfig fit_config_from_js(const val& o) {
  mmm::FitConfig c;
  if (o.isUndefined() || o.isNull()) return c;
  c.holdout_weeks = static_cast<int>(number_or(o, "holdoutWeeks", c.holdout_weeks));
  c.holdout_ratio = number_or(o, "holdoutRatio", c.holdout_ratio);
  c.validation_weeks = static_cast<int>(number_or(o, "validationWeeks", c.validation_weeks));
  c.burn_in_weeks = static_cast<int>(number_or(o, "burnInWeeks", c.burn_in_weeks));
  c.hidden = static_cast<int>(number_or(o, "hidden", c.hidden));
  c.epochs = static_cast<int>(number_or(o, "epochs", c.epochs));
  c.warm_start_epochs = static_cast<int>(number_or(o, "warmStartEpochs", c.warm_start_epochs));
  c.learning_rate = number_or(o, "learningRate", c.learning_rate);
  c.seed = static_cast<uint64_t>(number_or(o, "seed", static_cast<double>(c.seed)));
  c.threads = static_cast<int>(number_or(o, "threads", c.threads));
  if (has(o, "dagMode")) c.dag_mode = o["dagMode"].as<std::string>();
  c.level_knot_weeks = static_cast<int>(number_or(o, "levelKnotWeeks", c.level_knot_weeks));
  c.media_share_cap = number_or(o, "mediaShareCap", c.media_share_cap);
  c.bootstrap_seed = static_cast<int>(number_or(o, "bootstrapSeed", c.bootstrap_seed));
  c.bootstrap_block_weeks = static_cast<int>(number_or(o, "bootstrapBlockWeeks", c.bootstrap_block_weeks));
  c.calibration_weight = number_or(o, "calibrationWeight", c.calibration_weight);
  if (has(o, "experiments")) c.experiments = experiments_from_js(o["experiments"]);
  if (has(o, "roiPriors")) {
    const val a = o["roiPriors"];
    const int n = a["length"].as<int>();
    for (int i = 0; i < n; ++i) {
      mmm::RoiPrior q;
      q.channel = static_cast<int>(number_or(a[i], "channel", -1));
      q.mean = number_or(a[i], "mean", std::numeric_limits<double>::quiet_NaN());
      q.sd = number_or(a[i], "sd", std::numeric_limits<double>::quiet_NaN());
      c.roi_priors.push_back(q);
    }
  }
  return c;
}

val fit_config_to_js(const mmm::FitConfig& c) {
  val r = val::object();
  r.set("holdoutWeeks", c.holdout_weeks);
  r.set("holdoutRatio", c.holdout_ratio);
  r.set("validationWeeks", c.validation_weeks);
  r.set("burnInWeeks", c.burn_in_weeks);
  r.set("hidden", c.hidden);
  r.set("epochs", c.epochs);
  r.set("warmStartEpochs", c.warm_start_epochs);
  r.set("learningRate", c.learning_rate);
  r.set("seed", static_cast<double>(c.seed));
  r.set("threads", c.threads);
  r.set("dagMode", c.dag_mode);
  r.set("levelKnotWeeks", c.level_knot_weeks);
  r.set("mediaShareCap", c.media_share_cap);
  return r;
}

// The fitted model's view of the panel: decomposition, parameters, metrics, history (see
// web/src/engine/results.ts, which the dashboards read).
val fit_result_to_js(const mmm::FitResult& f, const mmm::Panel& p) {
  const mmm::FittedModel& m = f.model;
  mmm::Decomposition d = m.decompose();
  val r = ok_result();
  val shape = val::object();
  shape.set("regions", p.regions);
  shape.set("weeks", p.weeks);
  shape.set("channels", p.channels);
  shape.set("controls", p.controls);
  r.set("shape", shape);
  r.set("regionNames", string_array(p.region_names));
  r.set("channelNames", string_array(p.channel_names));
  r.set("controlNames", string_array(p.control_names));
  r.set("dates", string_array(p.dates));
  r.set("trainEnd", f.train_weeks);
  r.set("validationWeeks", f.validation_weeks);
  r.set("burnIn", f.burn_in_weeks);
  r.set("actual", to_f32(p.kpi));
  r.set("prediction", to_f32(d.prediction));
  r.set("baseline", to_f32(d.baseline));
  r.set("seasonal", to_f32(d.seasonal));
  r.set("media", to_f32(d.media));
  r.set("controls", to_f32(d.control));
  r.set("coefficients", to_f32(d.media_coef));
  r.set("mediaInput", to_f32(p.media));
  r.set("spend", p.spend.empty() ? val::null() : to_f32(p.spend));
  r.set("scaledMedia", to_f32(f.scaled_media));
  r.set("scaledControls", to_f32(f.scaled_controls));
  r.set("adjacency", to_f32(f.dag_adjacency));
  r.set("dagMode", m.config().dag_mode);
  r.set("adstock", float_list(f.adstock_decay));
  r.set("hillSlope", float_list(f.hill_slope));
  r.set("hillHalfSaturation", float_list(f.hill_half_saturation));
  val metrics = val::object();
  metrics.set("train", metrics_to_js(f.train));
  metrics.set("validation", metrics_to_js(f.validation));
  metrics.set("holdout", metrics_to_js(f.holdout));
  r.set("metrics", metrics);
  r.set("mediaShare", f.media_share);
  r.set("experiments", experiment_fits_to_js(f.experiments));
  val history = val::array();
  for (size_t i = 0; i < f.history.size(); ++i) history.set(i, epoch_to_js(f.history[i]));
  r.set("history", history);
  r.set("epochs", f.epochs_run);
  r.set("bestEpoch", f.best_epoch);
  r.set("fitSeconds", f.fit_seconds);
  r.set("seed", static_cast<double>(m.config().seed));
  r.set("config", fit_config_to_js(m.config()));
  return r;
}

// ---- bound functions -------------------------------------------------------------------------

val build_info() {
  return guarded([] {
    mmm::BuildInfo b = mmm::build_info();
    val r = ok_result();
    r.set("eigen", b.eigen_version);
    r.set("compiler", b.compiler);
    r.set("target", b.target);
    r.set("simd", b.simd);
    r.set("threads", b.threads);
    r.set("maxThreads", b.max_threads);
    r.set("version", b.version);
    return r;
  });
}

val heap_stats() {
  return guarded([] {
    struct mallinfo mi = mallinfo();
    val r = ok_result();
    r.set("heapBytes", static_cast<double>(emscripten_get_heap_size()));
    r.set("allocatedBytes", static_cast<double>(mi.uordblks));
    r.set("sessions", static_cast<int>(sessions().size()));
    return r;
  });
}

val create_session(val spec) {
  return guarded([&] {
    auto s = std::make_unique<Session>();
    s->panel = panel_from_js(spec);
    int id = next_session_id++;
    sessions()[id] = std::move(s);
    val r = panel_summary(sessions()[id]->panel);
    r.set("id", id);
    return r;
  });
}

val session_info(int id) {
  return guarded([&] { return panel_summary(session(id).panel); });
}

val dispose_session(int id) {
  return guarded([&] {
    if (sessions().erase(id) == 0)
      throw mmm::InvalidConfig("session " + std::to_string(id) + " does not exist (already disposed?)");
    return ok_result();
  });
}

val generate_demo(val opts) {
  return guarded([&] {
    mmm::DemoConfig cfg;
    cfg.regions = static_cast<int>(number_or(opts, "regions", cfg.regions));
    cfg.weeks = static_cast<int>(number_or(opts, "weeks", cfg.weeks));
    cfg.channels = static_cast<int>(number_or(opts, "channels", cfg.channels));
    cfg.controls = static_cast<int>(number_or(opts, "controls", cfg.controls));
    cfg.seed = static_cast<uint64_t>(number_or(opts, "seed", static_cast<double>(cfg.seed)));
    cfg.noise = number_or(opts, "noise", cfg.noise);
    if (has(opts, "startDate")) cfg.start_date = opts["startDate"].as<std::string>();
    mmm::DemoData demo = mmm::generate_demo(cfg);
    val r = ok_result();
    r.set("panel", panel_to_js(demo.panel));
    r.set("impressions", demo.impressions.empty() ? val::null() : to_f32(demo.impressions));
    r.set("truth", demo_truth_to_js(demo.truth));
    return r;
  });
}

// Fitting runs in slices so the single-thread worker regains control between them (to see a
// Cancel message and post progress): startFit, then fitStep until done, then fitResult.
val start_fit(int id, val options) {
  return guarded([&] {
    Session& s = session(id);
    mmm::FitConfig cfg = fit_config_from_js(options);
    s.trainer.reset();
    s.trainer = std::make_unique<mmm::Trainer>(s.panel, cfg);
    s.reported_epochs = 0;
    val r = ok_result();
    r.set("totalEpochs", s.trainer->total_epochs());
    r.set("config", fit_config_to_js(cfg));
    return r;
  });
}

val fit_step(int id, int max_epochs, double max_seconds) {
  return guarded([&] {
    Session& s = session(id);
    if (!s.trainer) throw mmm::InvalidConfig("no fit is running in session " + std::to_string(id) + "; call startFit first");
    bool done = s.trainer->run(max_epochs, max_seconds);
    const auto& h = s.trainer->history();
    val fresh = val::array();
    for (size_t i = s.reported_epochs, j = 0; i < h.size(); ++i, ++j) fresh.set(j, epoch_to_js(h[i]));
    s.reported_epochs = h.size();
    val r = ok_result();
    r.set("done", done);
    r.set("totalEpochs", s.trainer->total_epochs());
    r.set("history", fresh);
    return r;
  });
}

val finish_fit(int id) {
  return guarded([&] {
    Session& s = session(id);
    if (!s.trainer) throw mmm::InvalidConfig("no fit is running in session " + std::to_string(id) + "; call startFit first");
    std::unique_ptr<mmm::Trainer> trainer = std::move(s.trainer);
    s.result = trainer->finish();
    return fit_result_to_js(*s.result, s.panel);
  });
}

val cancel_fit(int id) {
  return guarded([&] {
    Session& s = session(id);
    s.trainer.reset();  // the data and any earlier fitted model stay
    return ok_result();
  });
}

val fit_results(int id) {
  return guarded([&] {
    Session& s = session(id);
    if (!s.result) throw mmm::InvalidConfig("session " + std::to_string(id) + " has no fitted model yet; train first");
    return fit_result_to_js(*s.result, s.panel);
  });
}

// ---- analysis ----------------------------------------------------------------------------------
// Economics, response curves, budget plans and scenario simulation of the session's fitted model
// (core/include/mmm/analysis.hpp). The analysis (its curves) is cached per session and reused by
// optimizeBudget while the fitted model and the analysis options stay the same.

struct AnalysisCache {
  uint64_t model_key = 0;
  mmm::AnalysisOptions options;
  mmm::Analysis analysis;
};

std::map<int, AnalysisCache>& analysis_caches() {
  static std::map<int, AnalysisCache> c;
  return c;
}

// FNV-1a over the model's parameters and shape: a new fit (or another loaded bundle) changes it.
uint64_t model_key(const mmm::FittedModel& m) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](const void* p, size_t n) {
    const unsigned char* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  };
  const int dims[4] = {m.regions(), m.weeks(), m.channels(), m.controls()};
  mix(dims, sizeof dims);
  mix(m.parameters().data(), m.parameters().size() * sizeof(float));
  return h;
}

// Options objects may be left out from JS: treat undefined/null as {}.
val options_object(const val& o) { return o.isUndefined() || o.isNull() ? val::object() : o; }

const mmm::FittedModel& fitted_model(Session& s, int id) {
  if (!s.result) throw mmm::InvalidConfig("session " + std::to_string(id) + " has no fitted model yet; train first");
  return s.result->model;
}

// The panel's spend when it matches the model's panel, else none (channels are then activity).
const std::vector<float>& session_spend(const Session& s) {
  static const std::vector<float> none;
  return s.result && s.panel.spend.size() == s.result->model.media().size() ? s.panel.spend : none;
}

bool same_options(const mmm::AnalysisOptions& a, const mmm::AnalysisOptions& b) {
  auto same_num = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
  return a.from == b.from && a.to == b.to && a.carryover == b.carryover && same_num(a.revenue_per_kpi, b.revenue_per_kpi) &&
         a.epsilon == b.epsilon && a.factors == b.factors && a.curves == b.curves;
}

mmm::AnalysisOptions analysis_options_from_js(const val& o) {
  mmm::AnalysisOptions a;
  if (o.isUndefined() || o.isNull()) return a;
  a.from = static_cast<int>(number_or(o, "from", a.from));
  a.to = static_cast<int>(number_or(o, "to", a.to));
  a.carryover = static_cast<int>(number_or(o, "carryoverWeeks", a.carryover));
  a.revenue_per_kpi = number_or(o, "revenuePerKpi", a.revenue_per_kpi);
  a.epsilon = number_or(o, "epsilon", a.epsilon);
  if (has(o, "factors")) a.factors = emscripten::convertJSArrayToNumberVector<double>(o["factors"]);
  if (has(o, "curves")) a.curves = o["curves"].as<bool>();
  return a;
}

// The session's analysis for these options, computed when the model or the options changed.
// progress (optional) follows the computation (not called when the cached analysis is reused).
const mmm::Analysis& session_analysis(int id, const mmm::AnalysisOptions& options, const mmm::AnalysisProgress& progress = {}) {
  Session& s = session(id);
  const mmm::FittedModel& m = fitted_model(s, id);
  auto& caches = analysis_caches();
  for (auto it = caches.begin(); it != caches.end();)  // forget disposed sessions
    it = sessions().count(it->first) ? std::next(it) : caches.erase(it);
  const uint64_t key = model_key(m);
  auto it = caches.find(id);
  if (it != caches.end() && it->second.model_key == key && same_options(it->second.options, options)) return it->second.analysis;
  AnalysisCache c;
  c.model_key = key;
  c.options = options;
  c.analysis = mmm::analyze(m, session_spend(s), options, progress);
  caches[id] = std::move(c);
  return caches[id].analysis;
}

// The last analysis of the session (its options), or the default one.
const mmm::Analysis& current_analysis(int id) {
  auto it = analysis_caches().find(id);
  return session_analysis(id, it != analysis_caches().end() ? it->second.options : mmm::AnalysisOptions{});
}

val number_list(const std::vector<double>& v) {
  val out = val::array();
  for (size_t i = 0; i < v.size(); ++i) out.set(i, v[i]);
  return out;
}

val economics_to_js(const mmm::Analysis& a) {
  val out = val::array();
  for (size_t c = 0; c < a.channels.size(); ++c) {
    const mmm::ChannelEconomicsResult& e = a.channels[c];
    val o = val::object();
    o.set("channel", e.channel);
    o.set("contribution", e.contribution);
    o.set("share", e.share);
    o.set("indirect", e.indirect);
    o.set("spend", e.has_spend ? val(e.spend) : val::null());
    o.set("activity", number_or_null(e.activity));
    o.set("roi", number_or_null(e.roi));
    o.set("roiTotal", number_or_null(e.roi_total));
    o.set("revenueRoi", number_or_null(e.revenue_roi));
    o.set("costPerKpi", number_or_null(e.cost_per_kpi));
    o.set("marginalRoi", number_or_null(e.marginal_roi));
    o.set("effectPer1000", number_or_null(e.effect_per_1000));
    o.set("interaction", e.interaction);
    o.set("incremental", e.incremental);
    o.set("marginalRoiTotal", number_or_null(e.marginal_roi_total));
    o.set("decomposedContribution", e.decomposition);
    out.set(c, o);
  }
  return out;
}

val curves_to_js(const mmm::Analysis& a) {
  val out = val::array();
  int n = 0;
  for (const mmm::ChannelResponseCurve& rc : a.curves) {
    if (!rc.ok) continue;
    val o = val::object();
    o.set("channel", rc.channel);
    o.set("factors", number_list(rc.factors));
    o.set("x", number_list(rc.x));
    o.set("y", number_list(rc.y));
    val hill = val::object();
    hill.set("bottom", rc.hill.bottom);
    hill.set("top", rc.hill.top);
    hill.set("halfSaturation", rc.hill.K);
    hill.set("slope", rc.hill.s);
    hill.set("r2", rc.hill.r2);
    o.set("hill", hill);
    o.set("current", rc.current);
    o.set("saturationPct", rc.saturation_pct);
    o.set("unit", std::string(rc.spend_units ? "spend" : "activity"));
    out.set(n++, o);
  }
  return out;
}

const char* mode_name(mmm::OptimizeMode m) {
  switch (m) {
    case mmm::OptimizeMode::TargetRoi: return "target-roi";
    case mmm::OptimizeMode::TargetMarginalRoi: return "target-mroi";
    default: return "fixed";
  }
}

mmm::OptimizeMode mode_from(const std::string& s) {
  if (s == "fixed") return mmm::OptimizeMode::FixedBudget;
  if (s == "target-roi") return mmm::OptimizeMode::TargetRoi;
  if (s == "target-mroi") return mmm::OptimizeMode::TargetMarginalRoi;
  throw mmm::InvalidConfig("budget mode is '" + s + "'; allowed: 'fixed', 'target-roi', 'target-mroi'");
}

mmm::BudgetRequest budget_request_from_js(const val& o) {
  mmm::BudgetRequest r;
  if (o.isUndefined() || o.isNull()) return r;
  if (has(o, "mode")) r.mode = mode_from(o["mode"].as<std::string>());
  r.budget = number_or(o, "budget", r.budget);
  r.target = number_or(o, "target", r.target);
  r.weeks = static_cast<int>(number_or(o, "weeks", r.weeks));
  r.bound_pct = number_or(o, "boundPct", r.bound_pct);
  if (has(o, "verify")) r.verify = o["verify"].as<bool>();
  if (has(o, "bounds")) {
    const val b = o["bounds"];
    const int n = b["length"].as<int>();
    for (int i = 0; i < n; ++i) {
      const val x = b[i];
      if (!has(x, "channel")) throw mmm::InvalidConfig("budget: bounds[" + std::to_string(i) + "] has no channel name");
      mmm::BudgetBound bb;
      bb.channel = x["channel"].as<std::string>();
      bb.lower = number_or(x, "lower", bb.lower);
      bb.upper = number_or(x, "upper", bb.upper);
      if (has(x, "locked")) bb.locked = x["locked"].as<bool>();
      r.bounds.push_back(bb);
    }
  }
  return r;
}

// BudgetPlan of web/src/engine/results.ts. Row KPI figures are KPI units (ROI: KPI per spend unit,
// also when the optimiser maximised revenue).
val budget_to_js(const mmm::BudgetPlanResult& b) {
  const mmm::OptimizationResult& o = b.optimization;
  val r = val::object();
  r.set("mode", std::string(mode_name(b.mode)));
  r.set("budget", o.budget);
  r.set("weeks", b.weeks);
  val rows = val::array();
  for (size_t i = 0; i < o.channels.size(); ++i) {
    const mmm::ChannelAllocation& al = o.channels[i];
    val row = val::object();
    row.set("channel", al.name);
    row.set("currentSpend", al.current);
    row.set("optimalSpend", al.optimal);
    row.set("change", al.change);
    row.set("changePct", al.change_pct);
    row.set("lower", al.lower);
    row.set("upper", al.upper);
    row.set("locked", static_cast<bool>(b.locked[i]));
    row.set("predictedKpi", al.response);
    row.set("currentKpi", al.response_current);
    row.set("roi", al.optimal > 0 ? al.response / al.optimal : 0.0);
    const double w = al.response != 0 ? al.value / al.response : (al.response_current != 0 ? al.value_current / al.response_current : 1.0);
    row.set("marginalRoi", w != 0 ? al.marginal_roi / w : al.marginal_roi);
    row.set("saturationPct", al.saturation_top_pct);
    row.set("atLower", al.at_lower);
    row.set("atUpper", al.at_upper);
    rows.set(i, row);
  }
  r.set("rows", rows);
  r.set("currentKpi", b.current_kpi);
  r.set("optimalKpi", b.optimal_kpi);
  r.set("upliftPct", b.uplift_pct);
  r.set("simulatedCurrentKpi", number_or_null(b.simulated_current_kpi));
  r.set("simulatedOptimalKpi", number_or_null(b.simulated_optimal_kpi));
  r.set("simulatedUpliftPct", number_or_null(b.simulated_uplift_pct));
  r.set("currentBudget", o.current_budget);
  r.set("targetMet", o.target_met);
  r.set("message", o.message);
  r.set("fixedChannels", string_array(b.fixed_channels));
  r.set("seconds", b.seconds);
  return r;
}

// progress: a JS function (done, total) called as the scenario simulations advance (units: region
// chunks), or undefined/null; returning false cancels the analysis (error code CANCELLED).
val analyze_session(int id, val options_in, val progress) {
  return guarded([&] {
    const val options = options_object(options_in);
    const mmm::AnalysisOptions opts = analysis_options_from_js(options);
    mmm::AnalysisProgress report;
    if (progress.typeOf().as<std::string>() == "function")
      report = [&progress](int done, int total) { return !progress(done, total).strictlyEquals(val(false)); };
    const mmm::Analysis& a = session_analysis(id, opts, report);
    val r = ok_result();
    r.set("economics", economics_to_js(a));
    r.set("responseCurves", curves_to_js(a));
    val window = val::object();
    window.set("from", a.window.from);
    window.set("to", a.window.to);
    window.set("carryoverWeeks", a.window.carryover);
    r.set("window", window);
    r.set("simulations", a.simulations);
    r.set("seconds", a.seconds);
    r.set("budget", val::null());
    if (opts.curves && (!has(options, "budget") || options["budget"].as<bool>())) {
      // The plan for a budget equal to the current one; without spend there is none (and why).
      try {
        mmm::BudgetRequest req = budget_request_from_js(has(options, "budgetOptions") ? options["budgetOptions"] : val::undefined());
        r.set("budget", budget_to_js(mmm::plan_budget(fitted_model(session(id), id), session_spend(session(id)), a, req)));
      } catch (const mmm::Error& e) {
        r.set("budgetMessage", std::string(e.what()));
      }
    }
    return r;
  });
}

val optimize_budget_js(int id, val options_in) {
  return guarded([&] {
    const val options = options_object(options_in);
    const mmm::Analysis& a = current_analysis(id);
    Session& s = session(id);
    val r = budget_to_js(mmm::plan_budget(fitted_model(s, id), session_spend(s), a, budget_request_from_js(options)));
    r.set("ok", true);
    return r;
  });
}

val totals_to_js(const mmm::ContributionTotals& t) {
  val r = val::object();
  r.set("from", t.from);
  r.set("to", t.to);
  val regions = val::array();
  for (size_t i = 0; i < t.regions.size(); ++i) regions.set(i, t.regions[i]);
  r.set("regions", regions);
  r.set("actual", t.actual);
  r.set("prediction", t.prediction);
  r.set("baseline", t.baseline);
  r.set("seasonal", t.seasonal);
  r.set("controls", number_list(t.control));
  r.set("media", number_list(t.media));
  r.set("controlTotal", t.control_total);
  r.set("mediaTotal", t.media_total);
  r.set("mediaShare", number_list(t.media_share));
  r.set("mediaShareOfPrediction", t.media_share_of_prediction);
  return r;
}

val contribution_totals_js(int id, val options_in) {
  return guarded([&] {
    const val options = options_object(options_in);
    Session& s = session(id);
    const mmm::FittedModel& m = fitted_model(s, id);
    const int from = static_cast<int>(number_or(options, "from", 0));
    const int to = static_cast<int>(number_or(options, "to", m.weeks()));
    std::vector<int> regions;
    if (has(options, "regions")) {
      const val list = options["regions"];
      const int n = list["length"].as<int>();
      for (int i = 0; i < n; ++i) {
        const val x = list[i];
        if (x.isNumber()) {
          regions.push_back(x.as<int>());
          continue;
        }
        const std::string name = x.as<std::string>();
        const auto& names = m.region_names();
        auto found = std::find(names.begin(), names.end(), name);
        if (found == names.end()) throw mmm::InvalidConfig("contribution totals: there is no region named '" + name + "'");
        regions.push_back(static_cast<int>(found - names.begin()));
      }
    }
    val r = totals_to_js(mmm::contribution_totals(m.decompose(), from, to, regions));
    r.set("ok", true);
    r.set("channelNames", string_array(m.channel_names()));
    r.set("controlNames", string_array(m.control_names()));
    return r;
  });
}

// The fitted model's lift for each experiment (measured vs model), e.g. for an uncalibrated fit.
val experiment_fits_js(int id, val experiments) {
  return guarded([&] {
    Session& s = session(id);
    const mmm::FittedModel& m = fitted_model(s, id);
    mmm::FitConfig check = m.config();
    check.experiments = experiments_from_js(experiments);
    check.validate_calibration(s.panel, m.train_weeks());
    val r = ok_result();
    r.set("experiments", experiment_fits_to_js(mmm::experiment_fits(m, check.experiments, s.panel.spend)));
    return r;
  });
}

val simulate_plan_js(int id, val plan_in) {
  return guarded([&] {
    const val plan = options_object(plan_in);
    Session& s = session(id);
    const mmm::FittedModel& m = fitted_model(s, id);
    mmm::SpendPlan p;
    p.start = static_cast<int>(number_or(plan, "start", -1));
    p.weeks = static_cast<int>(number_or(plan, "weeks", 0));
    if (has(plan, "split")) {
      const std::string split = plan["split"].as<std::string>();
      if (split != "national" && split != "regional")
        throw mmm::InvalidConfig("plan: split is '" + split + "'; allowed: 'national', 'regional'");
      p.regional = split == "regional";
    }
    p.amounts = float_field(plan, "spend", true);
    const mmm::PlanOutcome o = mmm::simulate_plan(m, session_spend(s), p);
    val r = ok_result();
    r.set("start", o.start);
    r.set("weeks", o.weeks);
    r.set("prediction", to_f32(o.decomposition.prediction));
    r.set("baseline", to_f32(o.decomposition.baseline));
    r.set("seasonal", to_f32(o.decomposition.seasonal));
    r.set("media", to_f32(o.decomposition.media));
    r.set("controls", to_f32(o.decomposition.control));
    r.set("totals", totals_to_js(o.totals));
    return r;
  });
}

// ---- model bundle ----------------------------------------------------------------------------
// The fitted model as bytes (fit_io.hpp) and back. Loading rebuilds the session's panel from the
// model's own inputs, so predictions and dashboards come back bit for bit without retraining;
// dates and spend, which the model does not keep, come from the bundle's metadata.

val save_fit(int id) {
  return guarded([&] {
    Session& s = session(id);
    if (!s.result) throw mmm::InvalidConfig("session " + std::to_string(id) + " has no fitted model to save; train first");
    std::vector<uint8_t> bytes = mmm::serialize_fit_result(*s.result);
    val r = ok_result();
    r.set("bytes", to_typed_array("Uint8Array", bytes));
    return r;
  });
}

val load_fit(val bytes_js, val extras) {
  return guarded([&] {
    std::vector<uint8_t> bytes = emscripten::convertJSArrayToNumberVector<uint8_t>(bytes_js);
    auto s = std::make_unique<Session>();
    s->result = mmm::deserialize_fit_result(bytes);
    const mmm::FittedModel& m = s->result->model;
    mmm::Panel& p = s->panel;
    p.regions = m.regions();
    p.weeks = m.weeks();
    p.channels = m.channels();
    p.controls = m.controls();
    p.media = m.media();
    p.control_values = m.control_values();
    p.kpi = m.kpi();
    p.region_names = m.region_names();
    p.channel_names = m.channel_names();
    p.control_names = m.control_names();
    p.week_of_year = m.seasonality().week_of_year;
    if (!extras.isUndefined() && !extras.isNull()) {
      p.dates = strings_field(extras, "dates");
      p.spend = float_field(extras, "spend", false);
    }
    p.validate();
    int id = next_session_id++;
    sessions()[id] = std::move(s);
    val r = fit_result_to_js(*sessions()[id]->result, sessions()[id]->panel);
    r.set("id", id);
    return r;
  });
}

// Runs a loaded model on new inputs (same regions, channels and controls, weeks counted from the
// model's first week): the CLI's `predict`. With the KPI given, scores it like fit does.
val predict_inputs(int id, val inputs) {
  return guarded([&] {
    Session& s = session(id);
    if (!s.result) throw mmm::InvalidConfig("session " + std::to_string(id) + " has no fitted model; train or open a bundle first");
    const mmm::FittedModel& m = s.result->model;
    std::vector<float> media = float_field(inputs, "media", true);
    std::vector<float> controls = float_field(inputs, "controlValues", false);
    const size_t per_week = static_cast<size_t>(m.regions()) * m.channels();
    if (media.empty() || media.size() % per_week != 0)
      throw mmm::InvalidData("predict: media has " + std::to_string(media.size()) + " values; expected a multiple of regions × channels = " + std::to_string(per_week));
    const int weeks = static_cast<int>(media.size() / per_week);
    mmm::Decomposition d = m.simulate(media, controls);
    val r = ok_result();
    r.set("weeks", weeks);
    r.set("prediction", to_f32(d.prediction));
    r.set("baseline", to_f32(d.baseline));
    r.set("seasonal", to_f32(d.seasonal));
    r.set("media", to_f32(d.media));
    r.set("controls", to_f32(d.control));
    if (has(inputs, "kpi")) {
      std::vector<float> kpi = float_field(inputs, "kpi", true);
      if (kpi.size() != d.prediction.size())
        throw mmm::InvalidData("predict: kpi has " + std::to_string(kpi.size()) + " values; expected " + std::to_string(d.prediction.size()));
      const int train_end = std::min(weeks, s.result->train_weeks);
      const int burn = std::min(s.result->burn_in_weeks, std::max(0, train_end - 1));
      val metrics = val::object();
      if (train_end > burn) metrics.set("train", metrics_to_js(mmm::score(kpi, d.prediction, m.regions(), weeks, burn, train_end, s.result->train_weeks)));
      if (weeks > s.result->train_weeks)
        metrics.set("holdout", metrics_to_js(mmm::score(kpi, d.prediction, m.regions(), weeks, s.result->train_weeks, weeks, s.result->train_weeks)));
      r.set("metrics", metrics);
    }
    return r;
  });
}

// ---- onnx export -----------------------------------------------------------------------------
// Everything web/src/export/onnx.ts needs to rebuild the fitted forward pass as an ONNX graph:
// raw parameter blocks by slot name, dimensions, scalers, the calendar basis, and the model's own
// inputs (user units and scaled). Read-only (core/include/mmm/export_params.hpp).

val export_graph_params_js(int id) {
  return guarded([&] {
    Session& s = session(id);
    if (!s.result) throw mmm::InvalidConfig("session " + std::to_string(id) + " has no fitted model to export; train or open a bundle first");
    const mmm::FittedModel& m = s.result->model;
    const mmm::GraphExport g = mmm::export_graph_params(m);
    const mmm::ModelSpec& sp = g.spec;
    val spec = val::object();
    spec.set("regions", sp.regions);
    spec.set("channels", sp.channels);
    spec.set("controls", sp.controls);
    spec.set("hidden", sp.hidden);
    spec.set("controlHidden", sp.control_hidden);
    spec.set("coefHidden", sp.coef_hidden);
    spec.set("coefHidden2", sp.coef_hidden2);
    spec.set("fourier", sp.fourier);
    spec.set("trend", sp.trend);
    spec.set("notears", sp.notears);
    spec.set("dagTemperature", sp.dag_temperature);
    spec.set("adstockMax", sp.adstock_max);
    spec.set("slopeMin", sp.slope_min);
    spec.set("slopeMax", sp.slope_max);
    spec.set("halfMin", sp.half_min);
    spec.set("burnIn", sp.burn_in);
    spec.set("levelSpacing", sp.level_spacing);
    spec.set("levelEnd", sp.level_end);
    val blocks = val::array();
    for (size_t i = 0; i < g.blocks.size(); ++i) {
      val b = val::object();
      b.set("name", g.blocks[i].name);
      b.set("rows", g.blocks[i].rows);
      b.set("cols", g.blocks[i].cols);
      b.set("values", to_f32(g.blocks[i].values));
      blocks.set(i, b);
    }
    val scalers = val::object();
    scalers.set("mediaDivisor", to_f32(g.media_divisor));
    scalers.set("controlCenter", to_f32(g.control_center));
    scalers.set("controlScale", to_f32(g.control_scale));
    scalers.set("controlClip", g.control_clip);
    scalers.set("kpiMean", to_typed_array("Float64Array", g.kpi_mean));
    scalers.set("adstockInit", to_f32(g.adstock_init));
    const size_t cells = static_cast<size_t>(m.regions()) * m.weeks();
    std::vector<float> xm(cells * m.channels()), xc(cells * m.controls());
    m.scalers().scale_media(m.media().data(), m.weeks(), xm.data());
    m.scalers().scale_controls(m.control_values().data(), m.weeks(), xc.data());
    val r = ok_result();
    r.set("spec", spec);
    r.set("blocks", blocks);
    r.set("dagMask", to_f32(g.dag_mask));
    r.set("scalers", scalers);
    r.set("harmonics", g.harmonics);
    r.set("seasonTable", to_f32(g.season_table));
    r.set("weekOfYear", to_typed_array("Int32Array", g.week_of_year));
    r.set("trend", to_f32(g.trend));
    r.set("weeks", g.weeks);
    r.set("trainWeeks", g.train_weeks);
    r.set("regionNames", string_array(m.region_names()));
    r.set("channelNames", string_array(m.channel_names()));
    r.set("controlNames", string_array(m.control_names()));
    r.set("media", to_f32(m.media()));
    r.set("controlValues", to_f32(m.control_values()));
    r.set("scaledMedia", to_f32(xm));
    r.set("scaledControls", to_f32(xc));
    return r;
  });
}
// ---- end onnx export --------------------------------------------------------------------------

val threaded_sum(double n, int threads) {
  return guarded([&] {
    mmm::ThreadCheck c = mmm::threaded_sum(static_cast<long long>(n), threads);
    val r = ok_result();
    r.set("sum", c.sum);
    r.set("threads", c.threads);
    r.set("distinctWorkers", c.distinct_workers);
    return r;
  });
}

val raise_for_test(std::string kind) {
  return guarded([&]() -> val { mmm::raise_for_test(kind); });
}

}  // namespace

EMSCRIPTEN_BINDINGS(mmm_core) {
  emscripten::function("buildInfo", &build_info);
  emscripten::function("heapStats", &heap_stats);
  emscripten::function("createSession", &create_session);
  emscripten::function("sessionInfo", &session_info);
  emscripten::function("disposeSession", &dispose_session);
  emscripten::function("threadedSum", &threaded_sum);
  emscripten::function("generateDemo", &generate_demo);
  emscripten::function("startFit", &start_fit);
  emscripten::function("fitStep", &fit_step);
  emscripten::function("finishFit", &finish_fit);
  emscripten::function("cancelFit", &cancel_fit);
  emscripten::function("fitResults", &fit_results);
  emscripten::function("saveFit", &save_fit);
  emscripten::function("loadFit", &load_fit);
  emscripten::function("predictInputs", &predict_inputs);
  emscripten::function("raiseForTest", &raise_for_test);
  emscripten::function("exportGraphParams", &export_graph_params_js);  // onnx export
  // analysis
  emscripten::function("analyze", &analyze_session);
  emscripten::function("optimizeBudget", &optimize_budget_js);
  emscripten::function("contributionTotals", &contribution_totals_js);
  emscripten::function("simulatePlan", &simulate_plan_js);
  emscripten::function("experimentFits", &experiment_fits_js);
}
