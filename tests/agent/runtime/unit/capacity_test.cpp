#include "runtime/capacity.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "runtime/run.h"
#include "runtime/shutdown.h"

namespace bookbridge::agent::runtime {
namespace {

TEST(CapacityTest, HandsOutAtMostTheFreeSlots) {
  Capacity capacity(2);
  EXPECT_EQ(capacity.try_acquire(5), 2);
  EXPECT_EQ(capacity.try_acquire(1), 0);
  capacity.release(1, false);
  EXPECT_EQ(capacity.available(), 1);
  EXPECT_EQ(capacity.try_acquire(0), 0);
  EXPECT_EQ(capacity.try_acquire(1), 1);
}

TEST(CapacityTest, ForcedAcquireMayOvercommitAndReleaseNotifies) {
  Capacity capacity(1);
  int notified = 0;
  capacity.add_listener([&notified] { ++notified; });
  capacity.acquire_forced();
  capacity.acquire_forced();
  EXPECT_EQ(capacity.available(), 0);
  EXPECT_EQ(capacity.try_acquire(1), 0);
  capacity.release(1, true);
  EXPECT_EQ(notified, 1);
  EXPECT_EQ(capacity.try_acquire(1), 0);  // still one over
  capacity.release(1, true);
  EXPECT_EQ(notified, 2);
  EXPECT_EQ(capacity.try_acquire(1), 1);
}

TEST(CapacityTest, UnusedSlotsWakeOnlyWhenSomeoneWentWithout) {
  Capacity capacity(1);
  int notified = 0;
  capacity.add_listener([&notified] { ++notified; });
  EXPECT_EQ(capacity.try_acquire(1), 1);
  capacity.release(1, false);  // nobody was turned away
  EXPECT_EQ(notified, 0);
  EXPECT_EQ(capacity.try_acquire(1), 1);
  EXPECT_EQ(capacity.try_acquire(1), 0);  // another source is turned away...
  capacity.release(1, false);             // ...so even an unused slot wakes it
  EXPECT_EQ(notified, 1);
  capacity.release(0, false);
  EXPECT_EQ(notified, 1);
}

TEST(ShutdownTest, RequestWakesTheWaiterAndResetClearsIt) {
  reset_shutdown();
  EXPECT_FALSE(shutdown_requested());
  EXPECT_FALSE(wait_for_shutdown(std::chrono::milliseconds(10)));
  std::thread requester([] { request_shutdown(); });
  const auto began = std::chrono::steady_clock::now();
  EXPECT_TRUE(wait_for_shutdown(std::chrono::seconds(30)));
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(10));
  requester.join();
  EXPECT_TRUE(shutdown_requested());
  reset_shutdown();
  EXPECT_FALSE(shutdown_requested());
  EXPECT_FALSE(wait_for_shutdown(std::chrono::milliseconds(10)));
}

}  // namespace
}  // namespace bookbridge::agent::runtime
