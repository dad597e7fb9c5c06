// Impact figures: a week of bookings turned into the figures of DOMAIN.md, computed by hand and
// written literally (the native and WebAssembly builds must both match them).
#include <gtest/gtest.h>

#include "uneplace/impact.hpp"
#include "uneplace/local_time.hpp"

using namespace uneplace;

namespace {

UnixSeconds utc(std::string_view text) { return parse_utc_instant(text).value; }

using B = BookingStatus;

// The week of 30 November 2026 (UTC), two partners, three structures.
const std::vector<ImpactSession> kSessions = {
    {1, 10, "75", Category::Theatre, utc("2026-12-01T19:00:00Z"), 10},
    {2, 10, "75", Category::Concert, utc("2026-12-03T19:00:00Z"), 4},
    {3, 20, "974", Category::Museum, utc("2026-12-05T06:00:00Z"), 6},
    {4, 20, "974", Category::Museum, utc("2026-12-06T06:00:00Z"), 5, SessionStatus::Cancelled},  // donates nothing
    {5, 20, "974", Category::Concert, utc("2026-11-30T21:00:00Z"), 2},  // 1 December, 01:00 in La Réunion
    {6, 10, "75", Category::Theatre, utc("2026-11-30T22:30:00Z"), 3},   // 30 November, 23:30 in Paris
    {7, 10, "75", Category::Theatre, utc("2026-12-08T19:00:00Z"), 8},   // after the week
};

ImpactBooking booking(Id id, Id session, Id structure, Id beneficiary, int places, BookingStatus status,
                      int attended = 0, bool from_waitlist = false, std::optional<int> rating = std::nullopt) {
    UnixSeconds start = 0;
    for (const auto& s : kSessions)
        if (s.session_id == session) start = s.start;
    return {id, session, structure, beneficiary, start, places, status, attended, from_waitlist, rating};
}

const std::vector<ImpactBooking> kBookings = {
    booking(1, 1, 100, 1, 2, B::Attended, 2, false, 5),
    booking(2, 1, 100, 2, 2, B::Attended, 1, false, 4),
    booking(3, 1, 200, 3, 1, B::NoShow),
    booking(4, 1, 200, 4, 2, B::Cancelled),
    booking(5, 1, 200, 5, 2, B::LateCancelled),
    booking(6, 1, 100, 6, 1, B::Attended, 1, true),
    booking(7, 2, 100, 1, 2, B::Attended, 2, false, 3),
    booking(8, 2, 200, 7, 2, B::Confirmed),  // attendance never recorded: unknown
    booking(9, 3, 300, 8, 2, B::Attended, 2, false, 5),
    booking(10, 3, 300, 9, 2, B::NoShow),
    booking(11, 3, 300, 10, 2, B::Attended, 2, true, 4),
    booking(12, 4, 300, 11, 2, B::Cancelled),
    booking(13, 5, 300, 8, 2, B::Attended, 1),
    booking(14, 6, 100, 12, 1, B::Attended, 1, false, 2),
    booking(15, 7, 100, 13, 2, B::Confirmed),
};

// Earlier outings, for first-timers.
const std::vector<ImpactBooking> kHistory = {
    {101, 90, 100, 2, utc("2026-06-01T18:00:00Z"), 1, B::Attended, 1},  // within 365 days
    {102, 91, 200, 3, utc("2025-11-01T18:00:00Z"), 1, B::Attended, 1},  // more than 365 days before
    {103, 92, 200, 7, utc("2026-10-01T18:00:00Z"), 2, B::NoShow},       // not an outing
    {104, 93, 300, 9, utc("2026-11-15T08:00:00Z"), 1, B::Attended, 1},
};

std::vector<ImpactRow> figures(ImpactGroupBy by, std::string territory = "") {
    ImpactQuery q;
    q.from = utc("2026-11-30T00:00:00Z");
    q.to = utc("2026-12-07T00:00:00Z");
    q.group_by = by;
    q.territory = std::move(territory);
    return impact_figures(kSessions, kBookings, kHistory, q);
}

void expect_row(const ImpactRow& row, std::string_view key, const ImpactFigures& f) {
    EXPECT_EQ(row.key, key);
    EXPECT_EQ(row.figures, f) << "group " << key << ": donated " << row.figures.places_donated << " booked "
                              << row.figures.places_booked << " attended " << row.figures.people_attended << " usage "
                              << row.figures.usage_permille << " bookings " << row.figures.bookings << " unique "
                              << row.figures.unique_beneficiaries << " first " << row.figures.first_timers << " late "
                              << row.figures.late_cancellations << " att_b " << row.figures.attended_bookings << " ns "
                              << row.figures.no_show_bookings << " ns‰ " << row.figures.no_show_permille << " wl "
                              << row.figures.waitlist_served << " ratings " << row.figures.ratings_count << " avg "
                              << row.figures.average_rating_x10;
}

}  // namespace

TEST(Impact, WeekTotals) {
    const auto rows = figures(ImpactGroupBy::None);
    ASSERT_EQ(rows.size(), 1u);
    expect_row(rows[0], "",
               {.places_donated = 25,
                .places_booked = 19,
                .people_attended = 12,
                .usage_permille = 480,
                .bookings = 11,
                .unique_beneficiaries = 9,
                .first_timers = 7,
                .late_cancellations = 1,
                .attended_bookings = 8,
                .no_show_bookings = 2,
                .no_show_permille = 200,
                .waitlist_served = 2,
                .ratings_count = 6,
                .average_rating_x10 = 38});
}

TEST(Impact, ByCategory) {
    const auto rows = figures(ImpactGroupBy::Category);
    ASSERT_EQ(rows.size(), 3u);
    // Beneficiary 1 went to the theatre on 1 December: not a first-timer at the concert on the 3rd.
    expect_row(rows[0], "concert",
               {.places_donated = 6,
                .places_booked = 6,
                .people_attended = 3,
                .usage_permille = 500,
                .bookings = 3,
                .unique_beneficiaries = 3,
                .first_timers = 2,
                .late_cancellations = 0,
                .attended_bookings = 2,
                .no_show_bookings = 0,
                .no_show_permille = 0,
                .waitlist_served = 0,
                .ratings_count = 1,
                .average_rating_x10 = 30});
    expect_row(rows[1], "museum",
               {.places_donated = 6,
                .places_booked = 6,
                .people_attended = 4,
                .usage_permille = 667,
                .bookings = 3,
                .unique_beneficiaries = 3,
                .first_timers = 1,
                .late_cancellations = 0,
                .attended_bookings = 2,
                .no_show_bookings = 1,
                .no_show_permille = 333,
                .waitlist_served = 1,
                .ratings_count = 2,
                .average_rating_x10 = 45});
    expect_row(rows[2], "theatre",
               {.places_donated = 13,
                .places_booked = 7,
                .people_attended = 5,
                .usage_permille = 385,
                .bookings = 5,
                .unique_beneficiaries = 5,
                .first_timers = 4,
                .late_cancellations = 1,
                .attended_bookings = 4,
                .no_show_bookings = 1,
                .no_show_permille = 200,
                .waitlist_served = 1,
                .ratings_count = 3,
                .average_rating_x10 = 37});
}

TEST(Impact, ByMonthInTheVenuesLocalTime) {
    const auto rows = figures(ImpactGroupBy::Month);
    ASSERT_EQ(rows.size(), 2u);
    expect_row(rows[0], "2026-11",
               {.places_donated = 3,
                .places_booked = 1,
                .people_attended = 1,
                .usage_permille = 333,
                .bookings = 1,
                .unique_beneficiaries = 1,
                .first_timers = 1,
                .late_cancellations = 0,
                .attended_bookings = 1,
                .no_show_bookings = 0,
                .no_show_permille = 0,
                .waitlist_served = 0,
                .ratings_count = 1,
                .average_rating_x10 = 20});
    expect_row(rows[1], "2026-12",
               {.places_donated = 22,
                .places_booked = 18,
                .people_attended = 11,
                .usage_permille = 500,
                .bookings = 10,
                .unique_beneficiaries = 8,
                .first_timers = 6,
                .late_cancellations = 1,
                .attended_bookings = 7,
                .no_show_bookings = 2,
                .no_show_permille = 222,
                .waitlist_served = 2,
                .ratings_count = 5,
                .average_rating_x10 = 42});
}

TEST(Impact, ByTerritoryPartnerAndStructure) {
    const ImpactFigures paris{.places_donated = 17,
                              .places_booked = 11,
                              .people_attended = 7,
                              .usage_permille = 412,
                              .bookings = 7,
                              .unique_beneficiaries = 6,
                              .first_timers = 5,
                              .late_cancellations = 1,
                              .attended_bookings = 5,
                              .no_show_bookings = 1,
                              .no_show_permille = 167,
                              .waitlist_served = 1,
                              .ratings_count = 4,
                              .average_rating_x10 = 35};
    const ImpactFigures reunion{.places_donated = 8,
                                .places_booked = 8,
                                .people_attended = 5,
                                .usage_permille = 625,
                                .bookings = 4,
                                .unique_beneficiaries = 3,
                                .first_timers = 2,
                                .late_cancellations = 0,
                                .attended_bookings = 3,
                                .no_show_bookings = 1,
                                .no_show_permille = 250,
                                .waitlist_served = 1,
                                .ratings_count = 2,
                                .average_rating_x10 = 45};
    auto rows = figures(ImpactGroupBy::Territory);
    ASSERT_EQ(rows.size(), 2u);
    expect_row(rows[0], "75", paris);
    expect_row(rows[1], "974", reunion);

    rows = figures(ImpactGroupBy::Partner);  // partner 10 is in Paris, partner 20 in La Réunion
    ASSERT_EQ(rows.size(), 2u);
    expect_row(rows[0], "10", paris);
    expect_row(rows[1], "20", reunion);

    rows = figures(ImpactGroupBy::None, "974");
    ASSERT_EQ(rows.size(), 1u);
    expect_row(rows[0], "", reunion);

    rows = figures(ImpactGroupBy::Structure);
    ASSERT_EQ(rows.size(), 3u);
    expect_row(rows[0], "100",
               {.places_donated = 0,
                .places_booked = 8,
                .people_attended = 7,
                .usage_permille = 0,
                .bookings = 5,
                .unique_beneficiaries = 4,
                .first_timers = 3,
                .late_cancellations = 0,
                .attended_bookings = 5,
                .no_show_bookings = 0,
                .no_show_permille = 0,
                .waitlist_served = 1,
                .ratings_count = 4,
                .average_rating_x10 = 35});
    expect_row(rows[1], "200",
               {.places_donated = 0,
                .places_booked = 3,
                .people_attended = 0,
                .usage_permille = 0,
                .bookings = 2,
                .unique_beneficiaries = 2,
                .first_timers = 2,
                .late_cancellations = 1,
                .attended_bookings = 0,
                .no_show_bookings = 1,
                .no_show_permille = 1000,
                .waitlist_served = 0,
                .ratings_count = 0,
                .average_rating_x10 = 0});
    ImpactFigures s300 = reunion;
    s300.places_donated = 0;
    s300.usage_permille = 0;
    expect_row(rows[2], "300", s300);
}

TEST(Impact, EmptyPeriodAndGroupCodes) {
    ImpactQuery q;
    q.from = utc("2030-01-01T00:00:00Z");
    q.to = utc("2030-02-01T00:00:00Z");
    const auto rows = impact_figures(kSessions, kBookings, kHistory, q);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].figures, ImpactFigures{});
    EXPECT_TRUE(impact_figures(kSessions, kBookings, kHistory, {q.from, q.to, "", ImpactGroupBy::Month}).empty());
    EXPECT_EQ(impact_group_by_from_code("month"), ImpactGroupBy::Month);
    EXPECT_EQ(impact_group_by_from_code(""), ImpactGroupBy::None);
    EXPECT_FALSE(impact_group_by_from_code("week"));
}

TEST(Impact, RatiosAndFrenchFormatting) {
    EXPECT_EQ(permille(1, 3), 333);
    EXPECT_EQ(permille(2, 3), 667);
    EXPECT_EQ(permille(1, 8), 125);
    EXPECT_EQ(permille(1, 2000), 1);  // 0.5 ‰ rounds half up
    EXPECT_EQ(permille(5, 0), 0);
    EXPECT_EQ(format_permille_fr(417), "41,7\u00A0%");
    EXPECT_EQ(format_permille_fr(1000), "100,0\u00A0%");
    EXPECT_EQ(format_tenths_fr(38), "3,8");
    EXPECT_EQ(format_count_fr(700000), "700\u00A0000");
    EXPECT_EQ(format_count_fr(1234567), "1\u00A0234\u00A0567");
    EXPECT_EQ(format_count_fr(999), "999");
}
