// uneplace client — the network layer.
//
// Index of this file:
// [SECTION] Requests and error decoding
// [SECTION] Parsing of API objects
// [SECTION] Calls

#include "api.hpp"

#include <nlohmann/json.hpp>

#include "model.hpp"
#include "platform.hpp"
#include "uneplace/errors.hpp"

using nlohmann::json;

ApiSession g_api_session;
static int g_api_in_flight = 0;

int api_pending() { return g_api_in_flight; }

//-------------------------------------------------------------------------------------------------
// [SECTION] Requests and error decoding
//-------------------------------------------------------------------------------------------------

long long json_id(const json& obj, const char* key) {
    if (!obj.is_object()) return 0;
    auto it = obj.find(key);
    if (it == obj.end()) return 0;
    if (it->is_number_integer()) return it->get<long long>();
    if (it->is_string()) return std::atoll(it->get<std::string>().c_str());
    return 0;
}

std::string json_str(const json& obj, const char* key) {
    if (!obj.is_object()) return {};
    auto it = obj.find(key);
    return (it != obj.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

int json_int(const json& obj, const char* key) {
    if (!obj.is_object()) return 0;
    auto it = obj.find(key);
    return (it != obj.end() && it->is_number()) ? static_cast<int>(it->get<double>()) : 0;
}

bool json_bool(const json& obj, const char* key) {
    if (!obj.is_object()) return false;
    auto it = obj.find(key);
    return it != obj.end() && it->is_boolean() && it->get<bool>();
}

namespace {

ApiError decode_error(const HttpResponse& r) {
    ApiError e;
    e.status = r.status;
    if (r.status == 0) {
        e.code = "network";
        e.message = std::string(uneplace::message_fr("network"));
        return e;
    }
    const json body = json::parse(r.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        const json& err = body["error"];
        e.code = json_str(err, "code");
        e.message = json_str(err, "message");
        e.field = json_str(err, "field");
    }
    if (e.code.empty()) e.code = r.status == 401 ? "unauthorized" : "internal_error";
    // The shared table is the reference for French wording; the server's text is a fallback.
    if (e.message.empty()) e.message = std::string(uneplace::message_fr(e.code));
    return e;
}

}  // namespace

void api_request(const char* method, const std::string& path, const std::string& body,
             std::function<void(const json&)> ok, std::function<void(const ApiError&)> fail) {
    ++g_api_in_flight;
    const bool write = std::string_view(method) != "GET";
    platform_http(method, path, body, write ? g_api_session.csrf_token : std::string(),
                  [ok = std::move(ok), fail = std::move(fail)](const HttpResponse& r) {
                      --g_api_in_flight;
                      g_api_session.offline = r.status == 0;
                      if (r.status == 401 && g_api_session.user) {
                          // The session ended (expiry, logout elsewhere): the app returns to the login
                          // screen with every screen's state kept, and resumes after logging in again.
                          g_api_session.user.reset();
                          g_api_session.expired = true;
                      }
                      if (r.status >= 200 && r.status < 300) {
                          json parsed = r.body.empty() ? json::object() : json::parse(r.body, nullptr, false);
                          if (!parsed.is_discarded()) return ok(parsed);
                          ApiError e{r.status, "bad_json", std::string(uneplace::message_fr("bad_json")), ""};
                          return fail(e);
                      }
                      fail(decode_error(r));
                  });
}

namespace {
//-------------------------------------------------------------------------------------------------
// [SECTION] Parsing of API objects
//-------------------------------------------------------------------------------------------------

User parse_user(const json& j) {
    User u;
    if (!j.is_object()) return u;
    u.id = json_id(j, "id");
    u.role = json_str(j, "role");
    u.organisation_id = json_id(j, "organisation_id");
    u.display_name = json_str(j, "display_name");
    u.email = json_str(j, "email");
    return u;
}

}  // namespace

//-------------------------------------------------------------------------------------------------
// [SECTION] Calls
//-------------------------------------------------------------------------------------------------

void api_login(const std::string& email, const std::string& password, ApiResult<User> done) {
    const std::string body = json{{"email", email}, {"password", password}}.dump();
    api_request("POST", "/api/v1/auth/login", body,
            [done](const json& j) {
                g_api_session.csrf_token = j.is_object() ? json_str(j, "csrf_token") : std::string();
                User u = parse_user(j.is_object() ? j.value("user", json::object()) : json::object());
                g_api_session.user = u;
                platform_session_set("csrf_token", g_api_session.csrf_token);
                done(u, ApiError{});
            },
            [done](const ApiError& e) { done(std::nullopt, e); });
}

void api_logout(std::function<void()> done) {
    api_request("POST", "/api/v1/auth/logout", "{}", [done](const json&) { done(); },
            [done](const ApiError&) { done(); });
    g_api_session = ApiSession{};
    platform_session_set("csrf_token", "");
}

void api_me(ApiResult<User> done) {
    api_request("GET", "/api/v1/me", "",
            [done](const json& j) {
                // /me answers the user itself (or {user: …}); accept both shapes.
                User u = parse_user(j.is_object() && j.contains("user") ? j["user"] : j);
                g_api_session.user = u;
                done(u, ApiError{});
            },
            [done](const ApiError& e) { done(std::nullopt, e); });
}

void api_catalogue(const std::string& query_string, ApiResult<std::vector<CatalogueEntry>> done) {
    std::string path = "/api/v1/catalogue";
    if (!query_string.empty()) path += "?" + query_string;
    api_request("GET", path, "",
            [done](const json& j) {
                std::vector<CatalogueEntry> items;
                const json& arr = j.is_object() && j.contains("items") ? j["items"] : j;
                if (arr.is_array())
                    for (const json& it : arr) items.push_back(parse_catalogue_entry(it));
                done(std::move(items), ApiError{});
            },
            [done](const ApiError& e) { done(std::nullopt, e); });
}
