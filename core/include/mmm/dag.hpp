// DAG channel mixing and its acyclicity machinery.
//
//   A = sigmoid(theta_A / tau) ⊙ M      (M: strict upper triangle in "triangular" mode — the channel
//                                         order guarantees acyclicity — or all-ones minus identity
//                                         in "notears" mode, where acyclicity is a penalty)
//   p = h A   (column j of A weights the parents of channel j)
//   m_j = (1 - mu_j) h_j + mu_j p_j,   mu_j = sigmoid(theta_mu_j)
//
// NOTEARS: h(W) = tr(exp(W ⊙ W)) - C, with gradient dh/dW = exp(W ⊙ W)^T ⊙ 2W, inside an augmented
// Lagrangian  0.5 rho h^2 + alpha h  whose duals (alpha, rho) the trainer updates.
//
// NOTEARS data term: NOTEARS learns a graph from how the variables themselves co-move (least
// squares X ≈ X W). The prediction loss alone cannot find "TV raises Search spend": that link is in
// the media plan, not in the KPI. So in NOTEARS mode A is also fitted as a linear structural model
// of the plan: each channel's spend (z-scored within its region) regressed on the other channels'
// exposure (their spend through a fixed geometric adstock, z-scored), because a channel reacts to
// what the others have been doing lately, e.g. search demand to accumulated TV exposure:
//   L_sem(A) = 0.5 Σ_j E[(x_j − Σ_i A_ij e_i)²] = 0.5 Σ_j (1 − 2 Σ_i A_ij Gex_ij + Σ_ik A_ij A_kj Gee_ik)
// with Gex = E[e xᵀ] and Gee = E[e eᵀ] computed once from the training weeks (sem_statistics).
#pragma once
#include <vector>

namespace mmm {
namespace dag {

inline bool mask_at(bool notears, int i, int j) { return notears ? i != j : i < j; }

template <class S>
void adjacency(int C, const S* logits, bool notears, double tau, S* A);
// dlogits += dA ⊙ M ⊙ A(1-A)/tau
template <class S>
void adjacency_backward(int C, bool notears, double tau, const S* A, const S* dA, S* dlogits);

// m = (1 - mu) h + mu (h A), h, m [N][C]; mu holds sigmoid values.
template <class S>
void mix_forward(int N, int C, const S* h, const S* A, const S* mu, S* m);
// Accumulates dh (+=), dA (+=), dmu (+=, w.r.t. the sigmoid values).
template <class S>
void mix_backward(int N, int C, const S* h, const S* A, const S* mu, const S* dm, S* dh, S* dA, S* dmu);

// exp(X) for a small dense matrix (scaling and squaring with a Taylor series), row-major [C][C].
std::vector<double> expm(int C, const std::vector<double>& X);

// h(W) = tr(exp(W ⊙ W)) - C; when grad is non-null it receives dh/dW [C][C].
double notears_h(int C, const double* W, double* grad);

// The DAG regulariser on the logits (before the trainer's dag_weight multiplier).
//   triangular: 0.01 ΣA + 0.001 Σ P(1-P) + 0.0002 Σ|θ|   (P = sigmoid(θ/τ) on all entries)
//   notears:    1e-4 Σ|θ| + [active] (0.5 ρ h² + α h + λ1 ΣA + λg Σ_j ||A_·j||₂)
struct PenaltyConfig {
  bool notears = false;
  double tau = 0.5;
  bool active = false;  // NOTEARS augmented-Lagrangian terms switched on (after warm-up)
  double rho = 1.0;
  double alpha = 0.0;
  double lambda1 = 0.005;
  double group_l1 = 0.01;
  // Multiplier of 0.5 rho h^2 + alpha h. The reference scales the whole NOTEARS penalty by
  // dag_weight (0.008), which leaves the acyclicity constraint too weak to matter (on the
  // reference-sized demo panel 147 of 156 edges stayed above the display threshold); the
  // constraint terms therefore get their own weight (the trainer uses 1).
  double lagrangian_weight = 1.0;
  // NOTEARS data term (see the top of this file): its weight and the statistics ([C][C] each,
  // row i = the exposure of channel i); unused when sem_weight is 0 or the statistics are empty.
  double sem_weight = 0.0;
  const std::vector<double>* sem_gee = nullptr;
  const std::vector<double>* sem_gex = nullptr;
};

// Gee and Gex of the NOTEARS data term from scaled media x [R][T][C] (region-major), over weeks
// [0, weeks), exposure decay `decay`. Regions where a channel never varies contribute zeros for it.
struct SemStatistics {
  std::vector<double> gee, gex;  // [C][C]
};
SemStatistics sem_statistics(int regions, int total_weeks, int channels, int weeks, const float* x, double decay);
// Returns the penalty value; dlogits (may be null) accumulates its gradient times `weight`.
template <class S>
double penalty(int C, const S* logits, const PenaltyConfig& cfg, double weight, S* dlogits);

// Edges below `threshold` set to zero (for display and export).
std::vector<float> prune(const std::vector<float>& A, float threshold);
// Removes, while the graph has a cycle, the weakest edge that lies on a cycle. Returns the number of
// edges removed; afterwards is_acyclic(A) holds.
int make_acyclic(int C, std::vector<float>& A);
// True when the directed graph with an edge i->j wherever A[i][j] != 0 has no cycle.
bool is_acyclic(int C, const std::vector<float>& A);

}  // namespace dag
}  // namespace mmm
