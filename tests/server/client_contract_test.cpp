// What the browser client needs from the server (issue 13): refusals that name the number and the
// way out, the territory's settings and the real end of other outings for the pre-check, waitlist
// withdrawal, check-in correction, one CSV dialect, the pending organisation's waiting page, and
// Idempotency-Key on every create.
#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "harness.hpp"

using namespace uneplace::test;

namespace {

constexpr const char* kNbsp = "\u00A0";

std::string path_of(const char* prefix, const json& id, const char* suffix = "") {
    return std::string(prefix) + std::to_string(id.get<std::int64_t>()) + suffix;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

json error_of(const Reply& r) { return r.json_body().value("error", json::object()); }

// The newest audit entry of one booking with this action (the national admin reads the log).
json audit_entry(ServerProcess& s, const json& booking_id, const std::string& action) {
    Reply r =
        logged_in(kAdmin, s).get(path_of("/api/v1/audit?entity=booking&entity_id=", booking_id) + "&action=" + action);
    return r.items().empty() ? json() : r.items()[0];
}

}  // namespace

//-----------------------------------------------------------------------------
// Refusals name the number and the way out (the shared explain_fr, as error.message)
//-----------------------------------------------------------------------------

TEST(Refusals, PlacesPerBookingNamesTheLimit) {
    Api worker = logged_in(kWorker);
    const auto sid = fresh_session(demo_server(), {{"max_per_booking", 2}});
    Reply r = book(worker, sid, new_beneficiary(worker), 3);
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.error_code(), "places_out_of_range");
    EXPECT_EQ(error_of(r)["rule"], "R1");
    EXPECT_EQ(error_of(r)["max_per_booking"], 2);
    const std::string message = error_of(r)["message"];
    EXPECT_TRUE(contains(message, std::string("de 1 à 2") + kNbsp + "places par réservation")) << message;
    EXPECT_TRUE(contains(message, "choisissez un nombre de places")) << message;
}

TEST(Refusals, OverlapNamesTheOtherOutingAndItsRealEnd) {
    Api worker = logged_in(kWorker);
    // A long show (2 h 30) and another starting one hour after it: they overlap.
    const auto long_show =
        fresh_session(demo_server(), {{"start_local", local_start(12, 20, 0)}, {"duration_min", 150}},
                      {{"title", "Le « Misanthrope » intégral"}});
    const auto later = fresh_session(demo_server(), {{"start_local", local_start(12, 21, 0)}});
    const auto ben = new_beneficiary(worker);
    ASSERT_EQ(book(worker, long_show, ben).status, 201);
    Reply r = book(worker, later, ben);
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.error_code(), "overlapping_booking");
    const json e = error_of(r);
    EXPECT_EQ(e["overlapping_session_id"], long_show);
    EXPECT_EQ(e["overlapping_title"], "Le « Misanthrope » intégral");
    EXPECT_EQ(instant(e["overlapping_end"]) - instant(e["overlapping_start"]), 150 * 60);
    const std::string message = e["message"];
    // Quoted once, the inner quotes turned into “ ”, the end of the long show named.
    EXPECT_TRUE(contains(message, std::string("«") + kNbsp + "Le “Misanthrope” intégral" + kNbsp + "»")) << message;
    EXPECT_TRUE(contains(message, std::string("jusqu’à 22") + kNbsp + "h" + kNbsp + "30")) << message;
    EXPECT_TRUE(contains(message, "annulez cette sortie")) << message;
}

TEST(Refusals, UpcomingLimitFollowsTheTerritorySettings) {
    ServerProcess s({.extra_args = {"--login-rate", "100000"}});
    Api worker = logged_in(kWorker, s);
    Api admin = logged_in(kAdmin, s);
    std::vector<std::int64_t> sessions;
    for (int day = 5; day < 11; ++day) sessions.push_back(fresh_session(s, {{"start_local", local_start(day)}}));
    const std::string territory = worker.get(path_of("/api/v1/sessions/", json(sessions[0])))["territory"];
    const auto ben = new_beneficiary(worker);
    for (int i = 0; i < 3; ++i) ASSERT_EQ(book(worker, sessions[i], ben).status, 201);

    // Default: 3 upcoming outings; the 4th is refused with the figure and the way out.
    Reply r = book(worker, sessions[3], ben);
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.error_code(), "too_many_upcoming");
    EXPECT_EQ(error_of(r)["max_upcoming_bookings"], 3);
    const std::string message = error_of(r)["message"];
    EXPECT_TRUE(contains(message, std::string("déjà 3") + kNbsp + "sorties à venir")) << message;
    EXPECT_TRUE(contains(message, "annulez une sortie pour libérer une place")) << message;

    // The territory allows 5: the session detail says so (the browser's pre-check reads it) and the
    // server confirms the 4th and 5th, refusing the 6th with 5 in the message.
    Reply put = admin.request("PUT", "/api/v1/settings/" + territory, json{{"max_upcoming_bookings", 5}}.dump());
    ASSERT_EQ(put.status, 200) << put.body;
    Reply detail = worker.get(path_of("/api/v1/sessions/", json(sessions[3])));
    ASSERT_EQ(detail.status, 200);
    EXPECT_EQ(detail["settings"]["max_upcoming_bookings"], 5);
    EXPECT_EQ(detail["settings"]["territory"], territory);
    EXPECT_EQ(book(worker, sessions[3], ben).status, 201);
    EXPECT_EQ(book(worker, sessions[4], ben).status, 201);
    Reply sixth = book(worker, sessions[5], ben);
    EXPECT_EQ(sixth.status, 409);
    EXPECT_EQ(error_of(sixth)["max_upcoming_bookings"], 5);
    EXPECT_TRUE(contains(error_of(sixth)["message"], std::string("déjà 5") + kNbsp + "sorties")) << sixth.body;
}

TEST(Refusals, OnePlaceLeftIsSaidInFrench) {
    Api worker = logged_in(kWorker);
    const auto sid = fresh_session(demo_server(), {{"capacity", 3}});
    ASSERT_EQ(book(worker, sid, new_beneficiary(worker), 2).status, 201);
    Reply r = book(logged_in(kOtherWorker), sid, new_beneficiary(logged_in(kOtherWorker)), 2);
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.error_code(), "session_full");
    EXPECT_EQ(error_of(r)["places_left"], 1);
    EXPECT_EQ(error_of(r)["message"].get<std::string>().rfind("Il ne reste qu’une place pour cette séance.", 0), 0u)
        << r.body;
}

//-----------------------------------------------------------------------------
// The pre-check's data: the real duration and end of the other outings
//-----------------------------------------------------------------------------

TEST(PreCheck, BookingsCarryTheirSessionsDurationAndEnd) {
    Api worker = logged_in(kWorker);
    const auto sid = fresh_session(demo_server(), {{"duration_min", 195}});
    const auto ben = new_beneficiary(worker);
    Reply b = book(worker, sid, ben);
    ASSERT_EQ(b.status, 201) << b.body;
    EXPECT_EQ(b["session"]["duration_min"], 195);
    Reply list = worker.get("/api/v1/bookings?beneficiary_id=" + std::to_string(ben));
    ASSERT_EQ(list.items().size(), 1u);
    const json session = list.items()[0]["session"];
    EXPECT_EQ(session["duration_min"], 195);
    EXPECT_EQ(instant(session["end"]) - instant(session["start"]), 195 * 60);
    // The OpenAPI document describes both additions.
    Reply doc = Api(demo_server()).get("/api/v1/openapi.json");
    const json props =
        doc.json_body()["paths"]["/api/v1/bookings"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                       ["properties"]["items"]["items"]["properties"]["session"]["properties"];
    EXPECT_TRUE(props.contains("end"));
    EXPECT_TRUE(props.contains("duration_min"));
    EXPECT_TRUE(doc.json_body()["paths"]["/api/v1/sessions/{id}"]["get"]["responses"]["200"]["content"]
                               ["application/json"]["schema"]["properties"]
                                   .contains("settings"));
}

//-----------------------------------------------------------------------------
// Waitlist withdrawal
//-----------------------------------------------------------------------------

TEST(Waitlist, SocialWorkerWithdrawsARequestAndItIsAudited) {
    ServerProcess s({.extra_args = {"--login-rate", "100000"}});
    Api worker = logged_in(kWorker, s);
    const auto sid = fresh_session(s, {{"capacity", 1}});
    Reply held = book(worker, sid, new_beneficiary(worker), 1);
    ASSERT_EQ(held.status, 201);
    Reply waiting = book(worker, sid, new_beneficiary(worker), 1, true);
    ASSERT_EQ(waiting.status, 202) << waiting.body;
    ASSERT_EQ(waiting["status"], "waitlisted");

    Reply withdrawn = worker.post(path_of("/api/v1/bookings/", waiting["id"], "/cancel"));
    ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
    EXPECT_EQ(withdrawn["status"], "withdrawn");
    EXPECT_EQ(worker.post(path_of("/api/v1/bookings/", waiting["id"], "/cancel")).error_code(), "booking_not_active");
    const json entry = audit_entry(s, waiting["id"], "booking.withdraw");
    ASSERT_TRUE(entry.is_object()) << "no booking.withdraw entry";
    EXPECT_EQ(entry["before"]["status"], "waitlisted");
    EXPECT_EQ(entry["after"]["status"], "withdrawn");

    // The place freed later is not given to the withdrawn request.
    ASSERT_EQ(worker.post(path_of("/api/v1/bookings/", held["id"], "/cancel")).status, 200);
    EXPECT_EQ(worker.get(path_of("/api/v1/bookings/", waiting["id"]))["status"], "withdrawn");
    EXPECT_EQ(logged_in(kOtherWorker, s).post(path_of("/api/v1/bookings/", waiting["id"], "/cancel")).status, 404);
}

//-----------------------------------------------------------------------------
// Check-in correction
//-----------------------------------------------------------------------------

TEST(CheckIn, PartnerUndoesAMistakeWhileTheSessionIsNotOver) {
    ServerProcess s({.extra_args = {"--login-rate", "100000"}});
    Api partner = logged_in(kPartner, s);
    Api worker = logged_in(kWorker, s);
    const auto offer = published_offer(partner, logged_in(kAdmin, s));
    const json session = new_session(partner, offer, {{"start_local", local_start(3)}, {"duration_min", 120}});
    const json sid = session["session_id"];
    const std::string checkin = path_of("/api/v1/sessions/", sid, "/checkin");
    const std::string undo = checkin + "/undo";
    Reply b = book(worker, sid.get<std::int64_t>(), new_beneficiary(worker), 2);
    ASSERT_EQ(b.status, 201) << b.body;
    const std::string code = b["code"];

    advance_to(s, instant(session["start"]) - 3600);
    Reply nothing = partner.post(undo, {{"code", code}});
    EXPECT_EQ(nothing.status, 409);
    EXPECT_EQ(nothing.error_code(), "not_checked_in");

    ASSERT_EQ(partner.post(checkin, {{"code", code}, {"attended_count", 2}}).status, 200);
    Reply undone = partner.post(undo, {{"code", code}});
    ASSERT_EQ(undone.status, 200) << undone.body;
    EXPECT_EQ(undone["status"], "confirmed");
    EXPECT_TRUE(undone["attended_count"].is_null());
    const json entry = audit_entry(s, b["id"], "booking.check_in_undo");
    ASSERT_TRUE(entry.is_object()) << "no booking.check_in_undo entry";
    EXPECT_EQ(entry["before"]["status"], "attended");
    EXPECT_EQ(entry["before"]["attended_count"], 2);
    EXPECT_EQ(entry["after"]["status"], "confirmed");

    // A no-show recorded by mistake from the guest list is undone the same way, by booking id.
    ASSERT_EQ(partner.post(checkin, {{"booking_id", b["id"]}, {"no_show", true}})["status"], "no_show");
    EXPECT_EQ(partner.post(undo, {{"booking_id", b["id"]}})["status"], "confirmed");
    // Recorded again, right this time.
    EXPECT_EQ(partner.post(checkin, {{"code", code}, {"attended_count", 1}})["status"], "attended");

    // Only the session's own partner; bad input gets its code.
    EXPECT_EQ(logged_in(kOtherPartner, s).post(undo, {{"code", code}}).status, 404);
    EXPECT_EQ(worker.post(undo, {{"code", code}}).status, 403);
    EXPECT_EQ(partner.post(undo, {{"code", "ZZZZ-ZZZZ"}}).error_code(), "invalid_code");
    EXPECT_EQ(partner.post(undo, json::object()).error_code(), "required");
    EXPECT_EQ(partner.post(undo, {{"code", code}, {"attended_count", 1}}).error_code(), "unknown_field");

    // Once the session is over the check-in stands.
    advance_to(s, instant(session["start"]) + 120 * 60);
    Reply closed = partner.post(undo, {{"code", code}});
    EXPECT_EQ(closed.status, 409);
    EXPECT_EQ(closed.error_code(), "attendance_correction_closed");
    EXPECT_FALSE(error_of(closed)["message"].get<std::string>().empty());
    EXPECT_EQ(worker.get(path_of("/api/v1/bookings/", b["id"]))["status"], "attended");
}

//-----------------------------------------------------------------------------
// One CSV dialect: `;`, UTF-8 with BOM, French headers and values
//-----------------------------------------------------------------------------

TEST(Csv, GuestListAndBookingsExportSpeakOneDialect) {
    Api partner = logged_in(kPartner);
    Api worker = logged_in(kWorker);
    Api admin = logged_in(kAdmin);
    const auto sid = fresh_session(demo_server());
    Reply b = book(worker, sid, new_beneficiary(worker, {{"first_name", "Élodie"}, {"last_name", "Œuvray"}}), 2);
    ASSERT_EQ(b.status, 201) << b.body;
    const std::string code = b["code"];
    const std::string bom = "\xEF\xBB\xBF";

    Reply guests = partner.get("/api/v1/sessions/" + std::to_string(sid) + "/guest-list.csv");
    ASSERT_EQ(guests.status, 200) << guests.body;
    EXPECT_EQ(guests.header("Content-Type"), "text/csv; charset=utf-8");
    EXPECT_EQ(guests.header("Content-Disposition"),
              "attachment; filename=\"invites-seance-" + std::to_string(sid) + ".csv\"");
    ASSERT_EQ(guests.body.substr(0, 3), bom);
    EXPECT_EQ(guests.body.substr(3, std::string("Séance;Offre de test;").size()), "Séance;Offre de test;");
    EXPECT_TRUE(contains(guests.body, "\r\nCode;Places;Invité;Structure;Statut;Présents\r\n")) << guests.body;
    EXPECT_TRUE(contains(guests.body, "\r\n" + code + ";2;Élodie Œ.;")) << guests.body;
    EXPECT_TRUE(contains(guests.body, ";confirmée;\r\n")) << guests.body;
    EXPECT_FALSE(contains(guests.body, "Œuvray"));  // P2
    EXPECT_EQ(admin.get("/api/v1/sessions/" + std::to_string(sid) + "/guest-list.csv").status, 200);
    EXPECT_EQ(logged_in(kOtherPartner).get("/api/v1/sessions/" + std::to_string(sid) + "/guest-list.csv").status, 404);
    EXPECT_EQ(worker.get("/api/v1/sessions/" + std::to_string(sid) + "/guest-list.csv").status, 403);

    Reply bookings = admin.get("/api/v1/exports/bookings.csv");
    ASSERT_EQ(bookings.status, 200);
    EXPECT_EQ(bookings.header("Content-Type"), "text/csv; charset=utf-8");
    ASSERT_EQ(bookings.body.substr(0, 3), bom);
    const std::string header = bookings.body.substr(3, bookings.body.find("\r\n") - 3);
    EXPECT_EQ(header, "Réservation;Code;Statut;Places;Présents;Date (heure du lieu);Département;Spectacle;Catégorie;"
                      "Partenaire;Lieu;Ville;Structure;Référence bénéficiaire;Origine;Créée le");
    // The booking's line: French status, category and origin, a date French spreadsheets read.
    const auto at = bookings.body.find("\r\n" + std::to_string(b["id"].get<std::int64_t>()) + ";" + code + ";");
    ASSERT_NE(at, std::string::npos) << "booking line missing";
    const std::string line = bookings.body.substr(at + 2, bookings.body.find("\r\n", at + 2) - at - 2);
    EXPECT_TRUE(std::regex_search(
        line, std::regex(";confirmée;2;;\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d;75;Offre de test;théâtre;")))
        << line;
    EXPECT_TRUE(std::regex_search(line, std::regex(";directe;\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d$"))) << line;
    EXPECT_FALSE(contains(bookings.body, "Élodie"));  // P2: references only
    EXPECT_FALSE(contains(header, ","));
}

//-----------------------------------------------------------------------------
// A pending organisation: a waiting page, and a clear 403 everywhere else
//-----------------------------------------------------------------------------

TEST(PendingOrganisation, LogInTellsTheClientToShowTheWaitingPage) {
    Api anon(demo_server());
    const std::string n = std::to_string(unix_now() % 1000000);
    const json body = {{"kind", "structure"},
                       {"name", "Maison des familles " + n},
                       {"territory", "75"},
                       {"contact",
                        {{"email", "attente" + n + "@essai.test"},
                         {"password", "un-mot-de-passe-solide"},
                         {"display_name", "Contact en attente"}}}};
    Reply signup = anon.post("/api/v1/organisations", body);
    ASSERT_EQ(signup.status, 201) << signup.body;

    Api contact(demo_server());
    Reply login = contact.login(body["contact"]["email"], "un-mot-de-passe-solide");
    ASSERT_EQ(login.status, 200) << login.body;
    const json user = login["user"];
    EXPECT_EQ(user["waiting_for_approval"], true);
    EXPECT_EQ(user["inactive_reason"], "organisation_pending");
    const std::string waiting = user["inactive_message"];
    EXPECT_TRUE(contains(waiting, "attend la validation d’un administrateur")) << waiting;
    EXPECT_EQ(contact.get("/api/v1/me")["inactive_message"], waiting);

    // Every other call: the stable code, the reason, and the same French text.
    for (const char* path : {"/api/v1/beneficiaries", "/api/v1/catalogue", "/api/v1/bookings"}) {
        Reply r = contact.get(path);
        EXPECT_EQ(r.status, 403) << path;
        EXPECT_EQ(r.error_code(), "account_inactive") << path;
        EXPECT_EQ(error_of(r)["reason"], "organisation_pending") << path;
        EXPECT_EQ(error_of(r)["message"], waiting) << path;
    }

    Api admin = logged_in(kAdmin);
    ASSERT_EQ(admin.post(path_of("/api/v1/organisations/", signup["id"], "/approve")).status, 200);
    Reply me = contact.get("/api/v1/me");
    EXPECT_EQ(me["waiting_for_approval"], false);
    EXPECT_TRUE(me["inactive_reason"].is_null());
    EXPECT_TRUE(me["inactive_message"].is_null());
    EXPECT_EQ(contact.get("/api/v1/beneficiaries").status, 200);

    ASSERT_EQ(admin.post(path_of("/api/v1/organisations/", signup["id"], "/suspend")).status, 200);
    Reply suspended = contact.get("/api/v1/beneficiaries");
    EXPECT_EQ(suspended.error_code(), "account_inactive");
    EXPECT_EQ(error_of(suspended)["reason"], "organisation_suspended");
    EXPECT_EQ(contact.get("/api/v1/me")["waiting_for_approval"], false);
}

//-----------------------------------------------------------------------------
// Idempotency-Key on every create
//-----------------------------------------------------------------------------

TEST(Idempotency, EveryCreateRouteTakesTheKey) {
    // Walks the OpenAPI document, so a create route added later without the key fails here.
    const json doc = Api(demo_server()).get("/api/v1/openapi.json").json_body();
    int creates = 0;
    for (const auto& [path, ops] : doc["paths"].items())
        for (const auto& [method, op] : ops.items()) {
            if (!op["responses"].contains("201")) continue;
            ++creates;
            bool has_key = false;
            for (const auto& p : op.value("parameters", json::array()))
                has_key = has_key || p["name"] == "Idempotency-Key";
            EXPECT_TRUE(has_key) << method << " " << path;
        }
    EXPECT_GE(creates, 8);
}

TEST(Idempotency, RetriesAfterALostAnswerShowTheBookingThatWasMade) {
    Api worker = logged_in(kWorker);
    const auto sid = fresh_session(demo_server(), {{"capacity", 1}});
    const auto first = new_beneficiary(worker);
    const auto second = new_beneficiary(worker);

    // The answer to the first send was lost; the client sends the same request with the same key
    // several times at once (a retry racing a reconnection): one booking, every answer the same.
    Api retrying = worker;
    retrying.extra = {{"Idempotency-Key", "lost-" + std::to_string(sid) + "-" + std::to_string(first)}};
    std::vector<Reply> replies(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < replies.size(); ++i)
        threads.emplace_back([&, i] { replies[i] = book(retrying, sid, first); });
    for (auto& t : threads) t.join();
    for (const auto& r : replies) {
        ASSERT_EQ(r.status, 201) << r.body;
        EXPECT_EQ(r.body, replies[0].body);
    }
    EXPECT_EQ(worker.get("/api/v1/bookings?session_id=" + std::to_string(sid)).items().size(), 1u);

    // A request that went to the waitlist (202) is replayed as such too.
    retrying.extra = {{"Idempotency-Key", "lost-" + std::to_string(sid) + "-" + std::to_string(second)}};
    Reply a = book(retrying, sid, second, 1, true);
    Reply again = book(retrying, sid, second, 1, true);
    ASSERT_EQ(a.status, 202) << a.body;
    EXPECT_EQ(again.status, 202);
    EXPECT_EQ(again["id"], a["id"]);
    EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
    EXPECT_EQ(worker.get("/api/v1/bookings?session_id=" + std::to_string(sid)).items().size(), 2u);
}
