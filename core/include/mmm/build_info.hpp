// What this build of the core is: shown in the UI's status bar and asserted by tests.
#pragma once
#include <string>

namespace mmm {

struct BuildInfo {
  std::string eigen_version;  // "3.4.0"
  std::string compiler;       // e.g. "clang 14.0.6 (emscripten 3.1.6)" or "gcc 12.2.0"
  std::string target;         // "wasm" or "native"
  bool simd = false;          // wasm SIMD128 (wasm) or SSE2+/NEON vectorisation (native)
  bool threads = false;       // this build can run worker threads
  int max_threads = 1;        // upper bound on the pool (Emscripten PTHREAD_POOL_SIZE in wasm-mt)
  std::string version;        // core version
};

BuildInfo build_info();

}  // namespace mmm
