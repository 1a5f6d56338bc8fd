#include "model/dataset_status.h"

#include <array>
#include <utility>

namespace bookbridge::model {
namespace {

using S = DatasetStatus;

constexpr std::array<std::pair<S, std::string_view>, 21> kNames{{
    {S::initial, "Initial"},
    {S::queued, "Queued"},
    {S::fetching, "Fetching"},
    {S::map_queued, "MapQueued"},
    {S::mapping, "Mapping"},
    {S::complete, "Complete"},
    {S::fetch_error, "FetchError"},
    {S::map_error, "MapError"},
    {S::internal_error, "InternalError"},
    {S::processing_queued, "ProcessingQueued"},
    {S::processing, "Processing"},
    {S::processing_error, "ProcessingError"},
    {S::validation_queued, "ValidationQueued"},
    {S::validating, "Validating"},
    {S::validation_error, "ValidationError"},
    {S::auth_error, "AuthError"},
    {S::cancelled, "Cancelled"},
    {S::not_supported, "NotSupported"},
    {S::rate_limit_error, "RateLimitError"},
    {S::permissions_error, "PermissionsError"},
    {S::prerequisite_not_met, "PrerequisiteNotMet"},
}};

constexpr std::array kAll{S::initial,
                          S::queued,
                          S::fetching,
                          S::map_queued,
                          S::mapping,
                          S::complete,
                          S::fetch_error,
                          S::map_error,
                          S::internal_error,
                          S::processing_queued,
                          S::processing,
                          S::processing_error,
                          S::validation_queued,
                          S::validating,
                          S::validation_error,
                          S::auth_error,
                          S::cancelled,
                          S::not_supported,
                          S::rate_limit_error,
                          S::permissions_error,
                          S::prerequisite_not_met};

// The agent's phases in order; each may be entered from the previous one (or its *Queued step).
bool agent_forward(S from, S to) {
  switch (to) {
    case S::fetching:
      return from == S::queued || from == S::initial;
    case S::map_queued:
      return from == S::fetching;
    case S::mapping:
      return from == S::fetching || from == S::map_queued;
    case S::validation_queued:
      return from == S::mapping;
    case S::validating:
      return from == S::mapping || from == S::validation_queued;
    default:
      return false;
  }
}

bool agent_failure_state(S to) {
  return is_error(to) || to == S::not_supported;
}

}  // namespace

std::span<const DatasetStatus> all_dataset_statuses() {
  return kAll;
}

std::string_view to_string(DatasetStatus status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) {
      return name;
    }
  }
  return "Unknown";
}

std::optional<DatasetStatus> dataset_status_from_string(std::string_view text) {
  for (const auto& [value, name] : kNames) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

bool is_error(DatasetStatus status) {
  switch (status) {
    case S::fetch_error:
    case S::map_error:
    case S::internal_error:
    case S::processing_error:
    case S::validation_error:
    case S::auth_error:
    case S::rate_limit_error:
    case S::permissions_error:
    case S::prerequisite_not_met:
      return true;
    default:
      return false;
  }
}

bool is_terminal(DatasetStatus status) {
  return is_error(status) || status == S::complete || status == S::not_supported ||
         status == S::cancelled;
}

bool is_in_progress(DatasetStatus status) {
  return !is_terminal(status) && status != S::initial;
}

bool can_transition(DatasetStatus from, DatasetStatus to, Actor actor) {
  if (is_terminal(from) || from == to) {
    return false;
  }
  if (actor == Actor::agent) {
    if (agent_forward(from, to)) {
      return true;
    }
    if (agent_failure_state(to)) {
      return from != S::processing_queued && from != S::processing;
    }
    // Releasing a lease (shutdown) hands a dataset the agent has not committed back to Queued.
    return to == S::queued && is_in_progress(from) && from != S::processing_queued &&
           from != S::processing;
  }
  switch (to) {
    case S::queued:  // creation from Initial, or lease expiry / release
      return from == S::initial || (is_in_progress(from) && from != S::queued);
    case S::processing_queued:
      return from == S::validating;
    case S::processing:
      return from == S::validating || from == S::processing_queued;
    case S::complete:
      return from == S::processing;
    case S::processing_error:
      return from == S::processing || from == S::processing_queued;
    case S::internal_error:
    case S::cancelled:
      return is_in_progress(from) || from == S::initial;
    default:
      return false;
  }
}

int default_progress(DatasetStatus status) {
  switch (status) {
    case S::initial:
    case S::queued:
      return 0;
    case S::fetching:
      return 10;
    case S::map_queued:
    case S::mapping:
      return 30;
    case S::validation_queued:
    case S::validating:
      return 60;
    case S::processing_queued:
    case S::processing:
      return 90;
    default:
      return 100;
  }
}

}  // namespace bookbridge::model
