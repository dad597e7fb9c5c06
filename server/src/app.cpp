// uneplace server — metrics (Prometheus text), rate limits and the password-hashing slots.
//
// Index of this file:
// [SECTION] Metrics
// [SECTION] Rate limiter
// [SECTION] Login back-off
// [SECTION] Password hashing slots
// [SECTION] Page cache
#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "app.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Metrics
//-----------------------------------------------------------------------------

namespace {
constexpr double kBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
// Label values come from the route table, the method and our own outcome names, never from the
// client, so a request can not blow up the number of series; still, quote-escape them.
std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}
}  // namespace

void Metrics::count_request(const std::string& method, const std::string& route, int status, double seconds) {
    std::lock_guard lock(mutex_);
    requests_[fmt::format("method=\"{}\",route=\"{}\",status=\"{}\"", esc(method), esc(route), status)] += 1;
    const std::string key = fmt::format("method=\"{}\",route=\"{}\"", esc(method), esc(route));
    latency_sum_[key] += seconds;
    auto& b = latency_buckets_[key];
    if (b.empty()) b.assign(std::size(kBuckets) + 1, 0);
    for (std::size_t i = 0; i < std::size(kBuckets); ++i)
        if (seconds <= kBuckets[i]) b[i] += 1;
    b.back() += 1;  // +Inf, also the count
}

void Metrics::count_booking(const std::string& outcome) {
    std::lock_guard lock(mutex_);
    bookings_[outcome] += 1;
}

void Metrics::count(const std::string& name, double by) {
    std::lock_guard lock(mutex_);
    counters_[name] += by;
}

void Metrics::set_gauge(const std::string& name, double value) {
    std::lock_guard lock(mutex_);
    gauges_[name] = value;
}

std::string Metrics::render_prometheus() const {
    std::lock_guard lock(mutex_);
    std::string out;
    out += "# HELP uneplace_http_requests_total HTTP requests answered, by route and status.\n";
    out += "# TYPE uneplace_http_requests_total counter\n";
    for (const auto& [labels, n] : requests_) out += fmt::format("uneplace_http_requests_total{{{}}} {}\n", labels, n);
    out += "# HELP uneplace_http_request_duration_seconds Time to answer, by route.\n";
    out += "# TYPE uneplace_http_request_duration_seconds histogram\n";
    for (const auto& [labels, b] : latency_buckets_) {
        for (std::size_t i = 0; i < std::size(kBuckets); ++i)
            out += fmt::format("uneplace_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                               kBuckets[i], b[i]);
        out += fmt::format("uneplace_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels, b.back());
        out += fmt::format("uneplace_http_request_duration_seconds_sum{{{}}} {}\n", labels, latency_sum_.at(labels));
        out += fmt::format("uneplace_http_request_duration_seconds_count{{{}}} {}\n", labels, b.back());
    }
    out += "# HELP uneplace_booking_requests_total Booking requests by outcome (confirmed, waitlisted, ballot_entered, "
           "or the refusing rule's code).\n";
    out += "# TYPE uneplace_booking_requests_total counter\n";
    for (const auto& [outcome, n] : bookings_)
        out += fmt::format("uneplace_booking_requests_total{{outcome=\"{}\"}} {}\n", esc(outcome), n);
    for (const auto& [name, n] : counters_) {
        out += fmt::format("# TYPE uneplace_{} counter\n", name);
        out += fmt::format("uneplace_{} {}\n", name, n);
    }
    for (const auto& [name, n] : gauges_) {
        out += fmt::format("# TYPE uneplace_{} gauge\n", name);
        out += fmt::format("uneplace_{} {}\n", name, n);
    }
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Rate limiter
//-----------------------------------------------------------------------------

namespace {
// SipHash-2-4 with a key drawn at start: a client cannot choose keys that collide on purpose.
std::uint64_t key_hash(std::string_view key) {
    static const auto secret = [] {
        std::array<unsigned char, crypto_shorthash_KEYBYTES> k{};
        randombytes_buf(k.data(), k.size());
        return k;
    }();
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, reinterpret_cast<const unsigned char*>(key.data()), key.size(), secret.data());
    std::uint64_t v;
    std::memcpy(&v, out, sizeof v);
    return v;
}

// The entry of `key`, moved to the front (most recent), created with `fresh` when absent; the
// least recent entry is forgotten when the list is full.
template <class Entry>
Entry& touch(std::list<Entry>& lru, std::unordered_map<std::uint64_t, typename std::list<Entry>::iterator>& index,
             std::size_t capacity, std::uint64_t key, const Entry& fresh, bool& created) {
    auto it = index.find(key);
    created = it == index.end();
    if (!created) {
        lru.splice(lru.begin(), lru, it->second);
        return lru.front();
    }
    if (lru.size() >= capacity) {
        index.erase(lru.back().key);
        lru.pop_back();
    }
    lru.push_front(fresh);
    index.emplace(key, lru.begin());
    return lru.front();
}
}  // namespace

bool RateLimiter::allow(std::string_view key) {
    const auto now = std::chrono::steady_clock::now();
    const std::uint64_t h = key_hash(key);
    std::lock_guard lock(mutex_);
    bool created = false;
    Bucket& b = touch(lru_, index_, capacity_, h, Bucket{h, static_cast<double>(per_minute_), now}, created);
    if (!created) {
        const double elapsed = std::chrono::duration<double>(now - b.at).count();
        b.tokens = std::min<double>(per_minute_, b.tokens + elapsed * per_minute_ / 60.0);
        b.at = now;
    }
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
}

std::size_t RateLimiter::size() const {
    std::lock_guard lock(mutex_);
    return lru_.size();
}

//-----------------------------------------------------------------------------
// [SECTION] Login back-off
//-----------------------------------------------------------------------------

namespace {
constexpr auto kBackoffMemory = std::chrono::minutes(15);
}

int LoginBackoff::wait_seconds(std::string_view account) {
    const auto now = std::chrono::steady_clock::now();
    const std::uint64_t h = key_hash(account);
    std::lock_guard lock(mutex_);
    auto it = index_.find(h);
    if (it == index_.end()) return 0;
    const Entry& e = *it->second;
    if (e.failures < free_failures_ || now - e.last > kBackoffMemory) return 0;
    const int doublings = std::min(e.failures - free_failures_, 20);
    const auto wait = std::chrono::seconds(std::min(1 << doublings, kMaxWaitS));
    const auto left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.last + wait - now).count();
    return left_ms > 0 ? static_cast<int>((left_ms + 999) / 1000) : 0;  // whole seconds, rounded up
}

void LoginBackoff::failed(std::string_view account) {
    const auto now = std::chrono::steady_clock::now();
    const std::uint64_t h = key_hash(account);
    std::lock_guard lock(mutex_);
    bool created = false;
    Entry& e = touch(lru_, index_, capacity_, h, Entry{h, 0, now}, created);
    if (now - e.last > kBackoffMemory) e.failures = 0;
    e.failures += 1;
    e.last = now;
}

void LoginBackoff::succeeded(std::string_view account) {
    const std::uint64_t h = key_hash(account);
    std::lock_guard lock(mutex_);
    auto it = index_.find(h);
    if (it == index_.end()) return;
    lru_.erase(it->second);
    index_.erase(it);
}

//-----------------------------------------------------------------------------
// [SECTION] Password hashing slots
//-----------------------------------------------------------------------------

bool HashGate::enter() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    const bool got = cv_.wait_for(lock, std::chrono::milliseconds(wait_ms_), [&] { return free_ > 0; });
    --waiting_;
    if (!got) return false;
    --free_;
    return true;
}

void HashGate::leave() {
    {
        std::lock_guard lock(mutex_);
        ++free_;
    }
    cv_.notify_one();
}

//-----------------------------------------------------------------------------
// [SECTION] Page cache
//-----------------------------------------------------------------------------

std::shared_ptr<const std::string> PageCache::find(const std::string& key, std::uint64_t commits, UnixSeconds now) {
    std::lock_guard lock(mutex_);
    const auto it = pages_.find(key);
    if (it == pages_.end()) return nullptr;
    Page& p = it->second;
    // A clock set back (tests move it) could bring closed rows back: only [as_of, changes_at).
    if (p.commits != commits || now < p.as_of || now >= p.changes_at) return nullptr;
    recent_.splice(recent_.begin(), recent_, p.recency);
    return p.body;
}

void PageCache::forget(std::unordered_map<std::string, Page>::iterator it) {
    bytes_ -= it->second.body->size() + it->first.size();
    recent_.erase(it->second.recency);
    pages_.erase(it);
}

std::size_t PageCache::keep(const std::string& key, std::shared_ptr<const std::string> body, std::uint64_t commits,
                            UnixSeconds as_of, UnixSeconds changes_at) {
    const std::size_t size = body->size() + key.size();
    std::lock_guard lock(mutex_);
    if (size > max_bytes_) return bytes_;
    if (const auto it = pages_.find(key); it != pages_.end()) forget(it);
    if (bytes_ + size > max_bytes_) {
        // Pages read before the last write can never be served again: they go first, whatever
        // their age; then the least recently served.
        for (auto it = pages_.begin(); it != pages_.end();) {
            const auto next = std::next(it);
            if (it->second.commits != commits) forget(it);
            it = next;
        }
        while (bytes_ + size > max_bytes_ && !recent_.empty()) forget(pages_.find(recent_.back()));
    }
    recent_.push_front(key);
    bytes_ += size;
    pages_.emplace(key, Page{std::move(body), commits, as_of, changes_at, recent_.begin()});
    return bytes_;
}

}  // namespace uneplace::server
