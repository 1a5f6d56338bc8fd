#pragma once

// The agent side of docs/protocol.md (/agent/v1): one method per call, each answer classified
// ok / retry / permanent (plus the two answers with their own meaning: lease lost, credential
// revoked). Retry timing is not decided here (see backoff.h and the callers).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "state/state_db.h"
#include "transport/https_client.h"

namespace bookbridge::agent::runtime {

enum class Outcome {
  ok,            ///< 2xx
  retry,         ///< transport error, 408, 429, 5xx: try again later
  permanent,     ///< any other 4xx: this call will not succeed as is
  lease_lost,    ///< 409 with detailedErrorCode 4091: abandon the dataset, touch nothing more
  unauthorized,  ///< 401: the credential was revoked; the source must be linked again
  cancelled,     ///< the client was cancelled (shutdown)
};
std::string_view to_string(Outcome outcome);

inline constexpr int kLeaseLost = 4091;
inline constexpr int kIllegalTransition = 4092;
inline constexpr int kPageConflict = 4093;
inline constexpr int kIncompleteUpload = 4094;

struct CallResult {
  Outcome outcome = Outcome::retry;
  unsigned status = 0;          ///< HTTP status; 0 for transport errors
  int detailed_error_code = 0;  ///< from the ErrorMessage body, when present
  nlohmann::json body;          ///< parsed JSON body (null when none or not JSON)
  std::string message;          ///< for logs: the hub's `error` text or the transport error

  bool ok() const { return outcome == Outcome::ok; }
};

/// Classifies a reply (exposed for tests).
CallResult classify(unsigned status, std::string_view body);

class HubApi {
 public:
  /// `credential` is sent as a Bearer token; it is never logged.
  HubApi(transport::HttpsClient& client, std::string credential);

  CallResult claim(int max, int lease_seconds);
  CallResult renew(std::string_view id, std::string_view lease_id, int lease_seconds);
  CallResult report_status(std::string_view id, std::string_view lease_id, std::string_view status,
                           int progress, std::string_view description);
  CallResult list_pages(std::string_view id, std::string_view lease_id);
  CallResult put_page(std::string_view id, std::string_view lease_id, const state::SpoolPage& page);
  CallResult commit(std::string_view id, std::string_view lease_id, std::int64_t pages,
                    std::int64_t records, const nlohmann::json& validation);
  CallResult fail(std::string_view id, std::string_view lease_id, std::string_view status,
                  std::string_view message, const nlohmann::json& validation);
  CallResult release(std::string_view id, std::string_view lease_id);
  /// Long-poll: parks up to `wait_seconds` at the hub.
  CallResult poll(int wait_seconds);

  /// The Authorization header value (for the WebSocket upgrade).
  std::string authorization() const { return "Bearer " + credential_; }

 private:
  CallResult send(const std::string& method, const std::string& target, const nlohmann::json* body,
                  transport::Headers headers = {},
                  std::chrono::seconds timeout = std::chrono::seconds(0));
  CallResult send_raw(transport::ClientRequest request);

  transport::HttpsClient& client_;
  std::string credential_;
};

}  // namespace bookbridge::agent::runtime
