#pragma once

// A client of the real hub process over real HTTPS (the hub's own certificate as trust anchor).

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "support/hub_process.h"
#include "transport/https_client.h"
#include "util/crypto.h"
#include "util/zstd_codec.h"

namespace bookbridge::hub::testing {

struct HttpReply {
  unsigned status = 0;  ///< 0 = transport error
  nlohmann::json json;
  std::string body;
};

class HubClient {
 public:
  explicit HubClient(const bookbridge::testing::HubProcess& hub)
      : api_key_(hub.api_key()),
        client_(std::make_unique<transport::HttpsClient>(
            transport::ClientOptions{hub.url(), hub.ca_file()})) {}

  HttpReply raw(transport::ClientRequest request) {
    auto result = client_->request(request);
    HttpReply reply;
    if (!result) {
      reply.body = result.error().message();
      return reply;
    }
    reply.status = result->status;
    reply.body = result->body;
    reply.json = nlohmann::json::parse(reply.body, nullptr, false);
    return reply;
  }

  /// Client API call with the API key.
  HttpReply api(const std::string& method, const std::string& target,
                const nlohmann::json& body = nullptr) {
    transport::ClientRequest r;
    r.method = method;
    r.target = target;
    r.headers["Authorization"] = "Basic " + base64_encode(api_key_);
    if (!body.is_null()) {
      r.body = body.dump();
      r.headers["Content-Type"] = "application/json";
    }
    return raw(r);
  }

  /// Agent call with a Bearer credential.
  HttpReply agent(const std::string& credential, const std::string& method,
                  const std::string& target, const nlohmann::json& body = nullptr) {
    transport::ClientRequest r;
    r.method = method;
    r.target = target;
    if (!credential.empty()) {
      r.headers["Authorization"] = "Bearer " + credential;
    }
    if (!body.is_null()) {
      r.body = body.dump();
      r.headers["Content-Type"] = "application/json";
    }
    r.timeout = std::chrono::seconds(70);
    return raw(r);
  }

  HttpReply put_page(const std::string& credential, const nlohmann::json& claimed, int number,
                     const std::string& ndjson, std::int64_t records) {
    transport::ClientRequest r;
    r.method = "PUT";
    r.target = "/agent/v1/datasets/" + claimed["id"].get<std::string>() + "/pages/" +
               std::to_string(number);
    r.headers["Authorization"] = "Bearer " + credential;
    r.headers["X-Lease-Id"] = claimed["leaseId"].get<std::string>();
    r.headers["X-Records"] = std::to_string(records);
    r.headers["X-Content-SHA256"] = sha256_hex(ndjson);
    r.headers["Content-Encoding"] = "zstd";
    r.headers["Content-Type"] = "application/x-ndjson";
    r.body = zstd_compress(ndjson);
    return raw(r);
  }

  std::string create_company(const std::string& name = "Acme Ltd") {
    auto reply = api("POST", "/companies", {{"name", name}});
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.json.value("id", "");
  }

  nlohmann::json create_connection(const std::string& company) {
    auto reply =
        api("POST", "/companies/" + company + "/connections", {{"platformKey", "gnucash"}});
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.json;
  }

  std::string link(const nlohmann::json& connection) {
    const std::string url = connection["linkUrl"];
    auto reply = agent("", "POST", "/agent/v1/link",
                       {{"connectionId", connection["id"]},
                        {"token", url.substr(url.find("token=") + 6)},
                        {"hostname", "ledger-pc"},
                        {"agentVersion", "0.1.0"},
                        {"sourceName", "acme-books"},
                        {"platformKey", "gnucash"}});
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.json.value("credential", "");
  }

 private:
  std::string api_key_;
  std::unique_ptr<transport::HttpsClient> client_;
};

inline void expect_error_body(const HttpReply& reply, unsigned status) {
  EXPECT_EQ(reply.status, status) << reply.body;
  ASSERT_TRUE(reply.json.is_object()) << reply.body;
  EXPECT_EQ(reply.json["statusCode"], status);
  for (const char* key : {"service", "error", "correlationId", "canBeRetried"}) {
    EXPECT_TRUE(reply.json[key].is_string()) << key;
  }
  EXPECT_TRUE(reply.json["detailedErrorCode"].is_number_integer());
}

}  // namespace bookbridge::hub::testing
