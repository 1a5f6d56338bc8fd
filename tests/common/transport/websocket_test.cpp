// WebSocket sessions: HttpsServer (WebSocketHooks) against WebSocketClient over real TLS.

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <vector>

#include "support/child_process.h"
#include "transport_test_support.h"

namespace bookbridge::transport::testing {
namespace {

using namespace std::chrono_literals;
using bookbridge::testing::poll_until;

constexpr const char* kWsPath = "/agent/v1/ws";

/// Records what the hooks saw; accepts "Bearer good" as session "conn-1".
struct HookLog {
  std::mutex mutex;
  std::vector<std::string> events;  // "open:KEY", "close:KEY", "msg:KEY:TEXT"

  void add(std::string event) {
    std::lock_guard lock(mutex);
    events.push_back(std::move(event));
  }
  bool has(const std::string& event) {
    std::lock_guard lock(mutex);
    return std::find(events.begin(), events.end(), event) != events.end();
  }
  std::vector<std::string> all() {
    std::lock_guard lock(mutex);
    return events;
  }

  WebSocketHooks hooks() {
    WebSocketHooks hooks;
    hooks.ws_path = kWsPath;
    hooks.authorize = [](const HttpRequest& request,
                         HttpResponse& reject) -> std::optional<std::string> {
      if (request.header("Authorization") == "Bearer good")
        return "conn-1";
      reject = HttpResponse::json(401, R"({"statusCode":401,"error":"Unauthorized"})");
      return std::nullopt;
    };
    hooks.on_presence = [this](const std::string& key, bool open) {
      add((open ? "open:" : "close:") + key);
    };
    hooks.on_message = [this](const std::string& key, std::string_view text) {
      add("msg:" + key + ":" + std::string(text));
    };
    return hooks;
  }
};

HttpResponse http_ok(const HttpRequest&) {
  return HttpResponse::json(200, "{\"http\":true}");
}

/// Runs WebSocketClient::run on its own thread, collecting messages; closes the client when it
/// goes out of scope so a failed assertion cannot leave run() blocked forever.
struct Reader {
  explicit Reader(WebSocketClient& ws_client)
      : client(ws_client), done(std::async(std::launch::async, [this] {
          return client.run([this](std::string_view text) {
            std::lock_guard lock(mutex);
            messages.emplace_back(text);
          });
        })) {}
  ~Reader() {
    client.close();
    if (done.valid())
      done.wait();
  }
  bool got(const std::string& text) {
    std::lock_guard lock(mutex);
    return std::find(messages.begin(), messages.end(), text) != messages.end();
  }
  WebSocketClient& client;
  std::mutex mutex;
  std::vector<std::string> messages;
  std::future<std::error_code> done;
};

TEST(WebSocket, RefusedUpgradeReportsTheHttpStatus) {
  HookLog log;
  TestServer server(http_ok, {}, log.hooks());
  WebSocketClient client(server.client_options());
  unsigned status = 0;
  auto ec = client.connect(kWsPath, {{"Authorization", "Bearer wrong"}}, &status);
  EXPECT_TRUE(ec);
  EXPECT_EQ(status, 401u);
  EXPECT_TRUE(log.all().empty());
}

TEST(WebSocket, SessionPresenceMessagesWakeAndServerStop) {
  HookLog log;
  TestServer server(http_ok, {}, log.hooks());
  WebSocketClient client(server.client_options());
  unsigned status = 0;
  ASSERT_FALSE(client.connect(kWsPath, {{"Authorization", "Bearer good"}}, &status));
  EXPECT_EQ(status, 101u);
  ASSERT_TRUE(poll_until([&] { return log.has("open:conn-1"); }, 5s));

  Reader reader(client);
  ASSERT_FALSE(client.send(R"({"type":"hello","hostname":"ledger-pc"})"));
  ASSERT_TRUE(poll_until(
      [&] { return log.has(R"(msg:conn-1:{"type":"hello","hostname":"ledger-pc"})"); }, 5s));

  server.server->notify("other-connection");
  server.server->notify("conn-1");
  ASSERT_TRUE(poll_until([&] { return reader.got(R"({"type":"wake"})"); }, 5s));
  {
    std::lock_guard lock(reader.mutex);
    EXPECT_EQ(reader.messages.size(), 1u);  // the other key's wake did not arrive here
  }

  // Plain HTTPS keeps working next to the session.
  HttpsClient http(server.client_options());
  auto result = http.request(ClientRequest{});
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->body, "{\"http\":true}");

  auto start = std::chrono::steady_clock::now();
  server.server->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  ASSERT_EQ(reader.done.wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(reader.done.get());  // ended by the server
  EXPECT_TRUE(log.has("close:conn-1"));
  auto events = log.all();
  EXPECT_EQ(events.front(), "open:conn-1");
  EXPECT_EQ(events.back(), "close:conn-1");
}

TEST(WebSocket, DisconnectClosesTheSessionsOfAKey) {
  HookLog log;
  TestServer server(http_ok, {}, log.hooks());
  WebSocketClient client(server.client_options());
  ASSERT_FALSE(client.connect(kWsPath, {{"Authorization", "Bearer good"}}));
  ASSERT_TRUE(poll_until([&] { return log.has("open:conn-1"); }, 5s));
  Reader reader(client);
  server.server->disconnect("conn-1");
  ASSERT_EQ(reader.done.wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(reader.done.get());
  ASSERT_TRUE(poll_until([&] { return log.has("close:conn-1"); }, 5s));
}

TEST(WebSocket, ClientCloseEndsRunAndPresence) {
  HookLog log;
  TestServer server(http_ok, {}, log.hooks());
  WebSocketClient client(server.client_options());
  ASSERT_FALSE(client.connect(kWsPath, {{"Authorization", "Bearer good"}}));
  ASSERT_TRUE(poll_until([&] { return log.has("open:conn-1"); }, 5s));
  Reader reader(client);
  client.close();
  ASSERT_EQ(reader.done.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(reader.done.get(), std::errc::operation_canceled);
  ASSERT_TRUE(poll_until([&] { return log.has("close:conn-1"); }, 5s));
  EXPECT_TRUE(client.send("late"));  // not connected any more

  // The same client can connect again.
  ASSERT_FALSE(client.connect(kWsPath, {{"Authorization", "Bearer good"}}));
  ASSERT_TRUE(poll_until(
      [&] {
        auto events = log.all();
        return std::count(events.begin(), events.end(), "open:conn-1") == 2;
      },
      5s));
}

TEST(WebSocket, PresenceCountsSessionsPerKey) {
  HookLog log;
  TestServer server(http_ok, {}, log.hooks());
  WebSocketClient first(server.client_options());
  WebSocketClient second(server.client_options());
  ASSERT_FALSE(first.connect(kWsPath, {{"Authorization", "Bearer good"}}));
  ASSERT_FALSE(second.connect(kWsPath, {{"Authorization", "Bearer good"}}));
  Reader first_reader(first);
  Reader second_reader(second);
  // The server reads a session's messages only once it is registered: after both hellos,
  // both sessions are there to be woken.
  ASSERT_FALSE(first.send("hello-1"));
  ASSERT_FALSE(second.send("hello-2"));
  ASSERT_TRUE(poll_until(
      [&] { return log.has("msg:conn-1:hello-1") && log.has("msg:conn-1:hello-2"); }, 5s));
  server.server->notify("conn-1");  // both sessions of the key are woken
  ASSERT_TRUE(poll_until(
      [&] {
        return first_reader.got(R"({"type":"wake"})") && second_reader.got(R"({"type":"wake"})");
      },
      5s));
  first.close();
  ASSERT_EQ(first_reader.done.wait_for(5s), std::future_status::ready);
  // One session of conn-1 is still open: no "close" yet.
  EXPECT_FALSE(log.has("close:conn-1"));
  second.close();
  ASSERT_TRUE(poll_until([&] { return log.has("close:conn-1"); }, 5s));
  auto events = log.all();
  EXPECT_EQ(std::count(events.begin(), events.end(), "open:conn-1"), 1);
}

TEST(WebSocket, SilentPeerIsDroppedByPingLivenessWhileALiveOneStays) {
  HookLog log;
  ServerOptions options;
  options.ws_idle_timeout = 1s;
  TestServer server(http_ok, options, log.hooks());

  // A live client answers the server's pings (and pings itself).
  auto client_options = server.client_options();
  client_options.ws_idle_timeout = 1s;
  WebSocketClient live(client_options);
  ASSERT_FALSE(live.connect(kWsPath, {{"Authorization", "Bearer good"}}));
  Reader reader(live);

  // A raw peer that upgrades and then never reads again: it never answers a ping.
  RawTlsConnection silent(server.server->port());
  ASSERT_TRUE(silent.write(
      "GET /agent/v1/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
      "Authorization: Bearer good\r\n\r\n"));
  std::string upgrade = silent.read_until("\r\n\r\n");
  ASSERT_EQ(upgrade.rfind("HTTP/1.1 101", 0), 0u) << upgrade;

  auto start = std::chrono::steady_clock::now();
  std::string rest = silent.read_all();  // returns when the server gives up on the peer
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 4s);
  EXPECT_GE(took, 500ms);
  // The live session survived more than twice its idle timeout.
  EXPECT_FALSE(
      poll_until([&] { return reader.done.wait_for(0s) == std::future_status::ready; }, 1500ms));
  EXPECT_FALSE(log.has("close:conn-1"));
  live.close();
  ASSERT_TRUE(poll_until([&] { return log.has("close:conn-1"); }, 5s));
}

TEST(WebSocket, WakeRightAfterTheUpgradeIsNotLost) {
  HookLog log;
  TestServer server(http_ok, {}, log.hooks());
  for (int i = 0; i < 5; ++i) {
    WebSocketClient client(server.client_options());
    ASSERT_FALSE(client.connect(kWsPath, {{"Authorization", "Bearer good"}}));
    server.server->notify("conn-1");  // no waiting for presence: the session must get it
    Reader reader(client);
    ASSERT_TRUE(poll_until([&] { return reader.got(R"({"type":"wake"})"); }, 5s)) << i;
  }
}

TEST(WebSocket, UntrustedServerIsRefused) {
  HookLog log;
  TestServer server(http_ok, {}, log.hooks());
  auto options = server.client_options();
  options.ca_file.clear();
  WebSocketClient client(options);
  unsigned status = 0;
  auto ec = client.connect(kWsPath, {{"Authorization", "Bearer good"}}, &status);
  EXPECT_TRUE(ec);
  EXPECT_EQ(status, 0u);
  EXPECT_FALSE(log.has("open:conn-1"));
}

}  // namespace
}  // namespace bookbridge::transport::testing
