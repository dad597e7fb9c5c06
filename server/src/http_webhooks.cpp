// uneplace server — routes of the feed's webhooks (API.md "Ticketing-network feed"): subscribe,
// list, delete, the delivery log, redeliver, ping, and the public keys that verify signatures.
// The services are webhooks.hpp's.
//
// Index of this file:
// [SECTION] Answers
// [SECTION] Handlers
// [SECTION] Route table
#include "api.hpp"
#include "tickets.hpp"
#include "uneplace/local_time.hpp"
#include "webhooks.hpp"

namespace uneplace::server {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Answers
//-----------------------------------------------------------------------------

json webhook_json(const WebhookView& w) {
    return {{"id", w.id},
            {"organisation_id", w.organisation_id},
            {"url", w.url},
            {"events", webhook_event_codes(w.events)},
            {"status", w.status},
            {"created_at", format_utc(w.created_at)},
            {"disabled_at", time_or_null(w.disabled_at)},
            {"disabled_reason", w.disabled_reason.empty() ? json(nullptr) : json(w.disabled_reason)}};
}

json delivery_json(const DeliveryView& d) {
    return {{"id", d.id},
            {"webhook_id", d.webhook_id},
            {"event_id", d.event_id},
            {"type", d.type},
            {"seq", d.event_seq ? json(*d.event_seq) : json(nullptr)},
            {"redelivery_of", d.redelivery_of ? json(*d.redelivery_of) : json(nullptr)},
            {"status", d.status},
            {"attempts", d.attempts},
            {"next_attempt_at", d.next_attempt_ms ? json(format_utc(*d.next_attempt_ms / 1000)) : json(nullptr)},
            {"last_status", d.last_status ? json(*d.last_status) : json(nullptr)},
            {"last_error", d.last_error.empty() ? json(nullptr) : json(d.last_error)},
            {"last_latency_ms", d.last_latency_ms ? json(*d.last_latency_ms) : json(nullptr)},
            {"created_at", format_utc(d.created_at)},
            {"delivered_at", time_or_null(d.delivered_at)}};
}

//-----------------------------------------------------------------------------
// [SECTION] Handlers
//-----------------------------------------------------------------------------

Response post_webhook(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"url", "events", "organisation_id"});
    const std::string url = req_string(body, "url");
    auto it = body.find("events");
    if (it == body.end() || it->is_null()) fail("required", "events");
    if (!it->is_array()) fail("validation", "events");
    unsigned events = 0;
    for (const auto& e : *it) {
        if (!e.is_string()) fail("invalid_event_type", "events");
        auto parsed = parse_webhook_event(e.get<std::string>());
        if (!parsed.ok()) fail(*parsed.refusal);
        events |= parsed.value;
    }
    std::optional<Id> org;
    if (auto o = opt_int_field(body, "organisation_id")) org = *o;
    return json_response(201, webhook_json(create_webhook(app, req.who(), org, url, events)));
}

Response get_webhooks(App& app, Request& req) {
    std::optional<Id> org;
    if (auto o = query_int(req, "organisation_id")) org = *o;
    json items = json::array();
    for (const auto& w : list_webhooks(app, req.who(), org)) items.push_back(webhook_json(w));
    return json_response(200, page_json(std::move(items), std::nullopt));
}

Response delete_webhook_route(App& app, Request& req) {
    return json_response(200, webhook_json(delete_webhook(app, req.who(), req.id_param())));
}

// Newest first; `cursor` is the last id read (the next page holds older ones).
Response get_deliveries(App& app, Request& req) {
    std::optional<Id> before;
    if (auto c = query_int(req, "cursor")) before = *c;
    const int limit = query_limit(req);
    const auto rows = list_deliveries(app, req.who(), req.id_param(), limit, before);
    json items = json::array();
    for (const auto& d : rows) items.push_back(delivery_json(d));
    std::optional<std::string> next;
    if (static_cast<int>(rows.size()) == limit) next = std::to_string(rows.back().id);
    return json_response(200, page_json(std::move(items), next));
}

Response post_redeliver(App& app, Request& req) {
    return json_response(201, delivery_json(redeliver(app, req.who(), req.id_param(0), req.id_param(1))));
}

Response post_ping(App& app, Request& req) {
    return json_response(201, delivery_json(ping_webhook(app, req.who(), req.id_param())));
}

Response get_webhook_keys(App& app, Request&) {
    json keys = json::array();
    for (const auto& k : published_webhook_keys(app.db.conn(), app.now()))
        keys.push_back({{"kid", std::to_string(k.id)},
                        {"public_key_base64", base64_original(k.public_key)},
                        {"created_at", format_utc(k.created_at)},
                        {"retired_at", time_or_null(k.retired_at)}});
    return json_response(200, {{"algorithm", "Ed25519"}, {"keys", std::move(keys)}});
}

//-----------------------------------------------------------------------------
// [SECTION] Schemas
//-----------------------------------------------------------------------------

json webhook_schema() {
    return s_obj({{"id", s_int()},
                  {"organisation_id", s_int()},
                  {"url", s_str()},
                  {"events", {{"type", "array"}, {"items", s_str()}}},
                  {"status", s_enum({"active", "disabled", "deleted"})},
                  {"created_at", s_time()},
                  {"disabled_at", s_nullable(s_time())},
                  {"disabled_reason", s_nullable(s_str())}});
}

json delivery_schema() {
    return s_obj({{"id", s_int()},
                  {"webhook_id", s_int()},
                  {"event_id", s_str()},
                  {"type", s_str()},
                  {"seq", s_nullable(s_int())},
                  {"redelivery_of", s_nullable(s_int())},
                  {"status", s_enum({"pending", "delivered", "failed"})},
                  {"attempts", s_int()},
                  {"next_attempt_at", s_nullable(s_time())},
                  {"last_status", s_nullable(s_int())},
                  {"last_error", s_nullable(s_str())},
                  {"last_latency_ms", s_nullable(s_int())},
                  {"created_at", s_time()},
                  {"delivered_at", s_nullable(s_time())}});
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Route table
//-----------------------------------------------------------------------------

void add_webhook_routes(std::vector<Route>& r) {
    const unsigned kAdminPartner = Access_Admin | Access_Partner;
    r.push_back({"GET",
                 "/api/v1/webhooks/keys",
                 Access_Anyone,
                 get_webhook_keys,
                 "Clés publiques Ed25519 qui vérifient les webhooks : signature « v1a,BASE64 » sur « webhook-id "
                 "+ . + webhook-timestamp + . + corps », clé nommée par webhook-key-id ; une clé remplacée reste "
                 "listée sept jours",
                 nullptr,
                 s_obj({{"algorithm", s_str()},
                        {"keys",
                         {{"type", "array"},
                          {"items", s_obj({{"kid", s_str()},
                                           {"public_key_base64", s_str()},
                                           {"created_at", s_time()},
                                           {"retired_at", s_nullable(s_time())}})}}}}),
                 200,
                 false,
                 {}});
    r.push_back(
        {"POST",
         "/api/v1/webhooks",
         kAdminPartner,
         post_webhook,
         "Abonner une adresse https:// aux événements de l’organisation (adresse privée, locale ou "
         "réservée : 422 webhook_url_forbidden)",
         s_obj({{"url", s_str()},
                {"events",
                 {{"type", "array"},
                  {"items", s_enum({"booking.created", "booking.cancelled", "booking.checked_in", "booking.no_show",
                                    "waitlist.served", "session.full", "session.cancelled"})}}},
                {"organisation_id", s_int()}},
               {"url", "events"}),
         webhook_schema(),
         201,
         true,
         {400, 401, 403, 404, 422, 429}});
    r.push_back({"GET",
                 "/api/v1/webhooks",
                 kAdminPartner,
                 get_webhooks,
                 "Webhooks de l’organisation (actifs et désactivés)",
                 nullptr,
                 s_list(webhook_schema()),
                 200,
                 false,
                 {401, 403, 404, 429}});
    r.push_back({"DELETE",
                 "/api/v1/webhooks/{id}",
                 kAdminPartner,
                 delete_webhook_route,
                 "Supprimer un webhook (plus aucun envoi ; son journal reste lisible)",
                 nullptr,
                 webhook_schema(),
                 200,
                 false,
                 {401, 403, 404, 429}});
    r.push_back({"GET",
                 "/api/v1/webhooks/{id}/deliveries",
                 kAdminPartner,
                 get_deliveries,
                 "Journal des envois d’un webhook, du plus récent au plus ancien (statut, tentatives, prochaine "
                 "tentative, dernier code reçu)",
                 nullptr,
                 s_list(delivery_schema()),
                 200,
                 false,
                 {401, 403, 404, 422, 429}});
    r.push_back({"POST",
                 "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
                 kAdminPartner,
                 post_redeliver,
                 "Renvoyer un événement (même webhook-id), à la suite des envois en attente",
                 nullptr,
                 delivery_schema(),
                 201,
                 true,
                 {401, 403, 404, 409, 429}});
    r.push_back({"POST",
                 "/api/v1/webhooks/{id}/ping",
                 kAdminPartner,
                 post_ping,
                 "Envoyer un événement de test « ping » au webhook",
                 nullptr,
                 delivery_schema(),
                 201,
                 true,
                 {401, 403, 404, 409, 429}});
}

}  // namespace uneplace::server
