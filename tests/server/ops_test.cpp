// Operations: /metrics, the OpenAPI document, backup while serving, migrate, create-admin.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "harness.hpp"

using namespace uneplace::test;

namespace {
// Runs the binary with `args`, feeding `input` on stdin; returns (exit status, stdout+stderr).
std::pair<int, std::string> run(const std::string& args, const std::string& input = "") {
    TempDir dir;
    const auto in_path = (dir.path() / "stdin.txt").string();
    const auto out_path = (dir.path() / "out.txt").string();
    {
        std::ofstream f(in_path);
        f << input;
    }
    const std::string cmd = "'" + binary_path() + "' " + args + " < '" + in_path + "' > '" + out_path + "' 2>&1";
    const int status = std::system(cmd.c_str());
    std::ifstream f(out_path);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, std::string(std::istreambuf_iterator<char>(f), {})};
}
}  // namespace

TEST(Metrics, PrometheusTextForAnAdmin) {
    Api api = logged_in(kWorker);
    api.get("/api/v1/catalogue");
    // Loopback is not trusted on the main listener (frontdoor_test.cpp: the metrics listener).
    EXPECT_EQ(Api(demo_server()).get("/metrics").status, 401);
    Reply r = logged_in(kAdmin).get("/metrics");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.header("Content-Type").find("text/plain"), std::string::npos);
    EXPECT_NE(r.body.find("# TYPE uneplace_http_requests_total counter"), std::string::npos);
    EXPECT_NE(r.body.find("route=\"/api/v1/catalogue\""), std::string::npos);
    EXPECT_NE(r.body.find("uneplace_http_request_duration_seconds_bucket"), std::string::npos);
    EXPECT_NE(r.body.find("uneplace_booking_requests_total"), std::string::npos);
}

TEST(OpenApi, DescribesEveryRouteOfTheContract) {
    Reply r = Api(demo_server()).get("/api/v1/openapi.json");
    ASSERT_EQ(r.status, 200);
    json doc = r.json_body();
    EXPECT_EQ(doc["openapi"], "3.0.3");
    const std::pair<const char*, const char*> contract[] = {{"post", "/api/v1/auth/login"},
                                                            {"post", "/api/v1/auth/logout"},
                                                            {"get", "/api/v1/me"},
                                                            {"post", "/api/v1/organisations"},
                                                            {"post", "/api/v1/organisations/{id}/approve"},
                                                            {"post", "/api/v1/organisations/{id}/suspend"},
                                                            {"get", "/api/v1/organisations"},
                                                            {"post", "/api/v1/venues"},
                                                            {"post", "/api/v1/offers"},
                                                            {"post", "/api/v1/offers/{id}/submit"},
                                                            {"post", "/api/v1/offers/{id}/approve"},
                                                            {"post", "/api/v1/offers/{id}/reject"},
                                                            {"post", "/api/v1/offers/{id}/sessions"},
                                                            {"patch", "/api/v1/sessions/{id}"},
                                                            {"post", "/api/v1/sessions/{id}/cancel"},
                                                            {"get", "/api/v1/catalogue"},
                                                            {"post", "/api/v1/beneficiaries"},
                                                            {"get", "/api/v1/beneficiaries"},
                                                            {"patch", "/api/v1/beneficiaries/{id}"},
                                                            {"post", "/api/v1/bookings"},
                                                            {"get", "/api/v1/bookings"},
                                                            {"post", "/api/v1/bookings/{id}/cancel"},
                                                            {"post", "/api/v1/bookings/{id}/feedback"},
                                                            {"get", "/api/v1/sessions/{id}/guest-list"},
                                                            {"post", "/api/v1/sessions/{id}/checkin"},
                                                            {"get", "/api/v1/stats"},
                                                            {"get", "/api/v1/exports/bookings.csv"},
                                                            {"get", "/healthz"},
                                                            {"get", "/metrics"}};
    for (auto [method, path] : contract) {
        ASSERT_TRUE(doc["paths"].contains(path)) << path;
        ASSERT_TRUE(doc["paths"][path].contains(method)) << method << " " << path;
        const json& op = doc["paths"][path][method];
        EXPECT_FALSE(op["summary"].get<std::string>().empty());
        EXPECT_FALSE(op["responses"].empty());
    }
    EXPECT_FALSE(doc["paths"].contains("/api/v1/test/clock")) << "test hooks are not part of the API";
    // Every error code of the shared table is listed in the Error schema.
    EXPECT_GT(doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"].size(), 50u);
}

TEST(Stats, ImpactFiguresAndCsvExport) {
    Api admin = logged_in(kAdmin);
    Reply all = admin.get("/api/v1/stats");
    ASSERT_EQ(all.status, 200) << all.body;
    ASSERT_EQ(all.items().size(), 1u);
    const json f = all.items()[0];
    EXPECT_GT(f["places_donated"].get<int>(), 0);
    EXPECT_GT(f["people_attended"].get<int>(), 0) << "the demo has past outings";
    EXPECT_GT(f["ratings_count"].get<int>(), 0);
    Reply by_territory = admin.get("/api/v1/stats?group_by=territory");
    ASSERT_EQ(by_territory.status, 200);
    std::set<std::string> keys;
    for (const auto& row : by_territory.items()) keys.insert(row["key"]);
    EXPECT_TRUE(keys.count("974"));
    EXPECT_EQ(admin.get("/api/v1/stats?group_by=month").status, 200);
    EXPECT_EQ(admin.get("/api/v1/stats?group_by=category&territory=75").status, 200);
    EXPECT_EQ(admin.get("/api/v1/stats?group_by=planet").status, 422);
    Reply csv = admin.get("/api/v1/exports/bookings.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.header("Content-Type").find("text/csv"), std::string::npos);
    EXPECT_NE(csv.body.find("Référence bénéficiaire"), std::string::npos);
    // P2: no beneficiary name in the export (demo names).
    for (const char* name : {"Kaci", "Morel", "Diallo", "Payet", "Amina"})
        EXPECT_EQ(csv.body.find(name), std::string::npos) << name;
}

TEST(Backup, OnlineBackupWhileServingIsAUsableDatabase) {
    ServerProcess s;
    Api worker = logged_in(kWorker, s);
    const auto sid = fresh_session(s);
    Reply b = book(worker, sid, new_beneficiary(worker));
    ASSERT_EQ(b.status, 201);
    TempDir dir;
    const std::string out = (dir.path() / "sauvegarde.db").string();
    auto [status, text] = run("backup --db '" + s.db_path() + "' --out '" + out + "'");
    ASSERT_EQ(status, 0) << text;
    EXPECT_EQ(Api(s).get("/healthz").status, 200) << "still serving";
    ServerProcess restored({.demo = false, .db_path = out});
    Api again = logged_in(kWorker, restored);
    Reply copy = again.get("/api/v1/bookings/" + std::to_string(b["id"].get<int>()));
    ASSERT_EQ(copy.status, 200);
    EXPECT_EQ(copy["code"], b["code"]);
}

TEST(Migrate, ForwardOnlyAndIdempotent) {
    TempDir dir;
    const std::string db = (dir.path() / "m.db").string();
    auto [s1, t1] = run("migrate --db '" + db + "'");
    EXPECT_EQ(s1, 0) << t1;
    // From an empty file, every migration: as many applied as the version reached.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(t1, m, std::regex(R"(version (\d+), (\d+) migration)"))) << t1;
    EXPECT_EQ(m[1].str(), m[2].str()) << t1;
    EXPECT_GE(std::stoi(m[1].str()), 14) << t1;
    auto [s2, t2] = run("migrate --db '" + db + "'");
    EXPECT_EQ(s2, 0);
    EXPECT_NE(t2.find("0 migration"), std::string::npos) << t2;
}

// A catalogue page walks one of migration 5's indexes in start order and stops at its limit: of
// the département and category when both are asked, of the département, of the category, or of
// every listed session — never all the offers first (the Bloom filter SQLite built over every
// offer to check "published" cost 4 ms a page on the national data). Checked on the file a real
// server wrote, with the plan of the catalogue's own WHERE clause, not a stopwatch.
TEST(Migrate, CataloguePagesWalkTheListedSessionsIndexes) {
    ServerProcess s;
    ASSERT_EQ(Api(s).get("/healthz").status, 200);
    SQLite::Database db(s.db_path(), SQLite::OPEN_READONLY);
    EXPECT_TRUE(db.tableExists("sqlite_stat1")) << "statistics taken at start";
    auto plan_of = [&](const std::string& filters) {
        SQLite::Statement plan(
            db, "EXPLAIN QUERY PLAN SELECT s.id FROM sessions s JOIN offers o ON o.id = s.offer_id"
                " JOIN venues v ON v.id = o.venue_id JOIN organisations p ON p.id = o.partner_id"
                " WHERE s.offer_published = 1 AND s.status = 'scheduled' AND s.closes_at > 0 AND s.start_at > 7200" +
                    filters + " ORDER BY s.start_at, s.id LIMIT 51");
        std::string steps;
        while (plan.executeStep()) steps += plan.getColumn(3).getString() + " / ";
        return steps;
    };
    const std::string both = plan_of(" AND s.territory = '75' AND s.category = 'theatre'");
    EXPECT_NE(both.find("sessions_listed_by_territory_category"), std::string::npos) << both;
    const std::string territory = plan_of(" AND s.territory = '75'");
    EXPECT_NE(territory.find("sessions_listed_by_territory "), std::string::npos) << territory;
    const std::string category = plan_of(" AND s.category = 'museum' AND s.capacity > s.places_held");
    EXPECT_NE(category.find("sessions_listed_by_category"), std::string::npos) << category;
    const std::string france = plan_of("");
    EXPECT_NE(france.find("sessions_listed "), std::string::npos) << france;
    for (const std::string* p : {&both, &territory, &category, &france}) {
        EXPECT_EQ(p->find("BLOOM"), std::string::npos) << *p;
        EXPECT_EQ(p->find("TEMP B-TREE"), std::string::npos) << "sorted by the index itself: " << *p;
    }
}

TEST(CreateAdmin, ReadsThePasswordFromStdin) {
    TempDir dir;
    const std::string db = (dir.path() / "a.db").string();
    auto [bad, bad_text] = run("create-admin --db '" + db + "' --email chef@asso.test", "court\n");
    EXPECT_NE(bad, 0);
    EXPECT_NE(bad_text.find("12"), std::string::npos) << bad_text;
    auto [ok, ok_text] = run("create-admin --db '" + db + "' --email chef@asso.test", "un mot de passe très long\n");
    ASSERT_EQ(ok, 0) << ok_text;
    auto [dup, dup_text] = run("create-admin --db '" + db + "' --email chef@asso.test", "un mot de passe très long\n");
    EXPECT_NE(dup, 0);
    ServerProcess s({.demo = false, .test_hooks = false, .db_path = db});
    Api api(s);
    Reply r = api.login("chef@asso.test", "un mot de passe très long");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json_body()["user"]["role"], "admin");
}

TEST(TestHooks, AbsentWithoutTheFlag) {
    ServerProcess s({.demo = false, .test_hooks = false});
    EXPECT_EQ(Api(s).post("/api/v1/test/clock", {{"advance_s", 100}}).status, 404);
}
