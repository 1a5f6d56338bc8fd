#pragma once

// Internal to the GnuCash reader: what every map_*.cpp shares - the record emitter (progress,
// cancellation, sink errors) and small lookups over the staging database.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model/decimal.h"
#include "readers/gnucash/gnucash_reader.h"

namespace bookbridge::readers::gnucash {

class MapContext {
 public:
  MapContext(BookSnapshot& snapshot, RecordSink& sink, ReadContext& context)
      : snapshot_(snapshot), sink_(sink), context_(context) {}

  Db& db() { return snapshot_.db; }
  const BookSnapshot& snapshot() const { return snapshot_; }
  /// Sets the expected record count (progress total) from a COUNT(*) query.
  ReadResult<void> count(std::string_view sql);
  /// Hands one record to the sink; reports progress and polls cancellation every 1000 records.
  ReadResult<void> emit(nlohmann::json&& record);

 private:
  BookSnapshot& snapshot_;
  RecordSink& sink_;
  ReadContext& context_;
  std::uint64_t done_ = 0;
  std::optional<std::uint64_t> total_;
};

/// Prepares `sql` on the staging database (errors are internal: our own queries).
ReadResult<Stmt> prepare(MapContext& ctx, std::string_view sql);
/// A statement that failed while stepping: a damaged staging copy reads as a corrupt book.
ReadError step_error(const MapContext& ctx, const Stmt& stmt, std::string_view what);

/// Exact decimal of a GnuCash numeric; map_failed naming `item` when it cannot be represented.
ReadResult<model::Decimal> amount(const Stmt& stmt, int num_column, int denom_column,
                                  std::string_view item);

/// JSON string or null for an empty text.
nlohmann::json text_or_null(std::string_view text);
/// Decimal places of a currency's smallest unit (fraction 100 -> 2).
int fraction_scale(std::int64_t fraction);

/// Codat account type / category / natural sign for a GnuCash account type.
struct AccountClass {
  std::string_view type;      ///< Asset, Liability, Equity, Income, Expense, Unknown
  std::string_view category;  ///< fullyQualifiedCategory ("" = null)
  int natural_sign;           ///< +1 debit-natural, -1 credit-natural
  bool is_bank;
};
AccountClass classify_account(std::string_view gnucash_type);

ReadResult<void> map_company(MapContext& ctx);
ReadResult<void> map_accounts(MapContext& ctx);
ReadResult<void> map_tax_rates(MapContext& ctx);
ReadResult<void> map_contacts(MapContext& ctx, bool customers);
ReadResult<void> map_documents(MapContext& ctx, model::DataType type);
ReadResult<void> map_payments(MapContext& ctx, bool bill_payments);
ReadResult<void> map_journal_entries(MapContext& ctx);
ReadResult<void> map_balance_sheet(MapContext& ctx);
ReadResult<void> map_profit_and_loss(MapContext& ctx);

}  // namespace bookbridge::readers::gnucash
