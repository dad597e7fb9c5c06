// uneplace server — metrics (Prometheus text) and rate limiting.
//
// Index of this file:
// [SECTION] Metrics
// [SECTION] Rate limiter
#include <fmt/format.h>

#include <algorithm>

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
        if (c == '\n') { out += "\\n"; continue; }
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
            out += fmt::format("uneplace_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels, kBuckets[i], b[i]);
        out += fmt::format("uneplace_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels, b.back());
        out += fmt::format("uneplace_http_request_duration_seconds_sum{{{}}} {}\n", labels, latency_sum_.at(labels));
        out += fmt::format("uneplace_http_request_duration_seconds_count{{{}}} {}\n", labels, b.back());
    }
    out += "# HELP uneplace_booking_requests_total Booking requests by outcome (confirmed, waitlisted, ballot_entered, or the refusing rule's code).\n";
    out += "# TYPE uneplace_booking_requests_total counter\n";
    for (const auto& [outcome, n] : bookings_)
        out += fmt::format("uneplace_booking_requests_total{{outcome=\"{}\"}} {}\n", esc(outcome), n);
    for (const auto& [name, n] : counters_) {
        out += fmt::format("# TYPE uneplace_{} counter\n", name);
        out += fmt::format("uneplace_{} {}\n", name, n);
    }
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Rate limiter
//-----------------------------------------------------------------------------

bool RateLimiter::allow(const std::string& key) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    // Forget idle buckets now and then so the map never grows without bound.
    if (buckets_.size() > 10000) {
        for (auto it = buckets_.begin(); it != buckets_.end();)
            it = (now - it->second.at > std::chrono::minutes(2)) ? buckets_.erase(it) : std::next(it);
    }
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{static_cast<double>(per_minute_), now});
    Bucket& b = it->second;
    if (!fresh) {
        const double elapsed = std::chrono::duration<double>(now - b.at).count();
        b.tokens = std::min<double>(per_minute_, b.tokens + elapsed * per_minute_ / 60.0);
        b.at = now;
    }
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
}

}  // namespace uneplace::server
