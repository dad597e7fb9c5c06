// uneplace shared module — impact figures (definitions in impact.hpp).
// Ordered containers only (std::map, sorted vectors): the report must come out in the same order
// natively and in the browser.
//
// Index of this file:
// [SECTION] Grouping keys
// [SECTION] Figures
// [SECTION] Formatting for people
#include "uneplace/impact.hpp"

#include <algorithm>
#include <map>

#include "uneplace/local_time.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Grouping keys
//-----------------------------------------------------------------------------

std::optional<ImpactGroupBy> impact_group_by_from_code(std::string_view code) {
    if (code.empty() || code == "none") return ImpactGroupBy::None;
    if (code == "month") return ImpactGroupBy::Month;
    if (code == "territory") return ImpactGroupBy::Territory;
    if (code == "category") return ImpactGroupBy::Category;
    if (code == "partner") return ImpactGroupBy::Partner;
    if (code == "structure") return ImpactGroupBy::Structure;
    return std::nullopt;
}

namespace {

std::string two_digits(int v) { return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)}; }

// Key of a session's group (Structure grouping keys bookings, not sessions: handled by the caller).
std::string session_key(const ImpactSession& s, ImpactGroupBy by) {
    switch (by) {
        case ImpactGroupBy::None:
        case ImpactGroupBy::Structure: return {};
        case ImpactGroupBy::Month: {
            const CivilDateTime c = to_local(s.territory, s.start);
            return std::to_string(c.year) + "-" + two_digits(c.month);
        }
        case ImpactGroupBy::Territory: return s.territory;
        case ImpactGroupBy::Category: return std::string(to_code(s.category));
        case ImpactGroupBy::Partner: return std::to_string(s.partner_id);
    }
    return {};
}

struct Accumulator {
    ImpactFigures f;
    std::map<Id, UnixSeconds> first_start_by_beneficiary;  // for unique beneficiaries and first-timers
    std::int64_t rating_sum = 0;
};

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Figures
//-----------------------------------------------------------------------------

int permille(std::int64_t numerator, std::int64_t denominator) {
    if (denominator <= 0) return 0;
    return static_cast<int>((numerator * 1000 * 2 + denominator) / (denominator * 2));  // half up
}

std::vector<ImpactRow> impact_figures(std::span<const ImpactSession> sessions, std::span<const ImpactBooking> bookings,
                                      std::span<const ImpactBooking> history, const ImpactQuery& query) {
    // Sessions in scope, looked up by id through a sorted vector.
    std::vector<std::pair<Id, const ImpactSession*>> in_scope;
    for (const auto& s : sessions) {
        if (s.status != SessionStatus::Scheduled || s.start < query.from || s.start >= query.to) continue;
        if (!query.territory.empty() && s.territory != query.territory) continue;
        in_scope.emplace_back(s.session_id, &s);
    }
    std::sort(in_scope.begin(), in_scope.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    auto find_session = [&](Id id) -> const ImpactSession* {
        auto it =
            std::lower_bound(in_scope.begin(), in_scope.end(), id, [](const auto& p, Id v) { return p.first < v; });
        return it != in_scope.end() && it->first == id ? it->second : nullptr;
    };

    std::map<std::string, Accumulator> groups;
    if (query.group_by == ImpactGroupBy::None) groups[""];
    if (query.group_by != ImpactGroupBy::Structure)
        for (const auto& [id, s] : in_scope) groups[session_key(*s, query.group_by)].f.places_donated += s->capacity;

    for (const auto& b : bookings) {
        const ImpactSession* s = find_session(b.session_id);
        if (!s) continue;
        Accumulator& a = groups[query.group_by == ImpactGroupBy::Structure ? std::to_string(b.structure_id)
                                                                           : session_key(*s, query.group_by)];
        if (holds_places(b.status)) {
            a.f.bookings += 1;
            a.f.places_booked += b.places;
            if (b.from_waitlist) a.f.waitlist_served += 1;
            auto [it, inserted] = a.first_start_by_beneficiary.emplace(b.beneficiary_id, s->start);
            if (!inserted) it->second = std::min(it->second, s->start);
        }
        if (b.status == BookingStatus::Attended) {
            a.f.attended_bookings += 1;
            a.f.people_attended += b.attended_count;
        }
        if (b.status == BookingStatus::NoShow) a.f.no_show_bookings += 1;
        if (b.status == BookingStatus::LateCancelled) a.f.late_cancellations += 1;
        if (b.rating && holds_places(b.status)) {
            a.f.ratings_count += 1;
            a.rating_sum += *b.rating;
        }
    }

    // Attended outings per beneficiary, from both inputs, sorted: "was there one in the 365 days before?"
    std::vector<std::pair<Id, UnixSeconds>> outings;
    for (auto rows : {bookings, history})
        for (const auto& b : rows)
            if (b.status == BookingStatus::Attended) outings.emplace_back(b.beneficiary_id, b.session_start);
    std::sort(outings.begin(), outings.end());
    auto had_outing_before = [&](Id beneficiary, UnixSeconds start) {
        // Any outing with start − 365 d ≤ t < start.
        auto it = std::lower_bound(outings.begin(), outings.end(),
                                   std::make_pair(beneficiary, start - limits::kHistoryWindow));
        return it != outings.end() && it->first == beneficiary && it->second < start;
    };

    std::vector<ImpactRow> rows;
    rows.reserve(groups.size());
    for (auto& [key, a] : groups) {
        ImpactFigures& f = a.f;
        f.unique_beneficiaries = static_cast<std::int64_t>(a.first_start_by_beneficiary.size());
        for (const auto& [beneficiary, start] : a.first_start_by_beneficiary)
            if (!had_outing_before(beneficiary, start)) f.first_timers += 1;
        f.usage_permille = permille(f.people_attended, f.places_donated);
        f.no_show_permille = permille(f.no_show_bookings, f.attended_bookings + f.no_show_bookings);
        if (f.ratings_count > 0)
            f.average_rating_x10 = static_cast<int>((a.rating_sum * 10 * 2 + f.ratings_count) / (f.ratings_count * 2));
        rows.push_back({key, f});
    }
    return rows;
}

//-----------------------------------------------------------------------------
// [SECTION] Formatting for people
//-----------------------------------------------------------------------------

std::string format_tenths_fr(int tenths) {
    std::string out = tenths < 0 ? "-" : "";
    const int a = tenths < 0 ? -tenths : tenths;
    out += std::to_string(a / 10) + "," + std::to_string(a % 10);
    return out;
}

std::string format_permille_fr(int pm) { return format_tenths_fr(pm) + "\u00A0%"; }

std::string format_count_fr(std::int64_t n) {
    const bool negative = n < 0;
    std::string digits = std::to_string(negative ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u00A0";
        out.push_back(digits[i]);
    }
    return negative ? "-" + out : out;
}

}  // namespace uneplace
