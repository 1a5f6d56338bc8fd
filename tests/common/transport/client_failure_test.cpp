// HttpsClient refusing what it must refuse: untrusted or misnamed certificates, silent servers,
// bad configuration; and cancel_all().

#include <gtest/gtest.h>

#include <future>
#include <latch>

#include "support/child_process.h"
#include "transport_test_support.h"

namespace bookbridge::transport::testing {
namespace {

using namespace std::chrono_literals;
using bookbridge::testing::poll_until;

HttpResponse ok(const HttpRequest&) {
  return HttpResponse::json(200, "{}");
}

TEST(HttpsClientTls, RefusesAServerItDoesNotTrust) {
  TestServer server(ok);
  auto options = server.client_options();
  options.ca_file.clear();  // only the system store, which does not know this certificate
  HttpsClient client(options);
  auto result = client.request(ClientRequest{});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("certificate verify failed"), std::string::npos)
      << result.error().message();
}

TEST(HttpsClientTls, RefusesACertificateForAnotherName) {
  bookbridge::testing::TempDir dir;
  auto other = create_self_signed_certificate(dir.path() / "other", {"other.example"});
  ServerOptions options;
  options.cert_file = other.cert_file;
  options.key_file = other.key_file;
  HttpsServer server(options, ok);
  server.start();
  ClientOptions client_options;
  client_options.base_url = "https://127.0.0.1:" + std::to_string(server.port());
  client_options.ca_file = other.cert_file;  // trusted, but not issued for 127.0.0.1
  HttpsClient client(client_options);
  auto result = client.request(ClientRequest{});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("certificate verify failed"), std::string::npos)
      << result.error().message();

  // Control: the same trust with a certificate that names 127.0.0.1 works.
  auto right = create_self_signed_certificate(dir.path() / "right", {"127.0.0.1"});
  options.cert_file = right.cert_file;
  options.key_file = right.key_file;
  HttpsServer good(options, ok);
  good.start();
  client_options.base_url = "https://127.0.0.1:" + std::to_string(good.port());
  client_options.ca_file = right.cert_file;
  HttpsClient good_client(client_options);
  auto good_result = good_client.request(ClientRequest{});
  EXPECT_TRUE(good_result) << good_result.error().message();
}

TEST(HttpsClientTls, DnsNameWithSniIsVerified) {
  TestServer server(ok);
  auto options = server.client_options();
  options.base_url = "https://localhost:" + std::to_string(server.server->port());
  HttpsClient client(options);
  auto result = client.request(ClientRequest{});
  // localhost may resolve to ::1 first, where nobody listens: any failure must not be TLS.
  if (!result) {
    EXPECT_EQ(result.error().message().find("certificate"), std::string::npos)
        << result.error().message();
  }
}

TEST(HttpsClientDeadlines, ConnectTimeoutFiresAgainstASilentListener) {
  SilentListener silent;
  ClientOptions options;
  options.base_url = "https://127.0.0.1:" + std::to_string(silent.port());
  options.connect_timeout = 1s;
  HttpsClient client(options);
  auto start = std::chrono::steady_clock::now();
  auto result = client.request(ClientRequest{});
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), std::errc::timed_out) << result.error().message();
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 4s);
}

TEST(HttpsClientDeadlines, PerRequestTimeoutFiresWhenTheServerIsSlow) {
  std::latch release(1);
  TestServer server([&](const HttpRequest&) {
    release.wait();
    return HttpResponse::json(200, "{}");
  });
  HttpsClient client(server.client_options());  // request_timeout 10 s
  ClientRequest request;
  request.timeout = 1s;
  auto start = std::chrono::steady_clock::now();
  auto result = client.request(request);
  auto took = std::chrono::steady_clock::now() - start;
  release.count_down();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), std::errc::timed_out) << result.error().message();
  EXPECT_LT(took, 4s);
}

TEST(HttpsClientCancel, CancelAllAbortsRequestsInFlightAndRefusesNewOnes) {
  std::latch release(1);
  std::atomic<bool> entered{false};
  TestServer server([&](const HttpRequest&) {
    entered = true;
    release.wait();
    return HttpResponse::json(200, "{}");
  });
  HttpsClient client(server.client_options());
  auto in_flight = std::async(std::launch::async, [&] { return client.request(ClientRequest{}); });
  ASSERT_TRUE(poll_until([&] { return entered.load(); }, 5s));
  client.cancel_all();
  auto result = in_flight.get();
  release.count_down();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), std::errc::operation_canceled) << result.error().message();
  auto later = client.request(ClientRequest{});
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error(), std::errc::operation_canceled);
}

TEST(HttpsClientConfig, RejectsNonHttpsUrlsAndUnreadableCaFiles) {
  ClientOptions options;
  options.base_url = "http://127.0.0.1:1";
  EXPECT_THROW(HttpsClient{options}, std::runtime_error);
  EXPECT_THROW(WebSocketClient{options}, std::runtime_error);
  options.base_url = "https://127.0.0.1:1";
  options.ca_file = "/nonexistent/ca.pem";
  try {
    HttpsClient client(options);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/ca.pem"), std::string::npos) << e.what();
  }
}

TEST(HttpsClientConfig, ConnectionRefusedIsAnErrorNotAnException) {
  std::uint16_t port = 0;
  {
    SilentListener closed;  // bound, then released: nobody listens there any more
    port = closed.port();
  }
  ClientOptions options;
  options.base_url = "https://127.0.0.1:" + std::to_string(port);
  options.connect_timeout = 2s;
  HttpsClient client(options);
  auto result = client.request(ClientRequest{});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), std::errc::connection_refused) << result.error().message();
}

}  // namespace
}  // namespace bookbridge::transport::testing
