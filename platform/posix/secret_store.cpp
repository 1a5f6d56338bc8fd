#include "platform/secret_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <string>

#include "platform/secret_name.h"

namespace bookbridge::platform {
namespace fs = std::filesystem;
namespace {

std::error_code last_error() {
  return {errno, std::generic_category()};
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// Creates `dir` (and missing parents) and makes sure `dir` itself is 0700 and a real directory.
std::error_code ensure_private_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir.parent_path(), ec);
  if (ec) {
    return ec;
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return last_error();
  }
  struct stat info {};
  if (::lstat(dir.c_str(), &info) != 0) {
    return last_error();
  }
  if (!S_ISDIR(info.st_mode)) {
    return std::make_error_code(std::errc::not_a_directory);
  }
  if ((info.st_mode & 07777) != 0700 && ::chmod(dir.c_str(), 0700) != 0) {
    return last_error();
  }
  return {};
}

std::error_code sync_dir(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    return last_error();
  }
  return {};
}

std::error_code write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return last_error();
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

// When root writes a secret (e.g. `sudo bookbridge-agent link`) into a state dir owned by the
// service user, hand the files to that user: otherwise the service could not read them.
struct Owner {
  uid_t uid = 0;
  gid_t gid = 0;
  bool change = false;
};

Owner owner_for(const fs::path& state_dir) {
  struct stat info {};
  if (::geteuid() != 0 || ::stat(state_dir.c_str(), &info) != 0 || info.st_uid == 0) {
    return {};
  }
  return {info.st_uid, info.st_gid, true};
}

}  // namespace

SecretStore::SecretStore(fs::path state_dir) : dir_(std::move(state_dir) / "credentials") {}

fs::path SecretStore::file_for(const std::string& name) const {
  return dir_ / (name + ".secret");
}

std::error_code SecretStore::save(const std::string& name, const std::string& secret) {
  if (!detail::is_safe_secret_name(name)) {
    return std::make_error_code(std::errc::invalid_argument);
  }
  if (auto ec = ensure_private_dir(dir_)) {
    return ec;
  }
  Owner owner = owner_for(dir_.parent_path());
  if (owner.change && ::lchown(dir_.c_str(), owner.uid, owner.gid) != 0) {
    return last_error();
  }
  // Write a private temp file next to the target, flush it, then rename over the target: a
  // crash leaves either the old secret or the new one, never a torn file.
  std::random_device random;
  fs::path temp =
      dir_ / ("." + name + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) {
    return last_error();
  }
  std::error_code ec;
  if (::fchmod(fd.get(), 0600) != 0) {  // umask cannot widen it, but be explicit
    ec = last_error();
  }
  if (!ec && owner.change && ::fchown(fd.get(), owner.uid, owner.gid) != 0) {
    ec = last_error();
  }
  if (!ec) {
    ec = write_all(fd.get(), secret);
  }
  if (!ec && ::fsync(fd.get()) != 0) {
    ec = last_error();
  }
  if (::close(fd.release()) != 0 && !ec) {
    ec = last_error();
  }
  if (!ec && ::rename(temp.c_str(), file_for(name).c_str()) != 0) {
    ec = last_error();
  }
  if (ec) {
    ::unlink(temp.c_str());
    return ec;
  }
  return sync_dir(dir_);
}

std::optional<std::string> SecretStore::load(const std::string& name) const {
  if (!detail::is_safe_secret_name(name)) {
    return std::nullopt;
  }
  Fd fd(::open(file_for(name).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    return std::nullopt;
  }
  std::string data;
  char buffer[4096];
  while (true) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return std::nullopt;
    }
    if (n == 0) {
      break;
    }
    data.append(buffer, static_cast<std::size_t>(n));
    if (data.size() > 1024 * 1024) {
      return std::nullopt;  // not something we wrote
    }
  }
  return data;
}

std::error_code SecretStore::remove(const std::string& name) {
  if (!detail::is_safe_secret_name(name)) {
    return std::make_error_code(std::errc::invalid_argument);
  }
  if (::unlink(file_for(name).c_str()) != 0) {
    if (errno == ENOENT) {
      return {};
    }
    return last_error();
  }
  return sync_dir(dir_);
}

}  // namespace bookbridge::platform
