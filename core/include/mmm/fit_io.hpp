// A whole fit result as bytes: the fitted model (FittedModel::serialize) plus everything the
// dashboards read that is not recomputed from it (metrics, training history, split sizes, the
// scaled inputs). The model bundle (web/src/export/bundle.ts) stores these bytes; loading them
// gives bit-identical predictions without retraining.
#pragma once
#include <cstdint>
#include <vector>

#include "mmm/fit.hpp"

namespace mmm {

// Format version of serialize_fit_result; bump when fields change (readers reject newer ones).
constexpr uint32_t kFitResultVersion = 1;

std::vector<uint8_t> serialize_fit_result(const FitResult& result);

// Throws InvalidData naming the problem: not fit-result bytes, a newer format version, truncated
// or corrupt data.
FitResult deserialize_fit_result(const std::vector<uint8_t>& bytes);

}  // namespace mmm
