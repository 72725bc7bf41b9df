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

#include <cstdint>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "mmm/build_info.hpp"
#include "mmm/demo.hpp"
#include "mmm/diagnostics.hpp"
#include "mmm/errors.hpp"
#include "mmm/panel.hpp"

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
  emscripten::function("raiseForTest", &raise_for_test);
}
