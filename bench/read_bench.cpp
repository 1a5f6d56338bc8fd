// Benchmark driver for the GnuCash reader (not a test). Reads one data type of a book through the
// real reader (fetch + map), discarding records, and prints one line of JSON:
//   {"dataType":..., "records":N, "fetchSeconds":x, "mapSeconds":y, "recordsPerSecond":z}
// Peak memory is measured from outside (/usr/bin/time -v), see bench/read_benchmark.sh.
//
// usage: bookbridge_read_bench BOOK DATA_TYPE [WORK_DIR]
// BOOKBRIDGE_BENCH_DUMP=1 also prints every record (one JSON per line).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "model/data_type.h"
#include "readers/gnucash/gnucash_reader.h"

namespace {

using bookbridge::readers::Progress;
using bookbridge::readers::ReadContext;
using bookbridge::readers::ReadResult;
using bookbridge::readers::RecordSink;

class NullContext : public ReadContext {
 public:
  bool cancelled() const override { return false; }
  void progress(const Progress&) override {}
};

class CountingSink : public RecordSink {
 public:
  ReadResult<void> write(nlohmann::json&& record) override {
    const std::string text = record.dump();  // serialise as the agent would
    bytes += text.size();
    if (dump) {
      std::printf("%s\n", text.c_str());
    }
    ++records;
    return {};
  }
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  bool dump = std::getenv("BOOKBRIDGE_BENCH_DUMP") != nullptr;  // print records (debugging)
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s BOOK DATA_TYPE [WORK_DIR]\n", argv[0]);
    return 2;
  }
  const auto type = bookbridge::model::data_type_from_key(argv[2]);
  if (!type) {
    std::fprintf(stderr, "unknown data type %s\n", argv[2]);
    return 2;
  }
  const std::filesystem::path work =
      argc > 3 ? std::filesystem::path(argv[3])
               : std::filesystem::temp_directory_path() / "bookbridge-read-bench";
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  bookbridge::readers::gnucash::GnuCashReader reader({argv[1]});
  NullContext context;
  CountingSink sink;
  const auto t0 = std::chrono::steady_clock::now();
  auto snapshot = reader.fetch(work, context);
  if (!snapshot) {
    std::fprintf(stderr, "fetch failed: %s\n", snapshot.error().message.c_str());
    return 1;
  }
  const auto t1 = std::chrono::steady_clock::now();
  if (auto mapped = reader.map(**snapshot, *type, sink, context); !mapped) {
    std::fprintf(stderr, "map failed: %s\n", mapped.error().message.c_str());
    return 1;
  }
  const auto t2 = std::chrono::steady_clock::now();
  const double fetch = std::chrono::duration<double>(t1 - t0).count();
  const double map = std::chrono::duration<double>(t2 - t1).count();
  std::printf("%s\n", nlohmann::json{{"dataType", argv[2]},
                                     {"records", sink.records},
                                     {"bytes", sink.bytes},
                                     {"fetchSeconds", fetch},
                                     {"mapSeconds", map},
                                     {"recordsPerSecond", sink.records / (fetch + map)}}
                          .dump()
                          .c_str());
  snapshot->reset();
  std::filesystem::remove_all(work);
  return 0;
}
