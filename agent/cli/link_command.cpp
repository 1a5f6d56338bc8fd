// `link` and `unlink`: trade a connection's one-time link token for the source's agent
// credential, and give it back. Neither the token nor the credential is ever printed or logged.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bookbridge/version_info.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/link_url.h"
#include "cli/version.h"
#include "platform/host.h"
#include "platform/secret_store.h"
#include "state/link_store.h"
#include "transport/https_client.h"

namespace bookbridge::agent::cli {
namespace {

std::string utc_now() {
  using namespace std::chrono;
  auto now = floor<seconds>(system_clock::now());
  auto day = floor<days>(now);
  year_month_day date{day};
  hh_mm_ss time{now - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(date.year()),
                unsigned(date.month()), unsigned(date.day()), int(time.hours().count()),
                int(time.minutes().count()), int(time.seconds().count()));
  return buffer;
}

// What went wrong on the way to the hub, in words an admin can act on.
std::string explain_transport_error(const std::error_code& ec, const std::string& hub_url,
                                    bool have_ca_file) {
  std::string message = ec.message();
  if (ec == std::errc::connection_refused) {
    return "the hub is not reachable at " + hub_url +
           " (connection refused): check hub.url and that the hub is running";
  }
  if (ec == std::errc::timed_out) {
    return "no answer from the hub at " + hub_url +
           " in time: check hub.url, the network and any firewall or proxy in between";
  }
  std::string category = ec.category().name();
  if (message.find("certificate") != std::string::npos ||
      category.find("ssl") != std::string::npos) {
    return "TLS verification of the hub at " + hub_url + " failed (" + message + "): " +
           (have_ca_file ? "hub.caFile does not hold the certificate that signed the hub's "
                           "certificate, or the certificate does not name this host"
                         : "if the hub uses a private CA or a self-signed certificate, set "
                           "hub.caFile to that certificate (PEM)");
  }
  if (message.find("resolve") != std::string::npos ||
      message.find("not found") != std::string::npos || message.find("Host") != std::string::npos) {
    return "cannot resolve the hub's host name in " + hub_url + " (" + message + ")";
  }
  return "cannot talk to the hub at " + hub_url + ": " + message;
}

std::string hub_error_text(const transport::HttpResponse& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_string()) {
    return body["error"].get<std::string>();
  }
  return "HTTP " + std::to_string(response.status);
}

std::unique_ptr<transport::HttpsClient> make_client(const Context& ctx, const std::string& url,
                                                    const std::filesystem::path& ca_file) {
  transport::ClientOptions options;
  options.base_url = url;
  options.ca_file = ca_file;
  options.connect_timeout = std::chrono::seconds(15);
  options.request_timeout = std::chrono::seconds(30);
  options.max_response_bytes = 1024 * 1024;
  options.user_agent = std::string("bookbridge-agent/") + kVersion;
  try {
    return std::make_unique<transport::HttpsClient>(options);
  } catch (const std::exception& error) {
    ctx.err << "bookbridge-agent: " << error.what() << "\n";
    return nullptr;
  }
}

// Fails before the token is spent when the credential could not be stored afterwards.
bool state_dir_writable(const Context& ctx, const std::filesystem::path& state_dir) {
  platform::SecretStore store(state_dir);
  const std::string probe = "_write-check";
  if (auto ec = store.save(probe, "")) {
    ctx.err << "bookbridge-agent: cannot write credentials under " << state_dir.string() << ": "
            << ec.message()
            << " (run link as root or as the agent's user, e.g. `sudo -u bookbridge "
               "bookbridge-agent link ...`)\n";
    return false;
  }
  store.remove(probe);
  return true;
}

}  // namespace

int link_command(const Context& ctx, const std::string& link_text, const std::string& name) {
  auto config = load_config_or_report(ctx);
  if (!config) {
    return kExitUsage;
  }
  const auto* source = find_source_or_report(ctx, *config, name);
  if (source == nullptr) {
    return kExitUsage;
  }
  auto link = parse_link_url(link_text);
  if (!link) {
    ctx.err << "bookbridge-agent: " << link.error() << "\n";
    return kExitUsage;
  }
  std::string link_origin = link->url.origin();
  if (config->hub.url.empty()) {
    ctx.err << "bookbridge-agent: hub.url is not set in " << config->config_file.string()
            << ": set it to the hub this link belongs to (\"url\": \"" << link_origin
            << "\" under \"hub\"), plus hub.caFile when the hub uses a private CA or a "
               "self-signed certificate, then run link again\n";
    return kExitUsage;
  }
  if (!same_origin(config->hub.url, link_origin)) {
    ctx.err << "bookbridge-agent: the link URL points to " << link_origin << " but hub.url is "
            << config->hub.url
            << ": a link only works with the hub that issued it. Use a link URL from "
            << config->hub.url << ", or change hub.url if the agent should talk to " << link_origin
            << "\n";
    return kExitUsage;
  }
  if (!state_dir_writable(ctx, config->state_dir)) {
    return kExitFailure;
  }
  auto client = make_client(ctx, config->hub.url, config->hub.ca_file);
  if (!client) {
    return kExitUsage;
  }

  nlohmann::json body = {{"connectionId", link->connection_id}, {"token", link->token},
                         {"hostname", platform::host_name()},   {"agentVersion", kVersion},
                         {"sourceName", source->name},          {"platformKey", source->reader}};
  transport::ClientRequest request;
  request.method = "POST";
  request.target = "/agent/v1/link";
  request.headers.emplace("Content-Type", "application/json");
  request.body = body.dump();
  auto result = client->request(request);
  if (!result) {
    ctx.err << "bookbridge-agent: "
            << explain_transport_error(result.error(), config->hub.url,
                                       !config->hub.ca_file.empty())
            << "\n";
    return kExitFailure;
  }
  const auto& response = *result;
  if (response.status == 401) {
    ctx.err << "bookbridge-agent: the hub refused the link token: it is wrong, expired (a token "
               "lives 7 days) or already used. Get the connection's current linkUrl from the "
               "hub and run link again\n";
    return kExitFailure;
  }
  if (response.status == 409) {
    ctx.err << "bookbridge-agent: the hub refused the link: " << hub_error_text(response)
            << " (source '" << source->name << "' uses the " << source->reader
            << " reader; link it to a connection of that platform)\n";
    return kExitFailure;
  }
  if (response.status != 200) {
    ctx.err << "bookbridge-agent: the hub answered " << response.status << ": "
            << hub_error_text(response) << "\n";
    return kExitFailure;
  }
  auto reply = nlohmann::json::parse(response.body, nullptr, false);
  auto text = [&](const char* key) {
    return reply.is_object() && reply.contains(key) && reply[key].is_string()
               ? reply[key].get<std::string>()
               : std::string();
  };
  state::LinkRecord record{text("credential"), config->hub.url,     text("connectionId"),
                           text("companyId"),  text("companyName"), text("platformKey"),
                           utc_now()};
  if (record.credential.rfind("bbk_", 0) != 0 || record.connection_id.empty()) {
    ctx.err << "bookbridge-agent: the hub's reply to link is not what this agent understands "
               "(no credential); is hub.url really a Bookbridge hub?\n";
    return kExitFailure;
  }
  auto previous = state::load_link(config->state_dir, source->name);
  if (auto ec = state::save_link(config->state_dir, source->name, record)) {
    ctx.err << "bookbridge-agent: linked at the hub, but storing the credential under "
            << config->state_dir.string() << " failed: " << ec.message()
            << ". Fix that, then link again with a fresh linkUrl\n";
    return kExitFailure;
  }
  ctx.out << "linked source " << source->name << " to company "
          << (record.company_name.empty() ? record.company_id : record.company_name) << " ("
          << "company " << record.company_id << ", connection " << record.connection_id << ")\n";
  if (previous && previous->connection_id != record.connection_id) {
    ctx.out << "note: this replaces the earlier link to connection " << previous->connection_id
            << "; run unlink there from the hub side if it is no longer used\n";
  }
  return kExitOk;
}

int unlink_command(const Context& ctx, const std::string& name) {
  auto config = load_config_or_report(ctx);
  if (!config) {
    return kExitUsage;
  }
  auto record = state::load_link(config->state_dir, name);
  if (!record) {
    ctx.out << "source " << name << " is not linked (no credential under "
            << config->state_dir.string() << "); nothing to do\n";
    return kExitOk;
  }
  bool revoked = false;
  std::string problem;
  if (auto client = make_client(ctx, record->hub_url, config->hub.ca_file)) {
    transport::ClientRequest request;
    request.method = "DELETE";
    request.target = "/agent/v1/link";
    request.headers.emplace("Authorization", "Bearer " + record->credential);
    auto result = client->request(request);
    if (!result) {
      problem =
          explain_transport_error(result.error(), record->hub_url, !config->hub.ca_file.empty());
    } else if (result->status == 204 || result->status == 200 || result->status == 401) {
      revoked = true;  // 401: the hub had already revoked it (re-linked or unlinked there)
    } else {
      problem =
          "the hub answered " + std::to_string(result->status) + ": " + hub_error_text(*result);
    }
  } else {
    problem = "cannot create a client for " + record->hub_url;
  }
  if (auto ec = state::remove_link(config->state_dir, name)) {
    ctx.err << "bookbridge-agent: cannot delete the credential of " << name << ": " << ec.message()
            << "\n";
    return kExitFailure;
  }
  if (revoked) {
    ctx.out << "unlinked source " << name << " (connection " << record->connection_id
            << "): revoked at the hub and deleted locally\n";
  } else {
    ctx.err << "warning: could not revoke the credential at the hub: " << problem << "\n";
    ctx.out << "unlinked source " << name << " locally (connection " << record->connection_id
            << "); the hub still counts it as linked until the connection is unlinked or "
               "re-linked there\n";
  }
  return kExitOk;
}

}  // namespace bookbridge::agent::cli
