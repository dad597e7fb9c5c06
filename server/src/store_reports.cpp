// uneplace server — what admins read: impact figures (computed by the shared module), the
// bookings export (P2: pseudonymous references only), the audit log, a consistency check, the
// settings' what-if and the impact report's words and figures.
//
// Index of this file:
// [SECTION] Impact figures
// [SECTION] Bookings export (CSV, shared/csv.hpp's dialect)
// [SECTION] Audit log
// [SECTION] Consistency check
// [SECTION] Settings what-if (issue 17, part 3)
// [SECTION] Impact report (issue 17, part 2)
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "store.hpp"
#include "uneplace/allocation.hpp"
#include "uneplace/csv.hpp"
#include "uneplace/local_time.hpp"

namespace uneplace::server {

using nlohmann::json;

//-----------------------------------------------------------------------------
// [SECTION] Impact figures
//-----------------------------------------------------------------------------

namespace {

// The dashboard's reads, for every figure of impact_figures(): the sessions `where` selects (over
// s, o, v), their bookings, and the history first-timers need. `bind` binds where's parameters.
// `{territory}` in `where` is the session's territory for sessions and the booking's own for
// bookings (migration 9: a booking counts where it was made, even if its venue moved since).
template <class Bind>
std::vector<ImpactRow> impact_rows(SQLite::Database& c, const std::string& where_template, Bind bind,
                                   const ImpactQuery& q) {
    const auto where_for = [&](const char* column) {
        std::string w = where_template;
        for (std::size_t at; (at = w.find("{territory}")) != std::string::npos;) w.replace(at, 11, column);
        return w;
    };
    std::vector<ImpactSession> sessions;
    {
        SQLite::Statement st(c,
                             "SELECT s.id, o.partner_id, s.territory, o.category, s.start_at, s.capacity, s.status"
                             " FROM sessions s JOIN offers o ON o.id = s.offer_id JOIN venues v ON v.id = o.venue_id" +
                                 where_for("s.territory"));
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
        SQLite::Statement st(c, std::string(kBookingCols) + where_for("b.territory"));
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

}  // namespace

std::vector<ImpactRow> impact_stats(App& app, const Actor& admin, const ImpactQuery& q) {
    if (!q.territory.empty() && !admin.sees_territory(q.territory)) fail("forbidden", "territory");
    // Sessions of offers that were published at some point: the places actually donated.
    std::string where = " WHERE s.start_at >= :from AND s.start_at < :to AND o.published_at IS NOT NULL" +
                        admin_scope_sql(admin, "{territory}");
    if (!q.territory.empty()) where += " AND {territory} = :territory";
    return impact_rows(
        app.db.conn(), where,
        [&](SQLite::Statement& st) {
            st.bind(":from", q.from);
            st.bind(":to", q.to);
            if (!q.territory.empty()) st.bind(":territory", q.territory);
        },
        q);
}

ImpactFigures session_impact(SQLite::Database& c, Id session_id) {
    const ImpactQuery all_time;
    auto rows = impact_rows(
        c, " WHERE s.id = :session AND o.published_at IS NOT NULL",
        [&](SQLite::Statement& st) { st.bind(":session", session_id); }, all_time);
    return rows.empty() ? ImpactFigures{} : rows.front().figures;
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
        "SELECT b.id, b.code, b.status, b.places, b.attended_count, s.start_at, b.territory, o.title, o.category,"
        " p.name, v.name, v.city, so.name, e.reference, b.origin, b.created_at"
        " FROM bookings b JOIN sessions s ON s.id = b.session_id JOIN offers o ON o.id = s.offer_id"
        " JOIN venues v ON v.id = o.venue_id JOIN organisations p ON p.id = o.partner_id"
        " JOIN organisations so ON so.id = b.structure_id JOIN beneficiaries e ON e.id = b.beneficiary_id"
        " WHERE s.start_at >= :from AND s.start_at < :to" +
        admin_scope_sql(admin, "b.territory");
    if (!territory.empty()) sql += " AND b.territory = :territory";
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
        e.before =
            row.getColumn(6).isNull() ? json(nullptr) : json::parse(row.getColumn(6).getString(), nullptr, false);
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
    SQLite::Statement q(app.db.conn(), "SELECT s.id, s.capacity, s.places_held,"
                                       " (SELECT COALESCE(SUM(b.places), 0) FROM bookings b WHERE b.session_id = s.id"
                                       "  AND b.status IN ('confirmed', 'attended', 'no_show')) AS held"
                                       " FROM sessions s WHERE held > s.capacity OR held <> s.places_held");
    std::vector<ConsistencyIssue> out;
    while (q.executeStep())
        out.push_back(
            {q.getColumn(0).getInt64(), q.getColumn(1).getInt(), q.getColumn(3).getInt(), q.getColumn(2).getInt()});
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Settings what-if
//-----------------------------------------------------------------------------

namespace {

// The M2 reminder of the scheduler (store_jobs.cpp: start − 72 h): not a territory setting yet.
constexpr int kCurrentReminderHours = 72;

// The simulation's parameters that are settings: the rest keep their defaults (bench/SIMULATION.md).
sim::Params params_of(const TerritorySettings& s, int reminder_hours) {
    sim::Params p;
    p.share_percent = s.share_percent;
    p.release_hours = s.release_hours_before_close;
    p.pause_no_shows = s.no_show_limit;
    p.pause_window_days = s.no_show_window_days;
    p.pause_days = s.pause_days;
    p.max_upcoming = s.max_upcoming_bookings;
    p.reminder_hours = reminder_hours;
    return p;
}

}  // namespace

// The territory's sessions that started in the last 12 months, and every request made for them
// (bookings, waitlist and ballot entries alike: each was a social worker's wish), at the instant
// it was made. What each person did is read from the row, so that a replay under the current
// settings follows what happened: attended → comes (a missing companion if fewer came), no-show →
// silent, cancelled → cancels at the instant it did. Wishes that never became a booking (waited in
// vain, lost a draw) have no known outcome: their behaviour is drawn, seeded by the territory.
SettingsWhatIf settings_what_if(App& app, const Actor& admin, const std::string& territory,
                                const TerritorySettings& proposed, std::optional<int> proposed_reminder_hours) {
    if (auto r = validate_territory(territory, "territory")) fail_status(404, "not_found");
    if (!admin.sees_territory(territory)) fail("not_found");
    fail_first(validate_settings(proposed));
    // M2 must come before closes_at (start − 24 h by default), and within a month of the start.
    const int reminder_hours = proposed_reminder_hours.value_or(kCurrentReminderHours);
    if (reminder_hours < 25 || reminder_hours > 720) fail("validation", "reminder_hours");

    SettingsWhatIf out;
    out.territory = territory;
    out.to = app.now();
    out.from = out.to - 365 * kDay;
    out.current = load_settings(app.db.conn(), territory);
    out.proposed = proposed;
    out.current_reminder_hours = kCurrentReminderHours;
    out.proposed_reminder_hours = reminder_hours;

    sim::World w;
    std::uint64_t territory_key = 0;  // a seed of the territory's code, the same on every build
    for (unsigned char ch : territory) territory_key = territory_key * 131 + ch;
    w.seed = splitmix64(territory_key);
    w.year_start = out.from;
    w.year_end = out.to;
    const auto deps = all_departements();
    int departement = 0;
    for (std::size_t i = 0; i < deps.size(); ++i)
        if (deps[i].code == territory) departement = static_cast<int>(i);

    auto& c = app.db.conn();
    std::map<Id, std::uint32_t> session_index, structure_index, beneficiary_index;
    {
        SQLite::Statement st(
            c, "SELECT s.id, s.start_at, s.duration_min, s.capacity, s.max_per_booking,"
               " COALESCE(s.opens_at, o.published_at, s.created_at), s.closes_at, s.allocation, s.draw_at, o.category"
               " FROM sessions s JOIN offers o ON o.id = s.offer_id JOIN venues v ON v.id = o.venue_id"
               " WHERE v.territory = ? AND s.start_at >= ? AND s.start_at < ? AND s.status = 'scheduled'"
               " AND o.published_at IS NOT NULL ORDER BY s.id");
        st.bind(1, territory);
        st.bind(2, out.from);
        st.bind(3, out.to);
        while (st.executeStep()) {
            sim::SimSession s;
            s.id = st.getColumn(0).getInt64();
            s.departement = departement;
            s.start = st.getColumn(1).getInt64();
            s.duration_min = st.getColumn(2).getInt();
            s.capacity = st.getColumn(3).getInt();
            s.max_per_booking = st.getColumn(4).getInt();
            s.opens_at = st.getColumn(5).getInt64();
            s.closes_at = st.getColumn(6).getInt64();
            s.popular_ballot = st.getColumn(7).getString() == "ballot" && !st.getColumn(8).isNull();
            if (s.popular_ballot) s.draw_at = st.getColumn(8).getInt64();
            s.category = from_code<Category>(st.getColumn(9).getString()).value_or(Category::Theatre);
            session_index[s.id] = static_cast<std::uint32_t>(w.sessions.size());
            w.sessions.push_back(s);
        }
    }
    const sim::Params defaults;
    std::uint64_t draws = w.seed;
    auto unit = [&] { return static_cast<float>(static_cast<double>(splitmix64(draws++) >> 11) * 0x1.0p-53); };
    {
        SQLite::Statement st(
            c,
            "SELECT b.session_id, b.structure_id, b.beneficiary_id, b.places, b.status, COALESCE(b.attended_count, 0),"
            " b.requested_at, b.ended_at, s.start_at"
            " FROM bookings b JOIN sessions s ON s.id = b.session_id JOIN offers o ON o.id = s.offer_id"
            " JOIN venues v ON v.id = o.venue_id"
            " WHERE v.territory = ? AND s.start_at >= ? AND s.start_at < ? AND s.status = 'scheduled'"
            " ORDER BY b.requested_at, b.id");
        st.bind(1, territory);
        st.bind(2, out.from);
        st.bind(3, out.to);
        while (st.executeStep()) {
            const auto session = session_index.find(st.getColumn(0).getInt64());
            if (session == session_index.end()) continue;  // offer never published
            const Id structure_id = st.getColumn(1).getInt64(), beneficiary_id = st.getColumn(2).getInt64();
            auto [si, new_structure] =
                structure_index.emplace(structure_id, static_cast<std::uint32_t>(w.structures.size()));
            if (new_structure) w.structures.push_back({structure_id, departement, 0, 0, 0});
            auto [bi, new_person] =
                beneficiary_index.emplace(beneficiary_id, static_cast<std::uint32_t>(w.beneficiaries.size()));
            if (new_person) {
                sim::SimBeneficiary b;
                b.structure = si->second;
                b.drop = defaults.drop_reliable;
                w.beneficiaries.push_back(b);
                ++w.structures[si->second].beneficiary_count;
            }
            sim::SimRequest r;
            r.session = session->second;
            r.structure = si->second;
            r.beneficiary = bi->second;
            r.places = st.getColumn(3).getInt();
            r.at = st.getColumn(6).getInt64();
            w.beneficiaries[r.beneficiary].household = std::max(w.beneficiaries[r.beneficiary].household, r.places);
            const std::string status = st.getColumn(4).getString();
            const int attended = st.getColumn(5).getInt();
            const UnixSeconds start = st.getColumn(8).getInt64();
            // Drawn first, then overridden by what the row tells: the same draws whatever the row says.
            r.u_drop = unit(), r.u_cancel = unit(), r.u_cancel_time = unit(), r.u_forgot = unit(),
            r.u_reminder = unit(), r.u_companion = unit();
            if (status == "attended" ||
                status == "confirmed") {  // confirmed after the start: unrecorded, taken as came
                r.u_drop = 1.0f;
                r.u_companion = attended > 0 && attended < r.places ? 0.0f : 1.0f;
            } else if (status == "no_show") {
                r.u_drop = 0.0f;
                r.u_cancel = 1.0f;  // silent
            } else if (status == "cancelled" || status == "late_cancelled") {
                r.u_drop = 0.0f;
                r.u_cancel = 0.0f;
                const UnixSeconds ended = st.getColumn(7).isNull() ? start : st.getColumn(7).getInt64();
                r.u_cancel_time =
                    start > r.at
                        ? static_cast<float>(std::clamp(
                              static_cast<double>(ended - r.at) / static_cast<double>(start - r.at), 0.0, 0.999))
                        : 0.0f;
            }
            w.requests.push_back(r);
        }
    }
    out.sessions = static_cast<std::int64_t>(w.sessions.size());
    out.requests = static_cast<std::int64_t>(w.requests.size());
    sim::Policy rules;  // default-constructed: every rule on, as "uneplace"
    rules.name = "uneplace";
    out.current_figures = sim::run_policy(w, params_of(out.current, out.current_reminder_hours), rules);
    out.proposed_figures = sim::run_policy(w, params_of(proposed, reminder_hours), rules);
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Impact report
//-----------------------------------------------------------------------------

namespace {

// The rules' simulated effect printed in every report: a small national year, always the same one.
constexpr std::uint64_t kReportSimulationSeed = 1;
constexpr double kReportSimulationScale = 0.01;

constexpr std::array<float, 3> kDonatedRgb{0.62f, 0.68f, 0.80f}, kUsedRgb{0.16f, 0.22f, 0.45f},
    kFirstRgb{0.80f, 0.20f, 0.40f}, kUsageRgb{0.18f, 0.55f, 0.34f};

// "05/12/2026": the UTC day of an instant (the period's bounds are days at 00:00 UTC).
std::string day_fr(UnixSeconds t) {
    const CivilDate d = civil_from_days(t >= 0 ? t / kDay : (t - kDay + 1) / kDay);
    return fmt::format("{:02}/{:02}/{:04}", d.day, d.month, d.year);
}

// "1 234 places" / "1 place" (French: 0 and 1 take the singular).
std::string count_of(std::int64_t n, const char* one, const char* many) {
    return format_count_fr(n) + "\u00A0" + (n <= 1 ? one : many);
}

std::string ratio_fr(double ratio) { return format_permille_fr(static_cast<int>(std::llround(ratio * 1000))); }

// 0.4931 → "0,49"
std::string hundredths_fr(double v) {
    std::string s = fmt::format("{:.2f}", v);
    std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

// "Paris (75)"
std::string departement_fr(std::string_view code) {
    return std::string(departement_name(code)) + " (" + std::string(code) + ")";
}

// Every month of [from, to), "2026-12" → its figures, a month without a session at zero. Rows are
// keyed by the venue's local month, which may be one past the UTC bounds (a session at 23:30 UTC
// on 31 January is in February in Paris): those months are kept too.
std::vector<ImpactRow> months_of(const ImpactQuery& q, const std::vector<ImpactRow>& rows) {
    std::map<std::string, ImpactFigures> known;
    for (const auto& r : rows) known[r.key] = r.figures;
    CivilDate first = civil_from_days(q.from / kDay), last = civil_from_days((q.to - 1) / kDay);
    auto month_of = [](const std::string& key) {
        return CivilDate{std::atoi(key.substr(0, 4).c_str()), std::atoi(key.substr(5, 2).c_str()), 1};
    };
    auto before = [](const CivilDate& a, const CivilDate& b) {
        return a.year < b.year || (a.year == b.year && a.month < b.month);
    };
    if (!known.empty()) {
        if (before(month_of(known.begin()->first), first)) first = month_of(known.begin()->first);
        if (before(last, month_of(known.rbegin()->first))) last = month_of(known.rbegin()->first);
    }
    std::vector<ImpactRow> out;
    for (int y = first.year, m = first.month; y < last.year || (y == last.year && m <= last.month);) {
        ImpactRow r;
        r.key = fmt::format("{:04}-{:02}", y, m);
        if (auto it = known.find(r.key); it != known.end()) r.figures = it->second;
        out.push_back(std::move(r));
        if (++m > 12) m = 1, ++y;
    }
    return out;
}

// "2026-12" → "déc. 26"
std::string month_fr(const std::string& key) {
    return std::string(month_abbr_fr(std::atoi(key.substr(5, 2).c_str()))) + " " + key.substr(2, 2);
}

}  // namespace

ImpactReportPdf impact_report_for(App& app, const Actor& admin, const ImpactQuery& period) {
    ImpactQuery q = period;
    q.group_by = ImpactGroupBy::None;
    const ImpactFigures t = impact_stats(app, admin, q).front().figures;  // None: always one row
    q.group_by = ImpactGroupBy::Month;
    const std::vector<ImpactRow> months = months_of(q, impact_stats(app, admin, q));
    q.group_by = ImpactGroupBy::Category;
    std::vector<ImpactRow> categories = impact_stats(app, admin, q);
    q.group_by = ImpactGroupBy::Territory;
    const std::vector<ImpactRow> departements = impact_stats(app, admin, q);

    ImpactReportPdf r;
    r.title = "Bilan d’impact";
    if (!q.territory.empty()) r.scope = departement_fr(q.territory);
    else if (admin.national()) r.scope = "Tous les territoires";
    else {
        r.scope = admin.territories.size() > 1 ? "Territoires\u00A0: " : "Territoire\u00A0: ";
        for (std::size_t i = 0; i < admin.territories.size(); ++i)
            r.scope += (i ? ", " : "") + departement_fr(admin.territories[i]);
    }
    r.period = "Du " + day_fr(q.from) + " au " + day_fr(q.to - 1) + " inclus";
    r.made_on = "Édité le " + day_fr(app.now());

    r.figures = {
        {"Places données par les partenaires", format_count_fr(t.places_donated)},
        {"Places réservées par les travailleurs sociaux", format_count_fr(t.places_booked)},
        {"Places utilisées (personnes venues)", format_count_fr(t.people_attended)},
        {"Taux d’utilisation (places utilisées ÷ places données)", format_permille_fr(t.usage_permille)},
        {"Bénéficiaires (personnes distinctes)", format_count_fr(t.unique_beneficiaries)},
        {"Premières sorties (aucune sortie dans l’année d’avant)", format_count_fr(t.first_timers)},
        {"Taux d’absence (réservations pointées)", format_permille_fr(t.no_show_permille)},
        {"Annulations tardives", format_count_fr(t.late_cancellations)},
        {"Réservations servies par la liste d’attente", format_count_fr(t.waitlist_served)},
        {"Note moyenne des sorties (" + count_of(t.ratings_count, "avis", "avis") + ")",
         t.ratings_count ? format_tenths_fr(t.average_rating_x10) + "\u00A0/\u00A05" : std::string("—")},
    };
    r.summary = fmt::format(
        "Sur la période, les partenaires ont donné {}. Places utilisées (personnes venues)\u00A0: {}, soit un taux "
        "d’utilisation de {}\u00A0; le programme partait d’environ 40\u00A0%. Bénéficiaires\u00A0: {}, dont {} "
        "pour une première sortie depuis au moins un an.",
        count_of(t.places_donated, "place", "places"), format_count_fr(t.people_attended),
        format_permille_fr(t.usage_permille),
        count_of(t.unique_beneficiaries, "personne différente", "personnes différentes"),
        format_count_fr(t.first_timers));

    r.usage_by_month.title = "Taux d’utilisation par mois";
    r.usage_by_month.series = {{"taux d’utilisation", kUsageRgb}};
    r.usage_by_month.percent = true;
    r.usage_by_month.reference = 40;
    r.usage_by_month.reference_label = "40\u00A0%\u00A0: le point de départ du programme";
    r.first_timers_by_month.title = "Bénéficiaires et premières sorties, par mois";
    r.first_timers_by_month.series = {{"bénéficiaires", kDonatedRgb}, {"premières sorties", kFirstRgb}};
    for (const auto& m : months) {
        const ImpactFigures& f = m.figures;
        r.usage_by_month.bars.push_back({month_fr(m.key),
                                         {f.usage_permille / 10.0},
                                         f.places_donated ? format_permille_fr(f.usage_permille) : std::string()});
        r.first_timers_by_month.bars.push_back(
            {month_fr(m.key),
             {static_cast<double>(f.unique_beneficiaries), static_cast<double>(f.first_timers)},
             f.first_timers ? format_count_fr(f.first_timers) : std::string()});
    }

    // Categories by outings, the most first.
    std::stable_sort(categories.begin(), categories.end(), [](const ImpactRow& a, const ImpactRow& b) {
        return a.figures.people_attended > b.figures.people_attended;
    });
    r.outings_by_category.title = "Sorties par catégorie";
    r.outings_by_category.series = {{"places données", kDonatedRgb}, {"places utilisées", kUsedRgb}};
    for (const auto& c : categories) {
        const auto category = from_code<Category>(c.key);
        r.outings_by_category.bars.push_back(
            {category ? std::string(label_fr(*category)) : c.key,
             {static_cast<double>(c.figures.places_donated), static_cast<double>(c.figures.people_attended)},
             count_of(c.figures.people_attended, "sortie", "sorties") + " · " +
                 format_permille_fr(c.figures.usage_permille)});
    }

    r.by_departement.title = "Par département";
    r.by_departement.header = {"Département",         "Places\ndonnées", "Places\nutilisées",
                               "Taux\nd’utilisation", "Bénéficiaires",   "Premières\nsorties"};
    r.by_departement.widths = {3.2f, 1.4f, 1.4f, 1.5f, 1.4f, 1.5f};
    r.by_departement.empty = "Aucune séance sur la période.";
    auto line = [](std::string label, const ImpactFigures& f) {
        return std::vector<std::string>{std::move(label),
                                        format_count_fr(f.places_donated),
                                        format_count_fr(f.people_attended),
                                        format_permille_fr(f.usage_permille),
                                        format_count_fr(f.unique_beneficiaries),
                                        format_count_fr(f.first_timers)};
    };
    for (const auto& d : departements)
        r.by_departement.rows.push_back(line(d.key + " " + std::string(departement_name(d.key)), d.figures));
    // A person who went out in two départements is counted in each: the total is the report's own.
    if (departements.size() > 1) r.by_departement.rows.push_back(line("Total", t));

    // The rules' simulated effect, with the settings this report's territory (or the nation) runs.
    const TerritorySettings settings = load_settings(app.db.conn(), q.territory.empty() ? "*" : q.territory);
    const auto policies = sim::standard_policies();
    const sim::Report sim = sim::simulate(params_of(settings, kCurrentReminderHours), kReportSimulationSeed,
                                          kReportSimulationScale, policies);
    const sim::PolicyFigures* fcfs = nullptr;
    const sim::PolicyFigures* rules = nullptr;
    for (const auto& [policy, figures] : sim.policies) {
        if (policy.name == "fcfs") fcfs = &figures;
        if (policy.name == "uneplace") rules = &figures;
    }
    r.simulation_title = "Effet simulé des règles de répartition";
    r.simulation_text = fmt::format(
        "Une estimation, non une mesure\u00A0: une année du programme national simulée à 1\u00A0% de sa taille "
        "({}, {} demandes, graine {}, hypothèses décrites dans bench/SIMULATION.md), avec les réglages {} (part "
        "maximale d’une structure {}\u00A0%, rappel {}\u00A0h avant la sortie). La même demande est rejouée sans "
        "règle («\u00A0premier arrivé, premier servi\u00A0»), avec les règles d’une place, puis sans chacune "
        "d’elles. Résultat\u00A0: un taux d’utilisation de {} avec les règles contre {} sans règle. Les valeurs "
        "dépendent surtout de la demande par place donnée et de la part de personnes qui ne viennent pas. Places "
        "perdues\u00A0: données mais pas utilisées. Inégalité des sorties entre les personnes qui en ont "
        "demandé\u00A0: "
        "0 si chacune sort autant, 1 si une seule sort.",
        count_of(fcfs ? fcfs->places_donated : 0, "place", "places"), format_count_fr(sim.requests),
        kReportSimulationSeed, q.territory.empty() ? std::string("nationaux") : "de " + departement_fr(q.territory),
        settings.share_percent, kCurrentReminderHours, ratio_fr(rules ? rules->usage_ratio : 0),
        ratio_fr(fcfs ? fcfs->usage_ratio : 0));
    r.simulation.header = {"Politique simulée", "Taux\nd’utilisation", "Places\nperdues", "Premières\nsorties (part)",
                           "Inégalité\n(Gini)"};
    r.simulation.widths = {3.2f, 1.3f, 1.2f, 2.0f, 1.1f};
    for (const auto& [policy, f] : sim.policies)
        r.simulation.rows.push_back({policy.label_fr, ratio_fr(f.usage_ratio), format_count_fr(f.wasted.total()),
                                     ratio_fr(f.first_timer_share), hundredths_fr(f.gini_outings_per_beneficiary)});

    r.notes = {
        "Période\u00A0: une séance y compte par sa date de début (jours de " + day_fr(q.from) + " à " +
            day_fr(q.to - 1) +
            ", 0\u00A0h UTC), mois à l’heure du lieu. Les chiffres sont ceux du tableau de bord "
            "Impact, calculés par le même code.",
        "Places données\u00A0: capacité des séances des offres publiées\u00A0; une séance annulée ne donne aucune "
        "place. Places utilisées\u00A0: personnes venues, pointées à l’accueil par le partenaire. Une séance à "
        "venir, ou pas encore pointée, compte déjà dans les places données mais pas encore dans les places "
        "utilisées.",
        "Taux d’utilisation\u00A0: places utilisées ÷ places données, le chiffre que le programme suit depuis ses "
        "débuts (environ 40\u00A0%\u00A0: 150\u00A0000 sorties pour 360\u00A0000 invitations en 2016).",
        "Bénéficiaires\u00A0: personnes distinctes dont une réservation tient des places, comptées par une "
        "référence anonyme (règle P2)\u00A0: aucun nom ne figure dans ce bilan. Premières sorties\u00A0: celles qui "
        "n’avaient aucune sortie pointée dans les 365 jours avant leur première séance de la période. Une "
        "personne sortie dans deux départements compte dans chacun.",
        "Taux d’absence\u00A0: réservations où personne n’est venu ÷ réservations pointées. Annulations "
        "tardives\u00A0: annulées après la clôture des réservations (règle C1), quand la place ne peut plus "
        "être redonnée.",
    };
    return r;
}

}  // namespace uneplace::server
