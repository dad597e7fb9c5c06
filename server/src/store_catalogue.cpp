// uneplace server — the catalogue: published, bookable sessions for social workers and admins.
#include <fmt/format.h>

#include "store.hpp"

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
    if (!f.territory.empty()) sql += " AND s.territory = :territory";
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
    if (!f.territory.empty()) q.bind(":territory", f.territory);
    if (!f.category.empty()) q.bind(":category", f.category);
    if (!f.q.empty()) q.bind(":q", like_anywhere(f.q));
    if (f.accessible) q.bind(":acc", static_cast<int>(f.accessible));
    if (after) {
        q.bind(":after_t", after->first);
        q.bind(":after_id", after->second);
    }
    q.bind(":limit", f.limit + 1);  // one more tells whether there is a next page

    CataloguePage page;
    page.as_of = now;
    while (q.executeStep()) {
        page.items.push_back(read_session_view(q));
        page.changes_at = std::min(page.changes_at, page.items.back().info.closes_at);
    }
    if (static_cast<int>(page.items.size()) > f.limit) {
        page.items.pop_back();
        const auto& last = page.items.back().info;
        page.next_cursor = fmt::format("{}.{}", last.start, last.id);
    }
    return page;
}

}  // namespace uneplace::server
