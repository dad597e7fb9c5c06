// uneplace server — the catalogue: published, bookable sessions for social workers and admins.
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>

#include "store.hpp"
#include "uneplace/geography.hpp"

namespace uneplace::server {

namespace {
// LIKE pattern matching `text` literally anywhere (escapes %, _ and the escape character).
std::string like_anywhere(std::string_view text) {
    std::string out = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    out += '%';
    return out;
}

// Cursor: the (start, id) of the last item, as text. Opaque to clients, checked on the way back in.
std::optional<std::pair<UnixSeconds, Id>> parse_cursor(const std::string& c) {
    long long t = 0, id = 0;
    char tail = 0;
    if (std::sscanf(c.c_str(), "%lld.%lld%c", &t, &id, &tail) != 2) return std::nullopt;
    return std::make_pair(static_cast<UnixSeconds>(t), static_cast<Id>(id));
}

// Where: the départements territory=, region= and near= all allow (each one given narrows the
// set), or nullopt when none is given. An empty set means no session can match.
std::optional<std::vector<std::string_view>> allowed_departements(const CatalogueFilter& f) {
    std::optional<std::vector<std::string_view>> set;
    auto narrow = [&](std::vector<std::string_view> allowed) {
        std::sort(allowed.begin(), allowed.end());
        if (!set) {
            set = std::move(allowed);
            return;
        }
        std::vector<std::string_view> both;
        std::set_intersection(set->begin(), set->end(), allowed.begin(), allowed.end(), std::back_inserter(both));
        set = std::move(both);
    };
    if (!f.territory.empty()) narrow({f.territory});
    if (!f.region.empty()) {
        const Region* r = find_region(f.region);
        narrow(r ? std::vector<std::string_view>(r->departements.begin(), r->departements.end())
                 : std::vector<std::string_view>{});
    }
    if (!f.near.empty()) narrow(departements_near(f.near));
    return set;
}
}  // namespace

CataloguePage list_catalogue(App& app, const Actor& /*actor*/, const CatalogueFilter& f) {
    const UnixSeconds now = app.now();
    std::string sql = std::string(kSessionViewSelect) +
                      // The session row's own copies of the catalogue keys (migration 5): the planner picks one
                      // of the sessions_listed indexes, whose condition is exactly the first two terms.
                      " WHERE s.offer_published = 1 AND s.status = 'scheduled' AND s.closes_at > :now"
                      // Implied by the schema (closes_at <= start_at - 2 h) but said, so SQLite can narrow the
                      // sessions by their start index: the past year of sessions is never read.
                      " AND s.start_at > :earliest_start";
    if (f.from) sql += " AND s.start_at >= :from";
    if (f.to) sql += " AND s.start_at < :to";
    // One département keeps the plan of sessions_listed_by_territory; several are a list of them
    // (one statement kept per list length: at most 13, Occitanie).
    const auto departements = allowed_departements(f);
    if (departements && departements->size() == 1) sql += " AND s.territory = :territory";
    if (departements && departements->empty()) sql += " AND 0";
    if (departements && departements->size() > 1) {
        sql += " AND s.territory IN (";
        for (size_t i = 0; i < departements->size(); ++i) sql += fmt::format("{}:territory{}", i ? ", " : "", i);
        sql += ")";
    }
    if (!f.category.empty()) sql += " AND s.category = :category";
    if (!f.q.empty())
        sql += " AND (o.title LIKE :q ESCAPE '\\' OR o.description LIKE :q ESCAPE '\\' OR v.name LIKE :q ESCAPE '\\'"
               " OR v.city LIKE :q ESCAPE '\\' OR p.name LIKE :q ESCAPE '\\')";
    if (f.accessible) sql += " AND ((o.accessibility | v.accessibility) & :acc) = :acc";
    if (f.available_only) sql += " AND s.capacity > s.places_held";
    std::optional<std::pair<UnixSeconds, Id>> after;
    if (!f.cursor.empty()) {
        after = parse_cursor(f.cursor);
        if (!after) fail("validation", "cursor");
        sql += " AND (s.start_at, s.id) > (:after_t, :after_id)";
    }
    sql += " ORDER BY s.start_at, s.id LIMIT :limit";

    // Kept with the thread's connection, one per shape of filters (a few dozen at most): a page is
    // then bound and stepped, never parsed and planned again.
    KeptStatement kept(app.db.conn(), sql.c_str());
    SQLite::Statement& q = *kept;
    q.bind(":now", now);
    q.bind(":earliest_start", now + limits::kLatestCloseBeforeStart);
    if (f.from) q.bind(":from", *f.from);
    if (f.to) q.bind(":to", *f.to);
    if (departements && departements->size() == 1) q.bind(":territory", std::string(departements->front()));
    if (departements && departements->size() > 1)
        for (size_t i = 0; i < departements->size(); ++i)
            q.bind(fmt::format(":territory{}", i), std::string((*departements)[i]));
    if (!f.category.empty()) q.bind(":category", f.category);
    if (!f.q.empty()) q.bind(":q", like_anywhere(f.q));
    if (f.accessible) q.bind(":acc", static_cast<int>(f.accessible));
    if (after) {
        q.bind(":after_t", after->first);
        q.bind(":after_id", after->second);
    }
    // For one person, rows that do not fit their household are stepped over: the statement is
    // stepped until the page is full, never read to its end.
    q.bind(":limit", f.fits_beneficiary ? std::numeric_limits<int>::max() : f.limit + 1);
    std::optional<BookingSnapshot> person;
    Household household;
    std::map<std::string, TerritorySettings> settings;  // by the session's territory
    if (f.fits_beneficiary) {
        auto& c = app.db.conn();
        person.emplace();
        person->now = now;
        load_person(c, *person, *f.fits_beneficiary);
        household = load_household(c, *f.fits_beneficiary);
    }

    CataloguePage page;
    page.as_of = now;
    while (static_cast<int>(page.items.size()) <= f.limit && q.executeStep()) {
        SessionView row = read_session_view(q);
        if (person) {
            auto known = settings.find(row.info.territory);
            if (known == settings.end())
                known = settings.emplace(row.info.territory, load_settings(app.db.conn(), row.info.territory)).first;
            person->session = row.info;
            person->settings = known->second;
            if (!fits_household(*person, household).fits) continue;
        }
        page.items.push_back(std::move(row));
        page.changes_at = std::min(page.changes_at, page.items.back().info.closes_at);
    }
    // A person's page also changes with time alone when one of their outings starts (R7 counts
    // upcoming ones) or a pause ends (R8): kept a minute at most.
    if (person) page.changes_at = std::min(page.changes_at, now + kMinute);
    if (static_cast<int>(page.items.size()) > f.limit) {
        page.items.pop_back();
        const auto& last = page.items.back().info;
        page.next_cursor = fmt::format("{}.{}", last.start, last.id);
    }
    return page;
}

}  // namespace uneplace::server
