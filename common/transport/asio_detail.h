#pragma once

// Private to common/transport: Asio/Beast aliases and helpers shared by the server and the
// clients. Never include this from outside common/transport (it needs the separate-compilation
// defines that only bookbridge_transport sets).

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "transport/http_types.h"
#include "transport/url.h"

namespace bookbridge::transport::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using WsStream = websocket::stream<TlsStream>;

/// Completion token: co_await yields a tuple (error_code, ...) instead of throwing.
inline constexpr asio::as_tuple_t<asio::use_awaitable_t<>> kTuple{};

/// Largest request/response header block we accept.
inline constexpr std::uint32_t kHeaderLimit = 64 * 1024;

/// The team's error body (Codat ErrorMessage) for errors the transport itself answers.
std::string error_body(unsigned status, std::string_view message);
HttpResponse error_response(unsigned status, std::string_view message);
std::string json_escape(std::string_view text);
std::string new_correlation_id();

/// Beast/Asio/SSL error to std::error_code; timeouts become std::errc::timed_out so callers can
/// test for them without Boost.
std::error_code to_std_error(const error_code& ec);

/// Turns off everything below TLS 1.2.
void restrict_to_tls12_or_later(ssl::context& ctx);
/// Client context: verify peer, system trust store plus `ca_file` (when not empty), TLS 1.2+.
/// Throws std::runtime_error when ca_file cannot be loaded.
void configure_client_context(ssl::context& ctx, const std::filesystem::path& ca_file);
/// The clients' base URL, parsed; throws std::runtime_error naming the URL when it is not a valid
/// https URL (startup/config only).
Url parse_base_url_or_throw(const std::string& base_url);

/// "host" or "host:port" (brackets for IPv6) as a Host header value.
std::string host_header(const Url& url);
/// Joins the base URL's path prefix and a request target.
std::string join_target(const Url& base, std::string_view target);
bool is_ip_literal(std::string_view host);
/// RFC 9110 token for names; no CR, LF or NUL in values (no header injection).
bool is_valid_header(std::string_view name, std::string_view value);
/// A request target without spaces or control characters.
bool is_valid_target(std::string_view target);

/// Copies Beast fields into Headers (repeated fields are joined with ", ").
template <class Fields>
Headers to_headers(const Fields& fields) {
  Headers out;
  for (const auto& field : fields) {
    std::string name(field.name_string());
    auto [it, inserted] = out.emplace(name, std::string(field.value()));
    if (!inserted) {
      it->second += ", ";
      it->second += std::string(field.value());
    }
  }
  return out;
}

/// Resolves, connects and completes the TLS handshake (SNI + host-name verification), all
/// within `timeout`. `resolver` is shared so that a cancel (cancel_all) can reach it.
asio::awaitable<error_code> connect_tls(TlsStream& stream, std::shared_ptr<tcp::resolver> resolver,
                                        const Url& url,
                                        std::chrono::steady_clock::duration timeout);

}  // namespace bookbridge::transport::detail
