#pragma once

// GnuCash's arithmetic for one document line (gncEntryComputeValueInt + the per-line rounding of
// gncEntryRecomputeValues, GnuCash 4.x): aggregate = quantity x price; tax-included prices are
// backed out; the discount is applied PRETAX, SAMETIME or POSTTAX; value, discount and each tax
// are rounded half-up to the currency's smallest unit. A document's posted total is the sum of
// its lines' rounded values plus the posted taxes.

#include <string_view>
#include <vector>

#include "model/decimal.h"

namespace bookbridge::readers::gnucash {

struct TaxTableEntry {
  bool percent = true;    ///< GnuCash type 2 (percent) or 1 (fixed value)
  model::Decimal amount;  ///< percent (10 = 10%) or value
};

struct EntryInput {
  model::Decimal quantity;  ///< the document quantity (credit notes: as shown, positive)
  model::Decimal price;
  model::Decimal discount;                   ///< customer side only
  bool discount_percent = true;              ///< PERCENT or VALUE
  std::string_view discount_how = "PRETAX";  ///< PRETAX | SAMETIME | POSTTAX
  bool taxable = false;
  bool tax_included = false;
  std::vector<TaxTableEntry> taxes;  ///< empty when not taxable or no table
  int scale = 2;                     ///< currency decimal places
};

struct EntryAmounts {
  model::Decimal value;     ///< net of discount, before tax (rounded)
  model::Decimal discount;  ///< rounded
  model::Decimal tax;       ///< sum of the rounded taxes
};

EntryAmounts compute_entry(const EntryInput& input);

}  // namespace bookbridge::readers::gnucash
