# probe.cmake: builds one layer probe (-DBUILD_DIR -DTARGET) and checks the outcome: OUTCOME
# `build` must compile; `fail` must not, and the compiler must name HEADER as what it could
# not find (so that a probe broken for another reason does not pass).
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(OUTCOME STREQUAL "build")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${TARGET} should build, but:\n${out}")
  endif()
else()
  if(rc EQUAL 0)
    message(FATAL_ERROR "${TARGET} built, but its module must not see ${HEADER}")
  endif()
  string(REGEX MATCH "${HEADER}[^\n]*(No such file|not found)" found "${out}")
  if(NOT found)
    message(FATAL_ERROR "${TARGET} failed, but not for want of ${HEADER}:\n${out}")
  endif()
  message(STATUS "${TARGET}: refused, as it should be: ${found}")
endif()
