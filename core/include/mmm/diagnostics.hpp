// Small self-checks exposed through the boundary so tests (and users) can verify the build:
// a threaded reduction that proves the pool runs, and a deliberate failure of each error kind.
#pragma once
#include <string>

namespace mmm {

struct ThreadCheck {
  double sum = 0;    // sum of 0..n-1, computed in fixed chunks
  int threads = 1;   // pool size actually used
  int distinct_workers = 1;  // how many different OS threads ran chunks
};

// Sums 0..n-1 over a pool of `threads` threads (clamped to max_threads()).
ThreadCheck threaded_sum(long long n, int threads);

// Throws the error named by kind: "invalid-data", "invalid-config", "numeric", "std", "bad-alloc",
// "unknown" (a non-std exception). Used to prove errors cross the boundary without aborting.
[[noreturn]] void raise_for_test(const std::string& kind);

}  // namespace mmm
