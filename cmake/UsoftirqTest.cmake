# usoftirq_add_test(<name> SOURCES <files>... [KCOMPAT | INTERNAL]
#                   [LIBRARIES <libs>...] [TIMEOUT <seconds>]
#                   [LABELS <labels>...])
#
# One CMocka executable and one CTest entry per test module. KCOMPAT builds
# it against the kernel-compatible headers (usoftirq::kcompat) instead of
# the prefixed API only. INTERNAL makes a white-box test: it sees src/'s
# private headers and links the static library (whose internal symbols
# are not hidden), without the shared test helpers, which link the shared
# one. TIMEOUT (default 120 s) only catches hangs: no
# test depends on how fast the machine is.
function(usoftirq_add_test name)
  cmake_parse_arguments(T "KCOMPAT;INTERNAL" "TIMEOUT" "SOURCES;LIBRARIES;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_compile_definitions(${name} PRIVATE _GNU_SOURCE)
  target_compile_options(${name} PRIVATE ${USOFTIRQ_WARNINGS})
  target_link_libraries(${name} PRIVATE PkgConfig::CMOCKA Threads::Threads
                        ${T_LIBRARIES})
  if(T_INTERNAL)
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${name} PRIVATE usoftirq::usoftirq_static)
  elseif(T_KCOMPAT)
    target_link_libraries(${name} PRIVATE usoftirq_testutil
                          usoftirq::kcompat)
  else()
    target_link_libraries(${name} PRIVATE usoftirq_testutil
                          usoftirq::usoftirq)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT}
                       LABELS "${T_LABELS}")
endfunction()
