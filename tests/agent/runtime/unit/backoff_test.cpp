#include "runtime/backoff.h"

#include <gtest/gtest.h>

#include <stop_token>
#include <thread>

namespace bookbridge::agent::runtime {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(BackoffTest, CeilingDoublesFromBaseUpToCap) {
  Backoff backoff(seconds(1), seconds(60), [] { return 0.5; });
  const long expected[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
  for (long ceiling : expected) {
    EXPECT_EQ(backoff.ceiling().count(), ceiling);
    backoff.next();
  }
}

TEST(BackoffTest, FullJitterDrawsBetweenZeroAndCeiling) {
  double r = 0.0;
  Backoff backoff(seconds(1), seconds(60), [&r] { return r; });
  r = 0.0;
  EXPECT_EQ(backoff.next(), milliseconds(0));
  r = 0.999;
  EXPECT_EQ(backoff.next(), milliseconds(1998));  // attempt 1: ceiling 2 s
  r = 0.25;
  EXPECT_EQ(backoff.next(), milliseconds(1000));  // attempt 2: ceiling 4 s
}

TEST(BackoffTest, NeverExceedsCapWithRealRandomness) {
  Backoff backoff(milliseconds(100), milliseconds(700));
  for (int i = 0; i < 200; ++i) {
    const auto delay = backoff.next();
    EXPECT_GE(delay.count(), 0);
    EXPECT_LE(delay.count(), 700);
  }
  EXPECT_EQ(backoff.ceiling(), milliseconds(700));
}

TEST(BackoffTest, OutOfRangeRandomIsClamped) {
  Backoff backoff(seconds(1), seconds(8), [] { return 7.0; });
  EXPECT_EQ(backoff.next(), seconds(1));
}

TEST(BackoffTest, ResetStartsAgainFromBase) {
  Backoff backoff(seconds(1), seconds(60), [] { return 1.0; });
  backoff.next();
  backoff.next();
  backoff.next();
  EXPECT_EQ(backoff.ceiling(), seconds(8));
  backoff.reset();
  EXPECT_EQ(backoff.attempt(), 0u);
  EXPECT_EQ(backoff.next(), seconds(1));
}

TEST(BackoffTest, ManyAttemptsDoNotOverflow) {
  Backoff backoff(seconds(1), seconds(60), [] { return 1.0; });
  for (int i = 0; i < 1000; ++i) {
    backoff.next();
  }
  EXPECT_EQ(backoff.next(), seconds(60));
}

TEST(InterruptibleSleepTest, WakesOnStopRequest) {
  std::stop_source stop;
  const auto start = std::chrono::steady_clock::now();
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(milliseconds(50));
    stop.request_stop();
  });
  EXPECT_FALSE(interruptible_sleep(stop.get_token(), seconds(30)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
}

TEST(InterruptibleSleepTest, SleepsTheWholeDurationWithoutStop) {
  std::stop_source stop;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(interruptible_sleep(stop.get_token(), milliseconds(30)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(30));
}

}  // namespace
}  // namespace bookbridge::agent::runtime
