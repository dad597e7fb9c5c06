// Organisations, users, admins, settings, notifications; Idempotency-Key; login rate limit.
#include <gtest/gtest.h>

#include "harness.hpp"

using namespace uneplace::test;

namespace {
int g_signup = 0;
json signup_body(const std::string& kind, const std::string& territory = "69") {
    const std::string n = std::to_string(g_signup++) + "-" + std::to_string(unix_now() % 100000);
    return {{"kind", kind},
            {"name", "Association d’essai " + n},
            {"territory", territory},
            {"contact",
             {{"email", "contact" + n + "@essai.test"},
              {"password", "un-mot-de-passe-solide"},
              {"display_name", "Contact " + n}}}};
}
}  // namespace

TEST(SignUp, CreatesPendingOrganisationAndContact) {
    Api anon(demo_server());
    json body = signup_body("structure");
    Reply r = anon.post("/api/v1/organisations", body);
    ASSERT_EQ(r.status, 201) << r.body;
    json j = r.json_body();
    EXPECT_TRUE(j["id"].is_number_integer());
    EXPECT_EQ(j["status"], "pending");
    EXPECT_EQ(j["kind"], "structure");
    EXPECT_EQ(j["contact"]["status"], "pending");
    EXPECT_EQ(j["contact"]["role"], "social_worker");

    // The pending contact may log in and see its state, but may not act (R10).
    Api contact(demo_server());
    ASSERT_EQ(contact.login(body["contact"]["email"], "un-mot-de-passe-solide").status, 200);
    Reply me = contact.get("/api/v1/me");
    EXPECT_EQ(me["status"], "pending");
    EXPECT_EQ(me["active"], false);
    Reply refused = contact.get("/api/v1/beneficiaries");
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.error_code(), "account_inactive");

    // Approval by an admin activates the organisation and its pending contact.
    Api admin = logged_in(kAdmin);
    Reply ok = admin.post("/api/v1/organisations/" + std::to_string(j["id"].get<int>()) + "/approve");
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok["status"], "active");
    EXPECT_EQ(contact.get("/api/v1/beneficiaries").status, 200);
    EXPECT_EQ(contact.get("/api/v1/me")["active"], true);

    // Approving twice is not a transition.
    EXPECT_EQ(admin.post("/api/v1/organisations/" + std::to_string(j["id"].get<int>()) + "/approve").status, 409);

    // Suspension stops it acting again.
    Reply sus = admin.post("/api/v1/organisations/" + std::to_string(j["id"].get<int>()) + "/suspend");
    EXPECT_EQ(sus.status, 200);
    EXPECT_EQ(contact.get("/api/v1/beneficiaries").error_code(), "account_inactive");
}

TEST(SignUp, PartnerContactGetsThePartnerRole) {
    Reply r = Api(demo_server()).post("/api/v1/organisations", signup_body("partner", "974"));
    ASSERT_EQ(r.status, 201);
    EXPECT_EQ(r.json_body()["contact"]["role"], "partner");
}

TEST(SignUp, ValidationNamesTheField) {
    Api anon(demo_server());
    auto field_of = [&](json body) {
        Reply r = anon.post("/api/v1/organisations", body);
        EXPECT_EQ(r.status, 422) << r.body;
        return r.json_body()["error"].value("field", "");
    };
    json b = signup_body("structure");
    b["kind"] = "club";
    EXPECT_EQ(field_of(b), "kind");
    b = signup_body("structure");
    b["territory"] = "20";
    EXPECT_EQ(field_of(b), "territory");
    b = signup_body("structure");
    b["contact"]["email"] = "pas-une-adresse";
    EXPECT_EQ(field_of(b), "contact.email");
    b = signup_body("structure");
    b["contact"]["password"] = "court";
    EXPECT_EQ(field_of(b), "contact.password");
    b = signup_body("structure");
    b["name"] = "";
    EXPECT_EQ(field_of(b), "name");
    b = signup_body("structure");
    b["contact"]["nickname"] = "x";
    EXPECT_EQ(field_of(b), "contact.nickname");
    b = signup_body("structure");
    b.erase("contact");
    EXPECT_EQ(field_of(b), "contact");
}

// Issue 12, item 2: nobody learns from sign-up whether an address has an account.
TEST(SignUp, ATakenAddressGetsTheSameAnswerAndTouchesNoAccount) {
    Api anon(demo_server());
    Reply fresh = anon.post("/api/v1/organisations", signup_body("structure"));
    json taken_body = signup_body("structure");
    taken_body["contact"]["email"] = kWorker;
    taken_body["contact"]["password"] = "un-autre-mot-de-passe";
    Reply taken = anon.post("/api/v1/organisations", taken_body);
    ASSERT_EQ(fresh.status, 201) << fresh.body;
    ASSERT_EQ(taken.status, 201) << taken.body;
    // The same members, the same states; only what the request itself said differs.
    const std::function<json(const json&)> shape = [&](const json& j) {
        if (!j.is_object()) return json(j.type_name());
        json out = json::object();
        for (const auto& [k, v] : j.items()) out[k] = shape(v);
        return out;
    };
    EXPECT_EQ(shape(taken.json_body()), shape(fresh.json_body())) << taken.body << "\n" << fresh.body;
    for (const Reply* r : {&fresh, &taken}) {
        EXPECT_EQ((*r)["status"], "pending");
        EXPECT_EQ((*r)["contact"]["status"], "pending");
        EXPECT_FALSE((*r)["contact"].contains("id")) << r->body;
    }
    EXPECT_EQ(taken["contact"]["email"], kWorker);
    EXPECT_GT(taken["id"].get<int>(), fresh["id"].get<int>());

    // The existing account is untouched: its password still works, the new one does not.
    EXPECT_EQ(Api(demo_server()).login(kWorker).status, 200);
    EXPECT_EQ(Api(demo_server()).login(kWorker, "un-autre-mot-de-passe").status, 401);
    // The request is on record for the staff: suspended, with no account, and why.
    Api admin = logged_in(kAdmin);
    const std::string id = std::to_string(taken["id"].get<int>());
    EXPECT_TRUE(lists(admin.get("/api/v1/organisations?status=suspended").items(), "id", taken["id"]));
    EXPECT_TRUE(admin.get("/api/v1/organisations/" + id + "/users").items().empty());
    EXPECT_TRUE(lists(admin.get("/api/v1/audit?entity=organisation&entity_id=" + id).items(), "action",
                      "organisation.sign_up_email_taken"));
}

TEST(Idempotency, SameKeyReplaysTheFirstAnswer) {
    Api anon(demo_server());
    anon.extra = {{"Idempotency-Key", "signup-" + std::to_string(unix_now()) + "-" + std::to_string(g_signup)}};
    json b = signup_body("structure");
    Reply first = anon.post("/api/v1/organisations", b);
    ASSERT_EQ(first.status, 201);
    Reply again = anon.post("/api/v1/organisations", b);
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
    // The same key with another body is a client bug, not a replay.
    json other = signup_body("structure");
    Reply reused = anon.post("/api/v1/organisations", other);
    EXPECT_EQ(reused.status, 409);
    EXPECT_EQ(reused.error_code(), "idempotency_key_reused");
}

TEST(Idempotency, BookingRetriedWithItsKeyIsBookedOnce) {
    Api worker = logged_in(kWorker);
    const auto session = fresh_session(demo_server());
    const auto ben = new_beneficiary(worker);
    worker.extra = {{"Idempotency-Key", "book-" + std::to_string(session) + "-" + std::to_string(ben)}};
    Reply a = book(worker, session, ben);
    Reply b = book(worker, session, ben);
    ASSERT_EQ(a.status, 201) << a.body;
    EXPECT_EQ(b.status, 201);
    EXPECT_EQ(a.json_body()["id"], b.json_body()["id"]);
    worker.extra.clear();
    Reply list = worker.get("/api/v1/bookings?session_id=" + std::to_string(session));
    EXPECT_EQ(list.items().size(), 1u);
}

TEST(Organisations, AdminListsAndFilters) {
    Api admin = logged_in(kAdmin);
    Reply all = admin.get("/api/v1/organisations?limit=500");
    ASSERT_EQ(all.status, 200);
    EXPECT_GE(all.items().size(), 18u);
    // Each filter keeps a member it must keep and drops one it must drop.
    const int partner = logged_in(kPartner).get("/api/v1/me")["organisation_id"];
    const int structure = logged_in(kWorker).get("/api/v1/me")["organisation_id"];
    const int reunion = logged_in("saintdenis@demo.uneplace.test").get("/api/v1/me")["organisation_id"];
    Reply signed_up = Api(demo_server()).post("/api/v1/organisations", signup_body("structure"));
    ASSERT_EQ(signed_up.status, 201) << signed_up.body;
    const int pending = signed_up["id"];
    const json partners = admin.get("/api/v1/organisations?kind=partner&limit=500").items();
    EXPECT_TRUE(lists(partners, "id", partner));
    EXPECT_FALSE(lists(partners, "id", structure));
    for (const auto& o : partners) EXPECT_EQ(o["kind"], "partner");
    const json overseas = admin.get("/api/v1/organisations?territory=974&limit=500").items();
    EXPECT_TRUE(lists(overseas, "id", reunion));
    EXPECT_FALSE(lists(overseas, "id", structure));
    for (const auto& o : overseas) EXPECT_EQ(o["territory"], "974");
    const json waiting = admin.get("/api/v1/organisations?status=pending&limit=500").items();
    EXPECT_TRUE(lists(waiting, "id", pending));
    EXPECT_FALSE(lists(waiting, "id", structure));
    for (const auto& o : waiting) EXPECT_EQ(o["status"], "pending");
    EXPECT_EQ(admin.get("/api/v1/organisations?status=sleeping").status, 422);
    EXPECT_EQ(admin.get("/api/v1/organisations?kind=club").status, 422);
}

TEST(Organisations, MembersSeeTheirOwnOnly) {
    Api worker = logged_in(kWorker);
    const int own = worker.get("/api/v1/me")["organisation_id"];
    EXPECT_EQ(worker.get("/api/v1/organisations/" + std::to_string(own)).status, 200);
    EXPECT_EQ(worker.get("/api/v1/organisations/" + std::to_string(own) + "/users").status, 200);
    const int other = logged_in(kOtherWorker).get("/api/v1/me")["organisation_id"];
    EXPECT_EQ(worker.get("/api/v1/organisations/" + std::to_string(other)).status, 404);
    EXPECT_EQ(worker.get("/api/v1/organisations/" + std::to_string(other) + "/users").status, 404);
    EXPECT_EQ(worker.get("/api/v1/organisations").status, 403);
}

TEST(Users, InviteApproveSuspend) {
    Api worker = logged_in(kWorker);
    const int org = worker.get("/api/v1/me")["organisation_id"];
    const std::string email = "collegue" + unique_suffix() + "@ccas11.test";
    Reply inv =
        worker.post("/api/v1/organisations/" + std::to_string(org) + "/users",
                    {{"email", email}, {"password", "mot-de-passe-collegue"}, {"display_name", "Léo Collègue"}});
    ASSERT_EQ(inv.status, 201) << inv.body;
    EXPECT_EQ(inv["status"], "pending");
    const int uid = inv["id"];
    Api colleague(demo_server());
    colleague.login(email, "mot-de-passe-collegue");
    EXPECT_EQ(colleague.get("/api/v1/beneficiaries").error_code(), "account_inactive");
    Api admin = logged_in(kAdmin);
    EXPECT_EQ(admin.post("/api/v1/users/" + std::to_string(uid) + "/approve").status, 200);
    EXPECT_EQ(colleague.get("/api/v1/beneficiaries").status, 200);
    EXPECT_EQ(admin.post("/api/v1/users/" + std::to_string(uid) + "/suspend").status, 200);
    // Suspension ends the open sessions at once.
    EXPECT_EQ(colleague.get("/api/v1/me").status, 401);
    EXPECT_EQ(admin.post("/api/v1/users/" + std::to_string(uid) + "/suspend").status, 409);
    EXPECT_EQ(admin.post("/api/v1/users/999999/approve").status, 404);
    // Only admins approve.
    EXPECT_EQ(worker.post("/api/v1/users/" + std::to_string(uid) + "/approve").status, 403);
}

TEST(Admins, ScopedAdminSeesOnlyItsDepartements) {
    Api admin = logged_in(kAdmin);
    Api scoped = rhone_admin();
    const std::string email = "admin-autre" + unique_suffix() + "@demo.uneplace.test";  // for the refused ones
    Reply orgs = scoped.get("/api/v1/organisations?limit=500");
    ASSERT_EQ(orgs.status, 200);
    ASSERT_FALSE(orgs.items().empty());
    for (const auto& o : orgs.items()) EXPECT_EQ(o["territory"], "69");
    // Paris organisations are invisible (404), settings too; its own territory is reachable.
    const int paris = logged_in(kWorker).get("/api/v1/me")["organisation_id"];
    EXPECT_EQ(scoped.get("/api/v1/organisations/" + std::to_string(paris)).status, 404);
    EXPECT_EQ(scoped.post("/api/v1/organisations/" + std::to_string(paris) + "/suspend").status, 404);
    EXPECT_EQ(scoped.get("/api/v1/settings/75").status, 404);
    EXPECT_EQ(scoped.get("/api/v1/settings/69").status, 200);
    EXPECT_EQ(scoped.get("/api/v1/settings/*").status, 403);
    const json rhone_bookings = scoped.get("/api/v1/bookings?limit=500").items();
    ASSERT_FALSE(rhone_bookings.empty()) << "the demo has bookings in the Rhône";
    for (const auto& b : rhone_bookings) EXPECT_EQ(b["session"]["territory"], "69");
    Api paris_worker = logged_in(kWorker);
    Reply paris_booking = book(paris_worker, fresh_session(demo_server()), new_beneficiary(paris_worker));
    ASSERT_EQ(paris_booking.status, 201) << paris_booking.body;
    EXPECT_EQ(admin.get("/api/v1/bookings/" + std::to_string(paris_booking["id"].get<int>())).status, 200);
    EXPECT_EQ(scoped.get("/api/v1/bookings/" + std::to_string(paris_booking["id"].get<int>())).status, 404);
    EXPECT_EQ(scoped.get("/api/v1/stats?territory=75").status, 403);
    EXPECT_EQ(scoped.get("/api/v1/audit").status, 403);
    // Only national admins create admins.
    EXPECT_EQ(scoped
                  .post("/api/v1/admins",
                        {{"email", "x" + email}, {"password", "mot-de-passe-du-rhone"}, {"display_name", "Autre"}})
                  .status,
              403);
    EXPECT_EQ(admin
                  .post("/api/v1/admins", {{"email", "y" + email},
                                           {"password", "mot-de-passe-du-rhone"},
                                           {"display_name", "Autre"},
                                           {"territories", {"99"}}})
                  .status,
              422);
}

TEST(Settings, ReadAndChangeWithValidation) {
    // Its own server: the change would otherwise stay on the shared demo server for every later
    // test and every repetition.
    ServerProcess own;
    Api admin = logged_in(kAdmin, own);
    Reply s = admin.get("/api/v1/settings/33");
    ASSERT_EQ(s.status, 200);
    EXPECT_EQ(s["share_percent"], 25);
    EXPECT_EQ(s["max_upcoming_bookings"], 3);
    Reply put = admin.request("PUT", "/api/v1/settings/33", json{{"share_percent", 40}}.dump());
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(put["share_percent"], 40);
    EXPECT_EQ(put["max_upcoming_bookings"], 3) << "fields left out keep their value";
    EXPECT_EQ(admin.get("/api/v1/settings/33")["share_percent"], 40);
    Reply bad = admin.request("PUT", "/api/v1/settings/33", json{{"share_percent", 0}}.dump());
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.error_code(), "setting_out_of_range");
    EXPECT_EQ(admin.request("PUT", "/api/v1/settings/33", json{{"share_percent", "lots"}}.dump()).status, 422);
    EXPECT_EQ(admin.get("/api/v1/settings/99").status, 404);
    EXPECT_EQ(logged_in(kWorker, own).get("/api/v1/settings/75").status, 403);
    Reply audit = admin.get("/api/v1/audit?entity=settings");
    ASSERT_FALSE(audit.items().empty());
    EXPECT_EQ(audit.items()[0]["after"]["settings"]["share_percent"], 40);
}

TEST(Notifications, ConfirmationIsListedAndCanBeRead) {
    Api worker = logged_in(kWorker);
    const auto session = fresh_session(demo_server());
    const auto ben = new_beneficiary(worker);
    Reply b = book(worker, session, ben, 2);
    ASSERT_EQ(b.status, 201);
    Reply list = worker.get("/api/v1/notifications?unread=true");
    ASSERT_EQ(list.status, 200);
    json found;
    for (const auto& n : list.items())
        if (n["booking_id"] == b.json_body()["id"]) found = n;
    ASSERT_FALSE(found.is_null());
    EXPECT_EQ(found["kind"], "booking_confirmed");
    EXPECT_NE(found["message"].get<std::string>().find(b.json_body()["code"].get<std::string>()), std::string::npos);
    Reply read = worker.post("/api/v1/notifications/" + std::to_string(found["id"].get<int>()) + "/read");
    EXPECT_EQ(read.status, 200);
    EXPECT_EQ(read["read"], true);
    // Someone else's notification does not exist for you.
    EXPECT_EQ(logged_in(kOtherWorker)
                  .post("/api/v1/notifications/" + std::to_string(found["id"].get<int>()) + "/read")
                  .status,
              404);
}

TEST(RateLimit, WrongPasswordsBackOffPerAccount) {
    // --login-rate 3: three wrong passwords, then the account waits (frontdoor_test.cpp has more).
    ServerProcess s({.demo = false, .extra_args = {"--login-rate", "3"}});
    Api api(s);
    int limited = 0;
    for (int i = 0; i < 6; ++i) {
        Reply r = api.post("/api/v1/auth/login", {{"email", "x@y.fr"}, {"password", "whatever-password"}});
        if (r.status == 429) {
            ++limited;
            EXPECT_EQ(r.error_code(), "rate_limited");
            EXPECT_FALSE(r.header("Retry-After").empty());
        } else {
            EXPECT_EQ(r.status, 401);
        }
    }
    EXPECT_GE(limited, 2);
    // Another account from the same address is not held back by the first one's attempts.
    EXPECT_EQ(api.post("/api/v1/auth/login", {{"email", "z@y.fr"}, {"password", "whatever-password"}}).status, 401);
}
