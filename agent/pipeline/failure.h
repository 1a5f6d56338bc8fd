#pragma once

// How a reader's failure ends a dataset (issue 4: failures map to states).

#include <string>

#include "model/dataset_status.h"
#include "readers/reader.h"

namespace bookbridge::agent::pipeline {

struct FailureDecision {
  /// false: hand the dataset back to the hub (release) instead of failing it — the read was
  /// cancelled (shutdown, lost lease), not wrong.
  bool fail = true;
  model::DatasetStatus status = model::DatasetStatus::internal_error;
  /// errorMessage sent to the hub: what failed and, for MapError, which record and why.
  std::string message;
};

FailureDecision decide_failure(const readers::ReadError& error);

}  // namespace bookbridge::agent::pipeline
