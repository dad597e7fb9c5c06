// uneplace server — serving: binds the address, prints it, answers until SIGINT/SIGTERM.
#pragma once
#include <string>
#include <vector>

#include "app.hpp"

namespace uneplace::server {

// Binds options.host:options.port (port 0 picks a free one), prints exactly one line with
// "http://HOST:PORT/" on stdout, then `banner` lines, runs the scheduler, and returns when a
// signal asks to stop. SIGINT and SIGTERM must be blocked in every thread before calling
// (main does it first thing) so that only this function's signal thread receives them.
int serve(App& app, const std::vector<std::string>& banner);

}  // namespace uneplace::server
