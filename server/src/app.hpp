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
// [SECTION] Page cache
// [SECTION] App
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <unordered_map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "db.hpp"
#include "front_door.hpp"
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
    bool fast_hash = false;  // Argon2id at minimum cost (tests only; needs test_hooks)
    int threads = 4;         // quick-lane HTTP workers (they only ever see complete requests)
    int slow_threads = 16;   // slow-lane workers: password hashing and PDFs (front_door.cpp, "The lanes")
    std::size_t max_body_bytes = 1 << 20;
    int login_per_minute =
        20;  // wrong passwords an account may have before backing off; ×10 attempts a minute per address
    int checkin_per_minute = 120;  // per user
    int session_hours = 12;        // login session lifetime
    int scheduler_interval_s = 30;
    // The front door (front_door.hpp).
    int header_timeout_s = 10;
    int idle_timeout_s = 5;
    int max_connections = 10000;
    int max_conn_per_address = 256;
    std::vector<Cidr> trusted_proxies;
    std::string metrics_host;  // --metrics-listen; empty: none
    int metrics_port = 0;
    std::string tls_cert, tls_key;
    // Argon2id: hashes at once (each takes 64 MiB), and how long a login waits for a turn.
    int hash_concurrency = 2;
    int hash_wait_ms = 2000;
    // Catalogue pages kept as sent (PageCache): the bytes they may take. 64 MB hold about 1,300
    // pages of 50 sessions, every département's usual questions.
    int catalogue_cache_mb = 64;
    // E-mail (M1–M6, mail.hpp): the mail server ("smtp://[user:pass@]host:port" or "smtps://…";
    // empty: messages stay queued), the sender's address, and the web app's address for links.
    std::string smtp_url;
    std::string mail_from = "uneplace@localhost.localdomain";
    std::string public_url = "http://127.0.0.1:8080";
    // Administrators must turn on the TOTP second factor before doing anything else
    // (--admin-second-factor; `serve --demo` makes it optional unless asked for).
    bool admin_second_factor = true;
    // Webhooks of the feed (webhooks.hpp). Tests only: plain http:// and private addresses
    // (--webhooks-allow-private), and the retry schedule multiplied by a factor
    // (--webhook-retry-scale, needs --test-hooks) so a test sees nine attempts in seconds.
    bool webhooks_allow_private = false;
    double webhook_retry_scale = 1.0;
};

// Served over HTTPS, by ourselves or behind a proxy that --public-url names: the session cookie is
// then `Secure` and carries the `__Host-` prefix, which a browser accepts only over HTTPS, for the
// whole site and from this host alone (no subdomain can set or shadow it).
inline bool secure_cookies(const ServerOptions& o) {
    return !o.tls_cert.empty() || o.public_url.rfind("https://", 0) == 0;
}
inline const char* session_cookie_name(const ServerOptions& o) {
    return secure_cookies(o) ? "__Host-uneplace_session" : "uneplace_session";
}

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
[[noreturn]] inline void fail(std::string code, std::string field = {}) {
    throw Failure(std::move(code), std::move(field));
}
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
    std::string organisation_territory;  // the organisation's département (the catalogue opens there)
    std::string email;
    std::string display_name;
    AccountStatus user_status = AccountStatus::Pending;
    std::optional<AccountStatus> organisation_status;  // none for admins
    std::vector<std::string> territories;              // admins: empty = national
    Id auth_session_id = 0;
    std::string csrf_token;
    bool second_factor = false;  // TOTP turned on (security.hpp)
    bool via_cookie = false;
    // Set when the caller is an API key (Authorization: Bearer upk_…, the ticketing-network feed):
    // it acts as the user the key carries, on the routes its scopes open and on no other.
    Id api_key_id = 0;
    unsigned api_key_scopes = 0;  // ApiKeyScope bits (shared/validation.hpp)

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
    void set_gauge(const std::string& name, double value);  // a level (a queue's depth), not a count
    std::string render_prometheus() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, double> requests_;     // labels → count
    std::map<std::string, double> latency_sum_;  // route labels → seconds
    std::map<std::string, std::vector<double>> latency_buckets_;
    std::map<std::string, double> bookings_;  // outcome → count
    // Every counter the server counts, present from the start at 0: a scraper (and a test) sees a
    // counter that never fired as 0, not as missing.
    std::map<std::string, double> counters_{{"overbooking_prevented_total", 0},
                                            {"password_hash_busy_total", 0},
                                            {"catalogue_page_cache_hits_total", 0},
                                            {"catalogue_page_cache_misses_total", 0},
                                            {"mail_sent_total", 0},
                                            {"mail_send_errors_total", 0},
                                            {"storage_faults_total", 0},
                                            {"webhook_deliveries_sent_total", 0},
                                            {"webhook_deliveries_failed_total", 0},
                                            {"webhook_attempt_errors_total", 0}};
    std::map<std::string, double> gauges_{{"webhook_queue_depth", 0}};
};

//-----------------------------------------------------------------------------
// [SECTION] Rate limiter
//-----------------------------------------------------------------------------

// Token bucket per key (client address, user id): `per_minute` requests, refilled continuously.
// Keys are kept as a keyed 64-bit hash (SipHash, a key per process), never as sent, and at most
// `capacity` of them, the least recently used forgotten first: whatever a client sends, the memory
// stays bounded (a forgotten key starts again with a full bucket).
class RateLimiter {
public:
    explicit RateLimiter(int per_minute, std::size_t capacity = 50000) : per_minute_(per_minute), capacity_(capacity) {}
    // True when the request may go ahead; false means answer 429.
    bool allow(std::string_view key);
    std::size_t size() const;

private:
    struct Bucket {
        std::uint64_t key;
        double tokens;
        std::chrono::steady_clock::time_point at;
    };
    int per_minute_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::list<Bucket> lru_;  // most recent first
    std::unordered_map<std::uint64_t, std::list<Bucket>::iterator> index_;
};

// Per-account back-off after wrong passwords: `free_failures` in a row cost nothing, then each one
// more doubles the wait before the next attempt (1 s, 2 s, 4 s… up to kMaxWait). A success, or a
// quiet quarter of an hour, clears it. Bounded like RateLimiter (hashed keys, LRU).
class LoginBackoff {
public:
    static constexpr int kMaxWaitS = 300;
    explicit LoginBackoff(int free_failures, std::size_t capacity = 50000)
        : free_failures_(free_failures), capacity_(capacity) {}
    // Seconds before `account` may try again; 0 = now.
    int wait_seconds(std::string_view account);
    void failed(std::string_view account);
    void succeeded(std::string_view account);

private:
    struct Entry {
        std::uint64_t key;
        int failures;
        std::chrono::steady_clock::time_point last;
    };
    int free_failures_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::list<Entry> lru_;
    std::unordered_map<std::uint64_t, std::list<Entry>::iterator> index_;
};

// At most `slots` Argon2id hashes at once: each takes 64 MiB and a core for a fraction of a second,
// so sixteen at once would take a gigabyte and answer no faster. A hash waits up to `wait_ms` for
// a slot; after that the caller answers 429 server_busy.
class HashGate {
public:
    HashGate(int slots, int wait_ms) : free_(slots), wait_ms_(wait_ms) {}
    bool enter();
    void leave();
    int waiting() const { return waiting_.load(); }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    int free_;
    int wait_ms_;
    std::atomic<int> waiting_{0};
};

//-----------------------------------------------------------------------------
// [SECTION] Page cache
//-----------------------------------------------------------------------------

// Answers kept as sent, for the pages everybody asks for at once (the catalogue on a busy
// morning: a page is 50 sessions, ~50 KB of JSON, and reading and writing it costs ten times
// more than sending it). A page is served again only while it is exactly what a new read would
// give: no write committed since it was read (Db::commits) and time has not reached the moment
// the page would change by itself. So nothing is ever stale; a booking empties the cache for
// everybody. Bounded in bytes (--catalogue-cache-mb): past the bound, pages read before the last
// write go first, then the least recently served.
class PageCache {
public:
    explicit PageCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
    // The page kept under `key`, if it is still exact at `commits` and `now`.
    std::shared_ptr<const std::string> find(const std::string& key, std::uint64_t commits, UnixSeconds now);
    // Keeps a page read after `commits` was read, at `as_of`, that time alone changes at `changes_at`.
    // Returns the bytes the cache then holds.
    std::size_t keep(const std::string& key, std::shared_ptr<const std::string> body, std::uint64_t commits,
                     UnixSeconds as_of, UnixSeconds changes_at);

private:
    struct Page {
        std::shared_ptr<const std::string> body;
        std::uint64_t commits;
        UnixSeconds as_of, changes_at;
        std::list<std::string>::iterator recency;  // its key's place in recent_
    };
    void forget(std::unordered_map<std::string, Page>::iterator it);
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;  // bodies and keys kept
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Page> pages_;
    std::list<std::string> recent_;  // keys, the most recently served first
};

//-----------------------------------------------------------------------------
// [SECTION] App
//-----------------------------------------------------------------------------

// Test-only switches read from the environment at start, honoured only with --test-hooks.
struct TestHooks {
    int race_sleep_ms = 0;  // UNEPLACE_TEST_RACE_SLEEP_MS: sleep between reading and writing a booking
    bool unlocked = false;  // UNEPLACE_TEST_UNLOCKED=1: control mode, decide outside the write lock
};

struct App {
    explicit App(ServerOptions o)
        : options(std::move(o)),
          db(options.db_path),
          login_backoff(options.login_per_minute),
          login_address_limiter(options.login_per_minute * 10),
          checkin_limiter(options.checkin_per_minute),
          api_key_limiter(600),
          hash_gate(options.hash_concurrency, options.hash_wait_ms),
          catalogue_pages(static_cast<std::size_t>(options.catalogue_cache_mb) << 20) {}
    ServerOptions options;
    Db db;
    Clock clock;
    Metrics metrics;
    LoginBackoff login_backoff;         // per account, after wrong passwords
    RateLimiter login_address_limiter;  // per client address: every login and sign-up attempt
    RateLimiter checkin_limiter;        // per user
    RateLimiter api_key_limiter;        // per API key: 600 requests a minute (API.md, a batch counts as one)
    HashGate hash_gate;                 // Argon2id hashes at once
    PageCache catalogue_pages;          // --catalogue-cache-mb
    TestHooks test;
    UnixSeconds now() const { return clock.now(); }
};

}  // namespace uneplace::server
