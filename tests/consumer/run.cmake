# Installs pca from the build tree into a scratch prefix, then configures, builds and runs a
# separate project that finds it with find_package(pca). Invoked by ctest with cmake -P.
foreach(var PCA_SOURCE_DIR PCA_BINARY_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

function(run_step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "step failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

run_step(${CMAKE_COMMAND} --install "${PCA_BINARY_DIR}" --prefix "${prefix}")
if(NOT EXISTS "${prefix}/lib/cmake/pca/pcaConfig.cmake" AND NOT EXISTS "${prefix}/lib64/cmake/pca/pcaConfig.cmake")
  message(FATAL_ERROR "pcaConfig.cmake was not installed under ${prefix}")
endif()
run_step(${CMAKE_COMMAND} -S "${PCA_SOURCE_DIR}/tests/consumer" -B "${WORK_DIR}/build"
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER})
run_step(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run_step("${WORK_DIR}/build/pca_consumer")
message(STATUS "consumer project built against the installed pca and ran")
