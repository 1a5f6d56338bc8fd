#pragma once

// Internal to core/: loads a dataset of the caller's connection and checks the lease.

#include <string_view>

#include "core/hub.h"
#include "store/repositories.h"
#include "util/result.h"

namespace bookbridge::hub::core {

/// 404 when the dataset is not the connection's; 409 LeaseLost when `lease_id` is not the
/// current lease (a terminal dataset keeps its last lease so retries are answered).
Result<store::DatasetRow> leased_dataset(Hub& hub, store::Connection& db,
                                         const store::ConnectionRow& conn,
                                         std::string_view dataset_id, std::string_view lease_id);

}  // namespace bookbridge::hub::core
