// uneplace shared module — the impact figures admins report (end of DOMAIN.md).
// Pure functions from session and booking rows to integer figures; ratios are integers in per mille
// (rounded half up) so the native and browser builds print exactly the same numbers.
//
// Definitions (our reading of DOMAIN.md, one place for all reports):
// - A session belongs to a period by its start; cancelled sessions donate nothing and are skipped.
// - places_donated: Σ capacity of the sessions in the group.
// - places_booked: Σ places of bookings that hold places (confirmed, attended, no_show).
// - people_attended: Σ attended_count of attended bookings.
// - usage_permille: people_attended × 1000 ÷ places_donated (the programme's "40 %" figure).
// - unique_beneficiaries: distinct beneficiaries with a booking holding places in the group.
// - first_timers: those of them with no attended outing in the 365 days before the start of their
//   first such session in the group (the history may lie outside the period: pass it in `history`).
// - late_cancellations: bookings late_cancelled.
// - no_show_permille: no_show ÷ (attended + no_show) bookings; unrecorded ones (confirmed after the
//   outing) are unknown and left out.
// - waitlist_served: bookings holding places that came from the waitlist.
// - average_rating_x10: mean feedback rating × 10, rounded half up (42 = 4,2/5); ratings_count.
//
// Index of this file:
// [SECTION] Input rows
// [SECTION] Figures and grouping
// [SECTION] Formatting for people
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "uneplace/domain.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Input rows
//-----------------------------------------------------------------------------

struct ImpactSession {
    Id session_id = 0;
    Id partner_id = 0;
    std::string territory;
    Category category = Category::Theatre;
    UnixSeconds start = 0;
    int capacity = 0;
    SessionStatus status = SessionStatus::Scheduled;
};

struct ImpactBooking {
    Id booking_id = 0;
    Id session_id = 0;  // must be in the sessions given (history bookings need not be)
    Id structure_id = 0;
    Id beneficiary_id = 0;  // the pseudonymous reference survives erasure (P1)
    UnixSeconds session_start = 0;
    int places = 1;
    BookingStatus status = BookingStatus::Confirmed;
    int attended_count = 0;
    bool from_waitlist = false;
    std::optional<int> rating;  // feedback 1–5
};

//-----------------------------------------------------------------------------
// [SECTION] Figures and grouping
//-----------------------------------------------------------------------------

enum class ImpactGroupBy : std::uint8_t { None, Month, Territory, Category, Partner, Structure };
// "month" "territory" "category" "partner" "structure" ("" for None), as in ?group_by=.
std::optional<ImpactGroupBy> impact_group_by_from_code(std::string_view code);

struct ImpactFigures {
    std::int64_t places_donated = 0;
    std::int64_t places_booked = 0;
    std::int64_t people_attended = 0;
    int usage_permille = 0;
    std::int64_t bookings = 0;  // bookings holding places
    std::int64_t unique_beneficiaries = 0;
    std::int64_t first_timers = 0;
    std::int64_t late_cancellations = 0;
    std::int64_t attended_bookings = 0;
    std::int64_t no_show_bookings = 0;
    int no_show_permille = 0;
    std::int64_t waitlist_served = 0;
    std::int64_t ratings_count = 0;
    int average_rating_x10 = 0;  // 0 when no rating
    bool operator==(const ImpactFigures&) const = default;
};

struct ImpactRow {
    // Group key: "" (None), "2026-12" (Month, venue local time), "75" (Territory), "theatre"
    // (Category), decimal id (Partner, Structure). Rows are sorted by key.
    std::string key;
    ImpactFigures figures;
};

struct ImpactQuery {
    UnixSeconds from = 0;  // sessions with from ≤ start < to
    UnixSeconds to = INT64_MAX;
    std::string territory;  // "" = all
    ImpactGroupBy group_by = ImpactGroupBy::None;
};

// `bookings`: bookings of the sessions given. `history`: the beneficiaries' bookings of the previous
// 365 days (for first-timers); may overlap `bookings`, duplicates by booking_id are harmless.
// Grouping by structure gives places_donated 0 (donations are not per structure).
std::vector<ImpactRow> impact_figures(std::span<const ImpactSession> sessions, std::span<const ImpactBooking> bookings,
                                      std::span<const ImpactBooking> history, const ImpactQuery& query);

// Integer ratio in per mille, rounded half up; 0 when the denominator is 0.
int permille(std::int64_t numerator, std::int64_t denominator);

//-----------------------------------------------------------------------------
// [SECTION] Formatting for people
//-----------------------------------------------------------------------------

// 417 → "41,7 %" (no-break space before %).
std::string format_permille_fr(int permille);
// 42 → "4,2" (an average rating).
std::string format_tenths_fr(int tenths);
// 12345 → "12 345" (no-break space as thousands separator).
std::string format_count_fr(std::int64_t n);

}  // namespace uneplace
