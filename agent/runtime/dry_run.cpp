// `bookbridge-agent read`: fetch, map and validate one data type locally, with no hub and no
// link. Uses the same reader, validation and disk-backed id tables as a real sync.

#include <chrono>
#include <iomanip>
#include <ostream>
#include <random>

#include "model/dataset_status.h"
#include "pipeline/failure.h"
#include "pipeline/validation_store.h"
#include "runtime/agent_setup.h"
#include "runtime/run.h"
#include "runtime/shutdown.h"

namespace bookbridge::agent {
namespace {

constexpr std::size_t kListedProblems = 20;

class DryRunContext : public readers::ReadContext {
 public:
  bool cancelled() const override { return runtime::shutdown_requested(); }
  void progress(const readers::Progress&) override {}
};

/// Validates each record as it is mapped and prints it (unless only a summary is wanted).
class DryRunSink : public readers::RecordSink {
 public:
  DryRunSink(model::DataType type, pipeline::ValidationStore& store, std::ostream* out)
      : store_(store), validator_(type, store, &store), out_(out) {}

  readers::ReadResult<void> write(nlohmann::json&& record) override {
    validator_.check(record, result_);
    if (out_ != nullptr) {
      *out_ << record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    if (++records_ % 1000 == 0) {
      store_.end_batch();
      store_.begin_batch();
    }
    return {};
  }

  std::uint64_t records() const { return records_; }
  const model::ValidationResult& result() const { return result_; }

 private:
  pipeline::ValidationStore& store_;
  model::RecordValidator validator_;
  std::ostream* out_;
  model::ValidationResult result_;
  std::uint64_t records_ = 0;
};

class ScratchDir {
 public:
  ScratchDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("bookbridge-read-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_, error_);
    if (!error_) {
      std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::replace, error_);
    }
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::error_code error() const { return error_; }

 private:
  std::filesystem::path path_;
  std::error_code error_;
};

int report_read_error(const readers::ReadError& error, std::ostream& err) {
  const auto decision = pipeline::decide_failure(error);
  err << (decision.fail ? model::to_string(decision.status) : "Cancelled") << ": "
      << decision.message << '\n';
  return 1;
}

void list_items(const std::vector<model::ValidationItem>& items, std::string_view kind,
                std::ostream& err) {
  for (std::size_t i = 0; i < items.size() && i < kListedProblems; ++i) {
    const auto& item = items[i];
    err << kind << ' ' << item.rule_id << (item.item_id.empty() ? "" : " " + item.item_id) << ": "
        << item.message << '\n';
  }
  if (items.size() > kListedProblems) {
    err << "... and " << (items.size() - kListedProblems) << " more " << kind << "(s)\n";
  }
}

}  // namespace

int dry_run(const config::AgentConfig& config, const DryRunOptions& options, std::ostream& out,
            std::ostream& err) {
  const auto* source = runtime::find_source(config, options.source);
  if (source == nullptr) {
    err << "no source named '" << options.source << "' in " << config.config_file.string()
        << "; sources:";
    for (const auto& s : config.sources) {
      err << ' ' << s.name;
    }
    err << '\n';
    return 2;
  }
  const auto type = model::data_type_from_key(options.data_type);
  if (!type) {
    err << "unknown data type '" << options.data_type << "'; one of:";
    for (const auto& info : model::all_data_types()) {
      err << ' ' << info.key;
    }
    err << '\n';
    return 2;
  }
  readers::ReaderRegistry registry;
  runtime::fill_registry(registry);
  const auto* factory = registry.find(source->reader);
  if (factory == nullptr) {
    err << "this agent has no reader named '" << source->reader << "'\n";
    return 2;
  }
  auto reader = factory->create(runtime::reader_entry(*source));
  if (!reader) {
    return report_read_error(reader.error(), err);
  }
  const auto& allowed = source->data_types;
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), *type) == allowed.end()) {
    err << "NotSupported: source '" << source->name << "' is configured without "
        << options.data_type << " (its dataTypes list)\n";
    return 1;
  }
  if (!(*reader)->supports(*type)) {
    err << "NotSupported: the " << source->reader << " reader cannot provide " << options.data_type
        << '\n';
    return 1;
  }

  ScratchDir scratch;
  if (scratch.error()) {
    err << "cannot create a temporary directory: " << scratch.error().message() << '\n';
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  DryRunContext context;
  const auto work_dir = scratch.path() / "work";
  std::error_code ec;
  std::filesystem::create_directory(work_dir, ec);
  auto snapshot = (*reader)->fetch(work_dir, context);
  if (!snapshot) {
    return report_read_error(snapshot.error(), err);
  }
  auto store = pipeline::ValidationStore::create(scratch.path() / "validation.db");
  if (!store) {
    err << "InternalError: cannot create the validation store: " << store.error().message() << '\n';
    return 1;
  }
  auto refs =
      pipeline::load_references(**reader, **snapshot, *type, **store, context,
                                [&err](model::DataType skipped, const readers::ReadError& error) {
                                  err << "note: references to " << model::to_key(skipped)
                                      << " are not checked: " << error.message << '\n';
                                });
  if (!refs) {
    return report_read_error(refs.error(), err);
  }
  DryRunSink sink(*type, **store, options.summary ? nullptr : &out);
  (*store)->begin_batch();
  auto mapped = (*reader)->map(**snapshot, *type, sink, context);
  (*store)->end_batch();
  if (!mapped) {
    return report_read_error(mapped.error(), err);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto& result = sink.result();
  if (options.summary) {
    out << "source:      " << source->name << " (" << source->reader << ")\n"
        << "dataType:    " << options.data_type << '\n'
        << "records:     " << sink.records() << '\n'
        << "elapsed:     " << std::fixed << std::setprecision(3) << seconds << " s\n"
        << "records/s:   " << std::setprecision(0)
        << (seconds > 0 ? static_cast<double>(sink.records()) / seconds : 0.0) << '\n'
        << "errors:      " << result.errors.size() << '\n'
        << "warnings:    " << result.warnings.size() << '\n';
  }
  list_items(result.errors, "error", err);
  list_items(result.warnings, "warning", err);
  return result.ok() ? 0 : 1;
}

}  // namespace bookbridge::agent
