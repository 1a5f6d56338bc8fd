#pragma once

// A small client for the hub's client API in tests: Basic auth with the hub's API key, TLS
// verified against the hub's self-signed certificate, JSON in and out.

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "transport/https_client.h"

namespace bookbridge::testing {

struct ApiReply {
  unsigned status = 0;  ///< 0 when the request failed at the transport level
  nlohmann::json body;  ///< parsed JSON (null when empty or not JSON)
  std::string text;     ///< raw body, or the transport error message
};

class HubApi {
 public:
  HubApi(const std::string& url, const std::string& api_key, const std::filesystem::path& ca);

  ApiReply get(const std::string& target);
  ApiReply post(const std::string& target, const nlohmann::json& body = nullptr);
  ApiReply patch(const std::string& target, const nlohmann::json& body);
  ApiReply del(const std::string& target);
  ApiReply send(const std::string& method, const std::string& target, const std::string& body);

  /// POST /companies {name} → company id (asserts 200).
  std::string create_company(const std::string& name);
  /// POST /companies/{id}/connections {platformKey} → the Connection JSON (asserts 200).
  nlohmann::json create_connection(const std::string& company_id,
                                   const std::string& platform_key = "gnucash");
  /// GET /companies/{id}/data/history/{datasetId} → PullOperation.
  nlohmann::json dataset(const std::string& company_id, const std::string& dataset_id);

 private:
  std::string auth_;
  std::unique_ptr<transport::HttpsClient> client_;
};

}  // namespace bookbridge::testing
