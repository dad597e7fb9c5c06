// uneplace server — what every part of a running server shares: options, clock, the caller,
// failures, metrics and rate limits. No HTTP here: services and routes both include this.
//
// Index of this file:
// [SECTION] Options
// [SECTION] Clock
// [SECTION] Failure: a refusal on its way to the client
// [SECTION] Actor: the authenticated caller
// [SECTION] Metrics
// [SECTION] Rate limiter
// [SECTION] App
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "db.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Options
//-----------------------------------------------------------------------------

struct ServerOptions {
    std::string db_path;
    std::string host = "127.0.0.1";
    int port = 8080;
    bool demo = false;
    // Test hooks: the test clock route, the race-window sleep (UNEPLACE_TEST_RACE_SLEEP_MS) and the
    // unlocked control mode (UNEPLACE_TEST_UNLOCKED). Never on in production: off unless asked.
    bool test_hooks = false;
    bool fast_hash = false;            // Argon2id at minimum cost (tests only; needs test_hooks)
    int threads = 16;                  // HTTP worker threads
    std::size_t max_body_bytes = 1 << 20;
    int login_per_minute = 20;         // per client address and account (×10 per address)
    int checkin_per_minute = 120;      // per user
    int session_hours = 12;            // login session lifetime
    int scheduler_interval_s = 30;
};

//-----------------------------------------------------------------------------
// [SECTION] Clock
//-----------------------------------------------------------------------------

// Wall clock plus an offset only the test hooks move, so tests can reach a draw time, a closing
// time or the P1 retention horizon without waiting.
class Clock {
public:
    UnixSeconds now() const {
        using namespace std::chrono;
        return duration_cast<seconds>(system_clock::now().time_since_epoch()).count() + offset_.load();
    }
    void advance(UnixSeconds by) { offset_ += by; }
    UnixSeconds offset() const { return offset_.load(); }

private:
    std::atomic<UnixSeconds> offset_{0};
};

//-----------------------------------------------------------------------------
// [SECTION] Failure
//-----------------------------------------------------------------------------

// Thrown by services and routes; the route boundary turns it into the API error format with the
// shared module's French message. `status` 0 means "the status the shared code table gives".
struct Failure : std::runtime_error {
    std::string code;
    std::string field;
    int status;
    // Extra members of the error object, as a JSON object's text (e.g. {"may_join_waitlist": true}
    // after R3, {"paused_until": "…"} after R8), so the client can offer the next step.
    std::string extra_json;
    Failure(std::string c, std::string f = {}, int s = 0, std::string extra = {})
        : std::runtime_error(c), code(std::move(c)), field(std::move(f)), status(s), extra_json(std::move(extra)) {}
};
[[noreturn]] inline void fail(std::string code, std::string field = {}) { throw Failure(std::move(code), std::move(field)); }
[[noreturn]] inline void fail(const Refusal& r) { throw Failure(r.code, r.field); }
[[noreturn]] inline void fail_status(int status, std::string code, std::string field = {}) {
    throw Failure(std::move(code), std::move(field), status);
}
// The first refusal of a whole-form validator, if any.
inline void fail_first(const std::vector<Refusal>& refusals) {
    if (!refusals.empty()) fail(refusals.front());
}

//-----------------------------------------------------------------------------
// [SECTION] Actor
//-----------------------------------------------------------------------------

struct Actor {
    Id user_id = 0;
    Role role = Role::SocialWorker;
    std::optional<Id> organisation_id;
    std::string organisation_name;
    std::string email;
    std::string display_name;
    AccountStatus user_status = AccountStatus::Pending;
    std::optional<AccountStatus> organisation_status;  // none for admins
    std::vector<std::string> territories;              // admins: empty = national
    Id auth_session_id = 0;
    std::string csrf_token;
    bool via_cookie = false;

    // R10: only active users of active organisations act.
    bool active() const {
        return user_status == AccountStatus::Active &&
               (!organisation_status || *organisation_status == AccountStatus::Active);
    }
    bool national() const { return role == Role::Admin && territories.empty(); }
    bool sees_territory(std::string_view t) const {
        if (role != Role::Admin) return false;
        if (territories.empty()) return true;
        for (const auto& x : territories)
            if (x == t) return true;
        return false;
    }
};

//-----------------------------------------------------------------------------
// [SECTION] Metrics
//-----------------------------------------------------------------------------

// Prometheus counters kept in memory; rendered by GET /metrics.
class Metrics {
public:
    void count_request(const std::string& method, const std::string& route, int status, double seconds);
    void count_booking(const std::string& outcome);
    void count(const std::string& name, double by = 1);
    std::string render_prometheus() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, double> requests_;          // labels → count
    std::map<std::string, double> latency_sum_;       // route labels → seconds
    std::map<std::string, std::vector<double>> latency_buckets_;
    std::map<std::string, double> bookings_;          // outcome → count
    std::map<std::string, double> counters_;          // name → value
};

//-----------------------------------------------------------------------------
// [SECTION] Rate limiter
//-----------------------------------------------------------------------------

// Token bucket per key (client address, user id): `per_minute` requests, refilled continuously.
class RateLimiter {
public:
    explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}
    // True when the request may go ahead; false means answer 429.
    bool allow(const std::string& key);

private:
    struct Bucket {
        double tokens;
        std::chrono::steady_clock::time_point at;
    };
    int per_minute_;
    std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
};

//-----------------------------------------------------------------------------
// [SECTION] App
//-----------------------------------------------------------------------------

// Test-only switches read from the environment at start, honoured only with --test-hooks.
struct TestHooks {
    int race_sleep_ms = 0;   // UNEPLACE_TEST_RACE_SLEEP_MS: sleep between reading and writing a booking
    bool unlocked = false;   // UNEPLACE_TEST_UNLOCKED=1: control mode, decide outside the write lock
};

struct App {
    explicit App(ServerOptions o)
        : options(std::move(o)), db(options.db_path), login_limiter(options.login_per_minute),
          login_address_limiter(options.login_per_minute * 10), checkin_limiter(options.checkin_per_minute) {}
    ServerOptions options;
    Db db;
    Clock clock;
    Metrics metrics;
    RateLimiter login_limiter;          // per client address and account
    RateLimiter login_address_limiter;  // per client address, ten times wider
    RateLimiter checkin_limiter;        // per user
    TestHooks test;
    UnixSeconds now() const { return clock.now(); }
};

}  // namespace uneplace::server
