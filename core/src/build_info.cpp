#include "mmm/build_info.hpp"

#include <Eigen/Core>
#include <sstream>

#include "mmm/parallel.hpp"

#ifndef MMM_VERSION
#define MMM_VERSION "0.0.0"
#endif

namespace mmm {

BuildInfo build_info() {
  BuildInfo b;
  std::ostringstream eigen;
  eigen << EIGEN_WORLD_VERSION << '.' << EIGEN_MAJOR_VERSION << '.' << EIGEN_MINOR_VERSION;
  b.eigen_version = eigen.str();
  std::ostringstream cc;
#if defined(__clang__)
  cc << "clang " << __clang_major__ << '.' << __clang_minor__ << '.' << __clang_patchlevel__;
#elif defined(__GNUC__)
  cc << "gcc " << __GNUC__ << '.' << __GNUC_MINOR__ << '.' << __GNUC_PATCHLEVEL__;
#else
  cc << "unknown";
#endif
#if defined(__EMSCRIPTEN__)
  cc << " (emscripten " << __EMSCRIPTEN_major__ << '.' << __EMSCRIPTEN_minor__ << '.' << __EMSCRIPTEN_tiny__ << ')';
  b.target = "wasm";
#else
  b.target = "native";
#endif
  b.compiler = cc.str();
#if defined(__wasm_simd128__) || defined(__SSE2__) || defined(__ARM_NEON)
  b.simd = true;
#endif
  b.max_threads = max_threads();
  b.threads = b.max_threads > 1;
  b.version = MMM_VERSION;
  return b;
}

}  // namespace mmm
