#pragma once

// Dataset (PullOperation) states and the legal transitions between them. The hub is the
// authority: it applies a transition only when `can_transition` allows it.

#include <optional>
#include <span>
#include <string_view>

namespace bookbridge::model {

/// Codat's PullOperation.status values, in the order of Codat's specification.
enum class DatasetStatus {
  initial,
  queued,
  fetching,
  map_queued,
  mapping,
  complete,
  fetch_error,
  map_error,
  internal_error,
  processing_queued,
  processing,
  processing_error,
  validation_queued,
  validating,
  validation_error,
  auth_error,
  cancelled,
  not_supported,
  rate_limit_error,
  permissions_error,
  prerequisite_not_met,
};

std::span<const DatasetStatus> all_dataset_statuses();
std::string_view to_string(DatasetStatus status);
std::optional<DatasetStatus> dataset_status_from_string(std::string_view text);

/// Complete, NotSupported, Cancelled and every error state: nothing moves a dataset out of them.
bool is_terminal(DatasetStatus status);
/// One of the error states (isErrored in the API).
bool is_error(DatasetStatus status);
/// In progress: neither terminal nor initial.
bool is_in_progress(DatasetStatus status);

/// Who asks for a transition; the agent may only drive the phases it performs.
enum class Actor { hub, agent };

/// True when `actor` may move a dataset from `from` to `to`.
///   forward path: Queued -> Fetching -> Mapping -> Validating -> (commit) Processing -> Complete
///   (the *Queued intermediates are accepted where Codat defines them);
///   agent: Queued->Fetching, Fetching->Mapping, Mapping->Validating, any in-progress state ->
///          an error state or NotSupported, and a lease release back to Queued;
///   hub: Validating->Processing (commit), Processing->Complete/ProcessingError, lease expiry
///        (in-progress -> Queued or InternalError), Queued/in-progress -> Cancelled.
bool can_transition(DatasetStatus from, DatasetStatus to, Actor actor);

/// Progress percentage reported for a state (0..100) when the agent gives none.
int default_progress(DatasetStatus status);

}  // namespace bookbridge::model
