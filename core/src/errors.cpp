#include "mmm/errors.hpp"

#include <sstream>

namespace mmm {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidData: return "INVALID_DATA";
    case ErrorCode::InvalidConfig: return "INVALID_CONFIG";
    case ErrorCode::NumericFailure: return "NUMERIC_FAILURE";
    case ErrorCode::Cancelled: return "CANCELLED";
    case ErrorCode::OutOfMemory: return "OUT_OF_MEMORY";
    case ErrorCode::Internal: return "INTERNAL";
  }
  return "INTERNAL";
}

std::string format_value(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace mmm
