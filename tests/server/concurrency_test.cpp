// Concurrency: hundreds of parallel booking requests from many structures on a session of a few
// places. The places held never exceed capacity, every answer is 201, 202 or 409, and the audit
// log agrees with the bookings. Then the race harness (pretix-style): a test-only sleep between
// reading availability and writing, with and without the lock, with and without the trigger.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "harness.hpp"

using namespace uneplace::test;

namespace {

const char* kStructureWorkers[] = {kWorker,
                                   kOtherWorker,
                                   "lyon@demo.uneplace.test",
                                   "marseille@demo.uneplace.test",
                                   "hirondelles@demo.uneplace.test",
                                   "entraide@demo.uneplace.test",
                                   "saintdenis@demo.uneplace.test"};

struct Request {
    std::size_t worker;
    std::int64_t beneficiary;
    int places;
    bool join_waitlist;
};

struct Outcome {
    std::map<int, int> by_status;
    std::set<std::int64_t> confirmed_ids, waitlisted_ids;
    int other = 0;
    std::set<std::string> errors;
};

// Fires `requests` from `threads` client threads at once (each request its own connection).
Outcome fire(ServerProcess& s, const std::vector<Api>& workers, std::int64_t session,
             const std::vector<Request>& requests, int threads) {
    Outcome out;
    std::mutex m;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            while (!go) std::this_thread::yield();
            for (std::size_t i = next++; i < requests.size(); i = next++) {
                const Request& rq = requests[i];
                Reply r = book(workers[rq.worker], session, rq.beneficiary, rq.places, rq.join_waitlist);
                std::lock_guard lock(m);
                ++out.by_status[r.status];
                if (r.status == 201) out.confirmed_ids.insert(r.json_body()["id"].get<std::int64_t>());
                else if (r.status == 202) out.waitlisted_ids.insert(r.json_body()["id"].get<std::int64_t>());
                else if (r.status != 409) {
                    ++out.other;
                    out.errors.insert(std::to_string(r.status) + " " + r.body.substr(0, 120));
                }
            }
        });
    go = true;
    for (auto& t : pool) t.join();
    (void)s;
    return out;
}

struct Held {
    int confirmed_places = 0;
    int confirmed = 0;
    int waitlisted = 0;
};

Held held_of(const Api& admin, std::int64_t session) {
    Held h;
    std::string cursor;
    do {
        Reply r = admin.get("/api/v1/bookings?limit=500&session_id=" + std::to_string(session) +
                            (cursor.empty() ? "" : "&cursor=" + cursor));
        for (const auto& b : r.items()) {
            if (b["status"] == "confirmed") {
                h.confirmed_places += b["places"].get<int>();
                ++h.confirmed;
            }
            if (b["status"] == "waitlisted") ++h.waitlisted;
        }
        cursor = r.json_body()["next_cursor"].is_null() ? "" : r.json_body()["next_cursor"].get<std::string>();
    } while (!cursor.empty());
    return h;
}

struct Scenario {
    std::vector<Api> workers;
    std::vector<std::vector<std::int64_t>> beneficiaries;  // per worker
    std::int64_t session = 0;
    int capacity = 0;
};

Scenario prepare(ServerProcess& s, int capacity, int beneficiaries_per_structure) {
    Scenario sc;
    sc.capacity = capacity;
    for (const char* email : kStructureWorkers) sc.workers.push_back(logged_in(email, s));
    sc.beneficiaries.resize(sc.workers.size());
    for (std::size_t w = 0; w < sc.workers.size(); ++w)
        for (int i = 0; i < beneficiaries_per_structure; ++i)
            sc.beneficiaries[w].push_back(new_beneficiary(sc.workers[w]));
    sc.session = fresh_session(s, {{"capacity", capacity}, {"max_per_booking", 2}});
    return sc;
}

}  // namespace

TEST(Concurrency, HundredsOfParallelBookingsNeverOverbook) {
    ServerProcess s({.extra_args = {"--login-rate", "100000", "--threads", "16"}});
    Scenario sc = prepare(s, 5, 15);
    std::vector<Request> requests;
    for (int round = 0; round < 3; ++round)
        for (std::size_t w = 0; w < sc.workers.size(); ++w)
            for (std::size_t b = 0; b < sc.beneficiaries[w].size(); ++b)
                requests.push_back({w, sc.beneficiaries[w][b], 1 + static_cast<int>((b + round) % 2), (b % 3) == 0});
    ASSERT_GE(requests.size(), 300u);

    Outcome out = fire(s, sc.workers, sc.session, requests, 32);
    EXPECT_EQ(out.other, 0) << "only 201, 202 and 409; got " << *out.errors.begin();
    for (auto [status, n] : out.by_status) EXPECT_TRUE(status == 201 || status == 202 || status == 409) << status;
    EXPECT_GE(out.by_status[201], 3) << "some got places";
    EXPECT_GE(out.by_status[409], 200) << "most were refused";

    Api admin = logged_in(kAdmin, s);
    const Held h = held_of(admin, sc.session);
    EXPECT_LE(h.confirmed_places, sc.capacity);
    EXPECT_EQ(h.confirmed, out.by_status[201]);
    EXPECT_EQ(h.waitlisted, out.by_status[202]);
    Reply detail = admin.get("/api/v1/sessions/" + std::to_string(sc.session));
    EXPECT_EQ(detail["places_held"], h.confirmed_places);
    EXPECT_EQ(admin.get("/api/v1/admin/consistency")["ok"], true);

    // The audit log tells the same story: one booking.create entry per 201 and per 202.
    std::set<std::int64_t> audited_confirmed, audited_waitlisted;
    std::string cursor;
    do {
        Reply r = admin.get("/api/v1/audit?entity=booking&action=booking.create&limit=500" +
                            (cursor.empty() ? "" : "&cursor=" + cursor));
        ASSERT_EQ(r.status, 200);
        for (const auto& e : r.items()) {
            if (e["after"]["session_id"] != sc.session) continue;
            if (e["after"]["status"] == "confirmed") {
                audited_confirmed.insert(e["entity_id"].get<std::int64_t>());
                EXPECT_LE(e["after"]["places_held_before"].get<int>() + e["after"]["places"].get<int>(), sc.capacity);
            }
            if (e["after"]["status"] == "waitlisted") audited_waitlisted.insert(e["entity_id"].get<std::int64_t>());
        }
        cursor = r.json_body()["next_cursor"].is_null() ? "" : r.json_body()["next_cursor"].get<std::string>();
    } while (!cursor.empty());
    EXPECT_EQ(audited_confirmed, out.confirmed_ids);
    EXPECT_EQ(audited_waitlisted, out.waitlisted_ids);
    EXPECT_EQ(metric(admin, "uneplace_overbooking_prevented_total"), 0) << "the lock did the work, not the trigger";
    EXPECT_TRUE(s.running());
}

namespace {
// One race run: 40 requests of 1 place on 5 places, with a sleep between reading and writing.
struct RaceResult {
    int held = 0;
    int capacity = 0;
    double trigger_hits = 0;
    bool consistent = true;
    Outcome out;
};
RaceResult race(std::vector<std::string> env) {
    env.push_back("UNEPLACE_TEST_RACE_SLEEP_MS=40");
    ServerProcess s({.extra_args = {"--login-rate", "100000", "--threads", "16"}, .env = env});
    // Fair share lifted for this session's territory so that only R3 (capacity) is at stake.
    Api admin = logged_in(kAdmin, s);
    admin.request("PUT", "/api/v1/settings/75", json{{"share_percent", 100}}.dump());
    Scenario sc = prepare(s, 5, 6);
    std::vector<Request> requests;
    for (std::size_t w = 0; w < sc.workers.size(); ++w)
        for (auto b : sc.beneficiaries[w]) requests.push_back({w, b, 1, false});
    RaceResult res;
    res.out = fire(s, sc.workers, sc.session, requests, 16);
    res.capacity = sc.capacity;
    res.held = held_of(admin, sc.session).confirmed_places;
    res.trigger_hits = metric(admin, "uneplace_overbooking_prevented_total");
    res.consistent = admin.get("/api/v1/admin/consistency")["ok"] == true;
    return res;
}
}  // namespace

TEST(RaceHarness, WithTheLockAndNoTriggerCapacityHolds) {
    // The lock alone: even with the database's last line removed and a 40 ms window, nobody
    // reads a stale count, so nothing is overbooked and every refusal is the rule's.
    RaceResult r = race({"UNEPLACE_TEST_NO_TRIGGER=1"});
    EXPECT_EQ(r.held, r.capacity);
    EXPECT_TRUE(r.consistent);
    EXPECT_EQ(r.out.other, 0);
}

TEST(RaceHarness, ControlWithoutTheLockOverbooks) {
    // Control: the same window without the lock (decide on what was read before locking) and
    // without the trigger overbooks — the race is real, and the lock is what prevents it.
    RaceResult r = race({"UNEPLACE_TEST_NO_TRIGGER=1", "UNEPLACE_TEST_UNLOCKED=1"});
    EXPECT_GT(r.held, r.capacity) << "the control must show the race";
    EXPECT_FALSE(r.consistent);
}

TEST(RaceHarness, WithoutTheLockTheTriggerIsTheLastLine) {
    RaceResult r = race({"UNEPLACE_TEST_UNLOCKED=1"});
    EXPECT_LE(r.held, r.capacity);
    EXPECT_GT(r.trigger_hits, 0) << "the trigger caught what the unlocked decision let through";
    EXPECT_TRUE(r.consistent);
    for (auto [status, n] : r.out.by_status) EXPECT_TRUE(status == 201 || status == 409) << status;
}
