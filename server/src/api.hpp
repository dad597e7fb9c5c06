// uneplace server — the transport-neutral face of the HTTP API: requests, responses, the route
// table, JSON field readers. Route files include this, never httplib (only http_server.cpp does).
//
// Index of this file:
// [SECTION] Request and response
// [SECTION] Route table
// [SECTION] Reading JSON bodies and query strings
// [SECTION] Writing JSON
#pragma once
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"

namespace uneplace::server {

using json = nlohmann::json;

//-----------------------------------------------------------------------------
// [SECTION] Request and response
//-----------------------------------------------------------------------------

struct Request {
    std::string method;
    std::string path;
    std::vector<std::string> params;  // {placeholders} of the route, in order
    std::multimap<std::string, std::string> query;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string remote_addr;            // the client (behind a trusted proxy: from X-Forwarded-For)
    bool via_metrics_listener = false;  // arrived on --metrics-listen (loopback only)
    std::optional<Actor> actor;         // set when the route requires a login

    const Actor& who() const { return *actor; }
    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
    // The body as a JSON object; 400 bad_json when it is not one.
    const json& body_json() const;
    // The n-th {placeholder} as an id; 404 when it is not a positive integer (no such resource).
    Id id_param(std::size_t n = 0) const;

private:
    mutable std::optional<json> parsed_;
};

struct Response {
    int status = 200;
    std::string body;
    std::string content_type = "application/json; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;
};

// JSON answer; invalid UTF-8 can never make it throw (replaced, though validators keep it out).
Response json_response(int status, const json& body);
// The API error format: {"error": {"code", "message" (French, from the shared table), "field"?}}.
Response error_response(const Failure& f);
// The status of a code: the shared table, then the server's own few codes; 422 otherwise.
int status_for_code(const std::string& code);

//-----------------------------------------------------------------------------
// [SECTION] Route table
//-----------------------------------------------------------------------------

// Who may call a route. Combinations of roles; Anyone needs no login at all.
enum Access : unsigned {
    Access_Anyone = 0,
    Access_Admin = 1u << 0,
    Access_Partner = 1u << 1,
    Access_SocialWorker = 1u << 2,
    Access_LoggedIn = Access_Admin | Access_Partner | Access_SocialWorker,
    Access_AllowInactive = 1u << 3,       // pending or suspended accounts may call it (me, logout)
    Access_BeforeSecondFactor = 1u << 4,  // an admin who must still turn on TOTP may call it
};

using Handler = std::function<Response(App&, Request&)>;

// A query-string parameter of a route, for the OpenAPI document.
struct QueryParam {
    std::string name;
    std::string description;  // French, like the summaries
    json schema;
};

struct Route {
    std::string method;   // "GET", "POST", "PATCH", "DELETE"
    std::string pattern;  // "/api/v1/offers/{id}/submit"
    unsigned access = Access_Anyone;
    Handler handler;
    std::string summary;   // one line, for the OpenAPI document
    json request_schema;   // JSON schema of the body (null: none)
    json response_schema;  // JSON schema of the success answer (null: generic object)
    int success_status = 200;
    bool idempotent_create = false;      // honours Idempotency-Key
    std::vector<int> statuses;           // error statuses it may answer, for the document
    std::vector<QueryParam> query = {};  // its query parameters, for the document (set after push_back)
};

// Every route of the API, in documentation order (http_routes_*.cpp).
std::vector<Route> all_routes();
void add_account_routes(std::vector<Route>& r);
void add_offer_routes(std::vector<Route>& r);
void add_booking_routes(std::vector<Route>& r);
void add_report_routes(std::vector<Route>& r);
void add_invitation_routes(std::vector<Route>& r);
void add_mail_routes(std::vector<Route>& r);     // called by add_invitation_routes (same API.md section)
void add_feed_routes(std::vector<Route>& r);     // the ticketing-network feed (http_feed.cpp)
void add_webhook_routes(std::vector<Route>& r);  // the feed's webhooks (http_webhooks.cpp)
// A download, saved by browsers under `filename` (ASCII).
Response file_response(std::string body, std::string content_type, const std::string& filename);
// A download in the CSV dialect of shared/csv.hpp, saved by browsers under `filename`.
Response csv_response(std::string body, const std::string& filename);
// R10 at the route boundary: 403 account_inactive, with `reason` and the French text of why
// (waiting for approval, suspended).
[[noreturn]] void fail_inactive(const Actor& a);
// The OpenAPI 3 document describing `routes`.
json openapi_document(const std::vector<Route>& routes);

//-----------------------------------------------------------------------------
// [SECTION] Reading JSON bodies and query strings
//-----------------------------------------------------------------------------
// A missing required field answers 422 required; a wrong type 422 validation — both name the
// field. Numbers must be integers that fit an int. Unknown fields are refused (422 unknown_field),
// so a typo in a field name never passes silently.

void reject_unknown_fields(const json& obj, std::initializer_list<std::string_view> allowed,
                           std::string_view prefix = {});
std::string req_string(const json& obj, const char* key, std::string_view field = {});
std::optional<std::string> opt_string(const json& obj, const char* key, std::string_view field = {});
int req_int(const json& obj, const char* key, std::string_view field = {});
std::optional<int> opt_int_field(const json& obj, const char* key, std::string_view field = {});
bool opt_bool(const json& obj, const char* key, bool fallback, std::string_view field = {});
const json& req_object(const json& obj, const char* key, std::string_view field = {});
// {"wheelchair": true, …} → flags; unknown keys [invalid_accessibility].
AccessibilityFlags accessibility_from_json(const json& obj, const char* key);

std::optional<std::string> query_param(const Request& r, const std::string& key);
// ?limit= (default 50, 1–500) and ?cursor=.
int query_limit(const Request& r);
std::optional<int> query_int(const Request& r, const std::string& key);
std::optional<bool> query_bool(const Request& r, const std::string& key);
// An instant in a query string: RFC 3339 with offset, or a date "2026-12-05" (00:00 UTC).
std::optional<UnixSeconds> query_instant(const Request& r, const std::string& key);

//-----------------------------------------------------------------------------
// [SECTION] Writing JSON
//-----------------------------------------------------------------------------

json accessibility_json(AccessibilityFlags flags);

// Tiny JSON-schema builders for the OpenAPI document.
inline json s_str() { return {{"type", "string"}}; }
inline json s_int() { return {{"type", "integer"}}; }
inline json s_bool() { return {{"type", "boolean"}}; }
inline json s_time() { return {{"type", "string"}, {"format", "date-time"}}; }
inline json s_enum(std::initializer_list<const char*> values) { return {{"type", "string"}, {"enum", values}}; }
inline json s_nullable(json s) {
    s["nullable"] = true;
    return s;
}
inline json s_obj(json properties, std::vector<std::string> required = {}) {
    json j = {{"type", "object"}, {"properties", std::move(properties)}};
    if (!required.empty()) j["required"] = required;
    return j;
}
inline json s_list(json item) {
    return s_obj({{"items", {{"type", "array"}, {"items", std::move(item)}}}, {"next_cursor", s_nullable(s_str())}});
}
inline json s_accessibility() {
    return s_obj({{"wheelchair", s_bool()}, {"hearing", s_bool()}, {"visual", s_bool()}, {"cognitive", s_bool()}});
}
json time_or_null(std::optional<UnixSeconds> t);
json page_json(json items, const std::optional<std::string>& next_cursor);

}  // namespace uneplace::server
