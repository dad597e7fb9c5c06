// uneplace shared module — who gets freed or scarce places: the waitlist (W1–W3) and the ballot (B1–B3).
// Pure and deterministic: the same inputs give the same order natively and in the browser, so the
// client can re-run a draw to show a social worker why a request won or lost.
//
// Index of this file:
// [SECTION] Common types
// [SECTION] splitmix64 (B3)
// [SECTION] Waitlist serving W2–W3
// [SECTION] Ballot draw B2–B3
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "uneplace/domain.hpp"
#include "uneplace/rules.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Common types
//-----------------------------------------------------------------------------

// Places already held in the session by one structure (bookings that holds_places()).
struct StructurePlaces {
    Id structure_id = 0;
    int places = 0;
    bool operator==(const StructurePlaces&) const = default;
};

//-----------------------------------------------------------------------------
// [SECTION] splitmix64
//-----------------------------------------------------------------------------

// The standard splitmix64 finaliser (Steele, Lea, Flood 2014), as in B3.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
    std::uint64_t z = x + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
// B3: the key of request r is splitmix64(seed XOR r.id).
constexpr std::uint64_t ballot_key(std::uint64_t seed, Id request_id) {
    return splitmix64(seed ^ static_cast<std::uint64_t>(request_id));
}

//-----------------------------------------------------------------------------
// [SECTION] Waitlist serving W2–W3
//-----------------------------------------------------------------------------

struct WaitlistEntry {
    Id id = 0;
    Id structure_id = 0;
    Id beneficiary_id = 0;
    int places = 1;
    int attended_last_365 = 0;  // attended outings of the beneficiary in the last 365 days
    UnixSeconds entered_at = 0;
    // Tie-break among entries entered at the same second: ballot losers keep their draw order here
    // (0, 1, 2…); ordinary entries leave 0 and fall back to the id.
    std::int64_t rank = 0;
    // W1 "all other rules still apply": false when check_request_without_scarcity() now refuses.
    // An ineligible entry is skipped (stays on the list), never served.
    bool eligible = true;
};

// W2 priority order: fewest attended outings first, then earliest entry, then rank, then id.
bool waitlist_before(const WaitlistEntry& a, const WaitlistEntry& b);

struct WaitlistServing {
    std::vector<Id> served;   // become confirmed bookings now, in serving order
    std::vector<Id> expired;  // W3: at/after closes_at every remaining entry expires (notify)
    int places_left_after = 0;
};

// W2–W3: serve `entries` in priority order into the free places of `session`, each within the R4
// share cap while it applies (`now` < release_at), skipping an entry that does not fit (a family of 4
// never holds back a request for 2) and ineligible entries. At or after closes_at nothing is served
// and every entry expires; a cancelled session expires everything too. `held` lists the places
// already held per structure (their sum is the session's places held).
WaitlistServing serve_waitlist(const SessionInfo& session, std::span<const WaitlistEntry> entries,
                               std::span<const StructurePlaces> held, const TerritorySettings& settings,
                               UnixSeconds now);

//-----------------------------------------------------------------------------
// [SECTION] Ballot draw B2–B3
//-----------------------------------------------------------------------------

struct BallotRequest {
    Id id = 0;  // request id: part of the key (B3)
    Id structure_id = 0;
    Id beneficiary_id = 0;
    int places = 1;
    int attended_last_365 = 0;
    bool eligible = true;  // false: rules R5–R10 refuse it at draw time (it neither wins nor waits)
};

enum class BallotOutcome : std::uint8_t { Won, Waitlisted, Ineligible };

struct BallotLine {
    Id request_id = 0;
    std::uint64_t key = 0;  // splitmix64(seed XOR id)
    int attended_last_365 = 0;
    int places = 0;
    BallotOutcome outcome = BallotOutcome::Waitlisted;
};

struct BallotResult {
    std::vector<BallotLine> lines;  // every request in draw order (ineligible ones last, by id)
    std::vector<Id> winners;        // in draw order: become confirmed bookings
    std::vector<Id> waitlisted;     // losers in draw order: join the waitlist (rank = index here)
    int places_left_after = 0;
};

// B2: order eligible requests by (attended_last_365 ascending, key ascending, id ascending), then
// fill capacity greedily, skipping what does not fit, within the R4 share cap when the draw happens
// before release_at (draw_at < release_at, which the defaults always give). `held` = places already
// held per structure (normally none in a ballot session).
BallotResult draw_ballot(const SessionInfo& session, std::span<const BallotRequest> requests, std::uint64_t seed,
                         std::span<const StructurePlaces> held, const TerritorySettings& settings);

}  // namespace uneplace
