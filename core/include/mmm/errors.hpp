// Typed errors thrown by the core. The wasm boundary turns each into {ok:false, code, message};
// messages name the field, the value and what is allowed so the UI can show them verbatim.
#pragma once
#include <stdexcept>
#include <string>

namespace mmm {

enum class ErrorCode { InvalidData, InvalidConfig, NumericFailure, Cancelled, OutOfMemory, Internal };

// Stable string form used across the boundary ("INVALID_DATA", ...).
const char* error_code_name(ErrorCode code);

// A number as error messages show it (stream formatting: 0.3, 1e+06, nan).
std::string format_value(double v);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

struct InvalidData : Error {
  explicit InvalidData(const std::string& m) : Error(ErrorCode::InvalidData, m) {}
};
struct InvalidConfig : Error {
  explicit InvalidConfig(const std::string& m) : Error(ErrorCode::InvalidConfig, m) {}
};
struct NumericFailure : Error {
  explicit NumericFailure(const std::string& m) : Error(ErrorCode::NumericFailure, m) {}
};
struct Cancelled : Error {
  explicit Cancelled(const std::string& m = "cancelled by the user") : Error(ErrorCode::Cancelled, m) {}
};

}  // namespace mmm
