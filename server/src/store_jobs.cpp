// uneplace server — the jobs the scheduler runs: ballot draws (B2–B3), waitlist expiry (W3) and
// serving (W2), M2 reminders (start − 72 h, before the booking closes), P1 erasure, housekeeping.
//
// Index of this file:
// [SECTION] Ballot draws
// [SECTION] Waitlists
// [SECTION] Reminders
// [SECTION] P1 erasure
// [SECTION] Housekeeping
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "auth.hpp"
#include "store.hpp"
#include "uneplace/allocation.hpp"
#include "uneplace/french.hpp"
#include "uneplace/local_time.hpp"

namespace uneplace::server {

using nlohmann::json;

namespace {

std::vector<Id> ids_of(SQLite::Database& c, const std::string& sql, UnixSeconds now) {
    SQLite::Statement q(c, sql);
    if (q.getBindParameterCount() > 0) q.bind(1, now);
    std::vector<Id> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
    return out;
}

std::string hex64(std::uint64_t v) { return fmt::format("{:016x}", v); }

const char* outcome_code(BallotOutcome o) {
    switch (o) {
        case BallotOutcome::Won: return "won";
        case BallotOutcome::Waitlisted: return "waitlisted";
        case BallotOutcome::Ineligible: return "ineligible";
    }
    return "";
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Ballot draws
//-----------------------------------------------------------------------------

namespace {

// A ballot request with the social worker to notify.
struct BallotEntry {
    BallotRequest r;
    Id worker = 0;
};

// The session's requests in entry order, each with its B2 weight and whether every rule but
// scarcity still lets it through (W1 applied to the draw).
std::vector<BallotEntry> load_ballot_entries(SQLite::Database& c, const SessionView& s, UnixSeconds now) {
    std::vector<BallotEntry> entries;
    SQLite::Statement q(c, "SELECT id, structure_id, beneficiary_id, places, social_worker_id FROM bookings"
                           " WHERE session_id = ? AND status = 'ballot_entered' ORDER BY id");
    q.bind(1, s.info.id);
    while (q.executeStep()) {
        BallotEntry x;
        x.r.id = q.getColumn(0).getInt64();
        x.r.structure_id = q.getColumn(1).getInt64();
        x.r.beneficiary_id = q.getColumn(2).getInt64();
        x.r.places = q.getColumn(3).getInt();
        x.worker = q.getColumn(4).getInt64();
        entries.push_back(x);
    }
    for (BallotEntry& x : entries) {
        x.r.attended_last_365 = attended_last_365(c, x.r.beneficiary_id, now);
        x.r.eligible = request_still_eligible(c, s, x.worker, x.r.beneficiary_id, x.r.places, now, x.r.id);
    }
    return entries;
}

// Writes what the draw decided: winners confirmed with a code, the others waitlisted in draw order,
// the ineligible ones lost; each audited and its social worker notified.
void apply_ballot_result(SQLite::Database& c, const SessionView& s, const std::vector<BallotEntry>& entries,
                         const BallotResult& result, UnixSeconds now) {
    auto entry = [&](Id id) -> const BallotEntry& {
        for (const BallotEntry& x : entries)
            if (x.r.id == id) return x;
        throw std::runtime_error("ballot line without request");
    };
    const Id session_id = s.info.id;
    const std::string what = session_words(s);
    for (Id id : result.winners) {
        const BallotEntry& x = entry(id);
        const std::string code = new_booking_code(c);
        SQLite::Statement up(c, "UPDATE bookings SET status = 'confirmed', origin = 'ballot', code = ?,"
                                " confirmed_at = ?, updated_at = ? WHERE id = ?");
        up.bind(1, code);
        up.bind(2, now);
        up.bind(3, now);
        up.bind(4, id);
        up.exec();
        audit(c, now, std::nullopt, "booking.ballot_won", "booking", id, json{{"status", "ballot_entered"}},
              json{{"status", "confirmed"}, {"code", code}}, x.r.beneficiary_id);
        notify(c, now, x.worker, "ballot_won", id, session_id,
               fmt::format("Tirage au sort gagné : {} pour {} ({} place{}) — code {}.", what,
                           guest_words(c, x.r.beneficiary_id), x.r.places, x.r.places > 1 ? "s" : "", code));
    }
    for (std::size_t rank = 0; rank < result.waitlisted.size(); ++rank) {
        const Id id = result.waitlisted[rank];
        const BallotEntry& x = entry(id);
        SQLite::Statement up(c, "UPDATE bookings SET status = 'waitlisted', waitlisted_at = ?, waitlist_rank = ?,"
                                " updated_at = ? WHERE id = ?");
        up.bind(1, now);
        up.bind(2, static_cast<std::int64_t>(rank));
        up.bind(3, now);
        up.bind(4, id);
        up.exec();
        audit(c, now, std::nullopt, "booking.ballot_waitlisted", "booking", id, json{{"status", "ballot_entered"}},
              json{{"status", "waitlisted"}, {"rank", rank}}, x.r.beneficiary_id);
        notify(
            c, now, x.worker, "ballot_lost", id, session_id,
            fmt::format("Tirage au sort : pas de place pour {} ({}) ; la demande passe en liste d’attente (rang {}).",
                        guest_words(c, x.r.beneficiary_id), what, rank + 1));
    }
    for (const BallotLine& l : result.lines) {
        if (l.outcome != BallotOutcome::Ineligible) continue;
        const BallotEntry& x = entry(l.request_id);
        SQLite::Statement up(c, "UPDATE bookings SET status = 'lost', ended_at = ?, updated_at = ? WHERE id = ?");
        up.bind(1, now);
        up.bind(2, now);
        up.bind(3, l.request_id);
        up.exec();
        audit(c, now, std::nullopt, "booking.ballot_ineligible", "booking", l.request_id,
              json{{"status", "ballot_entered"}}, json{{"status", "lost"}}, x.r.beneficiary_id);
        notify(c, now, x.worker, "ballot_lost", l.request_id, session_id,
               fmt::format(
                   "Tirage au sort : la demande pour {} ({}) ne remplit plus les conditions et n’a pas été retenue.",
                   guest_words(c, x.r.beneficiary_id), what));
    }
}

// B3: the seed and every line of the draw, so that anyone can re-run it; the session is marked drawn.
void record_draw(SQLite::Database& c, Id session_id, std::uint64_t seed, const BallotResult& result, UnixSeconds now) {
    json lines = json::array();
    for (const BallotLine& l : result.lines)
        lines.push_back({{"request_id", l.request_id},
                         {"key", hex64(l.key)},
                         {"attended_last_365", l.attended_last_365},
                         {"places", l.places},
                         {"outcome", outcome_code(l.outcome)}});
    SQLite::Statement rec(c, "INSERT INTO ballot_draws (session_id, seed, drawn_at, result) VALUES (?, ?, ?, ?)");
    rec.bind(1, session_id);
    rec.bind(2, hex64(seed));
    rec.bind(3, now);
    rec.bind(4, lines.dump());
    rec.exec();
    SQLite::Statement mark(c, "UPDATE sessions SET drawn_at = ?, updated_at = ? WHERE id = ?");
    mark.bind(1, now);
    mark.bind(2, now);
    mark.bind(3, session_id);
    mark.exec();
    audit(c, now, std::nullopt, "session.draw", "session", session_id, nullptr,
          json{{"seed", hex64(seed)},
               {"winners", result.winners},
               {"waitlisted", result.waitlisted},
               {"places_left_after", result.places_left_after}});
}

// One session's draw in its own write transaction; false when another run drew it meanwhile.
bool draw_session(App& app, Id session_id, UnixSeconds now) {
    WriteTx tx(app.db);
    auto& c = tx.conn();
    auto s = find_session(c, session_id);
    if (!s || s->drawn_at || s->info.status != SessionStatus::Scheduled) return false;
    const std::vector<BallotEntry> entries = load_ballot_entries(c, *s, now);
    std::vector<BallotRequest> requests;
    for (const BallotEntry& x : entries) requests.push_back(x.r);
    // B3: the seed comes from the CSPRNG and is recorded, so anyone can re-run the same draw.
    const std::uint64_t seed = random_u64();
    const BallotResult result = draw_ballot(s->info, requests, seed, held_places_by_structure(c, session_id),
                                            load_settings(c, s->info.territory));
    apply_ballot_result(c, *s, entries, result, now);
    record_draw(c, session_id, seed, result, now);
    tx.commit();
    spdlog::info("ballot drawn session={} requests={} winners={} seed={}", session_id, entries.size(),
                 result.winners.size(), hex64(seed));
    return true;
}

}  // namespace

int run_due_draws(App& app) {
    const UnixSeconds now = app.now();
    const auto due = ids_of(app.db.conn(),
                            "SELECT id FROM sessions WHERE allocation = 'ballot' AND drawn_at IS NULL"
                            " AND status = 'scheduled' AND draw_at <= ?",
                            now);
    int drawn = 0;
    for (Id session_id : due) drawn += draw_session(app, session_id, now) ? 1 : 0;
    return drawn;
}

BallotDrawView get_ballot_draw(App& app, const Actor& actor, Id session_id) {
    auto& c = app.db.conn();
    auto s = find_session(c, session_id);
    bool visible = false;
    if (s) {
        if (actor.role == Role::Partner) visible = actor.organisation_id == s->info.partner_id;
        else if (actor.role == Role::Admin) visible = actor.sees_territory(s->info.territory);
        else visible = s->info.offer_status == OfferStatus::Published;
    }
    if (!visible) fail("not_found");
    SQLite::Statement q(c, "SELECT seed, drawn_at, result FROM ballot_draws WHERE session_id = ?");
    q.bind(1, session_id);
    if (!q.executeStep()) fail("not_found");
    BallotDrawView v;
    v.session_id = session_id;
    v.seed = q.getColumn(0).getString();
    v.drawn_at = q.getColumn(1).getInt64();
    v.lines = json::parse(q.getColumn(2).getString(), nullptr, false);
    return v;
}

//-----------------------------------------------------------------------------
// [SECTION] Waitlists
//-----------------------------------------------------------------------------

int expire_closed_waitlists(App& app) {
    const UnixSeconds now = app.now();
    const auto due = ids_of(app.db.conn(), "SELECT id FROM sessions WHERE waitlist_closed = 0 AND closes_at <= ?", now);
    int closed = 0;
    for (Id session_id : due) {
        WriteTx tx(app.db);
        auto& c = tx.conn();
        SQLite::Statement again(c, "SELECT waitlist_closed FROM sessions WHERE id = ?");
        again.bind(1, session_id);
        if (!again.executeStep() || again.getColumn(0).getInt() != 0) continue;
        again.reset();
        // At or after closes_at the shared serving function serves nothing and expires everything.
        serve_session_waitlist(c, session_id, now, std::nullopt);
        auto s = find_session(c, session_id);
        // A ballot never drawn (should not happen: draw_at < closes_at) closes the same way.
        SQLite::Statement open(c, "SELECT id, social_worker_id, beneficiary_id FROM bookings WHERE session_id = ?"
                                  " AND status = 'ballot_entered'");
        open.bind(1, session_id);
        std::vector<std::tuple<Id, Id, Id>> left;
        while (open.executeStep())
            left.emplace_back(open.getColumn(0).getInt64(), open.getColumn(1).getInt64(), open.getColumn(2).getInt64());
        open.reset();
        for (auto [id, worker, beneficiary] : left) {
            SQLite::Statement up(c,
                                 "UPDATE bookings SET status = 'expired', ended_at = ?, updated_at = ? WHERE id = ?");
            up.bind(1, now);
            up.bind(2, now);
            up.bind(3, id);
            up.exec();
            audit(c, now, std::nullopt, "booking.request_expired", "booking", id, json{{"status", "ballot_entered"}},
                  json{{"status", "expired"}}, beneficiary);
            if (s)
                notify(c, now, worker, "waitlist_expired", id, session_id,
                       fmt::format("Demande close sans place : {}.", session_words(*s)));
        }
        SQLite::Statement mark(c, "UPDATE sessions SET waitlist_closed = 1 WHERE id = ?");
        mark.bind(1, session_id);
        mark.exec();
        tx.commit();
        ++closed;
    }
    return closed;
}

int serve_open_waitlists(App& app) {
    const UnixSeconds now = app.now();
    const auto sessions = ids_of(app.db.conn(),
                                 "SELECT DISTINCT b.session_id FROM bookings b JOIN sessions s ON s.id = b.session_id"
                                 " WHERE b.status = 'waitlisted' AND s.closes_at > ? AND s.status = 'scheduled'",
                                 now);
    int served = 0;
    for (Id id : sessions) {
        WriteTx tx(app.db);
        served += serve_session_waitlist(tx.conn(), id, now, std::nullopt);
        tx.commit();
    }
    return served;
}

//-----------------------------------------------------------------------------
// [SECTION] Reminders
//-----------------------------------------------------------------------------

// M2: the reminder goes at start − 72 h, so that a person who cannot come still cancels before
// C1's deadline (closes_at, by default start − 24 h) and the places go to someone else in time.
// A session that closes earlier than that gets it a day before it closes instead.
constexpr UnixSeconds kReminderBeforeStart = 72 * kHour;
constexpr UnixSeconds kReminderBeforeClose = 24 * kHour;

int send_reminders(App& app) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    SQLite::Statement q(
        c, "SELECT b.id, b.social_worker_id, b.session_id, b.beneficiary_id, b.places, b.code"
           " FROM bookings b JOIN sessions s ON s.id = b.session_id"
           " WHERE b.status = 'confirmed' AND s.status = 'scheduled' AND s.start_at > :now"
           " AND :now >= MIN(s.start_at - :before_start, s.closes_at - :before_close)"
           " AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.booking_id = b.id AND n.kind = 'reminder')");
    q.bind(":now", now);
    q.bind(":before_start", kReminderBeforeStart);
    q.bind(":before_close", kReminderBeforeClose);
    struct Row {
        Id id, worker, session, beneficiary;
        int places;
        std::string code;
    };
    std::vector<Row> rows;
    while (q.executeStep())
        rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64(),
                        q.getColumn(3).getInt64(), q.getColumn(4).getInt(), q.getColumn(5).getString()});
    q.reset();
    for (const Row& r : rows) {
        auto s = find_session(c, r.session);
        if (!s) continue;
        notify(c, now, r.worker, "reminder", r.id, r.session,
               fmt::format("Rappel : {} pour {} ({} place{}) — code {}. Adresse : {}, {} {}. Un empêchement ? "
                           "Annulez dès maintenant : les places iront à quelqu’un d’autre.",
                           session_words(*s), guest_words(c, r.beneficiary), r.places, r.places > 1 ? "s" : "", r.code,
                           s->venue.address, s->venue.postal_code, s->venue.city));
    }
    tx.commit();
    return static_cast<int>(rows.size());
}

//-----------------------------------------------------------------------------
// [SECTION] P1 erasure
//-----------------------------------------------------------------------------

namespace {

// `months` calendar months before `t` (the day clamped to the shorter month).
UnixSeconds months_before(UnixSeconds t, int months) {
    CivilDateTime c = civil_from_unix(t);
    int m = c.year * 12 + (c.month - 1) - months;
    c.year = m / 12;
    c.month = m % 12 + 1;
    c.day = std::min(c.day, days_in_month(c.year, c.month));
    return unix_from_civil(c);
}

// Identifying fields of a beneficiary, wherever they appear in an audit entry's JSON.
void redact(json& j) {
    static constexpr const char* kFields[] = {"first_name",  "last_name", "birth_year",
                                              "postal_code", "phone",     "preferred_language"};
    if (j.is_object()) {
        for (const char* k : kFields)
            if (j.contains(k)) j[k] = nullptr;
        for (auto& [_, v] : j.items()) redact(v);
    } else if (j.is_array()) {
        for (auto& v : j) redact(v);
    }
}

}  // namespace

int erase_inactive_beneficiaries(App& app) {
    const UnixSeconds now = app.now();
    std::vector<std::string> territories;
    {
        SQLite::Statement q(app.db.conn(), "SELECT DISTINCT territory FROM organisations WHERE kind = 'structure'");
        while (q.executeStep()) territories.push_back(q.getColumn(0).getString());
    }
    int erased = 0;
    for (const auto& territory : territories) {
        const UnixSeconds cutoff = months_before(now, load_settings(app.db.conn(), territory).erase_after_months);
        // Last activity: the latest session booked for them, else when they were registered.
        std::vector<Id> due;
        {
            SQLite::Statement q(
                app.db.conn(),
                "SELECT e.id FROM beneficiaries e JOIN organisations o ON o.id = e.structure_id"
                " WHERE o.territory = ? AND e.erased_at IS NULL AND MAX(e.created_at,"
                " COALESCE((SELECT MAX(s.start_at) FROM bookings b JOIN sessions s ON s.id = b.session_id"
                "           WHERE b.beneficiary_id = e.id), 0)) < ?");
            q.bind(1, territory);
            q.bind(2, cutoff);
            while (q.executeStep()) due.push_back(q.getColumn(0).getInt64());
        }
        for (Id id : due) {
            WriteTx tx(app.db);
            auto& c = tx.conn();
            SQLite::Statement up(
                c, "UPDATE beneficiaries SET first_name = NULL, last_name = NULL, birth_year = NULL,"
                   " postal_code = NULL, phone = NULL, preferred_language = NULL, children_birth_years = '',"
                   " erased_at = ?,"
                   " updated_at = ? WHERE id = ? AND erased_at IS NULL");
            up.bind(1, now);
            up.bind(2, now);
            up.bind(3, id);
            if (up.exec() == 0) continue;
            struct Entry {
                Id id;
                json before, after;
            };
            std::vector<Entry> entries;
            {
                SQLite::Statement q(
                    c, "SELECT id, before, after FROM audit_log WHERE beneficiary_id = ? AND redacted = 0");
                q.bind(1, id);
                while (q.executeStep()) {
                    Entry e{q.getColumn(0).getInt64(),
                            q.getColumn(1).isNull() ? json(nullptr)
                                                    : json::parse(q.getColumn(1).getString(), nullptr, false),
                            q.getColumn(2).isNull() ? json(nullptr)
                                                    : json::parse(q.getColumn(2).getString(), nullptr, false)};
                    entries.push_back(std::move(e));
                }
            }
            for (Entry& e : entries) {
                redact(e.before);
                redact(e.after);
                SQLite::Statement r(c, "UPDATE audit_log SET before = ?, after = ?, redacted = 1 WHERE id = ?");
                if (e.before.is_null()) r.bind(1);
                else r.bind(1, e.before.dump());
                if (e.after.is_null()) r.bind(2);
                else r.bind(2, e.after.dump());
                r.bind(3, e.id);
                r.exec();
            }
            // Notifications named the person ("Amina K."): they go the same way.
            SQLite::Statement n(
                c, "UPDATE notifications SET message = 'Message effacé : les données de la personne ont été"
                   " supprimées (durée de conservation dépassée).' WHERE booking_id IN"
                   " (SELECT id FROM bookings WHERE beneficiary_id = ?)");
            n.bind(1, id);
            n.exec();
            // So did the e-mails about their bookings (P2 form in the subject and body).
            SQLite::Statement m(
                c,
                "UPDATE outbox SET subject = 'Message effacé', body_text = 'Message effacé : les données de la"
                " personne ont été supprimées (durée de conservation dépassée).', body_html = '<p>Message effacé."
                "</p>', attach_invitation = 0 WHERE booking_id IN (SELECT id FROM bookings WHERE beneficiary_id = ?)");
            m.bind(1, id);
            m.exec();
            audit(c, now, std::nullopt, "beneficiary.erase", "beneficiary", id, nullptr,
                  json{{"erased_at", format_utc(now)}, {"audit_entries_redacted", entries.size()}});
            tx.commit();
            ++erased;
        }
    }
    // The write-ahead log still holds the pages as they were before the erasure, names included:
    // copy it into the file (where secure_delete has zeroed them) and empty it.
    if (erased > 0) app.db.conn().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return erased;
}

//-----------------------------------------------------------------------------
// [SECTION] Housekeeping
//-----------------------------------------------------------------------------

void housekeeping(App& app) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    SQLite::Statement a(c, "DELETE FROM idempotency_keys WHERE created_at < ?");
    a.bind(1, now - kDay);
    a.exec();
    SQLite::Statement b(c, "DELETE FROM auth_sessions WHERE expires_at < ? OR (ended_at IS NOT NULL AND ended_at < ?)");
    b.bind(1, now - 7 * kDay);
    b.bind(2, now - 7 * kDay);
    b.exec();
    SQLite::Statement n(c, "DELETE FROM notifications WHERE created_at < ?");
    n.bind(1, now - 365 * kDay);
    n.exec();
    refresh_query_statistics(c);  // the catalogue's plan depends on them as the data grows
    tx.commit();
}

}  // namespace uneplace::server
