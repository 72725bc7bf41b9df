// Step-wise trainer: the single-thread wasm worker calls run() in slices so it regains control
// between them (to see a Cancel message); native callers can use fit() in fit.hpp.
//
// Pipeline: temporal split (last holdout weeks never seen), validation slice carved from the end
// of the training weeks (early stopping + best-weights restore watch it, never the holdout),
// scaling fitted on training weeks, data-driven initialisation (ridge), warm start with static
// coefficients, then AdamW with warm-up + cosine LR, clipping and NOTEARS dual updates.
// Regions are processed in fixed chunks on the ThreadPool with per-chunk gradient buffers reduced
// in chunk order, so results are bit-identical for any thread count.
#pragma once
#include <memory>
#include <vector>

#include "mmm/fit.hpp"

namespace mmm {

class Trainer {
 public:
  // Validates panel and config (throws InvalidData / InvalidConfig) and initialises the model.
  Trainer(const Panel& panel, const FitConfig& config);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Runs up to max_epochs epochs (<= 0: no limit) or until max_seconds have passed (<= 0: no
  // limit), whichever comes first, always at least one epoch unless finished. Returns true when
  // training is finished. Throws Cancelled if cancel() was called.
  bool run(int max_epochs, double max_seconds);
  bool finished() const;
  const std::vector<EpochReport>& history() const;
  int total_epochs() const;
  // Builds the result (restoring the best validation weights). Call once, after run() returned
  // true; calling it earlier ends training at the current epoch.
  FitResult finish();
  // Thread-safe; the next run() or finish() throws Cancelled.
  void cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mmm
