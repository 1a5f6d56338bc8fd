// HttpsServer against clients that misbehave: raw bytes over TLS, slow or idle peers, old TLS.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>

#include "transport_test_support.h"

namespace bookbridge::transport::testing {
namespace {

using namespace std::chrono_literals;

HttpResponse echo(const HttpRequest& request) {
  return HttpResponse::json(200, request.method + " " + request.path + " " + request.body);
}

TEST(HttpsServerHardening, Expect100ContinueIsAnswered) {
  TestServer server(echo);
  RawTlsConnection raw(server.server->port());
  ASSERT_TRUE(raw.write(
      "POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  EXPECT_EQ(raw.read_until("\r\n\r\n").rfind("HTTP/1.1 100 Continue", 0), 0u);
  ASSERT_TRUE(raw.write("hello"));
  std::string reply = raw.read_until("POST /e hello");
  EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK", 0), 0u) << reply;
}

TEST(HttpsServerHardening, ChunkedBodyOverTheLimitGets413) {
  ServerOptions options;
  options.max_body_bytes = 100;
  std::atomic<int> calls{0};
  TestServer server(
      [&](const HttpRequest& r) {
        ++calls;
        return echo(r);
      },
      options);
  RawTlsConnection raw(server.server->port());
  ASSERT_TRUE(raw.write("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                        std::string("c8\r\n") + std::string(200, 'x') + "\r\n0\r\n\r\n"));
  std::string reply = raw.read_all();
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
  EXPECT_EQ(calls.load(), 0);

  RawTlsConnection small(server.server->port());
  ASSERT_TRUE(small.write(
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
  EXPECT_NE(small.read_until("POST /c hello").find("POST /c hello"), std::string::npos);
}

TEST(HttpsServerHardening, OversizedHeaderGets431) {
  TestServer server(echo);
  RawTlsConnection raw(server.server->port());
  ASSERT_TRUE(
      raw.write("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(100'000, 'a') + "\r\n\r\n"));
  EXPECT_EQ(raw.read_all().rfind("HTTP/1.1 431", 0), 0u);
}

TEST(HttpsServerHardening, PipelinedRequestsAreAnsweredInOrder) {
  TestServer server(echo);
  RawTlsConnection raw(server.server->port());
  ASSERT_TRUE(
      raw.write("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n"
                "Connection: close\r\n\r\n"));
  std::string replies = raw.read_all();
  auto one = replies.find("GET /one");
  auto two = replies.find("GET /two");
  ASSERT_NE(one, std::string::npos) << replies;
  ASSERT_NE(two, std::string::npos) << replies;
  EXPECT_LT(one, two);
}

TEST(HttpsServerHardening, Http10WithoutKeepAliveIsClosedAfterTheReply) {
  TestServer server(echo);
  RawTlsConnection raw(server.server->port());
  ASSERT_TRUE(raw.write("GET /old HTTP/1.0\r\n\r\n"));
  auto start = std::chrono::steady_clock::now();
  std::string reply = raw.read_all();  // returns because the server closes
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_NE(reply.find("GET /old"), std::string::npos) << reply;
}

TEST(HttpsServerHardening, SlowHeaderIsCutOffAtTheHeaderDeadline) {
  ServerOptions options;
  options.header_timeout = 1s;
  TestServer server(echo, options);
  RawTlsConnection raw(server.server->port());
  ASSERT_TRUE(raw.connected());
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(raw.write("GET / HTTP/1.1\r\nHost: x\r\n"));  // never finished
  std::string reply = raw.read_all();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(reply.empty()) << reply;
  EXPECT_LT(took, 4s);  // the 5 s receive timeout of the raw client did not fire
}

TEST(HttpsServerHardening, IdleKeepAliveIsClosedAtTheIdleDeadline) {
  ServerOptions options;
  options.idle_timeout = 1s;
  TestServer server(echo, options);
  RawTlsConnection raw(server.server->port());
  ASSERT_TRUE(raw.write("GET /idle HTTP/1.1\r\nHost: x\r\n\r\n"));
  // The whole reply: its body is "GET /idle " (method, path, empty body).
  ASSERT_NE(raw.read_until("GET /idle ").find("GET /idle "), std::string::npos);
  auto start = std::chrono::steady_clock::now();
  std::string rest = raw.read_all();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(rest.empty()) << rest;
  EXPECT_GE(took, 500ms);
  EXPECT_LT(took, 4s);
}

TEST(HttpsServerHardening, TlsBelow12IsRefused) {
  TestServer server(echo);
  RawTlsConnection::Options old;
  old.max_tls_version = TLS1_1_VERSION;
  RawTlsConnection tls11(server.server->port(), old);
  EXPECT_FALSE(tls11.connected());
  old.max_tls_version = TLS1_2_VERSION;  // control: the same client with TLS 1.2 gets in
  RawTlsConnection tls12(server.server->port(), old);
  EXPECT_TRUE(tls12.connected());
}

TEST(HttpsServerHardening, PlainHttpOnTheTlsPortIsDroppedAndOthersAreServed) {
  TestServer server(echo);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server.server->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string plain = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::write(fd, plain.data(), plain.size()), static_cast<ssize_t>(plain.size()));
  auto start = std::chrono::steady_clock::now();
  char buffer[4096];
  std::string received;
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0)
      break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);  // closed by the server
  EXPECT_EQ(received.find("HTTP/1.1"), std::string::npos);  // never an answer in the clear

  HttpsClient client(server.client_options());
  auto result = client.request(ClientRequest{});
  ASSERT_TRUE(result) << result.error().message();
}

}  // namespace
}  // namespace bookbridge::transport::testing
