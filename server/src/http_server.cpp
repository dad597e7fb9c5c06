// uneplace server — the only translation unit that includes httplib: it turns HTTP requests into
// api.hpp Requests, runs the middleware (auth, CSRF, roles, idempotency, metrics, logs), calls the
// route, and catches everything so that a client's mistake never becomes a 500.
//
// Index of this file:
// [SECTION] Route matching
// [SECTION] Authentication and CSRF
// [SECTION] Dispatch: the route boundary
// [SECTION] Static files (the embedded web client)
// [SECTION] serve(): bind, print, run, stop
#include "http_server.hpp"

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
#include <iostream>
#include <thread>

#include "api.hpp"
#include "assets.hpp"
#include "auth.hpp"
#include "scheduler.hpp"
#include "store.hpp"
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

constexpr std::string_view kCookieName = "uneplace_session";

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
        token = cookie_value(req.header("cookie"), kCookieName);
        via_cookie = !token.empty();
    }
    if (token.empty()) return true;
    auto actor = authenticate(app, token);
    if (!actor) return false;
    actor->via_cookie = via_cookie;
    req.actor = std::move(*actor);
    return true;
}

//-----------------------------------------------------------------------------
// [SECTION] Dispatch: the route boundary
//-----------------------------------------------------------------------------

// Idempotency-Key: requests with the same key are handled one at a time (striped locks), so a
// retry racing the original waits for its answer instead of creating a second object.
std::array<std::mutex, 64> g_idempotency_locks;

std::string request_digest(const Request& req) {
    return token_digest(req.method + " " + req.path + "\n" + req.body);
}

Response run_route(App& app, const Route& route, Request& req) {
    // A dead credential (expired, logged out) is a 401 on routes that need a login; open routes
    // ignore it, so that a browser still carrying an expired cookie can log in again.
    const bool credential_ok = resolve_actor(app, req);
    if (route.access != Access_Anyone) {
        if (!credential_ok || !req.actor) fail("unauthorized");
        const Actor& a = *req.actor;
        if (a.via_cookie && is_write(req.method) &&
            !equal_constant_time(req.header("x-csrf-token"), a.csrf_token))
            fail_status(403, "forbidden", "X-CSRF-Token");
        if (!(route.access & Access_AllowInactive) && !a.active()) fail_inactive(a);
        const unsigned role_bit = a.role == Role::Admin     ? Access_Admin
                                  : a.role == Role::Partner ? Access_Partner
                                                            : Access_SocialWorker;
        if (!(route.access & role_bit)) fail("forbidden");
    }
    // Any body sent with a write must be a JSON object, and a route that takes no fields takes
    // none: garbage never passes silently, even where the body is not read.
    if (is_write(req.method) && req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
        const json& body = req.body_json();
        if (route.request_schema.is_null() && !body.empty()) fail("unknown_field", body.begin().key());
    }

    const std::string key = req.header("idempotency-key");
    if (!route.idempotent_create || key.empty()) return route.handler(app, req);

    if (key.size() > 200 || !is_valid_utf8(key)) fail("validation", "Idempotency-Key");
    const Id scope = req.actor ? req.actor->user_id : 0;
    std::lock_guard lock(g_idempotency_locks[std::hash<std::string>{}(key) % g_idempotency_locks.size()]);
    const std::string digest = request_digest(req);
    if (auto stored = idempotency_find(app, scope, key)) {
        if (stored->request_hash != digest) fail("idempotency_key_reused", "Idempotency-Key");
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
            if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
                spdlog::warn("database busy route={} error={}", route->pattern, what);
                Failure f("rate_limited", {}, 503);
                throw f;
            }
            throw;
        } catch (const json::exception& e) {
            // A JSON type mismatch that slipped past the field readers: the body's fault.
            spdlog::info("json route={} error={}", route->pattern, e.what());
            fail("validation");
        }
    } catch (const Failure& f) {
        Response r = error_response(f);
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
    res.set_content(r.body, r.content_type.c_str());
}

//-----------------------------------------------------------------------------
// [SECTION] serve()
//-----------------------------------------------------------------------------

std::string bound_url(const std::string& host, int port) {
    const bool v6 = host.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/";
}

}  // namespace

int serve(App& app, const std::vector<std::string>& banner) {
    const Router router(all_routes());
    httplib::Server svr;
    const int threads = app.options.threads;
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    svr.set_payload_max_length(app.options.max_body_bytes);
    svr.set_keep_alive_max_count(100);
    svr.set_keep_alive_timeout(5);
    // Answers go out as several writes (headers, then body): without TCP_NODELAY, Nagle's algorithm
    // holds the body back until the client's delayed ACK, ~40 ms per request on a kept-alive
    // connection (bench/RESULTS.md measured 362 req/s on /healthz, 6,000 with Connection: close).
    svr.set_tcp_nodelay(true);
    svr.set_read_timeout(15, 0);
    svr.set_write_timeout(15, 0);
    svr.set_default_headers({
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
    });

    // An announced body that is too large is refused before it is sent (curl and browsers wait
    // for "100 Continue"); httplib answers 413 itself for bodies that arrive anyway.
    const std::size_t max_body = app.options.max_body_bytes;
    svr.set_expect_100_continue_handler([max_body](const httplib::Request& req, httplib::Response& res) {
        const std::string len = req.get_header_value("Content-Length");
        if (!len.empty() && (len.size() > 18 || std::stoull("0" + len.substr(0, len.find_first_not_of("0123456789"))) > max_body)) {
            res.status = 413;  // httplib writes this response (through the error handler) and closes
            return 413;
        }
        return 100;
    });

    const auto handler = [&app, &router](const httplib::Request& hreq, httplib::Response& res) {
        const auto t0 = std::chrono::steady_clock::now();
        Request req = to_request(hreq);
        std::string route_label = "static";
        const bool api = req.path.rfind("/api/", 0) == 0 || req.path == "/healthz" || req.path == "/metrics" ||
                         req.path == "/api";
        if (api) {
            Response r = dispatch(app, router, req, route_label);
            // API answers carry personal data: never kept by a browser or proxy cache.
            if (std::none_of(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "Cache-Control"; }))
                r.headers.emplace_back("Cache-Control", "no-store");
            apply(r, res);
        } else {
            serve_static(req, res);
        }
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        app.metrics.count_request(req.method, route_label, res.status, secs);
        spdlog::info("http method={} path={} status={} ms={:.1f} user={}", req.method, req.path, res.status,
                     secs * 1000, req.actor ? req.actor->user_id : 0);
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
        const char* code = res.status == 413 ? "payload_too_large"
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

    // Our own socket options: SO_REUSEADDR only (httplib's default adds SO_REUSEPORT, which would let
    // a second server silently share the port), and remember the socket to widen its backlog below.
    int listen_fd = -1;
    svr.set_socket_options([&listen_fd](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        listen_fd = sock;
    });

    int port = app.options.port;
    if (port == 0) {
        port = svr.bind_to_any_port(app.options.host);
        if (port < 0) port = 0;
    } else if (!svr.bind_to_port(app.options.host, port)) {
        port = 0;
    }
    if (port <= 0) {
        std::cerr << "uneplace : impossible d’écouter sur " << app.options.host << ":" << app.options.port << "\n";
        return 1;
    }

    // httplib listens with a backlog of 5: a burst of connections (a page load, a rush on a popular
    // session) then sees connections dropped. listen() again on the bound socket raises it.
    if (listen_fd >= 0) ::listen(listen_fd, SOMAXCONN);

    Scheduler scheduler(app);
    scheduler.start();

    // The single line tests and people look for; flushed so a pipe reader sees it at once.
    std::cout << "uneplace prêt sur " << bound_url(app.options.host, port) << std::endl;
    for (const auto& line : banner) std::cout << line << "\n";
    std::cout.flush();
    spdlog::info("listening host={} port={} threads={} client_files={}", app.options.host, port, threads,
                 embedded_file_count());

    // Signals arrive here only (main blocked them in every thread); stop() unblocks listen.
    std::atomic<bool> listen_done{false};
    std::atomic<bool> by_signal{false};
    std::thread signals([&] {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        int sig = 0;
        sigwait(&set, &sig);
        if (listen_done) return;  // woken by serve() itself below
        by_signal = true;
        spdlog::info("signal {} reçu : arrêt", sig);
        // stop() only acts on a running server: wait for listen to have started.
        while (!svr.is_running() && !listen_done) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        svr.stop();
    });

    const bool ok = svr.listen_after_bind();
    listen_done = true;
    if (!by_signal) pthread_kill(signals.native_handle(), SIGTERM);
    signals.join();
    scheduler.stop();
    spdlog::info("arrêté");
    return ok || by_signal ? 0 : 1;
}

}  // namespace uneplace::server
