// Booking rules R1–R10 and their order, cancellation C1/C2, attendance K2, feedback F1, privacy P2.
#include <gtest/gtest.h>

#include <functional>

#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"

using namespace uneplace;

namespace {

UnixSeconds utc(std::string_view text) { return parse_utc_instant(text).value; }

// A bookable session and a social worker booking for one of its beneficiaries: every rule passes.
BookingSnapshot base() {
    BookingSnapshot s;
    s.now = utc("2026-12-01T10:00:00Z");
    s.actor = {1, Role::SocialWorker, AccountStatus::Active, AccountStatus::Active, 7};
    s.session.id = 500;
    s.session.territory = "75";
    s.session.start = utc("2026-12-05T19:30:00Z");
    s.session.duration_min = 120;
    s.session.capacity = 20;
    s.session.max_per_booking = 2;
    s.session.opens_at = s.now - 10 * kDay;
    s.session.closes_at = s.session.start - 24 * kHour;
    s.beneficiary.id = 100;
    s.beneficiary.structure_id = 7;
    s.beneficiary.birth_year = 1990;
    s.places = 2;
    return s;
}

BeneficiaryBooking other_booking(Id session_id, UnixSeconds start, int minutes,
                                 BookingStatus status = BookingStatus::Confirmed) {
    return {session_id * 10, session_id, start, start + minutes * kMinute, status};
}

std::string code_of(const std::optional<Refusal>& r) { return r ? r->code : ""; }

}  // namespace

// --- Each rule on its own ------------------------------------------------------------

TEST(DecideBooking, EachRuleWithItsEdges) {
    struct Case {
        const char* name;
        std::function<void(BookingSnapshot&)> change;
        const char* code;  // "" = confirmed
        Rule rule;
    };
    const Case cases[] = {
        {"everything fine", [](BookingSnapshot&) {}, "", Rule::None},
        // R10
        {"user suspended", [](BookingSnapshot& s) { s.actor.user_status = AccountStatus::Suspended; },
         "account_inactive", Rule::R10},
        {"structure pending", [](BookingSnapshot& s) { s.actor.organisation_status = AccountStatus::Pending; },
         "account_inactive", Rule::R10},
        {"partner user", [](BookingSnapshot& s) { s.actor.role = Role::Partner; }, "forbidden", Rule::R10},
        {"admin", [](BookingSnapshot& s) { s.actor.role = Role::Admin; }, "forbidden", Rule::R10},
        {"other structure's beneficiary", [](BookingSnapshot& s) { s.beneficiary.structure_id = 8; }, "forbidden",
         Rule::R10},
        // R2
        {"session cancelled", [](BookingSnapshot& s) { s.session.status = SessionStatus::Cancelled; },
         "session_unavailable", Rule::R2},
        {"offer not published", [](BookingSnapshot& s) { s.session.offer_status = OfferStatus::Pending; },
         "session_unavailable", Rule::R2},
        {"offer archived", [](BookingSnapshot& s) { s.session.offer_status = OfferStatus::Archived; },
         "session_unavailable", Rule::R2},
        {"one second before opens_at", [](BookingSnapshot& s) { s.session.opens_at = s.now + 1; }, "booking_not_open",
         Rule::R2},
        {"exactly opens_at", [](BookingSnapshot& s) { s.session.opens_at = s.now; }, "", Rule::None},
        {"one second before closes_at", [](BookingSnapshot& s) { s.now = s.session.closes_at - 1; }, "", Rule::None},
        {"exactly closes_at", [](BookingSnapshot& s) { s.now = s.session.closes_at; }, "booking_closed", Rule::R2},
        // R1
        {"zero places", [](BookingSnapshot& s) { s.places = 0; }, "places_out_of_range", Rule::R1},
        {"one place", [](BookingSnapshot& s) { s.places = 1; }, "", Rule::None},
        {"max_per_booking + 1", [](BookingSnapshot& s) { s.places = 3; }, "places_out_of_range", Rule::R1},
        {"10 of 10",
         [](BookingSnapshot& s) {
             s.session.max_per_booking = 10;
             s.places = 10;
         },
         "", Rule::None},
        // R9
        {"min age 12, born 2014",
         [](BookingSnapshot& s) {
             s.session.min_age = 12;
             s.beneficiary.birth_year = 2014;
         },
         "", Rule::None},
        {"min age 12, born 2015",
         [](BookingSnapshot& s) {
             s.session.min_age = 12;
             s.beneficiary.birth_year = 2015;
         },
         "age_restricted", Rule::R9},
        {"min age 12, birth year unknown",
         [](BookingSnapshot& s) {
             s.session.min_age = 12;
             s.beneficiary.birth_year.reset();
         },
         "", Rule::None},
        {"age counted in the venue's local year",
         [](BookingSnapshot& s) {
             s.session.min_age = 12;
             s.beneficiary.birth_year = 2015;
             s.session.start = utc("2026-12-31T23:30:00Z");  // 1 January 2027, 00:30 in Paris
             s.session.closes_at = s.session.start - 24 * kHour;
         },
         "", Rule::None},
        // R5
        {"already booked",
         [](BookingSnapshot& s) { s.beneficiary_bookings.push_back(other_booking(500, s.session.start, 120)); },
         "already_booked", Rule::R5},
        {"already on the waitlist", [](BookingSnapshot& s) { s.beneficiary_requests.push_back(500); }, "already_booked",
         Rule::R5},
        {"cancelled booking of the same session",
         [](BookingSnapshot& s) {
             s.beneficiary_bookings.push_back(other_booking(500, s.session.start, 120, BookingStatus::Cancelled));
         },
         "", Rule::None},
        // R6
        {"overlapping session",
         [](BookingSnapshot& s) { s.beneficiary_bookings.push_back(other_booking(501, s.session.start + kHour, 60)); },
         "overlapping_booking", Rule::R6},
        {"session ending exactly at the start",
         [](BookingSnapshot& s) { s.beneficiary_bookings.push_back(other_booking(501, s.session.start - kHour, 60)); },
         "", Rule::None},
        {"session starting exactly at the end",
         [](BookingSnapshot& s) { s.beneficiary_bookings.push_back(other_booking(501, s.session.end(), 60)); }, "",
         Rule::None},
        {"one minute of overlap",
         [](BookingSnapshot& s) {
             s.beneficiary_bookings.push_back(other_booking(501, s.session.end() - kMinute, 60));
         },
         "overlapping_booking", Rule::R6},
        // R7
        {"three upcoming bookings",
         [](BookingSnapshot& s) {
             for (int i = 1; i <= 3; ++i)
                 s.beneficiary_bookings.push_back(other_booking(600 + i, s.session.start + i * kDay, 60));
         },
         "too_many_upcoming", Rule::R7},
        {"two upcoming and one past",
         [](BookingSnapshot& s) {
             for (int i = 1; i <= 2; ++i)
                 s.beneficiary_bookings.push_back(other_booking(600 + i, s.session.start + i * kDay, 60));
             s.beneficiary_bookings.push_back(other_booking(603, s.now - 3 * kDay, 60, BookingStatus::Attended));
         },
         "", Rule::None},
        {"one of three starts exactly now: not upcoming",
         [](BookingSnapshot& s) {
             // Boundary: a booking whose show starts at this very second is under way, not upcoming.
             for (int i = 1; i <= 2; ++i)
                 s.beneficiary_bookings.push_back(other_booking(600 + i, s.session.start + i * kDay, 60));
             s.beneficiary_bookings.push_back(other_booking(603, s.now, 60));
         },
         "", Rule::None},
        {"one of three starts one second from now: upcoming",
         [](BookingSnapshot& s) {
             for (int i = 1; i <= 2; ++i)
                 s.beneficiary_bookings.push_back(other_booking(600 + i, s.session.start + i * kDay, 60));
             s.beneficiary_bookings.push_back(other_booking(603, s.now + 1, 60));
         },
         "too_many_upcoming", Rule::R7},
        {"limit raised to 4",
         [](BookingSnapshot& s) {
             s.settings.max_upcoming_bookings = 4;
             for (int i = 1; i <= 3; ++i)
                 s.beneficiary_bookings.push_back(other_booking(600 + i, s.session.start + i * kDay, 60));
         },
         "", Rule::None},
        // R8
        {"three no-shows in 180 days",
         [](BookingSnapshot& s) {
             s.beneficiary.no_show_times = {s.now - 10 * kDay, s.now - 50 * kDay, s.now - 100 * kDay};
         },
         "beneficiary_paused", Rule::R8},
        {"three no-shows spread over 181 days",
         [](BookingSnapshot& s) {
             s.beneficiary.no_show_times = {s.now - 10 * kDay, s.now - 50 * kDay, s.now - 191 * kDay};
         },
         "", Rule::None},
        {"pause over (61 days)",
         [](BookingSnapshot& s) {
             s.beneficiary.no_show_times = {s.now - 61 * kDay, s.now - 62 * kDay, s.now - 63 * kDay};
         },
         "", Rule::None},
        {"pause lifted by an admin",
         [](BookingSnapshot& s) {
             s.beneficiary.no_show_times = {s.now - 10 * kDay, s.now - 50 * kDay, s.now - 100 * kDay};
             s.beneficiary.pause_lifted_at = s.now - 5 * kDay;
         },
         "", Rule::None},
        {"two no-shows only",
         [](BookingSnapshot& s) {
             s.beneficiary.no_show_times = {s.now - 10 * kDay, s.now - 50 * kDay};
         },
         "", Rule::None},
        // R3
        {"exactly the last places", [](BookingSnapshot& s) { s.places_held = 18; }, "", Rule::None},
        {"one place short", [](BookingSnapshot& s) { s.places_held = 19; }, "session_full", Rule::R3},
        {"full", [](BookingSnapshot& s) { s.places_held = 20; }, "session_full", Rule::R3},
        // R4: capacity 20 × 25 % = 5 per structure until closes_at − 48 h.
        {"structure at its share", [](BookingSnapshot& s) { s.structure_places_held = 3; }, "", Rule::None},
        {"structure over its share",
         [](BookingSnapshot& s) {
             s.structure_places_held = 4;
             s.places_held = 4;
         },
         "structure_share_exceeded", Rule::R4},
        {"one second before release",
         [](BookingSnapshot& s) {
             s.structure_places_held = 4;
             s.places_held = 4;
             s.now = s.session.closes_at - 48 * kHour - 1;
         },
         "structure_share_exceeded", Rule::R4},
        {"at release_at the cap is lifted",
         [](BookingSnapshot& s) {
             s.structure_places_held = 4;
             s.places_held = 4;
             s.now = s.session.closes_at - 48 * kHour;
         },
         "", Rule::None},
        {"share setting 50 %",
         [](BookingSnapshot& s) {
             s.settings.share_percent = 50;
             s.structure_places_held = 8;
             s.places_held = 8;
         },
         "", Rule::None},
    };
    for (const auto& c : cases) {
        BookingSnapshot s = base();
        c.change(s);
        const BookingDecision d = decide_booking(s);
        EXPECT_EQ(code_of(d.refusal), c.code) << c.name;
        EXPECT_EQ(d.rule, c.rule) << c.name;
        EXPECT_EQ(d.accepted(), std::string_view(c.code).empty()) << c.name;
        EXPECT_EQ(d.may_join_waitlist, c.rule == Rule::R3 || c.rule == Rule::R4) << c.name;
        if (d.accepted()) {
            EXPECT_EQ(d.outcome, BookingOutcome::Confirm) << c.name;
        }
        if (c.rule == Rule::R1) {
            EXPECT_EQ(d.refusal->field, "places");
        }
    }
}

TEST(DecideBooking, PauseSaysUntilWhen) {
    BookingSnapshot s = base();
    s.beneficiary.no_show_times = {s.now - 100 * kDay, s.now - 10 * kDay, s.now - 50 * kDay};
    const auto d = decide_booking(s);
    EXPECT_EQ(d.rule, Rule::R8);
    EXPECT_EQ(d.paused_until, s.now - 10 * kDay + 60 * kDay);
}

TEST(DecideBooking, ScarcityFiguresForTheMessage) {
    BookingSnapshot s = base();
    s.places_held = 6;
    s.structure_places_held = 4;
    const auto d = decide_booking(s);
    EXPECT_EQ(d.rule, Rule::R4);
    EXPECT_EQ(d.places_left, 14);
    EXPECT_EQ(d.structure_places_left, 1);
    EXPECT_EQ(d.release_at, s.session.closes_at - 48 * kHour);
    EXPECT_EQ(rule_name(d.rule), "R4");
}

// --- The order of the rules -------------------------------------------------------------

TEST(DecideBooking, FirstRefusingRuleInDomainOrder) {
    // Each step breaks every rule from that point of the order on: the answer names the first.
    using Change = std::function<void(BookingSnapshot&)>;
    const std::pair<Rule, Change> breakers[] = {
        {Rule::R10, [](BookingSnapshot& s) { s.actor.user_status = AccountStatus::Suspended; }},
        {Rule::R2, [](BookingSnapshot& s) { s.now = s.session.closes_at; }},
        {Rule::R1, [](BookingSnapshot& s) { s.places = 3; }},
        {Rule::R9,
         [](BookingSnapshot& s) {
             s.session.min_age = 18;
             s.beneficiary.birth_year = 2020;
         }},
        {Rule::R5, [](BookingSnapshot& s) { s.beneficiary_requests.push_back(s.session.id); }},
        {Rule::R6,
         [](BookingSnapshot& s) { s.beneficiary_bookings.push_back(other_booking(501, s.session.start, 30)); }},
        {Rule::R7,
         [](BookingSnapshot& s) {
             for (int i = 1; i <= 3; ++i)
                 s.beneficiary_bookings.push_back(other_booking(700 + i, s.session.start + i * kDay, 60));
         }},
        {Rule::R8,
         [](BookingSnapshot& s) {
             s.beneficiary.no_show_times = {s.now - kDay, s.now - 2 * kDay, s.now - 3 * kDay};
         }},
        {Rule::R3, [](BookingSnapshot& s) { s.places_held = 20; }},
        {Rule::R4, [](BookingSnapshot& s) { s.structure_places_held = 5; }},
    };
    const std::size_t n = std::size(breakers);
    for (std::size_t first = 0; first < n; ++first) {
        BookingSnapshot s = base();
        // Apply from the last to `first`, so the R2 time change does not undo the others' set-up.
        for (std::size_t k = n; k-- > first;) breakers[k].second(s);
        if (first > 1) s.now = base().now;  // R2 only broken when it is in the set
        const auto d = decide_booking(s);
        EXPECT_EQ(d.rule, breakers[first].first) << "from " << rule_name(breakers[first].first);
        EXPECT_EQ(d.may_join_waitlist, first >= 8) << "from " << rule_name(breakers[first].first);
    }
}

// --- Ballot sessions (B1) ---------------------------------------------------------------

TEST(DecideBooking, BallotCollectsRequestsBeforeTheDraw) {
    BookingSnapshot s = base();
    s.session.allocation = AllocationMode::Ballot;
    s.session.draw_at = s.session.closes_at - 24 * kHour;
    s.places_held = 20;  // no capacity check before the draw
    s.structure_places_held = 20;
    auto d = decide_booking(s);
    EXPECT_EQ(d.outcome, BookingOutcome::EnterBallot);
    EXPECT_TRUE(d.accepted());
    // Other rules still apply (B1 checks R1, R2, R5–R10).
    s.places = 3;
    EXPECT_EQ(code_of(decide_booking(s).refusal), "places_out_of_range");
    s.places = 2;
    s.beneficiary_requests.push_back(s.session.id);
    EXPECT_EQ(code_of(decide_booking(s).refusal), "already_booked");
    // After the draw, what is left is first come, first served.
    s.beneficiary_requests.clear();
    s.now = s.session.draw_at;
    d = decide_booking(s);
    EXPECT_EQ(code_of(d.refusal), "session_full");
    EXPECT_TRUE(d.may_join_waitlist);
    s.places_held = 10;
    s.structure_places_held = 0;
    EXPECT_EQ(decide_booking(s).outcome, BookingOutcome::Confirm);
}

TEST(DecideBooking, RecheckWithoutScarcity) {
    BookingSnapshot s = base();
    s.places_held = 20;
    EXPECT_FALSE(check_request_without_scarcity(s));
    s.beneficiary_bookings.push_back(other_booking(501, s.session.start, 30));
    EXPECT_EQ(code_of(check_request_without_scarcity(s)), "overlapping_booking");
}

// --- Derived quantities ------------------------------------------------------------------

TEST(ShareCap, CeilOfShareButAtLeastOneBooking) {
    const TerritorySettings d;
    struct Case {
        int capacity, max_per_booking, cap;
    };
    const Case cases[] = {{20, 2, 5}, {3, 2, 2}, {1, 2, 2}, {100, 2, 25}, {101, 2, 26}, {7, 10, 10}, {10000, 10, 2500}};
    for (const auto& c : cases) EXPECT_EQ(structure_share_cap(c.capacity, c.max_per_booking, d), c.cap) << c.capacity;
    TerritorySettings all;
    all.share_percent = 100;
    EXPECT_EQ(structure_share_cap(20, 2, all), 20);
    EXPECT_EQ(places_left(20, 25), 0);
    EXPECT_EQ(places_left(20, 5), 15);
}

TEST(Pause, SlidingWindowOfNoShows) {
    const TerritorySettings d;
    const UnixSeconds now = 1'800'000'000;
    const std::vector<UnixSeconds> times = {now - 201 * kDay, now - 30 * kDay, now - 20 * kDay, now - 400 * kDay};
    EXPECT_FALSE(paused_until(times, 0, now, d));  // no 3 of them within 180 days (201 − 20 = 181)
    const std::vector<UnixSeconds> edge = {now - 200 * kDay, now - 30 * kDay, now - 20 * kDay};
    EXPECT_EQ(paused_until(edge, 0, now, d), now + 40 * kDay);  // exactly 180 days apart: counted
    const std::vector<UnixSeconds> three = {now - 30 * kDay, now - 20 * kDay, now - 190 * kDay};
    EXPECT_EQ(paused_until(three, 0, now, d), now - 20 * kDay + 60 * kDay);  // 190 − 20 = 170 days apart
    EXPECT_FALSE(paused_until(three, 0, now + 40 * kDay, d));                // pause ended
    EXPECT_FALSE(paused_until(three, now - 25 * kDay, now, d));              // lift forgets the first two
}

TEST(Pause, LiftAtTheExactInstantOfANoShowForgetsIt) {
    // Boundary: an admin's lift recorded at the same second as the third no-show covers it (the
    // lift forgets every no-show up to and including its instant); one second later it counts.
    const TerritorySettings d;
    const UnixSeconds now = 1'800'000'000;
    const std::vector<UnixSeconds> three = {now - 30 * kDay, now - 20 * kDay, now - 10 * kDay};
    EXPECT_EQ(paused_until(three, 0, now, d), now - 10 * kDay + 60 * kDay);
    EXPECT_FALSE(paused_until(three, now - 10 * kDay, now, d)) << "lifted at the instant of the last no-show";
    EXPECT_FALSE(paused_until(three, now - 30 * kDay, now, d)) << "lifted at the first: two left, below the limit";
    // Three more no-shows, the first of them at the lift's instant: only two count after the lift.
    const std::vector<UnixSeconds> after = {now - 9 * kDay, now - 8 * kDay, now - 7 * kDay};
    EXPECT_FALSE(paused_until(after, now - 9 * kDay, now, d));
    EXPECT_EQ(paused_until(after, now - 9 * kDay - 1, now, d), now - 7 * kDay + 60 * kDay)
        << "one second before: all three count";
    // A no-show recorded at this very second counts.
    const std::vector<UnixSeconds> at_now = {now - 2 * kDay, now - kDay, now};
    EXPECT_EQ(paused_until(at_now, 0, now, d), now + 60 * kDay);
}

TEST(History, AttendedOutingsInTheLast365Days) {
    const UnixSeconds now = 1'800'000'000;
    const BeneficiaryBooking rows[] = {
        {1, 1, now - 10 * kDay, 0, BookingStatus::Attended},
        {2, 2, now - 365 * kDay, 0, BookingStatus::Attended},      // exactly 365 days: counted
        {3, 3, now - 365 * kDay - 1, 0, BookingStatus::Attended},  // one second older: not
        {4, 4, now - 20 * kDay, 0, BookingStatus::NoShow},
        {5, 5, now + kDay, 0, BookingStatus::Confirmed},
    };
    EXPECT_EQ(attended_outings_last_365(rows, now), 2);
}

// --- Cancellation C1, C2 -----------------------------------------------------------------

TEST(Cancellation, FreeLateTooLate) {
    const SessionInfo s = base().session;
    struct Case {
        UnixSeconds now;
        BookingStatus current;
        const char* code;
        BookingStatus new_status;
        CancellationKind kind;
    };
    const Case cases[] = {
        {s.closes_at - 1, BookingStatus::Confirmed, "", BookingStatus::Cancelled, CancellationKind::Free},
        {s.closes_at, BookingStatus::Confirmed, "", BookingStatus::LateCancelled, CancellationKind::Late},
        {s.start - 1, BookingStatus::Confirmed, "", BookingStatus::LateCancelled, CancellationKind::Late},
        {s.start, BookingStatus::Confirmed, "too_late_to_cancel", BookingStatus::Cancelled, CancellationKind::TooLate},
        {s.start + kDay, BookingStatus::Confirmed, "too_late_to_cancel", BookingStatus::Cancelled,
         CancellationKind::TooLate},
        {s.closes_at - 1, BookingStatus::Cancelled, "booking_not_active", BookingStatus::Cancelled,
         CancellationKind::TooLate},
        {s.closes_at - 1, BookingStatus::LateCancelled, "booking_not_active", BookingStatus::Cancelled,
         CancellationKind::TooLate},
    };
    for (const auto& c : cases) {
        const auto d = decide_cancellation(c.current, s, c.now);
        EXPECT_EQ(code_of(d.refusal), c.code) << c.now - s.start;
        if (d.ok()) {
            EXPECT_EQ(d.new_status, c.new_status);
            EXPECT_EQ(d.kind, c.kind);
        }
    }
}

TEST(Cancellation, PartnerCancelsASession) {
    SessionInfo s = base().session;
    EXPECT_FALSE(check_session_cancellation(s, s.start - 1));
    EXPECT_EQ(code_of(check_session_cancellation(s, s.start)), "too_late_to_cancel");
    s.status = SessionStatus::Cancelled;
    EXPECT_EQ(code_of(check_session_cancellation(s, s.start - kDay)), "session_unavailable");
}

// --- Attendance K2, feedback F1 -------------------------------------------------------------

TEST(Attendance, WindowAndChecks) {
    const SessionInfo s = base().session;
    struct Case {
        UnixSeconds now;
        BookingStatus current;
        std::optional<int> count;
        const char* code;
        BookingStatus result;
    };
    const auto C = BookingStatus::Confirmed;
    const Case cases[] = {
        {s.start - 2 * kHour - 1, C, 2, "attendance_window_closed", C},
        {s.start - 2 * kHour, C, 2, "", BookingStatus::Attended},
        {s.start + 7 * kDay - 1, C, 1, "", BookingStatus::Attended},
        {s.start + 7 * kDay, C, 1, "attendance_window_closed", C},
        {s.start, C, std::nullopt, "", BookingStatus::NoShow},
        {s.start, C, 0, "attended_count_out_of_range", C},
        {s.start, C, 3, "attended_count_out_of_range", C},
        {s.start, BookingStatus::Attended, 2, "already_checked_in", C},
        {s.start, BookingStatus::NoShow, std::nullopt, "already_checked_in", C},
        {s.start, BookingStatus::Cancelled, 2, "booking_not_active", C},
    };
    for (const auto& c : cases) {
        const auto r = check_attendance(s, c.current, 2, c.count, c.now);
        EXPECT_EQ(r.refusal ? r.refusal->code : "", c.code) << c.now - s.start;
        if (r.ok()) {
            EXPECT_EQ(r.value, c.result);
        }
    }
    EXPECT_EQ(check_attendance(s, C, 2, 3, s.start).refusal->field, "attended_count");
}

TEST(Attendance, CorrectionWhileTheSessionIsNotOver) {
    const SessionInfo s = base().session;  // 2 h long
    EXPECT_FALSE(check_attendance_correction(s, BookingStatus::Attended, s.start));
    EXPECT_FALSE(check_attendance_correction(s, BookingStatus::NoShow, s.end() - 1));
    EXPECT_EQ(code_of(check_attendance_correction(s, BookingStatus::Attended, s.end())),
              "attendance_correction_closed");
    EXPECT_EQ(code_of(check_attendance_correction(s, BookingStatus::Confirmed, s.start)), "not_checked_in");
    EXPECT_EQ(code_of(check_attendance_correction(s, BookingStatus::Cancelled, s.start)), "booking_not_active");
}

TEST(Feedback, Window) {
    const SessionInfo s = base().session;
    EXPECT_EQ(code_of(check_feedback(s, BookingStatus::Confirmed, s.start - 1)), "feedback_window_closed");
    EXPECT_FALSE(check_feedback(s, BookingStatus::Confirmed, s.start));
    EXPECT_FALSE(check_feedback(s, BookingStatus::Attended, s.start + 60 * kDay - 1));
    EXPECT_EQ(code_of(check_feedback(s, BookingStatus::Attended, s.start + 60 * kDay)), "feedback_window_closed");
    EXPECT_EQ(code_of(check_feedback(s, BookingStatus::LateCancelled, s.start + kDay)), "booking_not_active");
    EXPECT_FALSE(check_feedback(s, BookingStatus::NoShow, s.start + kDay));
}

// --- Privacy P2 -----------------------------------------------------------------------------

TEST(GuestName, FirstNameAndInitial) {
    struct Case {
        const char* first;
        const char* last;
        const char* shown;
    };
    const Case cases[] = {
        {"Amina", "Kaci", "Amina K."},
        {"  Amina ", "  kaci ", "Amina K."},
        {"Élodie", "œuvray", "Élodie Œ."},
        {"Zoé", "ñúñez", "Zoé Ñ."},
        {"Jean-Luc", "élisée", "Jean-Luc É."},
        {"Łukasz", "łoś", "Łukasz Ł."},
        {"Ivan", "иванов", "Ivan И."},
        {"Ζωή", "αλεξίου", "Ζωή Α."},
        {"Mia", "😀 Smile", "Mia 😀."},
        {"Nour", "", "Nour"},
        {"Nour", "   ", "Nour"},
        {"", "Kaci", "K."},
        {"Ana", "žužek", "Ana Ž."},
        {"Yves", "ÿ", "Yves Ÿ."},
    };
    for (const auto& c : cases) EXPECT_EQ(guest_display_name(c.first, c.last), c.shown) << c.last;
}

TEST(Privacy, ErasureDateAndPseudonymousReference) {
    const TerritorySettings d;
    EXPECT_EQ(format_utc(erasure_due_at(utc("2026-12-05T19:30:00Z"), d)), "2028-12-05T19:30:00Z");
    TerritorySettings one;
    one.erase_after_months = 1;
    EXPECT_EQ(format_utc(erasure_due_at(utc("2026-03-31T10:00:00Z"), one)), "2026-04-30T10:00:00Z");
    EXPECT_EQ(format_utc(erasure_due_at(utc("2026-12-15T10:00:00Z"), one)), "2027-01-15T10:00:00Z");
    const std::string ref = beneficiary_reference(100);
    EXPECT_EQ(ref.size(), 11u);
    EXPECT_EQ(ref.substr(0, 2), "B-");
    EXPECT_EQ(ref, beneficiary_reference(100));
    EXPECT_NE(ref, beneficiary_reference(101));
    EXPECT_EQ(beneficiary_reference(0), "B-FDKV-HX57");  // splitmix64(0) = 0xE220A8397B1DCDAF, 5 bits at a time
}

// --- French explanations -------------------------------------------------------------------

TEST(Explain, RefusalsWithTheirContext) {
    auto visible = [](std::string s) {
        for (std::size_t p; (p = s.find("\u00A0")) != std::string::npos;) s.replace(p, 2, "_");
        return s;
    };
    BookingSnapshot s = base();
    s.places_held = 19;
    EXPECT_EQ(explain_fr(decide_booking(s), s.session),
              "Il ne reste qu’une place pour cette séance. Vous pouvez vous inscrire sur la liste d’attente.");
    s.places_held = 17;
    s.places = 4;
    s.session.max_per_booking = 4;
    EXPECT_EQ(visible(explain_fr(decide_booking(s), s.session)),
              "Il ne reste que 3_places pour cette séance. Vous pouvez vous inscrire sur la liste d’attente.");
    s = base();
    s.places_held = 20;
    EXPECT_EQ(explain_fr(decide_booking(s), s.session), message_fr("session_full"));
    s.places_held = 4;
    s.structure_places_held = 4;
    EXPECT_EQ(visible(explain_fr(decide_booking(s), s.session)),
              "Votre structure a atteint sa part des places pour le moment. Vous pouvez vous inscrire sur la liste "
              "d’attente_: les places restantes s’ouvriront à toutes les structures le 2_déc._2026 à 20_h_30.");
    s = base();
    s.beneficiary.no_show_times = {s.now - 10 * kDay, s.now - 50 * kDay, s.now - 100 * kDay};
    EXPECT_EQ(visible(explain_fr(decide_booking(s), s.session)),
              "Les réservations de cette personne sont suspendues jusqu’au 20_janv._2027 à 11_h, après plusieurs "
              "absences non excusées. Un administrateur peut lever cette suspension.");
    s = base();
    s.now = s.session.closes_at;
    EXPECT_EQ(visible(explain_fr(decide_booking(s), s.session)),
              "Les réservations sont closes depuis le 4_déc._2026 à 20_h_30.");
    EXPECT_EQ(explain_fr(decide_booking(base()), base().session), "");
}

TEST(Explain, RefusalsNameTheNumberAndTheWayOut) {
    auto visible = [](std::string s) {
        for (std::size_t p; (p = s.find("\u00A0")) != std::string::npos;) s.replace(p, 2, "_");
        return s;
    };
    // R1: the limit of the session, and what to do.
    BookingSnapshot s = base();
    s.places = 5;
    EXPECT_EQ(visible(explain_fr(decide_booking(s), s.session)),
              "Cette séance permet de 1 à 2_places par réservation (la personne et 1_accompagnant au plus)_: "
              "choisissez un nombre de places dans cette limite.");
    s.session.max_per_booking = 4;
    EXPECT_NE(explain_fr(decide_booking(s), s.session).find("3\u00A0accompagnants"), std::string::npos);
    s.session.max_per_booking = 1;
    EXPECT_EQ(visible(explain_fr(decide_booking(s), s.session)),
              "Cette séance permet une seule place par réservation (la personne seule)_: réservez 1 place.");

    // R7: the territory's limit (not a hard-coded 3), and that cancelling frees a slot.
    s = base();
    s.settings.max_upcoming_bookings = 5;
    for (int i = 0; i < 5; ++i) s.beneficiary_bookings.push_back(other_booking(600 + i, s.now + (i + 10) * kDay, 90));
    BookingDecision d = decide_booking(s);
    EXPECT_EQ(d.rule, Rule::R7);
    EXPECT_EQ(d.max_upcoming_bookings, 5);
    EXPECT_EQ(visible(explain_fr(d, s.session)),
              "Cette personne a déjà 5_sorties à venir, le maximum sur ce territoire_: annulez une sortie pour "
              "libérer une place.");

    // R6: names the other outing, its day and its real end, and the way out.
    s = base();
    BeneficiaryBooking other = other_booking(601, s.session.start - 30 * kMinute, 150);
    other.title = "Le « Misanthrope »";
    s.beneficiary_bookings.push_back(other);
    d = decide_booking(s);
    ASSERT_EQ(d.rule, Rule::R6);
    ASSERT_TRUE(d.overlapping.has_value());
    EXPECT_EQ(d.overlapping->session_id, 601);
    EXPECT_EQ(visible(explain_fr(d, s.session)),
              "Cette personne a déjà une sortie sur ce créneau_: «_Le “Misanthrope”_» le 5_déc._2026 à 20_h "
              "(jusqu’à 22_h_30). Choisissez une autre séance, ou annulez cette sortie.");
    s.beneficiary_bookings.back().title.clear();  // the browser may not know the title
    EXPECT_NE(explain_fr(decide_booking(s), s.session).find("une autre sortie le 5"), std::string::npos);
}

TEST(Explain, WhyAnAccountMayNotActYet) {
    const auto P = AccountStatus::Pending, A = AccountStatus::Active, S = AccountStatus::Suspended;
    EXPECT_EQ(inactive_reason(A, A), "");
    EXPECT_EQ(explain_inactive_fr(A, A), "");
    EXPECT_EQ(inactive_reason(P, P), "organisation_pending");  // a fresh sign-up: the organisation first
    EXPECT_EQ(inactive_reason(A, P), "organisation_pending");
    EXPECT_EQ(inactive_reason(P, A), "user_pending");
    EXPECT_EQ(inactive_reason(P, S), "organisation_suspended");  // suspension does not pass by waiting
    EXPECT_EQ(inactive_reason(S, P), "user_suspended");
    EXPECT_NE(explain_inactive_fr(P, P).find("attend la validation d’un administrateur"), std::string::npos);
    EXPECT_NE(explain_inactive_fr(A, S).find("organisation est suspendue"), std::string::npos);
}

TEST(ErrorTable, EveryCodeTheRulesAndValidatorsUseIsListed) {
    const char* codes[] = {
        "booking_not_active",
        "capacity_below_held",
        "attended_count_out_of_range",
        "invalid_transition",
        "offset_mismatch",
        "nonexistent_local_time",
        "invalid_datetime",
        "start_too_soon",
        "closes_at_too_late",
        "closes_at_in_past",
        "closes_at_before_opens_at",
        "draw_at_required",
        "draw_at_in_past",
        "draw_at_not_before_closes_at",
        "draw_at_before_opens_at",
        "duration_out_of_range",
        "capacity_out_of_range",
        "max_per_booking_out_of_range",
        "invalid_allocation",
        "required",
        "too_short",
        "too_long",
        "invalid_utf8",
        "control_character",
        "invalid_email",
        "password_too_short",
        "password_too_long",
        "weak_password",
        "invalid_phone",
        "invalid_postal_code",
        "invalid_territory",
        "postal_code_territory_mismatch",
        "invalid_kind",
        "invalid_category",
        "invalid_pickup_mode",
        "invalid_accessibility",
        "min_age_out_of_range",
        "birth_year_out_of_range",
        "household_size_out_of_range",
        "invalid_went",
        "rating_out_of_range",
        "setting_out_of_range",
        "invalid_code",
        "not_checked_in",
        "attendance_correction_closed",
    };
    for (const char* code : codes) EXPECT_NE(find_error_code(code), nullptr) << code;
}
