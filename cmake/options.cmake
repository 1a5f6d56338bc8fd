# Every build switch of the project lives here.
option(BOOKBRIDGE_BUILD_TESTS "Build the test executables and register them with CTest" ON)
option(BOOKBRIDGE_WERROR "Treat compiler warnings as errors (CI turns this on)" OFF)
option(BOOKBRIDGE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(BOOKBRIDGE_USE_CCACHE "Use ccache when it is installed" ON)
option(BOOKBRIDGE_READER_GNUCASH "Build the GnuCash reader" ON)
