// Long-poll parking (HttpResponse::wait + HttpsServer::notify) and graceful stop.

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <mutex>

#include "support/child_process.h"
#include "transport_test_support.h"

namespace bookbridge::transport::testing {
namespace {

using namespace std::chrono_literals;
using bookbridge::testing::poll_until;

/// A handler like the hub's poll endpoint: parks on `key` until woken, then reports whether it
/// was woken or timed out.
struct PollHandler {
  std::chrono::milliseconds wait_timeout{10'000};
  std::atomic<int> calls{0};
  std::atomic<int> parked{0};
  std::function<void()> before_wait;  // runs inside the handler before it asks to wait

  HttpResponse operator()(const HttpRequest& request) {
    ++calls;
    if (request.path != "/poll")
      return HttpResponse::json(200, "{\"other\":true}");
    if (request.wait_timed_out)
      return HttpResponse::json(200, "{\"work\":false}");
    if (calls > 1 && parked > 0)
      return HttpResponse::json(200, "{\"work\":true}");
    if (before_wait)
      before_wait();
    ++parked;
    HttpResponse response;
    response.wait = Wait{"conn-1", wait_timeout};
    return response;
  }
};

ClientRequest poll_request() {
  ClientRequest request;
  request.target = "/poll";
  return request;
}

TEST(LongPoll, ParkedRequestIsWokenByNotifyWithoutHoldingAWorker) {
  PollHandler handler;
  ServerOptions options;
  options.worker_threads = 1;  // a parked request holding it would block everything else
  TestServer server([&](const HttpRequest& r) { return handler(r); }, options);
  HttpsClient client(server.client_options());

  auto start = std::chrono::steady_clock::now();
  auto poll = std::async(std::launch::async, [&] { return client.request(poll_request()); });
  ASSERT_TRUE(poll_until([&] { return handler.parked.load() == 1; }, 5s));

  ClientRequest other;
  other.target = "/other";
  auto other_result = client.request(other);
  ASSERT_TRUE(other_result) << other_result.error().message();
  EXPECT_EQ(other_result->body, "{\"other\":true}");
  EXPECT_EQ(poll.wait_for(0s), std::future_status::timeout);

  server.server->notify("someone-else");
  server.server->notify("conn-1");
  auto result = poll.get();
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->body, "{\"work\":true}");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // far below the 10 s wait
}

TEST(LongPoll, TimeoutRerunsTheHandlerWithWaitTimedOut) {
  PollHandler handler;
  handler.wait_timeout = 200ms;
  TestServer server([&](const HttpRequest& r) { return handler(r); });
  HttpsClient client(server.client_options());
  auto start = std::chrono::steady_clock::now();
  auto result = client.request(poll_request());
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->body, "{\"work\":false}");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
  EXPECT_EQ(handler.calls.load(), 2);
}

TEST(LongPoll, NotifyBetweenHandlerAndParkingIsNotLost) {
  PollHandler handler;
  TestServer* server_ptr = nullptr;
  // The wake-up arrives after the handler saw "no work" but before the request is parked.
  handler.before_wait = [&] { server_ptr->server->notify("conn-1"); };
  TestServer server([&](const HttpRequest& r) { return handler(r); });
  server_ptr = &server;
  HttpsClient client(server.client_options());
  auto start = std::chrono::steady_clock::now();
  auto result = client.request(poll_request());
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->body, "{\"work\":true}");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(LongPoll, StopAnswersParkedRequestsAsTimedOut) {
  PollHandler handler;
  auto server = std::make_unique<TestServer>([&](const HttpRequest& r) { return handler(r); });
  HttpsClient client(server->client_options());
  auto poll = std::async(std::launch::async, [&] { return client.request(poll_request()); });
  ASSERT_TRUE(poll_until([&] { return handler.parked.load() == 1; }, 5s));
  auto start = std::chrono::steady_clock::now();
  server->server->stop(5s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  auto result = poll.get();
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->body, "{\"work\":false}");
}

TEST(GracefulStop, FinishesInFlightRequestThenRefusesConnections) {
  std::latch release(1);
  std::atomic<bool> entered{false};
  TestServer server([&](const HttpRequest&) {
    entered = true;
    release.wait();
    return HttpResponse::json(200, "{\"done\":true}");
  });
  HttpsClient client(server.client_options());
  ClientRequest request;
  request.target = "/work";
  auto in_flight = std::async(std::launch::async, [&] { return client.request(request); });
  ASSERT_TRUE(poll_until([&] { return entered.load(); }, 5s));

  auto stopping = std::async(std::launch::async, [&] { server.server->stop(10s); });
  EXPECT_EQ(stopping.wait_for(100ms), std::future_status::timeout);  // waits for the request
  release.count_down();
  auto result = in_flight.get();
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->body, "{\"done\":true}");
  EXPECT_EQ(result->headers["connection"], "close");
  EXPECT_EQ(stopping.wait_for(5s), std::future_status::ready);
  server.server->stop();  // idempotent

  auto options = server.client_options();
  options.connect_timeout = 2s;
  HttpsClient late(options);
  auto refused = late.request(request);
  EXPECT_FALSE(refused);
}

TEST(GracefulStop, GraceExpiryAbortsAHangingRequest) {
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
  auto stopping = std::async(std::launch::async, [&] { server.server->stop(200ms); });
  // The connection is cut after the grace period even though the handler still runs.
  auto result = in_flight.get();
  EXPECT_FALSE(result);
  release.count_down();  // stop() joins the workers, so let the handler finish
  EXPECT_EQ(stopping.wait_for(5s), std::future_status::ready);
}

}  // namespace
}  // namespace bookbridge::transport::testing
