// uneplace benchmarks — the scenarios of issue 7 (see scenarios.hpp).
//
// Index of this file:
// [SECTION] Server process and its memory
// [SECTION] Work: who books what
// [SECTION] Line 1: the raw booking transaction; line e: the bare one
// [SECTION] Lines 2–5 over HTTP
// [SECTION] Report
#include "scenarios.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "auth.hpp"
#include "frontdoor.hpp"
#include "generator.hpp"
#include "loadgen.hpp"
#include "store.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/local_time.hpp"

extern char** environ;

namespace uneplace::bench {

using json = nlohmann::json;
using namespace nlohmann::literals;
using SteadyClock = std::chrono::steady_clock;

namespace {

double seconds_since(SteadyClock::time_point t0) {
    return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

UnixSeconds wall_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

//-----------------------------------------------------------------------------
// [SECTION] Server process and its memory
//-----------------------------------------------------------------------------

// `uneplace serve` on 127.0.0.1:0; its stdout announces the address, its log goes to a file.
struct Server {
    pid_t pid = -1;
    Target target;

    Server(const std::string& binary, const std::string& db, const std::string& log, int threads) {
        std::vector<std::string> args = {binary, "serve", "--db", db, "--listen", "127.0.0.1:0", "--login-rate",
                                         "100000",
                                         // Every connection of the bench comes from loopback; the
                                         // paced lines (b) pause 10 s between two requests.
                                         "--max-conn-per-address", "100000", "--idle-timeout", "30",
                                         // The bench's synthetic administrator has no phone.
                                         "--admin-second-factor", "optional"};
        if (threads > 0) {
            args.push_back("--threads");
            args.push_back(std::to_string(threads));
        }
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        posix_spawn_file_actions_addclose(&fa, out[0]);
        posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        close(out[1]);
        if (rc != 0) throw std::runtime_error("cannot start " + binary);
        std::string text;
        static const std::regex kUrl(R"(http://([0-9.]+):([0-9]+))");
        std::smatch m;
        while (!std::regex_search(text, m, kUrl)) {
            pollfd p{out[0], POLLIN, 0};
            char buf[1024];
            if (poll(&p, 1, 60000) <= 0) throw std::runtime_error("the server did not start; see " + log);
            const ssize_t n = read(out[0], buf, sizeof buf);
            if (n <= 0) throw std::runtime_error("the server exited; see " + log);
            text.append(buf, static_cast<std::size_t>(n));
        }
        close(out[0]);
        target.host = m[1];
        target.port = std::stoi(m[2]);
    }
    ~Server() {
        if (pid <= 0) return;
        kill(pid, SIGTERM);
        int status = 0;
        waitpid(pid, &status, 0);
    }
    // A field of /proc/PID/status in kB (VmRSS: resident now; VmHWM: the peak so far).
    long kb(const char* field) const {
        std::ifstream f("/proc/" + std::to_string(pid) + "/status");
        std::string line;
        const std::string prefix = std::string(field) + ":";
        while (std::getline(f, line))
            if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
        return 0;
    }
};

// Samples the server's resident memory every 100 ms while load runs; keeps the highest.
struct RssSampler {
    const Server& server;
    std::atomic<bool> stop{false};
    std::atomic<long> peak_kb{0};
    std::thread thread;
    explicit RssSampler(const Server& s) : server(s) {
        thread = std::thread([this] {
            while (!stop) {
                peak_kb = std::max(peak_kb.load(), server.kb("VmRSS"));
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
    }
    ~RssSampler() {
        stop = true;
        thread.join();
    }
};

// Where the CPU went during a line: the server process, this process (the load generator or the
// raw line) and everything else on the machine (/proc/stat), in CPU-seconds. The machine has two
// cores shared with other work, so these say whether a line was bound by the CPU and by whom.
struct CpuMeter {
    pid_t server_pid;
    double server0, self0, busy0, total0;
    SteadyClock::time_point t0;

    static double process_cpu(pid_t pid) {
        std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
        std::string text((std::istreambuf_iterator<char>(f)), {});
        std::istringstream rest(text.substr(text.rfind(')') + 2));
        std::string field;
        double utime = 0, stime = 0;
        for (int i = 3; i <= 15 && rest >> field; ++i) {
            if (i == 14) utime = std::stod(field);
            if (i == 15) stime = std::stod(field);
        }
        return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
    // Busy and total CPU time of the whole machine, in seconds.
    static std::pair<double, double> machine() {
        std::ifstream f("/proc/stat");
        std::string cpu;
        double v[8] = {};
        f >> cpu;
        for (double& x : v) f >> x;
        const double total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
        const double idle = v[3] + v[4];
        const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
        return {(total - idle) / tick, total / tick};
    }
    explicit CpuMeter(pid_t server = -1) : server_pid(server) {
        server0 = server_pid > 0 ? process_cpu(server_pid) : 0;
        self0 = process_cpu(getpid());
        std::tie(busy0, total0) = machine();
        t0 = SteadyClock::now();
    }
    json stop() const {
        const double wall = seconds_since(t0);
        const double server = server_pid > 0 ? process_cpu(server_pid) - server0 : 0;
        const double self = process_cpu(getpid()) - self0;
        const auto [busy, total] = machine();
        const double busy_s = busy - busy0;
        return {{"wall_s", wall},
                {"server_cpu_s", server},
                {"bench_cpu_s", self},
                {"other_cpu_s", std::max(0.0, busy_s - server - self)},
                {"machine_busy_percent", total > total0 ? 100 * busy_s / (total - total0) : 0}};
    }
};

//-----------------------------------------------------------------------------
// [SECTION] Work: who books what
//-----------------------------------------------------------------------------

// Every beneficiary books at most once in the whole run, so R5–R7 never refuse for a reason the
// benchmark made up; the refusals left are scarcity and history (R3, R4, R8, R9) as designed.
struct Work {
    struct Item {
        std::int64_t beneficiary = 0;
        std::int64_t worker_user = 0;
    };
    std::vector<Item> items;             // shuffled (seeded)
    std::vector<std::int64_t> sessions;  // upcoming, open, not the storm's
    std::int64_t storm_session = 0;
    std::unordered_map<std::int64_t, std::string> worker_email;  // user id → email
    std::atomic<std::size_t> cursor{0};
    std::size_t storm_reserve = 0;  // the last `storm_reserve` items belong to the storm

    // The next unused item for the throughput lines, or nullptr when they ran out.
    const Item* take() {
        const std::size_t i = cursor++;
        return i + storm_reserve < items.size() ? &items[i] : nullptr;
    }
    std::int64_t session_for(std::uint64_t n) const {
        return sessions[(n * 0x9E3779B97F4A7C15ull >> 17) % sessions.size()];
    }
};

void load_work(const std::string& db_path, std::uint64_t seed, std::int64_t storm_session, Work& w) {
    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    SQLite::Statement b(db, "SELECT b.id, b.structure_id + 1 FROM beneficiaries b ORDER BY b.id");
    while (b.executeStep()) w.items.push_back({b.getColumn(0).getInt64(), b.getColumn(1).getInt64()});
    // Fisher–Yates with the generator's seed: the same order on every run.
    std::uint64_t state = seed ^ 0xB0B;
    for (std::size_t i = w.items.size(); i > 1; --i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        std::swap(w.items[i - 1], w.items[(state >> 33) % i]);
    }
    SQLite::Statement s(db, "SELECT id FROM sessions WHERE closes_at > ? AND id <> ? ORDER BY id");
    s.bind(1, wall_now() + 3600);
    s.bind(2, storm_session);
    while (s.executeStep()) w.sessions.push_back(s.getColumn(0).getInt64());
    SQLite::Statement u(db, "SELECT id, email FROM users WHERE role = 'social_worker'");
    while (u.executeStep()) w.worker_email[u.getColumn(0).getInt64()] = u.getColumn(1).getString();
    w.storm_session = storm_session;
}

std::string booking_body(std::int64_t session, std::int64_t beneficiary) {
    return json{{"session_id", session}, {"beneficiary_id", beneficiary}, {"places", 1}}.dump();
}

//-----------------------------------------------------------------------------
// [SECTION] Line 1: the raw booking transaction; line e: the bare one
//-----------------------------------------------------------------------------

// The server's own create_booking() (BEGIN IMMEDIATE, snapshot, shared rules, insert, audit,
// notification, COMMIT) on the server's own connection settings, one caller, no HTTP.
json raw_line(const std::string& db_path, Work& w, double seconds) {
    server::ServerOptions opts;
    opts.db_path = db_path;
    server::App app(opts);
    std::unordered_map<std::int64_t, server::Actor> actors;
    std::map<std::string, std::uint64_t> outcomes;
    std::uint64_t attempts = 0, confirmed = 0;
    std::vector<double> ms;
    double busy = 0;  // time inside create_booking only
    const CpuMeter cpu;
    const auto t0 = SteadyClock::now();
    while (seconds_since(t0) < seconds) {
        const Work::Item* it = w.take();
        if (!it) break;
        auto a = actors.find(it->worker_user);
        if (a == actors.end())
            a = actors.emplace(it->worker_user, server::load_actor(app.db.conn(), it->worker_user)).first;
        server::BookingRequest req;
        req.session_id = w.session_for(attempts);
        req.beneficiary_id = it->beneficiary;
        const auto start = SteadyClock::now();
        try {
            server::create_booking(app, a->second, req);
            ++confirmed;
            ++outcomes["confirmed"];
        } catch (const server::Failure& f) {
            ++outcomes[f.code];
        }
        const double d = seconds_since(start);
        busy += d;
        ms.push_back(d * 1000);
        ++attempts;
    }
    const Latency l = latency_of(ms);
    return {{"transactions", attempts},
            {"confirmed", confirmed},
            {"seconds", busy},
            {"tx_per_s", static_cast<double>(attempts) / busy},
            {"confirmed_per_s", static_cast<double>(confirmed) / busy},
            {"p50_ms", l.p50},
            {"p99_ms", l.p99},
            {"outcomes", outcomes},
            {"cpu", cpu.stop()}};
}

// Line e: the bare booking transaction, what the disk and SQLite allow on this machine. The
// server's connection settings (WAL, synchronous = NORMAL), one caller, statements prepared once:
// BEGIN IMMEDIATE, read the places left, insert a confirmed booking (the schema's triggers keep
// the session's counter and check R3), COMMIT. No rules, audit, notification or JSON: the floor
// under line 1, on the same national data, just after it. It takes no work items (at thousands a second
// it would use most of them): it books the beneficiaries of the items line 1 left, item i on
// session_for(i), and deletes its bookings at the end (the counter follows, by trigger), so the
// lines after it see the data line 1 left and may book the same people.
json bare_line(const std::string& db_path, const Work& w, double seconds) {
    auto conn = server::open_connection(db_path);
    SQLite::Database& db = *conn;
    SQLite::Statement begin(db, "BEGIN IMMEDIATE");
    SQLite::Statement commit(db, "COMMIT");
    SQLite::Statement left(db, "SELECT capacity - places_held FROM sessions WHERE id = ?");
    SQLite::Statement ins(db,
                          "INSERT INTO bookings (session_id, structure_id, social_worker_id, beneficiary_id, places,"
                          " status, code, requested_at, confirmed_at, created_at, updated_at)"
                          " VALUES (?, ?, ?, ?, 1, 'confirmed', ?, ?, ?, ?, ?)");
    const std::int64_t last_id_before = db.execAndGet("SELECT COALESCE(MAX(id), 0) FROM bookings").getInt64();
    std::uint64_t attempts = 0, confirmed = 0;
    std::vector<double> ms;
    double busy = 0;
    const CpuMeter cpu;
    const auto t0 = SteadyClock::now();
    const std::size_t first = w.cursor;  // the items line 1 did not use (the storm's excepted)
    while (seconds_since(t0) < seconds && first + attempts + w.storm_reserve < w.items.size()) {
        const Work::Item* it = &w.items[first + attempts];
        const std::int64_t session = w.session_for(first + attempts);
        // Codes from 2^34 up through the generator's bijection: never one of its million codes.
        const std::string code =
            make_booking_code(((std::uint64_t{1} << 34) + attempts) * 0x9E3779B1ull & ((std::uint64_t{1} << 35) - 1));
        const UnixSeconds now = wall_now();
        const auto start = SteadyClock::now();
        begin.exec();
        begin.reset();
        left.bind(1, session);
        const bool room = left.executeStep() && left.getColumn(0).getInt() >= 1;
        left.reset();
        if (room) {
            ins.bind(1, session);
            ins.bind(2, it->worker_user - 1);  // a social worker's user id is its structure's id + 1
            ins.bind(3, it->worker_user);
            ins.bind(4, it->beneficiary);
            ins.bind(5, code);
            for (int i = 6; i <= 9; ++i) ins.bind(i, now);
            ins.exec();
            ins.reset();
            ++confirmed;
        }
        commit.exec();
        commit.reset();
        const double d = seconds_since(start);
        busy += d;
        ms.push_back(d * 1000);
        ++attempts;
    }
    json cpu_used = cpu.stop();
    SQLite::Statement undo(db, "DELETE FROM bookings WHERE id > ?");
    undo.bind(1, last_id_before);
    undo.exec();
    const Latency l = latency_of(ms);
    return {{"transactions", attempts},
            {"confirmed", confirmed},
            {"seconds", busy},
            {"tx_per_s", static_cast<double>(attempts) / busy},
            {"confirmed_per_s", static_cast<double>(confirmed) / busy},
            {"p50_ms", l.p50},
            {"p99_ms", l.p99},
            {"cpu", cpu_used}};
}

//-----------------------------------------------------------------------------
// [SECTION] Lines 2–5 over HTTP
//-----------------------------------------------------------------------------

json load_json(const LoadResult& r) {
    const Latency l = latency_of(r.latencies_ms);
    json by_status = json::object();
    for (const auto& [k, v] : r.by_status) by_status[std::to_string(k)] = v;
    return {{"requests", r.requests}, {"seconds", r.seconds}, {"req_per_s", r.rate()},
            {"p50_ms", l.p50},        {"p99_ms", l.p99},      {"max_ms", l.max},
            {"by_status", by_status}, {"by_code", r.by_code}, {"server_errors", r.server_errors()}};
}

json booking_line(const Target& t, pid_t server, Work& w, const std::unordered_map<std::int64_t, std::string>& tokens,
                  int connections, double seconds) {
    const CpuMeter cpu(server);
    LoadResult r = closed_loop(t, connections, seconds, [&](std::uint64_t n) -> std::optional<Call> {
        const Work::Item* it = w.take();
        if (!it) return std::nullopt;
        return Call{"POST", "/api/v1/bookings", booking_body(w.session_for(n), it->beneficiary),
                    tokens.at(it->worker_user)};
    });
    json j = load_json(r);
    j["connections"] = connections;
    j["confirmed_per_s"] = r.rate(201);
    j["cpu"] = cpu.stop();
    return j;
}

int places_held(const std::string& db_path, std::int64_t session) {
    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT COALESCE(SUM(places), 0) FROM bookings WHERE session_id = ?"
                            " AND status IN ('confirmed', 'attended', 'no_show')");
    q.bind(1, session);
    q.executeStep();
    return q.getColumn(0).getInt();
}

json storm_line(const Target& t, const std::string& db_path, Work& w,
                const std::unordered_map<std::int64_t, std::string>& tokens, int clients) {
    std::vector<StormClient> crowd;
    for (std::size_t i = w.items.size() - static_cast<std::size_t>(clients); i < w.items.size(); ++i)
        crowd.push_back({tokens.at(w.items[i].worker_user), w.items[i].beneficiary});
    const StormResult s = storm(t, w.storm_session, crowd, 1);
    json j = load_json(s.answers);
    j["clients"] = clients;
    j["capacity"] = 500;
    j["confirmed_places_answered"] = s.confirmed_places;
    j["places_held"] = places_held(db_path, w.storm_session);
    j["seconds_to_full"] = s.seconds_to_full;
    return j;
}

// Filters a social worker combines on the catalogue: département and category, a date window,
// free text, accessibility, availability. Deterministic in n.
std::string catalogue_path(std::uint64_t n) {
    static const char* kCategories[] = {"theatre", "concert", "cinema", "museum", "sport_event", "young_audience"};
    static const char* kWords[] = {"jazz", "famille", "Symphonie", "plein%20air", "Cabaret"};  // URL-encoded
    const auto deps = all_departements();
    const std::string dep(deps[(n * 7) % deps.size()].code);
    // Whole days, as the client asks (its date filters start and end at midnight).
    const UnixSeconds today = wall_now() / kDay * kDay;
    switch (n % 5) {
        case 0: return "/api/v1/catalogue?territory=" + dep + "&category=" + kCategories[n % 6];
        case 1:
            return fmt::format("/api/v1/catalogue?territory={}&from={}&to={}", dep, format_utc(today + 7 * kDay),
                               format_utc(today + 37 * kDay));
        case 2: return std::string("/api/v1/catalogue?available=true&category=") + kCategories[n % 6];
        case 3: return std::string("/api/v1/catalogue?q=") + kWords[n % 5] + "&territory=" + dep;
        default: return "/api/v1/catalogue?accessible=wheelchair&available=true&territory=" + dep;
    }
}

// Waits until the server is idle (under 2 % of a core for a whole second; 60 s at most) and
// says how long that took and the CPU it used.
json wait_until_idle(const Server& server) {
    const auto ts = SteadyClock::now();
    const double cpu0 = CpuMeter::process_cpu(server.pid);
    double last = cpu0;
    int quiet = 0;
    while (quiet < 4 && seconds_since(ts) < 60) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        const double now_cpu = CpuMeter::process_cpu(server.pid);
        quiet = now_cpu - last < 0.005 ? quiet + 1 : 0;
        last = now_cpu;
    }
    return {{"seconds_until_idle", seconds_since(ts)}, {"cpu_s", last - cpu0}};
}

// Line 4: the national catalogue at 16 connections, each kind of filter alone, then /healthz in
// the same run for the ratio. Fills report["catalogue"] and report["healthz"].
void catalogue_line(const Server& server, const std::string& token, double seconds, json& report) {
    const CpuMeter cat_cpu(server.pid);
    report["catalogue"] = load_json(closed_loop(server.target, 16, seconds, [&](std::uint64_t n) {
        return std::optional<Call>(Call{"GET", catalogue_path(n), "", token});
    }));
    report["catalogue"]["cpu"] = cat_cpu.stop();
    // Diagnostic: each kind of filter alone, one connection (latency without queueing), on pages
    // never asked before (limit 30 to 49, which the line above never uses): read from the
    // database, not from the page cache.
    static const char* kFilterNames[] = {"territory+category", "territory+dates", "available+category", "q+territory",
                                         "accessible+available+territory"};
    for (std::uint64_t kind = 0; kind < 5; ++kind) {
        const LoadResult one = closed_loop(server.target, 1, 0, [&](std::uint64_t i) -> std::optional<Call> {
            if (i >= 20) return std::nullopt;
            return Call{"GET", fmt::format("{}&limit={}", catalogue_path(kind + 5 * i), 30 + i), "", token};
        });
        const Latency l = latency_of(one.latencies_ms);
        report["catalogue"]["by_filter"][kFilterNames[kind]] = {{"p50_ms", l.p50}, {"max_ms", l.max}};
    }
    // Posters (issue 18): 50 pages of the line as a browser shows them, each row's thumbnail
    // fetched once: their bytes per page beside the page's own.
    {
        std::vector<Call> pages;
        for (std::uint64_t n = 0; n < 50; ++n) pages.push_back(Call{"GET", catalogue_path(n), "", token});
        const auto per_page = [&](double total) { return total / static_cast<double>(pages.size()); };
        std::vector<Call> thumbs;
        double page_bytes = 0;
        int rows = 0;
        for (const Fetched& p : fetch_in_turn(server.target, pages)) {
            page_bytes += static_cast<double>(p.body.size());
            const json j = json::parse(p.body, nullptr, false);
            if (!j.is_object() || !j.contains("items")) continue;
            for (const json& item : j["items"]) {
                ++rows;
                if (item.value("thumbnail_url", json()).is_string())
                    thumbs.push_back(Call{"GET", item["thumbnail_url"].get<std::string>(), "", token});
            }
        }
        double thumb_bytes = 0;
        std::vector<double> thumb_ms;
        int thumb_errors = 0;
        for (const Fetched& t : fetch_in_turn(server.target, thumbs)) {
            thumb_bytes += static_cast<double>(t.body.size());
            thumb_ms.push_back(t.ms);
            if (t.status != 200) ++thumb_errors;
        }
        const Latency l = latency_of(thumb_ms);
        report["catalogue"]["thumbnails"] = {
            {"pages", pages.size()},
            {"rows", rows},
            {"thumbnails", thumbs.size()},
            {"errors", thumb_errors},
            {"page_json_bytes_per_page", per_page(page_bytes)},
            {"thumbnail_bytes_per_page", per_page(thumb_bytes)},
            {"bytes_per_thumbnail", thumbs.empty() ? 0.0 : thumb_bytes / static_cast<double>(thumbs.size())},
            {"p50_ms", l.p50},
            {"p99_ms", l.p99}};
    }
    report["healthz"] = load_json(closed_loop(server.target, 16, seconds, [](std::uint64_t) {
        return std::optional<Call>(Call{"GET", "/healthz", "", ""});
    }));
}

//-----------------------------------------------------------------------------
// [SECTION] Report
//-----------------------------------------------------------------------------

std::string yes_no(bool ok) { return ok ? "atteint" : "MANQUÉ"; }

constexpr const char* kTableHead = "| ligne | mesure | valeur | objectif | verdict |\n|---|---|---|---|---|\n";

// Adds one row of the table: line, figure, value, target, verdict.
struct TableRows {
    std::string& md;
    void operator()(const std::string& line, const std::string& what, const std::string& value,
                    const std::string& target = "", const std::string& verdict = "") const {
        md += fmt::format("| {} | {} | {} | {} | {} |\n", line, what, value, target, verdict);
    }
};

// Line 4's rows (also printed alone by `uneplace-bench catalogue`).
void catalogue_rows(const json& r, const TableRows& row) {
    const json& c = r["catalogue"];
    const json& h = r["healthz"];
    row("4", "catalogue national filtré (16 connexions)",
        fmt::format(
            "{:.0f} req/s, p50 {:.1f} ms, p99 {:.1f} ms ; /healthz {:.0f} req/s (catalogue = {:.0f} % de /healthz)",
            c["req_per_s"].get<double>(), c["p50_ms"].get<double>(), c["p99_ms"].get<double>(),
            h["req_per_s"].get<double>(), 100 * c["req_per_s"].get<double>() / h["req_per_s"].get<double>()),
        "p99 < 20 ms et ≥ 25 % de /healthz",
        yes_no(c["p99_ms"].get<double>() < 20 && c["req_per_s"].get<double>() >= 0.25 * h["req_per_s"].get<double>()));
    std::string filters;
    for (auto& [k, v] : c["by_filter"].items())
        filters += fmt::format("{}{} : {:.1f} ms", filters.empty() ? "" : " ; ", k, v["p50_ms"].get<double>());
    row("4 (diagnostic)", "catalogue, chaque filtre seul, page jamais demandée (lue en base), 1 connexion (médiane)",
        filters);
    if (c.contains("thumbnails")) {
        const json& t = c["thumbnails"];
        row("4 (vignettes)", "catalogue : vignettes des affiches (50 pages de la ligne 4, chaque vignette une fois)",
            fmt::format("{} vignettes pour {} lignes ; par page : JSON {:.1f} Ko, vignettes {:.1f} Ko ({:.0f} o "
                        "chacune) ; GET d’une vignette p50 {:.1f} ms, p99 {:.1f} ms ; erreurs : {}",
                        t["thumbnails"].get<int>(), t["rows"].get<int>(),
                        t["page_json_bytes_per_page"].get<double>() / 1000,
                        t["thumbnail_bytes_per_page"].get<double>() / 1000, t["bytes_per_thumbnail"].get<double>(),
                        t["p50_ms"].get<double>(), t["p99_ms"].get<double>(), t["errors"].get<int>()));
    }
}

// One table, printed and written as Markdown: figure, value, target, verdict.
std::string table(const json& r) {
    std::string md = kTableHead;
    const TableRows row{md};
    const json& g = r["generator"];
    row("0", "données générées",
        fmt::format(
            "{} départements, {} organisations, {} offres dont {} avec affiche, {} séances, {} bénéficiaires, {} "
            "réservations passées ({:.0f} s)",
            g["departements"].get<int>(), g["partners"].get<int>() + g["structures"].get<int>(), g["offers"].get<int>(),
            g.value("posters", 0), g["sessions"].get<int>(), g["beneficiaries"].get<int>(),
            g["past_bookings"].get<int>(), g["seconds"].get<double>()));
    const json& raw = r["raw"];
    auto cpu_text = [](const json& c) {
        return fmt::format(
            "CPU : serveur {:.1f} s, banc {:.1f} s, autres {:.1f} s sur {:.1f} s, machine occupée à {:.0f} %",
            c["server_cpu_s"].get<double>(), c["bench_cpu_s"].get<double>(), c["other_cpu_s"].get<double>(),
            c["wall_s"].get<double>(), c["machine_busy_percent"].get<double>());
    };
    row("1", "SQLite brut, transaction de réservation du serveur (create_booking, 1 fil)",
        fmt::format("{:.0f} tx/s ({:.0f} confirmées/s), p50 {:.2f} ms, p99 {:.2f} ms ; {}",
                    raw["tx_per_s"].get<double>(), raw["confirmed_per_s"].get<double>(), raw["p50_ms"].get<double>(),
                    raw["p99_ms"].get<double>(), cpu_text(raw["cpu"])));
    const json& bare = r["bare"];
    row("e", "transaction de réservation nue (lire les places, insérer, compteur ; WAL, synchronous=NORMAL, 1 fil)",
        fmt::format("{:.0f} tx/s ({:.0f} confirmées/s), p50 {:.3f} ms, p99 {:.3f} ms ; {}",
                    bare["tx_per_s"].get<double>(), bare["confirmed_per_s"].get<double>(), bare["p50_ms"].get<double>(),
                    bare["p99_ms"].get<double>(), cpu_text(bare["cpu"])));
    for (const json& l : r["http"]) {
        const bool diagnostic = l["connections"] == 1;
        // Issue 11 (e): at 16 connections, HTTP bookings at a quarter of the bare transaction at least.
        const bool against_bare = l["connections"] == 16;
        const bool ok =
            l["ratio_to_raw"].get<double>() >= 0.6 && (!against_bare || l["ratio_to_bare"].get<double>() >= 0.25);
        row(diagnostic ? "2 (diagnostic)" : "2", fmt::format("HTTP, {} connexions", l["connections"].get<int>()),
            fmt::format("{:.0f} confirmées/s, p50 {:.1f} ms, p99 {:.1f} ms, {:.0f} % de la ligne 1, {:.0f} % de la "
                        "ligne e, 5xx : {} ; {}",
                        l["confirmed_per_s"].get<double>(), l["p50_ms"].get<double>(), l["p99_ms"].get<double>(),
                        100 * l["ratio_to_raw"].get<double>(), 100 * l["ratio_to_bare"].get<double>(),
                        l["server_errors"].get<int>(), cpu_text(l["cpu"])),
            diagnostic     ? ""
            : against_bare ? "≥ 60 % de la ligne 1 et ≥ 25 % de la ligne e"
                           : "≥ 60 % de la ligne 1",
            diagnostic ? "" : yes_no(ok));
    }
    const json& s = r["storm"];
    std::string statuses;
    for (auto& [k, v] : s["by_status"].items())
        statuses += fmt::format("{}{}×{}", statuses.empty() ? "" : ", ", v.get<int>(), k);
    std::string codes;
    for (auto& [k, v] : s["by_code"].items())
        codes += fmt::format("{}{} {}", codes.empty() ? "" : ", ", v.get<int>(), k);
    const bool storm_ok =
        s["places_held"] == s["capacity"] && s["server_errors"] == 0 && s["confirmed_places_answered"] == s["capacity"];
    row("3",
        fmt::format("tempête : {} clients, 1 séance de {} places", s["clients"].get<int>(), s["capacity"].get<int>()),
        fmt::format("{} places tenues ; réponses {} ({}) ; p50 {:.0f} ms, p99 {:.0f} ms ; complet en {:.2f} s",
                    s["places_held"].get<int>(), statuses, codes, s["p50_ms"].get<double>(), s["p99_ms"].get<double>(),
                    s["seconds_to_full"].get<double>()),
        "exactement complet, aucun surbooking, aucun 5xx", yes_no(storm_ok));
    catalogue_rows(r, row);
    row("5", "démarrage du serveur : premier passage du planificateur",
        fmt::format("{:.1f} s jusqu’au repos, {:.1f} s de CPU", r["server_start"]["seconds_until_idle"].get<double>(),
                    r["server_start"]["cpu_s"].get<double>()));
    const json& m = r["memory"];
    row("5", "mémoire résidente du serveur",
        fmt::format("au repos {:.1f} Mo ; sous charge (pic échantillonné) {:.1f} Mo ; VmHWM {:.1f} Mo",
                    m["rest_kb"].get<double>() / 1024, m["load_peak_kb"].get<double>() / 1024,
                    m["hwm_kb"].get<double>() / 1024));
    if (r.contains("client")) {
        const json& cl = r["client"];
        row("6", "client : poids (wasm, js, autres)",
            fmt::format("brut {:.0f} Ko, gzip {:.0f} Ko (wasm {:.0f}/{:.0f}, js {:.0f}/{:.0f}, autres {:.0f}/{:.0f})",
                        cl.value("raw_bytes", 0.0) / 1024, cl.value("gzip_bytes", 0.0) / 1024,
                        cl.value("/wasm/raw"_json_pointer, 0.0) / 1024, cl.value("/wasm/gzip"_json_pointer, 0.0) / 1024,
                        cl.value("/js/raw"_json_pointer, 0.0) / 1024, cl.value("/js/gzip"_json_pointer, 0.0) / 1024,
                        cl.value("/assets/raw"_json_pointer, 0.0) / 1024,
                        cl.value("/assets/gzip"_json_pointer, 0.0) / 1024),
            "< 1,5 Mo gzip", yes_no(cl.value("gzip_bytes", 0.0) < 1.5 * 1024 * 1024));
        row("6", "client : navigation → première image (Chromium headless, rendu logiciel)",
            fmt::format(
                "{:.0f} ms (médiane de {} chargements à froid ; wasm reçu à {:.0f} ms, DOMContentLoaded à {:.0f} ms)",
                cl.value("first_frame_ms", 0.0), cl.value("first_frame_runs", 0),
                cl.value("first_frame_wasm_received_ms", 0.0), cl.value("first_frame_dom_content_loaded_ms", 0.0)),
            "< 1 s", yes_no(cl.value("first_frame_ms", 0.0) < 1000));
        if (cl.contains("scroll"))
            row("6", fmt::format("client : défilement de {} séances", cl.value("/scroll/sessions"_json_pointer, 0)),
                fmt::format("images : médiane {:.1f} ms, p99 {:.1f} ms, max {:.1f} ms ({} images en {} s) ; au repos : "
                            "médiane {:.1f} ms ;"
                            " dont la fonction d’image du client : médiane {:.1f} ms, p99 {:.1f} ms",
                            cl.value("/scroll/p50_ms"_json_pointer, 0.0), cl.value("/scroll/p99_ms"_json_pointer, 0.0),
                            cl.value("/scroll/max_ms"_json_pointer, 0.0), cl.value("/scroll/frames"_json_pointer, 0),
                            cl.value("/scroll/seconds"_json_pointer, 0),
                            cl.value("/scroll/idle_p50_ms"_json_pointer, 0.0),
                            cl.value("/scroll/callback_p50_ms"_json_pointer, 0.0),
                            cl.value("/scroll/callback_p99_ms"_json_pointer, 0.0)));
        if (cl.contains("cpu")) {
            // The client draws only when something changes: an untouched screen costs (almost) nothing.
            const double idle = std::max(cl.value("/cpu/login_idle/percent_of_a_core"_json_pointer, 0.0),
                                         cl.value("/cpu/catalogue_idle/percent_of_a_core"_json_pointer, 0.0));
            row("6", "client : CPU du navigateur (écran inchangé 10 s ; défilement 10 s)",
                fmt::format(
                    "connexion inchangée {:.1f} % d’un cœur ({} images), catalogue inchangé {:.1f} % ({} images) ; "
                    "en défilant {:.1f} % ({} images)",
                    cl.value("/cpu/login_idle/percent_of_a_core"_json_pointer, 0.0),
                    cl.value("/cpu/login_idle/client_frames"_json_pointer, 0),
                    cl.value("/cpu/catalogue_idle/percent_of_a_core"_json_pointer, 0.0),
                    cl.value("/cpu/catalogue_idle/client_frames"_json_pointer, 0),
                    cl.value("/cpu/scrolling/percent_of_a_core"_json_pointer, 0.0),
                    cl.value("/cpu/scrolling/client_frames"_json_pointer, 0)),
                "< 5 % au repos", yes_no(idle < 5.0));
        }
    }
    if (r.contains("frontdoor")) md += frontdoor_rows(r["frontdoor"]);
    return md;
}

}  // namespace

int run_benchmark(const RunConfig& cfg) {
    const auto t0 = SteadyClock::now();
    json report;
    report["seed"] = cfg.seed;
    report["scale"] = cfg.scale;
    {
        std::ifstream f("/proc/loadavg");
        std::string load;
        std::getline(f, load);
        report["machine"] = {{"cores", std::thread::hardware_concurrency()}, {"loadavg_at_start", load}};
    }

    std::filesystem::remove(cfg.db_path);
    std::filesystem::remove(cfg.db_path + "-wal");
    std::filesystem::remove(cfg.db_path + "-shm");
    GenConfig gc;
    gc.db_path = cfg.db_path;
    gc.seed = cfg.seed;
    gc.scale = cfg.scale;
    gc.now = wall_now() / kDay * kDay;
    std::cerr << "génération des données…\n";
    const GenCounts g = generate(gc);
    report["generator"] = {{"departements", g.departements},
                           {"partners", g.partners},
                           {"structures", g.structures},
                           {"venues", g.venues},
                           {"offers", g.offers},
                           {"posters", g.posters},
                           {"sessions", g.sessions},
                           {"beneficiaries", g.beneficiaries},
                           {"past_bookings", g.past_bookings},
                           {"seconds", g.seconds},
                           {"db_bytes", std::filesystem::file_size(cfg.db_path)}};

    Work work;
    load_work(cfg.db_path, cfg.seed, g.storm_session_id, work);
    work.storm_reserve = static_cast<std::size_t>(cfg.storm_clients);

    std::cerr << "ligne 1 : SQLite brut…\n";
    report["raw"] = raw_line(cfg.db_path, work, cfg.raw_seconds);
    std::cerr << "ligne e : transaction de réservation nue…\n";
    report["bare"] = bare_line(cfg.db_path, work, cfg.raw_seconds);
    const double raw_rate = report["raw"]["confirmed_per_s"];
    const double bare_rate = report["bare"]["tx_per_s"];

    const std::string log = cfg.db_path + ".server.log";
    Server server(cfg.server_binary, cfg.db_path, log, cfg.server_threads);
    // The scheduler's first pass (every job, the hourly ones included) starts with the server; at
    // national scale it takes seconds of CPU. Measured, then waited out: the lines below measure
    // requests, not it.
    report["server_start"] = wait_until_idle(server);
    report["memory"]["rest_kb"] = server.kb("VmRSS");
    {
        RssSampler sampler(server);
        // Every social worker logs in once, through the real login route.
        std::cerr << "connexion des travailleurs sociaux…\n";
        std::vector<std::int64_t> ids;
        std::vector<std::string> emails;
        for (const auto& [id, email] : work.worker_email) {
            ids.push_back(id);
            emails.push_back(email);
        }
        const auto tl = SteadyClock::now();
        const auto tokens_list = login_all(server.target, emails, kBenchPassword, 16);
        std::unordered_map<std::int64_t, std::string> tokens;
        int failed = 0;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            tokens[ids[i]] = tokens_list[i];
            if (tokens_list[i].empty()) ++failed;
        }
        report["logins"] = {{"count", ids.size()}, {"failed", failed}, {"seconds", seconds_since(tl)}};
        if (failed) throw std::runtime_error(fmt::format("{} connexions refusées", failed));

        // 1 connection: a diagnostic, the HTTP cost of one booking with no concurrency at all.
        for (int connections : {1, 16, 64, 256}) {
            std::cerr << "ligne 2 : " << connections << " connexions…\n";
            json l = booking_line(server.target, server.pid, work, tokens, connections, cfg.line_seconds);
            l["ratio_to_raw"] = l["confirmed_per_s"].get<double>() / raw_rate;
            l["ratio_to_bare"] = l["confirmed_per_s"].get<double>() / bare_rate;
            report["http"].push_back(l);
        }
        std::cerr << "ligne 3 : tempête…\n";
        const CpuMeter storm_cpu(server.pid);
        report["storm"] = storm_line(server.target, cfg.db_path, work, tokens, cfg.storm_clients);
        report["storm"]["cpu"] = storm_cpu.stop();

        std::cerr << "ligne 4 : catalogue…\n";
        const std::string token = tokens.begin()->second;
        catalogue_line(server, token, cfg.line_seconds, report);
        report["memory"]["load_peak_kb"] = sampler.peak_kb.load();
        report["memory"]["hwm_kb"] = server.kb("VmHWM");
        report["memory"]["after_kb"] = server.kb("VmRSS");

        // The front door's lines (a), (b), (c) last: their login flood raises the peak memory.
        FrontDoorBench fd;
        fd.target = server.target;
        fd.server_pid = server.pid;
        fd.token = token;
        fd.seconds = cfg.line_seconds;
        fd.catalogue_path = catalogue_path;
        fd.booking = [&](std::uint64_t n) -> std::optional<Call> {
            const Work::Item* it = work.take();
            if (!it) return std::nullopt;
            return Call{"POST", "/api/v1/bookings", booking_body(work.session_for(n), it->beneficiary),
                        tokens.at(it->worker_user)};
        };
        report["frontdoor"] = frontdoor_lines(fd);
    }

    if (!cfg.client_json.empty() && std::filesystem::exists(cfg.client_json)) {
        std::ifstream f(cfg.client_json);
        report["client"] = json::parse(f);
    }
    report["total_seconds"] = seconds_since(t0);

    if (!cfg.out_json.empty()) std::ofstream(cfg.out_json) << report.dump(2) << "\n";
    const std::string md = table(report);
    std::cout << md;
    if (!cfg.out_markdown.empty()) std::ofstream(cfg.out_markdown) << md;
    const json& s = report["storm"];
    const bool ok = s["places_held"] == s["capacity"] && s["server_errors"] == 0;
    return ok ? 0 : 1;
}

int run_catalogue_line(const CatalogueConfig& cfg) {
    std::string email;
    {
        SQLite::Database db(cfg.db_path, SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT email FROM users WHERE role = 'social_worker' ORDER BY id LIMIT 1");
        if (!q.executeStep()) throw std::runtime_error("aucun travailleur social dans " + cfg.db_path);
        email = q.getColumn(0).getString();
    }
    Server server(cfg.server_binary, cfg.db_path, cfg.db_path + ".server.log", 0);
    json report;
    report["server_start"] = wait_until_idle(server);
    const auto tokens = login_all(server.target, {email}, kBenchPassword, 1);
    if (tokens.front().empty()) throw std::runtime_error("connexion refusée : " + email);
    catalogue_line(server, tokens.front(), cfg.seconds, report);
    std::string md = kTableHead;
    catalogue_rows(report, TableRows{md});
    std::cout << md;
    if (!cfg.out_json.empty()) std::ofstream(cfg.out_json) << report.dump(2) << "\n";
    return 0;
}

}  // namespace uneplace::bench
