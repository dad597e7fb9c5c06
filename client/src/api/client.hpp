// uneplace client — the request layer under every typed call (api/calls.hpp): HTTP to structs,
// errors to ApiError, the session's CSRF token, the offline flag, and lenient JSON readers.
// It holds no screen state and draws nothing. Screens never call it directly: they use calls.hpp.
#pragma once
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/types.hpp"

// An error as the server states it ({"error": {code, message, field}}), or a network failure.
struct ApiError {
    int status = 0;       // HTTP status; 0 when the server could not be reached
    std::string code;     // stable code (DOMAIN.md / API.md); "network" when unreachable
    std::string message;  // French message for people
    std::string field;    // field at fault, if any
};

// The generic call every typed call is built on: `ok` gets the parsed JSON of a 2xx answer,
// `fail` the decoded error. Writes carry the CSRF token; a create may carry an Idempotency-Key
// (the server answers a repeated key with the first answer, so a retry never books twice).
void api_request(const char* method, const std::string& path, const std::string& body,
                 std::function<void(const nlohmann::json&)> ok, std::function<void(const ApiError&)> fail,
                 const std::string& idempotency_key = {});

// A file as the body (a poster), with its Content-Type; the answer is JSON.
void api_upload(const std::string& path, const std::string& bytes, const std::string& content_type,
                std::function<void(const nlohmann::json&)> ok, std::function<void(const ApiError&)> fail);
// The same for an answer that is text, not JSON (CSV exports).
void api_request_text(const char* method, const std::string& path, std::function<void(std::string)> ok,
                      std::function<void(const ApiError&)> fail);

// The session: the HttpOnly cookie carries it; the CSRF token goes with every write.
struct ApiSession {
    std::string csrf_token;
    std::optional<User> user;
    bool expired = false;  // a request answered 401 while logged in: back to login, nothing lost
    bool offline = false;  // the last request got no answer at all; cleared by the next answer
};
extern ApiSession g_api_session;

// Number of requests in flight (the loading indicator).
int api_pending();
// A fresh Idempotency-Key for one create: the user, the browser's clock and a counter, so two
// tabs or two forms never share one. The form keeps it until the create is answered.
std::string api_new_idempotency_key();
