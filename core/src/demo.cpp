#include "mmm/demo.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "mmm/errors.hpp"
#include "mmm/parallel.hpp"

namespace mmm {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kWeeksPerYear = 52.1775;  // mean Gregorian year in weeks
constexpr int kLags = 13;                  // adstock kernel length (weeks)
constexpr int kPre = kLags - 1;            // unobserved weeks simulated before week 0 (warm-up)
constexpr double kBasePerSize = 100000.0;  // base weekly KPI of a region of size 1
constexpr double kSpendRatio = 0.12;       // total media spend / base KPI
constexpr double kTvSearchStrength = 0.35;

// ---- PRNG: splitmix64 (seeding) + xoshiro256** (stream) + polar Box–Muller ----------------------
uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t st = seed ^ (0xD1B54A32D192ED03ULL * (stream + 1));
    for (auto& w : s_) w = splitmix64(st);
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  int uniform_int(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(uniform() * (hi - lo + 1));
  }
  // Standard normal: Marsaglia's polar form of Box–Muller (no sin/cos; pairs, the second cached).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, q;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      q = u * u + v * v;
    } while (q >= 1.0 || q == 0.0);
    const double f = std::sqrt(-2.0 * std::log(q) / q);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0.0;
};

// ---- calendar ------------------------------------------------------------------------------
long long days_from_civil(long long y, int m, int d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long yoe = y - era * 400;
  const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(long long z, long long& y, int& m, int& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

bool is_leap(long long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// ---- spend schedules over internal time u = 0..U-1 (the first kPre weeks are unobserved) ------
// Scales f to mean 1 over the observed weeks (all ones when it has none).
void normalise_observed(std::vector<double>& f) {
  double mean = 0;
  for (size_t u = kPre; u < f.size(); ++u) mean += f[u];
  mean /= static_cast<double>(f.size() - kPre);
  if (mean <= 0) {
    std::fill(f.begin(), f.end(), 1.0);
  } else {
    for (double& x : f) x /= mean;
  }
}

// Flights: 3-8 weeks on at a random level, 2-6 weeks off, normalised.
void burst_flights(Rng& rng, std::vector<double>& f) {
  const int U = static_cast<int>(f.size());
  bool on = rng.uniform() < 0.6;
  int u = 0;
  while (u < U) {
    const int len = on ? rng.uniform_int(3, 8) : rng.uniform_int(2, 6);
    const double level = on ? rng.uniform(0.6, 1.4) : 0.0;
    for (int i = 0; i < len && u < U; ++i, ++u) f[u] = level;
    on = !on;
  }
  normalise_observed(f);
}

// ---- channel and control catalogue ---------------------------------------------------------
struct ChannelSpec {
  const char* name;
  double spend_weight;    // share of the media budget (renormalised over the channels used)
  double contrib_weight;  // share of media-driven KPI (renormalised)
  double cpm;
  double decay;
  int delay;
  double slope;
  double k_rel;           // half-saturation relative to the channel's mean weekly spend
  bool burst;
  double drift;
  bool regional;          // burst channel planned per region (local media) instead of nationally
};

// Contribution weights are spend weights times a return factor, spaced so the channels' true ROIs
// are clearly different (Print 0.55x ... OOH 2.1x TV's; Search's factor is larger because its spend
// also carries the TV-induced lift) — a demo with near-equal ROIs cannot show a ranking or a budget shift.
const ChannelSpec kNamedChannels[] = {
    {"TV", 0.26, 0.26 * 1.00, 25.0, 0.60, 1, 2.2, 1.3, true, 0.15, false},
    {"Search", 0.16, 0.16 * 2.40, 40.0, 0.15, 0, 1.3, 1.0, false, 0.10, false},
    {"Social", 0.14, 0.14 * 1.20, 8.0, 0.35, 0, 1.6, 0.8, false, 0.20, false},
    {"Display", 0.10, 0.10 * 0.80, 4.0, 0.25, 0, 1.1, 1.5, false, 0.10, false},
    {"Radio", 0.08, 0.08 * 0.65, 10.0, 0.45, 0, 2.0, 1.0, true, 0.10, true},
    {"Video", 0.12, 0.12 * 1.45, 20.0, 0.50, 1, 1.8, 0.9, true, 0.25, false},
    {"Print", 0.08, 0.08 * 0.55, 30.0, 0.55, 0, 1.4, 1.2, true, 0.10, true},
    {"OOH", 0.06, 0.06 * 2.10, 6.0, 0.70, 2, 2.5, 1.1, true, 0.10, true},
};
constexpr int kNamedChannelCount = 8;

const char* const kControlNames[] = {"Price index", "Competitor activity", "Holiday",
                                     "Temperature", "Promotion", "Distribution"};
constexpr int kNamedControlCount = 6;

std::string padded_name(const char* prefix, int index, int width) {
  std::string n = std::to_string(index);
  if (static_cast<int>(n.size()) < width) n.insert(0, width - n.size(), '0');
  return std::string(prefix) + n;
}

void check_int(const char* field, int value, int lo, int hi) {
  if (value < lo || value > hi) {
    std::ostringstream m;
    m << "DemoConfig." << field << " is " << value << "; allowed range is " << lo << ".." << hi;
    throw InvalidConfig(m.str());
  }
}

void check_real(const char* field, double value, double lo, double hi) {
  if (!std::isfinite(value) || value < lo || value > hi) {
    std::ostringstream m;
    m << "DemoConfig." << field << " is " << value << "; allowed range is " << lo << ".." << hi;
    throw InvalidConfig(m.str());
  }
}

double clampd(double x, double lo, double hi) { return std::min(hi, std::max(lo, x)); }

}  // namespace

// ---- public calendar helpers -----------------------------------------------------------------
long long parse_iso_date(const std::string& text, const char* field) {
  auto fail = [&]() {
    throw InvalidConfig(std::string(field) + " is '" + text +
                        "'; expected a calendar date YYYY-MM-DD between 1900-01-01 and 2199-12-31");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') fail();
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') fail();
  const int y = std::stoi(text.substr(0, 4));
  const int m = std::stoi(text.substr(5, 2));
  const int d = std::stoi(text.substr(8, 2));
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2199 || m < 1 || m > 12) fail();
  const int dim = kDays[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
  if (d < 1 || d > dim) fail();
  return days_from_civil(y, m, d);
}

std::string format_iso_date(long long days) {
  long long y;
  int m, d;
  civil_from_days(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", y, m, d);
  return buf;
}

int iso_weekday(long long days) { return static_cast<int>(((days % 7) + 7 + 3) % 7) + 1; }

int iso_week_of_year(long long days) {
  const long long thursday = days - (iso_weekday(days) - 1) + 3;
  long long y;
  int m, d;
  civil_from_days(thursday, y, m, d);
  return static_cast<int>((thursday - days_from_civil(y, 1, 1)) / 7 + 1);
}

double DemoChannelTruth::drift_at(int t) const {
  return std::exp(drift_amplitude * std::sin(2.0 * kPi * t / drift_period + drift_phase));
}

void DemoConfig::validate() const {
  check_int("regions", regions, 1, 2000);
  check_int("weeks", weeks, 2, 260);
  check_int("channels", channels, 1, 50);
  check_int("controls", controls, 0, 10);
  check_int("threads", threads, 1, 64);
  check_real("noise", noise, 0.0, 0.5);
  check_real("media_share", media_share, 0.05, 0.6);
  parse_iso_date(start_date, "DemoConfig.start_date");
}

// ---- the generator ---------------------------------------------------------------------------
DemoData generate_demo(const DemoConfig& cfg) {
  cfg.validate();
  const int R = cfg.regions, T = cfg.weeks, C = cfg.channels, K = cfg.controls;
  const int U = kPre + T;  // internal time u = t + kPre
  const size_t cells = static_cast<size_t>(R) * T;

  DemoData out;
  Panel& p = out.panel;
  DemoTruth& tr = out.truth;
  p.regions = tr.regions = R;
  p.weeks = tr.weeks = T;
  p.channels = tr.channels = C;
  p.controls = tr.controls = K;

  // Calendar.
  long long d0 = parse_iso_date(cfg.start_date, "DemoConfig.start_date");
  d0 -= iso_weekday(d0) - 1;
  std::vector<int> woy_u(U);
  for (int u = 0; u < U; ++u) woy_u[u] = iso_week_of_year(d0 + 7LL * (u - kPre));
  p.dates.resize(T);
  p.week_of_year.resize(T);
  for (int t = 0; t < T; ++t) {
    p.dates[t] = format_iso_date(d0 + 7LL * t);
    p.week_of_year[t] = woy_u[t + kPre];
  }

  // Names.
  const int rw = std::max(2, static_cast<int>(std::to_string(R).size()));
  for (int r = 0; r < R; ++r) p.region_names.push_back(padded_name("Region ", r + 1, rw));
  for (int c = 0; c < C; ++c)
    p.channel_names.push_back(c < kNamedChannelCount ? std::string(kNamedChannels[c].name)
                                                     : "Channel " + std::to_string(c + 1));
  for (int k = 0; k < K; ++k)
    p.control_names.push_back(k < kNamedControlCount ? std::string(kControlNames[k])
                                                     : "Control " + std::to_string(k + 1));

  // ---- national stream: channel parameters, flights, drifts, national control series ----
  Rng nat(cfg.seed, 0);
  std::vector<ChannelSpec> spec(C);
  for (int c = 0; c < C; ++c) {
    if (c < kNamedChannelCount) {
      spec[c] = kNamedChannels[c];
    } else {
      ChannelSpec s{};
      s.name = nullptr;
      s.spend_weight = nat.uniform(0.02, 0.08);
      s.contrib_weight = s.spend_weight * nat.uniform(0.4, 1.8);
      s.cpm = nat.uniform(3.0, 35.0);
      s.decay = nat.uniform(0.1, 0.7);
      s.delay = nat.uniform() < 0.25 ? 1 : 0;
      s.slope = nat.uniform(1.0, 3.0);
      s.k_rel = nat.uniform(0.7, 1.6);
      s.burst = nat.uniform() < 0.4;
      s.drift = nat.uniform(0.05, 0.25);
      s.regional = s.burst && nat.uniform() < 0.5;
      spec[c] = s;
    }
  }
  double spend_w_sum = 0, contrib_w_sum = 0;
  for (const auto& s : spec) {
    spend_w_sum += s.spend_weight;
    contrib_w_sum += s.contrib_weight;
  }
  const bool tv_search = C >= 2;  // TV (0) -> Search (1)

  tr.channel.resize(C);
  std::vector<std::vector<double>> kernel(C);
  std::vector<double> spend_level(C);  // mean weekly spend per unit of region size
  std::vector<double> k_per_size(C);
  std::vector<double> drift_phase(C), drift_period(C);
  std::vector<std::vector<double>> flight(C, std::vector<double>(U));
  for (int c = 0; c < C; ++c) {
    const ChannelSpec& s = spec[c];
    DemoChannelTruth& ch = tr.channel[c];
    ch.name = p.channel_names[c];
    ch.burst = s.burst;
    ch.cpm = s.cpm;
    ch.adstock_decay = s.decay;
    ch.peak_delay = s.delay;
    ch.hill_slope = s.slope;
    ch.drift_amplitude = s.drift;
    // Kernel w_l ∝ decay^|l - delay|.
    std::vector<double> w(kLags);
    double ws = 0;
    for (int l = 0; l < kLags; ++l) ws += (w[l] = std::pow(s.decay, std::abs(l - s.delay)));
    for (double& x : w) x /= ws;
    kernel[c] = w;
    ch.adstock_weights = w;
    spend_level[c] = kBasePerSize * kSpendRatio * s.spend_weight / spend_w_sum;
    const double level_for_k = spend_level[c] * ((tv_search && c == 1) ? 1.0 + kTvSearchStrength : 1.0);
    k_per_size[c] = s.k_rel * level_for_k;
    ch.half_saturation_per_size = k_per_size[c];
    drift_period[c] = nat.uniform(120.0, 320.0);
    drift_phase[c] = nat.uniform(0.0, 2.0 * kPi);
    ch.drift_period = drift_period[c];
    ch.drift_phase = drift_phase[c];

    // National spend pattern (regional channels plan their own flights per region, below).
    if (s.burst) {
      if (!s.regional) burst_flights(nat, flight[c]);
    } else {
      const double amp = nat.uniform(0.05, 0.2);
      const double ph = nat.uniform(0.0, 2.0 * kPi);
      double ar = 0;
      std::vector<double>& f = flight[c];
      for (int u = 0; u < U; ++u) {
        ar = 0.7 * ar + 0.08 * nat.normal();
        const int wk = woy_u[u];
        const double q4 = (wk >= 45 && wk <= 52) ? 0.25 : 0.0;
        f[u] = std::max(0.2, 1.0 + amp * std::sin(2.0 * kPi * u / kWeeksPerYear + ph) + q4 + ar);
      }
      normalise_observed(f);
    }
  }

  // Controls: national series and truth coefficients.
  tr.control.resize(K);
  std::vector<double> nat_price(T), nat_comp(T);
  {
    double a = 0;
    for (int t = 0; t < T; ++t) nat_price[t] = (a = 0.9 * a + 0.01 * nat.normal());
    bool on = false;
    int t = 0;
    while (t < T) {
      const int len = on ? nat.uniform_int(2, 6) : nat.uniform_int(4, 12);
      const double lvl = on ? nat.uniform(0.2, 0.6) : 0.0;
      for (int i = 0; i < len && t < T; ++i, ++t) nat_comp[t] = lvl;
      on = !on;
    }
    double m = 0;
    for (double x : nat_comp) m += x;
    m /= T;
    for (double& x : nat_comp) x = 1.0 + x - m;  // mean 1
  }
  static const double kCoef[] = {-1.5, -0.08, 0.12, 0.003, 0.06, 0.3};
  static const double kRef[] = {1.0, 1.0, 0.0, 12.0, 0.0, 1.0};
  for (int k = 0; k < K; ++k) {
    DemoControlTruth& ct = tr.control[k];
    ct.name = p.control_names[k];
    if (k < kNamedControlCount) {
      ct.coefficient = kCoef[k];
      ct.reference = kRef[k];
    } else {
      ct.coefficient = nat.uniform(-0.02, 0.02);
      ct.reference = 0.0;
    }
  }

  // Allocate outputs.
  const size_t media_cells = cells * C;
  p.media.resize(media_cells);
  p.spend.resize(media_cells);
  if (cfg.impressions) out.impressions.resize(media_cells);
  p.control_values.resize(cells * K);
  p.kpi.resize(cells);
  tr.media_contribution.resize(media_cells);  // holds the unit effect until pass 2
  tr.baseline.resize(cells);
  tr.seasonal.resize(cells);
  tr.control_contribution.resize(cells * K);
  tr.noise.resize(cells);
  tr.region_size.resize(R);
  tr.region_base.resize(R);
  tr.region_trend.resize(R);

  // Seasonal shape by ISO week (national).
  auto season_shape = [](int wk) {
    const double ph = 2.0 * kPi * (wk - 1) / kWeeksPerYear;
    return 0.08 * std::sin(ph) + 0.05 * std::cos(ph) + 0.03 * std::sin(2 * ph) - 0.02 * std::cos(2 * ph);
  };
  std::vector<double> drift(static_cast<size_t>(C) * T);
  for (int c = 0; c < C; ++c)
    for (int t = 0; t < T; ++t) drift[static_cast<size_t>(c) * T + t] = tr.channel[c].drift_at(t);

  // Per-chunk accumulators (double), reduced in chunk order: bit-identical for any thread count.
  struct Acc {
    std::vector<double> unit, marg_unit, spend, impr;
    double unit_indirect = 0, marg_indirect = 0, non_media = 0;
    // pass 2
    std::vector<double> contrib, control;
    double kpi = 0, media = 0, baseline = 0, seasonal = 0, controls = 0, noise = 0;
  };
  const Chunking chunking = fixed_chunks(R, 16);
  std::vector<Acc> acc(chunking.chunks);
  for (Acc& x : acc) {
    x.unit.assign(C, 0.0);
    x.marg_unit.assign(C, 0.0);
    x.spend.assign(C, 0.0);
    x.impr.assign(C, 0.0);
    x.contrib.assign(C, 0.0);
    x.control.assign(K, 0.0);
  }
  ThreadPool& pool = shared_pool(cfg.threads);

  // ---- pass 1: everything except the effect scale of each channel ----
  pool.run(chunking.chunks, [&](int chunk) {
    Acc& A = acc[chunk];
    std::vector<double> spend_u(static_cast<size_t>(U) * C), adstock_tv(U), search0(U);
    for (int r = chunking.begin(chunk); r < chunking.end(chunk); ++r) {
      Rng rng(cfg.seed, static_cast<uint64_t>(r) + 1);
      const double size = std::exp(clampd(1.1 * rng.normal(), -2.3, 2.3));
      const double base = kBasePerSize * size;
      const double trend = 0.04 + 0.03 * rng.normal();
      const double season_amp = clampd(1.0 + 0.2 * rng.normal(), 0.5, 1.5);
      tr.region_size[r] = size;
      tr.region_base[r] = base;
      tr.region_trend[r] = trend;

      // Non-media components and controls.
      const double temp_offset = 3.0 * rng.normal();
      const double dist_growth = 0.03 * rng.normal();
      double price_ar = 0;
      std::vector<double> extra_ar(std::max(0, K - kNamedControlCount), 0.0);
      for (int t = 0; t < T; ++t) {
        const size_t cell = static_cast<size_t>(r) * T + t;
        const int wk = p.week_of_year[t];
        const double b = base * (1.0 + trend * t / kWeeksPerYear);
        const double sea = base * season_amp * season_shape(wk);
        const float bf = static_cast<float>(b), sf = static_cast<float>(sea);
        tr.baseline[cell] = bf;
        tr.seasonal[cell] = sf;
        double nm = static_cast<double>(bf) + sf;
        price_ar = 0.8 * price_ar + 0.01 * rng.normal();
        for (int k = 0; k < K; ++k) {
          double v;
          switch (k) {
            case 0: v = 1.0 + nat_price[t] + price_ar; break;
            case 1: v = nat_comp[t] * std::exp(0.1 * rng.normal()); break;
            case 2: v = (wk == 47 || wk >= 51) ? 1.0 : 0.0; break;
            case 3: v = 12.0 - 10.0 * std::cos(2.0 * kPi * (wk - 4) / kWeeksPerYear) + temp_offset + 2.0 * rng.normal(); break;
            case 4: v = rng.uniform() < 0.08 ? 1.0 : 0.0; break;
            case 5: v = 1.0 + dist_growth * t / kWeeksPerYear + 0.005 * rng.normal(); break;
            default: {
              double& a = extra_ar[k - kNamedControlCount];
              a = 0.8 * a + 0.6 * rng.normal();
              v = a;
            }
          }
          const float vf = static_cast<float>(v);
          p.control_values[cell * K + k] = vf;
          const float cc = static_cast<float>(tr.control[k].coefficient * base * (vf - tr.control[k].reference));
          tr.control_contribution[cell * K + k] = cc;
          nm += cc;
        }
        tr.noise[cell] = static_cast<float>(cfg.noise * base * rng.normal());
        A.non_media += nm;
      }

      // Spend over internal time (TV first, so Search can react to it).
      double tv_level = 1.0;  // TV's usual weekly spend in this region
      std::vector<double> local(U);
      for (int c = 0; c < C; ++c) {
        const double mult = std::exp(0.3 * rng.normal() - 0.045);
        const double sigma = spec[c].burst ? 0.2 : 0.12;
        const double lvl = spend_level[c] * size * mult;
        if (c == 0) tv_level = lvl;
        // How the plan differs between regions, as in real geo plans: local media run their own
        // flights, national flights are bought heavier in some regions than others, and always-on
        // budgets drift away from the national pattern for months at a time. Without this every
        // region would follow one national schedule and media would be hard to tell from season.
        const std::vector<double>* plan = &flight[c];
        if (spec[c].regional) {
          burst_flights(rng, local);
          plan = &local;
        }
        double weight = 1.0, deviation = 0.0;
        for (int u = 0; u < U; ++u) {
          const double fu = (*plan)[u];
          if (spec[c].burst && !spec[c].regional && (u == 0 || fu != (*plan)[u - 1]))
            weight = std::exp(0.35 * rng.normal() - 0.06125);
          if (!spec[c].burst) deviation = 0.85 * deviation + 0.12 * rng.normal();
          const double z = rng.normal();
          double s = fu > 0 ? fu * lvl * weight * std::exp(deviation + sigma * z - 0.5 * sigma * sigma) : 0.0;
          if (tv_search && c == 1) {
            search0[u] = s;
            // TV's adstocked spend relative to TV's usual level in this region.
            const double n = adstock_tv[u] / tv_level;
            s *= 1.0 + kTvSearchStrength * n;
          }
          spend_u[static_cast<size_t>(u) * C + c] = s;
        }
        if (tv_search && c == 0) {
          for (int u = 0; u < U; ++u) {
            double a = 0;
            for (int l = 0; l < kLags && l <= u; ++l) a += kernel[0][l] * spend_u[static_cast<size_t>(u - l) * C];
            adstock_tv[u] = a;
          }
        }
      }

      // Observed spend, impressions, adstock, Hill, unit effects.
      for (int c = 0; c < C; ++c) {
        const std::vector<double>& w = kernel[c];
        const double kr = k_per_size[c] * size;
        const double sl = spec[c].slope;
        const double cpm = spec[c].cpm;
        for (int t = 0; t < T; ++t) {
          const int u = t + kPre;
          const size_t idx = (static_cast<size_t>(r) * T + t) * C + c;
          const double s = spend_u[static_cast<size_t>(u) * C + c];
          const float sf = static_cast<float>(s);
          p.spend[idx] = sf;
          p.media[idx] = sf;
          A.spend[c] += sf;
          const double iz = rng.normal();
          const double impr = s / cpm * 1000.0 * std::exp(0.1 * iz - 0.005);
          A.impr[c] += static_cast<float>(impr);
          if (cfg.impressions) out.impressions[idx] = static_cast<float>(impr);
          double a = 0;
          for (int l = 0; l < kLags; ++l) a += w[l] * spend_u[static_cast<size_t>(u - l) * C + c];
          const double h = a > 0 ? 1.0 / (1.0 + std::exp(sl * std::log(kr / a))) : 0.0;
          const double scale = drift[static_cast<size_t>(c) * T + t] * base;
          const double unit = scale * h;
          tr.media_contribution[idx] = static_cast<float>(unit);
          A.unit[c] += static_cast<float>(unit);
          A.marg_unit[c] += scale * sl * h * (1.0 - h);
          if (tv_search && c == 1) {
            double a0 = 0;
            for (int l = 0; l < kLags; ++l) a0 += w[l] * search0[u - l];
            const double h0 = a0 > 0 ? 1.0 / (1.0 + std::exp(sl * std::log(kr / a0))) : 0.0;
            A.unit_indirect += scale * (h - h0);
            if (a > 0) A.marg_indirect += scale * sl * h * (1.0 - h) / a * (a - a0);
          }
        }
      }
    }
  });

  std::vector<double> sum_unit(C, 0.0), sum_marg_unit(C, 0.0), sum_spend(C, 0.0), sum_impr(C, 0.0);
  double sum_unit_indirect = 0, sum_marg_indirect = 0, non_media_total = 0;
  for (const Acc& x : acc) {
    for (int c = 0; c < C; ++c) {
      sum_unit[c] += x.unit[c];
      sum_marg_unit[c] += x.marg_unit[c];
      sum_spend[c] += x.spend[c];
      sum_impr[c] += x.impr[c];
    }
    sum_unit_indirect += x.unit_indirect;
    sum_marg_indirect += x.marg_indirect;
    non_media_total += x.non_media;
  }

  // ---- effect scales: media drives `media_share` of the KPI, split by contribution weights ----
  const double media_target = cfg.media_share / (1.0 - cfg.media_share) * non_media_total;
  std::vector<double> beta(C, 0.0);
  for (int c = 0; c < C; ++c) {
    const double target = media_target * spec[c].contrib_weight / contrib_w_sum;
    beta[c] = sum_unit[c] > 0 ? target / sum_unit[c] : 0.0;
    tr.channel[c].effect_scale = beta[c];
  }

  // ---- pass 2: contributions in KPI units and the KPI ----
  pool.run(chunking.chunks, [&](int chunk) {
    Acc& A = acc[chunk];
    const size_t cell_begin = static_cast<size_t>(chunking.begin(chunk)) * T;
    const size_t cell_end = static_cast<size_t>(chunking.end(chunk)) * T;
    for (size_t cell = cell_begin; cell < cell_end; ++cell) {
      double y = static_cast<double>(tr.baseline[cell]) + tr.seasonal[cell];
      for (int k = 0; k < K; ++k) {
        const float cc = tr.control_contribution[cell * K + k];
        y += cc;
        A.control[k] += cc;
        A.controls += cc;
      }
      double media = 0;
      for (int c = 0; c < C; ++c) {
        float& m = tr.media_contribution[cell * C + c];
        m = static_cast<float>(beta[c] * m);
        media += m;
        A.contrib[c] += m;
      }
      y += media + tr.noise[cell];
      p.kpi[cell] = static_cast<float>(y);
      A.kpi += y;
      A.media += media;
      A.baseline += tr.baseline[cell];
      A.seasonal += tr.seasonal[cell];
      A.noise += tr.noise[cell];
    }
  });
  std::vector<double> contrib_total(C, 0.0);
  for (const Acc& x : acc) {
    for (int c = 0; c < C; ++c) contrib_total[c] += x.contrib[c];
    for (int k = 0; k < K; ++k) tr.control[k].total_contribution += x.control[k];
    tr.total_kpi += x.kpi;
    tr.total_media += x.media;
    tr.total_baseline += x.baseline;
    tr.total_seasonal += x.seasonal;
    tr.total_controls += x.controls;
    tr.total_noise += x.noise;
  }
  double size_sum = 0;
  for (double s : tr.region_size) size_sum += s;
  for (int c = 0; c < C; ++c) {
    DemoChannelTruth& ch = tr.channel[c];
    ch.half_saturation = k_per_size[c] * size_sum;
    ch.total_spend = sum_spend[c];
    ch.total_impressions = sum_impr[c];
    ch.total_contribution = contrib_total[c];
    ch.share = tr.total_media > 0 ? contrib_total[c] / tr.total_media : 0.0;
    ch.roi = sum_spend[c] > 0 ? contrib_total[c] / sum_spend[c] : 0.0;
    ch.marginal_roi = sum_spend[c] > 0 ? beta[c] * sum_marg_unit[c] / sum_spend[c] : 0.0;
    ch.marginal_roi_with_indirect = ch.marginal_roi;
    tr.total_spend += sum_spend[c];
  }
  if (tv_search) {
    const double indirect = beta[1] * sum_unit_indirect;
    tr.channel[1].contribution_from_parents = indirect;
    tr.channel[0].indirect_contribution = indirect;
    if (sum_spend[0] > 0) tr.channel[0].marginal_roi_with_indirect += beta[1] * sum_marg_indirect / sum_spend[0];
    DemoEdge e;
    e.from = 0;
    e.to = 1;
    e.from_name = tr.channel[0].name;
    e.to_name = tr.channel[1].name;
    e.strength = kTvSearchStrength;
    e.indirect_contribution = indirect;
    e.description =
        "TV raises Search: Search spend and impressions are multiplied by (1 + 0.35 x TV adstocked spend / "
        "TV's usual weekly spend in the region). Search's contribution includes the part this lift causes "
        "(contribution_from_parents); the same amount is TV's indirect_contribution.";
    tr.edges.push_back(e);
  }
  tr.media_share = tr.total_kpi != 0 ? tr.total_media / tr.total_kpi : 0.0;
  return out;
}

}  // namespace mmm
