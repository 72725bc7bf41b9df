// Native benchmark driver for the model: prints JSON to stdout.
//
//   mmm_bench                       full run: per-epoch timing at hidden 64 and 280, then a default fit
//   mmm_bench fit [key=value ...]   only the default fit, with FitConfig overrides (for tuning), e.g.
//                                   mmm_bench fit hidden=16 epochs=200 attribution_prior_weight=0.1
//   mmm_bench epoch hidden=280      only the per-epoch timing at the given hidden size
//   mmm_bench csv path=F kpi=COL region=COL time=COL media=A,B,.. [controls=X,Y,..] [key=value ...]
//                                   fit a long-format CSV (one row per region-week, dates YYYY-MM-DD);
//                                   region=none for a national file, spend=A,B,.. (or -) when media are
//                                   activities, detail=OUT.json for per-channel totals (ROI) and the
//                                   weekly per-region prediction and channel contributions
//   mmm_bench demo-csv out=F.csv [data_seed=N regions= weeks= channels= controls= noise=]
//                                   write the demo panel as CSV and its true weekly contributions
//                                   (F.truth.json), for tests/bench/quality
// Data: mmm::generate_demo with 190 regions x 109 weeks x 13 channels x 7 controls (the size of the
// reference dataset), seed 42 unless data_seed=N is given; regions=/weeks=/noise= override it.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "mmm/analysis.hpp"
#include "mmm/demo.hpp"
#include "mmm/errors.hpp"
#include "mmm/fit.hpp"
#include "mmm/trainer.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double secs_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Bad input ends the run with one line naming the row, column or option and how to fix it (exit 2).
[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "mmm_bench: %s\n", message.c_str());
  std::exit(2);
}

// A whole cell as a finite number, or a failure naming where it is.
double parse_number(const std::string& text, const std::string& where) {
  const char* s = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(s, &end);
  while (end && (*end == ' ' || *end == '\r')) ++end;
  if (text.empty() || end == s || *end != '\0' || !std::isfinite(v))
    fail(where + ": '" + text + "' is not a finite number (write a plain number such as 1234.5)");
  return v;
}

// region_steps (one per experiment= key, 0 = all regions) is filled for resolve_region_steps, called
// once the panel's region count is known.
void set_config(mmm::FitConfig& c, const std::string& k, const std::string& v, std::vector<int>& region_steps) {
  const bool text_key = k == "dag_mode" || k == "media_scaling" || k == "experiment" || k == "roi_prior";
  const double d = text_key ? 0.0 : parse_number(v, "option " + k);
  const int i = static_cast<int>(d);
  std::map<std::string, int*> ints = {{"hidden", &c.hidden},
                                      {"epochs", &c.epochs},
                                      {"warm_start_epochs", &c.warm_start_epochs},
                                      {"warmup_epochs", &c.warmup_epochs},
                                      {"patience", &c.patience},
                                      {"validation_weeks", &c.validation_weeks},
                                      {"holdout_weeks", &c.holdout_weeks},
                                      {"burn_in_weeks", &c.burn_in_weeks},
                                      {"fourier_harmonics", &c.fourier_harmonics},
                                      {"threads", &c.threads},
                                      {"chunk_regions", &c.chunk_regions},
                                      {"coef_hidden", &c.coef_hidden},
                                      {"control_hidden", &c.control_hidden},
                                      {"notears_warmup_epochs", &c.notears_warmup_epochs},
                                      {"notears_dual_every", &c.notears_dual_every},
                                      {"level_knot_weeks", &c.level_knot_weeks}};
  std::map<std::string, double*> dbls = {{"learning_rate", &c.learning_rate},
                                         {"min_lr_ratio", &c.min_lr_ratio},
                                         {"transform_lr_mult", &c.transform_lr_mult},
                                         {"weight_decay", &c.weight_decay},
                                         {"huber_delta", &c.huber_delta},
                                         {"attribution_prior_weight", &c.attribution_prior_weight},
                                         {"attribution_prior_share", &c.attribution_prior_share},
                                         {"seasonal_prior_weight", &c.seasonal_prior_weight},
                                         {"coef_reg_weight", &c.coef_reg_weight},
                                         {"dag_weight", &c.dag_weight},
                                         {"sparsity_weight", &c.sparsity_weight},
                                         {"l1_weight", &c.l1_weight},
                                         {"l2_weight", &c.l2_weight},
                                         {"region_shrinkage", &c.region_shrinkage},
                                         {"dropout", &c.dropout},
                                         {"dag_mix_init", &c.dag_mix_init},
                                         {"adstock_init", &c.adstock_init},
                                         {"adstock_delay_init", &c.adstock_delay_init},
                                         {"hill_slope_init", &c.hill_slope_init},
                                         {"warm_start_lr_mult", &c.warm_start_lr_mult},
                                         {"grad_clip", &c.grad_clip},
                                         {"coef_grad_clip", &c.coef_grad_clip},
                                         {"global_grad_clip", &c.global_grad_clip},
                                         {"min_delta", &c.min_delta},
                                         {"control_clip", &c.control_clip},
                                         {"notears_data_weight", &c.notears_data_weight},
                                         {"level_smoothness", &c.level_smoothness},
                                         {"level_detrend", &c.level_detrend},
                                         {"media_share_cap", &c.media_share_cap},
                                         {"media_share_cap_weight", &c.media_share_cap_weight},
                                         {"calibration_weight", &c.calibration_weight},
                                         {"experiment_roi_prior_weight", &c.experiment_roi_prior_weight},
                                         {"start_at_priors", &c.start_at_priors},
                                         {"level_tie_cap_margin", &c.level_tie_cap_margin}};
  if (ints.count(k)) {
    if (d != std::floor(d) || std::fabs(d) > 1e9) fail("option " + k + ": '" + v + "' must be a whole number");
    *ints[k] = i;
  } else if (dbls.count(k)) {
    *dbls[k] = d;
  } else if (k == "dag_mode") {
    c.dag_mode = v;
  } else if (k == "media_scaling") {
    c.media_scaling = v;
  } else if (k == "level_tie_prefers_less_media") {
    c.level_tie_prefers_less_media = i != 0;
  } else if (k == "share_cap_exempts_priors") {
    c.share_cap_exempts_priors = i != 0;
  } else if (k == "refit") {
    c.refit = i != 0;
  } else if (k == "adstock_delay") {
    c.adstock_delay = i != 0;
  } else if (k == "experiment") {
    // experiment=CHANNEL:START:END:LIFT:SE[:STEP] (indices), for calibration experiments; STEP k
    // puts the test in every k-th region (0, k, 2k, ...), none = all regions.
    mmm::Experiment e;
    int step = 0;
    const int got = std::sscanf(v.c_str(), "%d:%d:%d:%lf:%lf:%d", &e.channel, &e.start_week, &e.end_week, &e.lift, &e.lift_se, &step);
    if (got < 5) fail("experiment=" + v + ": write CHANNEL:START:END:LIFT:SE[:REGION_STEP] (channel and week indices)");
    if (step < 0) fail("experiment=" + v + ": REGION_STEP must be positive");
    region_steps.push_back(step);
    c.experiments.push_back(e);
  } else if (k == "roi_prior") {
    // roi_prior=CHANNEL:MEAN:SD
    mmm::RoiPrior q;
    if (std::sscanf(v.c_str(), "%d:%lf:%lf", &q.channel, &q.mean, &q.sd) != 3) fail("roi_prior=" + v + ": write CHANNEL:MEAN:SD");
    c.roi_priors.push_back(q);
  } else if (k == "select_level") {
    c.select_level = i != 0;
  } else if (k == "attribution_prior_one_sided") {
    c.attribution_prior_one_sided = i != 0;
  } else if (k == "trend") {
    c.trend = i != 0;
  } else if (k == "control_per_region") {
    c.control_per_region = i != 0;
  } else if (k == "robust_controls") {
    c.robust_controls = i != 0;
  } else if (k == "seed") {
    c.seed = static_cast<uint64_t>(i);
  } else {
    fail("unknown config key '" + k + "' (see set_config in tests/bench/bench_fit.cpp for the keys)");
  }
}

void print_metrics(const char* name, const mmm::Metrics& m, bool comma) {
  std::printf(
      "    \"%s\": {\"r2\": %.5f, \"r2_within\": %.5f, \"r2_region_median\": %.5f, \"wape\": %.5f, \"rmse\": %.1f, "
      "\"skill_recent_mean\": %.4f, \"skill_seasonal_naive\": %.4f}%s\n",
      name, m.r2, m.r2_within, m.r2_region_median, m.wape, m.rmse, m.skill.recent_mean, m.skill.seasonal_naive,
      comma ? "," : "");
}

double seconds_per_epoch(const mmm::Panel& p, mmm::FitConfig c, int epochs) {
  c.warm_start_epochs = 0;
  c.epochs = epochs + 1;
  c.patience = 100000;
  mmm::Trainer tr(p, c);
  tr.run(1, 0);  // first epoch allocates workspaces
  auto t0 = Clock::now();
  tr.run(epochs, 0);
  return secs_since(t0) / epochs;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream is(s);
  while (std::getline(is, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

// Spearman rank correlation (average ranks for ties).
double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  auto ranks = [](const std::vector<double>& v) {
    std::vector<size_t> idx(v.size());
    for (size_t i = 0; i < v.size(); ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](size_t x, size_t y) { return v[x] < v[y]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < idx.size();) {
      size_t j = i;
      while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
      for (size_t k = i; k <= j; ++k) r[idx[k]] = 0.5 * (i + j);
      i = j + 1;
    }
    return r;
  };
  std::vector<double> ra = ranks(a), rb = ranks(b);
  double ma = 0, mb = 0;
  for (size_t i = 0; i < ra.size(); ++i) ma += ra[i] / ra.size(), mb += rb[i] / rb.size();
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < ra.size(); ++i) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) * (ra[i] - ma);
    sbb += (rb[i] - mb) * (rb[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

// Long-format CSV -> Panel. Rows are grouped by region (first-seen order) and sorted by date.
// region=none reads a national file (one region called "national"). spend=A,B,.. (optional, one
// per media column, "-" for none) gives each channel's spend when the media column is an activity
// (impressions); without it spend is the media column itself. Region-weeks without a row (ragged
// regions) are filled as the app's ingest fills them: media 0, KPI and controls carried forward
// then backward within the region; their count is returned in `filled_cells`.
mmm::Panel load_csv(const std::map<std::string, std::string>& a, long& filled_cells) {
  auto get = [&](const char* k) {
    auto it = a.find(k);
    if (it == a.end() || it->second.empty()) fail(std::string("csv: missing ") + k + "= (see the usage at the top of bench_fit.cpp)");
    return it->second;
  };
  const std::string path = get("path");
  std::ifstream in(path);
  if (!in) fail("csv: cannot open '" + path + "'");
  std::string line;
  if (!std::getline(in, line)) fail("csv: '" + path + "' is empty");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> head = split(line, ',');
  auto col = [&](const std::string& name, const char* role) {
    for (size_t i = 0; i < head.size(); ++i)
      if (head[i] == name) return static_cast<int>(i);
    fail("csv: " + std::string(role) + " column '" + name + "' is not in the header of " + path);
  };
  const bool national = get("region") == "none";
  const int ck = col(get("kpi"), "kpi"), cr = national ? -1 : col(get("region"), "region"), ct = col(get("time"), "time");
  std::vector<int> cm, cc, cs;
  std::vector<std::string> mnames = split(get("media"), ','), cnames, snames;
  for (auto& n : mnames) cm.push_back(col(n, "media"));
  if (a.count("controls") && !a.at("controls").empty()) cnames = split(a.at("controls"), ',');
  for (auto& n : cnames) cc.push_back(col(n, "controls"));
  if (a.count("spend") && !a.at("spend").empty()) {
    snames = split(a.at("spend"), ',');
    if (snames.size() != mnames.size())
      fail("csv: spend= names " + std::to_string(snames.size()) + " columns and media= " + std::to_string(mnames.size()) +
           "; give one spend column per media column, '-' for a channel without spend");
    for (auto& n : snames) cs.push_back(n == "-" ? -1 : col(n, "spend"));
  }
  std::map<std::string, int> rid;
  std::vector<std::string> rnames;
  if (national) {
    rid["national"] = 0;
    rnames.push_back("national");
  }
  std::map<std::string, int> dates;
  struct Row {
    int r;
    std::string d;
    std::vector<double> v;  // kpi, media..., controls..., spend...
  };
  std::vector<Row> rows;
  long row_no = 1;
  while (std::getline(in, line)) {
    ++row_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> f = split(line, ',');
    const std::string at = "csv row " + std::to_string(row_no);
    if (f.size() != head.size())
      fail(at + ": " + std::to_string(f.size()) + " fields, the header has " + std::to_string(head.size()) +
           " (quoted commas are not supported by this driver)");
    Row row;
    const std::string rn = national ? "national" : f[cr];
    if (rn.empty()) fail(at + ": the region column '" + head[cr] + "' is empty");
    if (!rid.count(rn)) {
      rid[rn] = static_cast<int>(rnames.size());
      rnames.push_back(rn);
    }
    row.r = rid[rn];
    row.d = f[ct];
    try {
      mmm::parse_iso_date(row.d, "time");
    } catch (const mmm::Error&) {
      fail(at + ", column '" + head[ct] + "': '" + row.d + "' is not a date YYYY-MM-DD");
    }
    dates[row.d] = 0;
    auto num = [&](int c) { return parse_number(f[c], at + ", column '" + head[c] + "'"); };
    row.v.push_back(num(ck));
    auto non_negative = [&](int c) {
      const double v = num(c);
      if (v < 0) fail(at + ", column '" + head[c] + "': " + f[c] + " is negative; media and spend must be >= 0");
      return v;
    };
    for (int c : cm) row.v.push_back(non_negative(c));
    for (int c : cc) row.v.push_back(num(c));
    for (int c : cs) row.v.push_back(c < 0 ? 0.0 : non_negative(c));
    rows.push_back(row);
  }
  if (rows.empty()) fail("csv: '" + path + "' has a header but no rows");
  // Weeks: every distinct date, 7 days apart with no gap (a gap would shift seasonality silently).
  int w = 0;
  long long prev = 0;
  std::string prev_date;
  for (auto& d : dates) {
    const long long day = mmm::parse_iso_date(d.first, "time");
    if (w > 0 && day - prev != 7)
      fail("csv: dates " + prev_date + " and " + d.first + " are " + std::to_string(day - prev) +
           " days apart; the panel must have one row date per week, 7 days apart, with no missing week");
    prev = day;
    prev_date = d.first;
    d.second = w++;
  }
  mmm::Panel p;
  p.regions = static_cast<int>(rnames.size());
  p.weeks = w;
  p.channels = static_cast<int>(cm.size());
  p.controls = static_cast<int>(cc.size());
  const int R = p.regions, T = p.weeks, C = p.channels, K = p.controls;
  p.kpi.assign(static_cast<size_t>(R) * T, 0.0f);
  p.media.assign(static_cast<size_t>(R) * T * C, 0.0f);
  p.control_values.assign(static_cast<size_t>(R) * T * K, 0.0f);
  if (!cs.empty()) p.spend.assign(static_cast<size_t>(R) * T * C, 0.0f);
  std::vector<char> seen(static_cast<size_t>(R) * T, 0);
  for (const Row& row : rows) {
    size_t i = static_cast<size_t>(row.r) * T + dates[row.d];
    if (seen[i]) fail("csv: region '" + rnames[row.r] + "' has two rows for " + row.d + "; keep one row per region-week");
    seen[i] = 1;
    p.kpi[i] = static_cast<float>(row.v[0]);
    for (int c = 0; c < C; ++c) p.media[i * C + c] = static_cast<float>(row.v[1 + c]);
    for (int k = 0; k < K; ++k) p.control_values[i * K + k] = static_cast<float>(row.v[1 + C + k]);
    if (!cs.empty())
      for (int c = 0; c < C; ++c) p.spend[i * C + c] = static_cast<float>(row.v[1 + C + K + c]);
  }
  // Fill the region-weeks without a row: carry the nearest earlier row forward, then the first row back.
  filled_cells = 0;
  for (int r = 0; r < R; ++r) {
    int first = -1;
    for (int t = 0; t < T && first < 0; ++t)
      if (seen[static_cast<size_t>(r) * T + t]) first = t;
    for (int t = 0; t < T; ++t) {
      const size_t i = static_cast<size_t>(r) * T + t;
      if (seen[i]) continue;
      ++filled_cells;
      const size_t src = static_cast<size_t>(r) * T + (t < first ? first : t - 1);
      p.kpi[i] = p.kpi[src];
      for (int k = 0; k < K; ++k) p.control_values[i * K + k] = p.control_values[src * K + k];
    }
  }
  if (filled_cells > 0)
    std::fprintf(stderr, "mmm_bench: %ld region-weeks have no row; filled (media 0, KPI and controls carried)\n", filled_cells);
  if (cs.empty()) p.spend = p.media;
  p.region_names = rnames;
  p.channel_names = mnames;
  p.control_names = cnames;
  for (auto& d : dates) {
    p.dates.push_back(d.first);
    p.week_of_year.push_back(mmm::iso_week_of_year(mmm::parse_iso_date(d.first, "time")));
  }
  return p;
}

// A JSON number, null when not finite.
std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7g", v);
  return buf;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

// detail=PATH: per-channel totals over the training weeks (decomposition media term, spend, ROI =
// contribution / spend, share of media) and the weekly per-region prediction and per-channel
// contributions over all weeks, from the core's decomposition (analysis.hpp).
void write_detail(const std::string& path, const mmm::Panel& p, const mmm::FitResult& r) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) fail("detail: cannot write '" + path + "'");
  const mmm::Decomposition d = r.model.decompose();
  const int R = p.regions, T = p.weeks, C = p.channels;
  const mmm::ContributionTotals tot = mmm::contribution_totals(d, 0, r.train_weeks);
  const mmm::ChannelUnits units = mmm::channel_units(r.model, p.spend);
  std::vector<double> spend(C, 0.0);
  for (int rr = 0; rr < R; ++rr)
    for (int t = 0; t < r.train_weeks; ++t)
      for (int c = 0; c < C; ++c) spend[c] += p.spend[(static_cast<size_t>(rr) * T + t) * C + c];
  std::fprintf(f, "{\"weeks\": %d, \"train_weeks\": %d, \"prediction_total\": %s, \"media_total\": %s,\n", T, r.train_weeks,
               json_number(tot.prediction).c_str(), json_number(tot.media_total).c_str());
  std::fprintf(f, " \"regions\": [");
  for (int rr = 0; rr < R; ++rr) std::fprintf(f, "%s%s", rr ? ", " : "", json_string(p.region_names[rr]).c_str());
  std::fprintf(f, "],\n \"channels\": [\n");
  for (int c = 0; c < C; ++c) {
    const bool priced = units.has_spend[c] && spend[c] > 0;
    std::fprintf(f, "  {\"name\": %s, \"contribution\": %s, \"spend\": %s, \"roi\": %s, \"share_of_media\": %s}%s\n",
                 json_string(p.channel_names[c]).c_str(), json_number(tot.media[c]).c_str(),
                 priced ? json_number(spend[c]).c_str() : "null",
                 priced ? json_number(tot.media[c] / spend[c]).c_str() : "null", json_number(tot.media_share[c]).c_str(),
                 c + 1 < C ? "," : "");
  }
  // Region-major series: [r][t].
  auto series = [&](const char* name, auto value, bool last) {
    std::fprintf(f, " %s: [", name);
    for (int rr = 0; rr < R; ++rr) {
      std::fprintf(f, "%s[", rr ? ",\n  " : "");
      for (int t = 0; t < T; ++t) std::fprintf(f, "%s%s", t ? "," : "", json_number(value(rr, t)).c_str());
      std::fprintf(f, "]");
    }
    std::fprintf(f, "]%s\n", last ? "" : ",");
  };
  std::fprintf(f, " ],\n");
  series("\"prediction\"", [&](int rr, int t) { return d.prediction[static_cast<size_t>(rr) * T + t]; }, false);
  std::fprintf(f, " \"contribution\": {\n");
  for (int c = 0; c < C; ++c)
    series(json_string(p.channel_names[c]).c_str(),
           [&](int rr, int t) { return d.media[(static_cast<size_t>(rr) * T + t) * C + c]; }, c + 1 == C);
  std::fprintf(f, " }\n}\n");
  if (std::fclose(f) != 0) fail("detail: writing '" + path + "' failed");
}

// The test regions of each experiment= key with a REGION_STEP k: regions 0, k, 2k, ... of the panel.
void resolve_region_steps(mmm::FitConfig& c, const std::vector<int>& region_steps, int regions) {
  for (size_t e = 0; e < c.experiments.size(); ++e)
    for (int r = 0; region_steps[e] > 0 && r < regions; r += region_steps[e]) c.experiments[e].regions.push_back(r);
}

int run_csv(int argc, char** argv) {
  std::map<std::string, std::string> a;
  mmm::FitConfig cfg;
  std::vector<int> region_steps;
  for (int i = 2; i < argc; ++i) {
    const char* eq = std::strchr(argv[i], '=');
    if (!eq) fail(std::string("csv: argument '") + argv[i] + "' is not key=value");
    std::string k(argv[i], eq - argv[i]), v(eq + 1);
    if (k == "path" || k == "kpi" || k == "region" || k == "time" || k == "media" || k == "controls" || k == "spend" ||
        k == "detail")
      a[k] = v;
    else
      set_config(cfg, k, v, region_steps);
  }
  long filled = 0;
  mmm::Panel p = load_csv(a, filled);
  resolve_region_steps(cfg, region_steps, p.regions);
  auto t0 = Clock::now();
  mmm::FitResult r;
  try {
    r = mmm::fit(p, cfg);
  } catch (const mmm::Error& e) {
    fail(std::string("fit: ") + e.what());
  }
  double secs = secs_since(t0);
  if (a.count("detail")) write_detail(a.at("detail"), p, r);
  std::printf("{\n  \"data\": {\"regions\": %d, \"weeks\": %d, \"channels\": %d, \"controls\": %d, \"filled_cells\": %ld},\n",
              p.regions, p.weeks, p.channels, p.controls, filled);
  std::printf("  \"fit\": {\n    \"seconds\": %.2f, \"epochs_run\": %d, \"best_epoch\": %d, \"train_weeks\": %d, \"media_share\": %.4f,\n",
              secs, r.epochs_run, r.best_epoch, r.train_weeks, r.media_share);
  std::printf("    \"local_level\": %s, \"val_loss_with_level\": %.6g, \"val_loss_without_level\": %.6g,\n",
              r.local_level ? "true" : "false", r.validation_loss_with_level, r.validation_loss_without_level);
  std::printf("    \"media_share_with_level\": %s, \"media_share_without_level\": %s,\n",
              json_number(r.media_share_with_level).c_str(), json_number(r.media_share_without_level).c_str());
  std::printf("    \"adstock_decay\": [");
  for (size_t c = 0; c < r.adstock_decay.size(); ++c) std::printf("%s%.4f", c ? ", " : "", r.adstock_decay[c]);
  std::printf("], \"hill_half_saturation\": [");
  for (size_t c = 0; c < r.hill_half_saturation.size(); ++c) std::printf("%s%.4f", c ? ", " : "", r.hill_half_saturation[c]);
  std::printf("],\n");
  std::printf("    \"experiments\": [");
  for (size_t e = 0; e < r.experiments.size(); ++e)
    std::printf("%s{\"measured\": %s, \"se\": %s, \"model\": %s}", e ? ", " : "",
                json_number(r.experiments[e].measured).c_str(), json_number(r.experiments[e].measured_se).c_str(),
                json_number(r.experiments[e].model).c_str());
  std::printf("],\n");
  print_metrics("train", r.train, true);
  print_metrics("validation", r.validation, true);
  print_metrics("holdout", r.holdout, false);
  std::printf("  }\n}\n");
  // MMM_BENCH_HISTORY=1: the epoch trajectory on stderr (diagnosing training dynamics).
  if (std::getenv("MMM_BENCH_HISTORY"))
    for (const mmm::EpochReport& h : r.history)
      std::fprintf(stderr, "%4d %s%s loss %.6f val %.6f r2 %.4f grad %.4g\n", h.epoch, h.warm_start ? "W" : "-",
                   h.refit ? "R" : "-", h.train_loss, h.val_loss, h.train_r2, h.grad_norm);
  return 0;
}

// demo-csv out=PATH [data_seed= regions= weeks= channels= controls= noise=]: the built-in demo as a
// long CSV (region, date, kpi, one spend column per channel, controls) and PATH.truth.json with
// each channel's true weekly contribution per region ([r][t], KPI units) and its true totals.
int write_demo_csv(const mmm::DemoData& demo, const std::string& out) {
  const mmm::Panel& p = demo.panel;
  const int R = p.regions, T = p.weeks, C = p.channels, K = p.controls;
  std::FILE* f = std::fopen(out.c_str(), "w");
  if (!f) fail("demo-csv: cannot write '" + out + "'");
  std::fprintf(f, "region,date,kpi");
  for (auto& n : p.channel_names) std::fprintf(f, ",%s", n.c_str());
  for (auto& n : p.control_names) std::fprintf(f, ",%s", n.c_str());
  std::fprintf(f, "\n");
  for (int rr = 0; rr < R; ++rr)
    for (int t = 0; t < T; ++t) {
      const size_t i = static_cast<size_t>(rr) * T + t;
      std::fprintf(f, "%s,%s,%.9g", p.region_names[rr].c_str(), p.dates[t].c_str(), p.kpi[i]);
      for (int c = 0; c < C; ++c) std::fprintf(f, ",%.9g", p.media[i * C + c]);
      for (int k = 0; k < K; ++k) std::fprintf(f, ",%.9g", p.control_values[i * K + k]);
      std::fprintf(f, "\n");
    }
  if (std::fclose(f) != 0) fail("demo-csv: writing '" + out + "' failed");
  const std::string truth_path = out.substr(0, out.size() - (out.size() > 4 && out.substr(out.size() - 4) == ".csv" ? 4 : 0)) + ".truth.json";
  f = std::fopen(truth_path.c_str(), "w");
  if (!f) fail("demo-csv: cannot write '" + truth_path + "'");
  std::fprintf(f, "{\"media_share\": %s, \"channels\": [\n", json_number(demo.truth.media_share).c_str());
  for (int c = 0; c < C; ++c) {
    const auto& ch = demo.truth.channel[c];
    std::fprintf(f, "  {\"name\": %s, \"roi\": %s, \"total_contribution\": %s, \"total_spend\": %s}%s\n",
                 json_string(ch.name).c_str(), json_number(ch.roi).c_str(), json_number(ch.total_contribution).c_str(),
                 json_number(ch.total_spend).c_str(), c + 1 < C ? "," : "");
  }
  std::fprintf(f, " ],\n \"contribution\": {\n");
  for (int c = 0; c < C; ++c) {
    std::fprintf(f, "  %s: [", json_string(p.channel_names[c]).c_str());
    for (int rr = 0; rr < R; ++rr) {
      std::fprintf(f, "%s[", rr ? ",\n   " : "");
      for (int t = 0; t < T; ++t)
        std::fprintf(f, "%s%s", t ? "," : "", json_number(demo.truth.media_at(rr, t, c)).c_str());
      std::fprintf(f, "]");
    }
    std::fprintf(f, "]%s\n", c + 1 < C ? "," : "");
  }
  std::fprintf(f, " }\n}\n");
  if (std::fclose(f) != 0) fail("demo-csv: writing '" + truth_path + "' failed");
  std::printf("{\"csv\": %s, \"truth\": %s}\n", json_string(out).c_str(), json_string(truth_path).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 && std::strchr(argv[1], '=') == nullptr ? argv[1] : "all";
  if (mode == "csv") return run_csv(argc, argv);
  mmm::DemoConfig dc;
  dc.regions = 190;
  dc.weeks = 109;
  dc.channels = 13;
  dc.controls = 7;
  dc.seed = 42;
  mmm::FitConfig cfg;
  std::vector<int> region_steps;
  std::string out;  // demo-csv only
  for (int a = 1; a < argc; ++a) {
    const char* eq = std::strchr(argv[a], '=');
    if (!eq) continue;
    std::string k(argv[a], eq - argv[a]), v(eq + 1);
    if (k == "data_seed")
      dc.seed = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "regions")
      dc.regions = std::atoi(v.c_str());
    else if (k == "weeks")
      dc.weeks = std::atoi(v.c_str());
    else if (k == "noise")
      dc.noise = std::atof(v.c_str());
    else if (k == "channels")
      dc.channels = std::atoi(v.c_str());
    else if (k == "controls")
      dc.controls = std::atoi(v.c_str());
    else if (k == "out")
      out = v;
    else
      set_config(cfg, k, v, region_steps);
  }
  if (mode == "demo-csv") {
    if (out.empty()) fail("demo-csv: give out=PATH.csv");
    try {
      return write_demo_csv(mmm::generate_demo(dc), out);
    } catch (const mmm::Error& e) {
      fail(std::string("demo-csv: ") + e.what());
    }
  }
  mmm::DemoData demo = mmm::generate_demo(dc);
  const mmm::Panel& p = demo.panel;
  resolve_region_steps(cfg, region_steps, p.regions);
  std::printf("{\n  \"data\": {\"regions\": %d, \"weeks\": %d, \"channels\": %d, \"controls\": %d, \"seed\": %llu},\n",
              p.regions, p.weeks, p.channels, p.controls, static_cast<unsigned long long>(dc.seed));

  if (mode == "all" || mode == "epoch") {
    std::printf("  \"seconds_per_epoch\": {");
    std::vector<int> sizes = mode == "epoch" ? std::vector<int>{cfg.hidden} : std::vector<int>{64, 280};
    for (size_t i = 0; i < sizes.size(); ++i) {
      mmm::FitConfig c = cfg;
      c.hidden = sizes[i];
      double s = seconds_per_epoch(p, c, sizes[i] > 100 ? 3 : 10);
      std::printf("%s\"hidden_%d\": %.4f", i ? ", " : "", sizes[i], s);
      std::fflush(stdout);
    }
    std::printf("},\n");
    if (mode == "epoch") {
      std::printf("  \"done\": true\n}\n");
      return 0;
    }
  }

  auto t0 = Clock::now();
  mmm::FitResult r = mmm::fit(p, cfg);
  double secs = secs_since(t0);
  const mmm::FittedModel& m = r.model;
  mmm::Decomposition d = m.decompose();
  // Channel shares of the media contribution over the training weeks vs the truth.
  const int R = p.regions, T = p.weeks, C = p.channels;
  std::vector<double> est(C, 0), truth(C, 0);
  double est_tot = 0, tru_tot = 0, kpi_tot = 0;
  for (int rr = 0; rr < R; ++rr)
    for (int t = 0; t < r.train_weeks; ++t)
      for (int c = 0; c < C; ++c) {
        size_t i = (static_cast<size_t>(rr) * T + t) * C + c;
        est[c] += d.media[i];
        truth[c] += demo.truth.media_contribution[i];
        est_tot += d.media[i];
        tru_tot += demo.truth.media_contribution[i];
      }
  for (int rr = 0; rr < R; ++rr)
    for (int t = 0; t < r.train_weeks; ++t) kpi_tot += p.kpi[static_cast<size_t>(rr) * T + t];
  double share_err = 0;
  for (int c = 0; c < C; ++c) share_err += std::fabs(est[c] / est_tot - truth[c] / tru_tot);
  // Holdout error by component group vs the truth (RMS over region-weeks, KPI units):
  // base = baseline + seasonal, media = sum of channels, ctrl = sum of controls.
  double e_base = 0, e_media = 0, e_ctrl = 0, e_total = 0, ncell = 0;
  const int K = p.controls;
  for (int rr = 0; rr < R; ++rr)
    for (int t = r.train_weeks; t < T; ++t) {
      size_t i = static_cast<size_t>(rr) * T + t;
      double mb = d.baseline[i] + d.seasonal[i], tb = demo.truth.baseline[i] + demo.truth.seasonal[i];
      double mm = 0, tm = 0, mc = 0, tc = 0;
      for (int c = 0; c < C; ++c) {
        mm += d.media[i * C + c];
        tm += demo.truth.media_contribution[i * C + c];
      }
      for (int k = 0; k < K; ++k) {
        mc += d.control[i * K + k];
        tc += demo.truth.control_contribution[i * K + k];
      }
      e_base += (mb - tb) * (mb - tb);
      e_media += (mm - tm) * (mm - tm);
      e_ctrl += (mc - tc) * (mc - tc);
      e_total += (mb + mm + mc - tb - tm - tc) * (mb + mm + mc - tb - tm - tc);
      ncell += 1;
    }
  std::printf("  \"holdout_component_rmse\": {\"base_seasonal\": %.0f, \"media\": %.0f, \"controls\": %.0f, \"total_vs_truth\": %.0f},\n",
              std::sqrt(e_base / ncell), std::sqrt(e_media / ncell), std::sqrt(e_ctrl / ncell), std::sqrt(e_total / ncell));
  if (std::getenv("MMM_BENCH_CHANNELS")) {
    std::vector<float> dec = m.adstock_decay(), sl = m.hill_slope(), hs = m.hill_half_saturation();
    std::fprintf(stderr, "channel                 est_share true_share  decay(true,peak)  slope(true)  half\n");
    for (int c = 0; c < C; ++c) {
      const auto& tc = demo.truth.channel[c];
      std::fprintf(stderr, "%-22s %8.3f %8.3f   %5.2f (%4.2f,%d)   %4.2f (%4.2f)  %5.2f%s\n", p.channel_names[c].c_str(),
                   est[c] / est_tot, truth[c] / tru_tot, dec[c], tc.adstock_decay, tc.peak_delay, sl[c], tc.hill_slope,
                   hs[c], tc.burst ? " burst" : "");
    }
    for (int i = 0; i < C; ++i)
      for (int j = 0; j < C; ++j)
        if (r.dag_adjacency_pruned[i * C + j] > 0)
          std::fprintf(stderr, "edge %s -> %s %.2f\n", p.channel_names[i].c_str(), p.channel_names[j].c_str(),
                       r.dag_adjacency_pruned[i * C + j]);
  }
  if (std::getenv("MMM_BENCH_REGIONS")) {
    // Holdout error against the noise-free truth, split into each region's mean error over the
    // holdout (level) and the rest (shape), per component: which part of the model extrapolates badly.
    // One series per row of `names`: for each region the holdout errors e, added up as
    // level (weeks x mean(e)²) and shape (Σ (e − mean(e))²).
    std::vector<std::string> names = {"total", "base", "seasonal", "media", "controls"};
    names.insert(names.end(), p.channel_names.begin(), p.channel_names.end());
    const size_t Q = names.size();
    std::vector<double> lvl(Q, 0.0), shp(Q, 0.0);
    const int Th = T - r.train_weeks;
    for (int rr = 0; rr < R; ++rr) {
      std::vector<std::vector<double>> e(Q, std::vector<double>(Th, 0.0));
      for (int h = 0; h < Th; ++h) {
        const size_t i = static_cast<size_t>(rr) * T + r.train_weeks + h;
        e[0][h] = d.prediction[i] - (p.kpi[i] - demo.truth.noise[i]);
        e[1][h] = d.baseline[i] - demo.truth.baseline[i];
        e[2][h] = d.seasonal[i] - demo.truth.seasonal[i];
        for (int c = 0; c < C; ++c) {
          const double ec = d.media[i * C + c] - demo.truth.media_contribution[i * C + c];
          e[3][h] += ec;
          e[5 + c][h] = ec;
        }
        for (int k = 0; k < K; ++k) e[4][h] += d.control[i * K + k] - demo.truth.control_contribution[i * K + k];
      }
      for (size_t q = 0; q < Q; ++q) {
        double m = 0;
        for (double v : e[q]) m += v / Th;
        lvl[q] += Th * m * m;
        for (double v : e[q]) shp[q] += (v - m) * (v - m);
      }
    }
    for (size_t q = 0; q < Q; ++q)
      std::fprintf(stderr, "holdout %-9s level SSE %.3g  shape SSE %.3g\n", names[q].c_str(), lvl[q], shp[q]);
    // Per channel, model vs true contribution relative to the region's base, demeaned within region:
    // correlation and regression slope, training weeks and holdout weeks.
    for (int c = 0; c < C; ++c) {
      for (int part = 0; part < 2; ++part) {
        const int t0 = part == 0 ? r.train_weeks / 2 : r.train_weeks, t1 = part == 0 ? r.train_weeks : T;
        double sxx = 0, syy = 0, sxy = 0;
        for (int rr = 0; rr < R; ++rr) {
          double mx = 0, my = 0;
          const double b = demo.truth.region_base[rr];
          for (int t = t0; t < t1; ++t) {
            size_t i = (static_cast<size_t>(rr) * T + t) * C + c;
            mx += demo.truth.media_contribution[i] / b / (t1 - t0);
            my += d.media[i] / b / (t1 - t0);
          }
          for (int t = t0; t < t1; ++t) {
            size_t i = (static_cast<size_t>(rr) * T + t) * C + c;
            const double x = demo.truth.media_contribution[i] / b - mx, y = d.media[i] / b - my;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
          }
        }
        std::fprintf(stderr, "%s %-9s corr %.3f slope %.3f sd_true %.4f\n", part == 0 ? "train  " : "holdout",
                     p.channel_names[c].c_str(), sxy / std::sqrt(sxx * syy), sxy / sxx, std::sqrt(sxx / R / (t1 - t0)));
      }
    }
  }
  if (std::getenv("MMM_BENCH_WEEKS")) {
    std::fprintf(stderr, "week  woy  model_err%%  truth_noise%%  base_err%%  media_err%%  ctrl_err%%\n");
    for (int t = r.train_weeks - 8; t < T; ++t) {
      double e = 0, nz = 0, y = 0, eb = 0, em = 0, ec = 0;
      for (int rr = 0; rr < R; ++rr) {
        size_t i = static_cast<size_t>(rr) * T + t;
        e += d.prediction[i] - p.kpi[i];
        nz += demo.truth.noise[i];
        y += p.kpi[i];
        eb += d.baseline[i] + d.seasonal[i] - demo.truth.baseline[i] - demo.truth.seasonal[i];
        for (int c = 0; c < C; ++c) em += d.media[i * C + c] - demo.truth.media_contribution[i * C + c];
        for (int k = 0; k < K; ++k) ec += d.control[i * K + k] - demo.truth.control_contribution[i * K + k];
      }
      std::fprintf(stderr, "%4d %4d %9.2f %9.2f %9.2f %9.2f %9.2f\n", t, p.week_of_year[t], 100 * e / y, -100 * nz / y,
                   100 * eb / y, 100 * em / y, 100 * ec / y);
    }
  }
  const mmm::EpochReport& last = r.history.back();
  std::printf("  \"default_fit\": {\n    \"seconds\": %.2f, \"epochs_run\": %d, \"best_epoch\": %d, \"hidden\": %d,\n", secs,
              r.epochs_run, r.best_epoch, cfg.hidden);
  std::printf("    \"last_val_r2_scaled\": %.4f, \"media_share\": %.4f, \"true_media_share\": %.4f,\n", last.val_r2,
              r.media_share, tru_tot / kpi_tot);
  std::printf("    \"local_level\": %s, \"val_loss_with_level\": %.6g, \"val_loss_without_level\": %.6g,\n",
              r.local_level ? "true" : "false", r.validation_loss_with_level, r.validation_loss_without_level);
  int edges = 0;
  for (float a : r.dag_adjacency_pruned) edges += a != 0.0f;
  std::printf("    \"dag_mode\": \"%s\", \"dag_edges\": %d, \"dag_edges_removed_for_acyclicity\": %d,\n", cfg.dag_mode.c_str(),
              edges, r.dag_edges_removed);
  // ROI ranking vs the truth: full-model simulation over all weeks (analysis.hpp).
  {
    mmm::AnalysisOptions ao;
    ao.curves = false;
    mmm::Analysis an = mmm::analyze(m, p.spend, ao);
    std::vector<double> er, tr, emr, tmr;
    std::printf("    \"roi\": [");
    for (int c = 0; c < C; ++c) {
      er.push_back(an.channels[c].roi);
      tr.push_back(demo.truth.channel[c].roi);
      emr.push_back(an.channels[c].marginal_roi);
      tmr.push_back(demo.truth.channel[c].marginal_roi);
      std::printf("%s[%.3f, %.3f]", c ? ", " : "", er.back(), tr.back());
    }
    std::printf("],\n    \"roi_spearman\": %.3f, \"marginal_roi_spearman\": %.3f,\n", spearman(er, tr), spearman(emr, tmr));
    // TV -> Search edge strength in the learned adjacency, and its rank among all edges.
    for (const auto& e : demo.truth.edges) {
      std::vector<float> adj = r.dag_adjacency;
      float v = adj[static_cast<size_t>(e.from) * C + e.to];
      int rank = 1;
      for (float x : adj) rank += x > v;
      std::printf("    \"edge_%s_%s\": {\"adjacency\": %.3f, \"rank\": %d},\n", e.from_name.c_str(), e.to_name.c_str(), v,
                  rank);
    }
  }
  std::printf("    \"channel_share_abs_error_sum\": %.4f,\n    \"channel_shares\": [", share_err);
  for (int c = 0; c < C; ++c) std::printf("%s[%.3f, %.3f]", c ? ", " : "", est[c] / est_tot, truth[c] / tru_tot);
  std::printf("],\n");
  print_metrics("train", r.train, true);
  print_metrics("validation", r.validation, true);
  print_metrics("holdout", r.holdout, true);
  // What the data allows: the noise-free truth scored the same way.
  std::vector<float> oracle(p.kpi.size());
  for (size_t i = 0; i < oracle.size(); ++i) oracle[i] = p.kpi[i] - demo.truth.noise[i];
  print_metrics("oracle_train", mmm::score(p.kpi, oracle, R, T, r.burn_in_weeks, r.train_weeks, r.train_weeks), true);
  print_metrics("oracle_holdout", mmm::score(p.kpi, oracle, R, T, r.train_weeks, T, r.train_weeks), false);
  std::printf("  }\n}\n");
  return 0;
}
