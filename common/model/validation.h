#pragma once

// Validation of standard-model records (Codat's ValidationResult shape). Streaming: records are
// checked one at a time; dataset-wide checks (unique ids, references resolving) go through the
// small interfaces below so that the caller can back them with disk (the agent uses SQLite), and
// memory does not grow with the dataset.

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/data_type.h"

namespace bookbridge::model {

struct ValidationItem {
  std::string rule_id;         ///< e.g. "accounting-invoice-010"
  std::string item_id;         ///< the record's id ("" for single-document types)
  std::string message;         ///< for a person
  std::string validator_name;  ///< e.g. "InvoiceValidator"
};

struct ValidationResult {
  std::vector<ValidationItem> errors;    ///< fail the dataset (ValidationError)
  std::vector<ValidationItem> warnings;  ///< kept with a Complete dataset
  std::size_t dropped = 0;  ///< items not kept once kMaxItems was reached (counted only)

  static constexpr std::size_t kMaxItems = 1000;
  bool ok() const { return errors.empty(); }
};

/// {"errors":[{ruleId,itemId,message,validatorName}],"warnings":[...]}
void to_json(nlohmann::json& out, const ValidationResult& result);
void from_json(const nlohmann::json& in, ValidationResult& result);

/// Remembers ids seen in this dataset. Returns false when `id` was already inserted.
class IdSet {
 public:
  virtual ~IdSet() = default;
  virtual bool insert(std::string_view id) = 0;
};

/// Answers whether a referenced record exists in the same source (accounts, customers,
/// suppliers, invoices, bills, taxRates).
class RefResolver {
 public:
  virtual ~RefResolver() = default;
  virtual bool exists(DataType type, std::string_view id) const = 0;
};

/// Which data types a record of `type` refers to (so the caller can prepare a RefResolver).
std::vector<DataType> referenced_types(DataType type);

/// Checks the records of one dataset, one at a time.
class RecordValidator {
 public:
  /// `ids` and `refs` must outlive the validator; `refs` may be null (reference rules skipped).
  RecordValidator(DataType type, IdSet& ids, const RefResolver* refs);

  /// Applies every rule of the data type to `record`, adding to `result`.
  void check(const nlohmann::json& record, ValidationResult& result);

 private:
  DataType type_;
  IdSet& ids_;
  const RefResolver* refs_;
};

}  // namespace bookbridge::model
