#include "mmm/dag.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "mmm/nn.hpp"

namespace mmm {
namespace dag {

template <class S>
void adjacency(int C, const S* logits, bool notears, double tau, S* A) {
  for (int i = 0; i < C; ++i)
    for (int j = 0; j < C; ++j)
      A[i * C + j] = mask_at(notears, i, j) ? nn::sigmoid(logits[i * C + j] / S(tau)) : S(0);
}

template <class S>
void adjacency_backward(int C, bool notears, double tau, const S* A, const S* dA, S* dlogits) {
  for (int i = 0; i < C; ++i)
    for (int j = 0; j < C; ++j)
      if (mask_at(notears, i, j)) {
        S a = A[i * C + j];
        dlogits[i * C + j] += dA[i * C + j] * a * (S(1) - a) / S(tau);
      }
}

template <class S>
void mix_forward(int N, int C, const S* h, const S* A, const S* mu, S* m) {
  MapR<S> mm(m, N, C);
  mm.noalias() = CMapR<S>(h, N, C) * CMapR<S>(A, C, C);
  for (int i = 0; i < N; ++i)
    for (int c = 0; c < C; ++c) {
      size_t k = static_cast<size_t>(i) * C + c;
      m[k] = (S(1) - mu[c]) * h[k] + mu[c] * m[k];
    }
}

template <class S>
void mix_backward(int N, int C, const S* h, const S* A, const S* mu, const S* dm, S* dh, S* dA, S* dmu) {
  MatR<S> P = CMapR<S>(h, N, C) * CMapR<S>(A, C, C);
  MatR<S> dP(N, C);
  for (int i = 0; i < N; ++i)
    for (int c = 0; c < C; ++c) {
      size_t k = static_cast<size_t>(i) * C + c;
      dmu[c] += dm[k] * (P(i, c) - h[k]);
      dP(i, c) = dm[k] * mu[c];
      dh[k] += dm[k] * (S(1) - mu[c]);
    }
  MapR<S>(dh, N, C).noalias() += dP * CMapR<S>(A, C, C).transpose();
  MapR<S>(dA, C, C).noalias() += CMapR<S>(h, N, C).transpose() * dP;
}

std::vector<double> expm(int C, const std::vector<double>& X) {
  using M = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  M A = Eigen::Map<const M>(X.data(), C, C);
  double norm = 0;
  for (int i = 0; i < C; ++i) norm = std::max(norm, A.row(i).cwiseAbs().sum());
  int s = 0;
  while (norm > 0.5 && s < 60) {
    norm *= 0.5;
    ++s;
  }
  A /= std::ldexp(1.0, s);
  M E = M::Identity(C, C), term = M::Identity(C, C);
  for (int k = 1; k <= 18; ++k) {
    term = (term * A) / static_cast<double>(k);
    E += term;
  }
  for (int i = 0; i < s; ++i) E = (E * E).eval();
  return std::vector<double>(E.data(), E.data() + static_cast<size_t>(C) * C);
}

double notears_h(int C, const double* W, double* grad) {
  std::vector<double> W2(static_cast<size_t>(C) * C);
  for (size_t k = 0; k < W2.size(); ++k) W2[k] = W[k] * W[k];
  std::vector<double> E = expm(C, W2);
  double tr = 0;
  for (int i = 0; i < C; ++i) tr += E[i * C + i];
  if (grad)
    for (int i = 0; i < C; ++i)
      for (int j = 0; j < C; ++j) grad[i * C + j] = E[j * C + i] * 2.0 * W[i * C + j];
  return tr - C;
}

template <class S>
double penalty(int C, const S* logits, const PenaltyConfig& cfg, double weight, S* dlogits) {
  const size_t CC = static_cast<size_t>(C) * C;
  std::vector<double> P(CC), A(CC), dA(CC, 0.0), dP(CC, 0.0), dth(CC, 0.0);
  for (int i = 0; i < C; ++i)
    for (int j = 0; j < C; ++j) {
      size_t k = static_cast<size_t>(i) * C + j;
      P[k] = nn::sigmoid(static_cast<double>(logits[k]) / cfg.tau);
      A[k] = mask_at(cfg.notears, i, j) ? P[k] : 0.0;
    }
  double value = 0;
  auto l1 = [&](double w) {
    for (size_t k = 0; k < CC; ++k) {
      double th = logits[k];
      value += w * std::fabs(th);
      dth[k] += w * (th > 0 ? 1.0 : (th < 0 ? -1.0 : 0.0));
    }
  };
  if (!cfg.notears) {
    for (size_t k = 0; k < CC; ++k) {
      value += 0.01 * A[k] + 0.001 * P[k] * (1 - P[k]);
      dA[k] += 0.01;
      dP[k] += 0.001 * (1 - 2 * P[k]);
    }
    l1(0.0002);
  } else {
    l1(1e-4);
    if (cfg.sem_weight > 0 && cfg.sem_gee && cfg.sem_gex && cfg.sem_gee->size() == CC && cfg.sem_gex->size() == CC) {
      const std::vector<double>& gee = *cfg.sem_gee;
      const std::vector<double>& gex = *cfg.sem_gex;
      const double sw = weight > 0 ? cfg.sem_weight / weight : 0.0;  // net factor sem_weight
      std::vector<double> ga(CC, 0.0);  // Gee A
      for (int i = 0; i < C; ++i)
        for (int k = 0; k < C; ++k) {
          const double g = gee[static_cast<size_t>(i) * C + k];
          for (int j = 0; j < C; ++j) ga[static_cast<size_t>(i) * C + j] += g * A[static_cast<size_t>(k) * C + j];
        }
      // 0.5 Σ_j (1 − 2 Σ_i A_ij Gex_ij + Σ_i A_ij (Gee A)_ij); d/dA_ij = (Gee A)_ij − Gex_ij.
      double v = 0.5 * C;
      for (size_t k = 0; k < CC; ++k) {
        v += A[k] * (0.5 * ga[k] - gex[k]);
        dA[k] += sw * (ga[k] - gex[k]);
      }
      value += sw * v;
    }
    if (cfg.active) {
      std::vector<double> gh(CC);
      double h = notears_h(C, A.data(), gh.data());
      const double lw = weight > 0 ? cfg.lagrangian_weight / weight : 0.0;  // net factor lagrangian_weight
      value += lw * (0.5 * cfg.rho * h * h + cfg.alpha * h);
      double coef = lw * (cfg.rho * h + cfg.alpha);
      for (size_t k = 0; k < CC; ++k) {
        value += cfg.lambda1 * A[k];
        dA[k] += coef * gh[k] + cfg.lambda1;
      }
      for (int j = 0; j < C; ++j) {
        double ss = 1e-8;
        for (int i = 0; i < C; ++i) ss += A[i * C + j] * A[i * C + j];
        double nrm = std::sqrt(ss);
        value += cfg.group_l1 * nrm;
        for (int i = 0; i < C; ++i) dA[i * C + j] += cfg.group_l1 * A[i * C + j] / nrm;
      }
    }
  }
  if (dlogits) {
    for (int i = 0; i < C; ++i)
      for (int j = 0; j < C; ++j) {
        size_t k = static_cast<size_t>(i) * C + j;
        double dsig = P[k] * (1 - P[k]) / cfg.tau;
        double g = dth[k] + dP[k] * dsig + (mask_at(cfg.notears, i, j) ? dA[k] * dsig : 0.0);
        dlogits[k] += static_cast<S>(weight * g);
      }
  }
  return weight * value;
}

SemStatistics sem_statistics(int R, int T, int C, int weeks, const float* x, double decay) {
  const size_t CC = static_cast<size_t>(C) * C;
  SemStatistics st;
  st.gee.assign(CC, 0.0);
  st.gex.assign(CC, 0.0);
  if (weeks < 3 || C < 2) return st;
  std::vector<double> xs(static_cast<size_t>(weeks) * C), es(static_cast<size_t>(weeks) * C);
  double n_total = 0;
  for (int r = 0; r < R; ++r) {
    // z-score spend and exposure of each channel within this region
    for (int c = 0; c < C; ++c) {
      double e = 0;
      for (int t = 0; t < weeks; ++t) {
        const double v = x[(static_cast<size_t>(r) * T + t) * C + c];
        e = v + decay * e;
        xs[static_cast<size_t>(t) * C + c] = v;
        es[static_cast<size_t>(t) * C + c] = e;
      }
      for (std::vector<double>* s : {&xs, &es}) {
        double m = 0, ss = 0;
        for (int t = 0; t < weeks; ++t) m += (*s)[static_cast<size_t>(t) * C + c];
        m /= weeks;
        for (int t = 0; t < weeks; ++t) {
          const double d = (*s)[static_cast<size_t>(t) * C + c] - m;
          ss += d * d;
        }
        const double sd = std::sqrt(ss / weeks);
        for (int t = 0; t < weeks; ++t) {
          double& v = (*s)[static_cast<size_t>(t) * C + c];
          v = sd > 1e-12 ? (v - m) / sd : 0.0;
        }
      }
    }
    for (int t = 0; t < weeks; ++t) {
      const double* xt = &xs[static_cast<size_t>(t) * C];
      const double* et = &es[static_cast<size_t>(t) * C];
      for (int i = 0; i < C; ++i)
        for (int k = 0; k < C; ++k) {
          st.gee[static_cast<size_t>(i) * C + k] += et[i] * et[k];
          st.gex[static_cast<size_t>(i) * C + k] += et[i] * xt[k];
        }
    }
    n_total += weeks;
  }
  for (size_t k = 0; k < CC; ++k) {
    st.gee[k] /= n_total;
    st.gex[k] /= n_total;
  }
  return st;
}

std::vector<float> prune(const std::vector<float>& A, float threshold) {
  std::vector<float> out(A);
  for (float& v : out)
    if (std::fabs(v) < threshold) v = 0.0f;
  return out;
}

namespace {
// Depth-first search for a cycle; fills `cycle` with its edges (i, j) when found.
bool find_cycle(int C, const std::vector<float>& A, std::vector<std::pair<int, int>>& cycle) {
  std::vector<int> state(C, 0), parent(C, -1);
  for (int s = 0; s < C; ++s) {
    if (state[s]) continue;
    std::vector<std::pair<int, int>> stack = {{s, 0}};
    state[s] = 1;
    while (!stack.empty()) {
      int u = stack.back().first;
      int& next = stack.back().second;
      if (next >= C) {
        state[u] = 2;
        stack.pop_back();
        continue;
      }
      int v = next++;
      if (v == u || A[static_cast<size_t>(u) * C + v] == 0.0f) continue;
      if (state[v] == 1) {  // back edge u -> v closes a cycle v -> ... -> u -> v
        cycle.clear();
        cycle.push_back({u, v});
        for (int w = u; w != v; w = parent[w]) cycle.push_back({parent[w], w});
        return true;
      }
      if (state[v] == 0) {
        state[v] = 1;
        parent[v] = u;
        stack.push_back({v, 0});
      }
    }
  }
  return false;
}
}  // namespace

int make_acyclic(int C, std::vector<float>& A) {
  int removed = 0;
  for (int i = 0; i < C; ++i)
    if (A[static_cast<size_t>(i) * C + i] != 0.0f) {
      A[static_cast<size_t>(i) * C + i] = 0.0f;
      ++removed;
    }
  std::vector<std::pair<int, int>> cycle;
  while (find_cycle(C, A, cycle)) {
    auto weakest = cycle[0];
    for (const auto& e : cycle)
      if (std::fabs(A[static_cast<size_t>(e.first) * C + e.second]) <
          std::fabs(A[static_cast<size_t>(weakest.first) * C + weakest.second]))
        weakest = e;
    A[static_cast<size_t>(weakest.first) * C + weakest.second] = 0.0f;
    ++removed;
  }
  return removed;
}

bool is_acyclic(int C, const std::vector<float>& A) {
  // Kahn's algorithm.
  std::vector<int> indeg(C, 0);
  for (int i = 0; i < C; ++i)
    for (int j = 0; j < C; ++j)
      if (i != j && A[static_cast<size_t>(i) * C + j] != 0.0f) indeg[j]++;
  std::vector<int> stack;
  for (int j = 0; j < C; ++j)
    if (indeg[j] == 0) stack.push_back(j);
  int seen = 0;
  while (!stack.empty()) {
    int i = stack.back();
    stack.pop_back();
    ++seen;
    for (int j = 0; j < C; ++j)
      if (i != j && A[static_cast<size_t>(i) * C + j] != 0.0f && --indeg[j] == 0) stack.push_back(j);
  }
  for (int i = 0; i < C; ++i)
    if (A[static_cast<size_t>(i) * C + i] != 0.0f) return false;
  return seen == C;
}

#define MMM_DAG_INST(S)                                                                        \
  template void adjacency<S>(int, const S*, bool, double, S*);                                 \
  template void adjacency_backward<S>(int, bool, double, const S*, const S*, S*);              \
  template void mix_forward<S>(int, int, const S*, const S*, const S*, S*);                    \
  template void mix_backward<S>(int, int, const S*, const S*, const S*, const S*, S*, S*, S*); \
  template double penalty<S>(int, const S*, const PenaltyConfig&, double, S*);
MMM_DAG_INST(float)
MMM_DAG_INST(double)
#undef MMM_DAG_INST

}  // namespace dag
}  // namespace mmm
