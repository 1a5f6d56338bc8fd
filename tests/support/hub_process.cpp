#include "support/hub_process.h"

#include <signal.h>

#include <regex>
#include <stdexcept>

namespace bookbridge::testing {

HubProcess::HubProcess() : HubProcess(Options{}) {}

HubProcess::HubProcess(Options options) : options_(std::move(options)), dir_("bookbridge-hub") {
  data_dir_ = dir_ / "data";
  launch("127.0.0.1:0");
}

HubProcess::~HubProcess() {
  if (process_) {
    process_->stop(5s);
  }
}

void HubProcess::launch(const std::string& listen) {
  ++launches_;
  auto log = dir_ / ("hub-" + std::to_string(launches_) + ".log");
  ProcessOptions options;
  options.args = {BOOKBRIDGE_HUB_BINARY, "serve",    "--data-dir",
                  data_dir_.string(),    "--listen", listen};
  options.args.insert(options.args.end(), options_.extra_args.begin(), options_.extra_args.end());
  options.output_file = log;
  process_ = std::make_unique<ChildProcess>(options);

  static const std::regex kReady(R"(listening on (https://[^\s:]+:(\d+)))");
  std::smatch match;
  std::string text;
  bool ready = poll_until(
      [&] {
        text = process_->output();
        return std::regex_search(text, match, kReady) || !process_->running();
      },
      options_.ready_timeout);
  if (!ready || match.empty()) {
    throw std::runtime_error("bookbridge-hub did not become ready; output:\n" + text);
  }
  url_ = match[1].str();
  port_ = static_cast<std::uint16_t>(std::stoi(match[2].str()));
  api_key_ = read_file(data_dir_ / "api-key");
  while (!api_key_.empty() && (api_key_.back() == '\n' || api_key_.back() == '\r')) {
    api_key_.pop_back();
  }
}

std::filesystem::path HubProcess::ca_file() const {
  return data_dir_ / "tls" / "cert.pem";
}

std::string HubProcess::output() const {
  return process_ ? process_->output() : std::string();
}

int HubProcess::stop() {
  return process_->stop(10s);
}

void HubProcess::kill9() {
  process_->send_signal(SIGKILL);
  process_->wait(10s);
}

void HubProcess::restart() {
  if (process_ && process_->running()) {
    stop();
  }
  launch("127.0.0.1:" + std::to_string(port_));
}

}  // namespace bookbridge::testing
