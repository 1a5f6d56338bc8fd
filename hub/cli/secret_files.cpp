#include "cli/secret_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace bookbridge::hub::cli {

void ensure_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) {
    return;
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw std::runtime_error("cannot create directory " + dir.string() + ": " + ec.message());
  }
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
}

std::string ensure_secret_file(const std::filesystem::path& file,
                               const std::function<std::string()>& make) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    const std::string content = make() + "\n";
    const auto temp = file.string() + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
      throw std::runtime_error("cannot write " + temp + ": " + std::strerror(errno));
    }
    const bool ok =
        ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || std::rename(temp.c_str(), file.c_str()) != 0) {
      throw std::runtime_error("cannot write " + file.string() + ": " + std::strerror(errno));
    }
  }
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) {
    throw std::runtime_error("cannot read " + file.string());
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
    line.pop_back();
  }
  if (line.empty()) {
    throw std::runtime_error(file.string() + " is empty; delete it to have a new one created");
  }
  return line;
}

}  // namespace bookbridge::hub::cli
