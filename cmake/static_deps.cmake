# MLM_STATIC_DEPS=ON: a release binary that needs nothing but glibc (libc, libm, ld-linux).
#
# Every library comes from the static archive its Debian -dev package ships, followed by the
# archives it needs in turn. libgit2 keeps its network transports (HTTPS through mbedTLS, SSH
# through libssh2 and OpenSSL's libcrypto), so the release binary is the same tool as the
# packaged one; its archive order follows libgit2.pc's Libs.private and Requires.private.
# Debian ships no static simdjson: it is compiled from the amalgamated simdjson.cpp of the Debian
# source package of the installed libsimdjson-dev version (packaging/debian_source.sh), the
# sources its shared library was built from. Debian's libgit2 also calls GSS-API (Kerberos) for
# HTTP Negotiate authentication, which has no static library: the binary gets a GSS-API without
# mechanisms instead (packaging/static/gssapi_without_mechanisms.c says why and what that means).
# The C++ runtime and libgcc are linked statically;
# glibc stays shared, since a static glibc cannot load NSS modules for user and host look-ups.
find_package(Threads REQUIRED)

add_library(mlm_third_party INTERFACE)
foreach(_lib git2 mbedtls mbedx509 mbedcrypto http_parser ssh2 crypto pcre2-8 yaml-cpp re2 z)
  find_library(MLM_STATIC_${_lib} NAMES lib${_lib}.a REQUIRED)
  target_link_libraries(mlm_third_party INTERFACE "${MLM_STATIC_${_lib}}")
endforeach()
add_library(mlm_gssapi_without_mechanisms STATIC "${CMAKE_CURRENT_SOURCE_DIR}/packaging/static/gssapi_without_mechanisms.c")
target_compile_options(mlm_gssapi_without_mechanisms PRIVATE -Wall -Wextra)
target_link_libraries(mlm_third_party INTERFACE mlm_gssapi_without_mechanisms Threads::Threads ${CMAKE_DL_LIBS} rt)
target_link_options(mlm_third_party INTERFACE -static-libstdc++ -static-libgcc)

set(_simdjson_src "${CMAKE_BINARY_DIR}/debian-source/simdjson")
if(NOT EXISTS "${_simdjson_src}/singleheader/simdjson.cpp")
  message(STATUS "Fetching the Debian source of the installed libsimdjson-dev")
  execute_process(COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian_source.sh" libsimdjson-dev
                          "${_simdjson_src}"
                  RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "could not get the Debian source of libsimdjson-dev (${_rc})")
  endif()
endif()
add_library(mlm_simdjson STATIC "${_simdjson_src}/singleheader/simdjson.cpp")
# Before the system include folder, so the engine compiles against the header of these sources.
target_include_directories(mlm_simdjson SYSTEM BEFORE PUBLIC "${_simdjson_src}/singleheader")
target_compile_definitions(mlm_simdjson PUBLIC SIMDJSON_THREADS_ENABLED=1)
target_compile_options(mlm_simdjson PRIVATE -w)
target_link_libraries(mlm_third_party INTERFACE mlm_simdjson)
