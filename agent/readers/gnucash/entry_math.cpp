#include "readers/gnucash/entry_math.h"

namespace bookbridge::readers::gnucash {
namespace {

using model::Decimal;
using model::Rounding;

// Intermediate quotients (tax-included back-out) keep this many places before the final
// rounding to the currency (GnuCash keeps exact rationals; 12 places agree with it in practice).
constexpr int kWorkScale = 12;

}  // namespace

EntryAmounts compute_entry(const EntryInput& input) {
  const Decimal hundred = Decimal::from_int(100);
  const Decimal aggregate = input.quantity * input.price;
  Decimal tpercent;
  Decimal tvalue;
  if (input.taxable) {
    for (const auto& tax : input.taxes) {
      (tax.percent ? tpercent : tvalue) += tax.amount;
    }
  }
  const Decimal rate = tpercent.divide(hundred, kWorkScale);
  Decimal pretax = aggregate;
  if (input.taxable && input.tax_included) {
    pretax =
        (aggregate - tvalue).divide(rate + Decimal::from_int(1), kWorkScale, Rounding::half_up);
  }
  Decimal discount = input.discount;
  Decimal value;
  Decimal tax_base = pretax;
  if (input.discount_how == "POSTTAX") {
    if (input.discount_percent) {
      const Decimal after_tax = pretax + pretax * rate + tvalue;
      discount = after_tax * input.discount.divide(hundred, kWorkScale);
    }
    value = pretax - discount;
  } else {
    if (input.discount_percent) {
      discount = pretax * input.discount.divide(hundred, kWorkScale);
    }
    value = pretax - discount;
    if (input.discount_how != "SAMETIME") {
      tax_base = value;  // PRETAX: tax on the discounted amount
    }
  }
  EntryAmounts result;
  result.value = value.rounded(input.scale, Rounding::half_up);
  result.discount = discount.rounded(input.scale, Rounding::half_up);
  result.tax = Decimal::from_int(0).rounded(input.scale);
  if (input.taxable) {
    for (const auto& tax : input.taxes) {
      const Decimal amount =
          tax.percent ? tax_base * tax.amount.divide(hundred, kWorkScale) : tax.amount;
      result.tax += amount.rounded(input.scale, Rounding::half_up);
    }
  }
  return result;
}

}  // namespace bookbridge::readers::gnucash
