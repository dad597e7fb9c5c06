// The booking storm and the catalogue under load, small versions of the benchmark (bench/): the
// same load generator against the real server. Correctness only, no timing: the places held end
// exactly at capacity, every other answer is a rule's refusal, never a 5xx or a dropped connection.
#include <gtest/gtest.h>

#include <set>

#include "harness.hpp"
#include "loadgen.hpp"

using namespace uneplace::test;
namespace bench = uneplace::bench;

namespace {

// The seven demo structures, so the R4 share cap (13 places of 50 each) leaves room to fill it.
const char* kStormWorkers[] = {kWorker,
                               kOtherWorker,
                               "lyon@demo.uneplace.test",
                               "marseille@demo.uneplace.test",
                               "hirondelles@demo.uneplace.test",
                               "entraide@demo.uneplace.test",
                               "saintdenis@demo.uneplace.test"};

}  // namespace

TEST(Storm, TwoHundredClientsAtOnceFillFiftyPlacesExactly) {
    ServerProcess s({.extra_args = {"--login-rate", "100000"}});
    std::vector<Api> workers;
    for (const char* email : kStormWorkers) workers.push_back(logged_in(email, s));
    const std::int64_t session = fresh_session(s, {{"capacity", 50}, {"max_per_booking", 1}});
    std::vector<bench::StormClient> crowd;
    for (int i = 0; i < 200; ++i) {
        const Api& w = workers[static_cast<std::size_t>(i) % workers.size()];
        crowd.push_back({w.token, new_beneficiary(w)});
    }

    const bench::StormResult r = bench::storm({s.host(), s.port()}, session, crowd, 1);

    EXPECT_EQ(r.answers.requests, 200u);
    EXPECT_EQ(r.answers.server_errors(), 0u) << "no 5xx, no dropped connection";
    EXPECT_EQ(r.answers.count(201), 50u);
    EXPECT_EQ(r.confirmed_places, 50);
    EXPECT_EQ(r.answers.count(409), 150u);
    for (const auto& [code, n] : r.answers.by_code)
        EXPECT_TRUE(code == "session_full" || code == "structure_share_exceeded") << code << " ×" << n;
    // The server's own count agrees: full, never more.
    Api admin = logged_in(kAdmin, s);
    Reply detail = admin.get("/api/v1/sessions/" + std::to_string(session));
    ASSERT_EQ(detail.status, 200) << detail.body;
    EXPECT_EQ(detail["places_held"], 50);
    EXPECT_EQ(detail["places_left"], 0);
}

TEST(Storm, CatalogueUnderLoadAnswersEveryFilter) {
    Api worker = logged_in(kWorker);
    const std::vector<std::string> paths = {
        "/api/v1/catalogue?territory=75&category=theatre",
        "/api/v1/catalogue?territory=69&from=" + utc_in(0) + "&to=" + utc_in(60 * 86400),
        "/api/v1/catalogue?available=true&category=concert",
        "/api/v1/catalogue?q=Th%C3%A9%C3%A2tre",
        "/api/v1/catalogue?accessible=wheelchair&available=true",
        "/healthz",
    };
    const bench::LoadResult r = bench::closed_loop(
        {demo_server().host(), demo_server().port()}, 8, 0, [&](std::uint64_t n) -> std::optional<bench::Call> {
            if (n >= 300) return std::nullopt;
            return bench::Call{"GET", paths[n % paths.size()], "", worker.token};
        });
    EXPECT_EQ(r.requests, 300u);
    EXPECT_EQ(r.count(200), 300u) << (r.by_code.empty() ? "" : r.by_code.begin()->first);
}
