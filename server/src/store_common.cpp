// uneplace server — services shared by every area: audit log, notifications, settings, sessions.
//
// Index of this file:
// [SECTION] Audit log and notifications
// [SECTION] Idempotency keys
// [SECTION] Settings
// [SECTION] Session views
#include <spdlog/spdlog.h>

#include "store.hpp"
#include "mail.hpp"
#include "uneplace/domain.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Audit log and notifications
//-----------------------------------------------------------------------------

void audit(SQLite::Database& conn, UnixSeconds at, std::optional<Id> actor_user_id, std::string_view action,
           std::string_view entity, std::optional<Id> entity_id, const nlohmann::json& before,
           const nlohmann::json& after, std::optional<Id> beneficiary_id) {
    static constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
    KeptStatement kept(
        conn, "INSERT INTO audit_log (at, actor_user_id, action, entity, entity_id, before, after, beneficiary_id)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement& ins = *kept;
    ins.bind(1, at);
    if (actor_user_id) ins.bind(2, *actor_user_id);
    else ins.bind(2);
    ins.bind(3, std::string(action));
    ins.bind(4, std::string(entity));
    if (entity_id) ins.bind(5, *entity_id);
    else ins.bind(5);
    if (before.is_null()) ins.bind(6);
    else ins.bind(6, before.dump(-1, ' ', false, kReplace));
    if (after.is_null()) ins.bind(7);
    else ins.bind(7, after.dump(-1, ' ', false, kReplace));
    if (beneficiary_id) ins.bind(8, *beneficiary_id);
    else ins.bind(8);
    ins.exec();
}

void notify(SQLite::Database& conn, UnixSeconds at, Id user_id, std::string_view kind, std::optional<Id> booking_id,
            std::optional<Id> session_id, const std::string& message) {
    // OR IGNORE: the reminder index makes a second reminder for one booking a no-op.
    KeptStatement kept(
        conn, "INSERT OR IGNORE INTO notifications (user_id, kind, booking_id, session_id, message, created_at)"
              " VALUES (?, ?, ?, ?, ?, ?)");
    SQLite::Statement& ins = *kept;
    ins.bind(1, user_id);
    ins.bind(2, std::string(kind));
    if (booking_id) ins.bind(3, *booking_id);
    else ins.bind(3);
    if (session_id) ins.bind(4, *session_id);
    else ins.bind(4);
    ins.bind(5, message);
    ins.bind(6, at);
    ins.exec();
    // M1–M3: the e-mail that goes with it, in the same transaction (a crash loses neither).
    if (booking_id) queue_mail_for_notification(conn, at, user_id, kind, *booking_id);
}

//-----------------------------------------------------------------------------
// [SECTION] Idempotency keys
//-----------------------------------------------------------------------------

std::optional<StoredAnswer> idempotency_find(App& app, Id user_id, const std::string& key) {
    SQLite::Statement q(
        app.db.conn(),
        "SELECT status, body, request_hash FROM idempotency_keys WHERE user_id = ? AND key = ? AND created_at > ?");
    q.bind(1, user_id);
    q.bind(2, key);
    q.bind(3, app.now() - kDay);
    if (!q.executeStep()) return std::nullopt;
    return StoredAnswer{q.getColumn(0).getInt(), q.getColumn(1).getString(), q.getColumn(2).getString()};
}

void idempotency_save(App& app, Id user_id, const std::string& key, const std::string& request_hash, int status,
                      const std::string& body) {
    WriteTx tx(app.db);
    // REPLACE: a row older than 24 h may still be there (the scheduler purges them).
    SQLite::Statement ins(
        tx.conn(), "INSERT OR REPLACE INTO idempotency_keys (user_id, key, request_hash, status, body, created_at)"
                   " VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, user_id);
    ins.bind(2, key);
    ins.bind(3, request_hash);
    ins.bind(4, status);
    ins.bind(5, body);
    ins.bind(6, app.now());
    ins.exec();
    tx.commit();
}

//-----------------------------------------------------------------------------
// [SECTION] Settings
//-----------------------------------------------------------------------------

namespace {
// "share_percent, release_hours_before_close, …": the settings table's columns, in the table's order.
std::string settings_columns() {
    std::string columns;
    for (const auto& f : kTerritorySettingFields) columns += std::string(columns.empty() ? "" : ", ") + f.name;
    return columns;
}
}  // namespace

TerritorySettings load_settings(SQLite::Database& conn, std::string_view territory) {
    static const std::string kSql =
        "SELECT " + settings_columns() + " FROM settings WHERE territory IN (?, '*') ORDER BY territory = '*' LIMIT 1";
    KeptStatement kept(conn, kSql.c_str());
    SQLite::Statement& q = *kept;
    q.bind(1, std::string(territory));
    TerritorySettings s;
    if (q.executeStep()) {
        int column = 0;
        for (const auto& f : kTerritorySettingFields) s.*f.member = q.getColumn(column++).getInt();
    }
    return s;
}

void save_settings(SQLite::Database& conn, std::string_view territory, const TerritorySettings& s, UnixSeconds now) {
    std::string sql = "INSERT OR REPLACE INTO settings (territory, " + settings_columns() + ", updated_at) VALUES (?";
    for (std::size_t i = 0; i < std::size(kTerritorySettingFields); ++i) sql += ", ?";
    sql += ", ?)";
    SQLite::Statement up(conn, sql);
    int column = 1;
    up.bind(column++, std::string(territory));
    for (const auto& f : kTerritorySettingFields) up.bind(column++, s.*f.member);
    up.bind(column, now);
    up.exec();
}

nlohmann::json settings_fields_json(const TerritorySettings& s) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& f : kTerritorySettingFields) j[f.name] = s.*f.member;
    return j;
}

//-----------------------------------------------------------------------------
// [SECTION] Session views
//-----------------------------------------------------------------------------

const char* const kSessionViewSelect =
    "SELECT s.id, s.offer_id, o.partner_id, v.territory, s.start_at, s.duration_min, s.capacity,"
    " s.max_per_booking, COALESCE(s.opens_at, o.published_at, s.created_at), s.closes_at, s.allocation,"
    " s.draw_at, s.status, o.status, o.min_age, o.category,"
    " o.title, o.description, o.pickup_mode, o.accessibility, p.name,"
    " v.id, v.name, v.address, v.postal_code, v.city, v.accessibility, v.archived,"
    " s.places_held,"  // kept by the bookings triggers (migration 4), never summed here
    " s.opens_at, s.drawn_at,"
    " (SELECT version FROM offer_images WHERE offer_id = s.offer_id)"  // the poster (migration 13)
    " FROM sessions s JOIN offers o ON o.id = s.offer_id JOIN venues v ON v.id = o.venue_id"
    " JOIN organisations p ON p.id = o.partner_id";

SessionView read_session_view(SQLite::Statement& q) {
    SessionView v;
    SessionInfo& i = v.info;
    i.id = q.getColumn(0).getInt64();
    i.offer_id = q.getColumn(1).getInt64();
    i.partner_id = q.getColumn(2).getInt64();
    i.territory = q.getColumn(3).getString();
    i.start = q.getColumn(4).getInt64();
    i.duration_min = q.getColumn(5).getInt();
    i.capacity = q.getColumn(6).getInt();
    i.max_per_booking = q.getColumn(7).getInt();
    i.opens_at = q.getColumn(8).getInt64();
    i.closes_at = q.getColumn(9).getInt64();
    i.allocation = from_code<AllocationMode>(q.getColumn(10).getString()).value_or(AllocationMode::FirstCome);
    i.draw_at = q.getColumn(11).isNull() ? 0 : q.getColumn(11).getInt64();
    i.status = from_code<SessionStatus>(q.getColumn(12).getString()).value_or(SessionStatus::Cancelled);
    i.offer_status = from_code<OfferStatus>(q.getColumn(13).getString()).value_or(OfferStatus::Draft);
    i.min_age = q.getColumn(14).getInt();
    i.category = from_code<Category>(q.getColumn(15).getString()).value_or(Category::Theatre);
    v.title = q.getColumn(16).getString();
    v.description = q.getColumn(17).getString();
    v.pickup_mode = q.getColumn(18).getString();
    v.offer_accessibility = static_cast<AccessibilityFlags>(q.getColumn(19).getInt());
    v.partner_name = q.getColumn(20).getString();
    v.venue.id = q.getColumn(21).getInt64();
    v.venue.partner_id = i.partner_id;
    v.venue.name = q.getColumn(22).getString();
    v.venue.address = q.getColumn(23).getString();
    v.venue.postal_code = q.getColumn(24).getString();
    v.venue.city = q.getColumn(25).getString();
    v.venue.territory = i.territory;
    v.venue.accessibility = static_cast<AccessibilityFlags>(q.getColumn(26).getInt());
    v.venue.archived = q.getColumn(27).getInt() != 0;
    v.places_held = q.getColumn(28).getInt();
    v.opens_at_set = opt_int(q.getColumn(29));
    v.drawn_at = opt_int(q.getColumn(30));
    v.image_version = q.getColumn(31).isNull() ? 0 : q.getColumn(31).getInt();
    return v;
}

std::optional<SessionView> find_session(SQLite::Database& conn, Id session_id) {
    static const std::string kSql = std::string(kSessionViewSelect) + " WHERE s.id = ?";
    KeptStatement kept(conn, kSql.c_str());
    SQLite::Statement& q = *kept;
    q.bind(1, session_id);
    if (!q.executeStep()) return std::nullopt;
    return read_session_view(q);
}

}  // namespace uneplace::server
