// uneplace server — the outbox's SQL (mail.hpp): queueing M1–M4 inside the transactions that cause
// them, the M4 job, M5's preferences and the administrators' view of the outbox.
//
// Index of this file:
// [SECTION] Queueing
// [SECTION] M4: feedback requests
// [SECTION] Preferences
// [SECTION] Outbox
#include <fmt/format.h>

#include "mail.hpp"
#include "store.hpp"
#include "uneplace/mail.hpp"

namespace uneplace::server {

using nlohmann::json;

//-----------------------------------------------------------------------------
// [SECTION] Queueing
//-----------------------------------------------------------------------------

namespace {

// Written once at start (set_mail_public_url), before the threads that read it exist.
std::string g_public_url = "http://127.0.0.1:8080";

// The social worker and the booking a message is about, with what it says (P2 for the guest).
struct MailSubject {
    std::string email;
    MailFacts facts;
    bool reminders = true, feedback_requests = true;
};

std::optional<MailSubject> read_mail_subject(SQLite::Database& c, Id user_id, Id booking_id) {
    KeptStatement kept(c, "SELECT u.email, u.display_name, u.mail_reminders, u.mail_feedback_requests,"
                          " b.session_id, b.beneficiary_id, b.places, b.code"
                          " FROM users u, bookings b WHERE u.id = ? AND b.id = ?");
    SQLite::Statement& q = *kept;
    q.bind(1, user_id);
    q.bind(2, booking_id);
    if (!q.executeStep()) return std::nullopt;
    MailSubject m;
    m.email = q.getColumn(0).getString();
    m.facts.recipient_name = q.getColumn(1).getString();
    m.reminders = q.getColumn(2).getInt() != 0;
    m.feedback_requests = q.getColumn(3).getInt() != 0;
    const Id session_id = q.getColumn(4).getInt64();
    const Id beneficiary_id = q.getColumn(5).getInt64();
    m.facts.places = q.getColumn(6).getInt();
    if (!q.getColumn(7).isNull()) m.facts.code = q.getColumn(7).getString();
    q.reset();
    const auto s = find_session(c, session_id);
    if (!s) return std::nullopt;
    m.facts.title = s->title;
    m.facts.venue_name = s->venue.name;
    m.facts.venue_address = s->venue.address;
    m.facts.postal_code = s->venue.postal_code;
    m.facts.city = s->venue.city;
    m.facts.territory = s->info.territory;
    m.facts.start = s->info.start;
    m.facts.pickup = from_code<PickupMode>(s->pickup_mode).value_or(PickupMode::GuestList);
    m.facts.guest = guest_words(c, beneficiary_id);  // P2: "Amina K." (the reference once erased)
    m.facts.link = g_public_url + "/#/reservations";
    return m;
}

// One row of the outbox, once per (event, booking); audited when it is new.
void queue_mail(SQLite::Database& c, UnixSeconds at, Id user_id, Id booking_id, MailKind kind, std::string_view event,
                const MailSubject& who) {
    MailFacts facts = who.facts;
    facts.kind = kind;
    facts.event = std::string(event);
    const MailText text = compose_mail(facts);
    KeptStatement kept(c, "INSERT OR IGNORE INTO outbox (kind, event, dedup_key, user_id, recipient, subject,"
                          " body_text, body_html, booking_id, attach_invitation, next_attempt_at, created_at,"
                          " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement& ins = *kept;
    ins.bind(1, std::string(mail_kind_code(kind)));
    ins.bind(2, std::string(event));
    ins.bind(3, fmt::format("{}:{}", event, booking_id));
    ins.bind(4, user_id);
    ins.bind(5, who.email);
    ins.bind(6, text.subject);
    ins.bind(7, text.text);
    ins.bind(8, text.html);
    ins.bind(9, booking_id);
    ins.bind(10, kind == MailKind::Confirmed ? 1 : 0);
    ins.bind(11, at);
    ins.bind(12, at);
    ins.bind(13, at);
    if (ins.exec() == 0) return;  // already queued for this event
    audit(c, at, std::nullopt, "mail.queued", "outbox", c.getLastInsertRowid(), nullptr,
          json{{"kind", mail_kind_code(kind)}, {"event", event}, {"booking_id", booking_id}, {"user_id", user_id}});
}

}  // namespace

void set_mail_public_url(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    g_public_url = std::move(url);
}

void queue_mail_for_notification(SQLite::Database& c, UnixSeconds at, Id user_id, std::string_view kind,
                                 Id booking_id) {
    const auto mail_kind = mail_kind_of_notification(kind);
    if (!mail_kind) return;
    const auto who = read_mail_subject(c, user_id, booking_id);
    if (!who) return;
    if (*mail_kind == MailKind::Reminder && !who->reminders) return;  // M5
    queue_mail(c, at, user_id, booking_id, *mail_kind, kind, *who);
}

//-----------------------------------------------------------------------------
// [SECTION] M4: feedback requests
//-----------------------------------------------------------------------------

// M4 goes the day after the outing; a request older than a week is not sent any more (a server
// that was down, or a preference turned back on, must not bring a flood of stale questions).
constexpr UnixSeconds kFeedbackAfterStart = kDay;
constexpr UnixSeconds kFeedbackAskedUntil = 8 * kDay;

int queue_feedback_requests(App& app) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    SQLite::Statement q(c, "SELECT b.id, b.social_worker_id FROM bookings b"
                           " JOIN sessions s ON s.id = b.session_id JOIN users u ON u.id = b.social_worker_id"
                           " WHERE b.status IN ('confirmed', 'attended') AND s.status = 'scheduled'"
                           " AND s.start_at + :after <= :now AND s.start_at + :until > :now"
                           " AND u.mail_feedback_requests = 1"
                           " AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.booking_id = b.id)"
                           " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedup_key = 'feedback_request:' || b.id)");
    q.bind(":after", kFeedbackAfterStart);
    q.bind(":until", kFeedbackAskedUntil);
    q.bind(":now", now);
    std::vector<std::pair<Id, Id>> due;
    while (q.executeStep()) due.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
    q.reset();
    for (auto [booking, worker] : due)
        if (auto who = read_mail_subject(c, worker, booking))
            queue_mail(c, now, worker, booking, MailKind::FeedbackRequest, "feedback_request", *who);
    tx.commit();
    return static_cast<int>(due.size());
}

//-----------------------------------------------------------------------------
// [SECTION] Preferences
//-----------------------------------------------------------------------------

namespace {
MailPreferences read_preferences(SQLite::Database& c, Id user_id) {
    SQLite::Statement q(c, "SELECT mail_reminders, mail_feedback_requests FROM users WHERE id = ?");
    q.bind(1, user_id);
    if (!q.executeStep()) fail("not_found");
    return {q.getColumn(0).getInt() != 0, q.getColumn(1).getInt() != 0};
}
json preferences_json(const MailPreferences& p) {
    return {{"reminders", p.reminders}, {"feedback_requests", p.feedback_requests}};
}
}  // namespace

MailPreferences get_mail_preferences(App& app, const Actor& actor) {
    return read_preferences(app.db.conn(), actor.user_id);
}

MailPreferences set_mail_preferences(App& app, const Actor& actor, std::optional<bool> reminders,
                                     std::optional<bool> feedback_requests) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const MailPreferences before = read_preferences(c, actor.user_id);
    MailPreferences after = before;
    if (reminders) after.reminders = *reminders;
    if (feedback_requests) after.feedback_requests = *feedback_requests;
    SQLite::Statement up(c, "UPDATE users SET mail_reminders = ?, mail_feedback_requests = ?, updated_at = ?"
                            " WHERE id = ?");
    up.bind(1, after.reminders ? 1 : 0);
    up.bind(2, after.feedback_requests ? 1 : 0);
    up.bind(3, now);
    up.bind(4, actor.user_id);
    up.exec();
    audit(c, now, actor.user_id, "user.mail_preferences", "user", actor.user_id, preferences_json(before),
          preferences_json(after));
    tx.commit();
    return after;
}

//-----------------------------------------------------------------------------
// [SECTION] Outbox
//-----------------------------------------------------------------------------

OutboxPage list_outbox(App& app, const Actor& admin, const std::string& status, int limit) {
    auto& c = app.db.conn();
    OutboxPage page;
    page.mail_configured = !app.options.smtp_url.empty();
    {
        SQLite::Statement n(c, "SELECT status, COUNT(*) FROM outbox WHERE status IN ('queued', 'failed')"
                               " GROUP BY status");
        while (n.executeStep())
            (n.getColumn(0).getString() == "queued" ? page.queued : page.failed) = n.getColumn(1).getInt();
    }
    // A scoped administrator sees the messages of the social workers of its départements.
    SQLite::Statement q(c, "SELECT o.id, o.kind, o.event, o.status, o.recipient, o.subject, o.booking_id, o.attempts,"
                           " o.next_attempt_at, o.sent_at, o.last_error, o.created_at FROM outbox o"
                           " JOIN users u ON u.id = o.user_id LEFT JOIN organisations g ON g.id = u.organisation_id"
                           " WHERE o.status = ?" +
                               admin_scope_sql(admin, "g.territory") + " ORDER BY o.id DESC LIMIT ?");
    q.bind(1, status);
    q.bind(2, limit);
    while (q.executeStep()) {
        OutboxLine l;
        l.id = q.getColumn(0).getInt64();
        l.kind = q.getColumn(1).getString();
        l.event = q.getColumn(2).getString();
        l.status = q.getColumn(3).getString();
        l.recipient = q.getColumn(4).getString();
        l.subject = q.getColumn(5).getString();
        if (!q.getColumn(6).isNull()) l.booking_id = q.getColumn(6).getInt64();
        l.attempts = q.getColumn(7).getInt();
        if (l.status == "queued") l.next_attempt_at = q.getColumn(8).getInt64();
        if (!q.getColumn(9).isNull()) l.sent_at = q.getColumn(9).getInt64();
        l.last_error = q.getColumn(10).getString();
        l.created_at = q.getColumn(11).getInt64();
        page.items.push_back(std::move(l));
    }
    return page;
}

}  // namespace uneplace::server
