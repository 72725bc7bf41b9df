#include "mmm/fit_io.hpp"

#include <string>

#include "mmm/byte_io.hpp"
#include "mmm/errors.hpp"

namespace mmm {
namespace {

constexpr uint32_t kFitMagic = 0x52464D4Du;  // "MMFR" little-endian

void write_metrics(ByteWriter& w, const Metrics& m) {
  for (double x : {m.r2, m.r2_within, m.rmse, m.mae, m.wape, m.rel_error, m.r2_region_median, m.mean_y,
                   m.skill.recent_mean, m.skill.seasonal_naive})
    w.f64(x);
  w.b(m.skill.recent_available);
  w.b(m.skill.seasonal_available);
  w.i32(m.r2_regions);
  w.u64(static_cast<uint64_t>(m.n));
}

Metrics read_metrics(ByteReader& r) {
  Metrics m;
  for (double* x : {&m.r2, &m.r2_within, &m.rmse, &m.mae, &m.wape, &m.rel_error, &m.r2_region_median, &m.mean_y,
                    &m.skill.recent_mean, &m.skill.seasonal_naive})
    *x = r.f64();
  m.skill.recent_available = r.b();
  m.skill.seasonal_available = r.b();
  m.r2_regions = r.i32();
  m.n = static_cast<long>(r.u64());
  return m;
}

void write_epoch(ByteWriter& w, const EpochReport& e) {
  w.i32(e.epoch);
  w.i32(e.total_epochs);
  w.b(e.warm_start);
  w.b(e.refit);
  for (double x : {e.train_loss, e.val_loss, e.train_r2, e.val_r2, e.learning_rate, e.grad_norm, e.elapsed_seconds}) w.f64(x);
}

EpochReport read_epoch(ByteReader& r) {
  EpochReport e;
  e.epoch = r.i32();
  e.total_epochs = r.i32();
  e.warm_start = r.b();
  e.refit = r.b();
  for (double* x : {&e.train_loss, &e.val_loss, &e.train_r2, &e.val_r2, &e.learning_rate, &e.grad_norm, &e.elapsed_seconds})
    *x = r.f64();
  return e;
}

std::vector<uint8_t> bytes_of(ByteReader& r) {
  size_t n = r.count(1);
  std::vector<uint8_t> v(n);
  for (auto& x : v) x = r.u8();
  return v;
}

}  // namespace

std::vector<uint8_t> serialize_fit_result(const FitResult& f) {
  ByteWriter w;
  w.u32(kFitMagic);
  w.u32(kFitResultVersion);
  std::vector<uint8_t> model = f.model.serialize();
  w.u64(model.size());
  w.out.insert(w.out.end(), model.begin(), model.end());
  write_metrics(w, f.train);
  write_metrics(w, f.validation);
  write_metrics(w, f.holdout);
  w.i32(f.epochs_run);
  w.i32(f.best_epoch);
  w.b(f.refit);
  w.f64(f.fit_seconds);
  w.u64(f.history.size());
  for (const EpochReport& e : f.history) write_epoch(w, e);
  for (int x : {f.train_weeks, f.validation_weeks, f.holdout_weeks, f.burn_in_weeks}) w.i32(x);
  w.vf(f.dag_adjacency);
  w.vf(f.dag_adjacency_pruned);
  w.b(f.dag_acyclic);
  w.vf(f.adstock_decay);
  w.vf(f.hill_slope);
  w.vf(f.hill_half_saturation);
  w.f64(f.media_share);
  w.vf(f.scaled_media);
  w.vf(f.scaled_controls);
  w.vf(f.scaled_kpi);
  return w.out;
}

FitResult deserialize_fit_result(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes, "fit result bytes");
  if (bytes.size() < 8 || r.u32() != kFitMagic) throw InvalidData("these bytes are not a fitted model (the MMFR signature is missing)");
  uint32_t version = r.u32();
  if (version > kFitResultVersion)
    throw InvalidData("the fitted model uses format version " + std::to_string(version) + ", newer than this app reads (" +
                      std::to_string(kFitResultVersion) + "); update MMM Studio to open it");
  if (version < 1) throw InvalidData("the fitted model has an invalid format version 0");
  FitResult f;
  f.model = FittedModel::deserialize(bytes_of(r));
  f.train = read_metrics(r);
  f.validation = read_metrics(r);
  f.holdout = read_metrics(r);
  f.epochs_run = r.i32();
  f.best_epoch = r.i32();
  f.refit = r.b();
  f.fit_seconds = r.f64();
  size_t epochs = r.count(8);
  f.history.reserve(epochs);
  for (size_t i = 0; i < epochs; ++i) f.history.push_back(read_epoch(r));
  for (int* x : {&f.train_weeks, &f.validation_weeks, &f.holdout_weeks, &f.burn_in_weeks}) *x = r.i32();
  f.dag_adjacency = r.vf();
  f.dag_adjacency_pruned = r.vf();
  f.dag_acyclic = r.b();
  f.adstock_decay = r.vf();
  f.hill_slope = r.vf();
  f.hill_half_saturation = r.vf();
  f.media_share = r.f64();
  f.scaled_media = r.vf();
  f.scaled_controls = r.vf();
  f.scaled_kpi = r.vf();
  if (!r.at_end()) throw InvalidData("fit result bytes continue past their last field; the data is corrupt");
  return f;
}

}  // namespace mmm
