// uneplace shared module — weekends, ranges of days, month grids, French names (calendar.hpp).
//
// Index of this file:
// [SECTION] Ranges of days
// [SECTION] Month grid
// [SECTION] French names

#include "uneplace/calendar.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Ranges of days
//-----------------------------------------------------------------------------

namespace {
std::int64_t day_number(CivilDate d) { return days_from_civil(d.year, d.month, d.day); }
}  // namespace

CivilDate add_days(CivilDate day, int days) { return civil_from_days(day_number(day) + days); }

int weekday_monday_first(CivilDate day) { return (weekday_from_days(day_number(day)) + 6) % 7; }

DayRange this_weekend(CivilDate today) {
    const int weekday = weekday_monday_first(today);  // Saturday 5, Sunday 6
    const CivilDate sunday = add_days(today, 6 - weekday);
    return {weekday >= 5 ? today : add_days(today, 5 - weekday), sunday};
}

DayRange next_weekend(CivilDate today) {
    const CivilDate sunday = this_weekend(today).last;
    return {add_days(sunday, 6), add_days(sunday, 7)};
}

bool operator<(const CivilDate& a, const CivilDate& b) { return day_number(a) < day_number(b); }

DayRange ordered(CivilDate a, CivilDate b) { return b < a ? DayRange{b, a} : DayRange{a, b}; }

bool contains(const DayRange& range, CivilDate day) { return !(day < range.first) && !(range.last < day); }

std::optional<std::pair<UnixSeconds, UnixSeconds>> range_instants(std::string_view departement, const DayRange& range) {
    const CivilDate after = add_days(range.last, 1);
    // Midnight exists every day in every territory (France changes its clocks at 2 h and 3 h).
    const auto from = local_to_utc(departement, {range.first.year, range.first.month, range.first.day, 0, 0, 0});
    const auto to = local_to_utc(departement, {after.year, after.month, after.day, 0, 0, 0});
    if (!from.ok() || !to.ok()) return std::nullopt;
    return std::make_pair(from.value, to.value);
}

//-----------------------------------------------------------------------------
// [SECTION] Month grid
//-----------------------------------------------------------------------------

MonthGrid month_grid(int year, int month) {
    MonthGrid g;
    g.year = year;
    g.month = month;
    const CivilDate first{year, month, 1};
    const CivilDate monday = add_days(first, -weekday_monday_first(first));
    for (int i = 0; i < 42; ++i) g.days[static_cast<std::size_t>(i)] = add_days(monday, i);
    return g;
}

void step_month(int& year, int& month, int by) {
    const int index = year * 12 + (month - 1) + by;
    year = index / 12;
    month = index % 12 + 1;
}

//-----------------------------------------------------------------------------
// [SECTION] French names
//-----------------------------------------------------------------------------

namespace {
constexpr std::string_view kMonthNames[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                            "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
constexpr std::string_view kWeekdayNames[] = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"};
constexpr std::string_view kWeekdayInitials[] = {"L", "M", "M", "J", "V", "S", "D"};

// "12 décembre", "1er mars"
std::string day_and_month(CivilDate d, bool with_month) {
    std::string out = std::to_string(d.day) + (d.day == 1 ? "er" : "");
    if (with_month) out += " " + std::string(month_name_fr(d.month));
    return out;
}
}  // namespace

std::string_view month_name_fr(int month) { return month >= 1 && month <= 12 ? kMonthNames[month - 1] : ""; }
std::string_view weekday_name_monday_first_fr(int weekday) {
    return weekday >= 0 && weekday <= 6 ? kWeekdayNames[weekday] : "";
}
std::string_view weekday_initial_fr(int weekday) {
    return weekday >= 0 && weekday <= 6 ? kWeekdayInitials[weekday] : "";
}

std::string month_title_fr(int year, int month) {
    return std::string(month_name_fr(month)) + " " + std::to_string(year);
}

std::string day_title_fr(CivilDate day) {
    return std::string(weekday_name_monday_first_fr(weekday_monday_first(day))) + " " + day_and_month(day, true);
}

std::string range_title_fr(const DayRange& range, int this_year) {
    auto year = [&](CivilDate d) { return d.year == this_year ? std::string() : " " + std::to_string(d.year); };
    if (range.first == range.last) return day_title_fr(range.first) + year(range.first);
    const bool same_month = range.first.year == range.last.year && range.first.month == range.last.month;
    const bool same_year = range.first.year == range.last.year;
    std::string out = "du " + std::string(weekday_name_monday_first_fr(weekday_monday_first(range.first))) + " " +
                      day_and_month(range.first, !same_month) + (same_year ? "" : year(range.first));
    out += " au " + day_title_fr(range.last) + year(range.last);
    return out;
}

}  // namespace uneplace
