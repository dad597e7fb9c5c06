// uneplace client — the network layer: typed calls to the server's API (shared/API.md).
// It turns HTTP into structs and errors into ApiError; it holds no UI state and draws nothing.
#pragma once
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

// An error as the server states it ({"error": {code, message, field}}), or a network failure.
struct ApiError {
    int status = 0;        // HTTP status; 0 when the server could not be reached
    std::string code;      // stable code (DOMAIN.md / API.md); "network" when unreachable
    std::string message;   // French message for people
    std::string field;     // field at fault, if any
};

struct User {
    long long id = 0;
    std::string role;  // "admin" | "partner" | "social_worker"
    long long organisation_id = 0;
    std::string display_name;
    std::string email;
};

struct CatalogueEntry {
    long long session_id = 0;
    long long offer_id = 0;
    std::string title;
    std::string category;
    std::string venue_name;
    std::string venue_city;
    std::string territory;
    std::string start;        // RFC 3339 UTC
    std::string start_local;  // venue's local time, RFC 3339 with offset
    std::string closes_at;
    std::string allocation;   // "first_come" | "ballot"
    int capacity = 0;
    int places_left = 0;
    int max_per_booking = 0;
    unsigned accessibility = 0;  // uneplace::AccessibilityFlags
};

// The generic call every typed call is built on: `ok` gets the parsed JSON of a 2xx answer,
// `fail` the decoded error. Writes carry the CSRF token. `body` is JSON text ("" for none).
void api_request(const char* method, const std::string& path, const std::string& body,
                 std::function<void(const nlohmann::json&)> ok, std::function<void(const ApiError&)> fail);

// Lenient readers of API objects: a missing or mistyped field reads as empty/zero, never throws.
std::string json_str(const nlohmann::json& obj, const char* key);
int json_int(const nlohmann::json& obj, const char* key);
long long json_id(const nlohmann::json& obj, const char* key);   // ids may be numbers or strings
bool json_bool(const nlohmann::json& obj, const char* key);

template <typename T>
using ApiResult = std::function<void(std::optional<T> value, const ApiError& error)>;

// The session: the HttpOnly cookie carries it; the CSRF token goes with every write.
struct ApiSession {
    std::string csrf_token;
    std::optional<User> user;
    bool expired = false;  // a request answered 401 while logged in: back to login, nothing lost
    bool offline = false;  // the last request got no answer at all; cleared by the next answer
};
extern ApiSession g_api_session;

void api_login(const std::string& email, const std::string& password, ApiResult<User> done);
void api_logout(std::function<void()> done);
void api_me(ApiResult<User> done);
void api_catalogue(const std::string& query_string, ApiResult<std::vector<CatalogueEntry>> done);
// Number of requests in flight (the loading indicator).
int api_pending();
