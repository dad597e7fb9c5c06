// uneplace shared module — venue local time ⇄ UTC, RFC 3339, French dates (contract in local_time.hpp).
//
// Index of this file:
// [SECTION] Helpers
// [SECTION] Civil calendar
// [SECTION] Time zones of the territories
// [SECTION] RFC 3339
// [SECTION] French formatting for people
#include "uneplace/local_time.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Helpers
//-----------------------------------------------------------------------------

namespace {

Refusal refuse(std::string_view code, std::string_view field) { return Refusal{std::string(code), std::string(field)}; }

// Integer formatting by hand: no locale, no printf differences between libc and the browser's libc.
void append_int(std::string& out, long long v, int width = 0) {
    if (v < 0) {
        out.push_back('-');
        v = -v;
    }
    char buf[24];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0);
    for (int k = n; k < width; ++k) out.push_back('0');
    while (n > 0) out.push_back(buf[--n]);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

// Fixed offset of an overseas département, nullopt for metropolitan ones (daylight saving).
struct Zone {
    bool known = false;
    bool paris = false;
    int fixed_offset = 0;
};
Zone zone_of(std::string_view dep) {
    if (dep == "971" || dep == "972") return {true, false, -4 * 3600};
    if (dep == "973") return {true, false, -3 * 3600};
    if (dep == "974") return {true, false, 4 * 3600};
    if (dep == "976") return {true, false, 3 * 3600};
    if (is_departement_code(dep)) return {true, true, 0};
    return {};
}

int paris_offset_at(UnixSeconds utc) {
    const int year = civil_from_unix(utc).year;
    return (utc >= paris_summer_start(year) && utc < paris_summer_end(year)) ? 7200 : 3600;
}

const char* const kWeekdays[] = {"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."};
const char* const kMonths[] = {"janv.", "févr.", "mars",  "avr.", "mai",  "juin",
                               "juil.", "août",  "sept.", "oct.", "nov.", "déc."};
constexpr std::string_view kNbsp = "\u00A0";

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Civil calendar
//-----------------------------------------------------------------------------

std::int64_t days_from_civil(int year, int month, int day) {
    const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
    const std::int64_t era = floor_div(y, 400);
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = month > 2 ? month - 3 : month + 9;
    const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = floor_div(z, 146097);
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
    return {y, m, d};
}

int weekday_from_days(std::int64_t days) {
    // 1970-01-01 was a Thursday (4).
    return static_cast<int>(((days % 7) + 7 + 4) % 7);
}

bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

bool is_valid_civil(const CivilDateTime& t) {
    return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= days_in_month(t.year, t.month) && t.hour >= 0 &&
           t.hour <= 23 && t.minute >= 0 && t.minute <= 59 && t.second >= 0 && t.second <= 59;
}

UnixSeconds unix_from_civil(const CivilDateTime& t) {
    return days_from_civil(t.year, t.month, t.day) * kDay + t.hour * kHour + t.minute * kMinute + t.second;
}

CivilDateTime civil_from_unix(UnixSeconds t) {
    const std::int64_t days = floor_div(t, kDay);
    const std::int64_t secs = t - days * kDay;
    const CivilDate d = civil_from_days(days);
    return {d.year,
            d.month,
            d.day,
            static_cast<int>(secs / 3600),
            static_cast<int>(secs / 60 % 60),
            static_cast<int>(secs % 60)};
}

int last_sunday(int year, int month) {
    const int last = days_in_month(year, month);
    return last - weekday_from_days(days_from_civil(year, month, last));
}

//-----------------------------------------------------------------------------
// [SECTION] Time zones of the territories
//-----------------------------------------------------------------------------

UnixSeconds paris_summer_start(int year) { return unix_from_civil({year, 3, last_sunday(year, 3), 1, 0, 0}); }
UnixSeconds paris_summer_end(int year) { return unix_from_civil({year, 10, last_sunday(year, 10), 1, 0, 0}); }

std::optional<int> utc_offset_at(std::string_view departement, UnixSeconds utc) {
    const Zone z = zone_of(departement);
    if (!z.known) return std::nullopt;
    return z.paris ? paris_offset_at(utc) : z.fixed_offset;
}

CivilDateTime to_local(std::string_view departement, UnixSeconds utc) {
    return civil_from_unix(utc + utc_offset_at(departement, utc).value_or(paris_offset_at(utc)));
}

Checked<UnixSeconds> local_to_utc(std::string_view departement, const CivilDateTime& local, std::string_view field) {
    Checked<UnixSeconds> out;
    const Zone z = zone_of(departement);
    if (!z.known) {
        out.refusal = refuse("invalid_territory", "territory");
        return out;
    }
    if (!is_valid_civil(local)) {
        out.refusal = refuse("invalid_datetime", field);
        return out;
    }
    const UnixSeconds wall = unix_from_civil(local);
    if (!z.paris) {
        out.value = wall - z.fixed_offset;
        return out;
    }
    // Try both Paris offsets; keep those that the rule confirms at the resulting instant.
    const UnixSeconds as_summer = wall - 7200, as_winter = wall - 3600;
    const bool summer_ok = paris_offset_at(as_summer) == 7200;
    const bool winter_ok = paris_offset_at(as_winter) == 3600;
    if (summer_ok) out.value = as_summer;  // doubled October hour: the first occurrence (summer time)
    else if (winter_ok) out.value = as_winter;
    else out.refusal = refuse("nonexistent_local_time", field);  // March gap
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] RFC 3339
//-----------------------------------------------------------------------------

namespace {
// Reads exactly n digits at s[i].
bool read_digits(std::string_view s, std::size_t& i, int n, int& value) {
    if (i + static_cast<std::size_t>(n) > s.size()) return false;
    value = 0;
    for (int k = 0; k < n; ++k) {
        const char c = s[i + static_cast<std::size_t>(k)];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    i += static_cast<std::size_t>(n);
    return true;
}
bool expect(std::string_view s, std::size_t& i, char c) {
    if (i < s.size() && s[i] == c) {
        ++i;
        return true;
    }
    return false;
}
}  // namespace

Checked<Rfc3339> parse_rfc3339(std::string_view s, std::string_view field) {
    Checked<Rfc3339> out;
    auto fail = [&] {
        out.refusal = refuse("invalid_datetime", field);
        return out;
    };
    CivilDateTime& c = out.value.civil;
    std::size_t i = 0;
    if (!read_digits(s, i, 4, c.year) || !expect(s, i, '-') || !read_digits(s, i, 2, c.month) || !expect(s, i, '-') ||
        !read_digits(s, i, 2, c.day))
        return fail();
    if (i >= s.size() || (s[i] != 'T' && s[i] != 't' && s[i] != ' ')) return fail();
    ++i;
    if (!read_digits(s, i, 2, c.hour) || !expect(s, i, ':') || !read_digits(s, i, 2, c.minute)) return fail();
    c.second = 0;
    if (expect(s, i, ':')) {
        if (!read_digits(s, i, 2, c.second)) return fail();
        if (expect(s, i, '.')) {  // fractional seconds: read and dropped (whole seconds everywhere)
            const std::size_t start = i;
            while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
            if (i == start) return fail();
        }
    }
    if (i < s.size()) {
        if (s[i] == 'Z' || s[i] == 'z') {
            ++i;
            out.value.offset_seconds = 0;
        } else if (s[i] == '+' || s[i] == '-') {
            const int sign = s[i] == '-' ? -1 : 1;
            ++i;
            int oh = 0, om = 0;
            if (!read_digits(s, i, 2, oh)) return fail();
            expect(s, i, ':');  // "+0100" accepted too
            if (!read_digits(s, i, 2, om) || oh > 23 || om > 59) return fail();
            out.value.offset_seconds = sign * (oh * 3600 + om * 60);
        }
    }
    if (i != s.size() || !is_valid_civil(c)) return fail();
    return out;
}

namespace {
// The instants the API takes: from 1970-01-02 to 9999-12-30 UTC. Outside, an instant has no
// four-digit year in some time zone ("0000-01-01T01:30+04:00" is year 0 in UTC), so it could not
// be written back as it was read (found by tests/fuzz/fuzz_time.cpp).
bool instant_in_range(UnixSeconds utc) {
    return utc >= unix_from_civil({1970, 1, 2, 0, 0, 0}) && utc <= unix_from_civil({9999, 12, 30, 0, 0, 0});
}

Checked<UnixSeconds> parse_venue_local_any(std::string_view departement, std::string_view text, std::string_view field);
}  // namespace

Checked<UnixSeconds> parse_utc_instant(std::string_view text, std::string_view field) {
    Checked<UnixSeconds> out;
    const auto p = parse_rfc3339(text, field);
    if (!p.ok() || !p.value.offset_seconds) {
        out.refusal = refuse("invalid_datetime", field);
        return out;
    }
    out.value = unix_from_civil(p.value.civil) - *p.value.offset_seconds;
    if (!instant_in_range(out.value)) out.refusal = refuse("invalid_datetime", field);
    return out;
}

Checked<UnixSeconds> parse_venue_local(std::string_view departement, std::string_view text, std::string_view field) {
    Checked<UnixSeconds> out = parse_venue_local_any(departement, text, field);
    if (out.ok() && !instant_in_range(out.value)) out.refusal = refuse("invalid_datetime", field);
    return out;
}

namespace {
Checked<UnixSeconds> parse_venue_local_any(std::string_view departement, std::string_view text,
                                           std::string_view field) {
    Checked<UnixSeconds> out;
    const auto p = parse_rfc3339(text, field);
    if (!p.ok()) {
        out.refusal = p.refusal;
        return out;
    }
    if (!p.value.offset_seconds) return local_to_utc(departement, p.value.civil, field);
    const auto offset_ok = utc_offset_at(departement, 0);
    if (!offset_ok) {
        out.refusal = refuse("invalid_territory", "territory");
        return out;
    }
    const UnixSeconds utc = unix_from_civil(p.value.civil) - *p.value.offset_seconds;
    // "Z" names an instant outright; a numeric offset claims to be the venue's and must be right.
    const bool is_z = text.back() == 'Z' || text.back() == 'z';
    if (!is_z && *utc_offset_at(departement, utc) != *p.value.offset_seconds) {
        out.refusal = refuse("offset_mismatch", field);
        return out;
    }
    out.value = utc;
    return out;
}
}  // namespace

std::string format_utc(UnixSeconds utc) {
    const CivilDateTime c = civil_from_unix(utc);
    std::string out;
    append_int(out, c.year, 4);
    out.push_back('-');
    append_int(out, c.month, 2);
    out.push_back('-');
    append_int(out, c.day, 2);
    out.push_back('T');
    append_int(out, c.hour, 2);
    out.push_back(':');
    append_int(out, c.minute, 2);
    out.push_back(':');
    append_int(out, c.second, 2);
    out.push_back('Z');
    return out;
}

std::string format_local(std::string_view departement, UnixSeconds utc) {
    const int offset = utc_offset_at(departement, utc).value_or(paris_offset_at(utc));
    std::string out = format_utc(utc + offset);
    out.pop_back();  // the 'Z'
    out.push_back(offset < 0 ? '-' : '+');
    const int a = offset < 0 ? -offset : offset;
    append_int(out, a / 3600, 2);
    out.push_back(':');
    append_int(out, a / 60 % 60, 2);
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] French formatting for people
//-----------------------------------------------------------------------------

std::string_view weekday_abbr_fr(int weekday) { return weekday >= 0 && weekday <= 6 ? kWeekdays[weekday] : ""; }
std::string_view month_abbr_fr(int month) { return month >= 1 && month <= 12 ? kMonths[month - 1] : ""; }

namespace {
// "5 déc. 2026", "1er nov. 2026"
void append_day_month_year(std::string& out, const CivilDateTime& c) {
    append_int(out, c.day);
    if (c.day == 1) out += "er";
    out += kNbsp;
    out += month_abbr_fr(c.month);
    out += kNbsp;
    append_int(out, c.year);
}
void append_time(std::string& out, const CivilDateTime& c) {
    append_int(out, c.hour);
    out += kNbsp;
    out += "h";
    if (c.minute != 0) {
        out += kNbsp;
        append_int(out, c.minute, 2);
    }
}
}  // namespace

std::string format_date_fr(std::string_view departement, UnixSeconds utc) {
    const CivilDateTime c = to_local(departement, utc);
    std::string out(weekday_abbr_fr(weekday_from_days(days_from_civil(c.year, c.month, c.day))));
    out += kNbsp;
    append_day_month_year(out, c);
    return out;
}

std::string format_time_fr(std::string_view departement, UnixSeconds utc) {
    std::string out;
    append_time(out, to_local(departement, utc));
    return out;
}

std::string format_datetime_fr(std::string_view departement, UnixSeconds utc) {
    return format_date_fr(departement, utc) + ", " + format_time_fr(departement, utc);
}

std::string format_datetime_sentence_fr(std::string_view departement, UnixSeconds utc) {
    const CivilDateTime c = to_local(departement, utc);
    std::string out;
    append_day_month_year(out, c);
    out += " à ";
    append_time(out, c);
    return out;
}

}  // namespace uneplace
