// The catalogue: demo sessions, fields, places_left, filters, pagination, who may read it.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "harness.hpp"

using namespace uneplace::test;

namespace {
// The catalogue tests read a demo server of their own: counts of the shared demo server move with
// the sessions and bookings other tests add, in any order (--gtest_shuffle) and on every repeat.
ServerProcess& catalogue_server() {
    static ServerProcess server({.extra_args = {"--login-rate", "100000"}});
    return server;
}

json all_items(const Api& api, const std::string& query = "") {
    Reply r = api.get("/api/v1/catalogue?limit=500" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    const json items = r.items();
    EXPECT_LT(items.size(), 500u) << "one page holds the whole answer";
    return items;
}

std::set<int> session_ids(const json& items) {
    std::set<int> ids;
    for (const auto& it : items) ids.insert(it["session_id"].get<int>());
    return ids;
}
}  // namespace

TEST(Catalogue, ListsTheDemoSessionsWithEveryField) {
    Api api = logged_in(kWorker, catalogue_server());
    json items = all_items(api);
    ASSERT_GE(items.size(), 50u);
    std::set<std::string> territories, categories;
    int ballots = 0, full = 0, nearly_full = 0;
    for (const auto& it : items) {
        for (const char* k :
             {"session_id",   "offer_id",    "title",         "category",        "venue",      "territory", "start",
              "start_local",  "capacity",    "places_left",   "max_per_booking", "allocation", "closes_at", "draw_at",
              "duration_min", "description", "accessibility", "pickup_mode",     "min_age",    "partner"})
            ASSERT_TRUE(it.contains(k)) << k << " missing in " << it.dump();
        for (const char* k : {"id", "name", "address", "postal_code", "city"})
            EXPECT_TRUE(it["venue"].contains(k)) << k;
        for (const char* k : {"wheelchair", "hearing", "visual", "cognitive"})
            EXPECT_TRUE(it["accessibility"][k].is_boolean()) << k;
        EXPECT_TRUE(it["partner"]["name"].is_string());
        EXPECT_GE(it["places_left"].get<int>(), 0);
        EXPECT_LE(it["places_left"].get<int>(), it["capacity"].get<int>());
        EXPECT_EQ(it["start"].get<std::string>().back(), 'Z');
        const std::string local = it["start_local"];
        EXPECT_TRUE(local.size() == 25 && (local[19] == '+' || local[19] == '-')) << local;
        if (it["allocation"] == "ballot") {
            ++ballots;
            EXPECT_TRUE(it["draw_at"].is_string());
        } else {
            EXPECT_TRUE(it["draw_at"].is_null());
        }
        if (it["places_left"] == 0) ++full;
        if (it["places_left"] == 1) ++nearly_full;
        territories.insert(it["territory"]);
        categories.insert(it["category"]);
    }
    EXPECT_GE(territories.size(), 5u);
    EXPECT_TRUE(territories.count("974")) << "an overseas département";
    EXPECT_EQ(categories.size(), 17u) << "every category";
    EXPECT_GE(ballots, 3);
    EXPECT_GE(full, 1);
    EXPECT_GE(nearly_full, 3);
}

TEST(Catalogue, OverseasSessionsCarryTheirOwnOffset) {
    Api api = logged_in(kWorker, catalogue_server());
    const json reunion = all_items(api, "&territory=974");
    ASSERT_FALSE(reunion.empty()) << "the demo has sessions in La Réunion";
    for (const auto& it : reunion) EXPECT_EQ(it["start_local"].get<std::string>().substr(19), "+04:00");
}

TEST(Catalogue, AdminReadsItTooButPartnerAndAnonymousDoNot) {
    EXPECT_EQ(logged_in(kAdmin, catalogue_server()).get("/api/v1/catalogue").status, 200);
    EXPECT_EQ(logged_in(kPartner, catalogue_server()).get("/api/v1/catalogue").status, 403);
    EXPECT_EQ(Api(catalogue_server()).get("/api/v1/catalogue").status, 401);
}

TEST(Catalogue, PaginationVisitsEveryItemOnce) {
    Api api = logged_in(kWorker, catalogue_server());
    const auto total = all_items(api).size();
    std::set<int> seen;
    std::string cursor;
    int pages = 0;
    do {
        Reply r = api.get("/api/v1/catalogue?limit=7" + (cursor.empty() ? "" : "&cursor=" + cursor));
        ASSERT_EQ(r.status, 200);
        json j = r.json_body();
        ASSERT_LE(j["items"].size(), 7u);
        for (const auto& it : j["items"]) EXPECT_TRUE(seen.insert(it["session_id"].get<int>()).second);
        cursor = j["next_cursor"].is_null() ? "" : j["next_cursor"].get<std::string>();
        ASSERT_LT(++pages, 100);
    } while (!cursor.empty());
    EXPECT_EQ(seen.size(), total);
}

TEST(Catalogue, Filters) {
    Api api = logged_in(kWorker, catalogue_server());
    // Each filter gives exactly the sessions of the whole list that match it, never none, never all.
    const json all = all_items(api);
    auto expect_filter = [&](const std::string& query, const std::function<bool(const json&)>& matches) {
        std::set<int> expected;
        for (const auto& it : all)
            if (matches(it)) expected.insert(it["session_id"].get<int>());
        EXPECT_FALSE(expected.empty()) << query << ": the demo has matching sessions";
        EXPECT_LT(expected.size(), all.size()) << query << ": and others";
        EXPECT_EQ(session_ids(all_items(api, query)), expected) << query;
    };
    expect_filter("&territory=75", [](const json& it) { return it["territory"] == "75"; });
    expect_filter("&category=theatre", [](const json& it) { return it["category"] == "theatre"; });
    expect_filter("&available=true", [](const json& it) { return it["places_left"].get<int>() > 0; });
    expect_filter("&accessible=wheelchair",
                  [](const json& it) { return it["accessibility"]["wheelchair"].get<bool>(); });
    expect_filter("&q=Misanthrope", [](const json& it) { return it["title"] == "Le Misanthrope"; });
    // from (inclusive) and to (exclusive) on the start, around the middle session of the list.
    const json& middle = all[all.size() / 2];
    const std::string at = middle["start"];
    expect_filter("&from=" + at, [&](const json& it) { return it["start"].get<std::string>() >= at; });
    expect_filter("&to=" + at, [&](const json& it) { return it["start"].get<std::string>() < at; });
    EXPECT_TRUE(all_items(api, "&q=%25%25%25").empty()) << "LIKE wildcards are literal";
}

TEST(Catalogue, BadFiltersAre422) {
    Api api = logged_in(kWorker, catalogue_server());
    EXPECT_EQ(api.get("/api/v1/catalogue?territory=99").status, 422);
    EXPECT_EQ(api.get("/api/v1/catalogue?category=rodeo").status, 422);
    EXPECT_EQ(api.get("/api/v1/catalogue?limit=0").status, 422);
    EXPECT_EQ(api.get("/api/v1/catalogue?limit=501").status, 422);
    EXPECT_EQ(api.get("/api/v1/catalogue?from=yesterday").status, 422);
    EXPECT_EQ(api.get("/api/v1/catalogue?cursor=garbage").status, 422);
    EXPECT_EQ(api.get("/api/v1/catalogue?accessible=wings").status, 422);
}

//-----------------------------------------------------------------------------
// The page cache: a page is answered again only while it is exactly what a new read would give
//-----------------------------------------------------------------------------

namespace {
const char* const kHits = "uneplace_catalogue_page_cache_hits_total";

json item_of(const json& items, std::int64_t session) {
    for (const auto& it : items)
        if (it["session_id"] == session) return it;
    return nullptr;
}
}  // namespace

TEST(CataloguePageCache, ServesAPageAgainUntilAWriteThenReadsItAnew) {
    ServerProcess server;
    Api worker = logged_in(kWorker, server);
    Api admin = logged_in(kAdmin, server);
    const std::int64_t session = fresh_session(server, {{"capacity", 10}});
    const std::string page = "/api/v1/catalogue?limit=500&territory=75";

    const Reply first = worker.get(page);
    ASSERT_EQ(first.status, 200) << first.body;
    ASSERT_EQ(item_of(first.items(), session)["places_left"], 10) << "the new session is on the page";
    const double hits = metric(admin, kHits);
    // The same question, its parameters in another order: the kept page, as it was.
    const Reply again = worker.get("/api/v1/catalogue?territory=75&limit=500");
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(metric(admin, kHits), hits + 1) << "answered from the kept page";

    // A booking commits: the next answer is read anew and shows it.
    const Reply booked = book(worker, session, new_beneficiary(worker), 2);
    ASSERT_EQ(booked.status, 201) << booked.body;
    const Reply after = worker.get(page);
    ASSERT_EQ(after.status, 200);
    EXPECT_EQ(item_of(after.items(), session)["places_left"], 8);
    EXPECT_EQ(metric(admin, kHits), hits + 1) << "not from the kept page";

    // The session cancelled by its partner leaves the catalogue at once.
    Api partner = logged_in(kPartner, server);
    ASSERT_EQ(partner.post("/api/v1/sessions/" + std::to_string(session) + "/cancel").status, 200);
    EXPECT_TRUE(item_of(worker.get(page).items(), session).is_null());
}

TEST(CataloguePageCache, ASessionWhoseBookingClosesLeavesTheKeptPage) {
    ServerProcess server;
    Api worker = logged_in(kWorker, server);
    const std::string page = "/api/v1/catalogue?limit=500";
    const json before = worker.get(page).items();
    ASSERT_FALSE(before.empty());
    // The session that closes first: one second past its close, with no write in between, it is gone
    // from the same question and every other row is still there.
    const json* first = &before[0];
    for (const auto& it : before)
        if (instant(it["closes_at"]) < instant((*first)["closes_at"])) first = &it;
    ASSERT_EQ(worker.get(page).body, worker.get(page).body);
    advance_to(server, instant((*first)["closes_at"]) + 1);
    const std::int64_t now = instant((*first)["closes_at"]) + 1;
    const json after = worker.get(page).items();
    EXPECT_TRUE(item_of(after, (*first)["session_id"]).is_null()) << "closed at " << (*first)["closes_at"];
    std::size_t still_open = 0;
    for (const auto& it : before) still_open += instant(it["closes_at"]) > now;
    EXPECT_EQ(after.size(), still_open) << "the others closing in that second left too, and only they";
}

TEST(CataloguePageCache, StaysWithinItsBytesAndLetsGoOfThePageServedLongestAgo) {
    ServerProcess server({.extra_args = {"--catalogue-cache-mb", "1"}});
    Api worker = logged_in(kWorker, server);
    Api admin = logged_in(kAdmin, server);
    // The whole demo catalogue, each page a different question (its limit).
    const auto page = [](int i) { return "/api/v1/catalogue?limit=" + std::to_string(500 - i); };
    const std::size_t size = worker.get(page(0)).body.size();
    ASSERT_GT(size, 20'000u) << "pages big enough to fill 1 MB in a few dozen";
    const int fit = static_cast<int>((1u << 20) / size);
    // Page 0 asked again after each new page: served from the cache every time, however many
    // pages came after it, since it is always the one served last.
    double hits = metric(admin, kHits);
    for (int i = 1; i <= fit + 2; ++i) {
        ASSERT_EQ(worker.get(page(i)).status, 200);
        ASSERT_EQ(worker.get(page(0)).status, 200);
        EXPECT_EQ(metric(admin, kHits), ++hits) << "page 0 kept after " << i << " other pages";
    }
    EXPECT_LE(metric(admin, "uneplace_catalogue_page_cache_bytes"), 1 << 20);
    EXPECT_GE(metric(admin, "uneplace_catalogue_page_cache_bytes"), static_cast<double>(size * (fit - 1)));
    // Page 1, served longest ago, made room: asked again, it is read anew.
    ASSERT_EQ(worker.get(page(1)).status, 200);
    EXPECT_EQ(metric(admin, kHits), hits) << "page 1 was let go";
    // The page asked just before is still there.
    ASSERT_EQ(worker.get(page(fit + 2)).status, 200);
    EXPECT_EQ(metric(admin, kHits), hits + 1);
}

TEST(CataloguePageCache, NoneAtAllWithZeroMegabytes) {
    ServerProcess server({.extra_args = {"--catalogue-cache-mb", "0"}});
    Api worker = logged_in(kWorker, server);
    Api admin = logged_in(kAdmin, server);
    const Reply first = worker.get("/api/v1/catalogue?territory=75");
    ASSERT_EQ(first.status, 200);
    const double hits = metric(admin, kHits);
    EXPECT_EQ(worker.get("/api/v1/catalogue?territory=75").body, first.body) << "the same page, read anew";
    EXPECT_EQ(metric(admin, kHits), hits);
}
