// Exact answers from servers of their own, for the rules and routes that had no server test (issue
// 19): impact figures and CSV rows of known bookings, the catalogue's dates and what it leaves out,
// the bookings list by status, session changes out of range, territory settings changing R4, R7
// and R8, the waitlist's order (W2), denied accesses logged and logins expiring (P3), and the audit
// log that cannot be rewritten. Each test starts its own server: what it counts is only its own.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <set>

#include "harness.hpp"

using namespace uneplace::test;

namespace {

std::string id_path(const char* prefix, const json& id) { return prefix + std::to_string(id.get<std::int64_t>()); }

std::set<std::int64_t> ids_of(const json& items, const char* key = "id") {
    std::set<std::int64_t> out;
    for (const auto& it : items) out.insert(it[key].get<std::int64_t>());
    return out;
}

// The CSV's lines without the BOM and the CRLF, split into cells at `;` (shared/csv.hpp's dialect; no
// quoted separators in these rows).
std::vector<std::vector<std::string>> csv_rows(std::string body) {
    if (body.rfind("\xEF\xBB\xBF", 0) == 0) body.erase(0, 3);
    std::vector<std::vector<std::string>> rows;
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t end = body.find("\r\n", start);
        if (end == std::string::npos) end = body.size();
        std::vector<std::string> cells;
        std::size_t c = start;
        for (;;) {
            const std::size_t comma = body.find(';', c);
            if (comma == std::string::npos || comma >= end) {
                cells.push_back(body.substr(c, end - c));
                break;
            }
            cells.push_back(body.substr(c, comma - c));
            c = comma + 1;
        }
        rows.push_back(cells);
        start = end + 2;
    }
    return rows;
}

}  // namespace

//-----------------------------------------------------------------------------
// Impact figures and the export: exact values of known bookings
//-----------------------------------------------------------------------------

TEST(Stats, ExactFiguresAndCsvRowsOfKnownBookings) {
    ServerProcess s;
    Api partner = logged_in(kPartner, s);
    Api worker = logged_in(kWorker, s);
    Api admin = logged_in(kAdmin, s);
    const auto offer = published_offer(partner, admin, {{"venue_id", lozere_venue(partner)}, {"category", "concert"}});
    const json session = new_session(partner, offer, {{"capacity", 10}, {"max_per_booking", 2}});
    const std::int64_t start = instant(session["start"]);
    const auto sid = session["session_id"];
    // One structure books 4 of the 10 places: above R4's 25 % share, so Lozère's share is raised to 50 %.
    ASSERT_EQ(admin.request("PUT", "/api/v1/settings/48", json{{"share_percent", 50}}.dump()).status, 200);
    Reply a = book(worker, sid, new_beneficiary(worker), 2);
    Reply b = book(worker, sid, new_beneficiary(worker), 1);
    Reply c = book(worker, sid, new_beneficiary(worker), 1);
    ASSERT_EQ(a.status, 201) << a.body;
    ASSERT_EQ(b.status, 201) << b.body;
    ASSERT_EQ(c.status, 201) << c.body;
    ASSERT_EQ(worker.post(id_path("/api/v1/bookings/", c["id"]) + "/cancel").status, 200);  // free: not counted
    // The evening: A came with 2 people, B did not come; A's feedback rates it 4.
    advance_to(s, start + 3600);
    const std::string checkin = id_path("/api/v1/sessions/", sid) + "/checkin";
    ASSERT_EQ(partner.post(checkin, {{"code", a["code"]}, {"attended_count", 2}}).status, 200);
    ASSERT_EQ(partner.post(checkin, {{"code", b["code"]}, {"no_show", true}}).status, 200);
    ASSERT_EQ(worker.post(id_path("/api/v1/bookings/", a["id"]) + "/feedback", {{"went", "yes"}, {"rating", 4}}).status,
              200);

    Reply stats = admin.get("/api/v1/stats?territory=48");
    ASSERT_EQ(stats.status, 200) << stats.body;
    ASSERT_EQ(stats.items().size(), 1u);
    const json f = stats.items()[0];
    const json expected = {{"places_donated", 10},  {"places_booked", 3},      {"people_attended", 2},
                           {"usage_permille", 200}, {"bookings", 2},           {"unique_beneficiaries", 2},
                           {"first_timers", 2},     {"late_cancellations", 0}, {"attended_bookings", 1},
                           {"no_show_bookings", 1}, {"no_show_permille", 500}, {"waitlist_served", 0},
                           {"ratings_count", 1},    {"average_rating_x10", 40}};
    for (auto& [k, v] : expected.items()) EXPECT_EQ(f.value(k, json()), v) << k;
    // Grouped: one row for the territory and one for the category, with the same figures.
    Reply by_territory = admin.get("/api/v1/stats?group_by=territory&territory=48");
    ASSERT_EQ(by_territory.items().size(), 1u) << by_territory.body;
    EXPECT_EQ(by_territory.items()[0]["key"], "48");
    EXPECT_EQ(by_territory.items()[0]["people_attended"], 2);
    Reply by_category = admin.get("/api/v1/stats?group_by=category&territory=48");
    ASSERT_EQ(by_category.items().size(), 1u) << by_category.body;
    EXPECT_EQ(by_category.items()[0]["key"], "concert");
    EXPECT_EQ(by_category.items()[0]["places_booked"], 3);
    // The period filter: a period after the show counts nothing of it.
    Reply later = admin.get("/api/v1/stats?territory=48&from=" + uneplace::format_utc(start + 1));
    ASSERT_EQ(later.items().size(), 1u) << later.body;
    EXPECT_EQ(later.items()[0]["places_donated"], 0);
    EXPECT_EQ(later.items()[0]["bookings"], 0);

    // The export: the header and exactly the three bookings of the session, in booking order.
    Reply csv = admin.get("/api/v1/exports/bookings.csv?territory=48");
    ASSERT_EQ(csv.status, 200) << csv.body;
    const auto rows = csv_rows(csv.body);
    ASSERT_EQ(rows.size(), 4u) << csv.body;
    EXPECT_EQ(rows[0][0], "Réservation");
    EXPECT_EQ(rows[0][13], "Référence bénéficiaire");
    using uneplace::BookingStatus;
    const std::vector<std::tuple<const Reply*, BookingStatus, const char*>> want = {
        {&a, BookingStatus::Attended, "2"}, {&b, BookingStatus::NoShow, "1"}, {&c, BookingStatus::Cancelled, "1"}};
    for (std::size_t i = 0; i < want.size(); ++i) {
        const auto& [reply, status, places] = want[i];
        const auto& row = rows[i + 1];
        ASSERT_EQ(row.size(), 16u) << i;
        EXPECT_EQ(row[0], std::to_string((*reply)["id"].get<std::int64_t>())) << i;
        EXPECT_EQ(row[1], (*reply)["code"].get<std::string>()) << i;
        EXPECT_EQ(row[2], uneplace::label_fr(status)) << i;
        EXPECT_EQ(row[3], places) << i;
        EXPECT_EQ(row[6], "48") << i;
        EXPECT_EQ(row[7], "Offre de test") << i;
        EXPECT_EQ(row[8], uneplace::label_fr(uneplace::Category::Concert)) << i;
    }
    EXPECT_EQ(rows[1][4], "2") << "attended_count";
    EXPECT_EQ(csv.body.find("Test"), std::string::npos) << "P2: no last name of the test beneficiaries";
    // Its filters: a period after the show leaves the header alone; another territory has none of them.
    Reply after = admin.get("/api/v1/exports/bookings.csv?territory=48&from=" + uneplace::format_utc(start + 1));
    EXPECT_EQ(csv_rows(after.body).size(), 1u) << after.body;
    Reply paris = admin.get("/api/v1/exports/bookings.csv?territory=75");
    ASSERT_EQ(paris.status, 200);
    EXPECT_EQ(paris.body.find(a["code"].get<std::string>()), std::string::npos);
}

//-----------------------------------------------------------------------------
// The catalogue: from/to, and sessions cancelled, closed or of an archived offer left out
//-----------------------------------------------------------------------------

TEST(Catalogue, FromToAndWhatItLeavesOut) {
    ServerProcess s;
    Api partner = logged_in(kPartner, s);
    Api admin = logged_in(kAdmin, s);
    Api worker = logged_in(kWorker, s);
    const json title = {{"title", "Séance témoin du catalogue"}};
    const auto offer = published_offer(partner, admin, title);
    auto at = [&](int days, json extra = json::object()) {
        json body = {{"start_local", local_start(days)}};
        for (auto& [k, v] : extra.items()) body[k] = v;
        return new_session(partner, offer, body);
    };
    const json d5 = at(5), d10 = at(10), d20 = at(20);
    const json cancelled = at(6);
    ASSERT_EQ(partner.post(id_path("/api/v1/sessions/", cancelled["session_id"]) + "/cancel").status, 200);
    const json closing = at(7, {{"closes_at", utc_in(2 * 3600)}});
    const auto archived_offer = published_offer(partner, admin, title);
    const json of_archived = new_session(partner, archived_offer, {{"start_local", local_start(8)}});
    ASSERT_EQ(partner.post(id_path("/api/v1/offers/", json(archived_offer)) + "/archive").status, 200);

    const std::string q = "/api/v1/catalogue?limit=500&q=t%C3%A9moin";
    auto listed = [&](const std::string& extra) { return ids_of(worker.get(q + extra).items(), "session_id"); };
    const std::int64_t s5 = d5["session_id"], s10 = d10["session_id"], s20 = d20["session_id"];
    EXPECT_EQ(listed(""), (std::set<std::int64_t>{s5, s10, s20, closing["session_id"].get<std::int64_t>()}))
        << "cancelled and archived are left out";
    advance_clock(s, 3 * 3600);  // the closing session is now closed
    EXPECT_EQ(listed(""), (std::set<std::int64_t>{s5, s10, s20})) << "closed is left out";
    const std::string start10 = d10["start"];
    EXPECT_EQ(listed("&from=" + start10), (std::set<std::int64_t>{s10, s20})) << "from is inclusive";
    EXPECT_EQ(listed("&to=" + start10), (std::set<std::int64_t>{s5})) << "to is exclusive";
    EXPECT_EQ(listed("&from=" + d5["start"].get<std::string>() + "&to=" + d20["start"].get<std::string>()),
              (std::set<std::int64_t>{s5, s10}));
    (void)of_archived;
}

//-----------------------------------------------------------------------------
// GET /bookings?status=
//-----------------------------------------------------------------------------

TEST(Bookings, ListedByStatus) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    const auto sid = fresh_session(s);
    Reply kept = book(worker, sid, new_beneficiary(worker));
    Reply dropped = book(worker, sid, new_beneficiary(worker));
    ASSERT_EQ(kept.status, 201);
    ASSERT_EQ(dropped.status, 201);
    ASSERT_EQ(worker.post(id_path("/api/v1/bookings/", dropped["id"]) + "/cancel").status, 200);
    const auto confirmed = ids_of(worker.get("/api/v1/bookings?limit=500&status=confirmed").items());
    const auto cancelled = ids_of(worker.get("/api/v1/bookings?limit=500&status=cancelled").items());
    const std::int64_t kept_id = kept["id"], dropped_id = dropped["id"];
    EXPECT_TRUE(confirmed.count(kept_id));
    EXPECT_FALSE(confirmed.count(dropped_id));
    EXPECT_TRUE(cancelled.count(dropped_id));
    EXPECT_FALSE(cancelled.count(kept_id));
    for (const auto& b : worker.get("/api/v1/bookings?limit=500&status=cancelled").items())
        EXPECT_EQ(b["status"], "cancelled");
    EXPECT_EQ(worker.get("/api/v1/bookings?status=perdue").status, 422);
}

//-----------------------------------------------------------------------------
// PATCH /sessions out of range
//-----------------------------------------------------------------------------

TEST(Sessions, PatchOutOfRangeIsRefusedAndChangesNothing) {
    ServerProcess s;
    Api partner = logged_in(kPartner, s);
    const auto sid = fresh_session(s, {{"capacity", 10}, {"max_per_booking", 2}});
    const std::string path = "/api/v1/sessions/" + std::to_string(sid);
    EXPECT_EQ(partner.patch(path, {{"capacity", 10001}}).error_code(), "capacity_out_of_range");
    EXPECT_EQ(partner.patch(path, {{"capacity", 0}}).error_code(), "capacity_out_of_range");
    EXPECT_EQ(partner.patch(path, {{"max_per_booking", 11}}).error_code(), "max_per_booking_out_of_range");
    EXPECT_EQ(partner.patch(path, {{"capacity", "many"}}).status, 422);
    EXPECT_EQ(partner.patch(path, {{"places", 3}}).status, 422) << "unknown field";
    Reply now = partner.get(path);
    EXPECT_EQ(now["capacity"], 10);
    EXPECT_EQ(now["max_per_booking"], 2);
    Reply top = partner.patch(path, {{"capacity", 10000}});
    ASSERT_EQ(top.status, 200) << top.body;
    EXPECT_EQ(top["capacity"], 10000);
    EXPECT_EQ(top["places_left"], 10000);
}

//-----------------------------------------------------------------------------
// Territory settings change the rules R4, R7, R8
//-----------------------------------------------------------------------------

TEST(Settings, TerritorySettingsChangeR4R7AndR8) {
    ServerProcess s({.extra_args = {"--login-rate", "100000"}});
    Api admin = logged_in(kAdmin, s);
    Api worker = logged_in(kWorker, s);
    Api partner = logged_in(kPartner, s);
    auto put = [&](json body) {
        Reply r = admin.request("PUT", "/api/v1/settings/75", body.dump());
        ASSERT_EQ(r.status, 200) << r.body;
    };
    // R7: one upcoming booking at most.
    put({{"max_upcoming_bookings", 1}});
    const auto ben = new_beneficiary(worker);
    ASSERT_EQ(book(worker, fresh_session(s, {{"start_local", local_start(10)}}), ben).status, 201);
    EXPECT_EQ(book(worker, fresh_session(s, {{"start_local", local_start(12)}}), ben).error_code(),
              "too_many_upcoming");
    put({{"max_upcoming_bookings", 3}});
    EXPECT_EQ(book(worker, fresh_session(s, {{"start_local", local_start(14)}}), ben).status, 201);

    // R4: 20 places at 25 % is 5 places a structure; at 50 %, 10.
    const auto big = fresh_session(s, {{"capacity", 20}, {"max_per_booking", 1}});
    int held = 0;
    for (int i = 0; i < 6; ++i) held += book(worker, big, new_beneficiary(worker)).status == 201 ? 1 : 0;
    EXPECT_EQ(held, 5);
    put({{"share_percent", 50}});
    for (int i = 0; i < 6; ++i) held += book(worker, big, new_beneficiary(worker)).status == 201 ? 1 : 0;
    EXPECT_EQ(held, 10);

    // R8: with a limit of one no-show, a single no-show pauses the beneficiary.
    put({{"no_show_limit", 1}});
    const json evening = new_session(partner, published_offer(partner, admin), {{"start_local", local_start(3)}});
    const auto absent = new_beneficiary(worker);
    Reply booked = book(worker, evening["session_id"], absent);
    ASSERT_EQ(booked.status, 201);
    advance_to(s, instant(evening["start"]) + 3600);
    ASSERT_EQ(partner
                  .post(id_path("/api/v1/sessions/", evening["session_id"]) + "/checkin",
                        {{"code", booked["code"]}, {"no_show", true}})
                  .status,
              200);
    const std::int64_t offset = clock_offset(s);
    Reply paused = book(worker, fresh_session(s, {{"start_local", local_start(10, 20, 0, "75", offset)}}), absent);
    EXPECT_EQ(paused.error_code(), "beneficiary_paused") << paused.body;
    put({{"no_show_limit", 3}});
    EXPECT_EQ(book(worker, fresh_session(s, {{"start_local", local_start(11, 20, 0, "75", offset)}}), absent).status,
              201);
}

//-----------------------------------------------------------------------------
// W2 through the server: freed places go to the earliest entry that fits
//-----------------------------------------------------------------------------

TEST(Waitlist, ServedInOrderSkippingWhatDoesNotFit) {
    ServerProcess s({.extra_args = {"--login-rate", "100000"}});
    Api admin = logged_in(kAdmin, s);
    admin.request("PUT", "/api/v1/settings/75", json{{"share_percent", 100}}.dump());  // only R3 at stake
    Api worker = logged_in(kWorker, s);
    const auto sid = fresh_session(s, {{"capacity", 2}, {"max_per_booking", 2}});
    Reply holder = book(worker, sid, new_beneficiary(worker), 1);
    Reply other = book(worker, sid, new_beneficiary(worker), 1);
    ASSERT_EQ(holder.status, 201);
    ASSERT_EQ(other.status, 201);
    // Three entries in this order: a pair (does not fit one freed place), then two singles.
    Reply pair = book(worker, sid, new_beneficiary(worker), 2, true);
    Reply first = book(worker, sid, new_beneficiary(worker), 1, true);
    Reply second = book(worker, sid, new_beneficiary(worker), 1, true);
    ASSERT_EQ(pair.status, 202) << pair.body;
    ASSERT_EQ(first.status, 202);
    ASSERT_EQ(second.status, 202);
    ASSERT_EQ(worker.post(id_path("/api/v1/bookings/", holder["id"]) + "/cancel").status, 200);
    auto status_of = [&](const Reply& r) { return worker.get(id_path("/api/v1/bookings/", r["id"]))["status"]; };
    EXPECT_EQ(status_of(first), "confirmed") << "the earliest entry that fits";
    EXPECT_EQ(status_of(pair), "waitlisted") << "skipped, not blocking";
    EXPECT_EQ(status_of(second), "waitlisted");
}

//-----------------------------------------------------------------------------
// P3: denied accesses are logged; logins expire
//-----------------------------------------------------------------------------

TEST(Privacy, P3DeniedAccessIsLoggedAndLoginsExpire) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    EXPECT_EQ(worker.get("/api/v1/audit").status, 403);
    EXPECT_EQ(Api(s).get("/api/v1/me").status, 401);
    const std::string log = s.log();
    EXPECT_NE(log.find("access denied method=GET path=/api/v1/audit status=403"), std::string::npos) << log;
    EXPECT_NE(log.find("access denied method=GET path=/api/v1/me status=401"), std::string::npos) << log;
    // The harness gives logins 720 h (30 days); one hour more and the token is refused.
    EXPECT_EQ(worker.get("/api/v1/me").status, 200);
    advance_clock(s, 721 * 3600);
    EXPECT_EQ(worker.get("/api/v1/me").status, 401);
    EXPECT_EQ(logged_in(kWorker, s).get("/api/v1/me").status, 200) << "logging in again works";
}

//-----------------------------------------------------------------------------
// The audit log is append-only
//-----------------------------------------------------------------------------

TEST(Audit, AppendOnlyThroughTheApiAndInTheDatabase) {
    ServerProcess s;
    Api admin = logged_in(kAdmin, s);
    Reply log = admin.get("/api/v1/audit?limit=5");
    ASSERT_FALSE(log.items().empty());
    const std::int64_t id = log.items()[0]["id"];
    for (const char* method : {"PUT", "PATCH", "DELETE", "POST"}) {
        const int status = admin.request(method, "/api/v1/audit").status;
        EXPECT_TRUE(status == 404 || status == 405) << method << " " << status;
        const int one = admin.request(method, "/api/v1/audit/" + std::to_string(id)).status;
        EXPECT_TRUE(one == 404 || one == 405) << method << " " << one;
    }
    // Even with the database file in hand, rows cannot be changed or deleted (triggers).
    SQLite::Database db(s.db_path(), SQLite::OPEN_READWRITE);
    db.setBusyTimeout(5000);
    EXPECT_THROW(db.exec("UPDATE audit_log SET action = 'rewritten' WHERE id = " + std::to_string(id)),
                 SQLite::Exception);
    EXPECT_THROW(db.exec("DELETE FROM audit_log WHERE id = " + std::to_string(id)), SQLite::Exception);
    SQLite::Statement still(db, "SELECT action FROM audit_log WHERE id = ?");
    still.bind(1, id);
    ASSERT_TRUE(still.executeStep());
    EXPECT_EQ(still.getColumn(0).getString(), log.items()[0]["action"].get<std::string>());
}
