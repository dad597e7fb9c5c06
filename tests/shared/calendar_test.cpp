// Days people choose outings by (calendar.hpp): weekends, ranges, month grids, French names.
// 2 December 2026 is a Wednesday.
#include <gtest/gtest.h>

#include "uneplace/calendar.hpp"

using namespace uneplace;

namespace {
constexpr CivilDate kWednesday{2026, 12, 2};
}  // namespace

TEST(Calendar, WeekdaysStartOnMonday) {
    EXPECT_EQ(weekday_monday_first(kWednesday), 2);
    EXPECT_EQ(weekday_monday_first({2026, 12, 7}), 0);
    EXPECT_EQ(weekday_monday_first({2026, 12, 6}), 6);
    EXPECT_EQ(add_days({2026, 12, 31}, 1), (CivilDate{2027, 1, 1}));
    EXPECT_EQ(add_days({2028, 3, 1}, -1), (CivilDate{2028, 2, 29}));
}

TEST(Calendar, ThisWeekendAndTheNext) {
    EXPECT_EQ(this_weekend(kWednesday), (DayRange{{2026, 12, 5}, {2026, 12, 6}}));
    EXPECT_EQ(next_weekend(kWednesday), (DayRange{{2026, 12, 12}, {2026, 12, 13}}));
    // On Saturday, this weekend is today and tomorrow; on Sunday, today only.
    EXPECT_EQ(this_weekend({2026, 12, 5}), (DayRange{{2026, 12, 5}, {2026, 12, 6}}));
    EXPECT_EQ(this_weekend({2026, 12, 6}), (DayRange{{2026, 12, 6}, {2026, 12, 6}}));
    EXPECT_EQ(next_weekend({2026, 12, 6}), (DayRange{{2026, 12, 12}, {2026, 12, 13}}));
    // Monday: the weekend is five days away; across a year's end.
    EXPECT_EQ(this_weekend({2026, 12, 7}), (DayRange{{2026, 12, 12}, {2026, 12, 13}}));
    EXPECT_EQ(next_weekend({2026, 12, 28}), (DayRange{{2027, 1, 9}, {2027, 1, 10}}));
    // Every day of a year: this weekend is a Saturday (or today, Sunday) to a Sunday, within 6 days.
    for (int i = 0; i < 366; ++i) {
        const CivilDate day = add_days({2027, 1, 1}, i);
        const DayRange w = this_weekend(day);
        EXPECT_EQ(weekday_monday_first(w.last), 6);
        EXPECT_FALSE(w.first < day);
        EXPECT_EQ(weekday_monday_first(next_weekend(day).first), 5);
    }
}

TEST(Calendar, RangesInEitherOrder) {
    const DayRange r = ordered({2026, 12, 20}, {2026, 12, 10});
    EXPECT_EQ(r, (DayRange{{2026, 12, 10}, {2026, 12, 20}}));
    EXPECT_TRUE(contains(r, {2026, 12, 10}));
    EXPECT_TRUE(contains(r, {2026, 12, 20}));
    EXPECT_FALSE(contains(r, {2026, 12, 21}));
    EXPECT_FALSE(contains(r, {2026, 11, 15}));
}

TEST(Calendar, RangeInstantsAreTheVenuesMidnights) {
    const auto paris = range_instants("75", next_weekend(kWednesday));
    ASSERT_TRUE(paris);
    EXPECT_EQ(format_utc(paris->first), "2026-12-11T23:00:00Z");  // winter: UTC+1
    EXPECT_EQ(format_utc(paris->second), "2026-12-13T23:00:00Z");
    const auto reunion = range_instants("974", {{2026, 12, 12}, {2026, 12, 12}});
    ASSERT_TRUE(reunion);
    EXPECT_EQ(format_utc(reunion->first), "2026-12-11T20:00:00Z");  // UTC+4
    EXPECT_EQ(reunion->second - reunion->first, kDay);
    // The spring change: 29 March 2026 is 23 hours long in Paris.
    const auto spring = range_instants("75", {{2026, 3, 29}, {2026, 3, 29}});
    ASSERT_TRUE(spring);
    EXPECT_EQ(spring->second - spring->first, 23 * kHour);
    EXPECT_FALSE(range_instants("20", {{2026, 3, 29}, {2026, 3, 29}}));
}

TEST(Calendar, MonthGridsStartOnMonday) {
    const MonthGrid dec = month_grid(2026, 12);  // 1 December 2026 is a Tuesday
    EXPECT_EQ(dec.days[0], (CivilDate{2026, 11, 30}));
    EXPECT_FALSE(dec.in_month(0));
    EXPECT_EQ(dec.days[1], (CivilDate{2026, 12, 1}));
    EXPECT_EQ(dec.days[31], (CivilDate{2026, 12, 31}));
    EXPECT_FALSE(dec.in_month(32));
    const MonthGrid feb = month_grid(2027, 2);  // 1 February 2027 is a Monday
    EXPECT_EQ(feb.days[0], (CivilDate{2027, 2, 1}));
    int in = 0;
    for (int i = 0; i < 42; ++i) in += feb.in_month(i);
    EXPECT_EQ(in, 28);
    for (int i = 0; i < 42; i += 7) EXPECT_EQ(weekday_monday_first(feb.days[static_cast<size_t>(i)]), 0);
    int y = 2026, m = 12;
    step_month(y, m, 1);
    EXPECT_EQ(y * 100 + m, 202701);
    step_month(y, m, -2);
    EXPECT_EQ(y * 100 + m, 202611);
}

TEST(Calendar, FrenchNames) {
    EXPECT_EQ(month_name_fr(2), "février");
    EXPECT_EQ(month_name_fr(13), "");
    EXPECT_EQ(weekday_name_monday_first_fr(0), "lundi");
    EXPECT_EQ(weekday_initial_fr(6), "D");
    EXPECT_EQ(month_title_fr(2026, 12), "décembre 2026");
    EXPECT_EQ(day_title_fr({2027, 3, 1}), "lundi 1er mars");
    EXPECT_EQ(range_title_fr(next_weekend(kWednesday), 2026), "du samedi 12 au dimanche 13 décembre");
    EXPECT_EQ(range_title_fr({{2026, 11, 30}, {2026, 12, 1}}, 2026), "du lundi 30 novembre au mardi 1er décembre");
    EXPECT_EQ(range_title_fr({{2026, 12, 31}, {2027, 1, 2}}, 2026), "du jeudi 31 décembre au samedi 2 janvier 2027");
    EXPECT_EQ(range_title_fr({{2026, 12, 12}, {2026, 12, 12}}, 2026), "samedi 12 décembre");
}
