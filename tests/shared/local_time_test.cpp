// Venue local time ⇄ UTC (DOMAIN.md "Time"), RFC 3339 and French formatting.
#include <gtest/gtest.h>

#include "uneplace/local_time.hpp"

using namespace uneplace;

namespace {
UnixSeconds utc(std::string_view text) {
    const auto r = parse_utc_instant(text);
    EXPECT_TRUE(r.ok()) << text;
    return r.value;
}
std::string code_of(const Checked<UnixSeconds>& c) { return c.refusal ? c.refusal->code : ""; }
// Replace the no-break spaces by '_' so expectations are readable.
std::string visible(std::string s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
            out.push_back('_');
            ++i;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}
}  // namespace

TEST(Civil, DaysRoundTripAndKnownDates) {
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
    EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
    for (std::int64_t d = -800000; d <= 800000; d += 997) {
        const CivilDate c = civil_from_days(d);
        EXPECT_EQ(days_from_civil(c.year, c.month, c.day), d);
    }
    EXPECT_EQ(weekday_from_days(0), 4);                             // Thursday
    EXPECT_EQ(weekday_from_days(days_from_civil(2026, 12, 5)), 6);  // Saturday
    EXPECT_EQ(weekday_from_days(-1), 3);
    EXPECT_TRUE(is_leap_year(2000));
    EXPECT_FALSE(is_leap_year(2100));
    EXPECT_EQ(days_in_month(2028, 2), 29);
    EXPECT_EQ(days_in_month(2026, 2), 28);
    EXPECT_FALSE(is_valid_civil({2026, 2, 29, 10, 0, 0}));
    EXPECT_TRUE(is_valid_civil({2028, 2, 29, 10, 0, 0}));
    EXPECT_EQ(civil_from_unix(-1), (CivilDateTime{1969, 12, 31, 23, 59, 59}));
}

TEST(Civil, LastSundays) {
    struct Case {
        int year, march, october;
    };
    // Known European summer-time dates.
    const Case cases[] = {{2024, 31, 27}, {2025, 30, 26}, {2026, 29, 25}, {2027, 28, 31}, {2028, 26, 29}};
    for (const auto& c : cases) {
        EXPECT_EQ(last_sunday(c.year, 3), c.march) << c.year;
        EXPECT_EQ(last_sunday(c.year, 10), c.october) << c.year;
    }
    EXPECT_EQ(paris_summer_start(2026), utc("2026-03-29T01:00:00Z"));
    EXPECT_EQ(paris_summer_end(2026), utc("2026-10-25T01:00:00Z"));
}

TEST(Zones, OffsetsOfTheTerritories) {
    const UnixSeconds winter = utc("2026-12-05T19:30:00Z");
    const UnixSeconds summer = utc("2026-07-14T19:30:00Z");
    struct Case {
        const char* dep;
        int winter, summer;
    };
    const Case cases[] = {
        {"75", 3600, 7200},      {"2A", 3600, 7200},      {"2B", 3600, 7200},
        {"01", 3600, 7200},      {"971", -14400, -14400}, {"972", -14400, -14400},
        {"973", -10800, -10800}, {"974", 14400, 14400},   {"976", 10800, 10800},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(utc_offset_at(c.dep, winter), c.winter) << c.dep;
        EXPECT_EQ(utc_offset_at(c.dep, summer), c.summer) << c.dep;
    }
    EXPECT_FALSE(utc_offset_at("975", winter));
    // The switch instants themselves, to the second.
    EXPECT_EQ(utc_offset_at("75", utc("2026-03-29T00:59:59Z")), 3600);
    EXPECT_EQ(utc_offset_at("75", utc("2026-03-29T01:00:00Z")), 7200);
    EXPECT_EQ(utc_offset_at("75", utc("2026-10-25T00:59:59Z")), 7200);
    EXPECT_EQ(utc_offset_at("75", utc("2026-10-25T01:00:00Z")), 3600);
}

TEST(Zones, SameWallClockIn971And974IsEightHoursApart) {
    const CivilDateTime eight_pm{2026, 12, 5, 20, 0, 0};
    const auto guadeloupe = local_to_utc("971", eight_pm);
    const auto reunion = local_to_utc("974", eight_pm);
    ASSERT_TRUE(guadeloupe.ok() && reunion.ok());
    EXPECT_EQ(format_utc(guadeloupe.value), "2026-12-06T00:00:00Z");
    EXPECT_EQ(format_utc(reunion.value), "2026-12-05T16:00:00Z");
    EXPECT_EQ(guadeloupe.value - reunion.value, 8 * kHour);
    EXPECT_EQ(format_local("971", guadeloupe.value), "2026-12-05T20:00:00-04:00");
    EXPECT_EQ(format_local("974", reunion.value), "2026-12-05T20:00:00+04:00");
    EXPECT_EQ(format_local("973", utc("2026-12-05T23:00:00Z")), "2026-12-05T20:00:00-03:00");
    EXPECT_EQ(format_local("976", utc("2026-12-05T17:00:00Z")), "2026-12-05T20:00:00+03:00");
}

TEST(LocalToUtc, DaylightSavingEdges) {
    struct Case {
        CivilDateTime local;
        const char* utc_or_code;
    };
    const Case cases[] = {
        {{2026, 12, 5, 20, 30, 0}, "2026-12-05T19:30:00Z"},
        {{2026, 7, 14, 22, 0, 0}, "2026-07-14T20:00:00Z"},
        // Spring forward, 29 March 2026: 02:00–02:59:59 does not exist.
        {{2026, 3, 29, 1, 59, 59}, "2026-03-29T00:59:59Z"},
        {{2026, 3, 29, 2, 0, 0}, "nonexistent_local_time"},
        {{2026, 3, 29, 2, 30, 0}, "nonexistent_local_time"},
        {{2026, 3, 29, 2, 59, 59}, "nonexistent_local_time"},
        {{2026, 3, 29, 3, 0, 0}, "2026-03-29T01:00:00Z"},
        // Fall back, 25 October 2026: 02:00–02:59:59 happens twice; the first (UTC+2) is taken.
        {{2026, 10, 25, 1, 59, 59}, "2026-10-24T23:59:59Z"},
        {{2026, 10, 25, 2, 0, 0}, "2026-10-25T00:00:00Z"},
        {{2026, 10, 25, 2, 30, 0}, "2026-10-25T00:30:00Z"},
        {{2026, 10, 25, 2, 59, 59}, "2026-10-25T00:59:59Z"},
        {{2026, 10, 25, 3, 0, 0}, "2026-10-25T02:00:00Z"},
        // Impossible dates.
        {{2026, 2, 29, 20, 0, 0}, "invalid_datetime"},
        {{2026, 4, 31, 20, 0, 0}, "invalid_datetime"},
        {{2026, 4, 30, 24, 0, 0}, "invalid_datetime"},
    };
    for (const auto& c : cases) {
        const auto r = local_to_utc("75", c.local);
        const std::string got = r.ok() ? format_utc(r.value) : r.refusal->code;
        EXPECT_EQ(got, c.utc_or_code) << c.local.month << "-" << c.local.day << " " << c.local.hour << ":"
                                      << c.local.minute;
        if (!r.ok()) {
            EXPECT_EQ(r.refusal->field, "start_local");
        }
    }
    // Overseas: no daylight saving, so the metropolitan gap hour exists in 974.
    EXPECT_TRUE(local_to_utc("974", {2026, 3, 29, 2, 30, 0}).ok());
    EXPECT_EQ(code_of(local_to_utc("99", {2026, 3, 29, 20, 30, 0})), "invalid_territory");
}

TEST(Rfc3339, ParseAndFormat) {
    struct Case {
        const char* text;
        bool ok;
        int offset;  // −1 = none written
    };
    const Case cases[] = {
        {"2026-12-05T20:30:00+01:00", true, 3600},
        {"2026-12-05T19:30:00Z", true, 0},
        {"2026-12-05t19:30:00z", true, 0},
        {"2026-12-05T20:30:00", true, -1},
        {"2026-12-05T20:30", true, -1},
        {"2026-12-05 20:30:00-04:00", true, -14400},
        {"2026-12-05T20:30:00.123+0100", true, 3600},
        {"2026-12-05", false, 0},
        {"2026-12-05T20:30:00+01", false, 0},
        {"2026-13-05T20:30:00Z", false, 0},
        {"2026-12-05T20:60:00Z", false, 0},
        {"26-12-05T20:30:00Z", false, 0},
        {"2026-12-05T20:30:00Z ", false, 0},
        {"", false, 0},
        {"2026-12-05T20:30:00.Z", false, 0},
    };
    for (const auto& c : cases) {
        const auto r = parse_rfc3339(c.text);
        EXPECT_EQ(r.ok(), c.ok) << c.text;
        if (r.ok()) {
            EXPECT_EQ(r.value.offset_seconds.value_or(-1), c.offset) << c.text;
        } else {
            EXPECT_EQ(r.refusal->code, "invalid_datetime");
        }
    }
    EXPECT_EQ(format_utc(utc("2026-12-05T20:30:00+01:00")), "2026-12-05T19:30:00Z");
    EXPECT_FALSE(parse_utc_instant("2026-12-05T20:30:00").ok());
    EXPECT_EQ(format_local("75", utc("2026-12-05T19:30:00Z")), "2026-12-05T20:30:00+01:00");
    EXPECT_EQ(format_local("2A", utc("2026-07-14T20:00:00Z")), "2026-07-14T22:00:00+02:00");
}

TEST(Rfc3339, VenueLocalStartWithOrWithoutOffset) {
    struct Case {
        const char* dep;
        const char* text;
        const char* utc_or_code;
    };
    const Case cases[] = {
        {"75", "2026-12-05T20:30:00+01:00", "2026-12-05T19:30:00Z"},
        {"75", "2026-12-05T20:30:00", "2026-12-05T19:30:00Z"},
        {"75", "2026-12-05T20:30:00+02:00", "offset_mismatch"},
        {"75", "2026-12-05T19:30:00Z", "2026-12-05T19:30:00Z"},  // an explicit instant is always accepted
        // The doubled October hour: the offset selects the occurrence.
        {"75", "2026-10-25T02:30:00+02:00", "2026-10-25T00:30:00Z"},
        {"75", "2026-10-25T02:30:00+01:00", "2026-10-25T01:30:00Z"},
        {"75", "2026-10-25T02:30:00", "2026-10-25T00:30:00Z"},
        // The missing March hour, with or without an offset.
        {"75", "2026-03-29T02:30:00", "nonexistent_local_time"},
        {"75", "2026-03-29T02:30:00+01:00", "offset_mismatch"},
        {"971", "2026-12-05T20:00:00-04:00", "2026-12-06T00:00:00Z"},
        {"974", "2026-12-05T20:00:00+04:00", "2026-12-05T16:00:00Z"},
        {"974", "2026-12-05T20:00:00-04:00", "offset_mismatch"},
        {"75", "5 décembre", "invalid_datetime"},
    };
    for (const auto& c : cases) {
        const auto r = parse_venue_local(c.dep, c.text);
        const std::string got = r.ok() ? format_utc(r.value) : r.refusal->code;
        EXPECT_EQ(got, c.utc_or_code) << c.dep << " " << c.text;
    }
}

TEST(FrenchFormat, DatesAndHours) {
    const UnixSeconds t = utc("2026-12-05T19:30:00Z");
    EXPECT_EQ(format_datetime_fr("75", t), "sam.\u00A05\u00A0déc.\u00A02026, 20\u00A0h\u00A030");
    EXPECT_EQ(visible(format_datetime_fr("75", t)), "sam._5_déc._2026, 20_h_30");
    EXPECT_EQ(visible(format_datetime_fr("974", t)), "sam._5_déc._2026, 23_h_30");
    EXPECT_EQ(visible(format_datetime_fr("971", t)), "sam._5_déc._2026, 15_h_30");
    EXPECT_EQ(visible(format_datetime_fr("75", utc("2026-11-01T08:05:00Z"))), "dim._1er_nov._2026, 9_h_05");
    EXPECT_EQ(visible(format_time_fr("75", utc("2026-08-15T18:00:00Z"))), "20_h");
    EXPECT_EQ(visible(format_date_fr("75", utc("2026-02-28T23:30:00Z"))), "dim._1er_mars_2026");
    EXPECT_EQ(visible(format_datetime_sentence_fr("75", t)), "5_déc._2026 à 20_h_30");
    // Local date differs from the UTC date near midnight.
    EXPECT_EQ(visible(format_date_fr("971", utc("2027-01-01T02:00:00Z"))), "jeu._31_déc._2026");
    for (int m = 1; m <= 12; ++m) EXPECT_FALSE(month_abbr_fr(m).empty());
    EXPECT_EQ(month_abbr_fr(2), "févr.");
    EXPECT_EQ(month_abbr_fr(8), "août");
    EXPECT_EQ(weekday_abbr_fr(0), "dim.");
}

// Found by tests/fuzz/fuzz_time.cpp: an instant with no four-digit year in UTC (year 0 here) was
// accepted, and could not be written back as it was read. Instants run from 1970-01-02 to
// 9999-12-30 UTC; inside, every one written back parses to itself.
TEST(Instants, OutsideTheYearsTheApiWritesAreRefused) {
    EXPECT_EQ(parse_utc_instant("0000-01-01T01:30+04:00").refusal->code, "invalid_datetime");
    EXPECT_EQ(parse_utc_instant("1970-01-01T00:00:00Z").refusal->code, "invalid_datetime");
    EXPECT_EQ(parse_utc_instant("9999-12-31T23:00:00Z").refusal->code, "invalid_datetime");
    EXPECT_EQ(parse_venue_local("75", "9999-12-31T20:00").refusal->code, "invalid_datetime");
    EXPECT_EQ(parse_venue_local("971", "1970-01-01T12:00").refusal->code, "invalid_datetime");
    for (const char* ok : {"1970-01-02T00:00:00Z", "2026-12-05T19:30:00Z", "9999-12-30T00:00:00Z"}) {
        auto t = parse_utc_instant(ok);
        ASSERT_TRUE(t.ok()) << ok;
        EXPECT_EQ(format_utc(t.value), ok);
    }
    auto local = parse_venue_local("75", "9999-06-30T20:00");
    ASSERT_TRUE(local.ok());
    EXPECT_EQ(parse_venue_local("75", format_local("75", local.value)).value, local.value);
}
