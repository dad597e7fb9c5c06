# Emscripten toolchain for the WebAssembly build (client and the shared-module tests).
# Wraps Debian's Emscripten 3.1.6 platform file and fixes the traps listed in TOOLCHAIN.md.
set(UNEPLACE_EMSCRIPTEN_ROOT "/usr/share/emscripten" CACHE PATH "Emscripten installation")
include("${UNEPLACE_EMSCRIPTEN_ROOT}/cmake/Modules/Platform/Emscripten.cmake")

# Debian's emcc runs Emscripten's JS optimiser with the machine's node, which does not see Debian's
# node modules (acorn): every link fails without NODE_PATH. Set it for each link and each test.
set(UNEPLACE_NODE_PATH "/usr/share/nodejs" CACHE PATH "node modules Emscripten's tools need")
set(CMAKE_C_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=${UNEPLACE_NODE_PATH}")
set(CMAKE_CXX_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=${UNEPLACE_NODE_PATH}")
# Node 20's built-in fetch breaks the 3.1.6 loader: tests run with --no-experimental-fetch.
set(CMAKE_CROSSCOMPILING_EMULATOR "node;--no-experimental-fetch" CACHE STRING "" FORCE)
