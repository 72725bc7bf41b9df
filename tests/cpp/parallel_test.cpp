#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>
#include <vector>

#include "mmm/parallel.hpp"

namespace {

// Chunked float sum: each chunk sums its range, chunk sums are reduced in chunk order.
float chunked_sum(const std::vector<float>& v, int threads) {
  mmm::ThreadPool pool(threads);
  mmm::Chunking ch = mmm::fixed_chunks(static_cast<int>(v.size()), 1000);
  std::vector<float> partial(ch.chunks, 0.0f);
  pool.run(ch.chunks, [&](int c) {
    float s = 0.0f;
    for (int i = ch.begin(c); i < ch.end(c); ++i) s += v[i];
    partial[c] = s;
  });
  float total = 0.0f;
  for (float p : partial) total += p;
  return total;
}

}  // namespace

TEST(ThreadPool, SameBitsForAnyThreadCount) {
  std::vector<float> v(100003);
  for (size_t i = 0; i < v.size(); ++i) v[i] = 1.0f / static_cast<float>(i + 1);
  float one = chunked_sum(v, 1);
  EXPECT_EQ(one, chunked_sum(v, 2));
  EXPECT_EQ(one, chunked_sum(v, 4));
}

TEST(ThreadPool, RunsEveryChunkExactlyOnce) {
  mmm::ThreadPool pool(4);
  std::vector<int> hits(257, 0);
  for (int rep = 0; rep < 50; ++rep) pool.run(257, [&](int c) { hits[c]++; });
  for (int h : hits) EXPECT_EQ(h, 50);
}

TEST(ThreadPool, RethrowsFirstExceptionAfterAllChunks) {
  mmm::ThreadPool pool(3);
  std::vector<int> hits(20, 0);
  EXPECT_THROW(pool.run(20,
                        [&](int c) {
                          hits[c] = 1;
                          if (c == 7) throw std::runtime_error("chunk 7");
                        }),
               std::runtime_error);
  EXPECT_EQ(std::accumulate(hits.begin(), hits.end(), 0), 20);
}

TEST(ThreadPool, ClampsToBuildMaximum) {
  mmm::ThreadPool pool(1000);
  EXPECT_LE(pool.threads(), mmm::max_threads());
  EXPECT_GE(pool.threads(), 1);
}

TEST(FixedChunks, DependOnlyOnSize) {
  mmm::Chunking ch = mmm::fixed_chunks(190, 16);
  EXPECT_EQ(ch.chunks, 12);
  EXPECT_EQ(ch.begin(0), 0);
  EXPECT_EQ(ch.end(ch.chunks - 1), 190);
  for (int c = 1; c < ch.chunks; ++c) EXPECT_EQ(ch.begin(c), ch.end(c - 1));
  EXPECT_EQ(mmm::fixed_chunks(3, 16).chunks, 1);
}

TEST(ThreadPool, PoolsShareTheThreadBudget) {
  mmm::ThreadPool a(mmm::max_threads());
  EXPECT_EQ(a.threads(), mmm::max_threads());
  // Every worker slot is taken: a second pool runs on the caller's thread alone, correctly.
  mmm::ThreadPool b(4);
  EXPECT_EQ(b.threads(), 1);
  std::vector<int> hits(10, 0);
  b.run(10, [&](int c) { hits[c]++; });
  for (int h : hits) EXPECT_EQ(h, 1);
}

TEST(ThreadPool, BudgetIsReturnedWhenAPoolEnds) {
  { mmm::ThreadPool a(mmm::max_threads()); }
  mmm::ThreadPool b(3);
  EXPECT_EQ(b.threads(), std::min(3, mmm::max_threads()));
}
