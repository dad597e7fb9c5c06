// uneplace server — the social-worker side and the booking engine: snapshots for the shared
// rules, the booking decision in one BEGIN IMMEDIATE transaction, cancellation, waitlist serving,
// feedback, beneficiaries and notifications.
//
// Index of this file:
// [SECTION] Booking engine: snapshots, codes, waitlist serving
// [SECTION] Beneficiaries
// [SECTION] Bookings: read
// [SECTION] Bookings: create (the decision)
// [SECTION] Bookings: cancel, feedback
// [SECTION] Notifications
#include <sodium.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <thread>

#include "auth.hpp"
#include "store.hpp"
#include "uneplace/allocation.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/french.hpp"
#include "uneplace/local_time.hpp"

namespace uneplace::server {

using nlohmann::json;

//-----------------------------------------------------------------------------
// [SECTION] Booking engine
//-----------------------------------------------------------------------------

uneplace::Actor rules_actor(const Actor& a) {
    uneplace::Actor r;
    r.user_id = a.user_id;
    r.role = a.role;
    r.user_status = a.user_status;
    r.organisation_status = a.organisation_status.value_or(AccountStatus::Active);
    r.organisation_id = a.organisation_id.value_or(0);
    return r;
}

uneplace::Actor load_rules_actor(SQLite::Database& conn, Id user_id) { return rules_actor(load_actor(conn, user_id)); }

int attended_last_365(SQLite::Database& conn, Id beneficiary_id, UnixSeconds now) {
    SQLite::Statement q(conn,
                        "SELECT COUNT(*) FROM bookings b JOIN sessions s ON s.id = b.session_id"
                        " WHERE b.beneficiary_id = ? AND b.status = 'attended' AND s.start_at >= ? AND s.start_at < ?");
    q.bind(1, beneficiary_id);
    q.bind(2, now - limits::kHistoryWindow);
    q.bind(3, now);
    q.executeStep();
    return q.getColumn(0).getInt();
}

void load_person(SQLite::Database& c, BookingSnapshot& snap, Id beneficiary_id, std::optional<Id> ignore_request) {
    const Id ignore = ignore_request.value_or(0);
    {
        KeptStatement kept(c, "SELECT structure_id, birth_year, pause_lifted_at FROM beneficiaries WHERE id = ?");
        SQLite::Statement& q = *kept;
        q.bind(1, beneficiary_id);
        if (!q.executeStep()) fail("not_found", "beneficiary_id");
        snap.beneficiary.id = beneficiary_id;
        snap.beneficiary.structure_id = q.getColumn(0).getInt64();
        if (!q.getColumn(1).isNull()) snap.beneficiary.birth_year = q.getColumn(1).getInt();
        snap.beneficiary.pause_lifted_at = q.getColumn(2).isNull() ? 0 : q.getColumn(2).getInt64();
    }
    {
        KeptStatement kept(c, "SELECT s.start_at FROM bookings b JOIN sessions s ON s.id = b.session_id"
                              " WHERE b.beneficiary_id = ? AND b.status = 'no_show'");
        SQLite::Statement& q = *kept;
        q.bind(1, beneficiary_id);
        while (q.executeStep()) snap.beneficiary.no_show_times.push_back(q.getColumn(0).getInt64());
    }
    {
        KeptStatement kept(c,
                           "SELECT b.id, b.session_id, s.start_at, s.start_at + s.duration_min * 60, b.status, o.title"
                           " FROM bookings b JOIN sessions s ON s.id = b.session_id JOIN offers o ON o.id = s.offer_id"
                           " WHERE b.beneficiary_id = ? AND b.status IN ('confirmed', 'attended') AND b.id <> ?");
        SQLite::Statement& q = *kept;
        q.bind(1, beneficiary_id);
        q.bind(2, ignore);
        while (q.executeStep())
            snap.beneficiary_bookings.push_back(
                {q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64(),
                 q.getColumn(3).getInt64(),
                 from_code<BookingStatus>(q.getColumn(4).getString()).value_or(BookingStatus::Confirmed),
                 q.getColumn(5).getString()});
    }
    {
        KeptStatement kept(c, "SELECT session_id FROM bookings WHERE beneficiary_id = ?"
                              " AND status IN ('waitlisted', 'ballot_entered') AND id <> ?");
        SQLite::Statement& q = *kept;
        q.bind(1, beneficiary_id);
        q.bind(2, ignore);
        while (q.executeStep()) snap.beneficiary_requests.push_back(q.getColumn(0).getInt64());
    }
}

BookingSnapshot load_booking_snapshot(SQLite::Database& c, const SessionView& session, const uneplace::Actor& actor,
                                      Id beneficiary_id, int places, UnixSeconds now,
                                      std::optional<Id> ignore_request) {
    BookingSnapshot snap;
    snap.now = now;
    snap.actor = actor;
    snap.session = session.info;
    snap.places = places;
    snap.places_held = session.places_held;
    snap.settings = load_settings(c, session.info.territory);
    load_person(c, snap, beneficiary_id, ignore_request);
    {
        KeptStatement kept(c, "SELECT COALESCE(SUM(places), 0) FROM bookings WHERE session_id = ? AND structure_id = ?"
                              " AND status IN ('confirmed', 'attended', 'no_show')");
        SQLite::Statement& q = *kept;
        q.bind(1, session.info.id);
        q.bind(2, actor.organisation_id);
        q.executeStep();
        snap.structure_places_held = q.getColumn(0).getInt();
    }
    return snap;
}

std::string new_booking_code(SQLite::Database& conn) {
    for (int attempt = 0; attempt < 20; ++attempt) {
        std::array<std::uint8_t, 7> bytes{};
        randombytes_buf(bytes.data(), bytes.size());
        std::string code = make_booking_code(std::span<const std::uint8_t, 7>(bytes));
        KeptStatement kept(conn, "SELECT 1 FROM bookings WHERE code = ?");
        SQLite::Statement& q = *kept;
        q.bind(1, code);
        if (!q.executeStep()) return code;
    }
    // 32^7 ≈ 34 billion codes: twenty collisions in a row means something else is wrong.
    throw std::runtime_error("could not draw a free booking code");
}

std::string guest_words(SQLite::Database& c, Id beneficiary_id) {
    KeptStatement kept(c, "SELECT first_name, last_name, reference FROM beneficiaries WHERE id = ?");
    SQLite::Statement& q = *kept;
    q.bind(1, beneficiary_id);
    if (!q.executeStep()) return "";
    if (q.getColumn(0).isNull()) return q.getColumn(2).getString();
    return guest_display_name(q.getColumn(0).getString(), q.getColumn(1).getString());
}

std::string session_words(const SessionView& s) {
    return fmt::format("{} du {}", quote_fr(s.title), format_datetime_sentence_fr(s.info.territory, s.info.start));
}

std::vector<StructurePlaces> held_places_by_structure(SQLite::Database& c, Id session_id) {
    std::vector<StructurePlaces> held;
    SQLite::Statement q(c, "SELECT structure_id, SUM(places) FROM bookings WHERE session_id = ?"
                           " AND status IN ('confirmed', 'attended', 'no_show') GROUP BY structure_id");
    q.bind(1, session_id);
    while (q.executeStep()) held.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt()});
    return held;
}

bool request_still_eligible(SQLite::Database& c, const SessionView& s, Id worker, Id beneficiary_id, int places,
                            UnixSeconds now, Id request_id) {
    const BookingSnapshot snap =
        load_booking_snapshot(c, s, load_rules_actor(c, worker), beneficiary_id, places, now, request_id);
    return !check_request_without_scarcity(snap).has_value();
}

int serve_session_waitlist(SQLite::Database& c, Id session_id, UnixSeconds now, std::optional<Id> actor_user_id) {
    auto s = find_session(c, session_id);
    if (!s) return 0;
    const TerritorySettings settings = load_settings(c, s->info.territory);
    struct Row {
        WaitlistEntry entry;
        Id worker;
    };
    std::vector<Row> rows;
    {
        SQLite::Statement q(
            c, "SELECT id, structure_id, beneficiary_id, places, COALESCE(waitlisted_at, requested_at),"
               " waitlist_rank, social_worker_id FROM bookings WHERE session_id = ? AND status = 'waitlisted'");
        q.bind(1, session_id);
        while (q.executeStep()) {
            Row r;
            r.entry.id = q.getColumn(0).getInt64();
            r.entry.structure_id = q.getColumn(1).getInt64();
            r.entry.beneficiary_id = q.getColumn(2).getInt64();
            r.entry.places = q.getColumn(3).getInt();
            r.entry.entered_at = q.getColumn(4).getInt64();
            r.entry.rank = q.getColumn(5).getInt64();
            r.worker = q.getColumn(6).getInt64();
            rows.push_back(r);
        }
    }
    if (rows.empty()) return 0;
    if (now < s->info.closes_at && s->info.status == SessionStatus::Scheduled) {
        for (Row& r : rows) {
            r.entry.attended_last_365 = attended_last_365(c, r.entry.beneficiary_id, now);
            r.entry.eligible =
                request_still_eligible(c, *s, r.worker, r.entry.beneficiary_id, r.entry.places, now, r.entry.id);
        }
    }
    std::vector<WaitlistEntry> entries;
    for (const Row& r : rows) entries.push_back(r.entry);
    const WaitlistServing result =
        serve_waitlist(s->info, entries, held_places_by_structure(c, session_id), settings, now);

    auto worker_of = [&](Id id) {
        for (const Row& r : rows)
            if (r.entry.id == id) return r;
        return Row{};
    };
    for (Id id : result.served) {
        const Row r = worker_of(id);
        const std::string code = new_booking_code(c);
        SQLite::Statement up(
            c, "UPDATE bookings SET status = 'confirmed', origin = 'waitlist', code = ?, confirmed_at = ?,"
               " updated_at = ? WHERE id = ? AND status = 'waitlisted'");
        up.bind(1, code);
        up.bind(2, now);
        up.bind(3, now);
        up.bind(4, id);
        up.exec();
        audit(c, now, actor_user_id, "booking.waitlist_served", "booking", id, json{{"status", "waitlisted"}},
              json{{"status", "confirmed"}, {"code", code}, {"places", r.entry.places}}, r.entry.beneficiary_id);
        notify(
            c, now, r.worker, "waitlist_promoted", id, session_id,
            fmt::format("Une place s’est libérée : {} est confirmé pour {} ({} place{}) — code {}.", session_words(*s),
                        guest_words(c, r.entry.beneficiary_id), r.entry.places, r.entry.places > 1 ? "s" : "", code));
    }
    for (Id id : result.expired) {
        const Row r = worker_of(id);
        SQLite::Statement up(c, "UPDATE bookings SET status = 'expired', ended_at = ?, updated_at = ? WHERE id = ?"
                                " AND status = 'waitlisted'");
        up.bind(1, now);
        up.bind(2, now);
        up.bind(3, id);
        up.exec();
        audit(c, now, actor_user_id, "booking.waitlist_expired", "booking", id, json{{"status", "waitlisted"}},
              json{{"status", "expired"}}, r.entry.beneficiary_id);
        notify(c, now, r.worker, "waitlist_expired", id, session_id,
               fmt::format("Liste d’attente close : aucune place ne s’est libérée pour {} ({}).",
                           guest_words(c, r.entry.beneficiary_id), session_words(*s)));
    }
    return static_cast<int>(result.served.size());
}

//-----------------------------------------------------------------------------
// [SECTION] Beneficiaries
//-----------------------------------------------------------------------------

namespace {

const char* const kBeneficiarySelect =
    "SELECT e.id, e.structure_id, e.reference, e.first_name, e.last_name, e.birth_year, e.postal_code,"
    " e.household_size, e.phone, e.preferred_language, e.pause_lifted_at, e.erased_at, e.created_at, e.updated_at,"
    " (SELECT COUNT(*) FROM bookings b JOIN sessions s ON s.id = b.session_id WHERE b.beneficiary_id = e.id"
    "    AND b.status = 'confirmed' AND s.start_at > :now),"
    " o.territory, e.children_birth_years FROM beneficiaries e JOIN organisations o ON o.id = e.structure_id";

// "2017,2020" ↔ {2017, 2020}: the household's children as migration 10 keeps them.
std::vector<int> parse_years(const std::string& text) {
    std::vector<int> out;
    for (size_t at = 0; at < text.size();) {
        size_t comma = text.find(',', at);
        if (comma == std::string::npos) comma = text.size();
        out.push_back(std::atoi(text.substr(at, comma - at).c_str()));
        at = comma + 1;
    }
    return out;
}
std::string format_years(const std::vector<int>& years) {
    std::string out;
    for (int y : years) out += (out.empty() ? "" : ",") + std::to_string(y);
    return out;
}

BeneficiaryView read_beneficiary(SQLite::Database& c, SQLite::Statement& q, UnixSeconds now) {
    BeneficiaryView b;
    b.id = q.getColumn(0).getInt64();
    b.structure_id = q.getColumn(1).getInt64();
    b.reference = q.getColumn(2).getString();
    b.first_name = opt_text(q.getColumn(3));
    b.last_name = opt_text(q.getColumn(4));
    if (!q.getColumn(5).isNull()) b.birth_year = q.getColumn(5).getInt();
    b.postal_code = opt_text(q.getColumn(6));
    b.household_size = q.getColumn(7).getInt();
    b.phone = opt_text(q.getColumn(8));
    b.preferred_language = opt_text(q.getColumn(9));
    const UnixSeconds lifted = q.getColumn(10).isNull() ? 0 : q.getColumn(10).getInt64();
    b.erased = !q.getColumn(11).isNull();
    b.created_at = q.getColumn(12).getInt64();
    b.updated_at = q.getColumn(13).getInt64();
    b.upcoming_bookings = q.getColumn(14).getInt();
    const std::string territory = q.getColumn(15).getString();
    b.children_birth_years = parse_years(q.getColumn(16).getString());
    // R8 as the social worker must see it: why and until when.
    std::vector<UnixSeconds> no_shows;
    SQLite::Statement n(c, "SELECT s.start_at FROM bookings b JOIN sessions s ON s.id = b.session_id"
                           " WHERE b.beneficiary_id = ? AND b.status = 'no_show'");
    n.bind(1, b.id);
    while (n.executeStep()) no_shows.push_back(n.getColumn(0).getInt64());
    if (!no_shows.empty()) b.paused_until = paused_until(no_shows, lifted, now, load_settings(c, territory));
    return b;
}

std::optional<BeneficiaryView> find_beneficiary(SQLite::Database& c, Id id, UnixSeconds now) {
    SQLite::Statement q(c, std::string(kBeneficiarySelect) + " WHERE e.id = :id");
    q.bind(":now", now);
    q.bind(":id", id);
    if (!q.executeStep()) return std::nullopt;
    return read_beneficiary(c, q, now);
}

BeneficiaryView own_beneficiary(SQLite::Database& c, const Actor& worker, Id id, UnixSeconds now) {
    auto b = find_beneficiary(c, id, now);
    if (!b || b->structure_id != own_org(worker) || b->erased) fail("not_found");
    return *b;
}

// The audit log names a beneficiary by its pseudonymous reference only (DOMAIN.md: staff see
// people through it): an entry says which fields a social worker changed, never their values.
json beneficiary_audit(const BeneficiaryView& b) { return {{"id", b.id}, {"reference", b.reference}}; }

json beneficiary_changes(const BeneficiaryView& before, const BeneficiaryView& after) {
    json changed = json::array();
    const auto note = [&](const char* field, bool differs) {
        if (differs) changed.push_back(field);
    };
    note("first_name", before.first_name != after.first_name);
    note("last_name", before.last_name != after.last_name);
    note("birth_year", before.birth_year != after.birth_year);
    note("postal_code", before.postal_code != after.postal_code);
    note("household_size", before.household_size != after.household_size);
    note("children_birth_years", before.children_birth_years != after.children_birth_years);
    note("phone", before.phone != after.phone);
    note("preferred_language", before.preferred_language != after.preferred_language);
    json j = beneficiary_audit(after);
    j["changed_fields"] = changed;
    return j;
}

int current_year(UnixSeconds now) { return civil_from_unix(now).year; }

void bind_optional_text(SQLite::Statement& s, int i, const std::string& v) {
    if (v.empty()) s.bind(i);
    else s.bind(i, v);
}

// The eight fields a social worker types, from parameter `first` on, in the order of the
// INSERT and the UPDATE: first_name, last_name, birth_year, postal_code, household_size, phone,
// preferred_language, children_birth_years.
void bind_beneficiary_fields(SQLite::Statement& s, int first, const BeneficiaryDraft& draft) {
    s.bind(first, draft.first_name);
    s.bind(first + 1, draft.last_name);
    if (draft.birth_year) s.bind(first + 2, *draft.birth_year);
    else s.bind(first + 2);
    s.bind(first + 3, draft.postal_code);
    s.bind(first + 4, draft.household_size);
    bind_optional_text(s, first + 5, draft.phone);
    bind_optional_text(s, first + 6, draft.preferred_language);
    s.bind(first + 7, format_years(draft.children_birth_years));
}

}  // namespace

Household load_household(SQLite::Database& c, Id beneficiary_id) {
    KeptStatement kept(c, "SELECT household_size, children_birth_years FROM beneficiaries WHERE id = ?");
    SQLite::Statement& q = *kept;
    q.bind(1, beneficiary_id);
    if (!q.executeStep()) fail("not_found", "fits_beneficiary");
    return {q.getColumn(0).getInt(), parse_years(q.getColumn(1).getString())};
}

BeneficiaryView create_beneficiary(App& app, const Actor& worker, BeneficiaryDraft& draft) {
    const UnixSeconds now = app.now();
    fail_first(validate_beneficiary(draft, current_year(now)));
    WriteTx tx(app.db);
    auto& c = tx.conn();
    SQLite::Statement ins(c, "INSERT INTO beneficiaries (structure_id, reference, first_name, last_name, birth_year,"
                             " postal_code, household_size, phone, preferred_language, children_birth_years,"
                             " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, own_org(worker));
    ins.bind(2, "B-" + random_token(6));
    bind_beneficiary_fields(ins, 3, draft);
    ins.bind(11, now);
    ins.bind(12, now);
    ins.exec();
    const Id id = c.getLastInsertRowid();
    BeneficiaryView b = *find_beneficiary(c, id, now);
    audit(c, now, worker.user_id, "beneficiary.create", "beneficiary", id, nullptr, beneficiary_audit(b), id);
    tx.commit();
    return b;
}

Page<BeneficiaryView> list_beneficiaries(App& app, const Actor& worker, const std::string& q_text,
                                         const PageRequest& page) {
    auto& c = app.db.conn();
    const UnixSeconds now = app.now();
    std::string sql =
        std::string(kBeneficiarySelect) + " WHERE e.structure_id = :org AND e.erased_at IS NULL AND e.id > :after";
    if (!q_text.empty())
        sql += " AND (e.first_name || ' ' || e.last_name LIKE :q ESCAPE '\\' OR e.last_name || ' ' || e.first_name"
               " LIKE :q ESCAPE '\\' OR e.reference = :exact)";
    sql += " ORDER BY e.id LIMIT :limit";
    SQLite::Statement q(c, sql);
    q.bind(":now", now);
    q.bind(":org", own_org(worker));
    q.bind(":after", cursor_id(page));
    if (!q_text.empty()) {
        std::string like = "%";
        for (char ch : q_text) {
            if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
            like += ch;
        }
        q.bind(":q", like + "%");
        q.bind(":exact", q_text);
    }
    q.bind(":limit", page.limit + 1);
    return read_page<BeneficiaryView>(q, page.limit,
                                      [&](SQLite::Statement& row) { return read_beneficiary(c, row, now); });
}

BeneficiaryView get_beneficiary(App& app, const Actor& worker, Id id) {
    return own_beneficiary(app.db.conn(), worker, id, app.now());
}

BeneficiaryView update_beneficiary(App& app, const Actor& worker, Id id, BeneficiaryDraft& draft) {
    const UnixSeconds now = app.now();
    fail_first(validate_beneficiary(draft, current_year(now)));
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const BeneficiaryView before = own_beneficiary(c, worker, id, now);
    SQLite::Statement up(c, "UPDATE beneficiaries SET first_name = ?, last_name = ?, birth_year = ?, postal_code = ?,"
                            " household_size = ?, phone = ?, preferred_language = ?, children_birth_years = ?,"
                            " updated_at = ? WHERE id = ?");
    bind_beneficiary_fields(up, 1, draft);
    up.bind(9, now);
    up.bind(10, id);
    up.exec();
    BeneficiaryView after = *find_beneficiary(c, id, now);
    audit(c, now, worker.user_id, "beneficiary.update", "beneficiary", id, beneficiary_audit(before),
          beneficiary_changes(before, after), id);
    tx.commit();
    return after;
}

BeneficiaryView lift_pause(App& app, const Actor& admin, Id id) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    SQLite::Statement q(c, "SELECT o.territory FROM beneficiaries e JOIN organisations o ON o.id = e.structure_id"
                           " WHERE e.id = ?");
    q.bind(1, id);
    if (!q.executeStep() || !admin.sees_territory(q.getColumn(0).getString())) fail("not_found");
    q.reset();
    const BeneficiaryView before = *find_beneficiary(c, id, now);
    SQLite::Statement up(c, "UPDATE beneficiaries SET pause_lifted_at = ?, updated_at = ? WHERE id = ?");
    up.bind(1, now);
    up.bind(2, now);
    up.bind(3, id);
    up.exec();
    BeneficiaryView after = *find_beneficiary(c, id, now);
    audit(c, now, admin.user_id, "beneficiary.lift_pause", "beneficiary", id,
          json{{"paused_until", before.paused_until ? json(format_utc(*before.paused_until)) : json(nullptr)}},
          json{{"pause_lifted_at", format_utc(now)}}, id);
    tx.commit();
    // An admin sees beneficiaries only by their pseudonymous reference.
    after.first_name.reset();
    after.last_name.reset();
    after.phone.reset();
    after.postal_code.reset();
    after.birth_year.reset();
    after.preferred_language.reset();
    return after;
}

//-----------------------------------------------------------------------------
// [SECTION] Bookings: read
//-----------------------------------------------------------------------------

namespace {

const char* const kBookingSelect =
    "SELECT b.id, b.session_id, b.beneficiary_id, b.structure_id, so.name, b.places, b.status, b.origin, b.code,"
    " b.attended_count, b.created_at, e.reference, e.first_name, e.last_name, o.title, v.territory, v.name, v.city,"
    " s.start_at, s.closes_at, f.went, f.rating, f.comment, f.updated_at, s.duration_min"
    " FROM bookings b JOIN sessions s ON s.id = b.session_id JOIN offers o ON o.id = s.offer_id"
    " JOIN venues v ON v.id = o.venue_id JOIN beneficiaries e ON e.id = b.beneficiary_id"
    " JOIN organisations so ON so.id = b.structure_id LEFT JOIN feedback f ON f.booking_id = b.id";

BookingView read_booking(SQLite::Statement& q, const Actor& viewer) {
    BookingView b;
    b.id = q.getColumn(0).getInt64();
    b.session_id = q.getColumn(1).getInt64();
    b.beneficiary_id = q.getColumn(2).getInt64();
    b.structure_id = q.getColumn(3).getInt64();
    b.structure_name = q.getColumn(4).getString();
    b.places = q.getColumn(5).getInt();
    b.status = q.getColumn(6).getString();
    b.origin = q.getColumn(7).getString();
    b.code = opt_text(q.getColumn(8));
    if (!q.getColumn(9).isNull()) b.attended_count = q.getColumn(9).getInt();
    b.created_at = q.getColumn(10).getInt64();
    b.beneficiary_reference = q.getColumn(11).getString();
    // Admins see beneficiaries only by their pseudonymous reference (DOMAIN.md, roles).
    if (viewer.role == Role::SocialWorker) {
        b.first_name = opt_text(q.getColumn(12));
        b.last_name = opt_text(q.getColumn(13));
    }
    b.title = q.getColumn(14).getString();
    b.territory = q.getColumn(15).getString();
    b.venue_name = q.getColumn(16).getString();
    b.city = q.getColumn(17).getString();
    b.start = q.getColumn(18).getInt64();
    b.closes_at = q.getColumn(19).getInt64();
    b.duration_min = q.getColumn(24).getInt();
    if (!q.getColumn(20).isNull()) {
        FeedbackView f;
        f.went = q.getColumn(20).getString();
        if (!q.getColumn(21).isNull()) f.rating = q.getColumn(21).getInt();
        f.comment = q.getColumn(22).getString();
        f.updated_at = q.getColumn(23).getInt64();
        b.feedback = f;
    }
    return b;
}

std::string booking_scope_sql(const Actor& a) {
    if (a.role == Role::SocialWorker) return fmt::format(" AND b.structure_id = {}", own_org(a));
    if (a.role == Role::Admin) return admin_scope_sql(a, "v.territory");
    return " AND 0";
}

// One booking if the viewer may see it: the scope of booking_scope_sql, checked on the row, so the
// statement is the same for everyone and kept (it runs in every booking transaction).
std::optional<BookingView> find_booking(SQLite::Database& c, const Actor& viewer, Id id) {
    static const std::string kSql = std::string(kBookingSelect) + " WHERE b.id = ?";
    KeptStatement kept(c, kSql.c_str());
    SQLite::Statement& q = *kept;
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    BookingView b = read_booking(q, viewer);
    const bool visible = viewer.role == Role::SocialWorker ? b.structure_id == own_org(viewer)
                         : viewer.role == Role::Admin      ? viewer.sees_territory(b.territory)
                                                           : false;
    if (!visible) return std::nullopt;
    return b;
}

bool known_status(const std::string& s) {
    static constexpr std::string_view kAll[] = {"confirmed", "cancelled",  "late_cancelled", "attended",
                                                "no_show",   "waitlisted", "ballot_entered", "expired",
                                                "withdrawn", "lost"};
    for (auto k : kAll)
        if (k == s) return true;
    return false;
}

}  // namespace

Page<BookingView> list_bookings(App& app, const Actor& actor, const BookingFilter& f, const PageRequest& page) {
    if (!f.status.empty() && !known_status(f.status)) fail("validation", "status");
    std::string sql = std::string(kBookingSelect) + " WHERE b.id > :after" + booking_scope_sql(actor);
    if (!f.status.empty()) sql += " AND b.status = :status";
    if (f.session_id) sql += " AND b.session_id = :session";
    if (f.beneficiary_id) sql += " AND b.beneficiary_id = :beneficiary";
    if (!f.territory.empty()) sql += " AND v.territory = :territory";
    sql += " ORDER BY b.id LIMIT :limit";
    SQLite::Statement q(app.db.conn(), sql);
    q.bind(":after", cursor_id(page));
    if (!f.status.empty()) q.bind(":status", f.status);
    if (f.session_id) q.bind(":session", *f.session_id);
    if (f.beneficiary_id) q.bind(":beneficiary", *f.beneficiary_id);
    if (!f.territory.empty()) q.bind(":territory", f.territory);
    q.bind(":limit", page.limit + 1);
    return read_page<BookingView>(q, page.limit, [&](SQLite::Statement& row) { return read_booking(row, actor); });
}

BookingView get_booking(App& app, const Actor& actor, Id id) {
    auto b = find_booking(app.db.conn(), actor, id);
    if (!b) fail("not_found");
    return *b;
}

//-----------------------------------------------------------------------------
// [SECTION] Bookings: create (the decision)
//-----------------------------------------------------------------------------

namespace {

Id insert_request(SQLite::Database& c, const Actor& worker, const BookingRequest& req, const char* status,
                  const std::optional<std::string>& code, UnixSeconds now) {
    // The territory the booking is made in (migration 9), from the session's row.
    KeptStatement kept(c, "INSERT INTO bookings (session_id, structure_id, social_worker_id, beneficiary_id, places,"
                          " status, origin, code, requested_at, waitlisted_at, confirmed_at, created_at, updated_at,"
                          " territory) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'direct', ?7, ?8, ?9, ?10, ?11, ?12,"
                          " (SELECT territory FROM sessions WHERE id = ?1))");
    SQLite::Statement& ins = *kept;
    ins.bind(1, req.session_id);
    ins.bind(2, own_org(worker));
    ins.bind(3, worker.user_id);
    ins.bind(4, req.beneficiary_id);
    ins.bind(5, req.places);
    ins.bind(6, status);
    if (code) ins.bind(7, *code);
    else ins.bind(7);
    ins.bind(8, now);
    if (std::string_view(status) == "waitlisted") ins.bind(9, now);
    else ins.bind(9);
    if (code) ins.bind(10, now);
    else ins.bind(10);
    ins.bind(11, now);
    ins.bind(12, now);
    ins.exec();
    return c.getLastInsertRowid();
}

}  // namespace

BookingView create_booking(App& app, const Actor& worker, const BookingRequest& req) {
    const UnixSeconds now = app.now();
    // The lock is taken BEFORE anything is read, so the places counted below are the ones that
    // will still be there at COMMIT. The test-only control mode (--test-hooks and
    // UNEPLACE_TEST_UNLOCKED=1) reads first and locks only to write: the race the lock prevents.
    const bool unlocked = app.options.test_hooks && app.test.unlocked;
    std::optional<WriteTx> tx;
    if (!unlocked) tx.emplace(app.db);
    SQLite::Database& c = app.db.conn();

    auto session = find_session(c, req.session_id);
    // Sessions of offers not (or no longer) published are not visible to social workers.
    if (!session || session->info.offer_status == OfferStatus::Draft ||
        session->info.offer_status == OfferStatus::Pending || session->info.offer_status == OfferStatus::Rejected)
        fail("not_found", "session_id");
    {
        KeptStatement kept(c, "SELECT 1 FROM beneficiaries WHERE id = ? AND structure_id = ? AND erased_at IS NULL");
        SQLite::Statement& q = *kept;
        q.bind(1, req.beneficiary_id);
        q.bind(2, own_org(worker));
        if (!q.executeStep()) fail("not_found", "beneficiary_id");
    }
    const BookingSnapshot snap =
        load_booking_snapshot(c, *session, rules_actor(worker), req.beneficiary_id, req.places, now);

    // Test-only race window between reading availability and writing (pretix-style harness).
    if (app.options.test_hooks && app.test.race_sleep_ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(app.test.race_sleep_ms));

    const BookingDecision decision = decide_booking(snap);
    if (unlocked) tx.emplace(app.db);

    std::string status;
    std::optional<std::string> code;
    if (decision.outcome == BookingOutcome::Confirm) {
        status = "confirmed";
        code = new_booking_code(c);
    } else if (decision.outcome == BookingOutcome::EnterBallot) {
        status = "ballot_entered";
    } else if (decision.may_join_waitlist && req.join_waitlist) {
        status = "waitlisted";
    } else {
        const Refusal r = decision.refusal.value_or(Refusal{"conflict", ""});
        app.metrics.count_booking(r.code);
        // The shared explanation (figures, the way out) replaces the table's generic message.
        json extra = {{"rule", std::string(rule_name(decision.rule))},
                      {"may_join_waitlist", decision.may_join_waitlist},
                      {"message", explain_fr(decision, session->info)}};
        if (decision.rule == Rule::R1) extra["max_per_booking"] = session->info.max_per_booking;
        if (decision.rule == Rule::R7) extra["max_upcoming_bookings"] = decision.max_upcoming_bookings;
        if (decision.rule == Rule::R6 && decision.overlapping) {
            extra["overlapping_booking_id"] = decision.overlapping->booking_id;
            extra["overlapping_session_id"] = decision.overlapping->session_id;
            extra["overlapping_title"] = decision.overlapping->title;
            extra["overlapping_start"] = format_utc(decision.overlapping->start);
            extra["overlapping_end"] = format_utc(decision.overlapping->end);
        }
        if (decision.rule == Rule::R3 || decision.rule == Rule::R4) {
            extra["places_left"] = decision.places_left;
            extra["structure_places_left"] = decision.structure_places_left;
            extra["release_at"] = format_utc(decision.release_at);
        }
        if (decision.rule == Rule::R8 && decision.paused_until)
            extra["paused_until"] = format_utc(decision.paused_until);
        throw Failure(r.code, r.field, 0, extra.dump());
    }

    const Id id = insert_request(c, worker, req, status.c_str(), code, now);
    audit(c, now, worker.user_id, "booking.create", "booking", id, nullptr,
          json{{"session_id", req.session_id},
               {"beneficiary_id", req.beneficiary_id},
               {"structure_id", own_org(worker)},
               {"places", req.places},
               {"status", status},
               {"code", code ? json(*code) : json(nullptr)},
               {"places_held_before", snap.places_held},
               {"capacity", session->info.capacity}},
          req.beneficiary_id);
    if (status == "confirmed")
        notify(c, now, worker.user_id, "booking_confirmed", id, req.session_id,
               fmt::format("Réservation confirmée : {} pour {} ({} place{}) — code {}.", session_words(*session),
                           guest_words(c, req.beneficiary_id), req.places, req.places > 1 ? "s" : "", *code));
    BookingView view = *find_booking(c, worker, id);
    tx->commit();
    app.metrics.count_booking(status);
    return view;
}

//-----------------------------------------------------------------------------
// [SECTION] Bookings: cancel, feedback
//-----------------------------------------------------------------------------

BookingView cancel_booking(App& app, const Actor& worker, Id id) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    auto b = find_booking(c, worker, id);
    if (!b) fail("not_found");
    auto s = find_session(c, b->session_id);
    std::string to;
    if (b->status == "waitlisted" || b->status == "ballot_entered") {
        to = "withdrawn";  // a request holds no place: withdrawing it is always free
    } else {
        auto current = from_code<BookingStatus>(b->status);
        if (!current) fail("booking_not_active");
        const CancellationDecision d = decide_cancellation(*current, s->info, now);
        if (!d.ok()) fail(*d.refusal);
        to = std::string(to_code(d.new_status));
    }
    SQLite::Statement up(c, "UPDATE bookings SET status = ?, ended_at = ?, updated_at = ? WHERE id = ?");
    up.bind(1, to);
    up.bind(2, now);
    up.bind(3, now);
    up.bind(4, id);
    up.exec();
    audit(c, now, worker.user_id, to == "withdrawn" ? "booking.withdraw" : "booking.cancel", "booking", id,
          json{{"status", b->status}}, json{{"status", to}}, b->beneficiary_id);
    // W2: the freed places go to the waitlist at once (after closes_at it expires instead, W3).
    if (b->status == "confirmed") serve_session_waitlist(c, b->session_id, now, worker.user_id);
    BookingView after = *find_booking(c, worker, id);
    tx.commit();
    return after;
}

BookingView save_feedback(App& app, const Actor& worker, Id id, FeedbackDraft& draft) {
    fail_first(validate_feedback(draft));
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    auto b = find_booking(c, worker, id);
    if (!b) fail("not_found");
    auto s = find_session(c, b->session_id);
    auto current = from_code<BookingStatus>(b->status);
    if (!current) fail("booking_not_active");
    if (auto r = check_feedback(s->info, *current, now)) fail(*r);
    SQLite::Statement up(c,
                         "INSERT INTO feedback (booking_id, went, rating, comment, author_id, created_at, updated_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (booking_id) DO UPDATE SET went = excluded.went,"
                         " rating = excluded.rating, comment = excluded.comment, author_id = excluded.author_id,"
                         " updated_at = excluded.updated_at");
    up.bind(1, id);
    up.bind(2, draft.went);
    if (draft.rating) up.bind(3, *draft.rating);
    else up.bind(3);
    up.bind(4, draft.comment);
    up.bind(5, worker.user_id);
    up.bind(6, now);
    up.bind(7, now);
    up.exec();
    json before = b->feedback ? json{{"went", b->feedback->went},
                                     {"rating", b->feedback->rating ? json(*b->feedback->rating) : json(nullptr)},
                                     {"comment", b->feedback->comment}}
                              : json(nullptr);
    audit(c, now, worker.user_id, "booking.feedback", "booking", id, before,
          json{{"went", draft.went},
               {"rating", draft.rating ? json(*draft.rating) : json(nullptr)},
               {"comment", draft.comment}},
          b->beneficiary_id);
    BookingView after = *find_booking(c, worker, id);
    tx.commit();
    return after;
}

//-----------------------------------------------------------------------------
// [SECTION] Notifications
//-----------------------------------------------------------------------------

namespace {

const char* const kNotificationSelect =
    "SELECT id, kind, message, booking_id, session_id, created_at, read_at FROM notifications";

NotificationView read_notification(SQLite::Statement& q) {
    NotificationView n;
    n.id = q.getColumn(0).getInt64();
    n.kind = q.getColumn(1).getString();
    n.message = q.getColumn(2).getString();
    n.booking_id = opt_int(q.getColumn(3));
    n.session_id = opt_int(q.getColumn(4));
    n.created_at = q.getColumn(5).getInt64();
    n.read = !q.getColumn(6).isNull();
    return n;
}

}  // namespace

Page<NotificationView> list_notifications(App& app, const Actor& actor, bool unread_only, const PageRequest& page) {
    // Newest first: the cursor is the last id seen, and the next page holds smaller ids.
    const Id before = page.cursor.empty() ? INT64_MAX : cursor_id(page);
    std::string sql = std::string(kNotificationSelect) + " WHERE user_id = ? AND id < ?";
    if (unread_only) sql += " AND read_at IS NULL";
    sql += " ORDER BY id DESC LIMIT ?";
    SQLite::Statement q(app.db.conn(), sql);
    q.bind(1, actor.user_id);
    q.bind(2, before);
    q.bind(3, page.limit + 1);
    return read_page<NotificationView>(q, page.limit, read_notification);
}

NotificationView mark_notification_read(App& app, const Actor& actor, Id id) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    SQLite::Statement up(c, "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?");
    up.bind(1, now);
    up.bind(2, id);
    up.bind(3, actor.user_id);
    if (up.exec() == 0) fail("not_found");
    SQLite::Statement q(c, std::string(kNotificationSelect) + " WHERE id = ?");
    q.bind(1, id);
    q.executeStep();
    NotificationView n = read_notification(q);
    q.reset();
    tx.commit();
    return n;
}

}  // namespace uneplace::server
