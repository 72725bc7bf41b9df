#include "mmm/gemm.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

// GCC/Clang vector extensions give one source for both builds: 16-byte vectors become SSE2 natively
// and simd128 in wasm (-msimd128), with no platform header.
#if !defined(__GNUC__)
#error "gemm.cpp needs GCC/Clang vector extensions"
#endif

namespace mmm {
namespace gemm {
namespace {

using Index = std::ptrdiff_t;

template <class S>
struct Vec {
  typedef S type __attribute__((vector_size(16)));
};
template <class S>
using V = typename Vec<S>::type;
template <class S>
constexpr int kLanes = 16 / sizeof(S);

template <class S>
inline V<S> load(const S* p) {  // unaligned
  V<S> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class S>
inline void store(S* p, V<S> v) {
  std::memcpy(p, &v, sizeof v);
}
// Spelled out per type: the generic `V{} + x` is not a plain broadcast (0 + -0 is +0), so the
// compiler keeps an extra add and shuffle in the inner loop.
inline V<float> splat(float x) { return V<float>{x, x, x, x}; }
inline V<double> splat(double x) { return V<double>{x, x}; }

// Register tile: MR rows x NV vectors of C, updated with one row of B and MR broadcast elements of A
// per k. 4 x 2 vectors = 8 accumulators + 3 temporaries fits the 16 SIMD registers V8 and SSE2 have
// (6 x 2 and 4 x 3 spill in V8 and were slower). A is read through strides (element (i, k) at
// A[i*rsa + k*csa]), which covers both A and A^T without packing; the operands of the products here
// (one chunk of the GRU, <= 2k rows) stay in cache, and packing Wh again at every week cost more
// than it saved. Pointers are advanced by hand: Emscripten runs LLVM with loop strength reduction
// disabled, and per-iteration multiplies cost ~40% in V8. Kept out of line: inlined into atb(),
// where the row stride is the constant 1, GCC spilled an accumulator to the stack (half speed).
template <class S, int MR, int NV>
__attribute__((noinline)) void tile(int K, const S* A, Index rsa, Index csa, const S* B, Index ldb, S* C,
                                    Index ldc, bool acc) {
  constexpr int L = kLanes<S>;
  V<S> c[MR][NV];
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < NV; ++v) c[i][v] = acc ? load(C + i * ldc + v * L) : V<S>{};
  const S* a = A;
  const S* b = B;
#if !defined(__wasm__)  // unrolling by 2 gains ~5% with SSE2 but costs ~30% in V8 (register spills)
#pragma GCC unroll 2
#endif
  for (int k = 0; k < K; ++k, a += csa, b += ldb) {
    V<S> bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = load(b + v * L);
    for (int i = 0; i < MR; ++i) {
      const V<S> av = splat(a[i * rsa]);
      for (int v = 0; v < NV; ++v) c[i][v] += av * bv[v];
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < NV; ++v) store(C + i * ldc + v * L, c[i][v]);
}

constexpr int kMR = 4;

// All rows of one column panel: full tiles, then one narrower tile for the last M % 4 rows.
template <class S, int NV>
void panel(int M, int K, const S* A, Index rsa, Index csa, const S* B, Index ldb, S* C, Index ldc, bool acc) {
  int i = 0;
  for (; i + kMR <= M; i += kMR) tile<S, kMR, NV>(K, A + i * rsa, rsa, csa, B, ldb, C + i * ldc, ldc, acc);
  const S* a = A + i * rsa;
  S* c = C + i * ldc;
  switch (M - i) {
    case 3: tile<S, 3, NV>(K, a, rsa, csa, B, ldb, c, ldc, acc); break;
    case 2: tile<S, 2, NV>(K, a, rsa, csa, B, ldb, c, ldc, acc); break;
    case 1: tile<S, 1, NV>(K, a, rsa, csa, B, ldb, c, ldc, acc); break;
    default: break;
  }
}

// C[M x N] (+)= A B with A element (i, k) at A[i*rsa + k*csa].
// Cache blocking: K in near-equal slices of <= 256 (a slice of B's column panel stays in L1 while
// every row block of A passes over it; 512 was ~15% slower for the long-K weight gradients), M in
// blocks of 96 rows (A's block stays in L2 while the panels of B pass). Each slice continues the
// sums of the previous one in C, so the blocking does not change the order of any sum.
template <class S>
void strided(int M, int N, int K, const S* A, Index rsa, Index csa, const S* B, Index ldb, S* C, Index ldc,
             bool acc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!acc)
      for (int i = 0; i < M; ++i) std::fill(C + i * ldc, C + i * ldc + N, S(0));
    return;
  }
  constexpr int L = kLanes<S>, KC = 256, MC = 96;
  const int slices = (K + KC - 1) / KC;
  for (int p = 0; p < slices; ++p) {
    const int k0 = static_cast<int>(static_cast<long long>(K) * p / slices);
    const int kc = static_cast<int>(static_cast<long long>(K) * (p + 1) / slices) - k0;
    const bool acc_p = acc || p > 0;
    for (int i0 = 0; i0 < M; i0 += MC) {
      const int mc = std::min(MC, M - i0);
      const S* a = A + i0 * rsa + k0 * csa;
      const S* b = B + k0 * ldb;
      S* c = C + i0 * ldc;
      int j = 0;
      for (; j + 2 * L <= N; j += 2 * L) panel<S, 2>(mc, kc, a, rsa, csa, b + j, ldb, c + j, ldc, acc_p);
      for (; j + L <= N; j += L) panel<S, 1>(mc, kc, a, rsa, csa, b + j, ldb, c + j, ldc, acc_p);
      for (; j < N; ++j)  // last N % L columns, same order of operations as the vector lanes
        for (int i = 0; i < mc; ++i) {
          S s = acc_p ? c[i * ldc + j] : S(0);
          for (int k = 0; k < kc; ++k) s += a[i * rsa + k * csa] * b[k * ldb + j];
          c[i * ldc + j] = s;
        }
    }
  }
}

}  // namespace

template <class S>
void ab(int M, int N, int K, const S* A, int lda, const S* B, int ldb, S* C, int ldc, bool accumulate) {
  strided<S>(M, N, K, A, lda, 1, B, ldb, C, ldc, accumulate);
}

template <class S>
void atb(int M, int N, int K, const S* A, int lda, const S* B, int ldb, S* C, int ldc, bool accumulate) {
  strided<S>(M, N, K, A, 1, lda, B, ldb, C, ldc, accumulate);
}

template <class S>
void abt(int M, int N, int K, const S* A, int lda, const S* B, int ldb, S* C, int ldc, bool accumulate) {
  std::vector<S> bt(static_cast<size_t>(K) * N);
  for (int j = 0; j < N; ++j)
    for (int k = 0; k < K; ++k) bt[static_cast<size_t>(k) * N + j] = B[static_cast<Index>(j) * ldb + k];
  strided<S>(M, N, K, A, lda, 1, bt.data(), N, C, ldc, accumulate);
}

#define MMM_GEMM_INST(S)                                                            \
  template void ab<S>(int, int, int, const S*, int, const S*, int, S*, int, bool);  \
  template void atb<S>(int, int, int, const S*, int, const S*, int, S*, int, bool); \
  template void abt<S>(int, int, int, const S*, int, const S*, int, S*, int, bool);
MMM_GEMM_INST(float)
MMM_GEMM_INST(double)
#undef MMM_GEMM_INST

}  // namespace gemm
}  // namespace mmm
