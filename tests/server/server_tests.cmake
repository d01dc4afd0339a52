# ctest tests of pca-server (included from examples/CMakeLists.txt when pca-server is built).
# They drive the real executable on 127.0.0.1, port 0, with a temporary data directory,
# through boto3, the AWS CLI and raw HTTP. Python: the first python3 on PATH that imports
# boto3 and cryptography, else /usr/bin/python3 (Debian's, with python3-boto3).
set(PCA_SERVER_TEST_DIR "${PROJECT_SOURCE_DIR}/tests/server")

if(NOT DEFINED PCA_SERVER_PYTHON)
  set(PCA_SERVER_PYTHON "")
  find_program(PCA_SERVER_PATH_PYTHON3 NAMES python3)
  foreach(candidate IN ITEMS "${PCA_SERVER_PATH_PYTHON3}" /usr/bin/python3)
    if(candidate AND EXISTS "${candidate}" AND NOT PCA_SERVER_PYTHON)
      execute_process(COMMAND "${candidate}" -c "import boto3, botocore, cryptography"
        RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
      if(_rc EQUAL 0)
        set(PCA_SERVER_PYTHON "${candidate}")
      endif()
    endif()
  endforeach()
endif()

if(PCA_SERVER_PYTHON)
  message(STATUS "pca-server tests: Python ${PCA_SERVER_PYTHON}")
  foreach(t boto3_lifecycle credentials bad_requests)
    add_test(NAME server.${t}
      COMMAND "${PCA_SERVER_PYTHON}" "${PCA_SERVER_TEST_DIR}/${t}.py" --server $<TARGET_FILE:pca-server>)
    set_tests_properties(server.${t} PROPERTIES TIMEOUT 300)
  endforeach()
else()
  message(STATUS "pca-server tests: no python3 with boto3 and cryptography found "
                 "(install python3-boto3 python3-cryptography); server.boto3_* tests are not registered")
endif()

find_program(PCA_SERVER_AWS_CLI NAMES aws)
if(PCA_SANITIZE)
  # ~50 CLI start-ups of ~1 s each; the sanitizer pass gets the same server code from boto3.
  message(STATUS "pca-server tests: server.cli_lifecycle runs in the unsanitized build only")
elseif(PCA_SERVER_AWS_CLI)
  add_test(NAME server.cli_lifecycle
    COMMAND bash "${PCA_SERVER_TEST_DIR}/cli_lifecycle.sh" $<TARGET_FILE:pca-server> "${PCA_SERVER_AWS_CLI}")
  set_tests_properties(server.cli_lifecycle PROPERTIES TIMEOUT 300)
else()
  message(STATUS "pca-server tests: the AWS CLI (awscli) was not found; server.cli_lifecycle is not registered")
endif()
