// uneplace shared module — venue local time ⇄ UTC, RFC 3339, French date formatting.
// No system time-zone database (the browser build has none we trust): the rules of DOMAIN.md "Time"
// are written here. Metropolitan France and Corsica: Europe/Paris, UTC+1, UTC+2 from the last
// Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC. 971/972 UTC−4, 973 UTC−3,
// 974 UTC+4, 976 UTC+3, no daylight saving.
//
// Daylight-saving edges, decided once for both sides:
// - Spring forward: local 02:00:00–02:59:59 on the last Sunday of March does not exist. Converting it
//   is refused [nonexistent_local_time], never shifted silently: a partner must pick a real hour.
// - Fall back: local 02:00:00–02:59:59 on the last Sunday of October happens twice. Without an
//   explicit offset the FIRST occurrence (summer time, UTC+2) is taken; writing the offset
//   ("2026-10-25T02:30:00+01:00") selects the second one.
//
// Index of this file:
// [SECTION] Civil calendar (proleptic Gregorian, no <chrono> calendar needed)
// [SECTION] Time zones of the territories
// [SECTION] RFC 3339
// [SECTION] French formatting for people
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Civil calendar
//-----------------------------------------------------------------------------

struct CivilDate {
    int year = 1970;
    int month = 1;  // 1–12
    int day = 1;    // 1–31
    bool operator==(const CivilDate&) const = default;
};
struct CivilDateTime {
    int year = 1970, month = 1, day = 1;
    int hour = 0, minute = 0, second = 0;
    CivilDate date() const { return {year, month, day}; }
    bool operator==(const CivilDateTime&) const = default;
};

// Days since 1970-01-01 of a date, and back (H. Hinnant's algorithms; exact for any int year).
std::int64_t days_from_civil(int year, int month, int day);
CivilDate civil_from_days(std::int64_t days);
// 0 = Sunday … 6 = Saturday.
int weekday_from_days(std::int64_t days);
bool is_leap_year(int year);
int days_in_month(int year, int month);
bool is_valid_civil(const CivilDateTime& t);  // ranges incl. 29 February; seconds 0–59
// Treats the fields as UTC.
UnixSeconds unix_from_civil(const CivilDateTime& t);
CivilDateTime civil_from_unix(UnixSeconds t);
// Last Sunday of a month (used for the EU daylight-saving changes).
int last_sunday(int year, int month);

//-----------------------------------------------------------------------------
// [SECTION] Time zones of the territories
//-----------------------------------------------------------------------------

// Start and end (UTC instants) of summer time in Europe/Paris for a year:
// last Sunday of March 01:00 UTC and last Sunday of October 01:00 UTC.
UnixSeconds paris_summer_start(int year);
UnixSeconds paris_summer_end(int year);

// Offset from UTC in seconds (+3600, +7200, −14400…) of a département at a UTC instant.
// nullopt for an unknown département code.
std::optional<int> utc_offset_at(std::string_view departement, UnixSeconds utc);

// Local civil time of a UTC instant in a département (unknown code: treated as metropolitan).
CivilDateTime to_local(std::string_view departement, UnixSeconds utc);

// Local wall-clock time of a venue → UTC. Refusals: [invalid_territory, "territory"],
// [invalid_datetime, field] (impossible date), [nonexistent_local_time, field] (spring forward gap).
// Doubled hour: first occurrence (see top of file).
Checked<UnixSeconds> local_to_utc(std::string_view departement, const CivilDateTime& local,
                                  std::string_view field = "start_local");

//-----------------------------------------------------------------------------
// [SECTION] RFC 3339
//-----------------------------------------------------------------------------

// "2026-12-05T20:30:00+01:00", "2026-12-05T19:30:00Z", "2026-12-05T20:30:00", "2026-12-05T20:30"
// (seconds optional; 't'/'z'/' ' accepted for 'T'/'Z'; fractional seconds ignored).
struct Rfc3339 {
    CivilDateTime civil;                // as written
    std::optional<int> offset_seconds;  // nullopt when no offset was written ("Z" gives 0)
};
Checked<Rfc3339> parse_rfc3339(std::string_view text, std::string_view field = "start");

// An instant written with an offset or Z [invalid_datetime when missing or malformed].
Checked<UnixSeconds> parse_utc_instant(std::string_view text, std::string_view field = "start");

// The API's `start_local` for a venue: without an offset, the venue's wall-clock time (DST rules
// above); with a numeric offset, it must be the venue's real offset at that instant
// [offset_mismatch, field] — this is how the second 02:30 of an October night is chosen; with "Z",
// an explicit UTC instant, accepted as such.
Checked<UnixSeconds> parse_venue_local(std::string_view departement, std::string_view text,
                                       std::string_view field = "start_local");

// "2026-12-05T19:30:00Z"
std::string format_utc(UnixSeconds utc);
// "2026-12-05T20:30:00+01:00" (the venue's offset at that instant; "+00:00" never used for venues).
std::string format_local(std::string_view departement, UnixSeconds utc);

//-----------------------------------------------------------------------------
// [SECTION] French formatting for people
//-----------------------------------------------------------------------------
// Spaces inside a date or an hour are no-break spaces (U+00A0) so a line never breaks in "20 h 30".

// "sam. 5 déc. 2026" — "1er" for the first day of a month: "dim. 1er nov. 2026".
std::string format_date_fr(std::string_view departement, UnixSeconds utc);
// "20 h 30", "20 h" on the hour, "9 h 05".
std::string format_time_fr(std::string_view departement, UnixSeconds utc);
// "sam. 5 déc. 2026, 20 h 30"
std::string format_datetime_fr(std::string_view departement, UnixSeconds utc);
// "5 déc. 2026 à 20 h 30" (sentence form, e.g. "réservable jusqu’au …").
std::string format_datetime_sentence_fr(std::string_view departement, UnixSeconds utc);
// Abbreviated names: weekday 0 = Sunday ("dim."); month 1–12 ("janv." … "déc.").
std::string_view weekday_abbr_fr(int weekday);
std::string_view month_abbr_fr(int month);

}  // namespace uneplace
