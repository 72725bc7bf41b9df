#include "mmm/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#define MMM_HAVE_THREADS 1
#include <condition_variable>
#include <thread>
#include <vector>
#else
#define MMM_HAVE_THREADS 0
#endif

#ifndef MMM_PTHREAD_POOL_SIZE
#define MMM_PTHREAD_POOL_SIZE 4
#endif

namespace mmm {

int max_threads() {
#if !MMM_HAVE_THREADS
  return 1;
#elif defined(__EMSCRIPTEN__)
  // Joining more threads than the Emscripten pool holds deadlocks; the pool size is baked in at
  // link time and passed down as a define. One slot stays free for the caller's thread.
  return MMM_PTHREAD_POOL_SIZE;
#else
  return 16;
#endif
}

ThreadPool& shared_pool(int threads) {
  static std::unique_ptr<ThreadPool> pool;
  int wanted = std::clamp(threads, 1, max_threads());
  if (!pool || pool->threads() != wanted) {
    pool.reset();  // join the old workers first so the thread budget is never exceeded
    pool = std::make_unique<ThreadPool>(wanted);
  }
  return *pool;
}

Chunking fixed_chunks(int items, int target_chunk_size) {
  int chunks = std::max(1, (items + std::max(1, target_chunk_size) - 1) / std::max(1, target_chunk_size));
  chunks = std::min(chunks, std::max(1, items));
  return Chunking{items, chunks};
}

#if MMM_HAVE_THREADS

struct ThreadPool::Impl {
  std::vector<std::thread> workers;
  std::mutex mutex;
  std::condition_variable wake;
  std::condition_variable done;
  const std::function<void(int)>* job = nullptr;
  int chunks = 0;
  std::atomic<int> next{0};
  int active = 0;          // workers still inside the current job
  unsigned generation = 0; // bumps once per run() so sleeping workers see new work
  bool stop = false;
  std::exception_ptr error;
  std::mutex error_mutex;

  void work_on_current_job() {
    for (;;) {
      int c = next.fetch_add(1);
      if (c >= chunks) break;
      try {
        (*job)(c);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  }

  void worker_loop() {
    unsigned seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return stop || generation != seen; });
        if (stop) return;
        seen = generation;
      }
      work_on_current_job();
      std::lock_guard<std::mutex> lock(mutex);
      if (--active == 0) done.notify_one();
    }
  }
};

namespace {
// Worker threads alive across all pools. In wasm-mt every std::thread takes a slot of the fixed
// Emscripten pool, and asking for more than it holds aborts, so pools share one budget:
// a pool created while others are alive gets fewer workers (results do not change, since the
// chunking never depends on the thread count).
std::atomic<int> live_workers{0};

int reserve_workers(int wanted) {
  const int budget = max_threads() - 1;
  int live = live_workers.load();
  for (;;) {
    int granted = std::max(0, std::min(wanted, budget - live));
    if (live_workers.compare_exchange_weak(live, live + granted)) return granted;
  }
}
}  // namespace

ThreadPool::ThreadPool(int threads) : impl_(new Impl) {
  const int workers = reserve_workers(std::clamp(threads, 1, max_threads()) - 1);
  threads_ = workers + 1;
  for (int i = 0; i < workers; ++i) impl_->workers.emplace_back([this] { impl_->worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stop = true;
  }
  impl_->wake.notify_all();
  for (auto& w : impl_->workers) w.join();
  live_workers -= static_cast<int>(impl_->workers.size());
}

void ThreadPool::run(int chunks, const std::function<void(int)>& fn) {
  if (chunks <= 0) return;
  Impl& s = *impl_;
  s.error = nullptr;
  if (threads_ == 1 || chunks == 1) {
    for (int c = 0; c < chunks; ++c) fn(c);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.job = &fn;
    s.chunks = chunks;
    s.next = 0;
    s.active = static_cast<int>(s.workers.size());
    ++s.generation;
  }
  s.wake.notify_all();
  s.work_on_current_job();
  {
    std::unique_lock<std::mutex> lock(s.mutex);
    s.done.wait(lock, [&] { return s.active == 0; });
    s.job = nullptr;
  }
  if (s.error) std::rethrow_exception(s.error);
}

#else  // single-thread wasm: no std::thread anywhere

struct ThreadPool::Impl {};
ThreadPool::ThreadPool(int) : threads_(1), impl_(new Impl) {}
ThreadPool::~ThreadPool() = default;
void ThreadPool::run(int chunks, const std::function<void(int)>& fn) {
  for (int c = 0; c < chunks; ++c) fn(c);
}

#endif

}  // namespace mmm
