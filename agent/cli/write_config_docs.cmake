# Writes the output of `bookbridge-agent config-docs` to OUTPUT (used by the config-docs target).
execute_process(COMMAND ${AGENT} config-docs
  OUTPUT_VARIABLE docs RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bookbridge-agent config-docs failed (${rc}): ${err}")
endif()
file(WRITE ${OUTPUT} "${docs}")
message(STATUS "wrote ${OUTPUT}")
