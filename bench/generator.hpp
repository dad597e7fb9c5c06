// uneplace benchmarks — the national-scale data generator: the server's own schema (its migration
// code) filled in bulk, deterministically from a seed.
#pragma once
#include <cstdint>
#include <string>

#include "uneplace/domain.hpp"

namespace uneplace::bench {

// Every generated account has this password (hashed once with the server's own Argon2id at its
// minimum cost, which verify_password accepts on any server: the cost is read from the hash).
inline constexpr const char* kBenchPassword = "banc-d-essai-uneplace";
inline constexpr const char* kBenchAdminEmail = "admin@bench.uneplace.test";

struct GenConfig {
    std::string db_path;
    std::uint64_t seed = 20260101;
    double scale = 1.0;   // 1.0 = the national figures of issue 7
    UnixSeconds now = 0;  // times are laid out around this instant (midnight UTC of the run)
};

struct GenCounts {
    int departements = 0, partners = 0, structures = 0, venues = 0, offers = 0;
    int sessions = 0, beneficiaries = 0, past_bookings = 0, posters = 0;
    std::int64_t storm_session_id = 0;  // the last session: 500 places, nobody booked yet
    double seconds = 0;
};

// Creates `db_path` (which must not exist), migrates it with the server's migrations and fills it.
GenCounts generate(const GenConfig& cfg);

}  // namespace uneplace::bench
