# Run by CTest (see CMakeLists.txt): cmake -DBUILD_DIR=... -P package_test.cmake
cmake_minimum_required(VERSION 3.22)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "ok: ${what}")
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
run("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# 1. CMake: find_package(usoftirq) and the three exported targets.
run("configure the consumer" ${CMAKE_COMMAND} -S ${CONSUMER_DIR}
    -B ${WORK_DIR}/cmake -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_C_COMPILER=${C_COMPILER})
run("build the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
foreach(exe consumer_prefixed consumer_kcompat consumer_static)
  run("run ${exe} (find_package)" ${WORK_DIR}/cmake/${exe})
endforeach()

# 2. pkg-config, from the installed tree and from a moved copy of it (the
#    .pc files locate the prefix from their own directory).
file(GLOB_RECURSE pc_file ${prefix}/*/usoftirq.pc)
if(NOT pc_file)
  message(FATAL_ERROR "usoftirq.pc was not installed under ${prefix}")
endif()
get_filename_component(pc_dir ${pc_file} DIRECTORY)
file(RELATIVE_PATH pc_rel ${prefix} ${pc_dir})
file(RENAME ${prefix} ${WORK_DIR}/moved)

function(build_with_pkg_config name module source)
  set(ENV{PKG_CONFIG_PATH} ${WORK_DIR}/moved/${pc_rel})
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs ${module}
                  OUTPUT_VARIABLE flags RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config ${module} failed")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run("compile ${name} (pkg-config ${module})" ${C_COMPILER} -std=gnu11
      ${CONSUMER_DIR}/${source} ${flags} -o ${WORK_DIR}/${name})
  get_filename_component(libdir ${WORK_DIR}/moved/${pc_rel} DIRECTORY)
  set(ENV{LD_LIBRARY_PATH} ${libdir})
  run("run ${name} (pkg-config)" ${WORK_DIR}/${name})
endfunction()
build_with_pkg_config(pc_prefixed usoftirq prefixed.c)
build_with_pkg_config(pc_kcompat usoftirq-kcompat kernel.c)
