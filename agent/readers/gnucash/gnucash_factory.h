#pragma once

// The GnuCash reader's registry entry (listed in readers/builtin_readers.cpp).

#include "readers/registry.h"

namespace bookbridge::readers::gnucash {

ReaderFactory make_factory();

}  // namespace bookbridge::readers::gnucash
