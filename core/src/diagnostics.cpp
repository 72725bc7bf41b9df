#include "mmm/diagnostics.hpp"

#include <algorithm>
#include <mutex>
#include <new>
#include <set>
#include <stdexcept>
#include <vector>

#include "mmm/errors.hpp"
#include "mmm/parallel.hpp"

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#include <chrono>
#include <thread>
#define MMM_THREAD_ID() std::this_thread::get_id()
// Each chunk pauses briefly so idle workers get a chance to pick chunks up: the check is meant
// to show that several threads really run, not to be fast.
#define MMM_CHUNK_PAUSE() std::this_thread::sleep_for(std::chrono::microseconds(300))
#else
#define MMM_THREAD_ID() 0
#define MMM_CHUNK_PAUSE()
#endif

namespace mmm {

ThreadCheck threaded_sum(long long n, int threads) {
  if (n < 0) throw InvalidConfig("threaded_sum: n is " + std::to_string(n) + "; must be >= 0");
  ThreadPool& pool = shared_pool(threads);
  const int chunks = 64;
  std::vector<double> partial(chunks, 0.0);
  std::mutex m;
  std::set<decltype(MMM_THREAD_ID())> ids;
  pool.run(chunks, [&](int c) {
    long long b = n * c / chunks, e = n * (c + 1) / chunks;
    double s = 0;
    for (long long i = b; i < e; ++i) s += static_cast<double>(i);
    partial[c] = s;
    MMM_CHUNK_PAUSE();
    std::lock_guard<std::mutex> lock(m);
    ids.insert(MMM_THREAD_ID());
  });
  ThreadCheck r;
  for (double p : partial) r.sum += p;
  r.threads = pool.threads();
  r.distinct_workers = static_cast<int>(ids.size());
  return r;
}

namespace {
struct NotAStdException {};
}  // namespace

void raise_for_test(const std::string& kind) {
  if (kind == "invalid-data") throw InvalidData("test: column 'tv_spend' row 7 is negative (-3)");
  if (kind == "invalid-config") throw InvalidConfig("test: hidden is 0; allowed 4..1024");
  if (kind == "numeric") throw NumericFailure("test: loss became NaN at epoch 3");
  if (kind == "std") throw std::runtime_error("test: a std::runtime_error from the core");
  if (kind == "bad-alloc") throw std::bad_alloc();
  if (kind == "unknown") throw NotAStdException{};
  throw InvalidConfig("raise_for_test: unknown kind '" + kind +
                      "'; use invalid-data, invalid-config, numeric, std, bad-alloc or unknown");
}

}  // namespace mmm
