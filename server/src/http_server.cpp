// uneplace server — the only translation unit that includes httplib: it turns HTTP requests into
// api.hpp Requests, runs the middleware (auth, CSRF, roles, idempotency, metrics, logs), calls the
// route, and catches everything so that a client's mistake never becomes a 500.
//
// Index of this file:
// [SECTION] Route matching
// [SECTION] Authentication and CSRF
// [SECTION] API keys: scopes and rate
// [SECTION] Dispatch: the route boundary
// [SECTION] Static files (the embedded web client)
// [SECTION] serve(): the front door in front of httplib's parser; bind, print, run, stop
#include "http_server.hpp"

#include "images.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>

#include "api.hpp"
#include "assets.hpp"
#include "auth.hpp"
#include "feed.hpp"
#include "front_door.hpp"
#include "mail.hpp"
#include "security.hpp"
#include "scheduler.hpp"
#include "store.hpp"
#include "webhooks.hpp"
#include "uneplace/validation.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Route matching
//-----------------------------------------------------------------------------

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < path.size()) {
        while (i < path.size() && path[i] == '/') ++i;
        std::size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        if (j > i) out.push_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

struct CompiledRoute {
    const Route* route;
    std::vector<std::string> segments;  // "{id}" marks a parameter
};

class Router {
public:
    explicit Router(std::vector<Route> routes) : routes_(std::move(routes)) {
        for (const auto& r : routes_) {
            CompiledRoute c{&r, {}};
            for (auto s : split_path(r.pattern)) c.segments.emplace_back(s);
            compiled_.push_back(std::move(c));
        }
    }
    // The route for (method, path), filling `params`; `path_known` tells a wrong method apart.
    const Route* match(std::string_view method, std::string_view path, std::vector<std::string>& params,
                       bool& path_known) const {
        const auto parts = split_path(path);
        path_known = false;
        for (const auto& c : compiled_) {
            if (c.segments.size() != parts.size()) continue;
            std::vector<std::string> p;
            bool ok = true;
            for (std::size_t i = 0; ok && i < parts.size(); ++i) {
                if (!c.segments[i].empty() && c.segments[i].front() == '{') p.emplace_back(parts[i]);
                else ok = c.segments[i] == parts[i];
            }
            if (!ok) continue;
            path_known = true;
            if (c.route->method == method || (method == "HEAD" && c.route->method == "GET")) {
                params = std::move(p);
                return c.route;
            }
        }
        return nullptr;
    }
    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
    std::vector<CompiledRoute> compiled_;
};

//-----------------------------------------------------------------------------
// [SECTION] Authentication and CSRF
//-----------------------------------------------------------------------------

std::string cookie_value(const std::string& cookie_header, std::string_view name) {
    std::string_view s = cookie_header;
    while (!s.empty()) {
        std::size_t end = s.find(';');
        std::string_view part = s.substr(0, end);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
            return std::string(part.substr(name.size() + 1));
        if (end == std::string_view::npos) break;
        s.remove_prefix(end + 1);
    }
    return {};
}

bool equal_constant_time(const std::string& a, const std::string& b) {
    return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool is_write(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

// Resolves the caller from "Authorization: Bearer" or the session cookie. Returns false when a
// credential was presented but is not valid (expired, logged out, forged).
bool resolve_actor(App& app, Request& req) {
    std::string token;
    bool via_cookie = false;
    const std::string authz = req.header("authorization");
    if (authz.size() > 7 && (authz.compare(0, 7, "Bearer ") == 0 || authz.compare(0, 7, "bearer ") == 0)) {
        token = authz.substr(7);
    } else if (!authz.empty()) {
        return false;
    } else {
        token = cookie_value(req.header("cookie"), session_cookie_name(app.options));
        via_cookie = !token.empty();
    }
    if (token.empty()) return true;
    // "upk_…": an API key of the ticketing-network feed (a revoked one is 401 at once).
    auto actor = token.starts_with("upk_") && !via_cookie ? authenticate_api_key(app, token) : authenticate(app, token);
    if (!actor) return false;
    actor->via_cookie = via_cookie;
    req.actor = std::move(*actor);
    return true;
}

//-----------------------------------------------------------------------------
// [SECTION] API keys: scopes and rate
//-----------------------------------------------------------------------------

// The scope an API key needs for a route: the feed's writes feed:write, its reads feed:read, the
// webhooks "webhooks". Every other route refuses API keys (0): a key opens the feed, nothing else.
unsigned scope_for(const Route& route) {
    if (route.pattern.starts_with("/api/v1/feed/"))
        return route.method == "GET" ? ApiKeyScope_FeedRead : ApiKeyScope_FeedWrite;
    if (route.pattern.starts_with("/api/v1/webhooks")) return ApiKeyScope_Webhooks;
    return 0;
}

// 403 for a route the key's scopes do not open; 429 past 600 requests a minute per key.
void check_api_key(App& app, const Route& route, const Actor& a) {
    const unsigned need = scope_for(route);
    if (need == 0 || !(a.api_key_scopes & need)) fail("forbidden");
    if (!app.api_key_limiter.allow("k" + std::to_string(a.api_key_id))) fail("rate_limited");
}

// The batch's body is NDJSON, not one JSON object.
bool takes_ndjson(const Route& route) { return route.pattern == "/api/v1/feed/batch"; }
// A route whose body is a file (a poster): its schema lists the media types it takes.
bool takes_file(const Route& route) {
    return route.request_schema.is_object() && route.request_schema.contains("x-media-types");
}

//-----------------------------------------------------------------------------
// [SECTION] Dispatch: the route boundary
//-----------------------------------------------------------------------------

// Idempotency-Key: requests with the same key are handled one at a time (striped locks), so a
// retry racing the original waits for its answer instead of creating a second object.
std::array<std::mutex, 64> g_idempotency_locks;

std::string request_digest(const Request& req) { return token_digest(req.method + " " + req.path + "\n" + req.body); }

Response run_route(App& app, const Route& route, Request& req) {
    // A dead credential (expired, logged out) is a 401 on routes that need a login; open routes
    // ignore it, so that a browser still carrying an expired cookie can log in again.
    const bool credential_ok = resolve_actor(app, req);
    // The loopback-only metrics listener serves /metrics without a login (and serves nothing else).
    const bool metrics_listener = req.via_metrics_listener && route.pattern == "/metrics";
    if (route.access != Access_Anyone && !metrics_listener) {
        if (!credential_ok || !req.actor) fail("unauthorized");
        const Actor& a = *req.actor;
        if (a.via_cookie && is_write(req.method) && !equal_constant_time(req.header("x-csrf-token"), a.csrf_token))
            fail_status(403, "forbidden", "X-CSRF-Token");
        if (!(route.access & Access_AllowInactive) && !a.active()) fail_inactive(a);
        const unsigned role_bit = a.role == Role::Admin     ? Access_Admin
                                  : a.role == Role::Partner ? Access_Partner
                                                            : Access_SocialWorker;
        if (!(route.access & role_bit)) fail("forbidden");
        // An administrator without the second factor may only turn it on (and read who they are,
        // change their password, log out): every other route answers 403 second_factor_required.
        if (!(route.access & Access_BeforeSecondFactor) && must_enrol_second_factor(app, a))
            fail("second_factor_required");
        if (a.api_key_id) check_api_key(app, route, a);
    }
    // Any body sent with a write must be a JSON object, and a route that takes no fields takes
    // none: garbage never passes silently, even where the body is not read.
    if (is_write(req.method) && !takes_ndjson(route) && !takes_file(route) &&
        req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
        const json& body = req.body_json();
        if (route.request_schema.is_null() && !body.empty()) fail("unknown_field", body.begin().key());
    }

    const std::string key = req.header("idempotency-key");
    if (!route.idempotent_create || key.empty()) return route.handler(app, req);

    if (key.size() > 200 || !is_valid_utf8(key)) fail("validation", "Idempotency-Key");
    // An API key's requests are its own (a negative id: never a user's), not its user's.
    const Id scope = !req.actor ? 0 : req.actor->api_key_id ? -req.actor->api_key_id : req.actor->user_id;
    std::lock_guard lock(g_idempotency_locks[std::hash<std::string>{}(key) % g_idempotency_locks.size()]);
    const std::string digest = request_digest(req);
    if (auto stored = idempotency_find(app, scope, key)) {
        // The feed's contract (API.md) answers a reused key 422; the browser's routes keep 409.
        if (stored->request_hash != digest)
            throw Failure("idempotency_key_reused", "Idempotency-Key", scope_for(route) ? 422 : 0);
        Response r;
        r.status = stored->status;
        r.body = stored->body;
        r.headers.emplace_back("Idempotent-Replayed", "true");
        return r;
    }
    Response r = route.handler(app, req);
    // Only answers that describe the request itself are replayed; an auth or rate problem is not.
    if (r.status < 500 && r.status != 401 && r.status != 403 && r.status != 429)
        idempotency_save(app, scope, key, digest, r.status, r.body);
    return r;
}

Response dispatch(App& app, const Router& router, Request& req, std::string& route_label) {
    try {
        std::vector<std::string> params;
        bool path_known = false;
        const Route* route = router.match(req.method, req.path, params, path_known);
        if (route && route->pattern.rfind("/api/v1/test/", 0) == 0 && !app.options.test_hooks) {
            route = nullptr;
            path_known = false;
        }
        if (!route) {
            route_label = "unknown";
            if (path_known) fail_status(405, "method_not_allowed");
            fail("not_found");
        }
        route_label = route->pattern;
        req.params = std::move(params);
        try {
            return run_route(app, *route, req);
        } catch (const Failure&) {
            throw;
        } catch (const SQLite::Exception& e) {
            // Constraints are the last line behind the shared rules: reaching one means two requests
            // raced past a check (or a bug): a conflict for the client, a warning for us.
            const std::string what = e.what();
            const int code = e.getErrorCode();
            if (code == SQLITE_CONSTRAINT) {
                spdlog::warn("constraint route={} error={}", route->pattern, what);
                if (what.find("overbooking_prevented") != std::string::npos) {
                    app.metrics.count("overbooking_prevented_total");
                    fail("session_full");
                }
                fail("conflict");
            }
            if (is_storage_fault(code)) {
                // The storage failed, not the request: a full disk, a read-only file, an I/O error,
                // another process holding the database. The transaction was rolled back; the
                // client may send the same request again once the fault clears, and the next
                // request finds the database as it was (no restart needed).
                app.metrics.count("storage_faults_total");
                spdlog::error("storage fault route={} error={} extended_code={}", route->pattern, what,
                              e.getExtendedErrorCode());
                fail("unavailable");
            }
            throw;
        } catch (const json::exception& e) {
            // A JSON type mismatch that slipped past the field readers: the body's fault.
            spdlog::info("json route={} error={}", route->pattern, e.what());
            fail("validation");
        }
    } catch (const Failure& f) {
        Response r = error_response(f);
        // A busy server (hashing slots) says when to come back; a storage fault takes longer to clear.
        if (r.status == 429 || r.status == 503)
            r.headers.emplace_back("Retry-After", f.code == "unavailable" ? "5" : "1");
        // P3: every denied access is logged — including the 404s that hide what a caller may not see.
        if (r.status == 401 || r.status == 403 || (r.status == 404 && req.actor))
            spdlog::warn("access denied method={} path={} status={} code={} user={}", req.method, req.path, r.status,
                         f.code, req.actor ? req.actor->user_id : 0);
        return r;
    } catch (const std::exception& e) {
        spdlog::error("internal error method={} path={} error={}", req.method, req.path, e.what());
        return error_response(Failure("internal_error", {}, 500));
    } catch (...) {
        spdlog::error("internal error method={} path={} (unknown exception)", req.method, req.path);
        return error_response(Failure("internal_error", {}, 500));
    }
}

Request to_request(const httplib::Request& hreq) {
    Request req;
    req.method = hreq.method;
    req.path = hreq.path;
    req.body = hreq.body;
    req.remote_addr = hreq.remote_addr;
    for (const auto& [k, v] : hreq.params) req.query.emplace(k, v);
    for (const auto& [k, v] : hreq.headers) {
        std::string lower = k;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        req.headers.emplace(std::move(lower), v);  // first value wins
    }
    return req;
}

//-----------------------------------------------------------------------------
// [SECTION] Static files
//-----------------------------------------------------------------------------

void serve_static(const Request& req, httplib::Response& res) {
    if (req.method != "GET" && req.method != "HEAD") {
        Response r = error_response(Failure("method_not_allowed", {}, 405));
        res.status = r.status;
        res.set_content(r.body, r.content_type.c_str());
        return;
    }
    auto asset = find_asset(req.path);
    if (!asset) {
        res.status = 404;
        res.set_content("Page introuvable.\n", "text/plain; charset=utf-8");
        return;
    }
    res.status = 200;
    // The client's files change with each build and are small next to a booking session: always
    // revalidate rather than risk a stale .wasm against a newer .js.
    res.set_header("Cache-Control", "no-cache");
    res.set_content(asset->bytes.data(), asset->bytes.size(), std::string(asset->content_type).c_str());
}

void apply(const Response& r, httplib::Response& res) {
    res.status = r.status;
    for (const auto& [k, v] : r.headers) res.set_header(k.c_str(), v);
    if (r.status == 204) return;  // no body, no Content-Type
    res.set_content(r.body, r.content_type.c_str());
}

//-----------------------------------------------------------------------------
// [SECTION] serve()
//-----------------------------------------------------------------------------

std::string bound_url(const std::string& host, int port, bool tls) {
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) +
           "/";
}

// The connection a worker is answering (set around httplib's parser, read by the handler).
thread_local const Connection* t_connection = nullptr;

// httplib's parser reading one complete request from memory (the front door read it) and writing
// the answer to the connection. read() never touches the socket: a worker never waits for a client.
class BufferedRequestStream : public httplib::Stream {
public:
    explicit BufferedRequestStream(Connection& c) : c_(c) {}
    bool is_readable() const override { return pos_ < c_.request_size; }
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, size_t size) override {
        const std::size_t n = std::min(size, c_.request_size - pos_);
        std::memcpy(ptr, c_.in.data() + pos_, n);
        pos_ += n;
        return static_cast<ssize_t>(n);
    }
    ssize_t write(const char* ptr, size_t size) override {
        return c_.write_all(ptr, size) ? static_cast<ssize_t>(size) : -1;
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = c_.client;
        port = c_.peer_port;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip.clear();
        port = 0;
    }
    // httplib 0.11 answers 500 to a descriptor above FD_SETSIZE (it would select() on it); it
    // never reads this socket through us, so it gets none.
    socket_t socket() const override { return INVALID_SOCKET; }

private:
    Connection& c_;
    std::size_t pos_ = 0;
};

// httplib's server, used for its parser, routing and response writer only: the front door owns
// the sockets and calls answer() once per complete request.
class ApiServer : public httplib::Server {
public:
    bool answer(Connection& c) {
        BufferedRequestStream stream(c);
        bool closed = false;
        t_connection = &c;
        const bool ok = process_request(stream, false, closed, nullptr);
        t_connection = nullptr;
        return ok && !closed;
    }
};

// httplib's side: the security headers, one handler for every method (API, metrics or static
// file), and httplib's own errors in the API's error format.
void configure_api_server(ApiServer& svr, App& app, const Router& router) {
    // The front door refuses larger first (a poster's route may take up to kPosterMaxBytes).
    svr.set_payload_max_length(std::max(app.options.max_body_bytes, kPosterMaxBytes));
    // Only for the Keep-Alive header httplib writes: the front door keeps connections (idle ones
    // closed after --idle-timeout) and never counts requests.
    svr.set_keep_alive_timeout(app.options.idle_timeout_s);
    svr.set_keep_alive_max_count(1000000);
    httplib::Headers headers = {
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
        // The client is files of our own: no inline script or style, no eval; WebAssembly needs
        // 'wasm-unsafe-eval' to compile. Downloads are blob: links made by the page.
        {"Content-Security-Policy",
         "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
         "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    };
    // Served over HTTPS by ourselves: browsers should never come back over plain HTTP.
    if (!app.options.tls_cert.empty()) headers.emplace("Strict-Transport-Security", "max-age=31536000");
    svr.set_default_headers(std::move(headers));

    const auto handler = [&app, &router](const httplib::Request& hreq, httplib::Response& res) {
        const auto t0 = std::chrono::steady_clock::now();
        Request req = to_request(hreq);
        req.via_metrics_listener = t_connection && t_connection->metrics_listener;
        std::string route_label = "static";
        const bool api = req.path.rfind("/api/", 0) == 0 || req.path == "/healthz" || req.path == "/readyz" ||
                         req.path == "/metrics" || req.path == "/api";
        if (req.via_metrics_listener && req.path != "/metrics" && req.path != "/healthz" && req.path != "/readyz") {
            // The metrics listener serves the metrics and the health check, nothing else.
            route_label = "unknown";
            apply(error_response(Failure("not_found")), res);
        } else if (api) {
            Response r = dispatch(app, router, req, route_label);
            // API answers carry personal data: never kept by a browser or proxy cache.
            if (std::none_of(r.headers.begin(), r.headers.end(),
                             [](const auto& h) { return h.first == "Cache-Control"; }))
                r.headers.emplace_back("Cache-Control", "no-store");
            apply(r, res);
        } else {
            serve_static(req, res);
        }
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        app.metrics.count_request(req.method, route_label, res.status, secs);
        spdlog::info("http method={} path={} status={} ms={:.1f} user={} client={}", req.method, req.path, res.status,
                     secs * 1000, req.actor ? req.actor->user_id : 0, req.remote_addr);
    };
    svr.Get(".*", handler);
    svr.Post(".*", handler);
    svr.Put(".*", handler);
    svr.Patch(".*", handler);
    svr.Delete(".*", handler);
    svr.Options(".*", handler);

    // Answers httplib produced itself (413, malformed request line…) get the API error format.
    svr.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request&, httplib::Response& res) -> httplib::Server::HandlerResponse {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            const char* code = res.status == 413   ? "payload_too_large"
                               : res.status == 404 ? "not_found"
                               : res.status == 400 ? "bad_json"
                                                   : "validation";
            apply(error_response(Failure(code, {}, res.status)), res);
            return httplib::Server::HandlerResponse::Handled;
        }));
    svr.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        spdlog::error("uncaught exception method={} path={}", req.method, req.path);
        apply(error_response(Failure("internal_error", {}, 500)), res);
    });
}

// PUT /api/v1/offers/{id}/image: the one route whose body may exceed --max-body.
bool is_poster_upload(std::string_view path) {
    constexpr std::string_view kPrefix = "/api/v1/offers/", kSuffix = "/image";
    if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix) || path.size() <= kPrefix.size() + kSuffix.size())
        return false;
    const std::string_view id = path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
    return std::all_of(id.begin(), id.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// The requests that take a worker for long: hashing a password (Argon2id, 64 MiB, waits for one of
// the hash gate's slots) and drawing a PDF. They go to the front door's slow lane.
bool is_slow_request(std::string_view method, std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    if (method == "GET") return path.ends_with(".pdf");
    if (method == "PUT") return is_poster_upload(path);  // decoding and re-encoding a picture
    if (method != "POST") return false;
    return path == "/api/v1/auth/login" || path == "/api/v1/organisations" || path == "/api/v1/admins" ||
           (path.starts_with("/api/v1/organisations/") && path.ends_with("/users"));
}

FrontDoorOptions front_door_options(const ServerOptions& o) {
    FrontDoorOptions door;
    door.host = o.host;
    door.port = o.port;
    door.metrics_host = o.metrics_host;
    door.metrics_port = o.metrics_port;
    door.workers = o.threads;
    door.slow_workers = o.slow_threads;
    door.is_slow = is_slow_request;
    door.header_timeout_s = o.header_timeout_s;
    door.idle_timeout_s = o.idle_timeout_s;
    door.max_connections = o.max_connections;
    door.max_per_address = o.max_conn_per_address;
    door.max_body = o.max_body_bytes;
    door.body_cap = [](std::string_view method, std::string_view target) -> std::size_t {
        const std::string_view path = target.substr(0, target.find('?'));
        return method == "PUT" && is_poster_upload(path) ? kPosterMaxBytes : 0;
    };
    door.trusted_proxies = o.trusted_proxies;
    door.tls_cert = o.tls_cert;
    door.tls_key = o.tls_key;
    return door;
}

// The lines printed once listening: the ready line, the metrics address, the banner (--demo).
void announce(const App& app, const FrontDoor& front, int port, long descriptors,
              const std::vector<std::string>& banner) {
    // The single line tests and people look for; flushed so a pipe reader sees it at once.
    std::cout << "uneplace prêt sur " << bound_url(app.options.host, port, !app.options.tls_cert.empty()) << std::endl;
    if (front.metrics_port() > 0)
        std::cout << "métriques sur http://" << app.options.metrics_host << ":" << front.metrics_port() << "/metrics\n";
    for (const auto& line : banner) std::cout << line << "\n";
    std::cout.flush();
    spdlog::info(
        "listening host={} port={} threads={} slow_threads={} max_connections={} descriptors={} tls={} client_files={}",
        app.options.host, port, app.options.threads, app.options.slow_threads, app.options.max_connections, descriptors,
        !app.options.tls_cert.empty(), embedded_file_count());
}

// Runs the front door until SIGINT or SIGTERM.
void run_until_signal(FrontDoor& front) {
    // Signals arrive here only (main blocked them in every thread); stop() ends the gate's loop.
    std::atomic<bool> run_done{false};
    std::thread signals([&] {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        int sig = 0;
        sigwait(&set, &sig);
        if (run_done) return;  // woken by ourselves below
        spdlog::info("signal {} reçu : arrêt", sig);
        front.stop();
    });

    front.run();
    run_done = true;
    pthread_kill(signals.native_handle(), SIGTERM);
    signals.join();
}

}  // namespace

int serve(App& app, const std::vector<std::string>& banner) {
    const Router router(all_routes());
    ApiServer svr;
    configure_api_server(svr, app, router);
    FrontDoor front(
        front_door_options(app.options), [&svr](Connection& c) { return svr.answer(c); },
        [](const std::string& code, int status) { return error_response(Failure(code, {}, status)).body; });

    const long descriptors = raise_descriptor_limit();
    int port = 0;
    try {
        port = front.bind();
    } catch (const std::exception& e) {
        std::cerr << "uneplace : " << e.what() << "\n";
        return 1;
    }

    Scheduler scheduler(app);
    scheduler.start();
    MailWorker mail(app);  // M6: not started without --smtp
    mail.start();
    WebhookWorker webhooks(app);  // the feed's webhooks: its own thread, never a request's
    webhooks.start();
    announce(app, front, port, descriptors, banner);
    run_until_signal(front);
    webhooks.stop();
    mail.stop();
    scheduler.stop();
    spdlog::info("arrêté");
    return 0;
}

}  // namespace uneplace::server
