// uneplace server — webhooks of the feed: signing keys, subscriptions and the delivery log
// (webhooks.hpp; the queue's rows are migration 11's). Sending is webhooks.cpp's.
//
// Index of this file:
// [SECTION] Signing keys
// [SECTION] Subscriptions
// [SECTION] The delivery log, redelivery, ping
#include <sodium.h>

#include "feed.hpp"
#include "tickets.hpp"
#include "webhooks.hpp"

namespace uneplace::server {

using nlohmann::json;

//-----------------------------------------------------------------------------
// [SECTION] Signing keys
//-----------------------------------------------------------------------------

void ensure_webhook_key(SQLite::Database& conn, UnixSeconds now) {
    SQLite::Transaction tx(conn, SQLite::TransactionBehavior::IMMEDIATE);
    const bool none = conn.execAndGet("SELECT COUNT(*) FROM webhook_keys").getInt64() == 0;
    if (none) insert_signing_key(conn, "webhook_keys", now);
    tx.commit();
}

Id rotate_webhook_key(SQLite::Database& conn, UnixSeconds now) {
    SQLite::Transaction tx(conn, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement retire(conn, "UPDATE webhook_keys SET retired_at = ? WHERE retired_at IS NULL");
    retire.bind(1, now);
    retire.exec();
    const Id id = insert_signing_key(conn, "webhook_keys", now);
    tx.commit();
    return id;
}

std::vector<WebhookKey> published_webhook_keys(SQLite::Database& conn, UnixSeconds now) {
    SQLite::Statement q(conn, "SELECT id, public_key, created_at, retired_at FROM webhook_keys"
                              " WHERE retired_at IS NULL OR retired_at > ? ORDER BY id");
    q.bind(1, now - kWebhookKeyGraceS);
    std::vector<WebhookKey> out;
    while (q.executeStep())
        out.push_back(
            {q.getColumn(0).getInt64(), blob_text(q.getColumn(1)), q.getColumn(2).getInt64(), opt_int(q.getColumn(3))});
    return out;
}

WebhookSignature sign_webhook(SQLite::Database& conn, std::string_view event_id, std::int64_t timestamp,
                              std::string_view body) {
    std::string signed_text;
    signed_text.reserve(event_id.size() + body.size() + 24);
    signed_text.append(event_id).append(".").append(std::to_string(timestamp)).append(".").append(body);
    const Ed25519Signature signature = sign_with_newest_key(conn, "webhook_keys", [&](Id) { return signed_text; });
    WebhookSignature out;
    out.key_id = signature.key_id;
    out.signature_base64 = base64_original(signature.bytes);
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Subscriptions
//-----------------------------------------------------------------------------

namespace {

const char* const kWebhookSelect = "SELECT id, organisation_id, url, events, status, created_at, disabled_at,"
                                   " disabled_reason FROM webhooks";

WebhookView read_webhook(SQLite::Statement& q) {
    WebhookView w;
    w.id = q.getColumn(0).getInt64();
    w.organisation_id = q.getColumn(1).getInt64();
    w.url = q.getColumn(2).getString();
    w.events = static_cast<unsigned>(q.getColumn(3).getInt());
    w.status = q.getColumn(4).getString();
    w.created_at = q.getColumn(5).getInt64();
    w.disabled_at = opt_int(q.getColumn(6));
    w.disabled_reason = opt_text(q.getColumn(7)).value_or("");
    return w;
}

json webhook_audit(const WebhookView& w) {
    return {{"id", w.id},
            {"organisation_id", w.organisation_id},
            {"url", w.url},
            {"events", webhook_event_codes(w.events)},
            {"status", w.status}};
}

// The webhook `id` if `actor` manages its organisation; 404 otherwise (nothing learnt about
// another organisation's webhooks).
WebhookView owned_webhook(SQLite::Database& c, const Actor& actor, Id id) {
    auto w = find_by_id(c, kWebhookSelect, " WHERE id = ?", id, read_webhook);
    if (!w || w->status == "deleted") fail("not_found");
    const std::optional<Id> named = actor.role == Role::Admin ? std::optional<Id>(w->organisation_id) : std::nullopt;
    if (feed_organisation(c, actor, named) != w->organisation_id) fail("not_found");
    return *w;
}

}  // namespace

WebhookView create_webhook(App& app, const Actor& actor, std::optional<Id> organisation_id, std::string_view url_in,
                           unsigned events) {
    const bool allow_private = app.options.webhooks_allow_private;
    auto url = parse_webhook_url(url_in, allow_private);
    if (!url.ok()) fail(*url.refusal);
    if (events == 0) fail("required", "events");
    // Resolved before the write lock is taken (DNS may take seconds), and again at every delivery.
    auto addresses = resolve_webhook_host(url.value.host, allow_private);
    if (!addresses) fail("webhook_url_forbidden", "url");
    if (addresses->empty()) fail("invalid_webhook_url", "url");
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const Id org = feed_organisation(c, actor, organisation_id);
    SQLite::Statement ins(c, "INSERT INTO webhooks (organisation_id, url, events, last_seq, created_by, created_at)"
                             " VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) FROM feed_events), ?, ?)");
    ins.bind(1, org);
    ins.bind(2, std::string(url_in));
    ins.bind(3, static_cast<int>(events));
    ins.bind(4, actor.user_id);
    ins.bind(5, now);
    ins.exec();
    const WebhookView w = *find_by_id(c, kWebhookSelect, " WHERE id = ?", c.getLastInsertRowid(), read_webhook);
    audit(c, now, actor.user_id, "webhook.create", "webhook", w.id, nullptr, webhook_audit(w));
    tx.commit();
    return w;
}

std::vector<WebhookView> list_webhooks(App& app, const Actor& actor, std::optional<Id> organisation_id) {
    auto& c = app.db.conn();
    const Id org = feed_organisation(c, actor, organisation_id);
    SQLite::Statement q(c,
                        std::string(kWebhookSelect) + " WHERE organisation_id = ? AND status <> 'deleted' ORDER BY id");
    q.bind(1, org);
    std::vector<WebhookView> out;
    while (q.executeStep()) out.push_back(read_webhook(q));
    return out;
}

WebhookView delete_webhook(App& app, const Actor& actor, Id id) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const WebhookView before = owned_webhook(c, actor, id);
    SQLite::Statement up(c, "UPDATE webhooks SET status = 'deleted', disabled_at = ?, disabled_reason = 'deleted'"
                            " WHERE id = ?");
    up.bind(1, now);
    up.bind(2, id);
    up.exec();
    const WebhookView after = *find_by_id(c, kWebhookSelect, " WHERE id = ?", id, read_webhook);
    audit(c, now, actor.user_id, "webhook.delete", "webhook", id, webhook_audit(before), webhook_audit(after));
    tx.commit();
    return after;
}

//-----------------------------------------------------------------------------
// [SECTION] The delivery log, redelivery, ping
//-----------------------------------------------------------------------------

namespace {

const char* const kDeliverySelect =
    "SELECT id, webhook_id, event_seq, event_id, type, redelivery_of, status, attempts, next_attempt_ms,"
    " last_status, last_error, last_latency_ms, created_at, delivered_at FROM webhook_deliveries";

DeliveryView read_delivery(SQLite::Statement& q) {
    DeliveryView d;
    d.id = q.getColumn(0).getInt64();
    d.webhook_id = q.getColumn(1).getInt64();
    d.event_seq = opt_int(q.getColumn(2));
    d.event_id = q.getColumn(3).getString();
    d.type = q.getColumn(4).getString();
    d.redelivery_of = opt_int(q.getColumn(5));
    d.status = q.getColumn(6).getString();
    d.attempts = q.getColumn(7).getInt();
    if (d.status == "pending") d.next_attempt_ms = q.getColumn(8).getInt64();
    if (auto s = opt_int(q.getColumn(9))) d.last_status = static_cast<int>(*s);
    d.last_error = opt_text(q.getColumn(10)).value_or("");
    d.last_latency_ms = opt_int(q.getColumn(11));
    d.created_at = q.getColumn(12).getInt64();
    d.delivered_at = opt_int(q.getColumn(13));
    return d;
}

Id queue_delivery(SQLite::Database& c, Id webhook_id, std::optional<std::int64_t> seq, const std::string& event_id,
                  const std::string& type, std::optional<Id> redelivery_of, std::int64_t due_ms, UnixSeconds now) {
    SQLite::Statement ins(c, "INSERT INTO webhook_deliveries (webhook_id, event_seq, event_id, type, redelivery_of,"
                             " next_attempt_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, webhook_id);
    if (seq) ins.bind(2, *seq);
    else ins.bind(2);
    ins.bind(3, event_id);
    ins.bind(4, type);
    if (redelivery_of) ins.bind(5, *redelivery_of);
    else ins.bind(5);
    ins.bind(6, due_ms);
    ins.bind(7, now);
    ins.exec();
    return c.getLastInsertRowid();
}

void require_active(const WebhookView& w) {
    if (w.status != "active") fail("webhook_disabled");
}

}  // namespace

std::vector<DeliveryView> list_deliveries(App& app, const Actor& actor, Id webhook_id, int limit,
                                          std::optional<Id> before) {
    auto& c = app.db.conn();
    owned_webhook(c, actor, webhook_id);
    SQLite::Statement q(c, std::string(kDeliverySelect) + " WHERE webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
    q.bind(1, webhook_id);
    q.bind(2, before.value_or(INT64_MAX));
    q.bind(3, limit);
    std::vector<DeliveryView> out;
    while (q.executeStep()) out.push_back(read_delivery(q));
    return out;
}

DeliveryView redeliver(App& app, const Actor& actor, Id webhook_id, Id delivery_id) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const WebhookView w = owned_webhook(c, actor, webhook_id);
    auto original = find_by_id(c, kDeliverySelect, " WHERE id = ?", delivery_id, read_delivery);
    if (!original || original->webhook_id != webhook_id) fail("not_found");
    require_active(w);
    const Id id = queue_delivery(c, webhook_id, original->event_seq, original->event_id, original->type, delivery_id,
                                 webhook_clock_ms(app), now);
    audit(c, now, actor.user_id, "webhook.redeliver", "webhook", webhook_id, json{{"delivery_id", delivery_id}},
          json{{"delivery_id", id}, {"event_id", original->event_id}});
    DeliveryView out = *find_by_id(c, kDeliverySelect, " WHERE id = ?", id, read_delivery);
    tx.commit();
    return out;
}

DeliveryView ping_webhook(App& app, const Actor& actor, Id webhook_id) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    require_active(owned_webhook(c, actor, webhook_id));
    const Id id =
        queue_delivery(c, webhook_id, std::nullopt, "evt_ping", "ping", std::nullopt, webhook_clock_ms(app), now);
    SQLite::Statement name(c, "UPDATE webhook_deliveries SET event_id = 'evt_ping_' || id WHERE id = ?");
    name.bind(1, id);
    name.exec();
    DeliveryView out = *find_by_id(c, kDeliverySelect, " WHERE id = ?", id, read_delivery);
    tx.commit();
    return out;
}

}  // namespace uneplace::server
