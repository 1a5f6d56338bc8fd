#pragma once

// Domain results: a value or an ApiError that the HTTP layers render as Codat's ErrorMessage.

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

namespace bookbridge::hub {

/// Machine-readable codes (detailedErrorCode). Generic errors use status * 10.
namespace error_code {
inline constexpr int kLeaseLost = 4091;
inline constexpr int kIllegalTransition = 4092;
inline constexpr int kPageConflict = 4093;
inline constexpr int kIncompleteUpload = 4094;
inline constexpr int kDatasetAlreadyInProgress = 4001;
inline constexpr int kDataNotAvailable = 4095;
inline constexpr int kPlatformMismatch = 4096;
}  // namespace error_code

struct ApiError {
  unsigned status = 500;
  std::string message;
  int detailed_code = 0;  ///< 0 = status * 10
  bool can_be_retried = false;
  std::optional<nlohmann::json> validation;

  int code() const { return detailed_code != 0 ? detailed_code : static_cast<int>(status) * 10; }
};

inline ApiError make_error(unsigned status, std::string message, int code = 0) {
  ApiError error;
  error.status = status;
  error.message = std::move(message);
  error.detailed_code = code;
  return error;
}
inline ApiError bad_request(std::string message, int code = 0) {
  return make_error(400, std::move(message), code);
}
inline ApiError unauthorized(std::string message) {
  return make_error(401, std::move(message));
}
inline ApiError not_found(std::string message) {
  return make_error(404, std::move(message));
}
inline ApiError conflict(std::string message, int code = 0) {
  return make_error(409, std::move(message), code);
}
inline ApiError too_large(std::string message) {
  return make_error(413, std::move(message));
}

/// Thrown only by Result::value() on an error (callers check first); carries the ApiError.
struct ApiErrorException : std::exception {
  explicit ApiErrorException(ApiError e) : error(std::move(e)) {}
  const char* what() const noexcept override { return error.message.c_str(); }
  ApiError error;
};

[[noreturn]] inline void throw_exception_from_error(const ApiError& e,
                                                    const boost::source_location&) {
  throw ApiErrorException(e);
}

template <class T>
using Result = boost::system::result<T, ApiError>;

}  // namespace bookbridge::hub
