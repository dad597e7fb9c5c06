// uneplace benchmarks — the load generator: keep-alive HTTP clients (one httplib::Client per
// connection, one thread each), a closed loop at N connections, the storm (every client fires once
// at the same instant) and latency percentiles. HTTP only: no server code, so the server tests can
// use it against a real `uneplace serve` process too.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace uneplace::bench {

struct Target {
    std::string host = "127.0.0.1";
    int port = 0;
};

// One request: bearer token (may be empty), method "GET" or "POST", JSON body for POST.
struct Call {
    std::string method = "GET";
    std::string path;
    std::string body;
    std::string token;
};

// Percentiles of latencies in milliseconds (nearest rank; 0 when there is no sample).
struct Latency {
    double p50 = 0, p99 = 0, max = 0;
};
Latency latency_of(std::vector<double> ms);

// What a run of requests gave back. Status 0 = no HTTP answer (connection error, timeout).
struct LoadResult {
    double seconds = 0;
    std::uint64_t requests = 0;
    std::map<int, std::uint64_t> by_status;
    std::map<std::string, std::uint64_t> by_code;  // error.code of 4xx/5xx answers, "http_<status>" else
    std::vector<double> latencies_ms;
    std::uint64_t count(int status) const {
        auto it = by_status.find(status);
        return it == by_status.end() ? 0 : it->second;
    }
    std::uint64_t server_errors() const;  // 5xx and no-answer
    double rate(int status) const { return seconds > 0 ? static_cast<double>(count(status)) / seconds : 0; }
    double rate() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
};

// The n-th request of a run (n counts from 0 across every connection), or nullopt to stop.
using NextCall = std::function<std::optional<Call>(std::uint64_t n)>;

// `connections` keep-alive connections, each sending its next request as soon as the previous
// answer arrives, until `seconds` have passed (0 = no time limit) or `next` says stop.
LoadResult closed_loop(const Target& target, int connections, double seconds, const NextCall& next);

// The storm: every client opens its own connection and sends one booking request at the same
// instant (a latch releases them together).
struct StormClient {
    std::string token;
    std::int64_t beneficiary_id = 0;
};
struct StormResult {
    LoadResult answers;
    int confirmed_places = 0;    // places of the 201 answers
    double seconds_to_full = 0;  // from the release until the last 201 answer arrived
};
StormResult storm(const Target& target, std::int64_t session_id, const std::vector<StormClient>& clients,
                  int places = 1);

// One answer of fetch_in_turn: its status (0: none), body and latency.
struct Fetched {
    int status = 0;
    std::string body;
    double ms = 0;
};
// Sends the calls one after the other on one keep-alive connection, as one browser tab does.
std::vector<Fetched> fetch_in_turn(const Target& target, const std::vector<Call>& calls);

// Logs these accounts in over `connections` connections; the bearer tokens in the same order
// (empty where the login failed).
std::vector<std::string> login_all(const Target& target, const std::vector<std::string>& emails,
                                   const std::string& password, int connections);

}  // namespace uneplace::bench
