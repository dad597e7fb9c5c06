// uneplace server — what admins read: impact figures (computed by the shared module), the
// bookings export (P2: pseudonymous references only), the audit log, a consistency check.
//
// Index of this file:
// [SECTION] Impact figures
// [SECTION] Bookings export (CSV, shared/csv.hpp's dialect)
// [SECTION] Audit log
// [SECTION] Consistency check
#include <fmt/format.h>

#include "store.hpp"
#include "uneplace/csv.hpp"
#include "uneplace/local_time.hpp"

namespace uneplace::server {

using nlohmann::json;

//-----------------------------------------------------------------------------
// [SECTION] Impact figures
//-----------------------------------------------------------------------------

std::vector<ImpactRow> impact_stats(App& app, const Actor& admin, const ImpactQuery& q) {
    if (!q.territory.empty() && !admin.sees_territory(q.territory)) fail("forbidden", "territory");
    auto& c = app.db.conn();
    // Sessions of offers that were published at some point: the places actually donated.
    std::string where = " WHERE s.start_at >= :from AND s.start_at < :to AND o.published_at IS NOT NULL" +
                        admin_scope_sql(admin, "v.territory");
    if (!q.territory.empty()) where += " AND v.territory = :territory";
    auto bind = [&](SQLite::Statement& st) {
        st.bind(":from", q.from);
        st.bind(":to", q.to);
        if (!q.territory.empty()) st.bind(":territory", q.territory);
    };
    std::vector<ImpactSession> sessions;
    {
        SQLite::Statement st(c, "SELECT s.id, o.partner_id, v.territory, o.category, s.start_at, s.capacity, s.status"
                                " FROM sessions s JOIN offers o ON o.id = s.offer_id JOIN venues v ON v.id = o.venue_id" + where);
        bind(st);
        while (st.executeStep()) {
            ImpactSession is;
            is.session_id = st.getColumn(0).getInt64();
            is.partner_id = st.getColumn(1).getInt64();
            is.territory = st.getColumn(2).getString();
            is.category = from_code<Category>(st.getColumn(3).getString()).value_or(Category::Theatre);
            is.start = st.getColumn(4).getInt64();
            is.capacity = st.getColumn(5).getInt();
            is.status = from_code<SessionStatus>(st.getColumn(6).getString()).value_or(SessionStatus::Cancelled);
            sessions.push_back(std::move(is));
        }
    }
    auto read_bookings = [&](SQLite::Statement& st, std::vector<ImpactBooking>& out) {
        while (st.executeStep()) {
            auto status = from_code<BookingStatus>(st.getColumn(6).getString());
            if (!status) continue;  // requests (waitlisted, expired…) are not bookings
            ImpactBooking b;
            b.booking_id = st.getColumn(0).getInt64();
            b.session_id = st.getColumn(1).getInt64();
            b.structure_id = st.getColumn(2).getInt64();
            b.beneficiary_id = st.getColumn(3).getInt64();
            b.session_start = st.getColumn(4).getInt64();
            b.places = st.getColumn(5).getInt();
            b.status = *status;
            b.attended_count = st.getColumn(7).getInt();
            b.from_waitlist = st.getColumn(8).getString() == "waitlist";
            if (!st.getColumn(9).isNull()) b.rating = st.getColumn(9).getInt();
            out.push_back(b);
        }
    };
    const char* kBookingCols =
        "SELECT b.id, b.session_id, b.structure_id, b.beneficiary_id, s.start_at, b.places, b.status,"
        " COALESCE(b.attended_count, 0), b.origin, f.rating FROM bookings b JOIN sessions s ON s.id = b.session_id"
        " JOIN offers o ON o.id = s.offer_id JOIN venues v ON v.id = o.venue_id"
        " LEFT JOIN feedback f ON f.booking_id = b.id";
    std::vector<ImpactBooking> bookings, history;
    {
        SQLite::Statement st(c, std::string(kBookingCols) + where);
        bind(st);
        read_bookings(st, bookings);
    }
    {
        // First-timers need the outings of the 365 days before the period, wherever they were.
        SQLite::Statement st(c, std::string(kBookingCols) +
                                    " WHERE b.status = 'attended' AND s.start_at >= :hfrom AND s.start_at < :to");
        st.bind(":hfrom", q.from - limits::kHistoryWindow);
        st.bind(":to", q.to);
        read_bookings(st, history);
    }
    return impact_figures(sessions, bookings, history, q);
}

//-----------------------------------------------------------------------------
// [SECTION] Bookings export
//-----------------------------------------------------------------------------

namespace {
// French words for the export's codes (shared/csv.hpp: French values in every export).
std::string status_fr(const std::string& code) {
    if (auto b = from_code<BookingStatus>(code)) return std::string(label_fr(*b));
    if (auto r = from_code<RequestStatus>(code)) return std::string(label_fr(*r));
    return code;
}
std::string category_fr(const std::string& code) {
    if (auto c = from_code<Category>(code)) return std::string(label_fr(*c));
    return code;
}
std::string origin_fr(const std::string& code) {
    if (code == "waitlist") return "liste d’attente";
    if (code == "ballot") return "tirage au sort";
    return "directe";
}
}  // namespace

std::string export_bookings_csv(App& app, const Actor& admin, std::optional<UnixSeconds> from,
                                std::optional<UnixSeconds> to, const std::string& territory) {
    if (!territory.empty() && !admin.sees_territory(territory)) fail("forbidden", "territory");
    std::string sql =
        "SELECT b.id, b.code, b.status, b.places, b.attended_count, s.start_at, v.territory, o.title, o.category,"
        " p.name, v.name, v.city, so.name, e.reference, b.origin, b.created_at"
        " FROM bookings b JOIN sessions s ON s.id = b.session_id JOIN offers o ON o.id = s.offer_id"
        " JOIN venues v ON v.id = o.venue_id JOIN organisations p ON p.id = o.partner_id"
        " JOIN organisations so ON so.id = b.structure_id JOIN beneficiaries e ON e.id = b.beneficiary_id"
        " WHERE s.start_at >= :from AND s.start_at < :to" + admin_scope_sql(admin, "v.territory");
    if (!territory.empty()) sql += " AND v.territory = :territory";
    sql += " ORDER BY s.start_at, b.id";
    SQLite::Statement q(app.db.conn(), sql);
    q.bind(":from", from.value_or(0));
    q.bind(":to", to.value_or(INT64_MAX));
    if (!territory.empty()) q.bind(":territory", territory);
    std::string out(kCsvBom);
    out += csv_row({"Réservation", "Code", "Statut", "Places", "Présents", "Date (heure du lieu)", "Département",
                    "Spectacle", "Catégorie", "Partenaire", "Lieu", "Ville", "Structure", "Référence bénéficiaire",
                    "Origine", "Créée le"});
    while (q.executeStep()) {
        const std::string terr = q.getColumn(6).getString();
        // P2: the beneficiary appears only by its pseudonymous reference, never by name.
        out += csv_row({
            std::to_string(q.getColumn(0).getInt64()),
            q.getColumn(1).isNull() ? "" : q.getColumn(1).getString(),
            status_fr(q.getColumn(2).getString()),
            std::to_string(q.getColumn(3).getInt()),
            q.getColumn(4).isNull() ? "" : std::to_string(q.getColumn(4).getInt()),
            csv_datetime(terr, q.getColumn(5).getInt64()),
            terr,
            q.getColumn(7).getString(),
            category_fr(q.getColumn(8).getString()),
            q.getColumn(9).getString(),
            q.getColumn(10).getString(),
            q.getColumn(11).getString(),
            q.getColumn(12).getString(),
            q.getColumn(13).getString(),
            origin_fr(q.getColumn(14).getString()),
            csv_datetime(terr, q.getColumn(15).getInt64()),
        });
    }
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Audit log
//-----------------------------------------------------------------------------

Page<AuditEntry> list_audit(App& app, const Actor& admin, const AuditFilter& f, const PageRequest& page) {
    // The log spans every territory and names accounts: national admins only.
    if (!admin.national()) fail("forbidden");
    const Id before = page.cursor.empty() ? INT64_MAX : cursor_id(page);
    std::string sql = "SELECT id, at, actor_user_id, action, entity, entity_id, before, after, redacted FROM audit_log"
                      " WHERE id < :before";
    if (!f.entity.empty()) sql += " AND entity = :entity";
    if (!f.action.empty()) sql += " AND action = :action";
    if (f.entity_id) sql += " AND entity_id = :entity_id";
    sql += " ORDER BY id DESC LIMIT :limit";
    SQLite::Statement q(app.db.conn(), sql);
    q.bind(":before", before);
    if (!f.entity.empty()) q.bind(":entity", f.entity);
    if (!f.action.empty()) q.bind(":action", f.action);
    if (f.entity_id) q.bind(":entity_id", *f.entity_id);
    q.bind(":limit", page.limit + 1);
    return read_page<AuditEntry>(q, page.limit, [](SQLite::Statement& row) {
        AuditEntry e;
        e.id = row.getColumn(0).getInt64();
        e.at = row.getColumn(1).getInt64();
        e.actor_user_id = opt_int(row.getColumn(2));
        e.action = row.getColumn(3).getString();
        e.entity = row.getColumn(4).getString();
        e.entity_id = opt_int(row.getColumn(5));
        e.before = row.getColumn(6).isNull() ? json(nullptr) : json::parse(row.getColumn(6).getString(), nullptr, false);
        e.after = row.getColumn(7).isNull() ? json(nullptr) : json::parse(row.getColumn(7).getString(), nullptr, false);
        e.redacted = row.getColumn(8).getInt() != 0;
        return e;
    });
}

//-----------------------------------------------------------------------------
// [SECTION] Consistency check
//-----------------------------------------------------------------------------

std::vector<ConsistencyIssue> consistency_check(App& app) {
    // Summed from the bookings, not read from the counter: this is the check of the counter too.
    SQLite::Statement q(app.db.conn(),
        "SELECT s.id, s.capacity, s.places_held,"
        " (SELECT COALESCE(SUM(b.places), 0) FROM bookings b WHERE b.session_id = s.id"
        "  AND b.status IN ('confirmed', 'attended', 'no_show')) AS held"
        " FROM sessions s WHERE held > s.capacity OR held <> s.places_held");
    std::vector<ConsistencyIssue> out;
    while (q.executeStep())
        out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt(), q.getColumn(3).getInt(), q.getColumn(2).getInt()});
    return out;
}

}  // namespace uneplace::server
