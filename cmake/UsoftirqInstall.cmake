# Install rules: headers, both libraries, the exported CMake package
# (usoftirq::usoftirq, usoftirq::usoftirq_static, usoftirq::kcompat) and
# the pkg-config files usoftirq.pc and usoftirq-kcompat.pc.
include(CMakePackageConfigHelpers)

set(USOFTIRQ_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/usoftirq")
set(USOFTIRQ_PKGCONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

install(TARGETS usoftirq usoftirq_static usoftirq_kcompat
  EXPORT usoftirqTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(EXPORT usoftirqTargets
  NAMESPACE usoftirq::
  FILE usoftirqTargets.cmake
  DESTINATION ${USOFTIRQ_CMAKE_DIR})

configure_package_config_file(cmake/usoftirqConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/usoftirqConfig.cmake
  INSTALL_DESTINATION ${USOFTIRQ_CMAKE_DIR})
# 0.y releases may break compatibility between minors (see the SOVERSION
# rule in src/CMakeLists.txt), so only the same minor version satisfies a
# request until 1.0.
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/usoftirqConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/usoftirqConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/usoftirqConfigVersion.cmake
  DESTINATION ${USOFTIRQ_CMAKE_DIR})

# pkg-config files locate the prefix from their own directory, so an
# installed tree can be moved; libdir and includedir are relative to it.
function(usoftirq_relative_to_prefix out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "\${prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()
file(RELATIVE_PATH USOFTIRQ_PC_TO_PREFIX
  "${CMAKE_INSTALL_PREFIX}/${USOFTIRQ_PKGCONFIG_DIR}" "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" USOFTIRQ_PC_TO_PREFIX "${USOFTIRQ_PC_TO_PREFIX}")
usoftirq_relative_to_prefix(USOFTIRQ_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
usoftirq_relative_to_prefix(USOFTIRQ_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
foreach(pc usoftirq usoftirq-kcompat)
  configure_file(cmake/${pc}.pc.in ${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc
    DESTINATION ${USOFTIRQ_PKGCONFIG_DIR})
endforeach()
