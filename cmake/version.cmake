# Produces bookbridge/version_info.h with the project version and the git commit of the build.
find_package(Git QUIET)
set(BOOKBRIDGE_GIT_COMMIT "unknown")
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE _commit
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _rc)
  if(_rc EQUAL 0 AND _commit)
    set(BOOKBRIDGE_GIT_COMMIT "${_commit}")
  endif()
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/version_info.h.in
  ${PROJECT_BINARY_DIR}/generated/bookbridge/version_info.h @ONLY)
