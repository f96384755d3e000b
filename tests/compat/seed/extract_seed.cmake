# Writes OUTPUT with the lines of SEED_FILE that lie strictly between the
# line "Complete Example" and the next line "Tasklet States" (the titles of
# the seed document's section and of the one after it), unchanged. Run at
# build time by tests/compat/seed/CMakeLists.txt:
#
#   cmake -DSEED_FILE=<seed document> -DOUTPUT=<file.c> -P extract_seed.cmake
#
# A document without both titles, in that order, with code between them,
# fails the build with a message naming the document.

foreach(var SEED_FILE OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "extract_seed.cmake: -D${var}=... is required")
  endif()
endforeach()

set(begin_title "Complete Example")
set(end_title "Tasklet States")

file(READ "${SEED_FILE}" text)
# A title is a whole line: delimit the text with newlines so that the first
# and the last line are found like the others.
set(text "\n${text}\n")

string(FIND "${text}" "\n${begin_title}\n" begin)
if(begin EQUAL -1)
  message(FATAL_ERROR "${SEED_FILE}: no line \"${begin_title}\": cannot "
    "extract the seed's Complete Example (did the document change?)")
endif()
# The rest of the text from the newline that ends the title line.
string(LENGTH "\n${begin_title}" title_length)
math(EXPR rest_start "${begin} + ${title_length}")
string(SUBSTRING "${text}" ${rest_start} -1 rest)

string(FIND "${rest}" "\n${end_title}\n" end)
if(end EQUAL -1)
  message(FATAL_ERROR "${SEED_FILE}: no line \"${end_title}\" after the "
    "line \"${begin_title}\": cannot tell where the Complete Example ends")
endif()
if(end EQUAL 0)
  message(FATAL_ERROR "${SEED_FILE}: nothing between the lines "
    "\"${begin_title}\" and \"${end_title}\"")
endif()
# From the first character after the title's newline to the newline that
# ends the last line before the end title, inclusive.
string(SUBSTRING "${rest}" 1 ${end} example)

file(WRITE "${OUTPUT}" "${example}")
