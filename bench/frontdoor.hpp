// uneplace benchmarks — the front door's lines (issue 11), run by scenarios.cpp in the same run:
//   (a) 500 idle + 50 slowloris connections open while 16 clients book and browse: their p99;
//   (b) 256 and 2,000 kept-alive connections on /healthz and on the catalogue: p50/p99, errors;
//   (c) a login flood at the real Argon2id cost: the server's peak memory.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "loadgen.hpp"

namespace uneplace::bench {

struct FrontDoorBench {
    Target target;          // the national server (started with a wide --max-conn-per-address)
    pid_t server_pid = -1;  // line (c) reads its memory
    std::string token;      // a social worker's, for the catalogue
    NextCall booking;       // the next booking of the run's work (line 2's)
    std::function<std::string(std::uint64_t n)> catalogue_path;
    double seconds = 10;
};

// Runs lines (a), (b), (c); figures as JSON.
nlohmann::json frontdoor_lines(const FrontDoorBench& b);
// Their rows of the results table (Markdown), from that JSON.
std::string frontdoor_rows(const nlohmann::json& frontdoor);

}  // namespace uneplace::bench
