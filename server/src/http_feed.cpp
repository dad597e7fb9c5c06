// uneplace server — routes of the ticketing-network feed (API.md "Ticketing-network feed"): API
// keys, upserts by ext_id, the NDJSON batch, the change feed. The bodies are read here; the
// services are feed.hpp's, over the domain services.
//
// Index of this file:
// [SECTION] API keys
// [SECTION] Bodies of the upserts
// [SECTION] Upserts and the batch
// [SECTION] Change feed and session report
// [SECTION] Schemas and route table
#include <sqlite3.h>

#include <charconv>

#include "api.hpp"
#include "feed.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/validation.hpp"

namespace uneplace::server {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] API keys
//-----------------------------------------------------------------------------

json api_key_json(const ApiKeyView& k) {
    return {{"id", k.id},
            {"organisation_id", k.organisation_id},
            {"name", k.name},
            {"prefix", k.prefix},
            {"scopes", api_key_scope_codes(k.scopes)},
            {"created_at", format_utc(k.created_at)},
            {"last_used_at", time_or_null(k.last_used_at)},
            {"revoked_at", time_or_null(k.revoked_at)}};
}

std::optional<Id> query_organisation(const Request& req) {
    auto v = query_int(req, "organisation_id");
    if (!v) return std::nullopt;
    return *v;
}

Response post_api_key(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"name", "scopes", "organisation_id"});
    const std::string name = req_string(body, "name");
    auto it = body.find("scopes");
    if (it == body.end() || it->is_null()) fail("required", "scopes");
    if (!it->is_array()) fail("validation", "scopes");
    unsigned scopes = 0;
    for (const auto& s : *it) {
        if (!s.is_string()) fail("invalid_scope", "scopes");
        auto parsed = parse_api_key_scope(s.get<std::string>());
        if (!parsed.ok()) fail(*parsed.refusal);
        scopes |= parsed.value;
    }
    std::optional<Id> org;
    if (auto o = opt_int_field(body, "organisation_id")) org = *o;
    NewApiKey k = create_api_key(app, req.who(), org, name, scopes);
    json j = api_key_json(k.view);
    j["key"] = k.key;  // the only time it is ever shown
    return json_response(201, j);
}

Response get_api_keys(App& app, Request& req) {
    json items = json::array();
    for (const auto& k : list_api_keys(app, req.who(), query_organisation(req))) items.push_back(api_key_json(k));
    return json_response(200, page_json(std::move(items), std::nullopt));
}

Response delete_api_key(App& app, Request& req) {
    return json_response(200, api_key_json(revoke_api_key(app, req.who(), req.id_param())));
}

//-----------------------------------------------------------------------------
// [SECTION] Bodies of the upserts
//-----------------------------------------------------------------------------
// The same readers serve PUT (the body) and the batch (a line's `data`), so a line and a request
// are read alike: a field a PUT refuses, a line refuses with the same code.

// An integer ≥ 0 that fits 64 bits (a network's versions are often timestamps in milliseconds).
std::int64_t read_source_version(const json& obj) {
    auto it = obj.find("source_version");
    if (it == obj.end() || it->is_null()) fail("required", "source_version");
    if (!it->is_number_integer()) fail("invalid_source_version", "source_version");
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        fail("invalid_source_version", "source_version");
    const auto v = it->get<std::int64_t>();
    if (auto r = validate_source_version(v)) fail(*r);
    return v;
}

FeedPut put_venue(App& app, const Actor& who, const std::string& ext_id, const json& data, std::int64_t version) {
    reject_unknown_fields(data,
                          {"name", "address", "postal_code", "territory", "city", "accessibility", "source_version"});
    VenueDraft d;
    d.name = req_string(data, "name");
    d.address = req_string(data, "address");
    d.postal_code = req_string(data, "postal_code");
    d.territory = req_string(data, "territory");
    d.accessibility = accessibility_from_json(data, "accessibility");
    const std::string city = opt_string(data, "city").value_or("");
    return feed_put_venue(app, who, ext_id, d, city, version);
}

FeedPut put_offer(App& app, const Actor& who, const std::string& ext_id, const json& data, std::int64_t version) {
    reject_unknown_fields(data, {"venue_ext_id", "title", "description", "category", "min_age", "accessibility",
                                 "pickup_mode", "source_version"});
    OfferDraft d;
    const std::string venue_ext_id = req_string(data, "venue_ext_id");
    d.title = req_string(data, "title");
    d.description = opt_string(data, "description").value_or("");
    d.category = req_string(data, "category");
    d.min_age = opt_int_field(data, "min_age").value_or(0);
    d.accessibility = accessibility_from_json(data, "accessibility");
    d.pickup_mode = req_string(data, "pickup_mode");
    return feed_put_offer(app, who, ext_id, venue_ext_id, d, version);
}

FeedPut put_session(App& app, const Actor& who, const std::string& ext_id, const json& data, std::int64_t version) {
    reject_unknown_fields(data, {"offer_ext_id", "start_local", "duration_min", "capacity", "max_per_booking",
                                 "opens_at", "closes_at", "allocation", "draw_at", "status", "source_version"});
    FeedSessionInput in;
    in.offer_ext_id = req_string(data, "offer_ext_id");
    in.session.start_local = req_string(data, "start_local");
    in.session.duration_min = req_int(data, "duration_min");
    in.session.capacity = req_int(data, "capacity");
    in.session.max_per_booking = opt_int_field(data, "max_per_booking");
    in.session.opens_at = opt_string(data, "opens_at");
    in.session.closes_at = opt_string(data, "closes_at");
    in.session.draw_at = opt_string(data, "draw_at");
    in.session.allocation = opt_string(data, "allocation").value_or("first_come");
    const std::string status = opt_string(data, "status").value_or("scheduled");
    if (status != "scheduled" && status != "cancelled") fail("invalid_status", "status");
    in.cancelled = status == "cancelled";
    return feed_put_session(app, who, ext_id, in, version);
}

FeedPut put_kind(App& app, const Actor& who, FeedKind kind, const std::string& ext_id, const json& data,
                 std::int64_t version) {
    switch (kind) {
        case FeedKind::Venue: return put_venue(app, who, ext_id, data, version);
        case FeedKind::Offer: return put_offer(app, who, ext_id, data, version);
        case FeedKind::Session: return put_session(app, who, ext_id, data, version);
    }
    fail("validation", "kind");
}

json put_json(const FeedPut& p, const std::string& ext_id, FeedKind kind) {
    json j = {{"id", p.id}, {"ext_id", ext_id}, {"applied", p.applied}};
    if (kind == FeedKind::Session && p.applied) j["affected_booking_ids"] = p.affected_booking_ids;
    return j;
}

//-----------------------------------------------------------------------------
// [SECTION] Upserts and the batch
//-----------------------------------------------------------------------------

Response put_route(App& app, Request& req, FeedKind kind) {
    const std::string& ext_id = req.params.at(0);
    const json& body = req.body_json();
    const FeedPut p = put_kind(app, req.who(), kind, ext_id, body, read_source_version(body));
    return json_response(p.status, put_json(p, ext_id, kind));
}

// A line's refusal, in the API's error format: its status and {code, message, field?}.
void line_error(json& out, const Failure& f) {
    const Response r = error_response(f);
    out["status"] = r.status;
    out["error"] = json::parse(r.body)["error"];
}

// One line of a batch, applied on its own (its own transaction): its answer line.
json batch_line(App& app, const Actor& who, std::string_view text, int number) {
    json out = {{"line", number}};
    try {
        json line = json::parse(text, nullptr, /*allow_exceptions=*/false);
        if (line.is_discarded()) fail("bad_json");
        if (!line.is_object()) fail("invalid_batch_line");
        reject_unknown_fields(line, {"op", "kind", "ext_id", "data", "source_version"});
        if (auto r = validate_batch_op(req_string(line, "op"))) fail(*r);
        auto kind = parse_feed_kind(req_string(line, "kind"));
        if (!kind.ok()) fail(*kind.refusal);
        const std::string ext_id = req_string(line, "ext_id");
        const json& data = req_object(line, "data");
        const FeedPut p = put_kind(app, who, kind.value, ext_id, data, read_source_version(line));
        out["status"] = p.status;
        out.update(put_json(p, ext_id, kind.value));
    } catch (const Failure& f) {
        line_error(out, f);
    } catch (const SQLite::Exception& e) {
        // A constraint is a conflict of this line only; a fault of the storage stops the batch
        // (the route boundary answers 503), the lines before it stay applied.
        if (e.getErrorCode() != SQLITE_CONSTRAINT) throw;
        line_error(out, Failure("conflict"));
    } catch (const json::exception&) {
        line_error(out, Failure("validation"));
    }
    return out;
}

Response post_batch(App& app, Request& req) {
    std::vector<std::string_view> lines;
    std::string_view rest = req.body;
    while (!rest.empty()) {
        const auto nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
    if (static_cast<int>(lines.size()) > kBatchMaxLines) fail("batch_too_large");
    Response r;
    r.status = 200;
    r.content_type = "application/x-ndjson; charset=utf-8";
    // Numbered as sent, blank lines skipped: line n is the n-th operation.
    for (std::size_t i = 0; i < lines.size(); ++i)
        r.body += batch_line(app, req.who(), lines[i], static_cast<int>(i + 1))
                      .dump(-1, ' ', false, json::error_handler_t::replace) +
                  "\n";
    return r;
}

//-----------------------------------------------------------------------------
// [SECTION] Change feed and session report
//-----------------------------------------------------------------------------

// The cursor is the last seq read, as text: opaque to clients, stable (a seq never moves).
std::int64_t cursor_seq(const Request& req) {
    auto c = query_param(req, "cursor");
    if (!c) return 0;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(c->data(), c->data() + c->size(), v);
    if (ec != std::errc() || p != c->data() + c->size() || v < 0) fail("validation", "cursor");
    return v;
}

// The five figures a producer declares, from the dashboard's figures of the session.
Response get_session_report(App& app, Request& req) {
    const std::string& ext_id = req.params.at(0);
    const ImpactFigures f = feed_session_report(app, req.who(), ext_id);
    return json_response(200, {{"ext_id", ext_id},
                               {"donated", f.places_donated},
                               {"booked", f.places_booked},
                               {"attended", f.people_attended},
                               {"no_show", f.no_show_bookings},
                               {"cancelled_late", f.late_cancellations}});
}

Response get_changes(App& app, Request& req) {
    const FeedChanges ch = feed_changes(app, req.who(), cursor_seq(req), query_limit(req));
    json items = json::array();
    for (const auto& e : ch.items) items.push_back(feed_event_json(e));
    // Always a cursor: at the end of the feed it is where to poll from next.
    return json_response(
        200, {{"items", std::move(items)}, {"next_cursor", std::to_string(ch.next_seq)}, {"has_more", ch.has_more}});
}

//-----------------------------------------------------------------------------
// [SECTION] Schemas and route table
//-----------------------------------------------------------------------------

json api_key_schema() {
    return s_obj({{"id", s_int()},
                  {"organisation_id", s_int()},
                  {"name", s_str()},
                  {"prefix", s_str()},
                  {"scopes", {{"type", "array"}, {"items", s_enum({"feed:write", "feed:read", "webhooks"})}}},
                  {"created_at", s_time()},
                  {"last_used_at", s_nullable(s_time())},
                  {"revoked_at", s_nullable(s_time())},
                  {"key", s_str()}});
}

json put_answer_schema() {
    return s_obj({{"id", s_int()},
                  {"ext_id", s_str()},
                  {"applied", s_bool()},
                  {"affected_booking_ids", {{"type", "array"}, {"items", s_int()}}}});
}

}  // namespace

void add_feed_routes(std::vector<Route>& r) {
    const unsigned kAdminPartner = Access_Admin | Access_Partner;
    r.push_back({"POST",
                 "/api/v1/api-keys",
                 kAdminPartner,
                 post_api_key,
                 "Créer une clé d’API (réseau de billetterie) ; la clé n’est montrée qu’une fois",
                 s_obj({{"name", s_str()},
                        {"scopes", {{"type", "array"}, {"items", s_enum({"feed:write", "feed:read", "webhooks"})}}},
                        {"organisation_id", s_int()}},
                       {"name", "scopes"}),
                 api_key_schema(),
                 201,
                 true,
                 {400, 401, 403, 404, 422}});
    r.push_back({"GET",
                 "/api/v1/api-keys",
                 kAdminPartner,
                 get_api_keys,
                 "Clés d’API de l’organisation (préfixe, dernière utilisation ; jamais la clé)",
                 nullptr,
                 s_list(api_key_schema()),
                 200,
                 false,
                 {401, 403, 404, 422}});
    r.push_back({"DELETE",
                 "/api/v1/api-keys/{id}",
                 kAdminPartner,
                 delete_api_key,
                 "Révoquer une clé d’API (401 dès la requête suivante)",
                 nullptr,
                 api_key_schema(),
                 200,
                 false,
                 {401, 403, 404}});

    const json venue_body = s_obj({{"name", s_str()},
                                   {"address", s_str()},
                                   {"postal_code", s_str()},
                                   {"territory", s_str()},
                                   {"city", s_str()},
                                   {"accessibility", s_accessibility()},
                                   {"source_version", s_int()}},
                                  {"name", "address", "postal_code", "territory", "source_version"});
    const json offer_body = s_obj({{"venue_ext_id", s_str()},
                                   {"title", s_str()},
                                   {"description", s_str()},
                                   {"category", s_str()},
                                   {"min_age", s_int()},
                                   {"accessibility", s_accessibility()},
                                   {"pickup_mode", s_enum({"guest_list", "e_ticket", "printed"})},
                                   {"source_version", s_int()}},
                                  {"venue_ext_id", "title", "category", "pickup_mode", "source_version"});
    const json session_body = s_obj({{"offer_ext_id", s_str()},
                                     {"start_local", s_str()},
                                     {"duration_min", s_int()},
                                     {"capacity", s_int()},
                                     {"max_per_booking", s_int()},
                                     {"opens_at", s_time()},
                                     {"closes_at", s_time()},
                                     {"allocation", s_enum({"first_come", "ballot"})},
                                     {"draw_at", s_time()},
                                     {"status", s_enum({"scheduled", "cancelled"})},
                                     {"source_version", s_int()}},
                                    {"offer_ext_id", "start_local", "duration_min", "capacity", "source_version"});
    const std::vector<int> put_statuses = {400, 401, 403, 404, 409, 422, 429};
    r.push_back({"PUT", "/api/v1/feed/venues/{ext_id}", Access_Partner,
                 [](App& app, Request& req) { return put_route(app, req, FeedKind::Venue); },
                 "Flux : créer ou modifier un lieu par son identifiant externe (201 créé, 200 modifié ; "
                 "source_version ≤ la version connue : applied false)",
                 venue_body, put_answer_schema(), 200, true, put_statuses});
    r.push_back({"PUT", "/api/v1/feed/offers/{ext_id}", Access_Partner,
                 [](App& app, Request& req) { return put_route(app, req, FeedKind::Offer); },
                 "Flux : créer ou modifier une offre (modérée comme toute offre ; catégorie ou âge changés : "
                 "retour en modération)",
                 offer_body, put_answer_schema(), 200, true, put_statuses});
    r.push_back({"PUT", "/api/v1/feed/sessions/{ext_id}", Access_Partner,
                 [](App& app, Request& req) { return put_route(app, req, FeedKind::Session); },
                 "Flux : créer ou modifier une séance (capacité sous les places prises : 409 capacity_below_held ; "
                 "status cancelled : annulation, réservations concernées dans affected_booking_ids)",
                 session_body, put_answer_schema(), 200, true, put_statuses});
    r.push_back({"POST",
                 "/api/v1/feed/batch",
                 Access_Partner,
                 post_batch,
                 "Flux : lot NDJSON (≤ 1 000 lignes {op: put, kind, ext_id, data, source_version}), chaque ligne "
                 "appliquée seule ; réponse NDJSON {line, status, id?, applied?, error?}",
                 {{"type", "string"}, {"description", "application/x-ndjson"}},
                 {{"type", "string"}, {"description", "application/x-ndjson"}},
                 200,
                 true,
                 {400, 401, 403, 413, 429}});
    r.push_back(
        {"GET",
         "/api/v1/feed/changes",
         Access_Partner,
         get_changes,
         "Flux : événements des réservations de l’organisation, dans l’ordre (cursor, limit) ; invité "
         "sous la forme « Amina K. »",
         nullptr,
         s_obj({{"items",
                 {{"type", "array"},
                  {"items",
                   s_obj({{"seq", s_int()},
                          {"id", s_str()},
                          {"type", s_enum({"booking.created", "booking.cancelled", "booking.checked_in",
                                           "booking.no_show", "waitlist.served", "session.full", "session.cancelled"})},
                          {"occurred_at", s_time()},
                          {"data", s_obj({{"booking_id", s_int()},
                                          {"session_id", s_int()},
                                          {"session_ext_id", s_nullable(s_str())},
                                          {"places", s_int()},
                                          {"code", s_str()},
                                          {"guest", s_str()}})}})}}},
                {"next_cursor", s_str()},
                {"has_more", s_bool()}}),
         200,
         false,
         {401, 403, 422, 429}});
    r.push_back({"GET",
                 "/api/v1/feed/sessions/{ext_id}/report",
                 Access_Partner,
                 get_session_report,
                 "Flux : bilan d’une séance pour les déclarations du producteur (places données, réservées, "
                 "personnes venues, réservations absentes, annulations tardives)",
                 nullptr,
                 s_obj({{"ext_id", s_str()},
                        {"donated", s_int()},
                        {"booked", s_int()},
                        {"attended", s_int()},
                        {"no_show", s_int()},
                        {"cancelled_late", s_int()}}),
                 200,
                 false,
                 {401, 403, 404, 429}});
}

}  // namespace uneplace::server
