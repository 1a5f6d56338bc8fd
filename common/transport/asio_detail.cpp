#include "asio_detail.h"

#include <openssl/ssl.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace bookbridge::transport::detail {

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
          out += buffer;
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

std::string new_correlation_id() {
  // Random, not secret: it only ties a reply to a log line.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uint64_t a = rng();
  std::uint64_t b = rng();
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%08x-%04x-4%03x-%04x-%012llx",
                static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xFFFF),
                static_cast<unsigned>(a & 0x0FFF), static_cast<unsigned>(0x8000 | (b >> 50)),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buffer;
}

std::string error_body(unsigned status, std::string_view message) {
  return "{\"statusCode\":" + std::to_string(status) + ",\"service\":\"Transport\",\"error\":\"" +
         json_escape(message) + "\",\"correlationId\":\"" + new_correlation_id() +
         "\",\"canBeRetried\":\"False\",\"detailedErrorCode\":0}";
}

HttpResponse error_response(unsigned status, std::string_view message) {
  return HttpResponse::json(status, error_body(status, message));
}

std::error_code to_std_error(const error_code& ec) {
  if (!ec)
    return {};
  if (ec == beast::error::timeout)
    return std::make_error_code(std::errc::timed_out);
  return std::error_code(ec);
}

void restrict_to_tls12_or_later(ssl::context& ctx) {
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
}

Url parse_base_url_or_throw(const std::string& base_url) {
  std::string error;
  auto url = parse_url(base_url, &error);
  if (!url) {
    throw std::runtime_error("invalid hub URL '" + base_url + "': " + error);
  }
  return std::move(*url);
}

void configure_client_context(ssl::context& ctx, const std::filesystem::path& ca_file) {
  restrict_to_tls12_or_later(ctx);
  ctx.set_verify_mode(ssl::verify_peer);
  error_code ec;
  // A host without a system store still works with ca_file, so this failing is not fatal.
  ctx.set_default_verify_paths(ec);
  if (!ca_file.empty()) {
    ctx.load_verify_file(ca_file.string(), ec);
    if (ec) {
      throw std::runtime_error("cannot load the CA file '" + ca_file.string() + "' (hub.caFile): " +
                               ec.message() + "; it must be a readable PEM certificate");
    }
  }
}

bool is_ip_literal(std::string_view host) {
  error_code ec;
  asio::ip::make_address(std::string(host), ec);
  return !ec;
}

bool is_valid_header(std::string_view name, std::string_view value) {
  static constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && kTokenSymbols.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool is_valid_target(std::string_view target) {
  for (char c : target) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) {
      return false;
    }
  }
  return true;
}

std::string host_header(const Url& url) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  if (url.port != 443)
    host += ":" + std::to_string(url.port);
  return host;
}

std::string join_target(const Url& base, std::string_view target) {
  std::string prefix = base.target;
  if (auto q = prefix.find('?'); q != std::string::npos)
    prefix.resize(q);
  while (!prefix.empty() && prefix.back() == '/')
    prefix.pop_back();
  if (target.empty())
    return prefix.empty() ? "/" : prefix;
  if (target.front() != '/')
    prefix += '/';
  return prefix + std::string(target);
}

asio::awaitable<error_code> connect_tls(TlsStream& stream, std::shared_ptr<tcp::resolver> resolver,
                                        const Url& url,
                                        std::chrono::steady_clock::duration timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto executor = co_await asio::this_coro::executor;

  // getaddrinfo cannot be interrupted; cancelling the resolver completes the wait at once.
  asio::steady_timer timer(executor, deadline);
  std::weak_ptr<tcp::resolver> weak = resolver;
  timer.async_wait([weak](const error_code& ec) {
    if (ec)
      return;
    if (auto r = weak.lock())
      r->cancel();
  });
  auto flags = is_ip_literal(url.host) ? tcp::resolver::numeric_host : tcp::resolver::flags{};
  std::string service = std::to_string(url.port);
  auto [rec, endpoints] = co_await resolver->async_resolve(url.host, service, flags, kTuple);
  timer.cancel();
  if (rec) {
    if (rec == asio::error::operation_aborted && std::chrono::steady_clock::now() >= deadline) {
      co_return beast::error::timeout;
    }
    co_return rec;
  }

  auto& tcp_layer = stream.next_layer();
  tcp_layer.expires_at(deadline);
  auto [cec, endpoint] = co_await tcp_layer.async_connect(endpoints, kTuple);
  if (cec)
    co_return cec;

  if (!is_ip_literal(url.host)) {
    // SNI, so a hub behind a name-based TLS front end gets the right certificate.
    if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
      co_return error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
    }
  }
  stream.set_verify_mode(ssl::verify_peer);
  stream.set_verify_callback(ssl::host_name_verification(url.host));
  auto [hec] = co_await stream.async_handshake(ssl::stream_base::client, kTuple);
  if (hec)
    co_return hec;
  tcp_layer.expires_never();
  co_return error_code{};
}

}  // namespace bookbridge::transport::detail
