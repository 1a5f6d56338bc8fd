#include "book_fixture.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace bookbridge::readers::testing {

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "bb-readers-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), got);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

CommandResult make_book(const std::string& args) {
  return run_command("/usr/bin/python3 " BOOKBRIDGE_GNUCASH_TOOLS "/make_book.py " + args +
                     " 2>/dev/null");
}

std::optional<nlohmann::json> expected_figures(const std::filesystem::path& book) {
  const auto result =
      run_command("/usr/bin/python3 " BOOKBRIDGE_GNUCASH_TOOLS "/expected_figures.py '" +
                  book.string() + "' --compact 2>/dev/null");
  if (result.exit_code != 0) {
    return std::nullopt;
  }
  return nlohmann::json::parse(result.output, nullptr, false);
}

ReadResult<std::vector<nlohmann::json>> read_type(const std::filesystem::path& book,
                                                  model::DataType type) {
  ScratchDir work;
  gnucash::GnuCashReader reader({book});
  CountingContext context;
  auto snapshot = reader.fetch(work.path(), context);
  if (!snapshot) {
    return snapshot.error();
  }
  VectorSink sink;
  if (auto mapped = reader.map(**snapshot, type, sink, context); !mapped) {
    return mapped.error();
  }
  return std::move(sink.records);
}

ReadResult<void> fetch_only(const std::filesystem::path& book) {
  ScratchDir work;
  gnucash::GnuCashReader reader({book});
  CountingContext context;
  auto snapshot = reader.fetch(work.path(), context);
  if (!snapshot) {
    return snapshot.error();
  }
  return {};
}

model::Decimal dec(const nlohmann::json& value) {
  if (value.is_string()) {
    return model::Decimal::parse(value.get<std::string>()).value_or(model::Decimal{});
  }
  return model::Decimal::from_json(value).value_or(model::Decimal{});
}

}  // namespace bookbridge::readers::testing
