#pragma once

// Request routing for the hub: method + path patterns with {params}, literal segments winning
// over parameters, Codat error bodies for everything that goes wrong (and no exception ever
// leaves handle()).

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "transport/http_types.h"
#include "util/result.h"

namespace bookbridge::hub::api {

using Json = nlohmann::ordered_json;
using transport::HttpRequest;
using transport::HttpResponse;

struct Context {
  const HttpRequest& request;
  std::map<std::string, std::string, std::less<>> params;
  std::string correlation_id;
  std::string service;

  const std::string& param(std::string_view name) const;
  HttpResponse error(const ApiError& error) const;
};

using RouteHandler = std::function<HttpResponse(Context&)>;
/// Runs before the handler of a route that requires it (client API key); an ApiError stops it.
using Guard = std::function<std::optional<ApiError>(const HttpRequest&)>;

class Router {
 public:
  struct Options {
    Guard client_auth;
    std::size_t max_json_body_bytes = 1024 * 1024;  ///< client API bodies (pages are larger)
  };
  explicit Router(Options options) : options_(std::move(options)) {}

  /// `service`: Codat's emitting-service name for error bodies (PublicApi, PullApi, ...).
  /// `client_auth`: the route needs the client API key.
  void add(std::string method, std::string_view pattern, std::string service, bool client_auth,
           RouteHandler handler);

  HttpResponse handle(const HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    std::string service;
    bool client_auth;
    RouteHandler handler;
  };
  const Route* match(const std::vector<std::string>& path, const std::string& method,
                     bool& path_matched, Context& ctx) const;

  Options options_;
  std::vector<Route> routes_;
};

// ---- response helpers --------------------------------------------------------------------

HttpResponse json_response(unsigned status, const Json& body);
HttpResponse error_response(const ApiError& error, std::string_view service,
                            std::string_view correlation_id);
/// A fresh correlation id (uuid).
std::string new_correlation_id();
/// Parses a JSON object body (400 on anything else).
Result<nlohmann::json> object_body(const Context& ctx);

}  // namespace bookbridge::hub::api
