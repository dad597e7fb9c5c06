// The ticketing-network feed (API.md "Ticketing-network feed", issue 15) against the real server:
// API keys (shown once, hashed at rest, scopes, revocation, rate), upserts by ext_id (versions,
// Idempotency-Key, moderation, capacity below held, cancellation with bookings), the NDJSON batch,
// and the change feed read page by page while bookings are made through the normal API.
#include <gtest/gtest.h>
#include <sodium.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "harness.hpp"

namespace {

using namespace uneplace::test;

// One server for the file: every test makes its own objects (its own ext_ids and keys).
ServerProcess& feed_server() {
    static ServerProcess s;
    return s;
}

// A new API key of the demo partner with `scopes`; returns the creation answer.
Reply make_key(const Api& partner, json scopes, const std::string& name = "Réseau de test") {
    return partner.post("/api/v1/api-keys", {{"name", name}, {"scopes", std::move(scopes)}});
}

// An Api speaking with an API key.
Api key_api(ServerProcess& s, const std::string& key) {
    Api a(s);
    a.token = key;
    return a;
}

Api feed_writer(ServerProcess& s = feed_server()) {
    Reply k = make_key(logged_in(kPartner, s), {"feed:write", "feed:read"});
    if (k.status != 201) throw std::runtime_error("key: " + k.body);
    return key_api(s, k["key"]);
}

Reply put(const Api& api, const std::string& kind, const std::string& ext_id, const json& body) {
    return api.request("PUT", "/api/v1/feed/" + kind + "/" + ext_id, body.dump());
}

json venue_body(std::int64_t version, const std::string& name = "Théâtre du Réseau") {
    return {{"name", name},      {"address", "12 rue des Lilas"},           {"postal_code", "75011"},
            {"territory", "75"}, {"accessibility", {{"wheelchair", true}}}, {"source_version", version}};
}

json offer_body(const std::string& venue_ext, std::int64_t version, const std::string& category = "theatre") {
    return {{"venue_ext_id", venue_ext},
            {"title", "Le Misanthrope"},
            {"description", "Poussé par le réseau."},
            {"category", category},
            {"min_age", 12},
            {"pickup_mode", "guest_list"},
            {"source_version", version}};
}

json session_body(const std::string& offer_ext, std::int64_t version, json extra = json::object()) {
    json b = {
        {"offer_ext_id", offer_ext}, {"start_local", local_start(10)}, {"duration_min", 120},      {"capacity", 10},
        {"max_per_booking", 2},      {"allocation", "first_come"},     {"source_version", version}};
    for (auto& [k, v] : extra.items()) b[k] = v;
    return b;
}

// A venue, a published offer (approved by the admin) and a session, all pushed by `api` under
// ext_ids starting with `tag`. Returns the session's id.
std::int64_t pushed_session(const Api& api, const std::string& tag, json session_extra = json::object(),
                            ServerProcess& s = feed_server()) {
    Api admin = logged_in(kAdmin, s);
    if (put(api, "venues", tag + "-v", venue_body(1)).status != 201) throw std::runtime_error("venue");
    Reply o = put(api, "offers", tag + "-o", offer_body(tag + "-v", 1));
    if (o.status != 201) throw std::runtime_error("offer: " + o.body);
    Reply ok = admin.post("/api/v1/offers/" + std::to_string(o["id"].get<std::int64_t>()) + "/approve");
    if (ok.status != 200) throw std::runtime_error("approve: " + ok.body);
    Reply pushed = put(api, "sessions", tag + "-s", session_body(tag + "-o", 1, std::move(session_extra)));
    if (pushed.status != 201) throw std::runtime_error("session: " + pushed.body);
    return pushed["id"];
}

// Every event of the caller's organisation after `cursor`, page by page.
json read_feed(const Api& api, std::string& cursor, int limit, std::string* bodies = nullptr) {
    json all = json::array();
    for (;;) {
        Reply r = api.get("/api/v1/feed/changes?limit=" + std::to_string(limit) + "&cursor=" + cursor);
        EXPECT_EQ(r.status, 200) << r.body;
        if (r.status != 200) return all;
        if (bodies) *bodies += r.body;
        for (auto& e : r.items()) all.push_back(e);
        cursor = r["next_cursor"];
        if (!r["has_more"].get<bool>()) return all;
    }
}

//-----------------------------------------------------------------------------
// API keys
//-----------------------------------------------------------------------------

TEST(FeedApiKeys, ShownOnceListedWithPrefixAndHashedAtRest) {
    ServerProcess& s = feed_server();
    Api partner = logged_in(kPartner, s);
    Reply created = make_key(partner, {"feed:write"}, "Billetterie nationale");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string key = created["key"];
    ASSERT_EQ(key.rfind("upk_", 0), 0u);
    EXPECT_GE(key.size(), 4u + 43u);  // 256 bits in URL-safe base64
    EXPECT_EQ(created["prefix"], key.substr(0, 12));
    EXPECT_EQ(created["scopes"], json({"feed:write"}));

    // Listed with its prefix and never again with the key.
    Reply list = partner.get("/api/v1/api-keys");
    bool found = false;
    for (auto& k : list.items()) {
        EXPECT_FALSE(k.contains("key"));
        if (k["id"] == created["id"]) {
            found = true;
            EXPECT_EQ(k["prefix"], key.substr(0, 12));
            EXPECT_EQ(k["name"], "Billetterie nationale");
            EXPECT_TRUE(k["last_used_at"].is_null());
        }
    }
    EXPECT_TRUE(found);
    EXPECT_EQ(list.body.find(key), std::string::npos);

    // Used once: its last use is noted.
    Api network = key_api(s, key);
    ASSERT_EQ(put(network, "venues", "key-test-v", venue_body(1)).status, 201);
    for (auto& k : partner.get("/api/v1/api-keys").items())
        if (k["id"] == created["id"]) {
            EXPECT_FALSE(k["last_used_at"].is_null());
        }

    // At rest: BLAKE2b-256 of the key, and the key itself nowhere in the files.
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr,
                       0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    {
        SQLite::Database db(s.db_path(), SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT key_hash, prefix FROM api_keys WHERE id = ?");
        q.bind(1, created["id"].get<std::int64_t>());
        ASSERT_TRUE(q.executeStep());
        EXPECT_EQ(q.getColumn(0).getString(), hex);
        EXPECT_EQ(q.getColumn(1).getString(), key.substr(0, 12));
    }
    const std::string secret_part = key.substr(12);
    EXPECT_EQ(s.db_bytes().find(secret_part), std::string::npos);
}

TEST(FeedApiKeys, BadRequestsGetStableCodes) {
    Api partner = logged_in(kPartner, feed_server());
    EXPECT_EQ(make_key(partner, {"feed:everything"}).error_code(), "invalid_scope");
    EXPECT_EQ(make_key(partner, json::array()).error_code(), "required");
    EXPECT_EQ(make_key(partner, {"feed:read"}, "").error_code(), "required");
    // Social workers have no keys; an admin must name the organisation.
    EXPECT_EQ(make_key(logged_in(kWorker, feed_server()), {"feed:read"}).status, 403);
    EXPECT_EQ(make_key(logged_in(kAdmin, feed_server()), {"feed:read"}).error_code(), "required");
}

TEST(FeedApiKeys, AnAdministratorMakesOneForAPartnerOfItsTerritory) {
    ServerProcess& s = feed_server();
    Api admin = logged_in(kAdmin, s);
    const std::int64_t org = logged_in(kPartner, s).get("/api/v1/me")["organisation_id"];
    Reply made = admin.post("/api/v1/api-keys",
                            {{"name", "Posée par l’équipe"}, {"scopes", {"feed:write"}}, {"organisation_id", org}});
    ASSERT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(made["organisation_id"], org);
    // It acts for that organisation: its venue is the partner's.
    Reply v = put(key_api(s, made["key"]), "venues", "admin-made-v", venue_body(1));
    ASSERT_EQ(v.status, 201) << v.body;
    EXPECT_EQ(logged_in(kPartner, s).get("/api/v1/venues/" + std::to_string(v["id"].get<std::int64_t>())).status, 200);
    EXPECT_TRUE(lists(admin.get("/api/v1/api-keys?organisation_id=" + std::to_string(org)).items(), "id", made["id"]));
    // A structure is no partner: no key for it.
    const std::int64_t structure = logged_in(kWorker, s).get("/api/v1/me")["organisation_id"];
    EXPECT_EQ(admin.post("/api/v1/api-keys", {{"name", "x"}, {"scopes", {"feed:read"}}, {"organisation_id", structure}})
                  .status,
              404);
}

TEST(FeedApiKeys, ScopesOpenTheFeedAndNothingElse) {
    ServerProcess& s = feed_server();
    Api partner = logged_in(kPartner, s);
    Api reader = key_api(s, make_key(partner, {"feed:read"})["key"]);
    Api writer = key_api(s, make_key(partner, {"feed:write"})["key"]);

    EXPECT_EQ(put(reader, "venues", "scope-v", venue_body(1)).status, 403);
    EXPECT_EQ(reader.get("/api/v1/feed/changes").status, 200);
    EXPECT_EQ(put(writer, "venues", "scope-v", venue_body(1)).status, 201);
    EXPECT_EQ(writer.get("/api/v1/feed/changes").status, 403);
    EXPECT_EQ(writer.request("POST", "/api/v1/feed/batch", "").status, 200);
    // The browser's routes are not the key's: it carries the feed only.
    EXPECT_EQ(writer.get("/api/v1/venues").status, 403);
    EXPECT_EQ(reader.get("/api/v1/me").status, 403);
    EXPECT_EQ(writer.post("/api/v1/api-keys", {{"name", "x"}, {"scopes", {"feed:write"}}}).status, 403);
}

TEST(FeedApiKeys, RevokedKeyIsRefusedAtOnce) {
    ServerProcess& s = feed_server();
    Api partner = logged_in(kPartner, s);
    Reply k = make_key(partner, {"feed:write", "feed:read"});
    Api network = key_api(s, k["key"]);
    ASSERT_EQ(put(network, "venues", "revoke-v", venue_body(1)).status, 201);
    ASSERT_EQ(put(network, "venues", "revoke-v", venue_body(2, "Salle renommée")).status, 200);

    Reply revoked = partner.request("DELETE", "/api/v1/api-keys/" + std::to_string(k["id"].get<std::int64_t>()));
    ASSERT_EQ(revoked.status, 200) << revoked.body;
    EXPECT_FALSE(revoked["revoked_at"].is_null());

    Reply after = put(network, "venues", "revoke-v", venue_body(3, "Trop tard"));
    EXPECT_EQ(after.status, 401);
    EXPECT_EQ(after.error_code(), "unauthorized");
    EXPECT_EQ(network.get("/api/v1/feed/changes").status, 401);
    // Another organisation's partner cannot see or revoke it.
    Api other = logged_in(kOtherPartner, s);
    EXPECT_EQ(other.request("DELETE", "/api/v1/api-keys/" + std::to_string(k["id"].get<std::int64_t>())).status, 404);
}

TEST(FeedApiKeys, SixHundredRequestsAMinuteThen429) {
    ServerProcess& s = feed_server();
    Api network = feed_writer(s);
    int first_refused = 0;
    Reply refused;
    // The bucket refills at 10 a second while we send: the 429 comes a little after the 600th.
    for (int i = 1; i <= 3000 && first_refused == 0; ++i) {
        Reply r = network.get("/api/v1/feed/changes?limit=1");
        if (r.status == 429) {
            first_refused = i;
            refused = r;
        } else {
            ASSERT_EQ(r.status, 200) << r.body;
        }
    }
    ASSERT_GT(first_refused, 600);
    EXPECT_EQ(refused.error_code(), "rate_limited");
    EXPECT_FALSE(refused.header("Retry-After").empty());
    // Another key of the same organisation has its own bucket.
    EXPECT_EQ(feed_writer(s).get("/api/v1/feed/changes?limit=1").status, 200);
}

//-----------------------------------------------------------------------------
// Upserts
//-----------------------------------------------------------------------------

TEST(FeedUpserts, SourceVersionOrdersWrites) {
    ServerProcess& s = feed_server();
    Api network = feed_writer(s);
    Api partner = logged_in(kPartner, s);
    Reply created = put(network, "venues", "order-v", venue_body(5, "Version cinq"));
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created["applied"], true);
    const std::string path = "/api/v1/venues/" + std::to_string(created["id"].get<std::int64_t>());

    for (std::int64_t old : {5, 4, 0}) {
        Reply stale = put(network, "venues", "order-v", venue_body(old, "Ancienne version"));
        EXPECT_EQ(stale.status, 200);
        EXPECT_EQ(stale["applied"], false);
        EXPECT_EQ(stale["id"], created["id"]);
    }
    EXPECT_EQ(partner.get(path)["name"], "Version cinq");

    Reply newer = put(network, "venues", "order-v", venue_body(6, "Version six"));
    EXPECT_EQ(newer.status, 200);
    EXPECT_EQ(newer["applied"], true);
    EXPECT_EQ(partner.get(path)["name"], "Version six");

    // Bad ext_ids and versions: stable codes, nothing created.
    EXPECT_EQ(put(network, "venues", "espace%20vide", venue_body(1)).error_code(), "invalid_ext_id");
    EXPECT_EQ(put(network, "venues", std::string(65, 'a'), venue_body(1)).error_code(), "invalid_ext_id");
    EXPECT_EQ(put(network, "venues", "neg-v", venue_body(-1)).error_code(), "invalid_source_version");
    json no_version = venue_body(1);
    no_version.erase("source_version");
    EXPECT_EQ(put(network, "venues", "neg-v", no_version).error_code(), "required");
    EXPECT_EQ(put(network, "offers", "orphan-o", offer_body("no-such-venue", 1)).status, 404);
}

TEST(FeedUpserts, IdempotencyKeyReplaysAndRefusesAnotherBody) {
    ServerProcess& s = feed_server();
    Api network = feed_writer(s);
    network.extra.emplace("Idempotency-Key", "replay-" + unique_suffix());
    Reply first = put(network, "venues", "idem-v", venue_body(1, "Première"));
    ASSERT_EQ(first.status, 201) << first.body;
    Reply again = put(network, "venues", "idem-v", venue_body(1, "Première"));
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.header("Idempotent-Replayed"), "true");

    Reply other = put(network, "venues", "idem-v", venue_body(2, "Autre corps"));
    EXPECT_EQ(other.status, 422);
    EXPECT_EQ(other.error_code(), "idempotency_key_reused");

    // Applied once: one venue, one creation in the audit log, the first name kept.
    SQLite::Database db(s.db_path(), SQLite::OPEN_READONLY);
    SQLite::Statement n(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'venue.create' AND entity_id = ?");
    n.bind(1, first["id"].get<std::int64_t>());
    ASSERT_TRUE(n.executeStep());
    EXPECT_EQ(n.getColumn(0).getInt(), 1);
    SQLite::Statement v(db, "SELECT name FROM venues WHERE id = ?");
    v.bind(1, first["id"].get<std::int64_t>());
    ASSERT_TRUE(v.executeStep());
    EXPECT_EQ(v.getColumn(0).getString(), "Première");
}

TEST(FeedUpserts, OffersAreModeratedLikeAnyOffer) {
    ServerProcess& s = feed_server();
    Api network = feed_writer(s);
    Api partner = logged_in(kPartner, s);
    Api admin = logged_in(kAdmin, s);
    ASSERT_EQ(put(network, "venues", "mod-v", venue_body(1)).status, 201);
    Reply o = put(network, "offers", "mod-o", offer_body("mod-v", 1));
    ASSERT_EQ(o.status, 201) << o.body;
    const std::string path = "/api/v1/offers/" + std::to_string(o["id"].get<std::int64_t>());
    EXPECT_EQ(partner.get(path)["status"], "pending");
    ASSERT_EQ(admin.post(path + "/approve").status, 200);

    // A new title keeps it published (audited); a new category sends it back to moderation.
    json retitled = offer_body("mod-v", 2);
    retitled["title"] = "Le Misanthrope, reprise";
    ASSERT_EQ(put(network, "offers", "mod-o", retitled).status, 200);
    EXPECT_EQ(partner.get(path)["status"], "published");
    EXPECT_EQ(partner.get(path)["title"], "Le Misanthrope, reprise");
    ASSERT_EQ(put(network, "offers", "mod-o", offer_body("mod-v", 3, "comedy")).status, 200);
    EXPECT_EQ(partner.get(path)["status"], "pending");

    SQLite::Database db(s.db_path(), SQLite::OPEN_READONLY);
    SQLite::Statement n(db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'offer' AND entity_id = ?");
    n.bind(1, o["id"].get<std::int64_t>());
    ASSERT_TRUE(n.executeStep());
    EXPECT_EQ(n.getColumn(0).getInt(), 5);  // create, submit, approve, two edits
}

TEST(FeedUpserts, CapacityNeverBelowHeldAndCancellationGoesThroughTheBrowsersPath) {
    ServerProcess& s = feed_server();
    Api network = feed_writer(s);
    Api worker = logged_in(kWorker, s);
    const std::int64_t sid = pushed_session(network, "cancel");
    std::string cursor;
    read_feed(network, cursor, 500);  // start after what the other tests made

    // One booking of 2 places from each of two structures (R4 lets a structure hold 3 of 10).
    Api other_worker = logged_in(kOtherWorker, s);
    std::vector<std::int64_t> booked;
    for (const Api* w : {&worker, &other_worker}) {
        Reply b = book(*w, sid, new_beneficiary(*w), 2);
        ASSERT_EQ(b.status, 201) << b.body;
        booked.push_back(b["id"]);
    }

    Reply low = put(network, "sessions", "cancel-s", session_body("cancel-o", 2, {{"capacity", 3}}));
    EXPECT_EQ(low.status, 409);
    EXPECT_EQ(low.error_code(), "capacity_below_held");
    EXPECT_EQ(worker.get("/api/v1/sessions/" + std::to_string(sid))["capacity"], 10);
    Reply raised = put(network, "sessions", "cancel-s", session_body("cancel-o", 3, {{"capacity", 12}}));
    EXPECT_EQ(raised.status, 200) << raised.body;
    EXPECT_EQ(worker.get("/api/v1/sessions/" + std::to_string(sid))["capacity"], 12);
    // A new date once people booked that evening: refused, cancel and push another session.
    Reply moved = put(network, "sessions", "cancel-s",
                      session_body("cancel-o", 4, {{"capacity", 12}, {"start_local", local_start(11)}}));
    EXPECT_EQ(moved.error_code(), "session_has_bookings");

    Reply cancelled =
        put(network, "sessions", "cancel-s", session_body("cancel-o", 5, {{"capacity", 12}, {"status", "cancelled"}}));
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(cancelled["affected_booking_ids"], json(booked));

    for (std::size_t i = 0; i < booked.size(); ++i) {
        const Api& w = i == 0 ? worker : other_worker;
        const auto id = booked[i];
        EXPECT_EQ(w.get("/api/v1/bookings/" + std::to_string(id))["status"], "cancelled");
        bool told = false;
        for (auto& n : w.get("/api/v1/notifications?limit=500").items())
            told = told || (n["kind"] == "session_cancelled" && n["booking_id"] == id);
        EXPECT_TRUE(told) << "booking " << id;
    }
    json events = read_feed(network, cursor, 500);
    std::vector<std::string> types;
    std::set<std::int64_t> cancelled_ids;
    for (auto& e : events) {
        if (e["data"]["session_id"] != sid) continue;
        types.push_back(e["type"]);
        if (e["type"] == "booking.cancelled") cancelled_ids.insert(e["data"]["booking_id"].get<std::int64_t>());
        EXPECT_EQ(e["data"]["session_ext_id"], "cancel-s");
    }
    EXPECT_EQ(types, (std::vector<std::string>{"booking.created", "booking.created", "session.cancelled",
                                               "booking.cancelled", "booking.cancelled"}));
    EXPECT_EQ(cancelled_ids, std::set<std::int64_t>(booked.begin(), booked.end()));
    // The audit log has the browser's cancellation entries.
    SQLite::Database db(s.db_path(), SQLite::OPEN_READONLY);
    SQLite::Statement n(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.cancel' AND entity_id = ?");
    n.bind(1, sid);
    ASSERT_TRUE(n.executeStep());
    EXPECT_EQ(n.getColumn(0).getInt(), 1);
    // Cancelled stays cancelled.
    EXPECT_EQ(put(network, "sessions", "cancel-s", session_body("cancel-o", 6)).error_code(), "invalid_transition");
}

TEST(FeedUpserts, ANewDateIsTakenWhileNobodyHasBooked) {
    ServerProcess& s = feed_server();
    Api network = feed_writer(s);
    Api partner = logged_in(kPartner, s);
    const std::int64_t sid = pushed_session(network, "move");
    const std::string path = "/api/v1/sessions/" + std::to_string(sid);
    const json before = partner.get(path).json_body();
    Reply moved = put(network, "sessions", "move-s",
                      session_body("move-o", 2, {{"start_local", local_start(12, 18, 30)}, {"duration_min", 90}}));
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(moved["applied"], true);
    const json after = partner.get(path).json_body();
    EXPECT_EQ(instant(after["start"]) - instant(before["start"]), 2 * 86400 - 90 * 60);
    EXPECT_EQ(after["duration_min"], 90);
    // Validated as a new session: a start in the past is refused with the shared code.
    EXPECT_EQ(
        put(network, "sessions", "move-s", session_body("move-o", 3, {{"start_local", local_start(-1)}})).error_code(),
        "start_too_soon");
    SQLite::Database db(s.db_path(), SQLite::OPEN_READONLY);
    SQLite::Statement n(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.reschedule' AND entity_id = ?");
    n.bind(1, sid);
    ASSERT_TRUE(n.executeStep());
    EXPECT_EQ(n.getColumn(0).getInt(), 1);
}

//-----------------------------------------------------------------------------
// The batch
//-----------------------------------------------------------------------------

std::string batch_line(const std::string& kind, const std::string& ext_id, json data, std::int64_t version = 1) {
    return json{{"op", "put"},
                {"kind", kind},
                {"ext_id", ext_id},
                {"data", std::move(data)},
                {"source_version", version}}
               .dump() +
           "\n";
}

json session_data(const std::string& offer_ext, int i) {
    json d = session_body(offer_ext, 1, {{"start_local", local_start(5 + i / 40, 10 + (i % 10), (i / 10 % 4) * 15)}});
    d.erase("source_version");
    return d;
}

std::vector<json> ndjson(const std::string& body) {
    std::vector<json> out;
    std::size_t pos = 0;
    while (pos < body.size()) {
        auto nl = body.find('\n', pos);
        if (nl == std::string::npos) nl = body.size();
        if (nl > pos) out.push_back(json::parse(body.substr(pos, nl - pos)));
        pos = nl + 1;
    }
    return out;
}

TEST(FeedBatch, AThousandLinesEachAnsweredBadOnesWithTheirError) {
    ServerProcess& s = feed_server();
    Api network = feed_writer(s);
    const std::string tag = "batch" + unique_suffix();
    json venue = venue_body(1);
    venue.erase("source_version");
    json offer = offer_body(tag + "-v", 1);
    offer.erase("source_version");
    std::string body = batch_line("venue", tag + "-v", venue) + batch_line("offer", tag + "-o", offer);
    std::map<int, std::string> bad;  // line → expected code
    for (int line = 3; line <= 1000; ++line) {
        if (line == 10) body += "{pas du json\n", bad[line] = "bad_json";
        else if (line == 20)
            body += batch_line("session", "espace interdite", session_data(tag + "-o", line)),
                bad[line] = "invalid_ext_id";
        else if (line == 30)
            body += batch_line("ticket", tag + "-x", session_data(tag + "-o", line)), bad[line] = "validation";
        else if (line == 40) {
            json d = session_data(tag + "-o", line);
            d["capacity"] = 0;
            body += batch_line("session", tag + "-s" + std::to_string(line), d), bad[line] = "capacity_out_of_range";
        } else if (line == 50)
            body += batch_line("session", tag + "-s50", session_data("no-such-offer", line)), bad[line] = "not_found";
        else body += batch_line("session", tag + "-s" + std::to_string(line), session_data(tag + "-o", line));
    }
    Reply r = network.request("POST", "/api/v1/feed/batch", body, "application/x-ndjson");
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
    EXPECT_EQ(r.header("Content-Type").rfind("application/x-ndjson", 0), 0u);
    const auto answers = ndjson(r.body);
    ASSERT_EQ(answers.size(), 1000u);
    int created = 0;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        const json& a = answers[i];
        const int line = static_cast<int>(i + 1);
        EXPECT_EQ(a["line"], line);
        if (bad.count(line)) {
            EXPECT_EQ(a["error"]["code"], bad[line]) << a.dump();
            EXPECT_GE(a["status"].get<int>(), 400);
            EXPECT_FALSE(a["error"]["message"].get<std::string>().empty());
        } else {
            EXPECT_EQ(a["status"], 201) << a.dump();
            created += a["status"] == 201;
        }
    }
    EXPECT_EQ(created, 995);
    // Applied: the good sessions exist under the offer; the bad ones do not.
    SQLite::Database db(s.db_path(), SQLite::OPEN_READONLY);
    SQLite::Statement n(db, "SELECT COUNT(*) FROM feed_objects WHERE kind = 'session' AND ext_id LIKE ?");
    n.bind(1, tag + "-s%");
    ASSERT_TRUE(n.executeStep());
    EXPECT_EQ(n.getColumn(0).getInt(), 993);

    // More than 1,000 lines: refused whole.
    std::string big;
    for (int i = 0; i < 1001; ++i) big += "{}\n";
    Reply too_big = network.request("POST", "/api/v1/feed/batch", big, "application/x-ndjson");
    EXPECT_EQ(too_big.status, 413);
    EXPECT_EQ(too_big.error_code(), "batch_too_large");
}

// Figures, not assertions: sessions pushed per second, by batch and one request at a time.
TEST(FeedBatch, MeasureSessionsPushedPerSecond) {
    ServerProcess& s = feed_server();
    Api network = feed_writer(s);
    const std::string tag = "speed" + unique_suffix();
    ASSERT_EQ(put(network, "venues", tag + "-v", venue_body(1)).status, 201);
    ASSERT_EQ(put(network, "offers", tag + "-o", offer_body(tag + "-v", 1)).status, 201);
    constexpr int kN = 400;
    using clock = std::chrono::steady_clock;

    auto t0 = clock::now();
    for (int i = 0; i < kN; ++i) {
        json d = session_data(tag + "-o", i);
        d["source_version"] = 1;
        ASSERT_EQ(put(network, "sessions", tag + "-one" + std::to_string(i), d).status, 201);
    }
    const double one_s = std::chrono::duration<double>(clock::now() - t0).count();

    std::string body;
    for (int i = 0; i < kN; ++i)
        body += batch_line("session", tag + "-b" + std::to_string(i), session_data(tag + "-o", i));
    t0 = clock::now();
    Reply r = network.request("POST", "/api/v1/feed/batch", body, "application/x-ndjson");
    const double batch_s = std::chrono::duration<double>(clock::now() - t0).count();
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(ndjson(r.body).size(), static_cast<std::size_t>(kN));
    std::printf("[feed] %d sessions: one request each %.0f sessions/s (%.2f s), one batch %.0f sessions/s (%.2f s)\n",
                kN, kN / one_s, one_s, kN / batch_s, batch_s);
}

//-----------------------------------------------------------------------------
// The change feed
//-----------------------------------------------------------------------------

TEST(FeedChanges, PagesSeeEveryBookingOnceWithTheGuestInP2FormOnly) {
    ServerProcess& s = feed_server();
    Api network = feed_writer(s);
    Api worker = logged_in(kWorker, s);
    const std::int64_t sid = pushed_session(network, "paging", {{"capacity", 100}});
    std::string cursor;
    read_feed(network, cursor, 500);  // what came before this test

    std::set<std::int64_t> booked;
    std::map<std::int64_t, json> codes;  // booking → its code, as the social worker got it
    std::vector<std::string> last_names;
    std::map<std::int64_t, std::int64_t> seen;  // booking → times seen as created
    std::string bodies;
    std::int64_t last_seq = 0;
    auto take = [&](const json& events) {
        for (auto& e : events) {
            EXPECT_GT(e["seq"].get<std::int64_t>(), last_seq);  // in order, no duplicate
            last_seq = e["seq"];
            if (e["type"] == "booking.created" && e["data"]["session_id"] == sid) {
                ++seen[e["data"]["booking_id"].get<std::int64_t>()];
                const std::string guest = e["data"]["guest"];
                // P2: a first name, a space, one letter and a dot.
                ASSERT_GE(guest.size(), 4u);
                EXPECT_EQ(guest.substr(guest.size() - 1), ".");
                EXPECT_EQ(guest[guest.size() - 3], ' ');
                EXPECT_EQ(e["data"]["code"], codes[e["data"]["booking_id"].get<std::int64_t>()]);
                EXPECT_EQ(e["data"]["places"], 1);
            }
        }
    };
    // Bookings made through the normal API between the pages of a small page size.
    for (int i = 0; i < 12; ++i) {
        const std::string last = "Kaddour" + unique_suffix();
        last_names.push_back(last);
        Reply b = book(worker, sid, new_beneficiary(worker, {{"first_name", "Amina"}, {"last_name", last}}), 1);
        ASSERT_EQ(b.status, 201) << b.body;
        booked.insert(b["id"].get<std::int64_t>());
        codes[b["id"].get<std::int64_t>()] = b["code"];
        if (i % 3 == 2) take(read_feed(network, cursor, 2, &bodies));
    }
    take(read_feed(network, cursor, 2, &bodies));
    EXPECT_EQ(seen.size(), booked.size());
    for (auto id : booked) EXPECT_EQ(seen[id], 1) << "booking " << id;
    for (const auto& last : last_names) EXPECT_EQ(bodies.find(last), std::string::npos) << last;
    EXPECT_NE(bodies.find("Amina K."), std::string::npos);

    // The same cursor read again gives the same page (stable); a bad cursor is 422.
    Reply again = network.get("/api/v1/feed/changes?limit=5&cursor=" + cursor);
    EXPECT_EQ(again.status, 200);
    EXPECT_TRUE(again["items"].empty());
    EXPECT_EQ(network.get("/api/v1/feed/changes?cursor=abc").error_code(), "validation");

    // A cancellation by the social worker, then a check-in, show up after it.
    const std::int64_t first = *booked.begin();
    ASSERT_EQ(worker.post("/api/v1/bookings/" + std::to_string(first) + "/cancel").status, 200);
    json later = read_feed(network, cursor, 50);
    ASSERT_FALSE(later.empty());
    EXPECT_EQ(later.back()["type"], "booking.cancelled");
    EXPECT_EQ(later.back()["data"]["booking_id"], first);
    // Another organisation's key reads none of it.
    Reply other_key = make_key(logged_in(kOtherPartner, s), {"feed:read"});
    ASSERT_EQ(other_key.status, 201);
    for (auto& e : key_api(s, other_key["key"]).get("/api/v1/feed/changes?limit=500").items())
        EXPECT_NE(e["data"]["session_id"], sid);
}

TEST(FeedChanges, SessionFullAndWaitlistServed) {
    ServerProcess& s = feed_server();
    Api network = feed_writer(s);
    Api worker = logged_in(kWorker, s);
    const std::int64_t sid = pushed_session(network, "full", {{"capacity", 2}, {"max_per_booking", 1}});
    std::string cursor;
    read_feed(network, cursor, 500);
    Reply a = book(worker, sid, new_beneficiary(worker), 1);
    ASSERT_EQ(a.status, 201) << a.body;
    Api other_worker = logged_in(kOtherWorker, s);  // R4: each structure holds 1 of the 2 places
    Reply b = book(other_worker, sid, new_beneficiary(other_worker), 1);
    ASSERT_EQ(b.status, 201) << b.body;
    Reply w = book(worker, sid, new_beneficiary(worker), 1, true);
    ASSERT_EQ(w.status, 202) << w.body;
    ASSERT_EQ(worker.post("/api/v1/bookings/" + std::to_string(a["id"].get<std::int64_t>()) + "/cancel").status, 200);
    std::vector<std::string> types;
    for (auto& e : read_feed(network, cursor, 500))
        if (e["data"]["session_id"] == sid) types.push_back(e["type"]);
    EXPECT_EQ(types, (std::vector<std::string>{"booking.created", "booking.created", "session.full",
                                               "booking.cancelled", "waitlist.served", "session.full"}));
}

//-----------------------------------------------------------------------------
// The session report
//-----------------------------------------------------------------------------

// Its own server: the test moves the clock past closing time and the start.
TEST(FeedReport, FiguresMatchTheGuestListAndTheBookings) {
    ServerProcess s;
    Api network = feed_writer(s);
    Api worker = logged_in(kWorker, s);
    Api other_worker = logged_in(kOtherWorker, s);
    Api partner = logged_in(kPartner, s);
    const std::int64_t sid = pushed_session(network, "report", {{"start_local", local_start(3)}}, s);
    const std::string S = std::to_string(sid);
    std::string cursor;
    read_feed(network, cursor, 500);

    Reply came = book(worker, sid, new_beneficiary(worker), 2);
    Reply absent = book(other_worker, sid, new_beneficiary(other_worker), 1);
    Reply late = book(worker, sid, new_beneficiary(worker), 1);
    ASSERT_EQ(came.status, 201) << came.body;
    ASSERT_EQ(absent.status, 201) << absent.body;
    ASSERT_EQ(late.status, 201) << late.body;
    const json session = partner.get("/api/v1/sessions/" + S).json_body();
    advance_to(s, instant(session["closes_at"]) + 3600);
    ASSERT_EQ(worker.post("/api/v1/bookings/" + std::to_string(late["id"].get<std::int64_t>()) + "/cancel")["status"],
              "late_cancelled");
    advance_to(s, instant(session["start"]) + 3600);
    ASSERT_EQ(
        partner.post("/api/v1/sessions/" + S + "/checkin", {{"booking_id", came["id"]}, {"attended_count", 2}}).status,
        200);
    ASSERT_EQ(
        partner.post("/api/v1/sessions/" + S + "/checkin", {{"booking_id", absent["id"]}, {"no_show", true}}).status,
        200);

    Reply report = network.get("/api/v1/feed/sessions/report-s/report");
    ASSERT_EQ(report.status, 200) << report.body;
    // Against the guest list (places held, people who came, absences) and the bookings.
    int places = 0, attended = 0, no_shows = 0;
    for (auto& g : partner.get("/api/v1/sessions/" + S + "/guest-list").items()) {
        places += g["places"].get<int>();
        if (g["status"] == "attended") attended += g["attended_count"].get<int>();
        if (g["status"] == "no_show") ++no_shows;
    }
    int late_cancelled = 0;
    for (auto& b : worker.get("/api/v1/bookings?session_id=" + S).items())
        late_cancelled += b["status"] == "late_cancelled";
    EXPECT_EQ(report["donated"], 10);
    EXPECT_EQ(report["booked"], places);
    EXPECT_EQ(report["attended"], attended);
    EXPECT_EQ(report["no_show"], no_shows);
    EXPECT_EQ(report["cancelled_late"], late_cancelled);
    EXPECT_EQ(places, 3);
    EXPECT_EQ(attended, 2);
    EXPECT_EQ(no_shows, 1);
    EXPECT_EQ(late_cancelled, 1);
    // The check-ins are in the feed too.
    std::vector<std::string> types;
    for (auto& e : read_feed(network, cursor, 500)) types.push_back(e["type"]);
    EXPECT_EQ(types, (std::vector<std::string>{"booking.created", "booking.created", "booking.created",
                                               "booking.cancelled", "booking.checked_in", "booking.no_show"}));
    EXPECT_EQ(network.get("/api/v1/feed/sessions/never-pushed/report").status, 404);
}

}  // namespace
