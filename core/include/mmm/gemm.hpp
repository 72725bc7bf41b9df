// Matrix products for the network kernels (nn.cpp), written by hand because Eigen 3.4 has no
// WebAssembly SIMD backend: in the wasm build its products reach only what clang auto-vectorises
// (~20 GFLOP/s on the GRU's shapes), this kernel ~45 with -msimd128; natively it is within ~10% of
// Eigen's SSE2 products. One kernel serves both builds (see gemm.cpp).
//
// All matrices are row-major with a leading dimension (elements between the starts of two rows), so a
// column block of a wider matrix is passed as a pointer to its first element plus the wider stride.
// Every output element is summed in ascending k, one multiply and one add per term, starting from
// C (accumulate) or from 0: the result equals the plain triple loop bit for bit (the builds here do
// not emit fused multiply-adds), whatever the blocking, the SIMD width or the thread that runs it.
#pragma once

namespace mmm {
namespace gemm {

// C[M x N] = A[M x K] B[K x N], or C += A B when accumulate.
template <class S>
void ab(int M, int N, int K, const S* A, int lda, const S* B, int ldb, S* C, int ldc, bool accumulate);

// C[M x N] = A^T B (or +=), with A stored as [K x M].
template <class S>
void atb(int M, int N, int K, const S* A, int lda, const S* B, int ldb, S* C, int ldc, bool accumulate);

// C[M x N] = A B^T (or +=), with B stored as [N x K]. Transposes B into a temporary first, so
// in a loop over the same B, transpose once outside the loop and call ab() instead.
template <class S>
void abt(int M, int N, int K, const S* A, int lda, const S* B, int ldb, S* C, int ldc, bool accumulate);

}  // namespace gemm
}  // namespace mmm
