// The authorization matrix: every kind of caller against the routes, with what each must get.
// 401 anonymous, 403 a role the route is not for (or an inactive account), 404 what one may not
// see (another partner's session, another structure's beneficiary), 2xx or the rule's 409 otherwise.
#include <gtest/gtest.h>

#include <map>

#include "harness.hpp"

using namespace uneplace::test;

namespace {

enum Who { Anonymous, Admin, Partner, Worker, OtherPartner, OtherWorker, Pending, Suspended, kWhoCount };
const char* kWhoNames[] = {"anonymous",           "admin",        "partner",       "social_worker", "other_partner",
                           "other_social_worker", "pending_user", "suspended_user"};

struct Case {
    std::string method, path;
    json body;
    std::map<Who, int> expected;  // missing: anonymous 401, pending/suspended 403, others 403
};

struct World {
    std::array<Api, kWhoCount> callers{Api(demo_server()), Api(demo_server()), Api(demo_server()), Api(demo_server()),
                                       Api(demo_server()), Api(demo_server()), Api(demo_server()), Api(demo_server())};
    std::int64_t session = 0, offer = 0, venue = 0, beneficiary = 0, booking = 0, worker_org = 0, other_session = 0;
    std::string code;
    std::string pending_email;
};

World& world() {
    static World w = [] {
        World made;
        made.callers[Admin].login(kAdmin);
        made.callers[Partner].login(kPartner);
        made.callers[Worker].login(kWorker);
        made.callers[OtherPartner].login(kOtherPartner);
        made.callers[OtherWorker].login(kOtherWorker);
        Api& admin = made.callers[Admin];
        // A pending structure user, and a user of an active structure who was then suspended.
        const std::string stamp = unique_suffix();
        for (Who who : {Pending, Suspended}) {
            const std::string email = std::string(who == Pending ? "pending" : "suspended") + stamp + "@matrix.test";
            Reply r =
                Api(demo_server())
                    .post("/api/v1/organisations",
                          {{"kind", "structure"},
                           {"name", "Structure " + email},
                           {"territory", "75"},
                           {"contact",
                            {{"email", email}, {"password", "mot-de-passe-matrice"}, {"display_name", "Matrice"}}}});
            if (who == Suspended) {
                const std::string org = std::to_string(r.json_body()["id"].get<int>());
                admin.post("/api/v1/organisations/" + org + "/approve");
                const json contact = admin.get("/api/v1/organisations/" + org + "/users").items().at(0);
                admin.post("/api/v1/users/" + std::to_string(contact["id"].get<int>()) + "/suspend");
            }
            made.callers[who].login(email, "mot-de-passe-matrice");
            if (who == Pending) made.pending_email = email;
        }
        made.offer = published_offer(made.callers[Partner], admin);
        made.session = new_session(made.callers[Partner], made.offer)["session_id"];
        made.venue = first_venue(made.callers[Partner]);
        made.beneficiary = new_beneficiary(made.callers[Worker]);
        Reply b = book(made.callers[Worker], made.session, made.beneficiary);
        made.booking = b.json_body()["id"];
        made.code = b.json_body()["code"];
        made.worker_org = made.callers[Worker].get("/api/v1/me").json_body()["organisation_id"];
        return made;
    }();
    return w;
}

std::vector<Case> cases(const World& w) {
    const std::string S = std::to_string(w.session), O = std::to_string(w.offer), V = std::to_string(w.venue),
                      B = std::to_string(w.beneficiary), K = std::to_string(w.booking),
                      G = std::to_string(w.worker_org);
    const int ok = 200;
    return {
        {"GET",
         "/healthz",
         nullptr,
         {{Anonymous, ok},
          {Admin, ok},
          {Partner, ok},
          {Worker, ok},
          {OtherPartner, ok},
          {OtherWorker, ok},
          {Pending, ok},
          {Suspended, ok}}},
        {"GET",
         "/api/v1/openapi.json",
         nullptr,
         {{Anonymous, ok},
          {Admin, ok},
          {Partner, ok},
          {Worker, ok},
          {OtherPartner, ok},
          {OtherWorker, ok},
          {Pending, ok},
          {Suspended, ok}}},
        {"GET",
         "/api/v1/me",
         nullptr,
         {{Admin, ok},
          {Partner, ok},
          {Worker, ok},
          {OtherPartner, ok},
          {OtherWorker, ok},
          {Pending, ok},
          {Suspended, ok}}},
        {"GET", "/api/v1/catalogue", nullptr, {{Admin, ok}, {Worker, ok}, {OtherWorker, ok}}},
        {"GET", "/api/v1/organisations", nullptr, {{Admin, ok}}},
        {"GET",
         "/api/v1/organisations/" + G,
         nullptr,
         {{Admin, ok}, {Worker, ok}, {OtherWorker, 404}, {Partner, 404}, {OtherPartner, 404}}},
        {"GET",
         "/api/v1/organisations/" + G + "/users",
         nullptr,
         {{Admin, ok}, {Worker, ok}, {OtherWorker, 404}, {Partner, 404}, {OtherPartner, 404}}},
        {"POST", "/api/v1/organisations/" + G + "/approve", nullptr, {{Admin, 409}}},
        {"GET", "/api/v1/settings/75", nullptr, {{Admin, ok}}},
        {"GET",
         "/api/v1/notifications",
         nullptr,
         {{Admin, ok}, {Partner, ok}, {Worker, ok}, {OtherPartner, ok}, {OtherWorker, ok}}},
        {"GET", "/api/v1/venues", nullptr, {{Admin, ok}, {Partner, ok}, {OtherPartner, ok}}},
        {"GET", "/api/v1/venues/" + V, nullptr, {{Admin, ok}, {Partner, ok}, {OtherPartner, 404}}},
        {"PATCH", "/api/v1/venues/" + V, json{{"city", "Paris"}}, {{Admin, ok}, {Partner, ok}, {OtherPartner, 404}}},
        {"GET",
         "/api/v1/offers/" + O,
         nullptr,
         {{Admin, ok}, {Partner, ok}, {OtherPartner, 404}, {Worker, ok}, {OtherWorker, ok}}},
        {"POST", "/api/v1/offers/" + O + "/submit", nullptr, {{Partner, 409}, {OtherPartner, 404}}},
        {"POST", "/api/v1/offers/" + O + "/approve", nullptr, {{Admin, 409}}},
        {"GET",
         "/api/v1/offers/" + O + "/sessions",
         nullptr,
         {{Admin, ok}, {Partner, ok}, {OtherPartner, 404}, {Worker, ok}, {OtherWorker, ok}}},
        {"GET",
         "/api/v1/sessions/" + S,
         nullptr,
         {{Admin, ok}, {Partner, ok}, {OtherPartner, 404}, {Worker, ok}, {OtherWorker, ok}}},
        {"PATCH", "/api/v1/sessions/" + S, json{{"max_per_booking", 2}}, {{Partner, ok}, {OtherPartner, 404}}},
        {"GET", "/api/v1/sessions/" + S + "/guest-list", nullptr, {{Admin, ok}, {Partner, ok}, {OtherPartner, 404}}},
        {"POST",
         "/api/v1/sessions/" + S + "/checkin",
         json{{"code", w.code}, {"attended_count", 1}},
         {{Partner, 409}, {OtherPartner, 404}}},
        {"GET",
         "/api/v1/sessions/" + S + "/guest-list.csv",
         nullptr,
         {{Admin, ok}, {Partner, ok}, {OtherPartner, 404}}},
        {"POST",
         "/api/v1/sessions/" + S + "/checkin/undo",
         json{{"code", w.code}},
         {{Partner, 409}, {OtherPartner, 404}}},
        {"GET", "/api/v1/beneficiaries", nullptr, {{Worker, ok}, {OtherWorker, ok}}},
        {"GET", "/api/v1/beneficiaries/" + B, nullptr, {{Worker, ok}, {OtherWorker, 404}}},
        {"PATCH", "/api/v1/beneficiaries/" + B, json{{"household_size", 2}}, {{Worker, ok}, {OtherWorker, 404}}},
        {"POST",
         "/api/v1/bookings",
         json{{"session_id", w.session}, {"beneficiary_id", w.beneficiary}, {"places", 1}},
         {{Worker, 409}, {OtherWorker, 404}}},
        {"GET", "/api/v1/bookings", nullptr, {{Admin, ok}, {Worker, ok}, {OtherWorker, ok}}},
        {"GET", "/api/v1/bookings/" + K, nullptr, {{Admin, ok}, {Worker, ok}, {OtherWorker, 404}}},
        {"GET", "/api/v1/bookings/" + K + "/invitation.pdf", nullptr, {{Admin, ok}, {Worker, ok}, {OtherWorker, 404}}},
        {"GET", "/api/v1/sessions/" + S + "/door-list.pdf", nullptr, {{Admin, ok}, {Partner, ok}, {OtherPartner, 404}}},
        {"POST", "/api/v1/bookings/" + K + "/feedback", json{{"went", "yes"}}, {{Worker, 409}, {OtherWorker, 404}}},
        {"GET", "/api/v1/stats", nullptr, {{Admin, ok}}},
        {"GET", "/api/v1/exports/bookings.csv", nullptr, {{Admin, ok}}},
        {"GET", "/api/v1/audit", nullptr, {{Admin, ok}}},
        {"GET", "/api/v1/admin/consistency", nullptr, {{Admin, ok}}},
        {"POST", "/api/v1/auth/logout", nullptr, {}},  // checked separately (it ends the session)
    };
}

int expected_for(const Case& c, Who who) {
    auto it = c.expected.find(who);
    if (it != c.expected.end()) return it->second;
    if (who == Anonymous) return 401;
    return 403;
}

}  // namespace

TEST(AuthorizationMatrix, EveryCallerAgainstEveryRoute) {
    World& w = world();
    int checked = 0;
    for (const Case& c : cases(w)) {
        if (c.path == "/api/v1/auth/logout") continue;
        for (int who = 0; who < kWhoCount; ++who) {
            const Api& api = w.callers[who];
            Reply r = api.request(c.method, c.path, c.body.is_null() ? "" : c.body.dump());
            EXPECT_EQ(r.status, expected_for(c, static_cast<Who>(who)))
                << c.method << " " << c.path << " as " << kWhoNames[who] << ": " << r.body.substr(0, 300);
            if (r.status >= 400 && r.status != 405) {
                EXPECT_FALSE(r.error_code().empty()) << c.path;
            }
            if ((who == Pending || who == Suspended) && r.status == 403) {
                EXPECT_EQ(r.error_code(), "account_inactive") << c.path;
            }
            ++checked;
        }
    }
    EXPECT_GT(checked, 200);
}

TEST(AuthorizationMatrix, EveryRouteOfTheDocumentRefusesAnonymousCallers) {
    // Walks the OpenAPI document itself, so a route added later is covered without editing this test.
    Api anon(demo_server());
    json doc = anon.get("/api/v1/openapi.json").json_body();
    int checked = 0;
    for (auto& [path, ops] : doc["paths"].items()) {
        for (auto& [method, op] : ops.items()) {
            std::string concrete = path;
            for (auto pos = concrete.find('{'); pos != std::string::npos; pos = concrete.find('{')) {
                auto end = concrete.find('}', pos);
                const bool territory = concrete.substr(pos, end - pos + 1) == "{territory}";
                concrete.replace(pos, end - pos + 1, territory ? "75" : "1");
            }
            std::string m = method;
            for (auto& ch : m) ch = static_cast<char>(std::toupper(ch));
            Reply r = anon.request(m, concrete, "{}");
            const bool open = op.contains("security") && op["security"].empty();
            if (open) {
                EXPECT_NE(r.status, 401) << m << " " << path;
                EXPECT_LT(r.status, 500) << m << " " << path;
            } else {
                EXPECT_EQ(r.status, 401) << m << " " << path << ": " << r.body;
            }
            ++checked;
        }
    }
    EXPECT_GT(checked, 40);
}

TEST(AuthorizationMatrix, InactiveAccountsMayStillLogOut) {
    World& w = world();
    Api pending(demo_server());
    ASSERT_EQ(pending.login(w.pending_email, "mot-de-passe-matrice").status, 200);
    EXPECT_EQ(pending.post("/api/v1/auth/logout").status, 200);
    EXPECT_EQ(pending.get("/api/v1/me").status, 401);
}
