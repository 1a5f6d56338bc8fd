// HttpsServer + HttpsClient over real TLS on loopback.

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <mutex>
#include <thread>

#include "support/child_process.h"
#include "transport_test_support.h"

namespace bookbridge::transport::testing {
namespace {

using namespace std::chrono_literals;
using bookbridge::testing::poll_until;

ClientRequest get(std::string target) {
  ClientRequest request;
  request.target = std::move(target);
  return request;
}

TEST(HttpsServerClient, RoundTripWithJsonBodyAndDecodedQuery) {
  std::mutex mutex;
  HttpRequest seen;
  TestServer server([&](const HttpRequest& request) {
    std::lock_guard lock(mutex);
    seen = request;
    return HttpResponse{201, {{"X-Reply", "yes"}}, "{\"ok\":true}", std::nullopt};
  });
  HttpsClient client(server.client_options());
  ClientRequest request;
  request.method = "POST";
  request.target = "/things/a%20b?x=1&name=hello%20world&plus=a+b";
  request.headers["X-Custom"] = "value";
  request.body = R"({"hello":"world"})";
  auto result = client.request(request);
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->status, 201u);
  EXPECT_EQ(result->body, "{\"ok\":true}");
  EXPECT_EQ(result->headers["content-type"], "application/json");  // the server's default
  EXPECT_EQ(result->headers["x-reply"], "yes");

  std::lock_guard lock(mutex);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/things/a%20b?x=1&name=hello%20world&plus=a+b");
  EXPECT_EQ(seen.path, "/things/a b");
  EXPECT_EQ(seen.query_param("x"), "1");
  EXPECT_EQ(seen.query_param("name"), "hello world");
  EXPECT_EQ(seen.query_param("plus"), "a b");
  EXPECT_EQ(seen.header("x-custom"), "value");
  EXPECT_EQ(seen.header("content-type"), "application/json");  // the client's default
  EXPECT_EQ(seen.header("user-agent"), "bookbridge-agent");
  EXPECT_EQ(seen.body, R"({"hello":"world"})");
  EXPECT_EQ(seen.remote_address, "127.0.0.1");
  EXPECT_FALSE(seen.wait_timed_out);
}

TEST(HttpsServerClient, KeepAliveReusesOneConnection) {
  std::mutex mutex;
  std::vector<std::uint64_t> connections;
  TestServer server([&](const HttpRequest& request) {
    std::lock_guard lock(mutex);
    connections.push_back(request.connection_id);
    return HttpResponse::no_content();
  });
  HttpsClient client(server.client_options());
  for (int i = 0; i < 5; ++i) {
    auto result = client.request(get("/ping"));
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result->status, 204u);
  }
  std::lock_guard lock(mutex);
  ASSERT_EQ(connections.size(), 5u);
  for (auto id : connections)
    EXPECT_EQ(id, connections.front());
}

TEST(HttpsServerClient, ConnectionCloseIsHonouredAndClientReconnects) {
  std::mutex mutex;
  std::vector<std::uint64_t> connections;
  TestServer server([&](const HttpRequest& request) {
    std::lock_guard lock(mutex);
    connections.push_back(request.connection_id);
    return HttpResponse{200, {{"Connection", "close"}}, "{}", std::nullopt};
  });
  HttpsClient client(server.client_options());
  for (int i = 0; i < 3; ++i) {
    auto result = client.request(get("/"));
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result->headers["connection"], "close");
  }
  std::lock_guard lock(mutex);
  ASSERT_EQ(connections.size(), 3u);
  EXPECT_NE(connections[0], connections[1]);
  EXPECT_NE(connections[1], connections[2]);
}

TEST(HttpsServerClient, ClientRetriesOnceWhenAReusedConnectionWasClosed) {
  std::atomic<int> calls{0};
  auto handler = [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::json(200, "{}");
  };
  TestServer first(handler);
  HttpsClient client(first.client_options());
  ASSERT_TRUE(client.request(get("/")));
  // The server goes away (closing the idle keep-alive the client holds) and comes back on the
  // same port: the first write on the pooled connection fails, the client retries once.
  first.server->stop();
  ServerOptions options;
  options.port = first.server->port();
  options.cert_file = first.pki.cert.cert_file;
  options.key_file = first.pki.cert.key_file;
  HttpsServer second(options, handler);
  second.start();
  auto result = client.request(get("/"));
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->status, 200u);
  EXPECT_EQ(calls.load(), 2);
}

TEST(HttpsServerClient, OversizedBodyGets413AndTheHandlerNeverRuns) {
  std::atomic<int> calls{0};
  ServerOptions options;
  options.max_body_bytes = 1024;
  TestServer server(
      [&](const HttpRequest&) {
        ++calls;
        return HttpResponse::no_content();
      },
      options);
  HttpsClient client(server.client_options());
  ClientRequest request;
  request.method = "PUT";
  request.target = "/upload";
  request.body = std::string(4096, 'x');
  auto result = client.request(request);
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->status, 413u);
  EXPECT_NE(result->body.find("\"statusCode\":413"), std::string::npos) << result->body;
  EXPECT_NE(result->body.find("Request body exceeds 1024 bytes"), std::string::npos);
  EXPECT_NE(result->body.find("\"correlationId\":\""), std::string::npos);
  EXPECT_NE(result->body.find("\"canBeRetried\":\"False\""), std::string::npos);
  EXPECT_EQ(result->headers["connection"], "close");
  EXPECT_EQ(calls.load(), 0);

  request.body = std::string(1024, 'x');  // exactly the limit is fine
  auto ok = client.request(request);
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->status, 204u);
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpsServerClient, MalformedRequestGets400AndClose) {
  TestServer server([](const HttpRequest&) { return HttpResponse::no_content(); });
  RawTlsConnection raw(server.server->port());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.write("THIS IS NOT HTTP\r\n\r\n"));
  std::string reply = raw.read_all();  // returns when the server closes
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  EXPECT_NE(reply.find("\"statusCode\":400"), std::string::npos) << reply;

  RawTlsConnection bad_target(server.server->port());
  ASSERT_TRUE(bad_target.write("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(bad_target.read_all().rfind("HTTP/1.1 400", 0), 0u);
}

TEST(HttpsServerClient, HandlerExceptionBecomes500) {
  TestServer server([](const HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); });
  HttpsClient client(server.client_options());
  auto result = client.request(get("/"));
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->status, 500u);
  EXPECT_EQ(result->body.find("boom"), std::string::npos);  // no internals leak
}

TEST(HttpsServerClient, BlockingHandlerDoesNotStallOtherConnections) {
  std::latch release(1);
  std::atomic<bool> slow_entered{false};
  ServerOptions options;
  options.worker_threads = 2;
  TestServer server(
      [&](const HttpRequest& request) {
        if (request.path == "/slow") {
          slow_entered = true;
          release.wait();
        }
        return HttpResponse::json(200, "{}");
      },
      options);
  HttpsClient client(server.client_options());
  auto slow = std::async(std::launch::async, [&] { return client.request(get("/slow")); });
  ASSERT_TRUE(poll_until([&] { return slow_entered.load(); }, 5s));
  auto fast = client.request(get("/fast"));
  ASSERT_TRUE(fast) << fast.error().message();
  EXPECT_EQ(fast->status, 200u);
  EXPECT_EQ(slow.wait_for(0s), std::future_status::timeout);  // still blocked
  release.count_down();
  auto slow_result = slow.get();
  ASSERT_TRUE(slow_result) << slow_result.error().message();
}

TEST(HttpsServerClient, ConcurrentRequestsFromSeveralThreads) {
  TestServer server(
      [](const HttpRequest& request) { return HttpResponse::json(200, request.body); });
  HttpsClient client(server.client_options());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        ClientRequest request;
        request.method = "POST";
        request.target = "/echo";
        request.body = std::to_string(t * 100 + i);
        auto result = client.request(request);
        if (result && result->status == 200 && result->body == request.body)
          ++ok;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(ok.load(), 40);
}

TEST(HttpsServerClient, ResponseLargerThanTheLimitIsAnError) {
  TestServer server(
      [](const HttpRequest&) { return HttpResponse::json(200, std::string(10'000, 'x')); });
  auto options = server.client_options();
  options.max_response_bytes = 1000;
  HttpsClient client(options);
  auto result = client.request(get("/"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), std::errc::message_size) << result.error().message();
}

TEST(HttpsServerClient, HeaderInjectionIsRefusedOnBothSides) {
  std::atomic<int> calls{0};
  TestServer server([&](const HttpRequest&) {
    ++calls;
    return HttpResponse{
        200, {{"X-Bad", "a\r\nInjected: yes"}, {"X-Good", "fine"}}, "{}", std::nullopt};
  });
  HttpsClient client(server.client_options());
  ClientRequest bad_header;
  bad_header.headers["X-Lease-Id"] = "abc\r\nX-Evil: 1";
  auto refused = client.request(bad_header);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), std::errc::invalid_argument);
  ClientRequest bad_target;
  bad_target.target = "/a b HTTP/1.1\r\nX-Evil: 1\r\n\r\nGET /";
  EXPECT_FALSE(client.request(bad_target));
  EXPECT_EQ(calls.load(), 0);

  auto result = client.request(ClientRequest{});
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->headers.count("Injected"), 0u);
  EXPECT_EQ(result->headers.count("X-Bad"), 0u);
  EXPECT_EQ(result->headers["X-Good"], "fine");
}

TEST(HttpsServerClient, HeadGetsHeadersOnly) {
  TestServer server([](const HttpRequest&) { return HttpResponse::json(200, "{\"a\":1}"); });
  HttpsClient client(server.client_options());
  ClientRequest head;
  head.method = "HEAD";
  head.target = "/";
  auto result = client.request(head);
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->headers["content-length"], "7");
  EXPECT_TRUE(result->body.empty());
  auto again = client.request(get("/"));  // the connection is still in sync
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->body, "{\"a\":1}");
}

TEST(HttpsServerClient, Ipv6Loopback) {
  ServerOptions options;
  options.host = "::1";
  std::unique_ptr<TestServer> server;
  try {
    server = std::make_unique<TestServer>(
        [](const HttpRequest& request) { return HttpResponse::json(200, request.remote_address); },
        options);
  } catch (const std::runtime_error& e) {
    GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
  }
  EXPECT_EQ(server->url().rfind("https://[::1]:", 0), 0u);
  HttpsClient client(server->client_options());
  auto result = client.request(get("/"));
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->body, "::1");
}

TEST(HttpsServerClient, WildcardIpv6ListenerAlsoServesIpv4) {
  ServerOptions options;
  options.host = "::";
  std::unique_ptr<TestServer> server;
  try {
    server = std::make_unique<TestServer>(
        [](const HttpRequest& request) { return HttpResponse::json(200, request.remote_address); },
        options);
  } catch (const std::runtime_error& e) {
    GTEST_SKIP() << "no IPv6 here: " << e.what();
  }
  auto client_options = server->client_options();
  client_options.base_url = "https://127.0.0.1:" + std::to_string(server->server->port());
  HttpsClient client(client_options);
  auto result = client.request(get("/"));
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->body, "127.0.0.1");  // not ::ffff:127.0.0.1
}

TEST(HttpsServer, StartReportsMissingCertificateAndBusyPort) {
  TestPki pki;
  ServerOptions options;
  options.cert_file = pki.dir.path() / "missing.pem";
  options.key_file = pki.cert.key_file;
  HttpsServer missing(options, [](const HttpRequest&) { return HttpResponse::no_content(); });
  try {
    missing.start();
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.pem"), std::string::npos) << e.what();
  }

  options.cert_file = pki.cert.key_file;  // a key is not a certificate
  HttpsServer wrong(options, [](const HttpRequest&) { return HttpResponse::no_content(); });
  EXPECT_THROW(wrong.start(), std::runtime_error);

  TestServer running([](const HttpRequest&) { return HttpResponse::no_content(); });
  options.cert_file = pki.cert.cert_file;
  options.port = running.server->port();
  HttpsServer busy(options, [](const HttpRequest&) { return HttpResponse::no_content(); });
  try {
    busy.start();
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on https://127.0.0.1:" +
                                         std::to_string(options.port)),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace bookbridge::transport::testing
