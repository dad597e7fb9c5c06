// The feed's signed webhooks (API.md "Ticketing-network feed", issue 15 item 4) against the real
// server: a real HTTP receiver in this process (httplib::Server on a thread) verifies every
// signature with the keys the server publishes at /api/v1/webhooks/keys. Bookings are made through
// the normal social-worker API; the server runs with --webhooks-allow-private (the receiver is on
// 127.0.0.1 over plain http) and --webhook-retry-scale 0.01 (5 s, 30 s, 2 min… become 50 ms,
// 300 ms, 1.2 s…), so retries take a second, not minutes.
#include <gtest/gtest.h>
#include <sodium.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "harness.hpp"
#include "webhook_signature.hpp"

namespace {

using namespace uneplace::test;

//-----------------------------------------------------------------------------
// A receiver, and the check a receiver makes
//-----------------------------------------------------------------------------

struct Received {
    std::string id, timestamp, signature, key_id, body;
    int answered = 0;  // the status the receiver gave
};

// A webhook endpoint on 127.0.0.1: answers the n-th request (from 0) with `answer(n)`, and keeps
// every request it got. Over HTTPS with `tls`.
class Receiver {
public:
    explicit Receiver(
        std::function<int(int)> answer = [](int) { return 200; }, const Certificate* tls = nullptr)
        : answer_(std::move(answer)) {
        if (tls) svr_ = std::make_unique<httplib::SSLServer>(tls->cert.c_str(), tls->key.c_str());
        else svr_ = std::make_unique<httplib::Server>();
        scheme_ = tls ? "https" : "http";
        svr_->Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
            Received r{req.get_header_value("webhook-id"), req.get_header_value("webhook-timestamp"),
                       req.get_header_value("webhook-signature"), req.get_header_value("webhook-key-id"), req.body};
            std::lock_guard lock(mutex_);
            r.answered = answer_(static_cast<int>(got_.size()));
            res.status = r.answered;
            got_.push_back(std::move(r));
            changed_.notify_all();
        });
        port_ = svr_->bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { svr_->listen_after_bind(); });
    }
    ~Receiver() {
        svr_->stop();
        thread_.join();
    }
    std::string url() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_) + "/hook"; }
    void set_answer(std::function<int(int)> answer) {
        std::lock_guard lock(mutex_);
        answer_ = std::move(answer);
    }
    // What it got once `done(got)` holds, or whatever it had after a generous bound (the test's
    // assertions then say what is missing).
    std::vector<Received> wait_for(const std::function<bool(const std::vector<Received>&)>& done, int seconds = 60) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, std::chrono::seconds(seconds), [&] { return done(got_); });
        return got_;
    }
    std::vector<Received> got() {
        std::lock_guard lock(mutex_);
        return got_;
    }

private:
    std::unique_ptr<httplib::Server> svr_;
    std::string scheme_;
    std::function<int(int)> answer_;
    std::thread thread_;
    int port_ = 0;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Received> got_;
};

// kid → public key (32 bytes), as a receiver reads them from the server.
std::map<std::string, std::string> published_keys(ServerProcess& s) {
    Reply r = Api(s).get("/api/v1/webhooks/keys");
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, std::string> out;
    for (const auto& k : r["keys"]) out[k["kid"]] = uneplace::receiver::from_base64(k["public_key_base64"]);
    return out;
}

//-----------------------------------------------------------------------------
// Servers and scenario helpers
//-----------------------------------------------------------------------------

ServerConfig hooks_config(std::string db_path = {}) {
    ServerConfig c;
    c.extra_args = {"--webhooks-allow-private", "--webhook-retry-scale", "0.01"};
    c.db_path = std::move(db_path);
    return c;
}

// One server for the tests that make their own webhook and sessions.
ServerProcess& hooks_server() {
    static ServerProcess s(hooks_config());
    return s;
}

Reply subscribe(const Api& partner, const std::string& url, json events = {"booking.created"}) {
    return partner.post("/api/v1/webhooks", {{"url", url}, {"events", std::move(events)}});
}

std::int64_t subscribed(const Api& partner, const std::string& url, json events = {"booking.created"}) {
    Reply r = subscribe(partner, url, std::move(events));
    if (r.status != 201) throw std::runtime_error("webhook: " + r.body);
    return r["id"];
}

// `n` bookings of one place on a new session of the demo partner; their ids in order.
std::vector<std::int64_t> bookings(ServerProcess& s, int n, std::int64_t* session = nullptr) {
    const std::int64_t sid = fresh_session(s, {{"capacity", 50}});
    if (session) *session = sid;
    Api worker = logged_in(kWorker, s);
    std::vector<std::int64_t> out;
    for (int i = 0; i < n; ++i) {
        Reply b = book(worker, sid, new_beneficiary(worker), 1);
        if (b.status != 201) throw std::runtime_error("booking: " + b.body);
        out.push_back(b["id"]);
    }
    return out;
}

json body_of(const Received& r) { return json::parse(r.body, nullptr, false); }

// The booking ids of the booking.created events received, in the order they came (each once).
std::vector<std::int64_t> booked_ids(const std::vector<Received>& got) {
    std::vector<std::int64_t> out;
    std::set<std::string> seen;
    for (const auto& r : got) {
        json b = body_of(r);
        if (r.answered < 200 || r.answered > 299 || !b.is_object() || b["type"] != "booking.created") continue;
        if (seen.insert(r.id).second) out.push_back(b["data"]["booking_id"]);
    }
    return out;
}

std::function<bool(const std::vector<Received>&)> has_delivered(std::size_t n) {
    return [n](const std::vector<Received>& got) { return booked_ids(got).size() >= n; };
}

Reply deliveries(const Api& api, std::int64_t webhook) {
    return api.get("/api/v1/webhooks/" + std::to_string(webhook) + "/deliveries?limit=100");
}

// The delivery of `event_id` in the log (the newest one when redelivered).
json delivery_of(const Api& api, std::int64_t webhook, const std::string& event_id) {
    for (auto& d : deliveries(api, webhook).items())
        if (d["event_id"] == event_id) return d;
    return json();
}

//-----------------------------------------------------------------------------
// Subscriptions and refusals
//-----------------------------------------------------------------------------

TEST(Webhooks, PrivateAddressesAndPlainHttpAreRefusedWithoutTheTestFlag) {
    ServerProcess s;  // no --webhooks-allow-private
    Api partner = logged_in(kPartner, s);
    for (const char* url : {"https://127.0.0.1/hook", "https://10.0.0.8/hook", "https://169.254.169.254/latest",
                            "https://100.64.1.1/", "https://[::1]/hook", "https://[::ffff:192.168.1.1]/",
                            "https://localhost:8443/hook", "http://hooks.example.org/hook"}) {
        Reply r = subscribe(partner, url);
        EXPECT_EQ(r.status, 422) << url << " " << r.body;
        EXPECT_EQ(r.error_code(), "webhook_url_forbidden") << url;
        EXPECT_EQ(r.json_body()["error"]["field"], "url");
        EXPECT_NE(r.json_body()["error"]["message"].get<std::string>().find("https://"), std::string::npos);
    }
    EXPECT_EQ(subscribe(partner, "https://user:pw@hooks.example.org/").error_code(), "invalid_webhook_url");
    EXPECT_EQ(subscribe(partner, "https://8.8.8.8/hook", {"booking.*"}).error_code(), "invalid_event_type");
    EXPECT_EQ(subscribe(partner, "https://8.8.8.8/hook", json::array()).error_code(), "required");
    EXPECT_TRUE(partner.get("/api/v1/webhooks").items().empty()) << "nothing was subscribed";
    // A social worker has no webhooks.
    EXPECT_EQ(subscribe(logged_in(kWorker, s), "https://8.8.8.8/hook").status, 403);
}

TEST(Webhooks, SubscribeListDeleteWithTheSessionCookieOrAnApiKeyOfScopeWebhooks) {
    ServerProcess& s = hooks_server();
    Api partner = logged_in(kPartner, s);
    Receiver rx;
    const std::int64_t id = subscribed(partner, rx.url(), {"booking.created", "session.cancelled"});
    bool listed = false;
    for (auto& w : partner.get("/api/v1/webhooks").items())
        if (w["id"] == id) {
            listed = true;
            EXPECT_EQ(w["url"], rx.url());
            EXPECT_EQ(w["events"], json({"booking.created", "session.cancelled"}));
            EXPECT_EQ(w["status"], "active");
        }
    EXPECT_TRUE(listed);

    // A key with only the feed's scopes may not touch webhooks; one with "webhooks" may.
    Reply feed_only = partner.post("/api/v1/api-keys", {{"name", "Flux"}, {"scopes", {"feed:read"}}});
    ASSERT_EQ(feed_only.status, 201);
    Api reader(s);
    reader.token = feed_only["key"];
    EXPECT_EQ(reader.get("/api/v1/webhooks").status, 403);
    Reply hooks_key = partner.post("/api/v1/api-keys", {{"name", "Webhooks"}, {"scopes", {"webhooks"}}});
    ASSERT_EQ(hooks_key.status, 201);
    Api network(s);
    network.token = hooks_key["key"];
    EXPECT_EQ(network.get("/api/v1/webhooks").status, 200);

    // Another partner organisation sees nothing of it (404, not 403).
    Api admin = logged_in(kAdmin, s);
    EXPECT_EQ(logged_in(kWorker, s).request("DELETE", "/api/v1/webhooks/" + std::to_string(id)).status, 403);
    Reply del = network.request("DELETE", "/api/v1/webhooks/" + std::to_string(id));
    ASSERT_EQ(del.status, 200) << del.body;
    EXPECT_EQ(del["status"], "deleted");
    for (auto& w : partner.get("/api/v1/webhooks").items()) EXPECT_NE(w["id"], id);
    EXPECT_EQ(network.request("DELETE", "/api/v1/webhooks/" + std::to_string(id)).status, 404);

    // Audited: subscription and deletion.
    SQLite::Database db(s.db_path(), SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT action FROM audit_log WHERE entity = 'webhook' AND entity_id = ? ORDER BY id");
    q.bind(1, id);
    std::vector<std::string> actions;
    while (q.executeStep()) actions.push_back(q.getColumn(0).getString());
    EXPECT_EQ(actions, (std::vector<std::string>{"webhook.create", "webhook.delete"}));
}

//-----------------------------------------------------------------------------
// Delivery: signatures, order, ping, redelivery
//-----------------------------------------------------------------------------

TEST(Webhooks, EveryDeliveryIsSignedWithThePublishedKeyInSeqOrderAndATamperedBodyFailsTheCheck) {
    ServerProcess& s = hooks_server();
    Api partner = logged_in(kPartner, s);
    Receiver rx;
    const std::int64_t hook = subscribed(partner, rx.url());
    const std::vector<std::int64_t> made = bookings(s, 6);
    const auto got = rx.wait_for(has_delivered(made.size()));
    EXPECT_EQ(booked_ids(got), made) << "every booking, once, in the order they were made";

    const auto keys = published_keys(s);
    ASSERT_FALSE(keys.empty());
    std::int64_t last_seq = 0;
    for (const auto& r : got) {
        EXPECT_TRUE(uneplace::receiver::signature_verifies(keys, r)) << r.id;
        json b = body_of(r);
        ASSERT_TRUE(b.is_object()) << r.body;
        EXPECT_EQ(b["id"], r.id) << "webhook-id is the event's id";
        EXPECT_EQ(b.size(), 4u) << "{id, type, occurred_at, data}: " << r.body;
        EXPECT_TRUE(b.contains("occurred_at") && b.contains("type") && b.contains("data")) << r.body;
        EXPECT_TRUE(b["data"].contains("guest")) << "the guest, in P2 form";
        const std::int64_t seq = std::stoll(r.id.substr(4));  // "evt_<seq>"
        EXPECT_GT(seq, last_seq) << "seq order";
        last_seq = seq;
        // The receiver's check refuses a body changed on the way, or another event's id.
        Received tampered = r;
        tampered.body.replace(tampered.body.find("booking.created"), 15, "booking.canceled");
        EXPECT_FALSE(uneplace::receiver::signature_verifies(keys, tampered));
        Received replayed = r;
        replayed.id = "evt_1";
        EXPECT_FALSE(uneplace::receiver::signature_verifies(keys, replayed));
    }

    // The log: delivered at the first attempt with the receiver's 200.
    json d = delivery_of(partner, hook, got.front().id);
    EXPECT_EQ(d["status"], "delivered");
    EXPECT_EQ(d["attempts"], 1);
    EXPECT_EQ(d["last_status"], 200);

    // Ping: a "ping" event, signed like the others.
    Reply ping = partner.post("/api/v1/webhooks/" + std::to_string(hook) + "/ping");
    ASSERT_EQ(ping.status, 201) << ping.body;
    const std::string ping_id = ping["event_id"];
    auto with_ping = rx.wait_for([&](const std::vector<Received>& g) {
        for (const auto& r : g)
            if (r.id == ping_id) return true;
        return false;
    });
    bool pinged = false;
    for (const auto& r : with_ping)
        if (r.id == ping_id) {
            pinged = true;
            EXPECT_EQ(body_of(r)["type"], "ping");
            EXPECT_TRUE(uneplace::receiver::signature_verifies(keys, r));
        }
    EXPECT_TRUE(pinged);

    // Redelivery: the same event (same webhook-id) once more, logged as a new delivery.
    const json first = delivery_of(partner, hook, got.front().id);
    Reply again = partner.post("/api/v1/webhooks/" + std::to_string(hook) + "/deliveries/" +
                               std::to_string(first["id"].get<std::int64_t>()) + "/redeliver");
    ASSERT_EQ(again.status, 201) << again.body;
    EXPECT_EQ(again["event_id"], got.front().id);
    EXPECT_EQ(again["redelivery_of"], first["id"]);
    auto after = rx.wait_for([&](const std::vector<Received>& g) {
        int n = 0;
        for (const auto& r : g) n += r.id == got.front().id;
        return n == 2;
    });
    int copies = 0;
    for (const auto& r : after)
        if (r.id == got.front().id) {
            ++copies;
            EXPECT_TRUE(uneplace::receiver::signature_verifies(keys, r));
        }
    EXPECT_EQ(copies, 2);

    // Metrics count what was sent; the redelivery is audited.
    Reply metrics = logged_in(kAdmin, s).get("/metrics");
    EXPECT_NE(metrics.body.find("uneplace_webhook_deliveries_sent_total"), std::string::npos);
    EXPECT_EQ(metrics.body.find("uneplace_webhook_deliveries_sent_total 0\n"), std::string::npos);
    EXPECT_NE(metrics.body.find("uneplace_webhook_queue_depth"), std::string::npos);
    SQLite::Database db(s.db_path(), SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'webhook.redeliver' AND entity_id = ?");
    q.bind(1, hook);
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt(), 1);
    partner.request("DELETE", "/api/v1/webhooks/" + std::to_string(hook));
}

TEST(Webhooks, AReceiverThatFailsThreeTimesGetsTheSameEventIdEachTimeThenSucceeds) {
    ServerProcess& s = hooks_server();
    Api partner = logged_in(kPartner, s);
    Receiver rx([](int n) { return n < 3 ? 500 : 200; });
    const std::int64_t hook = subscribed(partner, rx.url());
    const std::vector<std::int64_t> made = bookings(s, 1);
    const auto got = rx.wait_for(has_delivered(1));
    ASSERT_EQ(got.size(), 4u);
    for (const auto& r : got) EXPECT_EQ(r.id, got.front().id) << "the same webhook-id on every retry";
    EXPECT_EQ(got[0].answered, 500);
    EXPECT_EQ(got[3].answered, 200);
    EXPECT_EQ(booked_ids(got), made);
    const auto keys = published_keys(s);
    for (const auto& r : got) EXPECT_TRUE(uneplace::receiver::signature_verifies(keys, r));
    json d = delivery_of(partner, hook, got.front().id);
    // The log is written just after the receiver answers: read it once it says delivered.
    for (int i = 0; i < 200 && d["status"] != "delivered"; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        d = delivery_of(partner, hook, got.front().id);
    }
    EXPECT_EQ(d["status"], "delivered");
    EXPECT_EQ(d["attempts"], 4);
    EXPECT_EQ(d["last_status"], 200);
    partner.request("DELETE", "/api/v1/webhooks/" + std::to_string(hook));
}

TEST(Webhooks, A410DisablesTheWebhookAndNothingMoreIsSent) {
    ServerProcess& s = hooks_server();
    Api partner = logged_in(kPartner, s);
    Receiver rx([](int) { return 410; });
    const std::int64_t hook = subscribed(partner, rx.url());
    bookings(s, 1);
    const auto got = rx.wait_for([](const std::vector<Received>& g) { return !g.empty(); });
    ASSERT_EQ(got.size(), 1u);
    json w;
    for (int i = 0; i < 200; ++i) {
        for (auto& x : partner.get("/api/v1/webhooks").items())
            if (x["id"] == hook) w = x;
        if (w["status"] == "disabled") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(w["status"], "disabled");
    EXPECT_EQ(w["disabled_reason"], "410");
    EXPECT_EQ(delivery_of(partner, hook, got.front().id)["status"], "failed");

    // More bookings: nothing reaches it. A second webhook, subscribed after, gets them: once it
    // has, the disabled one has had its chance too (one worker, one queue).
    Receiver witness;
    const std::int64_t other = subscribed(partner, witness.url());
    const std::vector<std::int64_t> made = bookings(s, 2);
    witness.wait_for(has_delivered(made.size()));
    EXPECT_EQ(booked_ids(witness.got()), made);
    EXPECT_EQ(rx.got().size(), 1u) << "a disabled webhook gets nothing";
    // Ping and redelivery are refused while it is disabled.
    EXPECT_EQ(partner.post("/api/v1/webhooks/" + std::to_string(hook) + "/ping").error_code(), "webhook_disabled");
    partner.request("DELETE", "/api/v1/webhooks/" + std::to_string(other));
}

TEST(Webhooks, OverHttpsTheReceiversCertificateIsCheckedAgainstTheSystemAuthorities) {
    ServerProcess& s = hooks_server();
    Api partner = logged_in(kPartner, s);
    Certificate self_signed;  // signed by no authority of the system's store
    Receiver rx([](int) { return 200; }, &self_signed);
    const std::int64_t hook = subscribed(partner, rx.url());
    ASSERT_EQ(rx.url().rfind("https://", 0), 0u);
    bookings(s, 1);
    json d;
    for (int i = 0; i < 400 && d.is_null(); ++i) {
        for (auto& x : deliveries(partner, hook).items())
            if (x["attempts"].get<int>() >= 1) d = x;
        if (d.is_null()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_FALSE(d.is_null()) << "an attempt was made";
    EXPECT_EQ(d["status"], "pending") << "tried again later";
    EXPECT_TRUE(d["last_status"].is_null()) << "no HTTP answer: the handshake was refused; " << d.dump();
    EXPECT_FALSE(d["last_error"].is_null());
    EXPECT_TRUE(rx.got().empty()) << "nothing reaches a receiver whose certificate nobody vouches for";
    partner.request("DELETE", "/api/v1/webhooks/" + std::to_string(hook));
}

//-----------------------------------------------------------------------------
// Restart, key rotation, API key revocation
//-----------------------------------------------------------------------------

TEST(Webhooks, DeliveriesPendingAtAStopAreDeliveredAfterTheRestartNoneLost) {
    TempDir dir;
    const std::string db = (dir.path() / "restart.db").string();
    Receiver rx([](int) { return 503; });  // down for now
    std::vector<std::int64_t> made;
    {
        ServerProcess s(hooks_config(db));
        Api partner = logged_in(kPartner, s);
        subscribed(partner, rx.url());
        made = bookings(s, 5);
        // Wait until the first has been tried (so the queue is really in use), then stop.
        rx.wait_for([](const std::vector<Received>& g) { return !g.empty(); });
        ASSERT_EQ(s.stop(), 0);
    }
    {
        // In the file: each booking's event is a pending delivery, or still past the webhook's
        // cursor in feed_events when the stop came before the worker read it. None delivered.
        SQLite::Database file(db, SQLite::OPEN_READONLY);
        const int pending =
            file.execAndGet("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'").getInt();
        const int unread = file.execAndGet("SELECT COUNT(*) FROM feed_events e, webhooks w"
                                           " WHERE e.seq > w.last_seq AND e.type = 'booking.created'"
                                           " AND e.organisation_id = w.organisation_id")
                               .getInt();
        EXPECT_GE(pending, 1);
        EXPECT_EQ(pending + unread, static_cast<int>(made.size()));
        EXPECT_EQ(file.execAndGet("SELECT COUNT(*) FROM webhook_deliveries WHERE status <> 'pending'").getInt(), 0);
    }
    rx.set_answer([](int) { return 200; });
    ServerProcess again(hooks_config(db));
    const auto got = rx.wait_for(has_delivered(made.size()));
    EXPECT_EQ(booked_ids(got), made) << "every event after the restart, in order";
    const auto keys = published_keys(again);
    for (const auto& r : got) EXPECT_TRUE(uneplace::receiver::signature_verifies(keys, r)) << r.id;
}

TEST(Webhooks, ARotatedKeySignsFromThenOnAndBothKeysAreListed) {
    TempDir dir;
    const std::string db = (dir.path() / "rotate.db").string();
    ServerProcess s(hooks_config(db));
    Api partner = logged_in(kPartner, s);
    Receiver rx;
    subscribed(partner, rx.url());
    bookings(s, 1);
    const auto before = rx.wait_for(has_delivered(1));
    ASSERT_EQ(before.size(), 1u);
    const std::string old_kid = before.front().key_id;

    // `uneplace rotate-webhook-key` while the server runs (another process on the same file).
    const std::string cmd = "'" + binary_path() + "' rotate-webhook-key --db '" + db + "' > /dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    const auto keys = published_keys(s);
    EXPECT_EQ(keys.size(), 2u) << "the old key stays listed for deliveries in flight";
    EXPECT_TRUE(keys.count(old_kid));

    bookings(s, 1);
    const auto after = rx.wait_for(has_delivered(2));
    ASSERT_EQ(after.size(), 2u);
    EXPECT_NE(after.back().key_id, old_kid) << "the new key signs";
    EXPECT_TRUE(keys.count(after.back().key_id));
    for (const auto& r : after) EXPECT_TRUE(uneplace::receiver::signature_verifies(keys, r)) << r.id;
    // The old key does not verify what the new one signed.
    Received wrong_kid = after.back();
    wrong_kid.key_id = old_kid;
    EXPECT_FALSE(uneplace::receiver::signature_verifies(keys, wrong_kid));
    Reply listed = Api(s).get("/api/v1/webhooks/keys");
    int retired = 0;
    for (const auto& k : listed["keys"]) retired += !k["retired_at"].is_null();
    EXPECT_EQ(retired, 1);
}

TEST(Webhooks, AnApiKeyRevokedMidRunGets401AndTheWebhookKeepsDelivering) {
    ServerProcess& s = hooks_server();
    Api partner = logged_in(kPartner, s);
    Reply k = partner.post("/api/v1/api-keys", {{"name", "Réseau"}, {"scopes", {"webhooks"}}});
    ASSERT_EQ(k.status, 201);
    Api network(s);
    network.token = k["key"];
    Receiver rx;
    const std::int64_t hook = subscribed(network, rx.url());
    bookings(s, 1);
    rx.wait_for(has_delivered(1));
    EXPECT_EQ(deliveries(network, hook).status, 200);

    ASSERT_EQ(partner.request("DELETE", "/api/v1/api-keys/" + std::to_string(k["id"].get<std::int64_t>())).status, 200);
    EXPECT_EQ(deliveries(network, hook).status, 401);
    EXPECT_EQ(network.post("/api/v1/webhooks/" + std::to_string(hook) + "/ping").status, 401);
    EXPECT_EQ(subscribe(network, rx.url()).status, 401);
    // The subscription is the organisation's, not the key's: bookings still reach it.
    const std::vector<std::int64_t> more = bookings(s, 1);
    const auto got = rx.wait_for(has_delivered(2));
    EXPECT_EQ(booked_ids(got).back(), more.front());
    partner.request("DELETE", "/api/v1/webhooks/" + std::to_string(hook));
}

}  // namespace
