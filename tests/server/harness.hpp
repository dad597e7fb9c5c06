// uneplace server tests — the harness: starts the real `uneplace serve` process on 127.0.0.1:0 with
// a temporary database, reads its address from stdout, talks real HTTP, stops it at the end.
//
// Index of this file:
// [SECTION] Temporary directory
// [SECTION] ServerProcess
// [SECTION] Api: a small JSON client
// [SECTION] Shared demo server
// [SECTION] Scenario helpers (fresh offers, sessions, beneficiaries)
// [SECTION] Running tools (pdftotext, zbarimg, the mail reader)
#pragma once
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "uneplace/local_time.hpp"

extern char** environ;

namespace uneplace::test {

using json = nlohmann::json;

inline std::string binary_path() {
    if (const char* p = std::getenv("UNEPLACE_BINARY")) return p;
    return UNEPLACE_BINARY;
}

// False when the server under test is built with AddressSanitizer (scripts/asan.sh sets
// UNEPLACE_SERVER_SANITIZED=1): its shadow memory and quarantine make resident memory say
// nothing about the server's own, so the memory bounds are checked on the native binary only
// (scripts/test.sh runs the suites that hold them natively too).
inline bool server_memory_measured() { return std::getenv("UNEPLACE_SERVER_SANITIZED") == nullptr; }

// A process's VmHWM (peak resident memory) or VmRSS, in kB, from the kernel; -1 if unknown.
inline long memory_kb(pid_t pid, const char* field) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    const std::size_t n = std::char_traits<char>::length(field);
    while (std::getline(f, line))
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(n + 1));
    return -1;
}

//-----------------------------------------------------------------------------
// [SECTION] Temporary directory
//-----------------------------------------------------------------------------

class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "uneplace-test-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        if (!std::getenv("UNEPLACE_KEEP_TEST_DIRS")) std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

//-----------------------------------------------------------------------------
// [SECTION] ServerProcess
//-----------------------------------------------------------------------------

struct ServerConfig {
    bool demo = true;
    bool test_hooks = true;  // also gives --fast-hash: Argon2id at minimum cost keeps tests quick
    std::vector<std::string> extra_args;
    std::vector<std::string> env;  // "NAME=value"
    std::string db_path;           // empty: a fresh file in the temp directory
    // --admin-second-factor: tests log in as the demo administrator without TOTP, also on a demo
    // database reopened without --demo; empty leaves the server's own default (required without
    // --demo), for the tests of the second factor itself.
    std::string admin_second_factor = "optional";
};

class ServerProcess {
public:
    explicit ServerProcess(ServerConfig cfg = {}) : cfg_(std::move(cfg)) { start(); }
    ~ServerProcess() { stop(); }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    const std::string& host() const { return host_; }
    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    std::string url() const { return scheme_ + "://" + host_ + ":" + std::to_string(port_); }
    const std::string& db_path() const { return db_path_; }
    // Every byte of the database on disk: the file and its write-ahead log (what someone reading
    // the disk, or a copy of it, would see). Privacy tests search it for what must not be there.
    std::string db_bytes() const {
        std::string all;
        for (const std::string& f : {db_path_, db_path_ + "-wal"}) {
            std::ifstream in(f, std::ios::binary);
            all.append(std::istreambuf_iterator<char>(in), {});
        }
        return all;
    }
    const std::string& stdout_text() const { return stdout_; }
    std::string log_path() const { return (dir_.path() / "server.log").string(); }
    std::string log() const {
        std::ifstream f(log_path());
        return std::string(std::istreambuf_iterator<char>(f), {});
    }
    bool running() {
        if (pid_ <= 0) return false;
        int status = 0;
        return waitpid(pid_, &status, WNOHANG) == 0;
    }
    // SIGTERM, then wait (bounded); returns the exit status, or -1 if it had to be killed.
    int stop() {
        if (pid_ <= 0) return exit_status_;
        kill(pid_, SIGTERM);
        int status = 0;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (waitpid(pid_, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                kill(pid_, SIGKILL);
                waitpid(pid_, &status, 0);
                pid_ = -1;
                return exit_status_ = -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        pid_ = -1;
        if (out_fd_ >= 0) close(out_fd_);
        out_fd_ = -1;
        return exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    void start() {
        db_path_ = cfg_.db_path.empty() ? (dir_.path() / "uneplace.db").string() : cfg_.db_path;
        std::vector<std::string> args = {binary_path(), "serve", "--db", db_path_, "--listen", "127.0.0.1:0"};
        if (cfg_.demo) args.push_back("--demo");
        if (!cfg_.admin_second_factor.empty()) {
            args.push_back("--admin-second-factor");
            args.push_back(cfg_.admin_second_factor);
        }
        if (cfg_.test_hooks) {
            args.push_back("--test-hooks");
            args.push_back("--fast-hash");
            // Tests move the clock by days: keep logins alive for 30 days of server time.
            args.push_back("--session-hours");
            args.push_back("720");
        }
        for (const auto& a : cfg_.extra_args) args.push_back(a);

        int out_pipe[2];
        if (pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
        posix_spawn_file_actions_addclose(&fa, out_pipe[0]);
        posix_spawn_file_actions_addopen(&fa, 2, log_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<std::string> env_store;
        for (char** e = environ; *e; ++e) env_store.emplace_back(*e);
        for (const auto& e : cfg_.env) env_store.push_back(e);
        std::vector<char*> argv, envp;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        for (auto& e : env_store) envp.push_back(e.data());
        envp.push_back(nullptr);
        // The child must not inherit a blocked signal mask from a test thread.
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        sigset_t none;
        sigemptyset(&none);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
        const int rc = posix_spawn(&pid_, argv[0], &fa, &attr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        close(out_pipe[1]);
        if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
        out_fd_ = out_pipe[0];

        // Bounded polling of stdout for the address line (no sleeps).
        static const std::regex kUrl(R"((https?)://([0-9.]+):([0-9]+))");
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        std::smatch m;
        while (!std::regex_search(stdout_, m, kUrl)) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) throw std::runtime_error("server did not print its address; log:\n" + log());
            pollfd p{out_fd_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
            char buf[4096];
            const ssize_t n = read(out_fd_, buf, sizeof buf);
            if (n <= 0) throw std::runtime_error("server exited before listening; log:\n" + log());
            stdout_.append(buf, static_cast<std::size_t>(n));
        }
        scheme_ = m[1];
        host_ = m[2];
        port_ = std::stoi(m[3]);
        // Let the banner lines that follow arrive too (best effort, bounded).
        pollfd p{out_fd_, POLLIN, 0};
        while (poll(&p, 1, 50) > 0) {
            char buf[4096];
            const ssize_t n = read(out_fd_, buf, sizeof buf);
            if (n <= 0) break;
            stdout_.append(buf, static_cast<std::size_t>(n));
        }
    }

    ServerConfig cfg_;
    TempDir dir_;
    std::string db_path_;
    pid_t pid_ = -1;
    int out_fd_ = -1;
    int exit_status_ = 0;
    std::string stdout_;
    std::string scheme_;
    std::string host_;
    int port_ = 0;
};

//-----------------------------------------------------------------------------
// [SECTION] Api
//-----------------------------------------------------------------------------

struct Reply {
    int status = 0;  // 0: no HTTP answer at all (connection error)
    std::string body;
    httplib::Headers headers;
    json json_body() const {
        auto j = json::parse(body, nullptr, false);
        return j.is_discarded() ? json() : j;
    }
    json operator[](const char* key) const { return json_body().value(key, json()); }
    // By value on purpose: `for (auto& x : api.get(...).items())` keeps the list alive for the loop
    // (a reference into a temporary Reply would dangle). Anything but a 2xx list answer fails the
    // test: a loop `for (x : r.items()) EXPECT…` must never pass because the request failed.
    json items() const {
        json j = json_body();
        if (status < 200 || status > 299 || !j.is_object() || !j.contains("items") || !j["items"].is_array()) {
            ADD_FAILURE() << "expected a list answer, got " << status << ": " << body.substr(0, 300);
            return json::array();
        }
        return j["items"];
    }
    std::string error_code() const {
        auto j = json_body();
        if (!j.is_object() || !j.contains("error")) return {};
        return j["error"].value("code", "");
    }
    std::string header(const char* name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// What a test reads of an httplib answer; a failed connection becomes status 0 with the reason.
inline Reply reply_of(const httplib::Result& r) {
    Reply out;
    if (!r) {
        out.body = "connection error: " + httplib::to_string(r.error());
        return out;
    }
    out.status = r->status;
    out.body = r->body;
    out.headers = r->headers;
    return out;
}

class Api {
public:
    Api(std::string host, int port, std::string scheme = "http")
        : host_(std::move(host)), port_(port), scheme_(std::move(scheme)) {}
    // Speaks HTTPS to a server started with --tls-cert (without checking its test certificate:
    // frontdoor_test.cpp checks it where that is the point).
    explicit Api(const ServerProcess& s) : Api(s.host(), s.port(), s.url().substr(0, s.url().find(':'))) {}

    std::string token;
    std::string csrf;
    std::string cookie;  // when set, sent as Cookie instead of the bearer token
    httplib::Headers extra;

    Reply request(const std::string& method, const std::string& path, const std::string& body = {},
                  const std::string& content_type = "application/json") const {
        httplib::Client cli(scheme_ + "://" + host_ + ":" + std::to_string(port_));
        if (scheme_ == "https") cli.enable_server_certificate_verification(false);
        cli.set_connection_timeout(10, 0);
        cli.set_read_timeout(30, 0);
        cli.set_write_timeout(30, 0);
        httplib::Headers h = extra;
        if (!cookie.empty()) h.emplace("Cookie", cookie);
        else if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
        auto send = [&]() -> httplib::Result {
            if (method == "GET") return cli.Get(path, h);
            if (method == "POST") return cli.Post(path, h, body, content_type);
            if (method == "PATCH") return cli.Patch(path, h, body, content_type);
            if (method == "PUT") return cli.Put(path, h, body, content_type);
            return cli.Delete(path, h, body, content_type);
        };
        return reply_of(send());
    }
    Reply get(const std::string& path) const { return request("GET", path); }
    Reply post(const std::string& path, const json& body = json::object()) const {
        return request("POST", path, body.dump());
    }
    Reply patch(const std::string& path, const json& body) const { return request("PATCH", path, body.dump()); }

    // Logs in and keeps the bearer token; returns the login reply.
    Reply login(const std::string& email, const std::string& password = "uneplace-demo") {
        Reply r = post("/api/v1/auth/login", {{"email", email}, {"password", password}});
        if (r.status == 200) {
            token = r.json_body()["token"];
            csrf = r.json_body()["csrf_token"];
        }
        return r;
    }

private:
    std::string host_;
    int port_;
    std::string scheme_;
};

// True when `items` holds an element whose `key` is `value`: list tests look for a member they
// know, so that an empty list cannot pass them.
inline bool lists(const json& items, const char* key, const json& value) {
    for (const auto& it : items)
        if (it.is_object() && it.contains(key) && it[key] == value) return true;
    return false;
}

inline constexpr const char* kAdmin = "admin@demo.uneplace.test";
inline constexpr const char* kPartner = "partenaire@demo.uneplace.test";
inline constexpr const char* kWorker = "relais@demo.uneplace.test";
inline constexpr const char* kOtherWorker = "belleville@demo.uneplace.test";  // same département, other structure
inline constexpr const char* kOtherPartner = "musee@demo.uneplace.test";
inline constexpr const char* kLyonWorker = "lyon@demo.uneplace.test";

//-----------------------------------------------------------------------------
// [SECTION] Shared demo server
//-----------------------------------------------------------------------------

// One demo server for the tests that only read or that create their own objects; started on first
// use and stopped at exit. Tests that need a clock, limits or a pristine database start their own.
inline ServerProcess& demo_server() {
    static ServerProcess server({.extra_args = {"--login-rate", "100000"}});
    return server;
}

inline Api logged_in(const std::string& email, ServerProcess& s = demo_server()) {
    Api api(s);
    Reply r = api.login(email);
    if (r.status != 200) throw std::runtime_error("login failed for " + email + ": " + r.body);
    return api;
}

//-----------------------------------------------------------------------------
// [SECTION] Scenario helpers
//-----------------------------------------------------------------------------

inline std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A suffix no other call of this test run uses (e-mail addresses, names): the time alone repeats
// when a test runs twice within a second (--gtest_repeat).
inline std::string unique_suffix() {
    static std::atomic<int> counter{0};
    return std::to_string(unix_now()) + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

// "YYYY-MM-DDTHH:MM:00": `days` days after today (venue time), at hour:minute local, as a partner
// types it (no offset: the venue's wall-clock time). `clock_offset` follows a server whose test
// clock was moved.
inline std::string local_start(int days, int hour = 20, int minute = 0, const std::string& territory = "75",
                               std::int64_t clock_offset = 0) {
    const auto today = uneplace::to_local(territory, unix_now() + clock_offset);
    const auto d = uneplace::civil_from_days(uneplace::days_from_civil(today.year, today.month, today.day) + days);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:00", d.year, d.month, d.day, hour, minute);
    return buf;
}

// An instant `seconds` from now (server clock = real clock + offset), RFC 3339 UTC.
inline std::string utc_in(std::int64_t seconds, std::int64_t clock_offset = 0) {
    return uneplace::format_utc(unix_now() + clock_offset + seconds);
}

// A venue of the demo partner in Lozère (48), a département the demo data leaves empty, so the
// figures of that territory are the test's own.
inline std::int64_t lozere_venue(const Api& partner) {
    Reply r = partner.post("/api/v1/venues", {{"name", "Salle des fêtes de Mende"},
                                              {"address", "1 place Urbain V"},
                                              {"postal_code", "48000"},
                                              {"territory", "48"},
                                              {"city", "Mende"}});
    if (r.status != 201) throw std::runtime_error("venue: " + r.body);
    return r["id"];
}

// A new administrator of the Rhône (69) only, created by the national admin of `s`, logged in.
inline Api rhone_admin(ServerProcess& s = demo_server()) {
    const std::string email = "admin-rhone" + unique_suffix() + "@demo.uneplace.test";
    Reply created = logged_in(kAdmin, s).post("/api/v1/admins", {{"email", email},
                                                                 {"password", "mot-de-passe-du-rhone"},
                                                                 {"display_name", "Admin Rhône"},
                                                                 {"territories", {"69"}}});
    if (created.status != 201) throw std::runtime_error("admin: " + created.body);
    Api scoped(s);
    if (scoped.login(email, "mot-de-passe-du-rhone").status != 200) throw std::runtime_error("login: " + email);
    return scoped;
}

inline std::int64_t first_venue(const Api& partner) {
    Reply r = partner.get("/api/v1/venues");
    if (r.status != 200 || r.json_body()["items"].empty()) throw std::runtime_error("partner has no venue: " + r.body);
    return r.json_body()["items"][0]["id"];
}

// A published offer of the demo partner (created, submitted, approved by the admin).
inline std::int64_t published_offer(const Api& partner, const Api& admin, json extra = json::object()) {
    json body = {{"venue_id", first_venue(partner)},
                 {"title", "Offre de test"},
                 {"category", "theatre"},
                 {"pickup_mode", "guest_list"},
                 {"description", "Créée par un test."}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    Reply created = partner.post("/api/v1/offers", body);
    if (created.status != 201) throw std::runtime_error("offer: " + created.body);
    const std::int64_t id = created.json_body()["id"];
    Reply sub = partner.post("/api/v1/offers/" + std::to_string(id) + "/submit");
    if (sub.status != 200) throw std::runtime_error("submit: " + sub.body);
    Reply ok = admin.post("/api/v1/offers/" + std::to_string(id) + "/approve");
    if (ok.status != 200) throw std::runtime_error("approve: " + ok.body);
    return id;
}

// A session of that offer; `body` overrides the defaults (in 10 days at 20:00, 10 places).
inline json new_session(const Api& partner, std::int64_t offer_id, json body = json::object()) {
    json b = {{"start_local", local_start(10)},
              {"duration_min", 120},
              {"capacity", 10},
              {"max_per_booking", 2},
              {"allocation", "first_come"}};
    for (auto& [k, v] : body.items()) b[k] = v;
    Reply r = partner.post("/api/v1/offers/" + std::to_string(offer_id) + "/sessions", b);
    if (r.status != 201) throw std::runtime_error("session: " + r.body);
    return r.json_body();
}

// A published session in one call, on server `s`: returns its id.
inline std::int64_t fresh_session(ServerProcess& s, json session_body = json::object(),
                                  json offer_extra = json::object()) {
    Api partner = logged_in(kPartner, s);
    Api admin = logged_in(kAdmin, s);
    const auto offer = published_offer(partner, admin, offer_extra);
    return new_session(partner, offer, session_body)["session_id"];
}

inline std::atomic<int> g_beneficiary_counter{0};
// A new beneficiary of the worker's structure.
inline std::int64_t new_beneficiary(const Api& worker, json extra = json::object()) {
    static const char* kFirst[] = {"Camille", "Yanis", "Sofia", "Malik", "Jeanne", "Ibrahima", "Louise", "Nour"};
    const int n = g_beneficiary_counter++;
    json b = {{"first_name", kFirst[n % 8]},
              {"last_name", "Test" + std::to_string(n)},
              {"postal_code", "75011"},
              {"household_size", 2}};
    for (auto& [k, v] : extra.items()) b[k] = v;
    Reply r = worker.post("/api/v1/beneficiaries", b);
    if (r.status != 201) throw std::runtime_error("beneficiary: " + r.body);
    return r.json_body()["id"];
}

inline Reply book(const Api& worker, std::int64_t session, std::int64_t beneficiary, int places = 1,
                  bool join_waitlist = false) {
    return worker.post("/api/v1/bookings", {{"session_id", session},
                                            {"beneficiary_id", beneficiary},
                                            {"places", places},
                                            {"join_waitlist", join_waitlist}});
}

// Moves a --test-hooks server's clock and runs its scheduled jobs once.
inline json advance_clock(ServerProcess& s, std::int64_t seconds) {
    Api api(s);
    Reply r = api.post("/api/v1/test/clock", {{"advance_s", seconds}});
    if (r.status != 200) throw std::runtime_error("clock: " + r.body);
    return r.json_body();
}
// The server's "now" (real clock + its test offset).
inline std::int64_t server_now(ServerProcess& s) {
    json j = advance_clock(s, 0);
    return uneplace::parse_utc_instant(j["now"].get<std::string>()).value;
}
// Moves the server's clock to `target` (UTC seconds).
inline void advance_to(ServerProcess& s, std::int64_t target) { advance_clock(s, target - server_now(s)); }
inline std::int64_t instant(const json& rfc3339) {
    return uneplace::parse_utc_instant(rfc3339.get<std::string>()).value;
}
inline std::int64_t clock_offset(ServerProcess& s) { return advance_clock(s, 0)["offset_s"]; }

// A metric's value; a missing metric (or a failed request) fails the test instead of reading 0,
// so that `metric(...) == 0` cannot pass on a renamed or vanished metric.
inline double metric(const Api& api, const std::string& name) {
    Reply r = api.get("/metrics");
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 200);
    const auto pos = r.body.find("\n" + name + " ");
    if (pos == std::string::npos) {
        ADD_FAILURE() << "no metric " << name << " in /metrics";
        return -1;
    }
    return std::stod(r.body.substr(pos + name.size() + 2));
}

inline json run_scheduler(ServerProcess& s) {
    Api api(s);
    Reply r = api.post("/api/v1/test/scheduler/run");
    if (r.status != 200) throw std::runtime_error("scheduler: " + r.body);
    return r.json_body();
}

//-----------------------------------------------------------------------------
// [SECTION] Running tools
//-----------------------------------------------------------------------------

// A self-signed certificate for 127.0.0.1 made by `openssl req` (the TLS tests of the front door,
// an HTTPS webhook receiver), in its own temporary directory.
struct Certificate {
    TempDir dir;
    std::string cert, key;
    Certificate() {
        cert = (dir.path() / "cert.pem").string();
        key = (dir.path() / "key.pem").string();
        const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
                                "-addext subjectAltName=IP:127.0.0.1 -keyout " +
                                key + " -out " + cert + " >/dev/null 2>&1";
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl req failed");
    }
};

struct Command {
    int exit_code = -1;
    std::string output;  // stdout (and stderr when asked)
};

// Runs a shell command line (arguments quoted by the caller), capturing what it prints. Poppler
// warns about libharu's ToUnicode maps and zbarimg about D-Bus on stderr: kept apart unless asked.
inline Command run_tool(const std::string& command, bool with_stderr = false) {
    Command out;
    FILE* p = popen((command + (with_stderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
    if (!p) return out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.output.append(buf, n);
    const int status = pclose(p);
    out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

inline std::string shell_quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

inline void write_file(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream f(p, std::ios::binary);
    f << bytes;
}

}  // namespace uneplace::test
