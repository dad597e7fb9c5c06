// The booking form's pre-check (data/precheck.hpp) reads the server's JSON with the client's own
// readers and asks the shared decide_booking(), as the server does. These cases are the ones the
// browser used to get wrong: a territory's own settings (max upcoming bookings, share of a
// structure) and a long show that overlaps the next outing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/types.hpp"
#include "data/precheck.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"

using nlohmann::json;
using uneplace::kHour;

namespace {

constexpr uneplace::UnixSeconds kStart = 1796666400;  // 2026-12-09T18:00:00Z, a Wednesday evening
constexpr uneplace::UnixSeconds kNow = kStart - 10 * 24 * kHour;

User social_worker() {
    User u;
    u.id = 7;
    u.role = "social_worker";
    u.organisation_id = 3;
    return u;
}

Beneficiary person() {
    Beneficiary b;
    b.id = 11;
    b.first_name = "Amina";
    b.last_name = "Kaci";
    return b;
}

// GET /api/v1/sessions/{id} as the server writes it, with the territory's settings when given.
json session_json(int capacity, int places_held, int structure_places_held, std::optional<json> settings) {
    json j = {{"id", 501},
              {"offer_id", 40},
              {"title", "Le Malade imaginaire"},
              {"territory", "93"},
              {"start", uneplace::format_utc(kStart)},
              {"closes_at", uneplace::format_utc(kStart - 24 * kHour)},
              {"allocation", "first_come"},
              {"duration_min", 90},
              {"capacity", capacity},
              {"places_left", capacity - places_held},
              {"places_held", places_held},
              {"structure_places_held", structure_places_held},
              {"max_per_booking", 2},
              {"status", "scheduled"}};
    if (settings) j["settings"] = *settings;
    return j;
}

// One item of GET /api/v1/bookings?beneficiary_id=…, its session nested.
json booking_json(long long id, uneplace::UnixSeconds start, std::optional<int> duration_min,
                  std::optional<uneplace::UnixSeconds> end) {
    json session = {{"id", 900 + id},
                    {"title", "Concert"},
                    {"territory", "93"},
                    {"start", uneplace::format_utc(start)},
                    {"closes_at", uneplace::format_utc(start - 24 * kHour)}};
    if (duration_min) session["duration_min"] = *duration_min;
    if (end) session["end"] = uneplace::format_utc(*end);
    return {{"id", id},          {"session_id", 900 + id}, {"beneficiary_id", 11},
            {"places", 1},       {"status", "confirmed"},  {"code", "AB12-CD34"},
            {"session", session}};
}

uneplace::BookingDecision decide(const json& session, const std::vector<json>& bookings, int places = 1,
                                 const Beneficiary& who = person()) {
    std::vector<Booking> parsed;
    for (const json& b : bookings) parsed.push_back(parse_booking(b));
    return uneplace::decide_booking(
        booking_snapshot(social_worker(), parse_session_detail(session), who, parsed, places, kNow));
}

}  // namespace

TEST(Precheck, FollowsTheTerritorysMaximumOfUpcomingBookings) {
    // Three outings already booked on other days.
    std::vector<json> three;
    for (int i = 1; i <= 3; ++i) three.push_back(booking_json(i, kStart + i * 48 * kHour, 90, std::nullopt));
    // With the programme's default (3), a fourth is refused…
    const auto by_default = decide(session_json(10, 0, 0, std::nullopt), three);
    ASSERT_FALSE(by_default.accepted());
    EXPECT_EQ(by_default.refusal->code, "too_many_upcoming");
    // …but this territory allows 5: the browser must agree with the server and let it through.
    const json settings = {{"territory", "93"}, {"max_upcoming_bookings", 5}};
    EXPECT_TRUE(decide(session_json(10, 0, 0, settings), three).accepted());
}

TEST(Precheck, FollowsTheTerritorysShareOfAStructure) {
    // Capacity 10, the structure already holds 3: at the default 25 % (cap 3) a 4th place waits…
    const auto by_default = decide(session_json(10, 3, 3, std::nullopt), {});
    ASSERT_FALSE(by_default.accepted());
    EXPECT_EQ(by_default.refusal->code, "structure_share_exceeded");
    EXPECT_TRUE(by_default.may_join_waitlist);
    // …at 50 % (cap 5) the server confirms it, and so must the browser.
    const json settings = {{"territory", "93"}, {"share_percent", 50}};
    EXPECT_TRUE(decide(session_json(10, 3, 3, settings), {}).accepted());
}

TEST(Precheck, ALongShowOverlapsTheNextOuting) {
    // An outing at 14:30 lasting 4 h ends at 18:30, after this session's 18:00 start. Counted as
    // 2 h (the old guess) it would end at 16:30 and the browser would wrongly offer the booking.
    const uneplace::UnixSeconds other = kStart - 3 * kHour - 30 * 60;
    for (const json& long_show :
         {booking_json(1, other, 240, std::nullopt), booking_json(1, other, std::nullopt, other + 4 * kHour)}) {
        const auto d = decide(session_json(10, 0, 0, std::nullopt), {long_show});
        ASSERT_FALSE(d.accepted()) << long_show.dump();
        EXPECT_EQ(d.refusal->code, "overlapping_booking");
    }
    // A short one (1 h, ends 15:30) does not overlap.
    EXPECT_TRUE(decide(session_json(10, 0, 0, std::nullopt), {booking_json(1, other, 60, std::nullopt)}).accepted());
}

TEST(Precheck, BookingEndWithoutDurationIsTwoHours) {
    Booking b;
    b.start = uneplace::format_utc(kStart);
    EXPECT_EQ(booking_end(b), kStart + 2 * kHour);
    b.duration_min = 150;
    EXPECT_EQ(booking_end(b), kStart + 150 * 60);
    b.end = uneplace::format_utc(kStart + 5 * kHour);
    EXPECT_EQ(booking_end(b), kStart + 5 * kHour);
}

TEST(Precheck, APausedPersonIsRefusedWithTheDateTheServerWouldGive) {
    // One no-show two days ago; this territory pauses after one, for 60 days.
    json absent = booking_json(1, kNow - 48 * kHour, 90, std::nullopt);
    absent["status"] = "no_show";
    const json settings = {{"territory", "93"}, {"no_show_limit", 1}, {"no_show_window_days", 180}, {"pause_days", 60}};
    Beneficiary paused = person();
    paused.paused_until = uneplace::format_utc(kNow - 48 * kHour + 60 * 24 * kHour);
    const auto d = decide(session_json(10, 0, 0, settings), {absent}, 1, paused);
    ASSERT_FALSE(d.accepted());
    EXPECT_EQ(d.refusal->code, "beneficiary_paused");
    EXPECT_FALSE(d.may_join_waitlist);
    EXPECT_EQ(d.paused_until, kNow - 48 * kHour + 60 * 24 * kHour);
    // The server says no pause (an administrator lifted it): the same no-show blocks nothing here.
    EXPECT_TRUE(decide(session_json(10, 0, 0, settings), {absent}).accepted());
}
