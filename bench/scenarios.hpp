// uneplace benchmarks — the scenarios of issue 7 and the report (table, JSON, Markdown).
#pragma once
#include <cstdint>
#include <string>

namespace uneplace::bench {

struct RunConfig {
    std::string db_path;        // regenerated at every run
    std::string server_binary;  // the `uneplace` to serve with
    std::string out_json;       // results, machine-readable
    std::string out_markdown;   // results, the table committed as bench/RESULTS.md
    std::string client_json;    // bench/client.mjs's figures, merged in when present
    std::uint64_t seed = 20260101;
    double scale = 1.0;
    double line_seconds = 10;  // each HTTP line, the catalogue and /healthz
    double raw_seconds = 10;   // the raw SQLite line
    int storm_clients = 2000;
    int server_threads = 0;  // 0 = the server's default
};

// Line 4 alone (the catalogue and /healthz) against a database already generated, for working
// on the catalogue: `uneplace-bench catalogue --db build/bench/national.db`.
struct CatalogueConfig {
    std::string db_path;
    std::string server_binary;
    std::string out_json;  // optional
    double seconds = 10;
};
int run_catalogue_line(const CatalogueConfig& cfg);

// Runs everything; returns 0 when every correctness target holds (places held = capacity, no
// overbooking, no 5xx), whatever the timings.
int run_benchmark(const RunConfig& cfg);

}  // namespace uneplace::bench
