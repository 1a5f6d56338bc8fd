#include "platform/secret_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/temp_dir.h"

namespace bookbridge::platform {
namespace {

using bookbridge::testing::TempDir;

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

TEST(SecretStore, FilesAre0600InA0700Directory) {
  TempDir dir("secret-store");
  auto old_umask = ::umask(0);  // the most permissive umask must not widen anything
  SecretStore store(dir / "state");
  ASSERT_FALSE(store.save("acme", "bbk_secret"));
  ::umask(old_umask);
  auto file = store.file_for("acme");
  EXPECT_EQ(file, dir / "state" / "credentials" / "acme.secret");
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(mode_of(file.parent_path()), 0700u);
  EXPECT_EQ(store.load("acme"), "bbk_secret");
}

TEST(SecretStore, TightensAnExistingLooseDirectory) {
  TempDir dir("secret-store");
  std::filesystem::create_directories(dir / "credentials");
  ::chmod((dir / "credentials").c_str(), 0755);
  SecretStore store(dir.path());
  ASSERT_FALSE(store.save("acme", "x"));
  EXPECT_EQ(mode_of(dir / "credentials"), 0700u);
}

TEST(SecretStore, ReplacesAtomicallyAndLeavesNoTempFiles) {
  TempDir dir("secret-store");
  SecretStore store(dir.path());
  ASSERT_FALSE(store.save("acme", std::string(100000, 'a')));
  struct stat before {};
  ASSERT_EQ(::stat(store.file_for("acme").c_str(), &before), 0);
  ASSERT_FALSE(store.save("acme", "short"));
  struct stat after {};
  ASSERT_EQ(::stat(store.file_for("acme").c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino) << "replaced by rename, not rewritten in place";
  EXPECT_EQ(store.load("acme"), "short");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "credentials")) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"acme.secret"});
}

TEST(SecretStore, LoadAndRemove) {
  TempDir dir("secret-store");
  SecretStore store(dir.path());
  EXPECT_FALSE(store.load("acme").has_value());
  EXPECT_FALSE(store.remove("acme")) << "removing what is not there is not an error";
  ASSERT_FALSE(store.save("acme", std::string("with\0nul", 8)));
  EXPECT_EQ(store.load("acme"), std::string("with\0nul", 8));
  EXPECT_FALSE(store.remove("acme"));
  EXPECT_FALSE(store.load("acme").has_value());
  EXPECT_FALSE(std::filesystem::exists(store.file_for("acme")));
}

TEST(SecretStore, RefusesNamesThatAreNotPlainFileNames) {
  TempDir dir("secret-store");
  SecretStore store(dir / "state");
  for (const char* name : {"", "../x", "a/b", ".hidden", "..", "a b"}) {
    EXPECT_EQ(store.save(name, "x"), std::make_error_code(std::errc::invalid_argument)) << name;
    EXPECT_FALSE(store.load(name).has_value()) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "x.secret"));
}

TEST(SecretStore, DoesNotFollowASymlinkPlantedAsTheSecret) {
  TempDir dir("secret-store");
  SecretStore store(dir.path());
  ASSERT_FALSE(store.save("acme", "x"));
  testing::write_file(dir / "elsewhere", "other file");
  std::filesystem::remove(store.file_for("acme"));
  std::filesystem::create_symlink(dir / "elsewhere", store.file_for("acme"));
  EXPECT_FALSE(store.load("acme").has_value());
  ASSERT_FALSE(store.save("acme", "new"));
  EXPECT_EQ(testing::read_file(dir / "elsewhere"), "other file") << "the link was replaced";
  EXPECT_EQ(store.load("acme"), "new");
}

TEST(SecretStore, RootSavingIntoAServiceUsersStateDirHandsItTheFiles) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root (sudo bookbridge-agent link)";
  }
  TempDir dir("secret-store");
  auto state = dir / "state";
  std::filesystem::create_directories(state);
  ASSERT_EQ(::chown(state.c_str(), 65534, 65534), 0);
  SecretStore store(state);
  ASSERT_FALSE(store.save("acme", "x"));
  struct stat info {};
  ASSERT_EQ(::stat(store.file_for("acme").c_str(), &info), 0);
  EXPECT_EQ(info.st_uid, 65534u);
  EXPECT_EQ(info.st_gid, 65534u);
  ASSERT_EQ(::stat((state / "credentials").c_str(), &info), 0);
  EXPECT_EQ(info.st_uid, 65534u);
  EXPECT_EQ(mode_of(store.file_for("acme")), 0600u);
}

TEST(SecretStore, ReportsWhenTheStateDirCannotBeCreated) {
  TempDir dir("secret-store");
  testing::write_file(dir / "a-file", "");
  SecretStore store(dir / "a-file");
  EXPECT_TRUE(store.save("acme", "x"));
}

}  // namespace
}  // namespace bookbridge::platform
