#!/usr/bin/env bash
# The one test command: installs what is missing, builds, runs every test with CTest.
#   tests/run.sh              normal build in build/, all tiers (unit, integration, e2e)
#   tests/run.sh --sanitize   ASan+UBSan build in build-asan/, unit and integration tiers
# Exits non-zero on any failure. Set BOOKBRIDGE_WERROR=ON to treat warnings as errors (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=normal
if [[ "${1:-}" == "--sanitize" ]]; then
  mode=sanitize
fi

installer/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
werror=${BOOKBRIDGE_WERROR:-OFF}
if [[ $mode == sanitize ]]; then
  build=build-asan
  cmake_args=(-DCMAKE_BUILD_TYPE=Debug -DBOOKBRIDGE_SANITIZE=ON)
  ctest_args=(-L 'unit|integration')
  # Leaks are real failures; abort on the first UBSan report.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
else
  build=build
  cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
  ctest_args=()
fi

cmake -S . -B "$build" -G Ninja -DBOOKBRIDGE_WERROR="$werror" "${cmake_args[@]}"
cmake --build "$build" -j "$jobs"
cd "$build"
ctest --output-on-failure --timeout 600 -j "$jobs" "${ctest_args[@]}"
