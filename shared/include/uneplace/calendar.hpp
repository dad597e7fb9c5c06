// uneplace shared module — days people choose outings by: this weekend, next weekend, a range of
// days, a month drawn as weeks starting on Monday (French calendars), with French names. Computed
// from the day passed in (the caller's "today" in the venue's or the user's time): no clock here.
//
// Index of this file:
// [SECTION] Ranges of days
// [SECTION] Month grid
// [SECTION] French names
#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "uneplace/domain.hpp"
#include "uneplace/local_time.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Ranges of days
//-----------------------------------------------------------------------------

// Whole days, both ends included.
struct DayRange {
    CivilDate first;
    CivilDate last;
    bool operator==(const DayRange&) const = default;
};

CivilDate add_days(CivilDate day, int days);
// 0 = Monday … 6 = Sunday (the order of a French week).
int weekday_monday_first(CivilDate day);
// "Ce week-end": Saturday and Sunday of this week; on a Saturday or a Sunday, from today to Sunday.
DayRange this_weekend(CivilDate today);
// "Le week-end prochain": the Saturday and Sunday after this weekend.
DayRange next_weekend(CivilDate today);
// A range as typed or clicked in either order.
DayRange ordered(CivilDate a, CivilDate b);
bool contains(const DayRange& range, CivilDate day);
bool operator<(const CivilDate& a, const CivilDate& b);
// The range as UTC instants [first day 00:00, day after last 00:00) of a département's local time
// (the catalogue's from= and to=). nullopt for an unknown département.
std::optional<std::pair<UnixSeconds, UnixSeconds>> range_instants(std::string_view departement, const DayRange& range);

//-----------------------------------------------------------------------------
// [SECTION] Month grid
//-----------------------------------------------------------------------------

// A month as 6 weeks of 7 days, Monday first: days of the previous and next months fill the first
// and last weeks (`in_month` false), so every month has the same shape on the screen.
struct MonthGrid {
    int year = 1970, month = 1;
    std::array<CivilDate, 42> days{};
    bool in_month(int cell) const { return days[static_cast<std::size_t>(cell)].month == month; }
};
MonthGrid month_grid(int year, int month);
// The month before or after (December 2026 + 1 → January 2027).
void step_month(int& year, int& month, int by);

//-----------------------------------------------------------------------------
// [SECTION] French names
//-----------------------------------------------------------------------------

// "janvier" … "décembre" (1–12); "lundi" … "dimanche" (0 = Monday); "L" "M" "M" "J" "V" "S" "D".
std::string_view month_name_fr(int month);
std::string_view weekday_name_monday_first_fr(int weekday);
std::string_view weekday_initial_fr(int weekday);
// "décembre 2026"
std::string month_title_fr(int year, int month);
// "samedi 12 décembre", "lundi 1er mars"
std::string day_title_fr(CivilDate day);
// "du samedi 12 au dimanche 13 décembre", "du lundi 30 novembre au mardi 1er décembre",
// "samedi 12 décembre" for one day; the year when it is not `this_year`.
std::string range_title_fr(const DayRange& range, int this_year);

}  // namespace uneplace
