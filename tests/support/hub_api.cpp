#include "support/hub_api.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace bookbridge::testing {
namespace {

std::string base64(const std::string& text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                               reinterpret_cast<const unsigned char*>(text.data()),
                               static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

}  // namespace

HubApi::HubApi(const std::string& url, const std::string& api_key, const std::filesystem::path& ca)
    : auth_("Basic " + base64(api_key)) {
  transport::ClientOptions options;
  options.base_url = url;
  options.ca_file = ca;
  options.request_timeout = std::chrono::seconds(30);
  client_ = std::make_unique<transport::HttpsClient>(options);
}

ApiReply HubApi::send(const std::string& method, const std::string& target,
                      const std::string& body) {
  transport::ClientRequest request;
  request.method = method;
  request.target = target;
  request.headers["Authorization"] = auth_;
  if (!body.empty()) {
    request.headers["Content-Type"] = "application/json";
    request.body = body;
  }
  ApiReply reply;
  auto result = client_->request(request);
  if (!result) {
    reply.text = result.error().message();
    return reply;
  }
  reply.status = result->status;
  reply.text = result->body;
  reply.body = nlohmann::json::parse(reply.text, nullptr, false);
  if (reply.body.is_discarded()) {
    reply.body = nullptr;
  }
  return reply;
}

ApiReply HubApi::get(const std::string& target) {
  return send("GET", target, "");
}

ApiReply HubApi::post(const std::string& target, const nlohmann::json& body) {
  return send("POST", target, body.is_null() ? std::string() : body.dump());
}

ApiReply HubApi::patch(const std::string& target, const nlohmann::json& body) {
  return send("PATCH", target, body.dump());
}

ApiReply HubApi::del(const std::string& target) {
  return send("DELETE", target, "");
}

std::string HubApi::create_company(const std::string& name) {
  auto reply = post("/companies", {{"name", name}});
  if (reply.status != 200 || !reply.body.contains("id")) {
    ADD_FAILURE() << "POST /companies: " << reply.status << " " << reply.text;
    return {};
  }
  return reply.body["id"].get<std::string>();
}

nlohmann::json HubApi::create_connection(const std::string& company_id,
                                         const std::string& platform_key) {
  auto reply = post("/companies/" + company_id + "/connections", {{"platformKey", platform_key}});
  if (reply.status != 200) {
    ADD_FAILURE() << "POST connections: " << reply.status << " " << reply.text;
  }
  return reply.body;
}

nlohmann::json HubApi::dataset(const std::string& company_id, const std::string& dataset_id) {
  return get("/companies/" + company_id + "/data/history/" + dataset_id).body;
}

}  // namespace bookbridge::testing
