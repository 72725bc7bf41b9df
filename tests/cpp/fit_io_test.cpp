#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "mmm/demo.hpp"
#include "mmm/errors.hpp"
#include "mmm/fit_io.hpp"

namespace {

mmm::FitResult small_fit() {
  mmm::DemoConfig dc;
  dc.regions = 5;
  dc.weeks = 70;
  dc.channels = 3;
  dc.seed = 9;
  mmm::FitConfig cfg;
  cfg.hidden = 8;
  cfg.epochs = 15;
  cfg.warm_start_epochs = 5;
  return mmm::fit(mmm::generate_demo(dc).panel, cfg);
}

const mmm::FitResult& shared_fit() {
  static const mmm::FitResult f = small_fit();
  return f;
}

std::string message_of(const std::vector<uint8_t>& bytes) {
  try {
    mmm::deserialize_fit_result(bytes);
  } catch (const mmm::InvalidData& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(FitIo, RoundTripGivesBitIdenticalPredictionsAndFields) {
  const mmm::FitResult& a = shared_fit();
  mmm::FitResult b = mmm::deserialize_fit_result(mmm::serialize_fit_result(a));
  mmm::Decomposition da = a.model.decompose(), db = b.model.decompose();
  ASSERT_EQ(da.prediction.size(), db.prediction.size());
  EXPECT_EQ(0, std::memcmp(da.prediction.data(), db.prediction.data(), da.prediction.size() * sizeof(float)));
  EXPECT_EQ(0, std::memcmp(da.media.data(), db.media.data(), da.media.size() * sizeof(float)));
  EXPECT_EQ(a.holdout.r2, b.holdout.r2);
  EXPECT_EQ(a.train.wape, b.train.wape);
  EXPECT_EQ(a.holdout.skill.seasonal_available, b.holdout.skill.seasonal_available);
  EXPECT_EQ(a.history.size(), b.history.size());
  EXPECT_EQ(a.history.back().train_loss, b.history.back().train_loss);
  EXPECT_EQ(a.epochs_run, b.epochs_run);
  EXPECT_EQ(a.train_weeks, b.train_weeks);
  EXPECT_EQ(a.dag_adjacency, b.dag_adjacency);
  EXPECT_EQ(a.scaled_media, b.scaled_media);
  EXPECT_EQ(mmm::serialize_fit_result(a), mmm::serialize_fit_result(b));
}

TEST(FitIo, RejectsTruncatedBytesNamingTheOffset) {
  std::vector<uint8_t> bytes = mmm::serialize_fit_result(shared_fit());
  bytes.resize(bytes.size() / 2);
  // Either the length prefix of a section or a read past the end is caught; both name the offset.
  std::string m = message_of(bytes);
  EXPECT_TRUE(m.find("truncated at offset") != std::string::npos || m.find("exceeds the data") != std::string::npos) << m;
  bytes.resize(12);
  EXPECT_NE(message_of(bytes).find("offset"), std::string::npos) << message_of(bytes);
}

TEST(FitIo, RejectsOtherBytesAndNewerVersions) {
  EXPECT_NE(message_of({1, 2, 3, 4, 5, 6, 7, 8, 9}).find("not a fitted model"), std::string::npos);
  std::vector<uint8_t> bytes = mmm::serialize_fit_result(shared_fit());
  bytes[4] = static_cast<uint8_t>(mmm::kFitResultVersion + 1);
  EXPECT_NE(message_of(bytes).find("newer than this app reads"), std::string::npos) << message_of(bytes);
}

TEST(FitIo, RejectsTrailingGarbage) {
  std::vector<uint8_t> bytes = mmm::serialize_fit_result(shared_fit());
  bytes.push_back(0);
  EXPECT_NE(message_of(bytes).find("corrupt"), std::string::npos);
}
