# usoftirq_add_test(<name> SOURCES <files>... [KCOMPAT] [LIBRARIES <libs>...]
#                   [TIMEOUT <seconds>] [LABELS <labels>...])
#
# One CMocka executable and one CTest entry per test module. KCOMPAT builds
# it against the kernel-compatible headers (usoftirq::kcompat) instead of
# the prefixed API only. TIMEOUT (default 120 s) only catches hangs: no
# test depends on how fast the machine is.
function(usoftirq_add_test name)
  cmake_parse_arguments(T "KCOMPAT" "TIMEOUT" "SOURCES;LIBRARIES;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_compile_definitions(${name} PRIVATE _GNU_SOURCE)
  target_compile_options(${name} PRIVATE ${USOFTIRQ_WARNINGS})
  target_link_libraries(${name} PRIVATE usoftirq_testutil PkgConfig::CMOCKA
                        Threads::Threads ${T_LIBRARIES})
  if(T_KCOMPAT)
    target_link_libraries(${name} PRIVATE usoftirq::kcompat)
  else()
    target_link_libraries(${name} PRIVATE usoftirq::usoftirq)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT}
                       LABELS "${T_LABELS}")
endfunction()
