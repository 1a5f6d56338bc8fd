// HttpsClient against a server that answers badly: garbage, truncated bodies, silence, and
// connections closed before any reply (retried once, never more).

#include <gtest/gtest.h>

#include "transport_test_support.h"

namespace bookbridge::transport::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kOkKeepAlive =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

struct HostileFixture : ::testing::Test {
  ClientOptions options_for(const RawTlsServer& server) {
    ClientOptions options;
    options.base_url = "https://127.0.0.1:" + std::to_string(server.port());
    options.ca_file = pki.cert.cert_file;
    options.connect_timeout = 5s;
    options.request_timeout = 5s;
    return options;
  }
  TestPki pki;
};

TEST_F(HostileFixture, GarbageReplyIsAnError) {
  RawTlsServer server(pki.cert, {{"SMTP READY\r\n\r\n"}});
  HttpsClient client(options_for(server));
  auto result = client.request(ClientRequest{});
  ASSERT_FALSE(result);
  EXPECT_FALSE(result.error().message().empty());
}

TEST_F(HostileFixture, TruncatedBodyIsAnError) {
  RawTlsServer server(pki.cert, {{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"}});
  HttpsClient client(options_for(server));
  auto result = client.request(ClientRequest{});
  ASSERT_FALSE(result);
}

TEST_F(HostileFixture, SilentServerHitsTheRequestDeadline) {
  RawTlsServer server(pki.cert, {{RawTlsServer::kHold}});
  HttpsClient client(options_for(server));
  ClientRequest request;
  request.timeout = 1s;
  auto start = std::chrono::steady_clock::now();
  auto result = client.request(request);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), std::errc::timed_out) << result.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

TEST_F(HostileFixture, FreshConnectionClosedWithoutReplyIsNotRetried) {
  RawTlsServer server(pki.cert, {{""}});
  HttpsClient client(options_for(server));
  auto result = client.request(ClientRequest{});
  ASSERT_FALSE(result);
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(HostileFixture, StaleKeepAliveIsRetriedExactlyOnce) {
  // Connection 0 answers once and then drops the next request; every later connection drops
  // its request too.
  RawTlsServer server(pki.cert, {{kOkKeepAlive, ""}, {""}});
  HttpsClient client(options_for(server));
  auto first = client.request(ClientRequest{});
  ASSERT_TRUE(first) << first.error().message();
  auto second = client.request(ClientRequest{});
  ASSERT_FALSE(second);
  EXPECT_EQ(server.connections(), 2);  // the pooled one plus exactly one retry
}

TEST_F(HostileFixture, StaleKeepAliveRetrySucceedsOnAFreshConnection) {
  RawTlsServer server(pki.cert, {{kOkKeepAlive, ""}, {kOkKeepAlive}});
  HttpsClient client(options_for(server));
  ASSERT_TRUE(client.request(ClientRequest{}));
  auto second = client.request(ClientRequest{});
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second->body, "{}");
  EXPECT_EQ(server.connections(), 2);
}

}  // namespace
}  // namespace bookbridge::transport::testing
