// uneplace server — signed webhooks of the ticketing-network feed (API.md "Ticketing-network feed",
// issue 15 item 4): subscriptions, the delivery queue and its log (migration 11), the Ed25519
// signing keys, and the delivery worker.
//
// How a booking reaches a receiver: migration 8's triggers write the event into feed_events in
// the booking's own transaction; the delivery worker (one thread, never a request's) reads
// feed_events by seq past each webhook's `last_seq` and writes the deliveries and the new
// `last_seq` in one transaction, then POSTs each webhook's oldest pending delivery, one at a time
// per webhook, so deliveries arrive in seq order. Reading the events table rather than adding
// deliveries from the triggers keeps the booking's transaction as it was (no work per webhook on
// the busiest write path), and a crash between the two steps loses nothing: the cursor moves
// only with the deliveries it made. A delivery is marked delivered after the receiver's 2xx: a
// crash in between sends it again, with the same webhook-id (at least once).
//
// Index of this file:
// [SECTION] Signing keys (store_webhooks.cpp)
// [SECTION] Subscriptions and the delivery log (store_webhooks.cpp)
// [SECTION] Delivery (webhooks.cpp)
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app.hpp"
#include "uneplace/validation.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Signing keys
//-----------------------------------------------------------------------------

// How long a superseded key stays published: a delivery signed just before a rotation may be
// retried for three days, and receivers cache keys.
inline constexpr UnixSeconds kWebhookKeyGraceS = 7 * 24 * 3600;

// Creates the first key pair when there is none (at start, after the migrations).
void ensure_webhook_key(SQLite::Database& conn, UnixSeconds now);
// `uneplace rotate-webhook-key`: a new key signs from now on; the others are retired (still listed
// for kWebhookKeyGraceS). Returns the new key id.
Id rotate_webhook_key(SQLite::Database& conn, UnixSeconds now);

struct WebhookKey {
    Id id = 0;
    std::string public_key;  // 32 raw bytes
    UnixSeconds created_at = 0;
    std::optional<UnixSeconds> retired_at;
};
// The keys receivers should accept at `now`, the signing one last.
std::vector<WebhookKey> published_webhook_keys(SQLite::Database& conn, UnixSeconds now);

struct WebhookSignature {
    Id key_id = 0;
    std::string signature_base64;  // Ed25519 over `id + "." + timestamp + "." + body`, base64 with padding
};
// Signs with the newest key (the secret key never leaves this function's buffer).
WebhookSignature sign_webhook(SQLite::Database& conn, std::string_view event_id, std::int64_t timestamp,
                              std::string_view body);

//-----------------------------------------------------------------------------
// [SECTION] Subscriptions and the delivery log
//-----------------------------------------------------------------------------

struct WebhookView {
    Id id = 0;
    Id organisation_id = 0;
    std::string url;
    unsigned events = 0;  // bits of kWebhookEventTypes
    std::string status;   // active, disabled, deleted
    UnixSeconds created_at = 0;
    std::optional<UnixSeconds> disabled_at;
    std::string disabled_reason;
};

struct DeliveryView {
    Id id = 0;
    Id webhook_id = 0;
    std::optional<std::int64_t> event_seq;  // none for a ping
    std::string event_id, type, status;     // pending, delivered, failed
    std::optional<Id> redelivery_of;
    int attempts = 0;
    std::optional<std::int64_t> next_attempt_ms;  // pending only
    std::optional<int> last_status;               // the receiver's last HTTP status
    std::string last_error;
    std::optional<std::int64_t> last_latency_ms;
    UnixSeconds created_at = 0;
    std::optional<UnixSeconds> delivered_at;
};

// A partner for its own organisation, an admin for a partner organisation of its territory
// (`organisation_id` required, as for API keys). The URL is checked (parse_webhook_url) and its
// name resolved: every address must be public unless --webhooks-allow-private [webhook_url_forbidden].
// Audited webhook.create.
WebhookView create_webhook(App& app, const Actor& actor, std::optional<Id> organisation_id, std::string_view url,
                           unsigned events);
std::vector<WebhookView> list_webhooks(App& app, const Actor& actor, std::optional<Id> organisation_id);
// No more deliveries; its log stays readable. Audited webhook.delete.
WebhookView delete_webhook(App& app, const Actor& actor, Id id);
// Newest first, those with an id below `before` when given.
std::vector<DeliveryView> list_deliveries(App& app, const Actor& actor, Id webhook_id, int limit,
                                          std::optional<Id> before);
// A new delivery of the same event (same webhook-id), queued after the others. Audited.
DeliveryView redeliver(App& app, const Actor& actor, Id webhook_id, Id delivery_id);
// A "ping" event queued for the webhook (id "evt_ping_<delivery id>").
DeliveryView ping_webhook(App& app, const Actor& actor, Id webhook_id);

//-----------------------------------------------------------------------------
// [SECTION] Delivery
//-----------------------------------------------------------------------------

// Milliseconds of the server's clock (the test clock's offset included): when a delivery is due.
inline std::int64_t webhook_clock_ms(const App& app) {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + app.clock.offset() * 1000;
}

// The addresses `host` resolves to, as text ("93.184.216.34", "2606:4700::1111"); empty when it
// does not resolve. With `allow_private` false, nullopt when any of them is forbidden
// (webhook_address_forbidden): a name with one private address among public ones is refused.
std::optional<std::vector<std::string>> resolve_webhook_host(const std::string& host, bool allow_private);

// One pass of the worker: turns new feed events into deliveries, then sends what is due. Returns
// the number of deliveries attempted. Exposed for the worker only (and its tests through it).
int run_webhook_pass(App& app);

// The thread that runs passes: woken by a commit (Db::commits moves) or when the next retry is due,
// polled every 20 ms; stop() lets a send under way finish (bounded by its 10 s) and joins.
class WebhookWorker {
public:
    explicit WebhookWorker(App& app) : app_(app) {}
    ~WebhookWorker() { stop(); }
    void start();
    void stop();

private:
    void run();
    App& app_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

}  // namespace uneplace::server
