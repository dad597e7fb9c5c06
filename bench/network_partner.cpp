// network_partner — plays a national ticketing network against a real uneplace server (issue 15
// item 6): a real HTTP client of the API and nothing else (no server code linked in).
//
//   network_partner --sessions 500 --server-binary build/native/server/uneplace   (starts its own
//                   server on a temporary database: --demo --webhooks-allow-private)
//   network_partner --sessions 500 --url http://127.0.0.1:8080                    (a running demo server)
//
// With the demo partner's API key it pushes venues and offers (NDJSON batches), then N sessions: a
// sample one by one (PUT), the rest in batches of 1,000; moves 10 % of the dates, lowers the
// capacity of 10 %, cancels 1 %; then replays every request it made with the same Idempotency-Key
// (the answers must be the stored ones, and nothing is applied twice). Meanwhile a social worker
// books (and cancels some) through the normal API, and a local webhook receiver (plain http) checks
// each signature with the published keys and records the events. At the end it compares what the
// receiver got and what /feed/changes returns with the bookings made. Prints sessions pushed per
// second (batch and one by one), webhook delivery latency p50/p99, events lost and duplicated.
// Exit 1 when an event is lost, a signature does not verify or a replay was applied again.
//
// Index of this file:
// [SECTION] HTTP client
// [SECTION] The server (started here, or given)
// [SECTION] The webhook receiver
// [SECTION] What the network pushes
// [SECTION] The run
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "uneplace/local_time.hpp"
#include "webhook_signature.hpp"

extern char** environ;

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

//-----------------------------------------------------------------------------
// [SECTION] HTTP client
//-----------------------------------------------------------------------------

struct Reply {
    int status = 0;
    std::string body;
    bool replayed = false;  // Idempotent-Replayed: true
    json json_body() const { return json::parse(body, nullptr, false); }
};

// One keep-alive connection per thread (httplib's client is not shared between threads). A 429
// waits for its Retry-After and tries again: the key's 600 requests a minute are the server's rule.
class Http {
public:
    Http(const std::string& host, int port) : cli_(host, port) {
        cli_.set_keep_alive(true);
        cli_.set_tcp_nodelay(true);  // a PUT is headers then body: without it, Nagle and delayed ACKs add 40 ms
        cli_.set_connection_timeout(10, 0);
        cli_.set_read_timeout(120, 0);
        cli_.set_write_timeout(120, 0);
    }
    std::string bearer;

    Reply send(const std::string& method, const std::string& path, const std::string& body = {},
               const std::string& idempotency_key = {}, const std::string& content_type = "application/json") {
        for (int attempt = 0;; ++attempt) {
            httplib::Headers h;
            if (!bearer.empty()) h.emplace("Authorization", "Bearer " + bearer);
            if (!idempotency_key.empty()) h.emplace("Idempotency-Key", idempotency_key);
            httplib::Result r = method == "GET"    ? cli_.Get(path, h)
                                : method == "PUT"  ? cli_.Put(path, h, body, content_type)
                                : method == "POST" ? cli_.Post(path, h, body, content_type)
                                                   : cli_.Delete(path, h, body, content_type);
            Reply out;
            if (!r) {
                if (attempt < 3) continue;  // a dropped keep-alive connection: once more on a new one
                out.body = httplib::to_string(r.error());
                return out;
            }
            out.status = r->status;
            out.body = r->body;
            out.replayed = r->get_header_value("Idempotent-Replayed") == "true";
            if (out.status == 429 && attempt < 120) {
                const std::string after = r->get_header_value("Retry-After");
                std::this_thread::sleep_for(std::chrono::seconds(after.empty() ? 1 : std::stoi(after)));
                continue;
            }
            return out;
        }
    }
    Reply get(const std::string& path) { return send("GET", path); }
    Reply post(const std::string& path, const json& body = json::object()) { return send("POST", path, body.dump()); }

private:
    httplib::Client cli_;
};

[[noreturn]] void die(const std::string& what, const Reply& r) {
    std::cerr << "network_partner : " << what << " : " << r.status << " " << r.body.substr(0, 400) << "\n";
    std::exit(2);
}

std::string login(Http& http, const std::string& email) {
    Reply r = http.post("/api/v1/auth/login", {{"email", email}, {"password", "uneplace-demo"}});
    if (r.status != 200) die("connexion de " + email, r);
    return r.json_body()["token"];
}

//-----------------------------------------------------------------------------
// [SECTION] The server
//-----------------------------------------------------------------------------

// `uneplace serve` on a temporary database, on a free port of 127.0.0.1; stopped by SIGTERM.
class ServerProcess {
public:
    explicit ServerProcess(const std::string& binary) {
        dir_ = std::filesystem::temp_directory_path() / ("network-partner-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir_);
        std::vector<std::string> args = {binary,         "serve",       "--db",         (dir_ / "uneplace.db").string(),
                                         "--listen",     "127.0.0.1:0", "--demo",       "--webhooks-allow-private",
                                         "--test-hooks", "--fast-hash", "--login-rate", "100000"};
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        posix_spawn_file_actions_addclose(&fa, out[0]);
        const std::string log = (dir_ / "server.log").string();
        posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ) != 0)
            throw std::runtime_error("cannot start " + binary);
        posix_spawn_file_actions_destroy(&fa);
        close(out[1]);
        std::string text;
        static const std::regex kUrl(R"(http://([0-9.]+):([0-9]+))");
        std::smatch m;
        const auto deadline = Clock::now() + std::chrono::seconds(60);
        while (!std::regex_search(text, m, kUrl)) {
            if (Clock::now() > deadline) throw std::runtime_error("the server did not start; see " + log);
            pollfd p{out[0], POLLIN, 0};
            if (poll(&p, 1, 1000) <= 0) continue;
            char buf[4096];
            const ssize_t n = read(out[0], buf, sizeof buf);
            if (n <= 0) throw std::runtime_error("the server exited; see " + log);
            text.append(buf, static_cast<std::size_t>(n));
        }
        out_fd_ = out[0];
        host = m[1];
        port = std::stoi(m[2]);
    }
    ~ServerProcess() {
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        close(out_fd_);
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    std::string host;
    int port = 0;

private:
    std::filesystem::path dir_;
    pid_t pid_ = -1;
    int out_fd_ = -1;
};

//-----------------------------------------------------------------------------
// [SECTION] The webhook receiver
//-----------------------------------------------------------------------------

struct Delivery {
    std::string id, timestamp, signature, key_id, body;
    Clock::time_point at;
};

class Receiver {
public:
    Receiver() {
        svr_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
            Delivery d{req.get_header_value("webhook-id"),
                       req.get_header_value("webhook-timestamp"),
                       req.get_header_value("webhook-signature"),
                       req.get_header_value("webhook-key-id"),
                       req.body,
                       Clock::now()};
            std::lock_guard lock(mutex_);
            got_.push_back(std::move(d));
            res.status = 204;
        });
        port_ = svr_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { svr_.listen_after_bind(); });
    }
    ~Receiver() {
        svr_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
    std::vector<Delivery> got() {
        std::lock_guard lock(mutex_);
        return got_;
    }

private:
    httplib::Server svr_;
    std::thread thread_;
    int port_ = 0;
    std::mutex mutex_;
    std::vector<Delivery> got_;
};

//-----------------------------------------------------------------------------
// [SECTION] What the network pushes
//-----------------------------------------------------------------------------

// "YYYY-MM-DDTHH:MM:00" in Paris, `days` after today.
std::string paris_start(int days, int hour) {
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto today = uneplace::to_local("75", now);
    const auto d = uneplace::civil_from_days(uneplace::days_from_civil(today.year, today.month, today.day) + days);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:00:00", d.year, d.month, d.day, hour);
    return buf;
}

struct Plan {
    int sessions = 0, offers = 0, venues = 0;
    // Session i is offer i % offers's j-th session (j = i / offers): a time of its own in that
    // offer, eight a day from noon, from ten days on; a moved one goes 100 days later.
    std::string offer_of(int i) const { return "o" + std::to_string(i % offers); }
    std::string start_of(int i, bool moved) const {
        const int j = i / offers;
        return paris_start(10 + j / 8 + (moved ? 100 : 0), 12 + j % 8);
    }
    static bool moved(int i) { return i % 10 == 3; }       // 10 % of the dates move
    static bool lowered(int i) { return i % 10 == 5; }     // 10 % lose capacity
    static bool cancelled(int i) { return i % 100 == 7; }  // 1 % are cancelled
};

json session_data(const Plan& p, int i, bool moved, int capacity, bool cancel, std::int64_t version) {
    json d = {{"offer_ext_id", p.offer_of(i)},
              {"start_local", p.start_of(i, moved)},
              {"duration_min", 90},
              {"capacity", capacity},
              {"max_per_booking", 2},
              {"allocation", "first_come"},
              {"source_version", version}};
    if (cancel) d["status"] = "cancelled";
    return d;
}

std::string ndjson_line(const char* kind, const std::string& ext_id, const json& data) {
    return json{{"op", "put"},
                {"kind", kind},
                {"ext_id", ext_id},
                {"data", data},
                {"source_version", data["source_version"]}}
               .dump() +
           "\n";
}

// Every write the network made with its key, to be replayed with the same Idempotency-Key.
struct Sent {
    std::string method, path, body, key, content_type;
    Reply first;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(k, v.size() - 1)];
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] The run
//-----------------------------------------------------------------------------

int main(int argc, char** argv) {
    CLI::App cli{"network_partner — un réseau de billetterie face à un serveur uneplace réel"};
    int n_sessions = 500;
    std::string binary, url, json_path;
    cli.add_option("--sessions", n_sessions, "Séances poussées")->check(CLI::Range(20, 1000000));
    cli.add_option("--server-binary", binary, "Lancer ce serveur sur une base temporaire");
    cli.add_option("--url", url, "Ou un serveur de démonstration déjà lancé (http://hôte:port)");
    cli.add_option("--json", json_path, "Écrire les chiffres dans ce fichier JSON");
    CLI11_PARSE(cli, argc, argv);
    if (binary.empty() == url.empty()) {
        std::cerr << "network_partner : --server-binary ou --url, l’un des deux\n";
        return 2;
    }
    if (sodium_init() < 0) return 2;
    signal(SIGPIPE, SIG_IGN);

    std::unique_ptr<ServerProcess> server;
    std::string host;
    int port = 0;
    if (!binary.empty()) {
        server = std::make_unique<ServerProcess>(binary);
        host = server->host;
        port = server->port;
    } else {
        static const std::regex kUrl(R"(http://([^:/]+):([0-9]+)/?)");
        std::smatch m;
        if (!std::regex_match(url, m, kUrl)) {
            std::cerr << "network_partner : --url attend http://hôte:port\n";
            return 2;
        }
        host = m[1];
        port = std::stoi(m[2]);
    }

    // The people: the partner makes the key; the administrator approves offers; a social worker books.
    Http partner(host, port), admin(host, port), network(host, port);
    partner.bearer = login(partner, "partenaire@demo.uneplace.test");
    admin.bearer = login(admin, "admin@demo.uneplace.test");
    Reply key = partner.post("/api/v1/api-keys", {{"name", "Réseau national (network_partner)"},
                                                  {"scopes", {"feed:write", "feed:read", "webhooks"}}});
    if (key.status != 201) die("clé d’API", key);
    network.bearer = key.json_body()["key"];
    const std::string run_tag = std::to_string(getpid()) + "-" + std::to_string(std::time(nullptr));
    int idem_counter = 0;
    std::vector<Sent> sent;
    auto write = [&](const std::string& method, const std::string& path, const std::string& body,
                     const std::string& content_type = "application/json") {
        Sent s{method, path, body, "np-" + run_tag + "-" + std::to_string(idem_counter++), content_type, {}};
        s.first = network.send(method, path, body, s.key, content_type);
        sent.push_back(s);
        return s.first;
    };

    // Where the feed is before anything happens, and the webhook subscribed to everything.
    std::string cursor0 = "0";
    for (;;) {
        Reply r = network.get("/api/v1/feed/changes?limit=500&cursor=" + cursor0);
        if (r.status != 200) die("flux", r);
        const json j = r.json_body();
        cursor0 = j["next_cursor"];
        if (!j["has_more"].get<bool>()) break;
    }
    Receiver receiver;
    json all_events = json::array();
    for (const char* t : {"booking.created", "booking.cancelled", "booking.checked_in", "booking.no_show",
                          "waitlist.served", "session.full", "session.cancelled"})
        all_events.push_back(t);
    Reply hook = write("POST", "/api/v1/webhooks", json{{"url", receiver.url()}, {"events", all_events}}.dump());
    if (hook.status != 201) die("webhook (le serveur a-t-il --webhooks-allow-private ?)", hook);

    Plan plan;
    plan.sessions = n_sessions;
    plan.offers = std::max(2, n_sessions / 100);
    plan.venues = std::max(1, plan.offers / 5);

    // Venues and offers in one batch each; the administrator approves the offers.
    std::string lines;
    for (int v = 0; v < plan.venues; ++v)
        lines += ndjson_line("venue", "v" + std::to_string(v),
                             {{"name", "Salle du réseau " + std::to_string(v)},
                              {"address", std::to_string(v + 1) + " rue des Lilas"},
                              {"postal_code", "75011"},
                              {"territory", "75"},
                              {"source_version", 1}});
    Reply venues = write("POST", "/api/v1/feed/batch", lines, "application/x-ndjson");
    if (venues.status != 200 || venues.body.find("\"error\"") != std::string::npos) die("lieux", venues);
    lines.clear();
    for (int o = 0; o < plan.offers; ++o)
        lines += ndjson_line("offer", "o" + std::to_string(o),
                             {{"venue_ext_id", "v" + std::to_string(o % plan.venues)},
                              {"title", "Spectacle du réseau n° " + std::to_string(o)},
                              {"category", "theatre"},
                              {"min_age", 0},
                              {"pickup_mode", "guest_list"},
                              {"source_version", 1}});
    Reply offers = write("POST", "/api/v1/feed/batch", lines, "application/x-ndjson");
    if (offers.status != 200) die("offres", offers);
    {
        std::istringstream in(offers.body);
        std::string line;
        while (std::getline(in, line)) {
            const json a = json::parse(line, nullptr, false);
            if (!a.is_object() || !a.contains("id")) die("offre refusée", {200, line, false});
            Reply ok = admin.post("/api/v1/offers/" + std::to_string(a["id"].get<std::int64_t>()) + "/approve");
            if (ok.status != 200) die("validation d’une offre", ok);
        }
    }

    // Sessions: a sample one by one, then the rest in batches of 1,000.
    std::mutex ids_mutex;
    std::vector<std::int64_t> session_ids(static_cast<std::size_t>(n_sessions), 0);
    const int sample = std::clamp(n_sessions / 10, 10, 100);
    // From now on a social worker books, through the normal API, on the sessions pushed so far
    // (and cancels one booking in four): both ways of pushing are measured under the same load.
    struct Booked {
        std::int64_t id = 0, session = 0;
        Clock::time_point at;
        bool cancelled = false;
    };
    std::vector<Booked> booked;
    int refused_bookings = 0;
    const int bookings_wanted = std::max(20, n_sessions / 10);
    std::thread booker([&] {
        Http worker(host, port);
        worker.bearer = login(worker, "relais@demo.uneplace.test");
        std::mt19937 rng(42);
        int made = 0;
        for (int attempt = 0; made < bookings_wanted && attempt < bookings_wanted * 3; ++attempt) {
            std::int64_t sid = 0;
            {
                std::lock_guard lock(ids_mutex);
                for (int tries = 0; tries < 50 && sid == 0; ++tries) {
                    const int i = static_cast<int>(rng() % static_cast<unsigned>(n_sessions));
                    if (!Plan::moved(i)) sid = session_ids[static_cast<std::size_t>(i)];
                }
            }
            if (sid == 0) {
                --attempt;  // nothing pushed yet: wait for the first sessions
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                continue;
            }
            Reply b = worker.post("/api/v1/beneficiaries", {{"first_name", "Amina"},
                                                            {"last_name", "Réseau" + std::to_string(attempt)},
                                                            {"postal_code", "75011"},
                                                            {"household_size", 1}});
            if (b.status != 201) die("personne accompagnée", b);
            Reply r = worker.post("/api/v1/bookings",
                                  {{"session_id", sid}, {"beneficiary_id", b.json_body()["id"]}, {"places", 1}});
            const json j = r.json_body();
            if (r.status != 201 || j["status"] != "confirmed") {
                ++refused_bookings;  // full, fair share, or its session just cancelled: not an event
                continue;
            }
            Booked k{j["id"], sid, Clock::now(), false};
            if (made % 4 == 3) {
                Reply c = worker.post("/api/v1/bookings/" + std::to_string(k.id) + "/cancel");
                k.cancelled = c.status == 200;
            }
            booked.push_back(k);
            ++made;
        }
    });

    const auto one_started = Clock::now();
    for (int i = 0; i < sample; ++i) {
        Reply r = write("PUT", "/api/v1/feed/sessions/s" + std::to_string(i),
                        session_data(plan, i, false, 10, false, 1).dump());
        if (r.status != 201) die("séance s" + std::to_string(i), r);
        std::lock_guard lock(ids_mutex);
        session_ids[static_cast<std::size_t>(i)] = r.json_body()["id"];
    }
    const double one_seconds = seconds_since(one_started);

    const auto batch_started = Clock::now();
    int batch_sessions = 0;
    for (int from = sample; from < n_sessions; from += 1000) {
        const int to = std::min(n_sessions, from + 1000);
        lines.clear();
        for (int i = from; i < to; ++i)
            lines += ndjson_line("session", "s" + std::to_string(i), session_data(plan, i, false, 10, false, 1));
        Reply r = write("POST", "/api/v1/feed/batch", lines, "application/x-ndjson");
        if (r.status != 200) die("lot de séances", r);
        std::istringstream in(r.body);
        std::string line;
        while (std::getline(in, line)) {
            const json a = json::parse(line, nullptr, false);
            if (!a.is_object() || a.value("status", 0) != 201) die("ligne de lot", {200, line, false});
            std::lock_guard lock(ids_mutex);
            session_ids[static_cast<std::size_t>(from + a["line"].get<int>() - 1)] = a["id"];
        }
        batch_sessions += to - from;
    }
    const double batch_seconds = seconds_since(batch_started);

    // Moves, lower capacities, cancellations: batches, while the bookings go on.
    std::map<std::int64_t, std::vector<std::int64_t>> cancelled_sessions;  // session → its bookings cancelled
    int changes_refused = 0;
    for (int pass = 0; pass < 3; ++pass) {
        std::vector<int> which;
        lines.clear();
        auto flush = [&] {
            if (which.empty()) return;
            Reply r = write("POST", "/api/v1/feed/batch", lines, "application/x-ndjson");
            if (r.status != 200) die("lot de modifications", r);
            std::istringstream in(r.body);
            std::string line;
            while (std::getline(in, line)) {
                const json a = json::parse(line, nullptr, false);
                const int idx = which[static_cast<std::size_t>(a["line"].get<int>() - 1)];
                if (a.value("status", 0) != 200) {
                    ++changes_refused;  // 409 capacity_below_held: bookings already hold the places
                    continue;
                }
                if (pass == 2)
                    cancelled_sessions[session_ids[static_cast<std::size_t>(idx)]] =
                        a.value("affected_booking_ids", std::vector<std::int64_t>{});
            }
            which.clear();
            lines.clear();
        };
        for (int i = 0; i < n_sessions; ++i) {
            const bool pick = pass == 0 ? Plan::moved(i) : pass == 1 ? Plan::lowered(i) : Plan::cancelled(i);
            if (!pick) continue;
            which.push_back(i);
            lines += ndjson_line("session", "s" + std::to_string(i),
                                 session_data(plan, i, pass == 0, pass == 1 ? 6 : 10, pass == 2, 2));
            if (which.size() == 1000) flush();
        }
        flush();
    }
    booker.join();

    // Every request again, with the same Idempotency-Key: the stored answer, applied once.
    auto feed_count = [&](const std::string& from) {
        std::string cursor = from;
        json items = json::array();
        for (;;) {
            Reply r = network.get("/api/v1/feed/changes?limit=500&cursor=" + cursor);
            if (r.status != 200) die("flux", r);
            const json j = r.json_body();
            for (const auto& e : j["items"]) items.push_back(e);
            cursor = j["next_cursor"];
            if (!j["has_more"].get<bool>()) return items;
        }
    };
    const std::size_t events_before_replay = feed_count(cursor0).size();
    int replay_mismatches = 0;
    for (const Sent& s : sent) {
        Reply again = network.send(s.method, s.path, s.body, s.key, s.content_type);
        if (again.status != s.first.status || again.body != s.first.body || !again.replayed) ++replay_mismatches;
    }
    const json feed = feed_count(cursor0);
    const bool replay_applied_nothing = feed.size() == events_before_replay;

    // What must be in the feed: each booking made, each cancelled, each session cancelled with
    // its bookings.
    std::set<std::pair<std::string, std::int64_t>> in_feed;
    std::set<std::string> feed_ids;
    for (const auto& e : feed) {
        const std::string type = e["type"];
        const json& d = e["data"];
        in_feed.insert({type, type.rfind("session.", 0) == 0 ? d["session_id"].get<std::int64_t>()
                                                             : d.value("booking_id", std::int64_t{0})});
        feed_ids.insert(e["id"].get<std::string>());
    }
    std::vector<std::pair<std::string, std::int64_t>> expected;
    for (const Booked& b : booked) {
        expected.push_back({"booking.created", b.id});
        if (b.cancelled) expected.push_back({"booking.cancelled", b.id});
    }
    for (const auto& [sid, affected] : cancelled_sessions) {
        expected.push_back({"session.cancelled", sid});
        for (auto b : affected) expected.push_back({"booking.cancelled", b});
    }
    int lost_from_feed = 0;
    for (const auto& x : expected) lost_from_feed += !in_feed.count(x);

    // The webhook: every event of the feed, within two minutes of the end.
    std::vector<Delivery> got;
    const auto wait_started = Clock::now();
    for (;;) {
        got = receiver.got();
        std::set<std::string> ids;
        for (const auto& d : got) ids.insert(d.id);
        bool all = true;
        for (const auto& id : feed_ids) all = all && ids.count(id);
        if (all || seconds_since(wait_started) > 120) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::map<std::string, std::string> keys;
    const json published = network.get("/api/v1/webhooks/keys").json_body();
    for (const auto& k : published["keys"]) keys[k["kid"]] = uneplace::receiver::from_base64(k["public_key_base64"]);
    std::map<std::string, int> copies;
    std::map<std::string, Clock::time_point> first_at;
    int bad_signatures = 0;
    for (const auto& d : got) {
        if (!uneplace::receiver::signature_verifies(keys, d)) {
            if (bad_signatures == 0)
                std::fprintf(stderr, "signature invalide : id=%s kid=%s (%zu clés) sig=%s\n", d.id.c_str(),
                             d.key_id.c_str(), keys.size(), d.signature.c_str());
            ++bad_signatures;
        }
        if (copies[d.id]++ == 0) first_at[d.id] = d.at;
    }
    int lost_from_webhook = 0, duplicated = 0;
    for (const auto& id : feed_ids) lost_from_webhook += !copies.count(id);
    for (const auto& [id, n] : copies) duplicated += n - 1;
    // Latency: from the booking's 201 to the receiver, for booking.created events.
    std::map<std::int64_t, Clock::time_point> booked_at;
    for (const Booked& b : booked) booked_at[b.id] = b.at;
    std::vector<double> latency_ms;
    for (const auto& e : feed) {
        if (e["type"] != "booking.created") continue;
        auto b = booked_at.find(e["data"]["booking_id"].get<std::int64_t>());
        auto r = first_at.find(e["id"].get<std::string>());
        if (b == booked_at.end() || r == first_at.end()) continue;
        latency_ms.push_back(std::max(0.0, std::chrono::duration<double, std::milli>(r->second - b->second).count()));
    }

    const int lost = lost_from_feed + lost_from_webhook;
    const double batch_rate = batch_seconds > 0 ? batch_sessions / batch_seconds : 0;
    const double one_rate = one_seconds > 0 ? sample / one_seconds : 0;
    std::printf("Réseau de billetterie : %d séances, %d offres, %d lieux ; %zu réservations faites pendant ce temps "
                "(%d refusées), %zu séances annulées, %d modifications refusées (capacité sous les places prises)\n",
                n_sessions, plan.offers, plan.venues, booked.size(), refused_bookings, cancelled_sessions.size(),
                changes_refused);
    std::printf("séances poussées par seconde : par lots %.0f/s (%d en %.2f s), une par une %.0f/s (%d en %.2f s)\n",
                batch_rate, batch_sessions, batch_seconds, one_rate, sample, one_seconds);
    std::printf("rejeu de %zu requêtes avec la même Idempotency-Key : %d réponses différentes, %s\n", sent.size(),
                replay_mismatches, replay_applied_nothing ? "rien appliqué deux fois" : "DES ÉVÉNEMENTS EN PLUS");
    std::printf("webhooks : %zu envois reçus, %d signatures invalides ; latence de livraison p50 %.0f ms, p99 %.0f ms "
                "(%zu réservations)\n",
                got.size(), bad_signatures, percentile(latency_ms, 0.5), percentile(latency_ms, 0.99),
                latency_ms.size());
    std::printf("événements perdus : %d (flux %d, webhooks %d sur %zu événements du flux)\n", lost, lost_from_feed,
                lost_from_webhook, feed_ids.size());
    std::printf("événements en double : %d\n", duplicated);
    if (!json_path.empty()) {
        std::ofstream f(json_path);
        f << json{{"sessions", n_sessions},
                  {"sessions_per_s_batch", batch_rate},
                  {"sessions_per_s_one_by_one", one_rate},
                  {"bookings", booked.size()},
                  {"feed_events", feed_ids.size()},
                  {"webhook_latency_ms_p50", percentile(latency_ms, 0.5)},
                  {"webhook_latency_ms_p99", percentile(latency_ms, 0.99)},
                  {"events_lost", lost},
                  {"events_duplicated", duplicated},
                  {"bad_signatures", bad_signatures},
                  {"replay_mismatches", replay_mismatches}}
                 .dump(2)
          << "\n";
    }
    const bool ok = lost == 0 && bad_signatures == 0 && replay_mismatches == 0 && replay_applied_nothing &&
                    !feed_ids.empty() && !booked.empty();
    return ok ? 0 : 1;
}
