#include "pipeline/failure.h"

namespace bookbridge::agent::pipeline {

FailureDecision decide_failure(const readers::ReadError& error) {
  using readers::ReadErrc;
  using S = model::DatasetStatus;
  FailureDecision decision;
  decision.message = error.message;
  switch (error.code) {
    case ReadErrc::source_unavailable:
    case ReadErrc::source_locked:
    case ReadErrc::source_corrupt:
      decision.status = S::fetch_error;
      break;
    case ReadErrc::auth_rejected:
      decision.status = S::auth_error;
      break;
    case ReadErrc::not_supported:
      decision.status = S::not_supported;
      break;
    case ReadErrc::map_failed:
      decision.status = S::map_error;
      // Say which record, unless the reader's message already does.
      if (!error.item_id.empty() && error.message.find(error.item_id) == std::string::npos) {
        decision.message = "record " + error.item_id + ": " + error.message;
      }
      break;
    case ReadErrc::cancelled:
      decision.fail = false;
      decision.status = S::queued;
      break;
    case ReadErrc::sink_failed:
    case ReadErrc::internal:
      decision.status = S::internal_error;
      break;
  }
  if (decision.message.empty()) {
    decision.message = "the reader failed without saying why";
  }
  return decision;
}

}  // namespace bookbridge::agent::pipeline
