# The client's sources that need no browser, compiled into the client and, natively and as
# WebAssembly, into tests/client. Paths are relative to client/.
set(UNEPLACE_CLIENT_LOGIC_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/src/routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/csv.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/api/readers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/data/precheck.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/input_queue.cpp
)
