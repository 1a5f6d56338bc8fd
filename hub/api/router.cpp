#include "api/router.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "store/sqlite.h"
#include "util/crypto.h"
#include "util/json_body.h"

namespace bookbridge::hub::api {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    auto end = path.find('/', pos);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    out.emplace_back(path.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

const std::string& Context::param(std::string_view name) const {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

HttpResponse Context::error(const ApiError& e) const {
  return error_response(e, service, correlation_id);
}

std::string new_correlation_id() {
  return new_uuid();
}

HttpResponse json_response(unsigned status, const Json& body) {
  HttpResponse response;
  response.status = status;
  response.headers["Content-Type"] = "application/json; charset=utf-8";
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

HttpResponse error_response(const ApiError& error, std::string_view service,
                            std::string_view correlation_id) {
  Json body;
  body["statusCode"] = error.status;
  body["service"] = service;
  body["error"] = error.message;
  body["correlationId"] = correlation_id;
  if (error.validation) {
    body["validation"] = Json::parse(error.validation->dump());
  }
  const bool transient =
      error.can_be_retried || error.status >= 500 || error.status == 429 || error.status == 408;
  body["canBeRetried"] = transient ? "True" : "False";
  body["detailedErrorCode"] = error.code();
  auto response = json_response(error.status, body);
  response.headers["X-Correlation-Id"] = std::string(correlation_id);
  return response;
}

Result<nlohmann::json> object_body(const Context& ctx) {
  if (ctx.request.body.empty()) {
    return bad_request("A JSON object body is required.");
  }
  return parse_json_object(ctx.request.body);
}

void Router::add(std::string method, std::string_view pattern, std::string service,
                 bool client_auth, RouteHandler handler) {
  routes_.push_back(Route{std::move(method), split_path(pattern), std::move(service), client_auth,
                          std::move(handler)});
}

const Router::Route* Router::match(const std::vector<std::string>& path, const std::string& method,
                                   bool& path_matched, Context& ctx) const {
  const Route* best = nullptr;
  int best_literals = -1;
  for (const auto& route : routes_) {
    if (route.segments.size() != path.size()) {
      continue;
    }
    int literals = 0;
    bool ok = true;
    for (std::size_t i = 0; i < path.size() && ok; ++i) {
      if (is_param(route.segments[i])) {
        ok = !path[i].empty();
      } else {
        ok = route.segments[i] == path[i];
        ++literals;
      }
    }
    if (!ok) {
      continue;
    }
    path_matched = true;
    if (route.method == method && literals > best_literals) {
      best = &route;
      best_literals = literals;
    }
  }
  if (best != nullptr) {
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (is_param(best->segments[i])) {
        const auto& s = best->segments[i];
        ctx.params[s.substr(1, s.size() - 2)] = path[i];
      }
    }
  }
  return best;
}

HttpResponse Router::handle(const HttpRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  Context ctx{request, {}, new_correlation_id(), "PublicApi"};
  HttpResponse response;
  try {
    const auto path = split_path(request.path);
    if (!path.empty() && path.front() == "agent") {
      ctx.service = "AgentGateway";
    }
    bool path_matched = false;
    const Route* route = match(path, request.method, path_matched, ctx);
    if (route == nullptr) {
      response =
          path_matched
              ? ctx.error(make_error(
                    405, "Method " + request.method + " is not allowed on " + request.path))
              : ctx.error(not_found("No endpoint matches " + request.method + " " + request.path));
    } else {
      ctx.service = route->service;
      std::optional<ApiError> denied;
      if (route->client_auth && options_.client_auth) {
        denied = options_.client_auth(request);
      }
      if (!denied && route->client_auth && request.body.size() > options_.max_json_body_bytes) {
        denied = too_large("The request body is larger than " +
                           std::to_string(options_.max_json_body_bytes) + " bytes.");
      }
      response = denied ? ctx.error(*denied) : route->handler(ctx);
    }
  } catch (const ApiErrorException& e) {
    response = ctx.error(e.error);
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed (correlationId {}): {}", request.method, request.path,
                  ctx.correlation_id, e.what());
    response = ctx.error(make_error(
        500, "Internal error; quote correlationId " + ctx.correlation_id + " when reporting it"));
  }
  if (!response.wait) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    // Path only: query strings can carry link tokens.
    spdlog::debug("{} {} -> {} ({} ms)", request.method, request.path, response.status, ms);
  }
  return response;
}

}  // namespace bookbridge::hub::api
