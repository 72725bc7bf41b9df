// A small fixed-size worker pool for data-parallel loops over regions.
//
// Determinism rule: callers split work into a number of chunks that depends only on the problem
// size (never on the thread count), each chunk writes its own buffers, and the caller reduces the
// chunk buffers in chunk order. The pool only decides *who* runs a chunk, so results are
// bit-identical for any thread count.
//
// In a single-thread wasm build (no __EMSCRIPTEN_PTHREADS__) no thread is ever created: spawning a
// std::thread there aborts the module.
#pragma once
#include <functional>
#include <memory>

namespace mmm {

// Largest thread count this build may use (the Emscripten pthread pool size in wasm-mt, 1 in
// wasm-st, a generous cap natively). Asking for more is clamped to this.
int max_threads();

class ThreadPool {
 public:
  // Asks for `threads` threads (the caller counts as one). All pools share a budget of
  // max_threads(); a pool created while others hold threads may get fewer (see threads()).
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return threads_; }

  // Runs fn(chunk) for chunk in [0, chunks), spread over the pool; returns when all are done.
  // The calling thread takes part. fn must not throw across chunks it does not own: the first
  // exception is captured and rethrown here after every chunk has finished.
  void run(int chunks, const std::function<void(int)>& fn);

 private:
  struct Impl;
  int threads_ = 1;
  std::unique_ptr<Impl> impl_;
};

// The process-wide pool, created on first use and resized when a different thread count is
// asked for. Keeping one pool keeps worker threads warm and guarantees the wasm-mt build never
// holds more threads than its Emscripten pool. Not for concurrent use from several threads.
ThreadPool& shared_pool(int threads);

// Fixed chunking of n items: chunk i covers [begin, end). The chunk count depends only on n and
// the target chunk size, so it is the same for every thread count.
struct Chunking {
  int items;
  int chunks;
  int begin(int chunk) const { return static_cast<int>(static_cast<long long>(items) * chunk / chunks); }
  int end(int chunk) const { return static_cast<int>(static_cast<long long>(items) * (chunk + 1) / chunks); }
};
Chunking fixed_chunks(int items, int target_chunk_size);

}  // namespace mmm
