#include "runtime/hub_api.h"

#include <system_error>

#include "transport/http_types.h"

namespace bookbridge::agent::runtime {
namespace {

std::string dataset_path(std::string_view id, std::string_view tail) {
  return "/agent/v1/datasets/" + transport::percent_encode(id) + std::string(tail);
}

}  // namespace

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::ok:
      return "ok";
    case Outcome::retry:
      return "retry";
    case Outcome::permanent:
      return "permanent";
    case Outcome::lease_lost:
      return "lease lost";
    case Outcome::unauthorized:
      return "unauthorized";
    case Outcome::cancelled:
      return "cancelled";
  }
  return "unknown";
}

CallResult classify(unsigned status, std::string_view body) {
  CallResult result;
  result.status = status;
  if (!body.empty()) {
    result.body = nlohmann::json::parse(body, nullptr, false);
    if (result.body.is_discarded()) {
      result.body = nullptr;
    }
  }
  if (result.body.is_object()) {
    if (auto it = result.body.find("detailedErrorCode");
        it != result.body.end() && it->is_number_integer()) {
      result.detailed_error_code = it->get<int>();
    }
    if (auto it = result.body.find("error"); it != result.body.end() && it->is_string()) {
      result.message = it->get<std::string>();
    }
  }
  if (result.message.empty() && (status < 200 || status >= 300)) {
    result.message = "HTTP " + std::to_string(status);
  }
  if (status >= 200 && status < 300) {
    result.outcome = Outcome::ok;
  } else if (status == 401) {
    result.outcome = Outcome::unauthorized;
  } else if (status == 409 && result.detailed_error_code == kLeaseLost) {
    result.outcome = Outcome::lease_lost;
  } else if (status == 408 || status == 429 || status >= 500) {
    result.outcome = Outcome::retry;
  } else {
    result.outcome = Outcome::permanent;
  }
  return result;
}

HubApi::HubApi(transport::HttpsClient& client, std::string credential)
    : client_(client), credential_(std::move(credential)) {}

CallResult HubApi::send_raw(transport::ClientRequest request) {
  request.headers["Authorization"] = authorization();
  auto reply = client_.request(request);
  if (!reply) {
    CallResult result;
    result.outcome =
        reply.error() == std::errc::operation_canceled ? Outcome::cancelled : Outcome::retry;
    result.message = reply.error().message();
    return result;
  }
  return classify(reply->status, reply->body);
}

CallResult HubApi::send(const std::string& method, const std::string& target,
                        const nlohmann::json* body, transport::Headers headers,
                        std::chrono::seconds timeout) {
  transport::ClientRequest request;
  request.method = method;
  request.target = target;
  request.headers = std::move(headers);
  request.timeout = timeout;
  if (body != nullptr) {
    request.headers["Content-Type"] = "application/json";
    request.body = body->dump();
  }
  return send_raw(std::move(request));
}

CallResult HubApi::claim(int max, int lease_seconds) {
  const nlohmann::json body{{"max", max}, {"leaseSeconds", lease_seconds}};
  return send("POST", "/agent/v1/datasets/claim", &body);
}

CallResult HubApi::renew(std::string_view id, std::string_view lease_id, int lease_seconds) {
  const nlohmann::json body{{"leaseId", lease_id}, {"leaseSeconds", lease_seconds}};
  return send("POST", dataset_path(id, "/lease"), &body);
}

CallResult HubApi::report_status(std::string_view id, std::string_view lease_id,
                                 std::string_view status, int progress,
                                 std::string_view description) {
  nlohmann::json body{{"leaseId", lease_id}, {"status", status}, {"progress", progress}};
  if (!description.empty()) {
    body["statusDescription"] = description;
  }
  return send("POST", dataset_path(id, "/status"), &body);
}

CallResult HubApi::list_pages(std::string_view id, std::string_view lease_id) {
  return send("GET", dataset_path(id, "/pages?leaseId=" + transport::percent_encode(lease_id)),
              nullptr);
}

CallResult HubApi::put_page(std::string_view id, std::string_view lease_id,
                            const state::SpoolPage& page) {
  transport::ClientRequest request;
  request.method = "PUT";
  request.target = dataset_path(id, "/pages/" + std::to_string(page.number));
  request.headers["X-Lease-Id"] = std::string(lease_id);
  request.headers["X-Records"] = std::to_string(page.records);
  request.headers["X-Content-SHA256"] = page.sha256;
  request.headers["Content-Encoding"] = "zstd";
  request.headers["Content-Type"] = "application/x-ndjson";
  request.body = page.body;
  return send_raw(std::move(request));
}

CallResult HubApi::commit(std::string_view id, std::string_view lease_id, std::int64_t pages,
                          std::int64_t records, const nlohmann::json& validation) {
  const nlohmann::json body{{"leaseId", lease_id},
                            {"pageCount", pages},
                            {"recordCount", records},
                            {"validation", validation}};
  return send("POST", dataset_path(id, "/commit"), &body);
}

CallResult HubApi::fail(std::string_view id, std::string_view lease_id, std::string_view status,
                        std::string_view message, const nlohmann::json& validation) {
  nlohmann::json body{{"leaseId", lease_id}, {"status", status}, {"errorMessage", message}};
  if (!validation.is_null()) {
    body["validation"] = validation;
  }
  return send("POST", dataset_path(id, "/fail"), &body);
}

CallResult HubApi::release(std::string_view id, std::string_view lease_id) {
  const nlohmann::json body{{"leaseId", lease_id}};
  return send("POST", dataset_path(id, "/release"), &body);
}

CallResult HubApi::poll(int wait_seconds) {
  // The request deadline must outlast the hub's parking time.
  return send("GET", "/agent/v1/poll?wait=" + std::to_string(wait_seconds), nullptr, {},
              std::chrono::seconds(wait_seconds + 20));
}

}  // namespace bookbridge::agent::runtime
