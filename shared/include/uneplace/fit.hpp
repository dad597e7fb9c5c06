// uneplace shared module — does a session fit this person: the catalogue filtered for one
// beneficiary (API.md "Finding outings", fits_beneficiary=) and the app's "why not", with the same
// function on both sides. A family goes out together: the household takes its size in places.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "uneplace/rules.hpp"

namespace uneplace {

struct Household {
    int size = 1;                           // the beneficiary and the people going with them
    std::vector<int> children_birth_years;  // empty when not recorded
};

struct Fit {
    bool fits = true;
    std::optional<Refusal> refusal;  // why not: places_out_of_range, child_too_young, then R9, R5–R8's codes
    int youngest_age = -1;           // child_too_young: the youngest child's age in the session's year
    std::string why_fr;              // the reason for people ("" when it fits)
};

// Whether the household fits the session: its size within max_per_booking (R1 for the whole family),
// every known child at least the offer's min_age (age as R9 counts it: the session's civil year −
// birth year), then R9 for the beneficiary and R5–R8 with the beneficiary's bookings, with
// `snapshot.places` taken as the household's size. R2, R3, R4 and R10 are not asked: the catalogue
// lists only open sessions of the caller's reach, and a full session can still be waited for.
Fit fits_household(const BookingSnapshot& snapshot, const Household& household);

}  // namespace uneplace
