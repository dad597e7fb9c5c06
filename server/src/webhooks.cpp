// uneplace server — the webhooks' delivery worker (webhooks.hpp): names resolved and checked
// against SSRF, feed events turned into deliveries, signed POSTs through cpp-httplib's client
// (HTTPS verified against the system's certificate authorities), retries on API.md's schedule.
//
// Index of this file:
// [SECTION] Resolving and checking addresses
// [SECTION] Fan-out: feed events into deliveries
// [SECTION] Sending one delivery
// [SECTION] A pass, and the thread
#include <arpa/inet.h>
#include <httplib.h>
#include <netdb.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <filesystem>
#include <memory>

#include "feed.hpp"
#include "uneplace/local_time.hpp"
#include "webhooks.hpp"

namespace uneplace::server {

using nlohmann::json;

namespace {
std::atomic<bool> g_stopping{false};
}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Resolving and checking addresses
//-----------------------------------------------------------------------------

std::optional<std::vector<std::string>> resolve_webhook_host(const std::string& host, bool allow_private) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    std::vector<std::string> out;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return out;
    bool forbidden = false;
    for (addrinfo* a = found; a; a = a->ai_next) {
        char text[INET6_ADDRSTRLEN] = {};
        const unsigned char* bytes = nullptr;
        std::size_t size = 0;
        if (a->ai_family == AF_INET) {
            const auto* sin = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
            bytes = reinterpret_cast<const unsigned char*>(&sin->sin_addr);
            size = 4;
            inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
        } else if (a->ai_family == AF_INET6) {
            const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
            bytes = reinterpret_cast<const unsigned char*>(&sin6->sin6_addr);
            size = 16;
            inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text);
        } else {
            continue;
        }
        // Every address, not the first: a name with one private address among public ones could
        // be made to reach the private one.
        if (webhook_address_forbidden(bytes, size)) forbidden = true;
        if (std::find(out.begin(), out.end(), text) == out.end()) out.emplace_back(text);
    }
    freeaddrinfo(found);
    if (forbidden && !allow_private) return std::nullopt;
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Fan-out
//-----------------------------------------------------------------------------

namespace {

// At most this many events per webhook per transaction: a webhook made long ago catches up in
// several short transactions rather than one that holds the write lock.
constexpr int kFanOutBatch = 2000;

struct Subscription {
    Id id = 0;
    Id organisation_id = 0;
    unsigned events = 0;
    std::int64_t last_seq = 0;
};

// New events of each active webhook's organisation become its deliveries, due now. Returns how
// many deliveries were queued.
int fan_out(App& app) {
    auto& c = app.db.conn();
    const std::int64_t newest = c.execAndGet("SELECT COALESCE(MAX(seq), 0) FROM feed_events").getInt64();
    std::vector<Subscription> behind;
    {
        SQLite::Statement q(c, "SELECT id, organisation_id, events, last_seq FROM webhooks"
                               " WHERE status = 'active' AND last_seq < ?");
        q.bind(1, newest);
        while (q.executeStep())
            behind.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                              static_cast<unsigned>(q.getColumn(2).getInt()), q.getColumn(3).getInt64()});
    }
    if (behind.empty()) return 0;
    int queued = 0;
    const std::int64_t due_ms = webhook_clock_ms(app);
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& w = tx.conn();
    for (const Subscription& s : behind) {
        SQLite::Statement q(w, "SELECT seq, type FROM feed_events WHERE organisation_id = ? AND seq > ? AND seq <= ?"
                               " ORDER BY seq LIMIT ?");
        q.bind(1, s.organisation_id);
        q.bind(2, s.last_seq);
        q.bind(3, newest);
        q.bind(4, kFanOutBatch);
        SQLite::Statement ins(w, "INSERT INTO webhook_deliveries (webhook_id, event_seq, event_id, type,"
                                 " next_attempt_ms, created_at) VALUES (?, ?, ?, ?, ?, ?)");
        int rows = 0;
        std::int64_t last = s.last_seq;
        while (q.executeStep()) {
            ++rows;
            last = q.getColumn(0).getInt64();
            const std::string type = q.getColumn(1).getString();
            if (!(s.events & webhook_event_bit(type))) continue;
            ins.bind(1, s.id);
            ins.bind(2, last);
            ins.bind(3, "evt_" + std::to_string(last));
            ins.bind(4, type);
            ins.bind(5, due_ms);
            ins.bind(6, now);
            ins.exec();
            ins.reset();
            ++queued;
        }
        // Fewer rows than the batch: everything up to `newest` was read (the others belong to
        // other organisations).
        SQLite::Statement up(w, "UPDATE webhooks SET last_seq = ? WHERE id = ?");
        up.bind(1, rows < kFanOutBatch ? newest : last);
        up.bind(2, s.id);
        up.exec();
    }
    tx.commit();
    return queued;
}

//-----------------------------------------------------------------------------
// [SECTION] Sending one delivery
//-----------------------------------------------------------------------------

// The system's certificate authorities (Debian's ca-certificates).
constexpr const char* kSystemCaFile = "/etc/ssl/certs/ca-certificates.crt";
// API.md: a 2xx within 10 s is success.
constexpr int kTimeoutS = 10;

struct Outgoing {
    Id delivery_id = 0;
    Id webhook_id = 0;
    int attempts = 0;  // before this one
    std::string url, event_id, body, timestamp, key_id, signature;
    bool gone = false;  // its event is no longer in the feed: failed without sending
};

struct Outcome {
    int status = 0;  // the receiver's HTTP status; 0 when there was no answer
    std::string error;
    std::int64_t latency_ms = 0;
};

Outcome post_signed(const Outgoing& o, bool allow_private) {
    Outcome out;
    auto url = parse_webhook_url(o.url, allow_private);
    if (!url.ok()) {
        out.error = url.refusal->code;
        return out;
    }
    // Resolved again at each attempt and the connection pinned to the address just checked: a
    // name that resolved to a public address at subscription cannot be re-pointed inside.
    auto addresses = resolve_webhook_host(url.value.host, allow_private);
    if (!addresses) {
        out.error = "webhook_url_forbidden: the name resolves to a private or reserved address";
        return out;
    }
    if (addresses->empty()) {
        out.error = "the name does not resolve";
        return out;
    }
    std::unique_ptr<httplib::ClientImpl> cli;
    if (url.value.https) {
        auto ssl = std::make_unique<httplib::SSLClient>(url.value.host, url.value.port);
        if (std::filesystem::exists(kSystemCaFile)) ssl->set_ca_cert_path(kSystemCaFile);
        ssl->enable_server_certificate_verification(true);
        cli = std::move(ssl);
    } else {
        cli = std::make_unique<httplib::ClientImpl>(url.value.host, url.value.port);
    }
    cli->set_hostname_addr_map({{url.value.host, addresses->front()}});
    cli->set_connection_timeout(kTimeoutS, 0);
    cli->set_read_timeout(kTimeoutS, 0);
    cli->set_write_timeout(kTimeoutS, 0);
    cli->set_follow_location(false);  // a redirect is not a 2xx, and could point anywhere
    cli->set_tcp_nodelay(true);       // headers then body: no Nagle wait on the second write
    const httplib::Headers headers = {{"webhook-id", o.event_id},
                                      {"webhook-timestamp", o.timestamp},
                                      {"webhook-signature", "v1a," + o.signature},
                                      {"webhook-key-id", o.key_id},
                                      {"User-Agent", "uneplace-webhooks/1"}};
    const auto started = std::chrono::steady_clock::now();
    auto res = cli->Post(url.value.target, headers, o.body, "application/json");
    out.latency_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    if (!res) {
        out.error = httplib::to_string(res.error());
        return out;
    }
    out.status = res->status;
    if (out.status < 200 || out.status > 299) out.error = "HTTP " + std::to_string(out.status);
    return out;
}

// The deliveries due now, the oldest pending one of each active webhook (the order per webhook
// is the queue's), signed and ready; `next_due_ms` gets the earliest one not yet due.
std::vector<Outgoing> due_heads(App& app, std::int64_t now_ms, std::int64_t& next_due_ms, std::int64_t& depth) {
    auto& c = app.db.conn();
    depth = c.execAndGet("SELECT COUNT(*) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                         " WHERE d.status = 'pending' AND w.status = 'active'")
                .getInt64();
    std::vector<Outgoing> out;
    if (depth == 0) return out;
    SQLite::Statement q(c, "SELECT d.id, d.webhook_id, d.event_seq, d.event_id, d.type, d.attempts,"
                           " d.next_attempt_ms, w.url, w.organisation_id"
                           " FROM webhooks w JOIN webhook_deliveries d ON d.id = ("
                           "   SELECT MIN(id) FROM webhook_deliveries WHERE webhook_id = w.id AND status = 'pending')"
                           " WHERE w.status = 'active'");
    const UnixSeconds now = app.now();
    while (q.executeStep()) {
        const std::int64_t due = q.getColumn(6).getInt64();
        if (due > now_ms) {
            next_due_ms = std::min(next_due_ms, due);
            continue;
        }
        Outgoing o;
        o.delivery_id = q.getColumn(0).getInt64();
        o.webhook_id = q.getColumn(1).getInt64();
        o.event_id = q.getColumn(3).getString();
        o.attempts = q.getColumn(5).getInt();
        o.url = q.getColumn(7).getString();
        json body;
        if (q.getColumn(2).isNull()) {
            body = {{"id", o.event_id},
                    {"type", "ping"},
                    {"occurred_at", format_utc(now)},
                    {"data", {{"webhook_id", o.webhook_id}}}};
        } else {
            auto e = feed_event(c, q.getColumn(8).getInt64(), q.getColumn(2).getInt64());
            if (!e) {
                o.gone = true;
                out.push_back(std::move(o));
                continue;
            }
            body = feed_event_json(*e);
            body.erase("seq");  // API.md: {id, type, occurred_at, data}
        }
        o.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
        o.timestamp = std::to_string(now);
        const WebhookSignature sig = sign_webhook(c, o.event_id, now, o.body);
        o.key_id = std::to_string(sig.key_id);
        o.signature = sig.signature_base64;
        out.push_back(std::move(o));
    }
    return out;
}

// Writes what an attempt gave: delivered, or due again after the schedule's delay, or failed; a
// 410 also disables the webhook (audited).
void record_outcome(App& app, const Outgoing& o, const Outcome& r) {
    const UnixSeconds now = app.now();
    const int attempts = o.attempts + (o.gone ? 0 : 1);
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const bool ok = !o.gone && r.status >= 200 && r.status <= 299;
    std::string status = "pending";
    std::int64_t next_ms = 0;
    if (ok) {
        status = "delivered";
        app.metrics.count("webhook_deliveries_sent_total");
    } else {
        app.metrics.count("webhook_attempt_errors_total");
        const auto delay = webhook_retry_delay(attempts);
        if (o.gone || r.status == 410 || !delay) {
            status = "failed";
            app.metrics.count("webhook_deliveries_failed_total");
        } else {
            next_ms = webhook_clock_ms(app) +
                      static_cast<std::int64_t>(static_cast<double>(*delay) * 1000.0 * app.options.webhook_retry_scale);
        }
    }
    SQLite::Statement up(c, "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_ms = ?,"
                            " last_status = ?, last_error = ?, last_latency_ms = ?, delivered_at = ?"
                            " WHERE id = ? AND status = 'pending'");
    up.bind(1, status);
    up.bind(2, attempts);
    up.bind(3, next_ms);
    if (r.status) up.bind(4, r.status);
    else up.bind(4);
    if (o.gone) up.bind(5, "the event is no longer in the feed");
    else if (r.error.empty()) up.bind(5);
    else up.bind(5, r.error);
    if (o.gone) up.bind(6);
    else up.bind(6, r.latency_ms);
    if (ok) up.bind(7, now);
    else up.bind(7);
    up.bind(8, o.delivery_id);
    up.exec();
    if (r.status == 410) {
        // The receiver says the endpoint is gone for good: no more deliveries until a new subscription.
        SQLite::Statement off(c, "UPDATE webhooks SET status = 'disabled', disabled_at = ?, disabled_reason = ?"
                                 " WHERE id = ? AND status = 'active'");
        off.bind(1, now);
        off.bind(2, "410");
        off.bind(3, o.webhook_id);
        if (off.exec() > 0)
            audit(c, now, std::nullopt, "webhook.disabled", "webhook", o.webhook_id, json{{"status", "active"}},
                  json{{"status", "disabled"}, {"reason", "410"}, {"delivery_id", o.delivery_id}});
    }
    tx.commit();
    if (!ok)
        spdlog::info("webhook={} delivery={} event={} attempt={} status={} error={} next={}", o.webhook_id,
                     o.delivery_id, o.event_id, attempts, r.status, r.error, status);
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] A pass, and the thread
//-----------------------------------------------------------------------------

namespace {
// Webhooks sent to at once: one slow receiver (up to 10 s) must not hold up the others.
constexpr std::size_t kParallelSends = 8;
// Rounds per pass (one delivery per webhook each): a long backlog yields to the stop signal and
// to the fan-out of new events between passes.
constexpr int kRoundsPerPass = 200;
std::atomic<std::int64_t> g_next_due_ms{LLONG_MAX};
}  // namespace

int run_webhook_pass(App& app) {
    fan_out(app);
    int attempted = 0;
    for (int round = 0; round < kRoundsPerPass && !g_stopping; ++round) {
        std::int64_t next_due = LLONG_MAX, depth = 0;
        std::vector<Outgoing> heads = due_heads(app, webhook_clock_ms(app), next_due, depth);
        app.metrics.set_gauge("webhook_queue_depth", static_cast<double>(depth));
        g_next_due_ms = next_due;
        if (heads.empty()) break;
        std::vector<Outcome> results(heads.size());
        const bool allow_private = app.options.webhooks_allow_private;
        // The POSTs run in parallel (no database access there); reads and writes stay on this thread.
        for (std::size_t from = 0; from < heads.size(); from += kParallelSends) {
            const std::size_t to = std::min(heads.size(), from + kParallelSends);
            std::vector<std::thread> senders;
            for (std::size_t i = from; i < to; ++i) {
                if (heads[i].gone) continue;
                if (to - from == 1) results[i] = post_signed(heads[i], allow_private);
                else senders.emplace_back([&, i] { results[i] = post_signed(heads[i], allow_private); });
            }
            for (auto& t : senders) t.join();
        }
        for (std::size_t i = 0; i < heads.size(); ++i) {
            // Cut off by the stop: not an attempt, the delivery stays as it was.
            if (g_stopping && !heads[i].gone && results[i].status == 0) continue;
            record_outcome(app, heads[i], results[i]);
            ++attempted;
        }
    }
    return attempted;
}

void WebhookWorker::start() {
    g_stopping = false;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void WebhookWorker::stop() {
    if (!thread_.joinable()) return;
    g_stopping = true;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void WebhookWorker::run() {
    // A pass when something was committed (perhaps a booking: new events) or a retry falls due;
    // otherwise the check costs two atomic reads every 20 ms.
    std::uint64_t seen_commits = ~0ull;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const std::uint64_t commits = app_.db.commits();
        if (commits != seen_commits || webhook_clock_ms(app_) >= g_next_due_ms) {
            lock.unlock();
            try {
                run_webhook_pass(app_);
            } catch (const std::exception& e) {
                spdlog::warn("webhooks: pass failed: {}", e.what());
                g_next_due_ms = webhook_clock_ms(app_) + 1000;  // a busy or faulty database: again in a second
            }
            seen_commits = commits;
            lock.lock();
        }
        wake_.wait_for(lock, std::chrono::milliseconds(20), [this] { return stopping_; });
    }
}

}  // namespace uneplace::server
