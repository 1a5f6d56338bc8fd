#include "readers/gnucash/book_format.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>
#include <system_error>

namespace bookbridge::readers::gnucash {

std::string_view to_string(BookFormat format) {
  switch (format) {
    case BookFormat::sqlite:
      return "sqlite";
    case BookFormat::xml_gzip:
      return "xml-gzip";
    case BookFormat::xml_plain:
      return "xml";
  }
  return "unknown";
}

ReadResult<BookFormat> detect_format(const std::filesystem::path& path) {
  const std::string name = "GnuCash book " + path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return ReadError{ReadErrc::source_unavailable,
                     name + " does not exist (check the source's path)", ""};
  }
  if (std::filesystem::is_directory(status)) {
    return ReadError{ReadErrc::source_unavailable, name + " is a directory, not a .gnucash file",
                     ""};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return ReadError{ReadErrc::source_unavailable,
                     name + " cannot be opened for reading: " + std::strerror(errno) +
                         " (check the agent's file permissions)",
                     ""};
  }
  std::array<char, 512> head{};
  in.read(head.data(), head.size());
  const auto size = static_cast<std::size_t>(in.gcount());
  const std::string_view bytes(head.data(), size);
  if (size == 0) {
    return ReadError{ReadErrc::source_corrupt, name + " is empty (0 bytes)", ""};
  }
  if (size >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
      static_cast<unsigned char>(bytes[1]) == 0x8b) {
    return BookFormat::xml_gzip;
  }
  if (bytes.substr(0, 16) == std::string_view("SQLite format 3\0", 16)) {
    return BookFormat::sqlite;
  }
  std::string_view text = bytes;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  while (!text.empty() &&
         (text[0] == ' ' || text[0] == '\n' || text[0] == '\r' || text[0] == '\t')) {
    text.remove_prefix(1);
  }
  if (text.substr(0, 5) == "<?xml" || text.substr(0, 7) == "<gnc-v2") {
    return BookFormat::xml_plain;
  }
  return ReadError{ReadErrc::source_corrupt,
                   name + " is not a GnuCash book: neither SQLite, gzip nor XML content", ""};
}

}  // namespace bookbridge::readers::gnucash
