// uneplace client — the network layer.
//
// Index of this file:
// [SECTION] Requests and error decoding

#include "api/client.hpp"

#include <nlohmann/json.hpp>

#include "platform.hpp"
#include "uneplace/errors.hpp"

using nlohmann::json;

ApiSession g_api_session;
static int g_api_in_flight = 0;

int api_pending() { return g_api_in_flight; }

//-------------------------------------------------------------------------------------------------
// [SECTION] Requests and error decoding
//-------------------------------------------------------------------------------------------------

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

std::string api_new_idempotency_key() {
    static int counter = 0;
    const long long user = g_api_session.user ? g_api_session.user->id : 0;
    return "u" + std::to_string(user) + "-" + std::to_string(platform_now_unix()) + "-" + std::to_string(++counter);
}

unsigned remote_next_ticket() {
    static unsigned ticket = 0;
    return ++ticket;
}

namespace {

// Sends one request and does what every answer needs (in-flight count, offline flag, session
// expiry); `done` gets the raw response.
HttpCallback answered(std::function<void(const HttpResponse&)> done) {
    ++g_api_in_flight;
    return [done = std::move(done)](const HttpResponse& r) {
        --g_api_in_flight;
        g_api_session.offline = r.status == 0;
        if (r.status == 401 && g_api_session.user) {
            // The session ended (expiry, logout elsewhere): the app returns to the login
            // screen with every screen's state kept, and resumes after logging in again.
            g_api_session.user.reset();
            g_api_session.expired = true;
        }
        done(r);
    };
}

void send(const char* method, const std::string& path, const std::string& body, const std::string& idempotency_key,
          std::function<void(const HttpResponse&)> done) {
    const bool write = std::string_view(method) != "GET";
    if (!idempotency_key.empty()) platform_http_next_idempotency_key(idempotency_key);
    platform_http(method, path, body, write ? g_api_session.csrf_token : std::string(), answered(std::move(done)));
}

// The JSON answer of a 2xx, else the decoded error.
void json_or_error(const HttpResponse& r, const std::function<void(const json&)>& ok,
                   const std::function<void(const ApiError&)>& fail);

}  // namespace

void api_request(const char* method, const std::string& path, const std::string& body,
                 std::function<void(const json&)> ok, std::function<void(const ApiError&)> fail,
                 const std::string& idempotency_key) {
    send(method, path, body, idempotency_key,
         [ok = std::move(ok), fail = std::move(fail)](const HttpResponse& r) { json_or_error(r, ok, fail); });
}

void api_upload(const std::string& path, const std::string& bytes, const std::string& content_type,
                std::function<void(const json&)> ok, std::function<void(const ApiError&)> fail) {
    platform_http_upload(
        path, bytes, content_type, g_api_session.csrf_token,
        answered([ok = std::move(ok), fail = std::move(fail)](const HttpResponse& r) { json_or_error(r, ok, fail); }));
}

namespace {
void json_or_error(const HttpResponse& r, const std::function<void(const json&)>& ok,
                   const std::function<void(const ApiError&)>& fail) {
    if (r.status >= 200 && r.status < 300) {
        json parsed = r.body.empty() ? json::object() : json::parse(r.body, nullptr, false);
        if (!parsed.is_discarded()) return ok(parsed);
        return fail(ApiError{r.status, "bad_json", std::string(uneplace::message_fr("bad_json")), ""});
    }
    fail(decode_error(r));
}
}  // namespace

void api_request_text(const char* method, const std::string& path, std::function<void(std::string)> ok,
                      std::function<void(const ApiError&)> fail) {
    send(method, path, "", "", [ok = std::move(ok), fail = std::move(fail)](const HttpResponse& r) {
        if (r.status >= 200 && r.status < 300) return ok(r.body);
        fail(decode_error(r));
    });
}
