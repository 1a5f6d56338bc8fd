#pragma once

// The data types Bookbridge syncs, with their Codat keys and read endpoints.

#include <optional>
#include <span>
#include <string_view>

namespace bookbridge::model {

enum class DataType {
  company,
  chart_of_accounts,
  customers,
  suppliers,
  invoices,
  bills,
  payments,
  bill_payments,
  journal_entries,
  credit_notes,
  items,
  tax_rates,
  balance_sheet,
  profit_and_loss,
};

/// How a data type is stored and served by the hub.
enum class DataShape {
  list,    ///< many records, each with a unique `id`; served paged at /data/<path>
  single,  ///< exactly one document (company info, financial reports)
};

struct DataTypeInfo {
  DataType type;
  std::string_view key;   ///< Codat dataType key, e.g. "chartOfAccounts"
  std::string_view path;  ///< path under /companies/{id}/, e.g. "data/accounts"
  DataShape shape;
  std::string_view validator;  ///< Codat validator name, e.g. "InvoiceValidator"
  std::string_view rule_stem;  ///< rule id stem, e.g. "accounting-invoice"
};

/// Every data type, in the default sync order.
std::span<const DataTypeInfo> all_data_types();

const DataTypeInfo& info(DataType type);
std::string_view to_key(DataType type);
std::optional<DataType> data_type_from_key(std::string_view key);
/// The list type served at `data/<segment>` (e.g. "accounts" -> chartOfAccounts).
std::optional<DataType> data_type_from_path(std::string_view path);

}  // namespace bookbridge::model
