// uneplace server — operational routes (health, metrics, the OpenAPI document) and the table of
// every route (and, below, statistics and exports).
//
// Index of this file:
// [SECTION] Health, metrics
// [SECTION] Statistics, export, audit, consistency
// [SECTION] Test hooks
// [SECTION] OpenAPI document
// [SECTION] Route table (all_routes)
#include "api.hpp"
#include "scheduler.hpp"
#include "store.hpp"
#include "uneplace/local_time.hpp"
#include "views.hpp"

namespace uneplace::server {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Health, metrics
//-----------------------------------------------------------------------------

Response get_healthz(App& app, Request&) {
    try {
        SQLite::Statement q(app.db.conn(), "SELECT COUNT(*) FROM schema_migrations");
        q.executeStep();
        return json_response(200, {{"status", "ok"}});
    } catch (const std::exception&) {
        return json_response(503, {{"status", "unavailable"}});
    }
}

// Readiness, for a load balancer or an orchestrator: the database accepts a write now (a full
// disk, a read-only file or a held lock say no). /healthz stays liveness: the process answers.
Response get_readyz(App& app, Request&) {
    if (database_accepts_writes(app.db)) return json_response(200, {{"status", "ready"}});
    Response r = json_response(503, {{"status", "unavailable"}});
    r.headers.emplace_back("Retry-After", "5");
    return r;
}

// Admins only (the route table), or anyone on the loopback-only --metrics-listen (the machine's own
// Prometheus; run_route lets it through). A loopback peer on the main listener is not trusted:
// behind a local reverse proxy, every visitor arrives from loopback.
Response get_metrics(App& app, Request&) {
    Response r;
    r.status = 200;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = app.metrics.render_prometheus();
    return r;
}

Response get_openapi(App&, Request&) { return json_response(200, openapi_document(all_routes())); }

//-----------------------------------------------------------------------------
// [SECTION] Statistics, export, audit, consistency
//-----------------------------------------------------------------------------

Response get_stats(App& app, Request& req) {
    ImpactQuery q;
    if (auto from = query_instant(req, "from")) q.from = *from;
    if (auto to = query_instant(req, "to")) q.to = *to;
    if (auto t = query_param(req, "territory")) {
        if (auto r = validate_territory(*t)) fail(*r);
        q.territory = *t;
    }
    if (auto g = query_param(req, "group_by")) {
        auto by = impact_group_by_from_code(*g);
        if (!by) fail("validation", "group_by");
        q.group_by = *by;
    }
    auto rows = impact_stats(app, req.who(), q);
    return json_response(200, {{"from", q.from ? json(format_utc(q.from)) : json(nullptr)},
                               {"to", q.to != INT64_MAX ? json(format_utc(q.to)) : json(nullptr)},
                               {"territory", q.territory.empty() ? json(nullptr) : json(q.territory)},
                               {"group_by", query_param(req, "group_by").value_or("")},
                               {"items", items_json(rows, impact_row_json)}});
}

Response get_export(App& app, Request& req) {
    std::string territory;
    if (auto t = query_param(req, "territory")) {
        if (auto r = validate_territory(*t)) fail(*r);
        territory = *t;
    }
    return csv_response(
        export_bookings_csv(app, req.who(), query_instant(req, "from"), query_instant(req, "to"), territory),
        "uneplace-reservations.csv");
}

// The impact report's period: both bounds required (a day "2026-01-01" or an instant), from before
// to, ten years at most. Every fault is 400 invalid_period naming the bound: a report of no period,
// or of half a century month by month, is a mistake of the caller.
UnixSeconds report_bound(const Request& req, const char* key) {
    std::optional<UnixSeconds> t;
    try {
        t = query_instant(req, key);
    } catch (const Failure&) {
        fail("invalid_period", key);
    }
    if (!t || *t < 0) fail("invalid_period", key);
    return *t;
}

Response get_impact_report(App& app, Request& req) {
    ImpactQuery q;
    q.from = report_bound(req, "from");
    q.to = report_bound(req, "to");
    if (q.to <= q.from || q.to - q.from > 3653 * kDay) fail("invalid_period", "to");
    if (auto t = query_param(req, "territory")) {
        if (auto r = validate_territory(*t)) fail(*r);
        q.territory = *t;
    }
    const std::string filename = "bilan-impact-" + format_utc(q.from).substr(0, 10) + "-" +
                                 format_utc(q.to - 1).substr(0, 10) + (q.territory.empty() ? "" : "-" + q.territory) +
                                 ".pdf";
    return file_response(render_impact_report_pdf(impact_report_for(app, req.who(), q)), "application/pdf", filename);
}

Response get_audit(App& app, Request& req) {
    AuditFilter f;
    f.entity = query_param(req, "entity").value_or("");
    f.action = query_param(req, "action").value_or("");
    if (auto id = query_int(req, "entity_id")) f.entity_id = *id;
    auto page = list_audit(app, req.who(), f, page_of(req));
    return page_response(page, audit_json);
}

Response get_consistency(App& app, Request&) {
    json issues = json::array();
    for (const auto& i : consistency_check(app))
        issues.push_back({{"session_id", i.session_id},
                          {"capacity", i.capacity},
                          {"places_held", i.held},
                          {"places_held_kept", i.kept}});
    return json_response(200, {{"ok", issues.empty()}, {"issues", issues}});
}

//-----------------------------------------------------------------------------
// [SECTION] Test hooks
//-----------------------------------------------------------------------------
// Routed only when the server runs with --test-hooks (http_server.cpp answers 404 otherwise).

Response post_test_clock(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"advance_s"});
    const auto it = body.find("advance_s");
    if (it == body.end() || !it->is_number_integer()) fail("required", "advance_s");
    app.clock.advance(it->get<std::int64_t>());
    return json_response(200, {{"now", format_utc(app.now())}, {"offset_s", app.clock.offset()}});
}

Response post_test_scheduler(App& app, Request&) {
    const SchedulerReport r = run_scheduled_jobs(app);
    return json_response(200, {{"draws", r.draws},
                               {"served", r.served},
                               {"expired_sessions", r.expired_sessions},
                               {"reminders", r.reminders},
                               {"erased_beneficiaries", r.erased_beneficiaries}});
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] OpenAPI document
//-----------------------------------------------------------------------------

json openapi_document(const std::vector<Route>& routes) {
    json codes = json::array();
    for (const auto& c : all_error_codes()) codes.push_back(std::string(c.code));
    const json error_schema = {
        {"type", "object"},
        {"required", {"error"}},
        {"properties",
         {{"error",
           {{"type", "object"},
            {"required", {"code", "message"}},
            {"properties",
             {{"code", {{"type", "string"}, {"enum", codes}}},
              {"message", {{"type", "string"}, {"description", "message en français pour les personnes"}}},
              {"field", {{"type", "string"}, {"description", "le champ en cause, s’il n’y en a qu’un"}}}}}}}}},
    };
    json paths = json::object();
    for (const auto& r : routes) {
        if (r.pattern.rfind("/api/v1/test/", 0) == 0) continue;  // test hooks are not the API
        json op = {{"summary", r.summary}, {"operationId", r.method + " " + r.pattern}};
        json params = json::array();
        std::size_t pos = 0;
        while ((pos = r.pattern.find('{', pos)) != std::string::npos) {
            auto end = r.pattern.find('}', pos);
            const std::string name = r.pattern.substr(pos + 1, end - pos - 1);
            params.push_back({{"name", name},
                              {"in", "path"},
                              {"required", true},
                              {"schema", {{"type", name == "id" ? "integer" : "string"}}}});
            pos = end;
        }
        if (r.idempotent_create)
            params.push_back({{"name", "Idempotency-Key"},
                              {"in", "header"},
                              {"required", false},
                              {"description", "la même clé dans les 24 h renvoie la première réponse"},
                              {"schema", {{"type", "string"}, {"maxLength", 200}}}});
        for (const auto& q : r.query)
            params.push_back({{"name", q.name},
                              {"in", "query"},
                              {"required", false},
                              {"description", q.description},
                              {"schema", q.schema}});
        if (!params.empty()) op["parameters"] = params;
        // The feed's batch speaks NDJSON (its schemas say so in their description); a poster is an
        // image (its schema lists the types in "x-media-types"); the rest JSON.
        const auto content = [](const json& schema) {
            json c = json::object();
            if (schema.is_object() && schema.contains("x-media-types")) {
                json bare = schema;
                bare.erase("x-media-types");
                for (const auto& type : schema["x-media-types"]) c[type.get<std::string>()] = {{"schema", bare}};
            } else {
                const bool ndjson = schema.is_object() && schema.value("description", "") == "application/x-ndjson";
                c[ndjson ? "application/x-ndjson" : "application/json"] = {{"schema", schema}};
            }
            return c;
        };
        if (!r.request_schema.is_null())
            op["requestBody"] = {{"required", true}, {"content", content(r.request_schema)}};
        json responses = json::object();
        json ok_schema = r.response_schema.is_null() ? json{{"type", "object"}} : r.response_schema;
        responses[std::to_string(r.success_status)] = {{"description", "succès"}, {"content", content(ok_schema)}};
        for (int s : r.statuses)
            responses[std::to_string(s)] = {
                {"description", "erreur"},
                {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
        op["responses"] = responses;
        if (r.access == Access_Anyone) {
            op["security"] = json::array();
        } else {
            json roles = json::array();
            if (r.access & Access_Admin) roles.push_back("admin");
            if (r.access & Access_Partner) roles.push_back("partner");
            if (r.access & Access_SocialWorker) roles.push_back("social_worker");
            op["x-roles"] = roles;
        }
        std::string method = r.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        paths[r.pattern][method] = op;
    }
    return {
        {"openapi", "3.0.3"},
        {"info",
         {{"title", "uneplace API"},
          {"version", "1"},
          {"description", "API de la billetterie solidaire uneplace. JSON UTF-8, instants RFC 3339 en UTC ; "
                          "erreurs au format {\"error\": {\"code\", \"message\", \"field\"?}}."}}},
        {"servers", {{{"url", "/"}}}},
        {"security", {{{"bearer", json::array()}}, {{"cookie", json::array()}}}},
        {"components",
         {{"securitySchemes",
           {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
            {"cookie",
             {{"type", "apiKey"},
              {"in", "cookie"},
              {"name", "uneplace_session"},
              {"description", "les écritures authentifiées par cookie exigent l’en-tête X-CSRF-Token"}}}}},
          {"schemas", {{"Error", error_schema}}}}},
        {"paths", paths},
    };
}

void add_report_routes(std::vector<Route>& r) {
    r.push_back({"GET",
                 "/healthz",
                 Access_Anyone,
                 get_healthz,
                 "Santé : 200 dès que la base répond",
                 nullptr,
                 {{"type", "object"}, {"properties", {{"status", {{"type", "string"}}}}}},
                 200,
                 false,
                 {503}});
    r.push_back({"GET",
                 "/readyz",
                 Access_Anyone,
                 get_readyz,
                 "Disponibilité : 200 quand la base accepte une écriture, 503 sinon (disque plein, base en lecture "
                 "seule ou occupée)",
                 nullptr,
                 {{"type", "object"}, {"properties", {{"status", {{"type", "string"}}}}}},
                 200,
                 false,
                 {503}});
    r.push_back({"GET",
                 "/metrics",
                 Access_Admin,
                 get_metrics,
                 "Métriques Prometheus (texte) : pour un administrateur, ou sans connexion sur l’écoute locale "
                 "--metrics-listen",
                 nullptr,
                 nullptr,
                 200,
                 false,
                 {401, 403}});
    r.push_back({"GET",
                 "/api/v1/openapi.json",
                 Access_Anyone,
                 get_openapi,
                 "Ce document OpenAPI 3",
                 nullptr,
                 nullptr,
                 200,
                 false,
                 {}});
    const json figures = s_obj({{"key", s_str()},
                                {"places_donated", s_int()},
                                {"places_booked", s_int()},
                                {"people_attended", s_int()},
                                {"usage_permille", s_int()},
                                {"usage", s_str()},
                                {"bookings", s_int()},
                                {"unique_beneficiaries", s_int()},
                                {"first_timers", s_int()},
                                {"late_cancellations", s_int()},
                                {"attended_bookings", s_int()},
                                {"no_show_bookings", s_int()},
                                {"no_show_permille", s_int()},
                                {"waitlist_served", s_int()},
                                {"ratings_count", s_int()},
                                {"average_rating_x10", s_int()}});
    r.push_back({"GET",
                 "/api/v1/stats",
                 Access_Admin,
                 get_stats,
                 "Chiffres d’impact (?from, to, territory, group_by=month|territory|category|partner|structure)",
                 nullptr,
                 s_obj({{"items", {{"type", "array"}, {"items", figures}}}}),
                 200,
                 false,
                 {401, 403, 422}});
    r.push_back(
        {"GET",
         "/api/v1/exports/bookings.csv",
         Access_Admin,
         get_export,
         "Export CSV des réservations (bénéficiaires par référence pseudonyme seulement, P2) : séparateur « ; », "
         "UTF-8 avec BOM, en-têtes et valeurs en français, dates « 05/12/2026 20:30 » à l’heure du lieu",
         nullptr,
         {{"type", "string"}, {"format", "text/csv"}},
         200,
         false,
         {401, 403, 422}});
    r.push_back({"GET",
                 "/api/v1/reports/impact.pdf",
                 Access_Admin,
                 get_impact_report,
                 "Bilan d’impact en PDF pour les financeurs (?from, to : obligatoires, AAAA-MM-JJ, « to » exclu ; "
                 "territory) : chiffres du tableau de bord, graphiques, tableau par département, effet simulé des "
                 "règles, notes de méthode",
                 nullptr,
                 {{"type", "string"}, {"format", "binary"}, {"description", "application/pdf"}},
                 200,
                 false,
                 {400, 401, 403, 422}});
    r.push_back({"GET",
                 "/api/v1/audit",
                 Access_Admin,
                 get_audit,
                 "Journal d’audit, le plus récent d’abord (administrateur national ; ?entity, entity_id, action)",
                 nullptr,
                 nullptr,
                 200,
                 false,
                 {401, 403}});
    r.push_back({"GET",
                 "/api/v1/admin/consistency",
                 Access_Admin,
                 get_consistency,
                 "Contrôle de cohérence : aucune séance ne tient plus de places que sa capacité",
                 nullptr,
                 s_obj({{"ok", s_bool()}, {"issues", {{"type", "array"}}}}),
                 200,
                 false,
                 {401, 403}});
    r.push_back({"POST",
                 "/api/v1/test/clock",
                 Access_Anyone,
                 post_test_clock,
                 "Tests seulement (--test-hooks) : avancer l’horloge du serveur",
                 s_obj({{"advance_s", s_int()}}),
                 nullptr,
                 200,
                 false,
                 {}});
    r.push_back({"POST",
                 "/api/v1/test/scheduler/run",
                 Access_Anyone,
                 post_test_scheduler,
                 "Tests seulement (--test-hooks) : lancer les tâches de fond maintenant",
                 nullptr,
                 nullptr,
                 200,
                 false,
                 {}});
}

//-----------------------------------------------------------------------------
// [SECTION] Route table
//-----------------------------------------------------------------------------

std::vector<Route> all_routes() {
    std::vector<Route> r;
    add_account_routes(r);
    add_offer_routes(r);
    add_booking_routes(r);
    add_invitation_routes(r);
    add_feed_routes(r);
    add_webhook_routes(r);
    add_report_routes(r);
    return r;
}

}  // namespace uneplace::server
