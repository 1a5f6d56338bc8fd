#pragma once

// Internal to the XML loader: how GnuCash's XML elements map to the columns of GnuCash's SQL
// tables (readers.md §1.2/§1.4). One ObjectSpec per object element; fields are keyed by their
// element path relative to the object element.

#include <string_view>

namespace bookbridge::readers::gnucash::xml {

enum class FieldKind {
  text,          ///< element text as is
  integer,       ///< "1", "0", "true", "false"
  numeric,       ///< "num/denom" -> <column>_num, <column>_denom
  timestamp,     ///< "YYYY-MM-DD HH:MM:SS +hhmm" -> UTC "YYYY-MM-DD HH:MM:SS"
  cmdty_space,   ///< commodity namespace -> part of the commodity key in <column>
  cmdty_id,      ///< commodity mnemonic  -> part of the commodity key in <column>
  presence,      ///< 1 when the element exists
  owner_type,    ///< gncCustomer/gncJob/gncVendor/gncEmployee -> 2/3/4/5
  tax_included,  ///< YES/NO/USEGLOBAL -> 1/2/3
  pay_type,      ///< CASH/CARD -> 1/2
  amount_type,   ///< VALUE/PERCENT -> 1/2
};

struct FieldSpec {
  std::string_view path;    ///< relative element path, "/"-joined
  std::string_view column;  ///< SQL column (numeric: stem without _num/_denom)
  FieldKind kind;
};

struct ObjectSpec {
  std::string_view element;        ///< e.g. "gnc:account"
  std::string_view table;          ///< e.g. "accounts"
  std::string_view key_column;     ///< the object's own guid column
  std::string_view parent_column;  ///< for nested objects: column that gets the parent's guid
  const FieldSpec* fields;
  std::size_t field_count;
};

/// The top-level object spec for `element`, or nullptr.
const ObjectSpec* top_level_object(std::string_view element);
/// The nested object spec for `element` inside an object of `parent_table`, or nullptr.
const ObjectSpec* nested_object(std::string_view parent_table, std::string_view element);
/// The book element's own spec (gnc:book).
const ObjectSpec& book_object();
/// Top-level elements whose whole subtree is ignored (templates, schedules, budgets, ...).
bool is_skipped_element(std::string_view element);
/// Smallest-unit fraction of an ISO 4217 currency (100 for cents, 1 for JPY, 1000 for BHD).
int currency_fraction(std::string_view code);

}  // namespace bookbridge::readers::gnucash::xml
