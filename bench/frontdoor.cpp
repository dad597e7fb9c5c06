// uneplace benchmarks — the front door's lines (see frontdoor.hpp).
//
// Index of this file:
// [SECTION] Raw connections: idle, slowloris, kept-alive at a steady pace
// [SECTION] Line (a): idle and slow connections while clients book and browse
// [SECTION] Line (b): hundreds and thousands of kept-alive connections
// [SECTION] Line (c): a login flood
// [SECTION] Table rows
#include "frontdoor.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <queue>
#include <random>
#include <thread>

namespace uneplace::bench {

using json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

namespace {

double since(SteadyClock::time_point t0) { return std::chrono::duration<double>(SteadyClock::now() - t0).count(); }

long status_kb(pid_t pid, const char* field) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field) + 1));
    return 0;
}

//-----------------------------------------------------------------------------
// [SECTION] Raw connections
//-----------------------------------------------------------------------------

// A blocking connect to the target; -1 when refused (counted by the callers).
int connect_to(const Target& t) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(t.port));
    inet_pton(AF_INET, t.host.c_str(), &a.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    return fd;
}

// Connections that are opened and then hold still (idle), or trickle one byte of a head that
// never ends every second (slowloris), reopened whenever the server cuts them.
struct Loiterers {
    Target target;
    std::vector<int> idle, slow;
    std::atomic<bool> stop{false};
    std::atomic<int> slow_cut{0}, refused{0};
    std::thread trickler;

    Loiterers(const Target& t, int idle_count, int slow_count) : target(t) {
        for (int i = 0; i < idle_count; ++i) {
            const int fd = connect_to(t);
            if (fd < 0) ++refused;
            else idle.push_back(fd);
        }
        for (int i = 0; i < slow_count; ++i) slow.push_back(open_slow());
        trickler = std::thread([this] {
            while (!stop) {
                for (int& fd : slow) {
                    if (fd < 0 || ::send(fd, "a", 1, MSG_NOSIGNAL) != 1) {
                        if (fd >= 0) ::close(fd);
                        ++slow_cut;
                        fd = open_slow();
                    }
                }
                for (int i = 0; i < 10 && !stop; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
    }
    int open_slow() {
        const int fd = connect_to(target);
        if (fd < 0) {
            ++refused;
            return -1;
        }
        ::send(fd, "GET /healthz HTTP/1.1\r\nX-Slow: ", 31, MSG_NOSIGNAL);
        return fd;
    }
    // Idle connections the server still keeps open (no answer, no close).
    int idle_still_open() const {
        int open = 0;
        for (int fd : idle) {
            char c;
            const ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) ++open;
        }
        return open;
    }
    ~Loiterers() {
        stop = true;
        trickler.join();
        for (int fd : idle) ::close(fd);
        for (int fd : slow)
            if (fd >= 0) ::close(fd);
    }
};

// `connections` kept-alive connections, each sending one GET, then pausing `think_s` after its
// answer (a browser's pace, staggered at random), for `seconds`. One epoll thread drives them all
// (httplib's client select()s, which stops at descriptor 1024).
struct PacedResult {
    std::uint64_t answers = 0, non_2xx = 0, refused = 0, resets = 0, idle_closes = 0;
    std::vector<double> ms;
    double seconds = 0;
};

PacedResult paced_keepalive(const Target& t, int connections, double think_s, double seconds,
                            const std::function<std::string(std::uint64_t)>& path, const std::string& token) {
    struct Conn {
        int fd = -1;
        bool waiting = false;
        SteadyClock::time_point sent;
        std::string in;
    };
    PacedResult r;
    std::vector<Conn> conns(static_cast<std::size_t>(connections));
    const int ep = epoll_create1(EPOLL_CLOEXEC);
    using Due = std::pair<SteadyClock::time_point, std::size_t>;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> due;
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> jitter(0.0, think_s);
    const auto t0 = SteadyClock::now();
    auto after = [](double s) {
        return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(s));
    };
    auto open = [&](std::size_t i) {
        conns[i].fd = connect_to(t);
        conns[i].in.clear();
        if (conns[i].fd < 0) {
            ++r.refused;
            return false;
        }
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
        return true;
    };
    auto drop = [&](std::size_t i) {
        if (conns[i].fd >= 0) ::close(conns[i].fd);
        conns[i].fd = -1;
        conns[i].waiting = false;
    };
    for (std::size_t i = 0; i < conns.size(); ++i) {
        open(i);
        due.push({t0 + after(jitter(rng)), i});
    }
    std::uint64_t n = 0;
    std::vector<epoll_event> events(1024);
    const std::string auth = token.empty() ? "" : "Authorization: Bearer " + token + "\r\n";
    while (since(t0) < seconds) {
        const auto now = SteadyClock::now();
        while (!due.empty() && due.top().first <= now) {
            const std::size_t i = due.top().second;
            due.pop();
            Conn& c = conns[i];
            if (c.fd < 0 && !open(i)) {
                due.push({now + after(think_s), i});
                continue;
            }
            const std::string req = "GET " + path(n++) + " HTTP/1.1\r\nHost: bench\r\n" + auth + "\r\n";
            if (::send(c.fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
                ++r.idle_closes;  // the server idled it out since the last answer: reconnect
                drop(i);
                if (!open(i)) {
                    due.push({now + after(think_s), i});
                    continue;
                }
                ::send(c.fd, req.data(), req.size(), MSG_NOSIGNAL);
            }
            c.waiting = true;
            c.sent = SteadyClock::now();
        }
        int timeout_ms = 50;
        if (!due.empty())
            timeout_ms = static_cast<int>(std::clamp<long>(
                std::chrono::duration_cast<std::chrono::milliseconds>(due.top().first - SteadyClock::now()).count(), 0,
                50));
        const int k = epoll_wait(ep, events.data(), static_cast<int>(events.size()), timeout_ms);
        for (int e = 0; e < k; ++e) {
            const std::size_t i = events[e].data.u64;
            Conn& c = conns[i];
            if (c.fd < 0) continue;
            char buf[65536];
            const ssize_t got = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
            if (got <= 0) {
                if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
                if (c.waiting) ++r.resets;  // closed or reset with a request in flight: an error
                else ++r.idle_closes;       // idled out between requests: the model, not an error
                const bool was_waiting = c.waiting;
                drop(i);
                if (was_waiting) due.push({SteadyClock::now() + after(think_s), i});
                continue;
            }
            c.in.append(buf, static_cast<std::size_t>(got));
            const auto head_end = c.in.find("\r\n\r\n");
            if (head_end == std::string::npos) continue;
            std::size_t length = 0;
            const auto cl = c.in.find("Content-Length: ");
            if (cl != std::string::npos && cl < head_end) length = std::stoul(c.in.substr(cl + 16, 12));
            if (c.in.size() < head_end + 4 + length) continue;
            const int status = std::stoi(c.in.substr(9, 3));
            c.in.erase(0, head_end + 4 + length);
            r.ms.push_back(since(c.sent) * 1000);
            ++r.answers;
            if (status < 200 || status >= 300) ++r.non_2xx;
            c.waiting = false;
            due.push({SteadyClock::now() + after(think_s), i});
        }
    }
    r.seconds = since(t0);
    for (std::size_t i = 0; i < conns.size(); ++i) drop(i);
    ::close(ep);
    return r;
}

json paced_json(const PacedResult& r, int connections, double think_s) {
    const Latency l = latency_of(r.ms);
    return {{"connections", connections},
            {"think_s", think_s},
            {"offered_req_per_s", connections / think_s},
            {"answers", r.answers},
            {"req_per_s", static_cast<double>(r.answers) / r.seconds},
            {"p50_ms", l.p50},
            {"p99_ms", l.p99},
            {"max_ms", l.max},
            {"non_2xx", r.non_2xx},
            {"refused", r.refused},
            {"resets", r.resets},
            {"idle_closes", r.idle_closes}};
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Lines (a), (b), (c)
//-----------------------------------------------------------------------------

json frontdoor_lines(const FrontDoorBench& b) {
    json out;
    {
        std::cerr << "ligne (a) : 500 connexions muettes et 50 slowloris pendant 16 clients…\n";
        Loiterers loiter(b.target, 500, 50);
        std::atomic<std::uint64_t> bookings{0};
        LoadResult r = closed_loop(b.target, 16, b.seconds, [&](std::uint64_t n) -> std::optional<Call> {
            if (n % 2 == 0) {
                if (auto c = b.booking(n)) {
                    ++bookings;
                    return c;
                }
            }
            return Call{"GET", b.catalogue_path(n), "", b.token};
        });
        const Latency l = latency_of(r.latencies_ms);
        out["a"] = {{"idle", 500},
                    {"slowloris", 50},
                    {"clients", 16},
                    {"requests", r.requests},
                    {"bookings", bookings.load()},
                    {"req_per_s", r.rate()},
                    {"p50_ms", l.p50},
                    {"p99_ms", l.p99},
                    {"max_ms", l.max},
                    {"server_errors", r.server_errors()},
                    {"idle_still_open", loiter.idle_still_open()},
                    {"slowloris_cut", loiter.slow_cut.load()},
                    {"refused", loiter.refused.load()}};
    }
    for (int connections : {256, 2000}) {
        std::cerr << "ligne (b) : " << connections << " connexions gardées ouvertes…\n";
        // /healthz: each connection asks every second; the catalogue: every 10 s (a person reading
        // the results between two searches). The offered rates stay under each route's capacity
        // (line 4), so what is measured is the cost of the open connections, not queueing.
        const double health_think = 1.0, catalogue_think = 10.0;
        out["b"].push_back({{"route", "/healthz"},
                            {"result", paced_json(paced_keepalive(
                                                      b.target, connections, health_think, b.seconds,
                                                      [](std::uint64_t) { return std::string("/healthz"); }, ""),
                                                  connections, health_think)}});
        out["b"].push_back({{"route", "catalogue"},
                            {"result", paced_json(paced_keepalive(b.target, connections, catalogue_think, b.seconds,
                                                                  b.catalogue_path, b.token),
                                                  connections, catalogue_think)}});
    }
    {
        std::cerr << "ligne (c) : afflux de connexions (Argon2id au coût réel)…\n";
        // Unknown accounts: the server verifies against its dummy hash at the real cost (64 MiB),
        // exactly as for a wrong password, and no account backs off.
        const long hwm_before = status_kb(b.server_pid, "VmHWM:");
        std::atomic<bool> stop{false};
        std::atomic<long> peak{0};
        std::thread sampler([&] {
            while (!stop) {
                peak = std::max(peak.load(), status_kb(b.server_pid, "VmRSS:"));
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        });
        LoadResult r = closed_loop(b.target, 64, b.seconds, [](std::uint64_t n) -> std::optional<Call> {
            return Call{
                "POST", "/api/v1/auth/login",
                json{{"email", fmt::format("afflux{}@exemple.fr", n)}, {"password", "mauvais mot de passe"}}.dump(),
                ""};
        });
        stop = true;
        sampler.join();
        const Latency l = latency_of(r.latencies_ms);
        out["c"] = {{"connections", 64},
                    {"requests", r.requests},
                    {"refused_401", r.count(401)},
                    {"busy_429", r.count(429)},
                    {"hashes_per_s", r.rate(401)},
                    {"p50_ms", l.p50},
                    {"p99_ms", l.p99},
                    {"server_errors", r.server_errors()},
                    {"rss_peak_kb", peak.load()},
                    {"hwm_before_kb", hwm_before},
                    {"hwm_after_kb", status_kb(b.server_pid, "VmHWM:")}};
    }
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Table rows
//-----------------------------------------------------------------------------

std::string frontdoor_rows(const json& f) {
    auto verdict = [](bool ok) { return std::string(ok ? "atteint" : "MANQUÉ"); };
    std::string md;
    const json& a = f["a"];
    md += fmt::format("| a | 500 connexions muettes + 50 slowloris pendant que 16 clients réservent et cherchent | "
                      "p50 {:.1f} ms, p99 {:.1f} ms, {:.0f} req/s, 5xx : {} ; muettes encore ouvertes : {} ; slowloris "
                      "coupées : {} | "
                      "p99 < 100 ms | {} |\n",
                      a["p50_ms"].get<double>(), a["p99_ms"].get<double>(), a["req_per_s"].get<double>(),
                      a["server_errors"].get<int>(), a["idle_still_open"].get<int>(), a["slowloris_cut"].get<int>(),
                      verdict(a["p99_ms"].get<double>() < 100));
    for (const json& l : f["b"]) {
        const json& r = l["result"];
        const int n = r["connections"];
        const bool ok = n >= 2000 ? r["refused"] == 0 && r["resets"] == 0 : r["p99_ms"].get<double>() < 50;
        md += fmt::format(
            "| b | {} connexions gardées ouvertes, {} (une requête toutes les {:.0f} s chacune) | "
            "p50 {:.1f} ms, p99 {:.1f} ms, {:.0f} req/s ; refusées {}, coupées en cours {}, non-2xx {} | {} | {} |\n",
            n, l["route"].get<std::string>(), r["think_s"].get<double>(), r["p50_ms"].get<double>(),
            r["p99_ms"].get<double>(), r["req_per_s"].get<double>(), r["refused"].get<int>(), r["resets"].get<int>(),
            r["non_2xx"].get<int>(), n >= 2000 ? "aucune refusée ni coupée" : "p99 < 50 ms", verdict(ok));
    }
    const json& c = f["c"];
    const double peak_mb = std::max(c["rss_peak_kb"].get<double>(), 0.0) / 1024;
    md += fmt::format(
        "| c | afflux de connexions : 64 connexions, mots de passe faux (Argon2id 64 Mio) | "
        "pic de mémoire {:.0f} Mo (VmHWM {:.0f} Mo) ; {:.1f} vérifications/s ; {} × 401, {} × 429 ; p99 {:.0f} ms | "
        "< 300 Mo | {} |\n",
        peak_mb, c["hwm_after_kb"].get<double>() / 1024, c["hashes_per_s"].get<double>(), c["refused_401"].get<int>(),
        c["busy_429"].get<int>(), c["p99_ms"].get<double>(), verdict(c["hwm_after_kb"].get<double>() / 1024 < 300));
    return md;
}

}  // namespace uneplace::bench
