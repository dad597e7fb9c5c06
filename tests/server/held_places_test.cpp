// The places held kept on the session row (migration 4, issue 11 item 6): after a mix of every
// path that changes what a booking holds — bookings in parallel, cancellation, waitlist promotion,
// capacity changes, a ballot draw, a session cancelled, check-in and no-show — the counter the
// server keeps equals the sum over the bookings, for every session, read from the database file
// the real server wrote. And the migration backfills the counter of a database that had none.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <thread>

#include "harness.hpp"

using namespace uneplace::test;

namespace {

struct Counters {
    std::int64_t kept = 0;    // sessions.places_held
    std::int64_t summed = 0;  // SUM(places) of the bookings that hold places
};

// Per session, read from the file with a connection of our own (the server has stopped).
std::map<std::int64_t, Counters> counters_in_file(const std::string& db_path) {
    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    SQLite::Statement q(
        db, "SELECT s.id, s.places_held, (SELECT COALESCE(SUM(b.places), 0) FROM bookings b WHERE b.session_id = s.id"
            " AND b.status IN ('confirmed', 'attended', 'no_show')) FROM sessions s");
    std::map<std::int64_t, Counters> out;
    while (q.executeStep()) out[q.getColumn(0).getInt64()] = {q.getColumn(1).getInt64(), q.getColumn(2).getInt64()};
    return out;
}

int held_in_session(const Api& api, std::int64_t session) {
    return api.get("/api/v1/sessions/" + std::to_string(session))["places_held"].get<int>();
}

}  // namespace

TEST(HeldPlaces, KeptCounterEqualsTheBookingsAfterEveryPath) {
    ServerProcess s({.extra_args = {"--login-rate", "100000", "--threads", "16"}});
    Api admin = logged_in(kAdmin, s);
    Api partner = logged_in(kPartner, s);
    Api worker = logged_in(kWorker, s);
    Api other = logged_in(kOtherWorker, s);
    // Fair share lifted in Paris, so that the places, not R4, decide below.
    ASSERT_EQ(admin.request("PUT", "/api/v1/settings/75", json{{"share_percent", 100}}.dump()).status, 200);
    const auto offer = published_offer(partner, admin);
    auto session = [&](json body) { return new_session(partner, offer, body)["session_id"].get<std::int64_t>(); };

    const std::int64_t draw_at = server_now(s) + 3 * 86400;
    const auto ballot =
        session({{"capacity", 3}, {"allocation", "ballot"}, {"draw_at", uneplace::format_utc(draw_at)}});
    const auto first_come = session({{"capacity", 4}});
    const auto burst = session({{"capacity", 6}, {"start_local", local_start(12)}});
    const auto cancelled = session({{"capacity", 3}, {"start_local", local_start(14)}});
    const auto checked = session({{"capacity", 5}, {"start_local", local_start(5)}});

    // Ballot: five requests, three places.
    for (int i = 0; i < 5; ++i) {
        Api& w = i % 2 ? other : worker;
        ASSERT_EQ(book(w, ballot, new_beneficiary(w)).status, 202);
    }
    // Parallel bookings on 6 places: 24 requests of 1 or 2 places from 8 threads.
    {
        std::vector<std::int64_t> people;
        for (int i = 0; i < 24; ++i) people.push_back(new_beneficiary(i % 2 ? other : worker));
        std::atomic<int> next{0}, answered{0};
        std::vector<std::thread> pool;
        for (int t = 0; t < 8; ++t)
            pool.emplace_back([&] {
                for (int i = next++; i < 24; i = next++) {
                    const Reply r = book(i % 2 ? other : worker, burst, people[i], 1 + i % 2, i % 3 == 0);
                    if (r.status == 201 || r.status == 202 || r.status == 409) ++answered;
                }
            });
        for (auto& t : pool) t.join();
        EXPECT_EQ(answered, 24);
    }
    EXPECT_EQ(held_in_session(admin, burst), 6) << "6 places, 24 requests: full";

    // First come: 2 + 2 held, two waiting; a cancellation promotes the first waiting (W2), a
    // capacity raise serves the next, a withdrawn request holds nothing, capacity lowered to what is held.
    const Reply b1 = book(worker, first_come, new_beneficiary(worker), 2);
    ASSERT_EQ(b1.status, 201) << b1.body;
    ASSERT_EQ(book(other, first_come, new_beneficiary(other), 2).status, 201);
    const Reply w1 = book(other, first_come, new_beneficiary(other), 2, true);
    ASSERT_EQ(w1.status, 202) << w1.body;
    const Reply w2 = book(worker, first_come, new_beneficiary(worker), 1, true);
    ASSERT_EQ(w2.status, 202) << w2.body;
    const Reply w3 = book(worker, first_come, new_beneficiary(worker), 1, true);
    ASSERT_EQ(w3.status, 202) << w3.body;
    ASSERT_EQ(worker.post("/api/v1/bookings/" + std::to_string(w3["id"].get<int>()) + "/cancel")["status"],
              "withdrawn");
    ASSERT_EQ(worker.post("/api/v1/bookings/" + std::to_string(b1["id"].get<int>()) + "/cancel")["status"],
              "cancelled");
    EXPECT_EQ(other.get("/api/v1/bookings/" + std::to_string(w1["id"].get<int>()))["status"], "confirmed");
    const std::string fc_path = "/api/v1/sessions/" + std::to_string(first_come);
    ASSERT_EQ(partner.patch(fc_path, {{"capacity", 5}}).status, 200);
    EXPECT_EQ(worker.get("/api/v1/bookings/" + std::to_string(w2["id"].get<int>()))["status"], "confirmed");
    EXPECT_EQ(partner.patch(fc_path, {{"capacity", 4}}).error_code(), "capacity_below_held");
    EXPECT_EQ(held_in_session(admin, first_come), 5);

    // A session cancelled by its partner: every booking ends, nothing held.
    ASSERT_EQ(book(worker, cancelled, new_beneficiary(worker), 2).status, 201);
    ASSERT_EQ(held_in_session(admin, cancelled), 2);
    ASSERT_EQ(partner.post("/api/v1/sessions/" + std::to_string(cancelled) + "/cancel").status, 200);
    EXPECT_EQ(held_in_session(admin, cancelled), 0);

    // To be checked in: two bookings of 2 places.
    const Reply c1 = book(worker, checked, new_beneficiary(worker), 2);
    const Reply c2 = book(other, checked, new_beneficiary(other), 2);
    ASSERT_EQ(c1.status, 201);
    ASSERT_EQ(c2.status, 201);

    // The draw (B1–B2): three winners hold a place, the others wait.
    advance_to(s, draw_at + 60);
    EXPECT_GE(run_scheduler(s)["draws"].get<int>(), 1);
    EXPECT_EQ(held_in_session(admin, ballot), 3);

    // Check-in after the start: one came with 1 of its 2 places, the other did not come. Both still
    // hold their places (attended and no_show count, as R3 says).
    const json detail = partner.get("/api/v1/sessions/" + std::to_string(checked)).json_body();
    advance_to(s, instant(detail["start"]) + 3600);
    const std::string checkin = "/api/v1/sessions/" + std::to_string(checked) + "/checkin";
    ASSERT_EQ(partner.post(checkin, {{"code", c1["code"]}, {"attended_count", 1}}).status, 200);
    ASSERT_EQ(partner.post(checkin, {{"booking_id", c2["id"]}, {"no_show", true}}).status, 200);
    EXPECT_EQ(held_in_session(admin, checked), 4);

    EXPECT_EQ(admin.get("/api/v1/admin/consistency")["ok"], true);
    ASSERT_EQ(s.stop(), 0);

    // The file: for every session (the demo's too) the kept counter is the sum over its bookings.
    const auto counters = counters_in_file(s.db_path());
    int sessions_holding = 0;
    for (const auto& [id, c] : counters) {
        EXPECT_EQ(c.kept, c.summed) << "session " << id;
        if (c.summed > 0) ++sessions_holding;
    }
    EXPECT_GE(sessions_holding, 4);
    EXPECT_EQ(counters.at(burst).kept, 6);
    EXPECT_EQ(counters.at(first_come).kept, 5);
    EXPECT_EQ(counters.at(cancelled).kept, 0);
    EXPECT_EQ(counters.at(ballot).kept, 3);
    EXPECT_EQ(counters.at(checked).kept, 4);
}

TEST(HeldPlaces, MigrationBackfillsTheCounterOfAnExistingDatabase) {
    TempDir dir;
    const std::string db_path = (dir.path() / "uneplace.db").string();
    std::int64_t session = 0;
    {
        ServerProcess s({.db_path = db_path});
        Api worker = logged_in(kWorker, s);
        session = fresh_session(s, {{"capacity", 6}});
        ASSERT_EQ(book(worker, session, new_beneficiary(worker), 2).status, 201);
        ASSERT_EQ(s.stop(), 0);
    }
    // Back to schema 3, as a database written before migration 4: no counter, the counting
    // triggers gone, and the counters of today forgotten on the way (migration 5's keys and
    // migration 6's ticket keys, migration 7's outbox, migration 8's feed and migration 9's booking territory go too).
    {
        SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER bookings_territory_insert");  // migration 9: the booking's territory
        db.exec("DROP INDEX bookings_by_territory");
        db.exec("ALTER TABLE bookings DROP COLUMN territory");
        for (const char* t : {"feed_booking_inserted", "feed_booking_changed", "feed_session_cancelled"})
            db.exec(std::string("DROP TRIGGER ") + t);
        for (const char* t : {"feed_events", "feed_objects", "api_keys"}) db.exec(std::string("DROP TABLE ") + t);
        // Migration 11: the webhooks of the feed.
        for (const char* t : {"webhook_deliveries", "webhooks", "webhook_keys"})
            db.exec(std::string("DROP TABLE ") + t);
        for (const char* t :
             {"sessions_listing_keys_insert", "offers_listing_keys_update", "venues_listing_keys_update"})
            db.exec(std::string("DROP TRIGGER ") + t);
        for (const char* i : {"sessions_listed", "sessions_listed_by_territory", "sessions_listed_by_category",
                              "sessions_listed_by_territory_category"})
            db.exec(std::string("DROP INDEX ") + i);
        for (const char* c : {"territory", "category", "offer_published"})
            db.exec(std::string("ALTER TABLE sessions DROP COLUMN ") + c);
        db.exec("UPDATE sessions SET places_held = 0");
        for (const char* t :
             {"bookings_hold_insert", "bookings_hold_update", "bookings_hold_delete", "bookings_no_overbooking_insert",
              "bookings_no_overbooking_update", "sessions_capacity_not_below_held"})
            db.exec(std::string("DROP TRIGGER ") + t);
        db.exec("ALTER TABLE sessions DROP COLUMN places_held");
        db.exec("DROP TABLE ticket_keys");
        db.exec("DROP TABLE outbox");  // migration 7: the e-mail outbox and mail preferences
        db.exec("ALTER TABLE users DROP COLUMN mail_reminders");
        db.exec("ALTER TABLE users DROP COLUMN mail_feedback_requests");
        db.exec("ALTER TABLE beneficiaries DROP COLUMN children_birth_years");  // migration 10
        // migration 12: securing accounts
        for (const char* t : {"recovery_codes", "password_resets"}) db.exec(std::string("DROP TABLE ") + t);
        for (const char* c : {"totp_secret", "totp_enabled_at", "totp_last_step"})
            db.exec(std::string("ALTER TABLE users DROP COLUMN ") + c);
        for (const char* c : {"user_agent", "last_seen_at"})
            db.exec(std::string("ALTER TABLE auth_sessions DROP COLUMN ") + c);
        db.exec("DELETE FROM schema_migrations WHERE version >= 4");
        db.exec("PRAGMA user_version = 3");
    }
    ServerProcess s({.demo = false, .db_path = db_path});
    Api admin = logged_in(kAdmin, s);
    EXPECT_EQ(held_in_session(admin, session), 2);
    EXPECT_EQ(admin.get("/api/v1/admin/consistency")["ok"], true);
    // The last line of R3 is back, on the counter.
    Api other = logged_in(kOtherWorker, s);  // another structure: its fair share is untouched
    const Reply more = book(other, session, new_beneficiary(other), 2);
    ASSERT_EQ(more.status, 201) << more.body;
    EXPECT_EQ(held_in_session(admin, session), 4);
    ASSERT_EQ(s.stop(), 0);
    const auto counters = counters_in_file(db_path);
    int sessions_holding = 0;
    for (const auto& [id, c] : counters) {
        EXPECT_EQ(c.kept, c.summed) << "session " << id;
        if (c.summed > 0) ++sessions_holding;
    }
    EXPECT_GE(sessions_holding, 2) << "the demo's bookings and ours";
    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN"
                            " ('bookings_no_overbooking_insert', 'bookings_no_overbooking_update',"
                            " 'sessions_capacity_not_below_held', 'bookings_hold_insert')")
                  .getInt(),
              4);
}

//-----------------------------------------------------------------------------
// The catalogue's keys kept on the session row (migration 5)
//-----------------------------------------------------------------------------

namespace {

// Sessions whose kept keys differ from what the joins say, read from the file the server wrote.
std::vector<std::string> listing_key_mismatches(const std::string& db_path) {
    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT s.id, s.territory, v.territory, s.category, o.category, s.offer_published, o.status"
                            " FROM sessions s JOIN offers o ON o.id = s.offer_id JOIN venues v ON v.id = o.venue_id"
                            " WHERE s.territory <> v.territory OR s.category <> o.category"
                            " OR s.offer_published <> (o.status = 'published')");
    std::vector<std::string> out;
    while (q.executeStep())
        out.push_back("session " + q.getColumn(0).getString() + ": " + q.getColumn(1).getString() + "/" +
                      q.getColumn(2).getString() + " " + q.getColumn(3).getString() + "/" + q.getColumn(4).getString() +
                      " " + q.getColumn(5).getString() + "/" + q.getColumn(6).getString());
    return out;
}

bool listed(const Api& worker, const std::string& query, std::int64_t session) {
    const Reply r = worker.get("/api/v1/catalogue?limit=500&" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& it : r.items())
        if (it["session_id"].get<std::int64_t>() == session) return true;
    return false;
}

}  // namespace

// A venue moved to another département, an offer archived, and the demo's whole catalogue: the
// département, category and "published" copied onto each session row always equal the joined
// truth, and the catalogue lists a session where its venue and offer now say it is.
TEST(CatalogueKeys, KeptOnTheSessionRowFollowVenuesAndOffers) {
    ServerProcess s;
    Api admin = logged_in(kAdmin, s);
    Api partner = logged_in(kPartner, s);
    Api worker = logged_in(kWorker, s);
    Reply venue = partner.post("/api/v1/venues", {{"name", "Salle Victor-Hugo"},
                                                  {"address", "3 rue Victor-Hugo"},
                                                  {"postal_code", "75011"},
                                                  {"territory", "75"},
                                                  {"city", "Paris"}});
    ASSERT_EQ(venue.status, 201) << venue.body;
    const auto offer = published_offer(partner, admin, {{"venue_id", venue["id"]}, {"category", "opera"}});
    const std::int64_t session = new_session(partner, offer)["session_id"].get<std::int64_t>();
    EXPECT_TRUE(listed(worker, "territory=75&category=opera", session));
    EXPECT_FALSE(listed(worker, "territory=13", session));

    // The venue moves to Marseille (by the administrator: it has a published offer): its sessions
    // still to come follow it in the catalogue.
    Reply moved = admin.request("PATCH", "/api/v1/venues/" + std::to_string(venue["id"].get<std::int64_t>()),
                                json{{"postal_code", "13001"}, {"territory", "13"}, {"city", "Marseille"}}.dump());
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_TRUE(listed(worker, "territory=13&category=opera", session));
    EXPECT_FALSE(listed(worker, "territory=75", session));

    // The offer archived: none of its sessions is listed any more, with or without filters.
    ASSERT_EQ(partner.post("/api/v1/offers/" + std::to_string(offer) + "/archive").status, 200);
    EXPECT_FALSE(listed(worker, "territory=13", session));
    EXPECT_FALSE(listed(worker, "category=opera", session));
    EXPECT_FALSE(listed(worker, "", session));

    ASSERT_EQ(s.stop(), 0);
    const auto wrong = listing_key_mismatches(s.db_path());
    EXPECT_TRUE(wrong.empty()) << wrong.size() << " sessions, first: " << (wrong.empty() ? "" : wrong[0]);
    SQLite::Database db(s.db_path(), SQLite::OPEN_READONLY);
    EXPECT_GT(db.execAndGet("SELECT COUNT(*) FROM sessions WHERE offer_published = 1").getInt(), 10)
        << "the demo's published sessions carry their keys too";
}
