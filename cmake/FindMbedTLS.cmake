# FindMbedTLS
# -----------
# Yields the imported targets MbedTLS::mbedcrypto, MbedTLS::mbedx509 and MbedTLS::mbedtls.
#
# mbedTLS 3.x installs a CMake package config (MbedTLSConfig.cmake) that already defines these
# targets; it is used when found. mbedTLS 2.28 as packaged by Debian 12 ships no config, so the
# headers and libraries are searched for directly and the version is read from
# mbedtls/build_info.h (3.x) or mbedtls/version.h (2.x).
#
# Result variables: MbedTLS_FOUND, MbedTLS_VERSION, MbedTLS_INCLUDE_DIR.

if(TARGET MbedTLS::mbedcrypto)
  set(MbedTLS_FOUND TRUE)
  return()
endif()

find_package(MbedTLS CONFIG QUIET NO_MODULE)
if(MbedTLS_FOUND AND TARGET MbedTLS::mbedcrypto)
  if(NOT MbedTLS_FIND_QUIETLY)
    message(STATUS "Found MbedTLS ${MbedTLS_VERSION} (CMake package config)")
  endif()
  return()
endif()

find_path(MbedTLS_INCLUDE_DIR NAMES mbedtls/version.h)
find_library(MbedTLS_CRYPTO_LIBRARY NAMES mbedcrypto)
find_library(MbedTLS_X509_LIBRARY NAMES mbedx509)
find_library(MbedTLS_TLS_LIBRARY NAMES mbedtls)

if(MbedTLS_INCLUDE_DIR)
  set(_pca_mbedtls_version_header "${MbedTLS_INCLUDE_DIR}/mbedtls/build_info.h")
  if(NOT EXISTS "${_pca_mbedtls_version_header}")
    set(_pca_mbedtls_version_header "${MbedTLS_INCLUDE_DIR}/mbedtls/version.h")
  endif()
  file(STRINGS "${_pca_mbedtls_version_header}" _pca_mbedtls_version_line
       REGEX "^#define[ \t]+MBEDTLS_VERSION_STRING[ \t]+\"[0-9.]+\"")
  string(REGEX REPLACE ".*\"([0-9.]+)\".*" "\\1" MbedTLS_VERSION "${_pca_mbedtls_version_line}")
  unset(_pca_mbedtls_version_header)
  unset(_pca_mbedtls_version_line)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(MbedTLS
  REQUIRED_VARS MbedTLS_INCLUDE_DIR MbedTLS_CRYPTO_LIBRARY MbedTLS_X509_LIBRARY MbedTLS_TLS_LIBRARY
  VERSION_VAR MbedTLS_VERSION)

if(MbedTLS_FOUND)
  if(NOT TARGET MbedTLS::mbedcrypto)
    add_library(MbedTLS::mbedcrypto UNKNOWN IMPORTED)
    set_target_properties(MbedTLS::mbedcrypto PROPERTIES
      IMPORTED_LOCATION "${MbedTLS_CRYPTO_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${MbedTLS_INCLUDE_DIR}")
  endif()
  if(NOT TARGET MbedTLS::mbedx509)
    add_library(MbedTLS::mbedx509 UNKNOWN IMPORTED)
    set_target_properties(MbedTLS::mbedx509 PROPERTIES
      IMPORTED_LOCATION "${MbedTLS_X509_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${MbedTLS_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES MbedTLS::mbedcrypto)
  endif()
  if(NOT TARGET MbedTLS::mbedtls)
    add_library(MbedTLS::mbedtls UNKNOWN IMPORTED)
    set_target_properties(MbedTLS::mbedtls PROPERTIES
      IMPORTED_LOCATION "${MbedTLS_TLS_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${MbedTLS_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES MbedTLS::mbedx509)
  endif()
endif()

mark_as_advanced(MbedTLS_INCLUDE_DIR MbedTLS_CRYPTO_LIBRARY MbedTLS_X509_LIBRARY MbedTLS_TLS_LIBRARY)
