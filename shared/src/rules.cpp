// uneplace shared module — booking rules, allocation (waitlist, ballot) and booking codes.
// Contracts and interpretations are written once, in rules.hpp, allocation.hpp and codes.hpp.
//
// Index of this file:
// [SECTION] Helpers
// [SECTION] Derived quantities (rules.hpp)
// [SECTION] Booking decision R1–R10 (rules.hpp)
// [SECTION] Cancellation C1, C2 (rules.hpp)
// [SECTION] Attendance K2, feedback F1 (rules.hpp)
// [SECTION] Privacy P1, P2 (rules.hpp)
// [SECTION] Waitlist serving W2–W3 (allocation.hpp)
// [SECTION] Ballot draw B2–B3 (allocation.hpp)
// [SECTION] Booking codes K1 (codes.hpp)
#include <algorithm>
#include <numeric>

#include "uneplace/allocation.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/fit.hpp"
#include "uneplace/french.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Helpers
//-----------------------------------------------------------------------------

namespace {

Refusal refuse(std::string_view code, std::string_view field = {}) {
    return Refusal{std::string(code), std::string(field)};
}

// Places held per structure, in a small vector: sessions have few structures, and a vector keeps the
// iteration order fixed (no hashing, identical natively and in the browser).
struct HeldByStructure {
    std::vector<StructurePlaces> rows;
    int total = 0;
    explicit HeldByStructure(std::span<const StructurePlaces> held) : rows(held.begin(), held.end()) {
        for (const auto& r : rows) total += r.places;
    }
    int& of(Id structure_id) {
        for (auto& r : rows)
            if (r.structure_id == structure_id) return r.places;
        rows.push_back({structure_id, 0});
        return rows.back().places;
    }
};

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Derived quantities
//-----------------------------------------------------------------------------

int places_left(int capacity, int places_held) { return std::max(0, capacity - places_held); }

int structure_share_cap(int capacity, int max_per_booking, const TerritorySettings& settings) {
    const std::int64_t share = (static_cast<std::int64_t>(capacity) * settings.share_percent + 99) / 100;  // ceil
    return std::max(max_per_booking, static_cast<int>(share));
}

UnixSeconds release_at(const SessionInfo& session, const TerritorySettings& settings) {
    return session.closes_at - static_cast<UnixSeconds>(settings.release_hours_before_close) * kHour;
}

bool share_cap_applies(const SessionInfo& session, const TerritorySettings& settings, UnixSeconds now) {
    return now < release_at(session, settings);
}

int structure_places_left(const SessionInfo& session, int places_held, int structure_places_held,
                          const TerritorySettings& settings, UnixSeconds now) {
    const int left = places_left(session.capacity, places_held);
    if (!share_cap_applies(session, settings, now)) return left;
    const int cap = structure_share_cap(session.capacity, session.max_per_booking, settings);
    return std::min(left, std::max(0, cap - structure_places_held));
}

std::optional<UnixSeconds> paused_until(std::span<const UnixSeconds> no_show_times, UnixSeconds pause_lifted_at,
                                        UnixSeconds now, const TerritorySettings& settings) {
    if (settings.no_show_limit <= 0) return std::nullopt;
    std::vector<UnixSeconds> t;
    for (UnixSeconds x : no_show_times)
        if (x > pause_lifted_at && x <= now) t.push_back(x);
    std::sort(t.begin(), t.end());
    const auto limit = static_cast<std::size_t>(settings.no_show_limit);
    const UnixSeconds window = static_cast<UnixSeconds>(settings.no_show_window_days) * kDay;
    UnixSeconds until = 0;
    for (std::size_t i = limit - 1; i < t.size(); ++i)
        if (t[i] - t[i + 1 - limit] <= window)
            until = std::max(until, t[i] + static_cast<UnixSeconds>(settings.pause_days) * kDay);
    if (now < until) return until;
    return std::nullopt;
}

int attended_outings_last_365(std::span<const BeneficiaryBooking> bookings, UnixSeconds now) {
    int n = 0;
    for (const auto& b : bookings)
        if (b.status == BookingStatus::Attended && b.start >= now - limits::kHistoryWindow && b.start < now) ++n;
    return n;
}

//-----------------------------------------------------------------------------
// [SECTION] Booking decision R1–R10
//-----------------------------------------------------------------------------

std::string_view rule_name(Rule rule) {
    static constexpr std::string_view kNames[] = {"", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10"};
    return kNames[static_cast<int>(rule)];
}

namespace {

struct FirstRefusal {
    Rule rule = Rule::None;
    Refusal refusal;
    UnixSeconds paused_until = 0;
    std::optional<BeneficiaryBooking> overlapping = std::nullopt;  // R6
};

// Every rule but scarcity, in DOMAIN.md's order R10, R2, R1, R9, R5, R6, R7, R8.
std::optional<FirstRefusal> refuse_before_scarcity(const BookingSnapshot& s) {
    const SessionInfo& session = s.session;
    // R10
    if (s.actor.user_status != AccountStatus::Active || s.actor.organisation_status != AccountStatus::Active)
        return FirstRefusal{Rule::R10, refuse("account_inactive")};
    if (s.actor.role != Role::SocialWorker || s.beneficiary.structure_id != s.actor.organisation_id)
        return FirstRefusal{Rule::R10, refuse("forbidden")};
    // R2
    if (session.status != SessionStatus::Scheduled || session.offer_status != OfferStatus::Published)
        return FirstRefusal{Rule::R2, refuse("session_unavailable")};
    if (s.now < session.opens_at) return FirstRefusal{Rule::R2, refuse("booking_not_open")};
    if (s.now >= session.closes_at) return FirstRefusal{Rule::R2, refuse("booking_closed")};
    // R1
    if (s.places < 1 || s.places > session.max_per_booking)
        return FirstRefusal{Rule::R1, refuse("places_out_of_range", "places")};
    // R9
    if (s.beneficiary.birth_year && session.min_age > 0) {
        const int year = to_local(session.territory, session.start).year;
        if (year - *s.beneficiary.birth_year < session.min_age) return FirstRefusal{Rule::R9, refuse("age_restricted")};
    }
    // R5
    for (const auto& b : s.beneficiary_bookings)
        if (is_active(b.status) && b.session_id == session.id) return FirstRefusal{Rule::R5, refuse("already_booked")};
    for (Id request_session : s.beneficiary_requests)
        if (request_session == session.id) return FirstRefusal{Rule::R5, refuse("already_booked")};
    // R6
    for (const auto& b : s.beneficiary_bookings)
        if (is_active(b.status) && b.session_id != session.id && overlaps(b.start, b.end, session.start, session.end()))
            return FirstRefusal{Rule::R6, refuse("overlapping_booking"), 0, b};
    // R7
    int upcoming = 0;
    for (const auto& b : s.beneficiary_bookings)
        if (is_active(b.status) && b.start > s.now) ++upcoming;
    if (upcoming >= s.settings.max_upcoming_bookings) return FirstRefusal{Rule::R7, refuse("too_many_upcoming")};
    // R8
    if (auto until = paused_until(s.beneficiary.no_show_times, s.beneficiary.pause_lifted_at, s.now, s.settings))
        return FirstRefusal{Rule::R8, refuse("beneficiary_paused"), *until};
    return std::nullopt;
}

}  // namespace

BookingDecision decide_booking(const BookingSnapshot& s) {
    BookingDecision d;
    d.release_at = release_at(s.session, s.settings);
    d.places_left = places_left(s.session.capacity, s.places_held);
    d.structure_places_left =
        structure_places_left(s.session, s.places_held, s.structure_places_held, s.settings, s.now);
    d.max_upcoming_bookings = s.settings.max_upcoming_bookings;
    if (auto r = refuse_before_scarcity(s)) {
        d.rule = r->rule;
        d.refusal = r->refusal;
        d.paused_until = r->paused_until;
        d.overlapping = r->overlapping;
        return d;
    }
    // B1: before the draw, a ballot session collects requests without looking at capacity.
    if (s.session.allocation == AllocationMode::Ballot && s.now < s.session.draw_at) {
        d.outcome = BookingOutcome::EnterBallot;
        return d;
    }
    // R3
    if (s.places_held + s.places > s.session.capacity) {
        d.rule = Rule::R3;
        d.refusal = refuse("session_full");
        d.may_join_waitlist = true;
        return d;
    }
    // R4
    if (share_cap_applies(s.session, s.settings, s.now) &&
        s.structure_places_held + s.places >
            structure_share_cap(s.session.capacity, s.session.max_per_booking, s.settings)) {
        d.rule = Rule::R4;
        d.refusal = refuse("structure_share_exceeded");
        d.may_join_waitlist = true;
        return d;
    }
    d.outcome = BookingOutcome::Confirm;
    return d;
}

std::optional<Refusal> check_request_without_scarcity(const BookingSnapshot& s) {
    if (auto r = refuse_before_scarcity(s)) return r->refusal;
    return std::nullopt;
}

std::string explain_fr(const BookingDecision& d, const SessionInfo& session) {
    if (d.accepted() || !d.refusal) return {};
    const std::string_view code = d.refusal->code;
    const std::string_view where = session.territory;
    if (code == "places_out_of_range") {
        const int companions = session.max_per_booking - 1;
        if (companions <= 0)
            return "Cette séance permet une seule place par réservation (la personne seule)\u00A0: réservez 1 place.";
        return "Cette séance permet de 1 à " + count_fr(session.max_per_booking, "place", "places") +
               " par réservation (la personne et " + count_fr(companions, "accompagnant", "accompagnants") +
               " au plus)\u00A0: choisissez un nombre de places dans cette limite.";
    }
    if (code == "overlapping_booking" && d.overlapping) {
        const BeneficiaryBooking& o = *d.overlapping;
        const std::string what = o.title.empty() ? std::string("une autre sortie") : quote_fr(o.title);
        return "Cette personne a déjà une sortie sur ce créneau\u00A0: " + what + " le " +
               format_datetime_sentence_fr(where, o.start) + " (jusqu’à " + format_time_fr(where, o.end) +
               "). Choisissez une autre séance, ou annulez cette sortie.";
    }
    if (code == "too_many_upcoming")
        return "Cette personne a déjà " + count_fr(d.max_upcoming_bookings, "sortie", "sorties") +
               " à venir, le maximum sur ce territoire\u00A0: annulez une sortie pour libérer une place.";
    if (code == "session_full" && d.places_left > 0)
        return places_left_fr(d.places_left) + " pour cette séance. Vous pouvez vous inscrire sur la liste d’attente.";
    if (code == "structure_share_exceeded")
        return "Votre structure a atteint sa part des places pour le moment. Vous pouvez vous inscrire sur la liste "
               "d’attente\u00A0: les places restantes s’ouvriront à toutes les structures le " +
               format_datetime_sentence_fr(where, d.release_at) + ".";
    if (code == "beneficiary_paused")
        return "Les réservations de cette personne sont suspendues jusqu’au " +
               format_datetime_sentence_fr(where, d.paused_until) +
               ", après plusieurs absences non excusées. Un administrateur peut lever cette suspension.";
    if (code == "booking_not_open")
        return "Les réservations ouvriront le " + format_datetime_sentence_fr(where, session.opens_at) + ".";
    if (code == "booking_closed")
        return "Les réservations sont closes depuis le " + format_datetime_sentence_fr(where, session.closes_at) + ".";
    return std::string(message_fr(code));
}

Fit fits_household(const BookingSnapshot& snapshot, const Household& household) {
    Fit fit;
    const SessionInfo& session = snapshot.session;
    auto refused = [&](Refusal r, std::string why) {
        fit.fits = false;
        fit.refusal = std::move(r);
        fit.why_fr = std::move(why);
        return fit;
    };
    const int size = std::max(1, household.size);
    if (size > session.max_per_booking)
        return refused(refuse("places_out_of_range", "places"),
                       "Cette séance permet " + count_fr(session.max_per_booking, "place", "places") +
                           " par réservation : le foyer de " + count_fr(size, "personne", "personnes") +
                           " n’y tient pas ensemble.");
    if (session.min_age > 0 && !household.children_birth_years.empty()) {
        const int year = to_local(session.territory, session.start).year;
        int youngest = -1;
        for (int born : household.children_birth_years)
            if (youngest < 0 || year - born < youngest) youngest = year - born;
        if (youngest < session.min_age) {
            fit.youngest_age = youngest;
            return refused(refuse("child_too_young"), "Cette sortie est à partir de " +
                                                          count_fr(session.min_age, "an", "ans") +
                                                          " : l’enfant le plus jeune du foyer aura " +
                                                          count_fr(std::max(0, youngest), "an", "ans") + ".");
        }
    }
    BookingSnapshot s = snapshot;
    s.places = size;
    s.actor.user_status = AccountStatus::Active;  // R10 is the server's (the caller is known there)
    s.actor.organisation_status = AccountStatus::Active;
    s.actor.role = Role::SocialWorker;
    s.actor.organisation_id = s.beneficiary.structure_id;
    s.session.status = SessionStatus::Scheduled;  // R2 is the catalogue's own filter
    s.session.offer_status = OfferStatus::Published;
    s.session.opens_at = std::min(s.session.opens_at, s.now);
    s.session.closes_at = std::max(s.session.closes_at, s.now + 1);
    if (auto r = refuse_before_scarcity(s)) {
        BookingDecision d;
        d.refusal = r->refusal;
        d.rule = r->rule;
        d.paused_until = r->paused_until;
        d.overlapping = r->overlapping;
        d.max_upcoming_bookings = s.settings.max_upcoming_bookings;
        return refused(r->refusal, explain_fr(d, session));
    }
    return fit;
}

std::string_view inactive_reason(AccountStatus user, AccountStatus organisation) {
    if (user == AccountStatus::Suspended) return "user_suspended";
    if (organisation == AccountStatus::Suspended) return "organisation_suspended";
    if (organisation == AccountStatus::Pending) return "organisation_pending";
    if (user == AccountStatus::Pending) return "user_pending";
    return "";
}

std::string explain_inactive_fr(AccountStatus user, AccountStatus organisation) {
    const std::string_view reason = inactive_reason(user, organisation);
    if (reason == "user_suspended")
        return "Votre compte est suspendu. Contactez l’équipe de votre territoire pour le rétablir.";
    if (reason == "organisation_suspended")
        return "Votre organisation est suspendue. Contactez l’équipe de votre territoire pour la rétablir.";
    if (reason == "organisation_pending")
        return "Votre organisation attend la validation d’un administrateur de son territoire. Vous pourrez "
               "agir dès qu’elle sera validée, sans rien ressaisir.";
    if (reason == "user_pending")
        return "Votre compte attend la validation d’un administrateur de votre territoire. Vous pourrez agir "
               "dès qu’il sera validé, sans rien ressaisir.";
    return {};
}

//-----------------------------------------------------------------------------
// [SECTION] Cancellation C1, C2
//-----------------------------------------------------------------------------

CancellationDecision decide_cancellation(BookingStatus current, const SessionInfo& session, UnixSeconds now) {
    CancellationDecision d;
    if (current != BookingStatus::Confirmed) {
        d.refusal = refuse("booking_not_active");
        return d;
    }
    if (now >= session.start) {
        d.refusal = refuse("too_late_to_cancel");
        return d;
    }
    if (now < session.closes_at) {
        d.kind = CancellationKind::Free;
        d.new_status = BookingStatus::Cancelled;
    } else {
        d.kind = CancellationKind::Late;
        d.new_status = BookingStatus::LateCancelled;
    }
    return d;
}

std::optional<Refusal> check_session_cancellation(const SessionInfo& session, UnixSeconds now) {
    if (session.status == SessionStatus::Cancelled) return refuse("session_unavailable");
    if (now >= session.start) return refuse("too_late_to_cancel");
    return std::nullopt;
}

//-----------------------------------------------------------------------------
// [SECTION] Attendance K2, feedback F1
//-----------------------------------------------------------------------------

bool attendance_window_open(const SessionInfo& session, UnixSeconds now) {
    return now >= session.start - limits::kAttendanceOpensBeforeStart &&
           now < session.start + limits::kAttendanceClosesAfterStart;
}

Checked<BookingStatus> check_attendance(const SessionInfo& session, BookingStatus current, int booking_places,
                                        std::optional<int> attended_count, UnixSeconds now) {
    Checked<BookingStatus> out;
    if (!attendance_window_open(session, now)) out.refusal = refuse("attendance_window_closed");
    else if (current == BookingStatus::Attended || current == BookingStatus::NoShow)
        out.refusal = refuse("already_checked_in");
    else if (current != BookingStatus::Confirmed) out.refusal = refuse("booking_not_active");
    else if (!attended_count) out.value = BookingStatus::NoShow;
    else if (*attended_count < 1 || *attended_count > booking_places)
        out.refusal = refuse("attended_count_out_of_range", "attended_count");
    else out.value = BookingStatus::Attended;
    return out;
}

std::optional<Refusal> check_attendance_correction(const SessionInfo& session, BookingStatus current, UnixSeconds now) {
    if (current == BookingStatus::Confirmed) return refuse("not_checked_in");
    if (current != BookingStatus::Attended && current != BookingStatus::NoShow) return refuse("booking_not_active");
    if (now >= session.end()) return refuse("attendance_correction_closed");
    return std::nullopt;
}

bool feedback_window_open(const SessionInfo& session, UnixSeconds now) {
    return now >= session.start && now < session.start + limits::kFeedbackClosesAfterStart;
}

std::optional<Refusal> check_feedback(const SessionInfo& session, BookingStatus current, UnixSeconds now) {
    if (!feedback_window_open(session, now)) return refuse("feedback_window_closed");
    if (!holds_places(current)) return refuse("booking_not_active");
    return std::nullopt;
}

//-----------------------------------------------------------------------------
// [SECTION] Privacy P1, P2
//-----------------------------------------------------------------------------

namespace {

std::uint32_t decode_one(std::string_view s) {
    if (s.empty()) return 0;
    const auto b0 = static_cast<unsigned char>(s[0]);
    if (b0 < 0x80) return b0;
    const int extra = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : 1;
    std::uint32_t cp = b0 & (0x3F >> extra);
    for (int k = 1; k <= extra && static_cast<std::size_t>(k) < s.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[static_cast<std::size_t>(k)]) & 0x3F);
    return cp;
}

std::string encode_utf8(std::uint32_t cp) {
    std::string out;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    return out;
}

// Upper case for the scripts names are written in here: Latin (ASCII, Latin-1, Extended-A), Greek,
// Cyrillic. Other code points are returned unchanged (many scripts have no case at all).
std::uint32_t upper_code_point(std::uint32_t c) {
    if (c >= 'a' && c <= 'z') return c - 0x20;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;
    if (c == 0xFF) return 0x178;                                                   // ÿ → Ÿ
    if (c == 0x131) return 'I';                                                    // dotless ı
    if (c == 0x17F) return 'S';                                                    // long s
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c & ~1u;  // pairs: even upper, odd lower
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c % 2 == 0) ? c - 1 : c;  // odd upper
    if (c >= 0x3B1 && c <= 0x3C9) return c == 0x3C2 ? 0x3A3 : c - 0x20;  // Greek (final sigma → Σ)
    if (c >= 0x430 && c <= 0x44F) return c - 0x20;                       // Cyrillic а–я
    if (c >= 0x450 && c <= 0x45F) return c - 0x50;                       // Cyrillic ѐ–џ
    return c;
}

}  // namespace

std::string utf8_upper_first(std::string_view code_point_utf8) {
    if (code_point_utf8.empty()) return {};
    return encode_utf8(upper_code_point(decode_one(code_point_utf8)));
}

UnixSeconds erasure_due_at(UnixSeconds last_booking_start, const TerritorySettings& settings) {
    CivilDateTime c = civil_from_unix(last_booking_start);
    const std::int64_t months = static_cast<std::int64_t>(c.year) * 12 + (c.month - 1) + settings.erase_after_months;
    c.year = static_cast<int>(months / 12);
    c.month = static_cast<int>(months % 12) + 1;
    c.day = std::min(c.day, days_in_month(c.year, c.month));
    return unix_from_civil(c);
}

std::string beneficiary_reference(Id beneficiary_id) {
    const std::uint64_t h = splitmix64(static_cast<std::uint64_t>(beneficiary_id));
    std::string out = "B-";
    for (int i = 0; i < 8; ++i) {
        if (i == 4) out.push_back('-');
        out.push_back(kCrockfordAlphabet[static_cast<std::size_t>((h >> (5 * i)) & 31)]);
    }
    return out;
}

std::string guest_display_name(std::string_view first_name, std::string_view last_name) {
    const std::string_view first = trim(first_name), last = trim(last_name);
    std::string out(first);
    if (last.empty()) return out;
    if (!out.empty()) out.push_back(' ');
    out += utf8_upper_first(utf8_first(last));
    out.push_back('.');
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Waitlist serving W2–W3
//-----------------------------------------------------------------------------

bool waitlist_before(const WaitlistEntry& a, const WaitlistEntry& b) {
    if (a.attended_last_365 != b.attended_last_365) return a.attended_last_365 < b.attended_last_365;
    if (a.entered_at != b.entered_at) return a.entered_at < b.entered_at;
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.id < b.id;
}

WaitlistServing serve_waitlist(const SessionInfo& session, std::span<const WaitlistEntry> entries,
                               std::span<const StructurePlaces> held, const TerritorySettings& settings,
                               UnixSeconds now) {
    WaitlistServing out;
    HeldByStructure by_structure(held);
    std::vector<const WaitlistEntry*> order;
    order.reserve(entries.size());
    for (const auto& e : entries) order.push_back(&e);
    std::sort(order.begin(), order.end(),
              [](const WaitlistEntry* a, const WaitlistEntry* b) { return waitlist_before(*a, *b); });

    int free_places = places_left(session.capacity, by_structure.total);
    if (session.status == SessionStatus::Cancelled || now >= session.closes_at) {  // W3
        for (const auto* e : order) out.expired.push_back(e->id);
        out.places_left_after = free_places;
        return out;
    }
    const bool capped = share_cap_applies(session, settings, now);
    const int cap = structure_share_cap(session.capacity, session.max_per_booking, settings);
    for (const auto* e : order) {
        if (!e->eligible || e->places < 1 || e->places > free_places) continue;  // skip, do not block
        int& mine = by_structure.of(e->structure_id);
        if (capped && mine + e->places > cap) continue;
        mine += e->places;
        free_places -= e->places;
        out.served.push_back(e->id);
    }
    out.places_left_after = free_places;
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Ballot draw B2–B3
//-----------------------------------------------------------------------------

BallotResult draw_ballot(const SessionInfo& session, std::span<const BallotRequest> requests, std::uint64_t seed,
                         std::span<const StructurePlaces> held, const TerritorySettings& settings) {
    BallotResult out;
    struct Item {
        const BallotRequest* r;
        std::uint64_t key;
    };
    std::vector<Item> eligible, ineligible;
    for (const auto& r : requests) (r.eligible ? eligible : ineligible).push_back({&r, ballot_key(seed, r.id)});
    std::sort(eligible.begin(), eligible.end(), [](const Item& a, const Item& b) {
        if (a.r->attended_last_365 != b.r->attended_last_365) return a.r->attended_last_365 < b.r->attended_last_365;
        if (a.key != b.key) return a.key < b.key;
        return a.r->id < b.r->id;
    });
    std::sort(ineligible.begin(), ineligible.end(), [](const Item& a, const Item& b) { return a.r->id < b.r->id; });

    HeldByStructure by_structure(held);
    int free_places = places_left(session.capacity, by_structure.total);
    const bool capped = session.draw_at < release_at(session, settings);
    const int cap = structure_share_cap(session.capacity, session.max_per_booking, settings);
    for (const auto& it : eligible) {
        BallotLine line{it.r->id, it.key, it.r->attended_last_365, it.r->places, BallotOutcome::Waitlisted};
        int& mine = by_structure.of(it.r->structure_id);
        const bool fits = it.r->places >= 1 && it.r->places <= free_places && (!capped || mine + it.r->places <= cap);
        if (fits) {
            mine += it.r->places;
            free_places -= it.r->places;
            line.outcome = BallotOutcome::Won;
            out.winners.push_back(it.r->id);
        } else {
            out.waitlisted.push_back(it.r->id);
        }
        out.lines.push_back(line);
    }
    for (const auto& it : ineligible)
        out.lines.push_back({it.r->id, it.key, it.r->attended_last_365, it.r->places, BallotOutcome::Ineligible});
    out.places_left_after = free_places;
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Booking codes K1
//-----------------------------------------------------------------------------

std::optional<int> crockford_value(char c) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') return 0;
    if (c == 'I' || c == 'L') return 1;
    const auto pos = kCrockfordAlphabet.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    return static_cast<int>(pos);
}

int booking_code_check(std::span<const int, 7> values) {
    int sum = 0;
    for (int i = 0; i < 7; ++i) sum += values[static_cast<std::size_t>(i)] * (2 * i + 1);
    return sum % 32;
}

namespace {
std::string format_code(const int (&v)[7]) {
    std::string out;
    out.reserve(9);
    for (int i = 0; i < 7; ++i) {
        if (i == 4) out.push_back('-');
        out.push_back(kCrockfordAlphabet[static_cast<std::size_t>(v[i])]);
    }
    out.push_back(kCrockfordAlphabet[static_cast<std::size_t>(booking_code_check(v))]);
    return out;
}
}  // namespace

std::string make_booking_code(std::span<const std::uint8_t, 7> random_bytes) {
    int v[7];
    for (int i = 0; i < 7; ++i) v[i] = random_bytes[static_cast<std::size_t>(i)] & 31;
    return format_code(v);
}

std::string make_booking_code(std::uint64_t random_bits) {
    int v[7];
    for (int i = 0; i < 7; ++i) v[i] = static_cast<int>((random_bits >> (5 * i)) & 31);
    return format_code(v);
}

Checked<std::string> parse_booking_code(std::string_view input) {
    Checked<std::string> out;
    int v[8] = {};
    int n = 0;
    for (std::size_t i = 0; i < input.size(); ++i) {
        const char c = input[i];
        if (c == ' ' || c == '-' || c == '\t') continue;
        if (c == '\xC2' && i + 1 < input.size() && input[i + 1] == '\xA0') {  // no-break space from a copy-paste
            ++i;
            continue;
        }
        const auto value = crockford_value(c);
        if (!value || n == 8) {
            out.refusal = refuse("invalid_code", "code");
            return out;
        }
        v[n++] = *value;
    }
    int first7[7];
    std::copy(v, v + 7, first7);
    if (n != 8 || booking_code_check(first7) != v[7]) {
        out.refusal = refuse("invalid_code", "code");
        return out;
    }
    out.value = format_code(first7);
    return out;
}

}  // namespace uneplace
