#pragma once

// One page of records: newline-delimited JSON objects.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "model/data_type.h"

namespace bookbridge::hub::core {

struct PageRecord {
  std::string_view json;  ///< the line as sent (without the newline)
  std::string id;         ///< "" for single-document types
  bool has_modified_date = false;
};

/// Splits and checks a page: every line a JSON object (nesting bounded), list types need a
/// non-empty string `id`, unique within the page. Calls `fn` for each record. Returns "" or the
/// first problem ("line 3: ...").
std::string for_each_page_record(std::string_view body, model::DataType type,
                                 const std::function<void(const PageRecord&)>& fn);

}  // namespace bookbridge::hub::core
