// uneplace benchmarks — the load generator (see loadgen.hpp).
#include "loadgen.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <latch>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

namespace uneplace::bench {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

std::unique_ptr<httplib::Client> make_client(const Target& t) {
    auto cli = std::make_unique<httplib::Client>(t.host, t.port);
    cli->set_keep_alive(true);
    cli->set_tcp_nodelay(true);  // as browsers do: a request goes out at once, not after a delayed ACK
    // Generous: behind a full server pool a connection waits its turn, and that wait is the
    // latency we measure, not an error.
    cli->set_connection_timeout(60, 0);
    cli->set_read_timeout(120, 0);
    cli->set_write_timeout(60, 0);
    return cli;
}

// Sends one call; fills the status and, for refusals, the API error code.
int send(httplib::Client& cli, const Call& c, std::string* error_code, std::string* body_out = nullptr) {
    httplib::Headers h;
    if (!c.token.empty()) h.emplace("Authorization", "Bearer " + c.token);
    httplib::Result r = c.method == "POST" ? cli.Post(c.path, h, c.body, "application/json") : cli.Get(c.path, h);
    if (!r) {
        *error_code = "no_answer:" + httplib::to_string(r.error());
        return 0;
    }
    if (r->status >= 400) {
        auto j = nlohmann::json::parse(r->body, nullptr, false);
        if (j.is_object() && j.contains("error") && j["error"].is_object())
            *error_code = j["error"].value("code", "http_" + std::to_string(r->status));
        else *error_code = "http_" + std::to_string(r->status);
    }
    if (body_out) *body_out = std::move(r->body);
    return r->status;
}

// Per-connection tallies, merged once at the end (no lock on the hot path).
struct Tally {
    std::map<int, std::uint64_t> by_status;
    std::map<std::string, std::uint64_t> by_code;
    std::vector<double> latencies_ms;
    void add(int status, const std::string& code, double ms) {
        ++by_status[status];
        if (!code.empty()) ++by_code[code];
        latencies_ms.push_back(ms);
    }
};

void merge(LoadResult& out, const Tally& t) {
    for (const auto& [k, v] : t.by_status) out.by_status[k] += v;
    for (const auto& [k, v] : t.by_code) out.by_code[k] += v;
    out.latencies_ms.insert(out.latencies_ms.end(), t.latencies_ms.begin(), t.latencies_ms.end());
    out.requests += t.latencies_ms.size();
}

}  // namespace

Latency latency_of(std::vector<double> ms) {
    Latency l;
    if (ms.empty()) return l;
    std::sort(ms.begin(), ms.end());
    auto rank = [&](double p) {
        const auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(ms.size())));
        return ms[std::min(ms.size() - 1, i == 0 ? 0 : i - 1)];
    };
    l.p50 = rank(0.50);
    l.p99 = rank(0.99);
    l.max = ms.back();
    return l;
}

std::uint64_t LoadResult::server_errors() const {
    std::uint64_t n = 0;
    for (const auto& [status, count] : by_status)
        if (status == 0 || status >= 500) n += count;
    return n;
}

LoadResult closed_loop(const Target& target, int connections, double seconds, const NextCall& next) {
    std::atomic<std::uint64_t> counter{0};
    std::atomic<bool> stop{false};
    std::vector<Tally> tallies(static_cast<std::size_t>(connections));
    const auto t0 = Clock::now();
    const auto deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> pool;
    pool.reserve(tallies.size());
    for (auto& tally : tallies)
        pool.emplace_back([&, t = &tally] {
            auto cli = make_client(target);
            std::string code;
            while (!stop) {
                if (seconds > 0 && Clock::now() >= deadline) break;
                std::optional<Call> call = next(counter++);
                if (!call) {
                    stop = true;
                    break;
                }
                code.clear();
                const auto start = Clock::now();
                const int status = send(*cli, *call, &code);
                t->add(status, code, ms_since(start));
            }
        });
    for (auto& th : pool) th.join();
    LoadResult out;
    out.seconds = ms_since(t0) / 1000.0;
    for (const auto& t : tallies) merge(out, t);
    return out;
}

StormResult storm(const Target& target, std::int64_t session_id, const std::vector<StormClient>& clients, int places) {
    const std::size_t n = clients.size();
    std::vector<int> statuses(n, 0), confirmed(n, 0);
    std::vector<std::string> codes(n);
    std::vector<double> latency(n, 0), done_at(n, 0);
    std::latch ready(static_cast<std::ptrdiff_t>(n));
    std::latch go(1);
    Clock::time_point t0;
    std::vector<std::thread> pool;
    pool.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        pool.emplace_back([&, i] {
            auto cli = make_client(target);
            cli->set_keep_alive(false);  // one request each: a crowd, not a pool
            const Call call{
                "POST", "/api/v1/bookings",
                nlohmann::json{
                    {"session_id", session_id}, {"beneficiary_id", clients[i].beneficiary_id}, {"places", places}}
                    .dump(),
                clients[i].token};
            ready.count_down();
            go.wait();
            const auto start = Clock::now();
            statuses[i] = send(*cli, call, &codes[i]);
            latency[i] = ms_since(start);
            done_at[i] = ms_since(t0);
            if (statuses[i] == 201) confirmed[i] = places;
        });
    ready.wait();
    t0 = Clock::now();
    go.count_down();
    for (auto& th : pool) th.join();

    StormResult out;
    Tally all;
    for (std::size_t i = 0; i < n; ++i) {
        all.add(statuses[i], codes[i], latency[i]);
        out.confirmed_places += confirmed[i];
        if (statuses[i] == 201) out.seconds_to_full = std::max(out.seconds_to_full, done_at[i] / 1000.0);
    }
    merge(out.answers, all);
    out.answers.seconds = *std::max_element(done_at.begin(), done_at.end()) / 1000.0;
    return out;
}

std::vector<Fetched> fetch_in_turn(const Target& target, const std::vector<Call>& calls) {
    auto cli = make_client(target);
    std::vector<Fetched> out;
    out.reserve(calls.size());
    for (const Call& c : calls) {
        Fetched f;
        std::string code;
        const auto t0 = Clock::now();
        f.status = send(*cli, c, &code, &f.body);
        f.ms = ms_since(t0);
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<std::string> login_all(const Target& target, const std::vector<std::string>& emails,
                                   const std::string& password, int connections) {
    std::vector<std::string> tokens(emails.size());
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (int c = 0; c < connections; ++c)
        pool.emplace_back([&] {
            auto cli = make_client(target);
            std::string code, body;
            for (std::size_t i = next++; i < emails.size(); i = next++) {
                const Call call{"POST", "/api/v1/auth/login",
                                nlohmann::json{{"email", emails[i]}, {"password", password}}.dump(), ""};
                if (send(*cli, call, &code, &body) != 200) continue;
                auto j = nlohmann::json::parse(body, nullptr, false);
                if (j.is_object() && j.contains("token")) tokens[i] = j["token"].get<std::string>();
            }
        });
    for (auto& th : pool) th.join();
    return tokens;
}

}  // namespace uneplace::bench
