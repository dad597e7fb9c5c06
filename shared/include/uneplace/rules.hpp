// uneplace shared module — the booking rules R1–R10, cancellation C1/C2, attendance K2, feedback F1,
// privacy P2. Pure functions over a snapshot: the server fills the snapshot from SQLite INSIDE its
// write transaction (so R3/R4 counts are the locked ones) and calls decide_booking(); the client
// fills it from what it last fetched and calls the same function for instant feedback.
//
// Loading a snapshot (server, one transaction):
//   session  ← sessions ⋈ offers ⋈ venues        (SessionInfo, territory = venue's département)
//   actor    ← users ⋈ organisations of the caller (Actor)
//   beneficiary ← beneficiaries row + its unexcused no-show times + pause_lifted_at
//   beneficiary_bookings ← that beneficiary's bookings with status confirmed/attended (+ session times)
//   beneficiary_requests ← its open waitlist / ballot entries (session ids)
//   places_held, structure_places_held ← SUM(places) of bookings holding places (holds_places())
//   settings ← the territory's settings row (or TerritorySettings{} defaults)
//
// Index of this file:
// [SECTION] Snapshot types
// [SECTION] Derived quantities (places left, share cap R4, release_at, pause R8)
// [SECTION] Booking decision R1–R10
// [SECTION] Cancellation C1, session cancellation C2
// [SECTION] Attendance K2, feedback F1
// [SECTION] Privacy P1, P2
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Snapshot types
//-----------------------------------------------------------------------------

// What the rules need of a session, its offer and venue. All instants UTC.
struct SessionInfo {
    Id id = 0;
    Id offer_id = 0;
    Id partner_id = 0;
    std::string territory;  // venue's département, for local time and the settings row
    UnixSeconds start = 0;
    int duration_min = 0;
    int capacity = 0;
    int max_per_booking = 2;
    UnixSeconds opens_at = 0;  // publication time if none was set
    UnixSeconds closes_at = 0;
    AllocationMode allocation = AllocationMode::FirstCome;
    UnixSeconds draw_at = 0;  // ballot only
    SessionStatus status = SessionStatus::Scheduled;
    OfferStatus offer_status = OfferStatus::Published;
    int min_age = 0;  // offer's, 0 = all ages
    Category category = Category::Theatre;

    UnixSeconds end() const { return start + static_cast<UnixSeconds>(duration_min) * kMinute; }
};

// The user acting, as the server authenticated it.
struct Actor {
    Id user_id = 0;
    Role role = Role::SocialWorker;
    AccountStatus user_status = AccountStatus::Active;
    AccountStatus organisation_status = AccountStatus::Active;
    Id organisation_id = 0;  // the structure of a social worker, the partner of a partner user
};

struct BeneficiaryInfo {
    Id id = 0;
    Id structure_id = 0;
    std::optional<int> birth_year;
    // R8: instants of the beneficiary's unexcused no-shows (the sessions' start), any order.
    std::vector<UnixSeconds> no_show_times;
    // R8: an admin lifted the pause at this instant: no-shows at or before it no longer count. 0 = never.
    UnixSeconds pause_lifted_at = 0;
};

// One active booking of the beneficiary (R5–R7), with its session's time.
struct BeneficiaryBooking {
    Id booking_id = 0;
    Id session_id = 0;
    UnixSeconds start = 0;
    UnixSeconds end = 0;
    BookingStatus status = BookingStatus::Confirmed;  // rows that are not is_active() are ignored
    std::string title = {};  // the offer's title, only to name the outing in an R6 refusal (may be empty)
};

// Everything decide_booking() reads. `places` is the request.
struct BookingSnapshot {
    UnixSeconds now = 0;
    Actor actor;
    SessionInfo session;
    BeneficiaryInfo beneficiary;
    std::vector<BeneficiaryBooking> beneficiary_bookings;
    std::vector<Id> beneficiary_requests;  // session ids of its open waitlist / ballot entries (R5)
    int places_held = 0;                   // by bookings of this session that hold places (R3)
    int structure_places_held = 0;         // the same, only the actor's structure (R4)
    TerritorySettings settings;
    int places = 1;  // R1: beneficiary + companions requested
};

//-----------------------------------------------------------------------------
// [SECTION] Derived quantities
//-----------------------------------------------------------------------------

// max(0, capacity − held): the catalogue's `places_left`.
int places_left(int capacity, int places_held);
// R4: max(max_per_booking, ceil(capacity × share_percent / 100)), integer arithmetic.
int structure_share_cap(int capacity, int max_per_booking, const TerritorySettings& settings);
// R4: closes_at − release hours (48 h by default). At and after this instant the cap is lifted.
UnixSeconds release_at(const SessionInfo& session, const TerritorySettings& settings);
bool share_cap_applies(const SessionInfo& session, const TerritorySettings& settings, UnixSeconds now);
// Places a structure may still take now: min(places left, cap − structure held) before release_at.
int structure_places_left(const SessionInfo& session, int places_held, int structure_places_held,
                          const TerritorySettings& settings, UnixSeconds now);

// R8: when `no_show_limit` no-shows (after pause_lifted_at) fall within `no_show_window_days`, a
// pause of `pause_days` starts at the last of them. Returns the end of the pause running at `now`,
// or nullopt when the beneficiary may book.
std::optional<UnixSeconds> paused_until(std::span<const UnixSeconds> no_show_times, UnixSeconds pause_lifted_at,
                                        UnixSeconds now, const TerritorySettings& settings);

// W2/B2: attended outings of a beneficiary in the 365 days before `now` (sessions started in
// [now − 365 d, now) with status attended). The server may count this in SQL instead; same meaning.
int attended_outings_last_365(std::span<const BeneficiaryBooking> bookings, UnixSeconds now);

// Two sessions overlap when their [start, end) intervals intersect (back-to-back is fine).
constexpr bool overlaps(UnixSeconds a_start, UnixSeconds a_end, UnixSeconds b_start, UnixSeconds b_end) {
    return a_start < b_end && b_start < a_end;
}

//-----------------------------------------------------------------------------
// [SECTION] Booking decision R1–R10
//-----------------------------------------------------------------------------

enum class Rule : std::uint8_t { None, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };
std::string_view rule_name(Rule rule);  // "R4", "" for None

enum class BookingOutcome : std::uint8_t {
    Confirm,      // create a confirmed booking (first_come, or ballot session after its draw)
    EnterBallot,  // B1: ballot session before draw_at: record a request, no capacity check
    Refuse,
};

struct BookingDecision {
    BookingOutcome outcome = BookingOutcome::Refuse;
    Rule rule = Rule::None;          // the first refusing rule
    std::optional<Refusal> refusal;  // its code (and field "places" for R1)
    // W1: only a refusal by R3 or R4 alone may join the waitlist (every earlier rule passed).
    bool may_join_waitlist = false;
    UnixSeconds paused_until = 0;                                  // R8: end of the pause, to show "until when"
    UnixSeconds release_at = 0;                                    // R4: when the share cap lifts (always filled)
    int places_left = 0;                                           // R3 figures at decision time, for the message
    int structure_places_left = 0;                                 // R4 figure (places_left once the cap is lifted)
    int max_upcoming_bookings = 0;                                 // R7 figure: the territory's limit (always filled)
    std::optional<BeneficiaryBooking> overlapping = std::nullopt;  // R6: the other outing on the same time slot
    bool accepted() const { return outcome != BookingOutcome::Refuse; }
};

// Checks, in DOMAIN.md's order, R10, R2, R1, R9, R5, R6, R7, R8, R3, R4 and returns the first
// refusal, or Confirm / EnterBallot. Interpretations:
// - R10: inactive user or organisation → account_inactive; not a social worker, or the beneficiary
//   belongs to another structure → forbidden.
// - R2: cancelled session or unpublished offer → session_unavailable (checked before the window);
//   now < opens_at → booking_not_open; now ≥ closes_at → booking_closed (the exact second of
//   closes_at is already closed). Ballot sessions: before draw_at requests enter the ballot (B1);
//   from draw_at to closes_at, remaining places are first come (the server runs the draw first).
// - R9: age = civil year of the session start (venue time) − birth year; refused when < min_age.
//   Generous on purpose: with a birth year only, the person may already have reached the age.
// - R5: an active booking, or an open waitlist/ballot request, for the same session.
// - R6: overlap with the [start, end) of any other active booking.
// - R7: active bookings whose session has not started ≥ max_upcoming_bookings.
// - R3 then R4 (first_come only).
BookingDecision decide_booking(const BookingSnapshot& snapshot);

// The same checks except scarcity (R3, R4) — what W1 means by "all other rules still apply" — used
// to re-check a waitlist entry or ballot request before it is served (the beneficiary may have
// booked something overlapping meanwhile). Returns the first refusal, or nullopt.
// Load the snapshot as for a new request but LEAVE OUT the entry's own request from
// beneficiary_requests (otherwise R5 refuses it as a duplicate of itself); `places` = the entry's.
std::optional<Refusal> check_request_without_scarcity(const BookingSnapshot& snapshot);

// The refusal's French message with its figure and the way out, for people — the server answers it
// as `error.message` and the browser shows it before sending: R1 "… de 1 à 2 places par
// réservation …", R3 "Il ne reste qu’une place …", R4 "… le 2 déc. 2026 à 20 h 30.", R6 names the
// other outing « Titre » and its time, R7 "… déjà 3 sorties à venir … annulez une sortie pour libérer
// une place.", R8 "… jusqu’au 30 janv. 2027 à 11 h …". Dates in the venue's time (session.territory);
// R6's other outing in its own venue's time zone is not known here, so the session's is used (both
// are the beneficiary's outings, nearly always in one territory). Empty for an accepted decision.
std::string explain_fr(const BookingDecision& decision, const SessionInfo& session);

// R10 for people: why a user may not act yet, as a stable reason — "user_suspended",
// "organisation_suspended", "organisation_pending", "user_pending" (suspension first: it is the one
// that will not pass by waiting), or "" when both are active.
std::string_view inactive_reason(AccountStatus user, AccountStatus organisation);
// The French text of that reason, for the "waiting for approval" page and the 403 of every route;
// "" when both are active.
std::string explain_inactive_fr(AccountStatus user, AccountStatus organisation);

//-----------------------------------------------------------------------------
// [SECTION] Cancellation C1, session cancellation C2
//-----------------------------------------------------------------------------

enum class CancellationKind : std::uint8_t { Free, Late, TooLate };
struct CancellationDecision {
    CancellationKind kind = CancellationKind::TooLate;
    BookingStatus new_status = BookingStatus::Cancelled;  // Cancelled (free) or LateCancelled
    std::optional<Refusal> refusal;                       // too_late_to_cancel, or booking_not_active
    bool ok() const { return !refusal; }
};
// C1: free until closes_at (exclusive), late from closes_at until start (exclusive), refused from
// start on [too_late_to_cancel]. Only a confirmed booking cancels [booking_not_active].
CancellationDecision decide_cancellation(BookingStatus current, const SessionInfo& session, UnixSeconds now);

// C2: a partner cancels a scheduled session until its start [too_late_to_cancel];
// an already cancelled session [session_unavailable]. Every booking becomes `cancelled`
// (free, whatever the time: the partner cancelled, not the beneficiary) and open requests expire.
std::optional<Refusal> check_session_cancellation(const SessionInfo& session, UnixSeconds now);

//-----------------------------------------------------------------------------
// [SECTION] Attendance K2, feedback F1
//-----------------------------------------------------------------------------

// K2 window [start − 2 h, start + 7 d).
bool attendance_window_open(const SessionInfo& session, UnixSeconds now);
// K2 check-in of one booking (already found by its code in this session — otherwise not_found).
// `attended_count` nullopt = no_show. Order: window [attendance_window_closed], already recorded
// [already_checked_in], cancelled [booking_not_active], 1 ≤ count ≤ places
// [attended_count_out_of_range, "attended_count"]. On success `value` is the new status.
Checked<BookingStatus> check_attendance(const SessionInfo& session, BookingStatus current, int booking_places,
                                        std::optional<int> attended_count, UnixSeconds now);

// K2 correction: a partner undoes a mistaken check-in (attended or no_show back to confirmed) while
// the session is not over, now < end() [attendance_correction_closed]; a booking with nothing
// recorded [not_checked_in]; a cancelled one [booking_not_active].
std::optional<Refusal> check_attendance_correction(const SessionInfo& session, BookingStatus current, UnixSeconds now);

// F1 window [start, start + 60 d).
bool feedback_window_open(const SessionInfo& session, UnixSeconds now);
// F1 for one booking: window [feedback_window_closed], cancelled booking [booking_not_active].
// The fields themselves: validate_feedback() in validation.hpp. Feedback may be edited in the window.
std::optional<Refusal> check_feedback(const SessionInfo& session, BookingStatus current, UnixSeconds now);

//-----------------------------------------------------------------------------
// [SECTION] Privacy P1, P2
//-----------------------------------------------------------------------------

// "Amina K.": trimmed first name, a space, the upper-cased first character of the trimmed last
// name (UTF-8 aware: "Élodie" + "Œuvray" → "Élodie Œ."), a full stop. No last name → first name only.
std::string guest_display_name(std::string_view first_name, std::string_view last_name);

// Upper case of the first code point of a UTF-8 string, for the scripts names are written in here:
// Latin (ASCII, Latin-1, Latin Extended-A), Greek, Cyrillic; any other code point is returned as is.
std::string utf8_upper_first(std::string_view code_point_utf8);

// P1: the instant a beneficiary's identifying fields are due for erasure: `erase_after_months`
// calendar months (default 24) after its last booking's session start (UTC calendar; day clamped to
// the month's end, so 31 March + 1 month = 30 April).
UnixSeconds erasure_due_at(UnixSeconds last_booking_start, const TerritorySettings& settings);

// P1/P2: a stable pseudonymous reference for admins, exports and logs, e.g. "B-7K2M-Q9XA": Crockford
// base32 of splitmix64(id). Not a secret (ids are not identifying), just never a name.
std::string beneficiary_reference(Id beneficiary_id);

}  // namespace uneplace
