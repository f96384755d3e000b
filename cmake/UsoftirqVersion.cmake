# Reads USOFTIRQ_VERSION_{MAJOR,MINOR,PATCH} from include/usoftirq/version.h,
# the single source of the version, into USOFTIRQ_VERSION.
file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/../include/usoftirq/version.h"
     _usoftirq_version_lines
     REGEX "^#define USOFTIRQ_VERSION_(MAJOR|MINOR|PATCH) [0-9]+$")
foreach(_part MAJOR MINOR PATCH)
  string(REGEX MATCH "USOFTIRQ_VERSION_${_part} ([0-9]+)" _match
         "${_usoftirq_version_lines}")
  if(NOT _match)
    message(FATAL_ERROR "version.h has no USOFTIRQ_VERSION_${_part}")
  endif()
  set(_usoftirq_${_part} "${CMAKE_MATCH_1}")
endforeach()
set(USOFTIRQ_VERSION "${_usoftirq_MAJOR}.${_usoftirq_MINOR}.${_usoftirq_PATCH}")
