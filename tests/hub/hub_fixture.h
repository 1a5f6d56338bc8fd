#pragma once

// In-process hub for unit tests: real SQLite in a temp dir, a settable clock, and the real
// router called directly with HttpRequest values (no network).

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/hub_router.h"
#include "core/hub.h"
#include "model/data_type.h"
#include "store/database.h"
#include "support/temp_dir.h"
#include "transport/http_types.h"
#include "util/crypto.h"
#include "util/zstd_codec.h"

namespace bookbridge::hub::testing {

inline constexpr const char* kApiKey = "test-api-key";

struct Reply {
  unsigned status = 0;
  nlohmann::json json;  ///< discarded when the body is not JSON
  std::string body;
  transport::HttpResponse raw;
};

class HubFixture : public ::testing::Test {
 protected:
  HubFixture()
      : dir_("bookbridge-hub-unit"),
        db_(std::make_unique<store::Database>(dir_ / "hub.db")),
        hub_(std::make_unique<core::Hub>(
            *db_, [this] { return now_.load(); }, config())) {
    spdlog::set_level(spdlog::level::warn);
    hub_->set_public_url("https://hub.test:8443");
    router_ = api::make_hub_router(*hub_, sha256_hex(kApiKey));
  }

  static core::HubConfig config() {
    core::HubConfig c;
    c.link_secret = "unit-test-link-secret";
    return c;
  }

  transport::HttpRequest request(const std::string& method, const std::string& target,
                                 const std::string& body = "") {
    transport::HttpRequest r;
    r.method = method;
    r.target = target;
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
      r.query = transport::parse_query(target.substr(q + 1));
    }
    r.body = body;
    r.headers["Authorization"] = "Basic " + base64_encode(kApiKey);
    if (!body.empty()) {
      r.headers["Content-Type"] = "application/json";
    }
    return r;
  }

  Reply send(const transport::HttpRequest& r) {
    Reply reply;
    reply.raw = router_->handle(r);
    reply.status = reply.raw.status;
    reply.body = reply.raw.body;
    reply.json = nlohmann::json::parse(reply.body, nullptr, false);
    return reply;
  }

  Reply call(const std::string& method, const std::string& target,
             const nlohmann::json& body = nullptr) {
    return send(request(method, target, body.is_null() ? "" : body.dump()));
  }

  /// An agent call with a Bearer credential.
  Reply agent_call(const std::string& credential, const std::string& method,
                   const std::string& target, const nlohmann::json& body = nullptr) {
    auto r = request(method, target, body.is_null() ? "" : body.dump());
    r.headers["Authorization"] = "Bearer " + credential;
    return send(r);
  }

  std::string create_company(const std::string& name = "Acme Ltd") {
    auto reply = call("POST", "/companies", {{"name", name}});
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.json.value("id", "");
  }

  nlohmann::json create_connection(const std::string& company) {
    auto reply =
        call("POST", "/companies/" + company + "/connections", {{"platformKey", "gnucash"}});
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.json;
  }

  /// Links an agent to the connection via its linkUrl; returns the credential.
  std::string link(const nlohmann::json& connection) {
    const std::string url = connection["linkUrl"];
    const auto token = url.substr(url.find("token=") + 6);
    auto reply = call("POST", "/agent/v1/link",
                      {{"connectionId", connection["id"]},
                       {"token", token},
                       {"hostname", "ledger-pc"},
                       {"agentVersion", "0.1.0"},
                       {"sourceName", "acme-books"},
                       {"platformKey", "gnucash"}});
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.json.value("credential", "");
  }

  /// Claims the next dataset of the connection; returns the claim item (null when none).
  nlohmann::json claim_next(const std::string& credential, int lease_seconds = 60) {
    auto reply = agent_call(credential, "POST", "/agent/v1/datasets/claim",
                            {{"max", 1}, {"leaseSeconds", lease_seconds}});
    EXPECT_EQ(reply.status, 200u) << reply.body;
    if (reply.json["datasets"].empty()) {
      return nullptr;
    }
    return reply.json["datasets"][0];
  }

  Reply put_page(const std::string& credential, const nlohmann::json& claimed, int number,
                 const std::string& ndjson, std::int64_t records) {
    auto r = request("PUT", "/agent/v1/datasets/" + claimed["id"].get<std::string>() + "/pages/" +
                                std::to_string(number));
    r.headers["Authorization"] = "Bearer " + credential;
    r.headers["X-Lease-Id"] = claimed["leaseId"].get<std::string>();
    r.headers["X-Records"] = std::to_string(records);
    r.headers["X-Content-SHA256"] = sha256_hex(ndjson);
    r.headers["Content-Encoding"] = "zstd";
    r.headers["Content-Type"] = "application/x-ndjson";
    r.body = zstd_compress(ndjson);
    return send(r);
  }

  Reply status(const std::string& credential, const nlohmann::json& claimed,
               const std::string& status) {
    return agent_call(credential, "POST",
                      "/agent/v1/datasets/" + claimed["id"].get<std::string>() + "/status",
                      {{"leaseId", claimed["leaseId"]}, {"status", status}});
  }

  /// Fetching -> Mapping -> Validating, one page per 1000 records, commit.
  Reply run_to_complete(const std::string& credential, const nlohmann::json& claimed,
                        const std::vector<std::string>& records) {
    for (const char* phase : {"Fetching", "Mapping", "Validating"}) {
      EXPECT_EQ(status(credential, claimed, phase).status, 200u);
    }
    int pages = 0;
    for (std::size_t i = 0; i < records.size(); i += 1000, ++pages) {
      std::string body;
      std::size_t n = 0;
      for (std::size_t j = i; j < records.size() && j < i + 1000; ++j, ++n) {
        body += records[j] + "\n";
      }
      auto put = put_page(credential, claimed, pages, body, static_cast<std::int64_t>(n));
      EXPECT_EQ(put.status, 200u) << put.body;
    }
    return agent_call(
        credential, "POST", "/agent/v1/datasets/" + claimed["id"].get<std::string>() + "/commit",
        {{"leaseId", claimed["leaseId"]},
         {"pageCount", pages},
         {"recordCount", records.size()},
         {"validation",
          {{"errors", nlohmann::json::array()}, {"warnings", nlohmann::json::array()}}}});
  }

  Reply fail_dataset(const std::string& credential, const nlohmann::json& claimed,
                     const std::string& status, const std::string& message) {
    return agent_call(
        credential, "POST", "/agent/v1/datasets/" + claimed["id"].get<std::string>() + "/fail",
        {{"leaseId", claimed["leaseId"]}, {"status", status}, {"errorMessage", message}});
  }

  bookbridge::testing::TempDir dir_;
  std::atomic<std::int64_t> now_{1'767'225'600'000};  // 2026-01-01T00:00:00Z
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<core::Hub> hub_;
  std::unique_ptr<api::Router> router_;
};

}  // namespace bookbridge::hub::testing
