#include "state/link_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "platform/secret_store.h"
#include "support/temp_dir.h"

namespace bookbridge::agent::state {
namespace {

using bookbridge::testing::TempDir;

LinkRecord sample(std::string credential) {
  return LinkRecord{
      std::move(credential), "https://hub.example:8443", "conn-1", "comp-1", "Acme Ltd", "gnucash",
      "2026-11-28T12:00:00Z"};
}

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

TEST(LinkStore, RoundTripsEveryField) {
  TempDir dir("link-store");
  auto state_dir = dir / "state";
  EXPECT_FALSE(load_link(state_dir, "acme").has_value());
  ASSERT_FALSE(save_link(state_dir, "acme", sample("bbk_secret1")));
  auto loaded = load_link(state_dir, "acme");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->credential, "bbk_secret1");
  EXPECT_EQ(loaded->hub_url, "https://hub.example:8443");
  EXPECT_EQ(loaded->connection_id, "conn-1");
  EXPECT_EQ(loaded->company_id, "comp-1");
  EXPECT_EQ(loaded->company_name, "Acme Ltd");
  EXPECT_EQ(loaded->platform_key, "gnucash");
  EXPECT_EQ(loaded->linked_at, "2026-11-28T12:00:00Z");
  EXPECT_FALSE(load_link(state_dir, "other").has_value()) << "one record per source";
}

TEST(LinkStore, CredentialFileIsPrivate) {
  TempDir dir("link-store");
  ASSERT_FALSE(save_link(dir.path(), "acme", sample("bbk_secret1")));
  auto file = platform::SecretStore(dir.path()).file_for("acme");
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(mode_of(file.parent_path()), 0700u);
}

TEST(LinkStore, RelinkReplacesAndUnlinkRemoves) {
  TempDir dir("link-store");
  ASSERT_FALSE(save_link(dir.path(), "acme", sample("bbk_first")));
  ASSERT_FALSE(save_link(dir.path(), "acme", sample("bbk_second")));
  EXPECT_EQ(load_link(dir.path(), "acme")->credential, "bbk_second");
  EXPECT_FALSE(remove_link(dir.path(), "acme"));
  EXPECT_FALSE(load_link(dir.path(), "acme").has_value());
  EXPECT_FALSE(remove_link(dir.path(), "acme")) << "removing twice is fine";
}

TEST(LinkStore, CorruptOrForeignFilesAreNotLinks) {
  TempDir dir("link-store");
  platform::SecretStore store(dir.path());
  ASSERT_FALSE(store.save("acme", "{not json"));
  EXPECT_FALSE(load_link(dir.path(), "acme").has_value());
  ASSERT_FALSE(store.save("acme", R"({"format": 1, "credential": ""})"));
  EXPECT_FALSE(load_link(dir.path(), "acme").has_value());
  ASSERT_FALSE(store.save("acme", R"({"format": 99, "credential": "bbk_x"})"));
  EXPECT_FALSE(load_link(dir.path(), "acme").has_value()) << "unknown format version";
}

TEST(LinkStore, RefusesUnsafeSourceNames) {
  TempDir dir("link-store");
  EXPECT_TRUE(save_link(dir.path(), "../escape", sample("bbk_x")));
  EXPECT_FALSE(std::filesystem::exists(dir / "escape.secret"));
  EXPECT_FALSE(load_link(dir.path(), "../escape").has_value());
}

}  // namespace
}  // namespace bookbridge::agent::state
