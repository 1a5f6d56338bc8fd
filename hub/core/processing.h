#pragma once

// Internal to core/: storing a committed dataset's pages as the new snapshot.

#include <string_view>

#include "core/hub.h"
#include "store/rows.h"

namespace bookbridge::hub::core {

/// The dataset is in Processing: replaces the company's records of its data type with its pages
/// in one transaction and moves it to Complete (or ProcessingError when the pages cannot be
/// stored, e.g. a repeated record id). Returns the final row.
store::DatasetRow finish_processing(Hub& hub, std::string_view dataset_id);

}  // namespace bookbridge::hub::core
