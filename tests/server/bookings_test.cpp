// The social-worker side through the API: beneficiaries, every booking rule (R1–R10), waitlist
// (W1–W3), ballot (B1–B3), cancellation (C1), feedback (F1), reminders, P1 erasure.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "uneplace/allocation.hpp"
#include "uneplace/codes.hpp"

using namespace uneplace::test;

namespace {
int this_year() { return uneplace::civil_from_unix(unix_now()).year; }
}  // namespace

TEST(Beneficiaries, CreateReadUpdateScoped) {
    Api worker = logged_in(kWorker);
    Reply r = worker.post("/api/v1/beneficiaries", {{"first_name", "  Awa "},
                                                    {"last_name", "Konaté"},
                                                    {"postal_code", "75019"},
                                                    {"household_size", 4},
                                                    {"phone", "06 12 34 56 78"},
                                                    {"birth_year", 1985},
                                                    {"preferred_language", "bambara"}});
    ASSERT_EQ(r.status, 201) << r.body;
    const int id = r["id"];
    EXPECT_EQ(r["first_name"], "Awa") << "trimmed by the shared validator";
    EXPECT_EQ(r["phone"], "+33612345678");
    EXPECT_TRUE(r["reference"].is_string());
    EXPECT_EQ(r["upcoming_bookings"], 0);
    EXPECT_TRUE(r["paused_until"].is_null());
    Reply p = worker.patch("/api/v1/beneficiaries/" + std::to_string(id), {{"household_size", 5}, {"phone", nullptr}});
    ASSERT_EQ(p.status, 200) << p.body;
    EXPECT_EQ(p["household_size"], 5);
    EXPECT_TRUE(p["phone"].is_null());
    EXPECT_EQ(p["last_name"], "Konaté");
    Reply found = worker.get("/api/v1/beneficiaries?q=Kona");
    ASSERT_EQ(found.status, 200);
    bool listed = false;
    for (const auto& b : found.items()) listed = listed || b["id"] == id;
    EXPECT_TRUE(listed);
    // Another structure's social worker: 404, never 403 (existence is not revealed).
    Api other = logged_in(kOtherWorker);
    EXPECT_EQ(other.get("/api/v1/beneficiaries/" + std::to_string(id)).status, 404);
    EXPECT_EQ(other.patch("/api/v1/beneficiaries/" + std::to_string(id), {{"household_size", 1}}).status, 404);
    const auto theirs = new_beneficiary(other);
    const json others = other.get("/api/v1/beneficiaries?limit=500").items();
    EXPECT_TRUE(lists(others, "id", theirs)) << "its own people are listed";
    EXPECT_FALSE(lists(others, "id", id)) << "not ours";
    EXPECT_EQ(logged_in(kPartner).get("/api/v1/beneficiaries").status, 403);
    EXPECT_EQ(logged_in(kAdmin).get("/api/v1/beneficiaries").status, 403);
}

TEST(Beneficiaries, ValidationCodes) {
    Api worker = logged_in(kWorker);
    auto code_of = [&](json over) {
        json b = {{"first_name", "Zoé"}, {"last_name", "Test"}, {"postal_code", "75011"}, {"household_size", 1}};
        for (auto& [k, v] : over.items()) b[k] = v;
        Reply r = worker.post("/api/v1/beneficiaries", b);
        EXPECT_EQ(r.status, 422) << r.body;
        return r.error_code();
    };
    EXPECT_EQ(code_of({{"postal_code", "98000"}}), "invalid_postal_code");
    EXPECT_EQ(code_of({{"household_size", 16}}), "household_size_out_of_range");
    EXPECT_EQ(code_of({{"phone", "12345"}}), "invalid_phone");
    EXPECT_EQ(code_of({{"birth_year", 1800}}), "birth_year_out_of_range");
    EXPECT_EQ(code_of({{"first_name", ""}}), "required");
    EXPECT_EQ(code_of({{"first_name", "A\u0007B"}}), "control_character");
    EXPECT_EQ(code_of({{"last_name", std::string(61, 'x')}}), "too_long");
    EXPECT_EQ(code_of({{"income", 900}}), "unknown_field") << "no income field on purpose";
}

TEST(BookingRules, R1PlacesOutOfRange) {
    Api worker = logged_in(kWorker);
    const auto sid = fresh_session(demo_server(), {{"max_per_booking", 2}});
    const auto ben = new_beneficiary(worker);
    for (int places : {0, 3, -1}) {
        Reply r = book(worker, sid, ben, places);
        EXPECT_EQ(r.status, 409) << places;
        EXPECT_EQ(r.error_code(), "places_out_of_range");
        EXPECT_EQ(r.json_body()["error"]["field"], "places");
    }
    Reply ok = book(worker, sid, ben, 2);
    EXPECT_EQ(ok.status, 201);
    EXPECT_EQ(ok["places"], 2);
    EXPECT_EQ(ok["status"], "confirmed");
    // K1 format: XXXX-XXXX with a valid check symbol.
    EXPECT_TRUE(uneplace::parse_booking_code(ok["code"].get<std::string>()).ok());
}

TEST(BookingRules, R2NotOpenYetAndClosed) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    const auto sid = fresh_session(s, {{"opens_at", utc_in(2 * 86400)}});
    const auto ben = new_beneficiary(worker);
    EXPECT_EQ(book(worker, sid, ben).error_code(), "booking_not_open");
    advance_clock(s, 3 * 86400);
    EXPECT_EQ(book(worker, sid, ben).status, 201);
    const auto closing = fresh_session(s, {{"start_local", local_start(4, 20, 0, "75", clock_offset(s))}});
    Reply info = worker.get("/api/v1/sessions/" + std::to_string(closing));
    advance_to(s, instant(info.json_body()["closes_at"]));
    Reply closed = book(worker, closing, new_beneficiary(worker));
    EXPECT_EQ(closed.status, 409);
    EXPECT_EQ(closed.error_code(), "booking_closed");
    EXPECT_EQ(closed.json_body()["error"]["may_join_waitlist"], false);
}

TEST(BookingRules, R3FullThenWaitlistServedOnCancellation) {
    Api worker = logged_in(kWorker);
    Api other = logged_in(kOtherWorker);
    const auto sid = fresh_session(demo_server(), {{"capacity", 2}});
    Reply first = book(worker, sid, new_beneficiary(worker), 2);
    ASSERT_EQ(first.status, 201);
    const auto waiting_ben = new_beneficiary(other);
    Reply full = book(other, sid, waiting_ben, 1);
    EXPECT_EQ(full.status, 409);
    EXPECT_EQ(full.error_code(), "session_full");
    EXPECT_EQ(full.json_body()["error"]["places_left"], 0);
    Reply w = book(other, sid, waiting_ben, 1, true);
    ASSERT_EQ(w.status, 202);
    EXPECT_EQ(w["status"], "waitlisted");
    EXPECT_TRUE(w["code"].is_null());
    // R5 counts open requests too.
    EXPECT_EQ(book(other, sid, waiting_ben, 1, true).error_code(), "already_booked");
    Reply c = worker.post("/api/v1/bookings/" + std::to_string(first["id"].get<int>()) + "/cancel");
    ASSERT_EQ(c.status, 200);
    EXPECT_EQ(c["status"], "cancelled");
    Reply served = other.get("/api/v1/bookings/" + std::to_string(w["id"].get<int>()));
    EXPECT_EQ(served["status"], "confirmed");
    EXPECT_EQ(served["origin"], "waitlist");
    bool notified = false;
    for (const auto& n : other.get("/api/v1/notifications?limit=500").items())
        notified = notified || (n["kind"] == "waitlist_promoted" && n["booking_id"] == w["id"]);
    EXPECT_TRUE(notified);
}

TEST(BookingRules, R4StructureShareThenOtherStructures) {
    Api worker = logged_in(kWorker);
    Api other = logged_in(kOtherWorker);
    // capacity 20, share 25 %: one structure holds at most max(2, 5) = 5 places before release_at.
    const auto sid = fresh_session(demo_server(), {{"capacity", 20}, {"max_per_booking", 2}});
    EXPECT_EQ(book(worker, sid, new_beneficiary(worker), 2).status, 201);
    EXPECT_EQ(book(worker, sid, new_beneficiary(worker), 2).status, 201);
    EXPECT_EQ(book(worker, sid, new_beneficiary(worker), 1).status, 201);
    Reply capped = book(worker, sid, new_beneficiary(worker), 1);
    EXPECT_EQ(capped.status, 409);
    EXPECT_EQ(capped.error_code(), "structure_share_exceeded");
    EXPECT_EQ(capped.json_body()["error"]["may_join_waitlist"], true);
    EXPECT_TRUE(capped.json_body()["error"]["release_at"].is_string());
    EXPECT_EQ(book(other, sid, new_beneficiary(other), 2).status, 201);
    Reply detail = worker.get("/api/v1/sessions/" + std::to_string(sid));
    EXPECT_EQ(detail["structure_places_held"], 5);
    EXPECT_EQ(detail["places_left"], 13);
}

TEST(BookingRules, R4CapLiftedAtReleaseServesTheWaitlist) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    const auto sid = fresh_session(s, {{"capacity", 4}, {"max_per_booking", 2}});  // cap max(2, 1) = 2
    EXPECT_EQ(book(worker, sid, new_beneficiary(worker), 2).status, 201);
    Reply w = book(worker, sid, new_beneficiary(worker), 2, true);
    ASSERT_EQ(w.status, 202) << w.body;
    Reply detail = worker.get("/api/v1/sessions/" + std::to_string(sid));
    advance_to(s, instant(detail.json_body()["release_at"]) + 60);
    EXPECT_GE(run_scheduler(s)["served"].get<int>(), 1);
    EXPECT_EQ(worker.get("/api/v1/bookings/" + std::to_string(w["id"].get<int>()))["status"], "confirmed");
}

TEST(BookingRules, R6OverlapAndR7TooManyUpcoming) {
    Api worker = logged_in(kWorker);
    Api partner = logged_in(kPartner);
    const auto offer = published_offer(partner, logged_in(kAdmin));
    const int a = new_session(partner, offer, {{"start_local", local_start(20, 20, 0)}})["session_id"];
    const int b = new_session(partner, offer, {{"start_local", local_start(20, 21, 0)}})["session_id"];
    const auto ben = new_beneficiary(worker);
    ASSERT_EQ(book(worker, a, ben).status, 201);
    EXPECT_EQ(book(worker, b, ben).error_code(), "overlapping_booking");
    const int c = new_session(partner, offer, {{"start_local", local_start(21)}})["session_id"];
    const int d = new_session(partner, offer, {{"start_local", local_start(22)}})["session_id"];
    const int e = new_session(partner, offer, {{"start_local", local_start(23)}})["session_id"];
    EXPECT_EQ(book(worker, c, ben).status, 201);
    EXPECT_EQ(book(worker, d, ben).status, 201);
    Reply r7 = book(worker, e, ben);
    EXPECT_EQ(r7.status, 409);
    EXPECT_EQ(r7.error_code(), "too_many_upcoming");
    EXPECT_EQ(worker.get("/api/v1/beneficiaries/" + std::to_string(ben))["upcoming_bookings"], 3);
}

TEST(BookingRules, R8PausedAfterThreeNoShowsUntilAnAdminLiftsIt) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    Api partner = logged_in(kPartner, s);
    Api admin = logged_in(kAdmin, s);
    const auto offer = published_offer(partner, admin);
    const auto ben = new_beneficiary(worker);
    std::vector<json> sessions;
    for (int day : {3, 4, 5}) sessions.push_back(new_session(partner, offer, {{"start_local", local_start(day)}}));
    std::vector<json> bookings;
    for (const auto& ss : sessions) {
        Reply r = book(worker, ss["session_id"], ben);
        ASSERT_EQ(r.status, 201) << r.body;
        bookings.push_back(r.json_body());
    }
    for (std::size_t i = 0; i < 3; ++i) {
        advance_to(s, instant(sessions[i]["start"]) + 3600);
        Reply ns = partner.post("/api/v1/sessions/" + std::to_string(sessions[i]["session_id"].get<int>()) + "/checkin",
                                {{"code", bookings[i]["code"]}, {"no_show", true}});
        ASSERT_EQ(ns.status, 200) << ns.body;
    }
    const int next =
        new_session(partner, offer, {{"start_local", local_start(10, 20, 0, "75", clock_offset(s))}})["session_id"];
    Reply paused = book(worker, next, ben);
    EXPECT_EQ(paused.status, 409);
    EXPECT_EQ(paused.error_code(), "beneficiary_paused");
    EXPECT_TRUE(paused.json_body()["error"]["paused_until"].is_string());
    EXPECT_TRUE(worker.get("/api/v1/beneficiaries/" + std::to_string(ben))["paused_until"].is_string());
    EXPECT_EQ(logged_in(kOtherWorker, s).post("/api/v1/beneficiaries/" + std::to_string(ben) + "/lift-pause").status,
              403);
    Reply lifted = admin.post("/api/v1/beneficiaries/" + std::to_string(ben) + "/lift-pause");
    ASSERT_EQ(lifted.status, 200) << lifted.body;
    EXPECT_TRUE(lifted["first_name"].is_null()) << "admins see the pseudonymous reference only";
    EXPECT_EQ(book(worker, next, ben).status, 201);
}

TEST(BookingRules, R9AgeRestricted) {
    Api worker = logged_in(kWorker);
    const auto sid = fresh_session(demo_server(), {}, {{"min_age", 12}});
    EXPECT_EQ(book(worker, sid, new_beneficiary(worker, {{"birth_year", this_year() - 6}})).error_code(),
              "age_restricted");
    EXPECT_EQ(book(worker, sid, new_beneficiary(worker, {{"birth_year", this_year() - 30}})).status, 201);
    EXPECT_EQ(book(worker, sid, new_beneficiary(worker)).status, 201) << "unknown birth year is not refused";
}

TEST(BookingRules, R10InactiveAccountsAndOtherStructures) {
    Api worker = logged_in(kWorker);
    Api other = logged_in(kOtherWorker);
    const auto sid = fresh_session(demo_server());
    // Another structure's beneficiary is invisible: 404 on its field.
    Reply foreign = book(other, sid, new_beneficiary(worker));
    EXPECT_EQ(foreign.status, 404);
    EXPECT_EQ(foreign.json_body()["error"]["field"], "beneficiary_id");
    EXPECT_EQ(book(worker, 99999999, new_beneficiary(worker)).status, 404);
    EXPECT_EQ(logged_in(kPartner)
                  .post("/api/v1/bookings", {{"session_id", sid}, {"beneficiary_id", 1}, {"places", 1}})
                  .status,
              403);
}

TEST(BookingRules, RefusalOrderPutsTheRequestBeforeScarcity) {
    Api worker = logged_in(kWorker);
    const auto sid = fresh_session(demo_server(), {{"capacity", 1}}, {{"min_age", 16}});
    ASSERT_EQ(book(worker, sid, new_beneficiary(worker), 1).status, 201);
    // Full AND too young AND too many places: R1 comes first, then R9, and only then R3.
    const auto young = new_beneficiary(worker, {{"birth_year", this_year() - 8}});
    EXPECT_EQ(book(worker, sid, young, 5).error_code(), "places_out_of_range");
    EXPECT_EQ(book(worker, sid, young, 1).error_code(), "age_restricted");
    Reply r = book(worker, sid, young, 1, true);
    EXPECT_EQ(r.status, 409) << "a request refused by another rule may not wait on the list";
}

TEST(Ballot, RequestsThenReproducibleDraw) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    Api other = logged_in(kOtherWorker, s);
    const std::int64_t draw_at = unix_now() + 3 * 86400;
    const auto sid =
        fresh_session(s, {{"capacity", 3}, {"allocation", "ballot"}, {"draw_at", uneplace::format_utc(draw_at)}});
    std::vector<int> ids;
    for (int i = 0; i < 4; ++i) {
        Api& w = i % 2 ? other : worker;
        Reply r = book(w, sid, new_beneficiary(w), 1);
        ASSERT_EQ(r.status, 202) << r.body;
        EXPECT_EQ(r["status"], "ballot_entered");
        ids.push_back(r["id"]);
    }
    EXPECT_EQ(worker.get("/api/v1/sessions/" + std::to_string(sid))["ballot_entries"], 4);
    EXPECT_EQ(worker.get("/api/v1/sessions/" + std::to_string(sid) + "/ballot").status, 404) << "not drawn yet";
    advance_to(s, draw_at + 60);
    EXPECT_GE(run_scheduler(s)["draws"].get<int>(), 1);  // ours (and any demo ballot due by then)
    EXPECT_EQ(run_scheduler(s)["draws"], 0) << "drawn once";

    Reply draw = worker.get("/api/v1/sessions/" + std::to_string(sid) + "/ballot");
    ASSERT_EQ(draw.status, 200) << draw.body;
    json d = draw.json_body();
    EXPECT_EQ(d["seed"].get<std::string>().size(), 16u);
    // B3: anyone re-running the shared draw with the recorded seed gets the same winners.
    const std::uint64_t seed = std::stoull(d["seed"].get<std::string>(), nullptr, 16);
    int won = 0, waiting = 0;
    for (const auto& line : d["lines"]) {
        const std::uint64_t key = std::stoull(line["key"].get<std::string>(), nullptr, 16);
        EXPECT_EQ(key, uneplace::ballot_key(seed, line["request_id"].get<std::int64_t>()));
        if (line["outcome"] == "won") ++won;
        else ++waiting;
    }
    EXPECT_EQ(won, 3);
    EXPECT_EQ(waiting, 1);
    // Winners hold confirmed bookings with codes; the loser waits on the list.
    int confirmed = 0, listed = 0;
    for (Api* w : {&worker, &other})
        for (const auto& b : w->get("/api/v1/bookings?session_id=" + std::to_string(sid)).items()) {
            if (b["status"] == "confirmed") {
                ++confirmed;
                EXPECT_EQ(b["origin"], "ballot");
                EXPECT_TRUE(b["code"].is_string());
            }
            if (b["status"] == "waitlisted") ++listed;
        }
    EXPECT_EQ(confirmed, 3);
    EXPECT_EQ(listed, 1);
    // After the draw, remaining requests are first come (and here the session is full).
    EXPECT_EQ(book(worker, sid, new_beneficiary(worker), 1).error_code(), "session_full");
}

TEST(Cancellation, FreeLateAndTooLate) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    Api partner = logged_in(kPartner, s);
    const auto offer = published_offer(partner, logged_in(kAdmin, s));
    const json session = new_session(partner, offer, {{"start_local", local_start(5)}});
    const int sid = session["session_id"];
    Reply a = book(worker, sid, new_beneficiary(worker));
    Reply b = book(worker, sid, new_beneficiary(worker));
    Reply c = book(worker, sid, new_beneficiary(worker));
    auto cancel = [&](const Reply& r) {
        return worker.post("/api/v1/bookings/" + std::to_string(r["id"].get<int>()) + "/cancel");
    };
    EXPECT_EQ(cancel(a)["status"], "cancelled");
    EXPECT_EQ(cancel(a).error_code(), "booking_not_active");
    advance_to(s, instant(session["closes_at"]) + 60);
    EXPECT_EQ(cancel(b)["status"], "late_cancelled");
    advance_to(s, instant(session["start"]) + 60);
    Reply too_late = cancel(c);
    EXPECT_EQ(too_late.status, 409);
    EXPECT_EQ(too_late.error_code(), "too_late_to_cancel");
    EXPECT_EQ(
        logged_in(kOtherWorker, s).post("/api/v1/bookings/" + std::to_string(c["id"].get<int>()) + "/cancel").status,
        404);
}

TEST(Waitlist, ExpiresAtClosingAndIsNotified) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    const auto sid = fresh_session(s, {{"capacity", 1}});
    ASSERT_EQ(book(worker, sid, new_beneficiary(worker)).status, 201);
    Reply w = book(worker, sid, new_beneficiary(worker), 1, true);
    ASSERT_EQ(w.status, 202);
    Reply withdrawn = book(worker, sid, new_beneficiary(worker), 1, true);
    EXPECT_EQ(worker.post("/api/v1/bookings/" + std::to_string(withdrawn["id"].get<int>()) + "/cancel")["status"],
              "withdrawn");
    Reply info = worker.get("/api/v1/sessions/" + std::to_string(sid));
    advance_to(s, instant(info.json_body()["closes_at"]) + 1);
    EXPECT_GE(run_scheduler(s)["expired_sessions"].get<int>(), 1);
    EXPECT_EQ(worker.get("/api/v1/bookings/" + std::to_string(w["id"].get<int>()))["status"], "expired");
    bool notified = false;
    for (const auto& n : worker.get("/api/v1/notifications?limit=500").items())
        notified = notified || (n["kind"] == "waitlist_expired" && n["booking_id"] == w["id"]);
    EXPECT_TRUE(notified);
}

TEST(Feedback, WindowAndFields) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    Api partner = logged_in(kPartner, s);
    const auto offer = published_offer(partner, logged_in(kAdmin, s));
    const json session = new_session(partner, offer, {{"start_local", local_start(4)}});
    Reply b = book(worker, session["session_id"], new_beneficiary(worker));
    const std::string path = "/api/v1/bookings/" + std::to_string(b["id"].get<int>()) + "/feedback";
    Reply early = worker.post(path, {{"went", "yes"}, {"rating", 5}, {"comment", "Super"}});
    EXPECT_EQ(early.status, 409);
    EXPECT_EQ(early.error_code(), "feedback_window_closed");
    advance_to(s, instant(session["start"]) + 3 * 3600);
    EXPECT_EQ(worker.post(path, {{"went", "maybe"}}).error_code(), "invalid_went");
    EXPECT_EQ(worker.post(path, {{"went", "yes"}, {"rating", 6}}).error_code(), "rating_out_of_range");
    EXPECT_EQ(worker.post(path, {{"went", "yes"}, {"comment", std::string(1001, 'x')}}).error_code(), "too_long");
    Reply ok = worker.post(path, {{"went", "partly"}, {"rating", 4}, {"comment", "Partie à l’entracte, ravie."}});
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok["feedback"]["went"], "partly");
    EXPECT_EQ(ok["feedback"]["rating"], 4);
    EXPECT_EQ(worker.post(path, {{"went", "yes"}, {"rating", 5}})["feedback"]["rating"], 5) << "editable in the window";
    EXPECT_EQ(logged_in(kOtherWorker, s).post(path, {{"went", "yes"}}).status, 404);
    advance_to(s, instant(session["start"]) + 61 * 86400);
    worker = logged_in(kWorker, s);  // 61 days later the old login has expired
    EXPECT_EQ(worker.post(path, {{"went", "yes"}}).error_code(), "feedback_window_closed");
}

// M2 (DOMAIN.md): the reminder goes at start − 72 h, before the booking closes (C1), once.
TEST(Reminders, M2SeventyTwoHoursBeforeTheStartOnce) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    Api partner = logged_in(kPartner, s);
    const auto offer = published_offer(partner, logged_in(kAdmin, s));
    const json session = new_session(partner, offer, {{"start_local", local_start(6)}});
    Reply b = book(worker, session["session_id"], new_beneficiary(worker));
    ASSERT_EQ(b.status, 201);
    run_scheduler(s);
    auto reminders = [&] {
        int n = 0;
        for (const auto& x : worker.get("/api/v1/notifications?limit=500").items())
            if (x["kind"] == "reminder" && x["booking_id"] == b["id"]) ++n;
        return n;
    };
    EXPECT_EQ(reminders(), 0);
    const std::int64_t start = instant(session["start"]);
    advance_to(s, start - 72 * 3600 - 60);
    run_scheduler(s);
    EXPECT_EQ(reminders(), 0) << "a minute before start − 72 h";
    advance_to(s, start - 72 * 3600);
    run_scheduler(s);
    run_scheduler(s);
    EXPECT_EQ(reminders(), 1) << "at start − 72 h, once";
    EXPECT_LT(server_now(s), instant(session["closes_at"])) << "before C1's deadline: cancelling is still free";
    Reply cancel = worker.post("/api/v1/bookings/" + std::to_string(b["id"].get<int>()) + "/cancel");
    ASSERT_EQ(cancel.status, 200);
    EXPECT_EQ(cancel["status"], "cancelled") << "free of consequence";
}

TEST(Reminders, M2ADayBeforeAnEarlyClose) {
    // A session whose booking closes 5 days before the start: the reminder comes a day before it
    // closes, so cancelling is still free.
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    Api partner = logged_in(kPartner, s);
    const auto offer = published_offer(partner, logged_in(kAdmin, s));
    const json session =
        new_session(partner, offer, {{"start_local", local_start(12)}, {"closes_at", utc_in(7 * 86400)}});
    Reply b = book(worker, session["session_id"], new_beneficiary(worker));
    ASSERT_EQ(b.status, 201) << b.body;
    const std::int64_t closes = instant(session["closes_at"]);
    auto reminded = [&] {
        for (const auto& x : worker.get("/api/v1/notifications?limit=500").items())
            if (x["kind"] == "reminder" && x["booking_id"] == b["id"]) return true;
        return false;
    };
    advance_to(s, closes - 24 * 3600 - 60);
    run_scheduler(s);
    EXPECT_FALSE(reminded());
    advance_to(s, closes - 24 * 3600);
    run_scheduler(s);
    EXPECT_TRUE(reminded());
}

// Issue 12, item 2. The audit log shows a person by reference and by the names of the fields that
// changed; after P1 erasure the database file (and its write-ahead log) holds their name nowhere.
TEST(Privacy, AfterALifeCycleTheDatabaseFileHoldsNoName) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    Api admin = logged_in(kAdmin, s);
    const std::string tag = unique_suffix();
    const std::string first = "Zoubida" + tag, second_first = "Philomène" + tag, last = "Quenouillère" + tag;
    const std::string phone = "0655" + std::string("443322");
    const auto ben = new_beneficiary(worker, {{"first_name", first}, {"last_name", last}, {"phone", phone}});
    const std::string path = "/api/v1/beneficiaries/" + std::to_string(ben);
    Reply edited = worker.patch(path, {{"first_name", second_first}, {"household_size", 4}});
    ASSERT_EQ(edited.status, 200) << edited.body;
    Reply b = book(worker, fresh_session(s), ben);
    ASSERT_EQ(b.status, 201) << b.body;
    // The notification and the queued e-mail name the person in P2 form: the name is in the file.
    EXPECT_NE(s.db_bytes().find(second_first), std::string::npos) << "the test would find the name";

    // The staff's audit view: the reference and the names of the fields, never a value.
    Reply audit = admin.get("/api/v1/audit?entity=beneficiary&entity_id=" + std::to_string(ben) + "&limit=500");
    ASSERT_EQ(audit.status, 200) << audit.body;
    for (const std::string& value : {first, second_first, last, phone})
        EXPECT_EQ(audit.body.find(value), std::string::npos) << value << " in " << audit.body;
    bool update_seen = false;
    for (const auto& e : audit.items()) {
        if (e["action"] != "beneficiary.update") continue;
        update_seen = true;
        EXPECT_EQ(e["after"]["changed_fields"], json({"first_name", "household_size"})) << e.dump();
        EXPECT_TRUE(e["after"]["reference"].is_string());
    }
    EXPECT_TRUE(update_seen) << audit.body;

    advance_clock(s, 26LL * 31 * 86400);  // P1: well past 24 months after the last booking
    ASSERT_GE(run_scheduler(s)["erased_beneficiaries"].get<int>(), 1);
    // While the server runs, and after it has stopped.
    for (int pass = 0; pass < 2; ++pass) {
        const std::string bytes = s.db_bytes();
        ASSERT_GT(bytes.size(), 100000u);
        for (const std::string& value : {first, second_first, last, phone})
            EXPECT_EQ(bytes.find(value), std::string::npos) << value << (pass ? " after the stop" : " while serving");
        s.stop();
    }
}

TEST(Privacy, P1ErasesIdentifyingFieldsAndRedactsTheAuditLog) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    Api admin = logged_in(kAdmin, s);
    const auto sid = fresh_session(s);
    const auto ben =
        new_beneficiary(worker, {{"first_name", "Gaëlle"}, {"last_name", "Effacée"}, {"phone", "0611223344"}});
    Reply b = book(worker, sid, ben);
    ASSERT_EQ(b.status, 201);
    advance_clock(s, 26LL * 31 * 86400);  // well past 24 months after the last booking
    EXPECT_GE(run_scheduler(s)["erased_beneficiaries"].get<int>(), 1);
    worker = logged_in(kWorker, s);  // logins from two years ago have long expired
    admin = logged_in(kAdmin, s);
    EXPECT_EQ(worker.get("/api/v1/beneficiaries/" + std::to_string(ben)).status, 404);
    // The booking survives with the pseudonymous reference (statistics stay true).
    Reply kept = admin.get("/api/v1/bookings/" + std::to_string(b["id"].get<int>()));
    ASSERT_EQ(kept.status, 200);
    EXPECT_TRUE(kept.json_body()["beneficiary"]["reference"].is_string());
    Reply audit = admin.get("/api/v1/audit?entity=beneficiary&entity_id=" + std::to_string(ben) + "&limit=500");
    ASSERT_EQ(audit.status, 200);
    EXPECT_EQ(audit.body.find("Effacée"), std::string::npos);
    EXPECT_EQ(audit.body.find("0611223344"), std::string::npos);
    EXPECT_EQ(audit.body.find("33611223344"), std::string::npos);
    bool redacted = false;
    for (const auto& e : audit.items()) redacted = redacted || e["redacted"] == true;
    EXPECT_TRUE(redacted);
    Reply notes = worker.get("/api/v1/notifications?limit=500");
    EXPECT_EQ(notes.body.find("Gaëlle"), std::string::npos);
}
