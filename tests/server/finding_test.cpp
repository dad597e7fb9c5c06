// Finding outings (API.md "Finding outings"): the catalogue's region= and near=. Every expectation
// is computed from the catalogue's own unfiltered answer and the shared geography tables, on a
// server where this file adds sessions in départements around Paris and in the Rhône.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "harness.hpp"
#include "uneplace/geography.hpp"

using namespace uneplace::test;

namespace {
ServerProcess& finding_server() {
    static ServerProcess server({.extra_args = {"--login-rate", "100000"}});
    return server;
}

// A published session of the demo partner at a new venue in `territory`.
std::int64_t session_in(const std::string& territory, const std::string& postal_code, const std::string& city) {
    ServerProcess& s = finding_server();
    Api partner = logged_in(kPartner, s);
    Api admin = logged_in(kAdmin, s);
    Reply venue = partner.post("/api/v1/venues", {{"name", "Salle de " + city},
                                                  {"address", "1 place de la Mairie"},
                                                  {"postal_code", postal_code},
                                                  {"territory", territory},
                                                  {"city", city}});
    if (venue.status != 201) throw std::runtime_error("venue: " + venue.body);
    const auto offer = published_offer(partner, admin, {{"venue_id", venue["id"]}, {"title", "Sortie à " + city}});
    return new_session(partner, offer, {{"start_local", local_start(12, 15, 0, territory)}})["session_id"];
}

// Made once: sessions in 92 (next to Paris), 77 (Île-de-France, not next to Paris), 69.
struct Made {
    std::int64_t nanterre = session_in("92", "92000", "Nanterre");
    std::int64_t melun = session_in("77", "77000", "Melun");
    std::int64_t lyon = session_in("69", "69001", "Lyon");
};
const Made& made() {
    static Made m;
    return m;
}

json catalogue(const Api& api, const std::string& query) {
    Reply r = api.get("/api/v1/catalogue?limit=500" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    const json items = r.items();
    EXPECT_LT(items.size(), 500u) << "one page holds the whole answer";
    return items;
}

std::set<std::int64_t> ids_of(const json& items) {
    std::set<std::int64_t> out;
    for (const auto& it : items) out.insert(it["session_id"].get<std::int64_t>());
    return out;
}

// The sessions of the whole catalogue whose département `keep` accepts.
template <class Keep>
std::set<std::int64_t> expected(const json& everything, Keep keep) {
    std::set<std::int64_t> out;
    for (const auto& it : everything)
        if (keep(it["territory"].get<std::string>())) out.insert(it["session_id"].get<std::int64_t>());
    return out;
}
}  // namespace

TEST(Finding, RegionListsTheSessionsOfItsDepartements) {
    const Made& m = made();
    Api worker = logged_in(kWorker, finding_server());
    const json everything = catalogue(worker, "");
    for (const auto& region : uneplace::all_regions()) {
        const std::set<std::string_view> in(region.departements.begin(), region.departements.end());
        const auto want = expected(everything, [&](const std::string& d) { return in.count(d) > 0; });
        EXPECT_EQ(ids_of(catalogue(worker, "&region=" + std::string(region.code))), want) << region.name_fr;
    }
    const auto idf = ids_of(catalogue(worker, "&region=11"));
    EXPECT_TRUE(idf.count(m.nanterre) && idf.count(m.melun));
    EXPECT_FALSE(idf.count(m.lyon));
    EXPECT_TRUE(ids_of(catalogue(worker, "&region=84")).count(m.lyon));
}

TEST(Finding, NearListsTheDepartementAndItsNeighbours) {
    const Made& m = made();
    Api worker = logged_in(kWorker, finding_server());
    const json everything = catalogue(worker, "");
    std::set<std::string> listed;
    for (const auto& it : everything) listed.insert(it["territory"].get<std::string>());
    ASSERT_TRUE(listed.count("75") && listed.count("92") && listed.count("77"));
    for (const auto& code : listed) {
        const auto near = uneplace::departements_near(code);
        const std::set<std::string_view> in(near.begin(), near.end());
        const auto want = expected(everything, [&](const std::string& d) { return in.count(d) > 0; });
        EXPECT_EQ(ids_of(catalogue(worker, "&near=" + code)), want) << code;
    }
    const auto paris = ids_of(catalogue(worker, "&near=75"));
    EXPECT_TRUE(paris.count(m.nanterre)) << "92 touches Paris";
    EXPECT_FALSE(paris.count(m.melun)) << "77 does not";
}

TEST(Finding, WhereFiltersNarrowEachOther) {
    const Made& m = made();
    Api worker = logged_in(kWorker, finding_server());
    const json everything = catalogue(worker, "");
    // Île-de-France and near Paris: 75, 92, 93, 94.
    const auto want =
        expected(everything, [](const std::string& d) { return d == "75" || d == "92" || d == "93" || d == "94"; });
    EXPECT_EQ(ids_of(catalogue(worker, "&region=11&near=75")), want);
    EXPECT_EQ(ids_of(catalogue(worker, "&region=11&territory=77")), ids_of(catalogue(worker, "&territory=77")));
    EXPECT_TRUE(ids_of(catalogue(worker, "&territory=77")).count(m.melun));
    EXPECT_TRUE(catalogue(worker, "&region=84&near=75").empty()) << "Rhône-Alpes holds no neighbour of Paris";
    EXPECT_TRUE(catalogue(worker, "&region=11&territory=69").empty());
    // Asked twice (the second from the page cache): the same answer.
    EXPECT_EQ(ids_of(catalogue(worker, "&near=75")), ids_of(catalogue(worker, "&near=75")));
}

TEST(Finding, UnknownPlacesAreRefusedInFrench) {
    Api worker = logged_in(kWorker, finding_server());
    Reply region = worker.get("/api/v1/catalogue?region=12");
    EXPECT_EQ(region.status, 422);
    EXPECT_EQ(region.error_code(), "invalid_region");
    EXPECT_EQ(region.json_body()["error"]["message"], "Région inconnue.");
    Reply near = worker.get("/api/v1/catalogue?near=20");
    EXPECT_EQ(near.status, 422);
    EXPECT_EQ(near.error_code(), "invalid_territory");
}

//-----------------------------------------------------------------------------
// Who: fits_beneficiary=
//-----------------------------------------------------------------------------

namespace {
int this_year() { return uneplace::civil_from_unix(unix_now()).year; }

// A family session of the demo partner in Paris: `max` places per booking, the offer's `min_age`,
// `days` from today at `hour`.
json family_session(int max, int min_age, int days, int hour = 15) {
    ServerProcess& s = finding_server();
    Api partner = logged_in(kPartner, s);
    Api admin = logged_in(kAdmin, s);
    const auto offer =
        published_offer(partner, admin,
                        {{"title", "Famille " + std::to_string(max) + " dès " + std::to_string(min_age) + " ans"},
                         {"category", "young_audience"},
                         {"min_age", min_age}});
    return new_session(partner, offer,
                       {{"start_local", local_start(days, hour)}, {"max_per_booking", max}, {"duration_min", 90}});
}
}  // namespace

TEST(Finding, FitsBeneficiaryKeepsWhatTheHouseholdCanBook) {
    ServerProcess& s = finding_server();
    Api worker = logged_in(kWorker, s);
    // Mme Diallo and her two children of 6 and 9.
    const std::vector<int> children = {this_year() - 6, this_year() - 9};
    const auto diallo = new_beneficiary(worker, {{"first_name", "Aminata"},
                                                 {"last_name", "Diallo"},
                                                 {"household_size", 3},
                                                 {"children_birth_years", children}});
    Reply read = worker.get("/api/v1/beneficiaries/" + std::to_string(diallo));
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(read.json_body()["children_birth_years"], json(children));
    // Sessions that fit or not, and one she is booked on (R5) with another at the same time (R6).
    family_session(4, 0, 20);
    family_session(2, 0, 20, 11);
    family_session(4, 8, 21);
    family_session(3, 6, 21, 11);
    const json booked = family_session(4, 0, 22);
    family_session(4, 0, 22, 16);  // 15:00–16:30 booked, 16:00 overlaps
    ASSERT_EQ(book(worker, booked["session_id"], diallo, 3).status, 201);

    // What fits, computed from the unfiltered catalogue's own fields and what the test booked.
    const json everything = catalogue(worker, "");
    const std::int64_t booked_start = instant(booked["start"]);
    const std::int64_t booked_end = booked_start + 90 * 60;
    std::set<std::int64_t> want;
    int refused_for_places = 0, refused_for_age = 0, refused_for_bookings = 0;
    for (const auto& it : everything) {
        const std::int64_t start = instant(it["start"]);
        const std::int64_t end = start + it["duration_min"].get<std::int64_t>() * 60;
        const int year = std::stoi(it["start_local"].get<std::string>().substr(0, 4));
        const int youngest = year - children[0];
        if (it["max_per_booking"].get<int>() < 3) ++refused_for_places;
        else if (it["min_age"].get<int>() > youngest) ++refused_for_age;
        else if (it["session_id"] == booked["session_id"] || (start < booked_end && booked_start < end))
            ++refused_for_bookings;
        else want.insert(it["session_id"].get<std::int64_t>());
    }
    EXPECT_GT(refused_for_places, 0);
    EXPECT_GT(refused_for_age, 0);
    EXPECT_GE(refused_for_bookings, 2);
    EXPECT_FALSE(want.empty());
    EXPECT_EQ(ids_of(catalogue(worker, "&fits_beneficiary=" + std::to_string(diallo))), want);
    // With the other filters, and a page at a time: the same sessions.
    std::set<std::int64_t> paged;
    std::string cursor;
    for (int pages = 0; pages < 100; ++pages) {
        Reply r = worker.get("/api/v1/catalogue?limit=7&fits_beneficiary=" + std::to_string(diallo) +
                             (cursor.empty() ? "" : "&cursor=" + cursor));
        ASSERT_EQ(r.status, 200) << r.body;
        for (const auto& it : r.items()) EXPECT_TRUE(paged.insert(it["session_id"].get<std::int64_t>()).second);
        if (r.json_body()["next_cursor"].is_null()) break;
        cursor = r.json_body()["next_cursor"];
    }
    EXPECT_EQ(paged, want);
}

TEST(Finding, FitsBeneficiaryIsForTheCallersOwnPeople) {
    ServerProcess& s = finding_server();
    Api worker = logged_in(kWorker, s);
    const auto mine = new_beneficiary(worker, {{"household_size", 2}});
    const std::string query = "/api/v1/catalogue?fits_beneficiary=" + std::to_string(mine);
    ASSERT_EQ(worker.get(query).status, 200);
    // Another structure's worker, after the page was kept: not found, never the kept page.
    Reply other = logged_in("belleville@demo.uneplace.test", s).get(query);
    EXPECT_EQ(other.status, 404) << other.body;
    EXPECT_EQ(logged_in(kAdmin, s).get(query).status, 403);
    EXPECT_EQ(worker.get("/api/v1/catalogue?fits_beneficiary=abc").status, 422);
    // Children: one birth year each, under 18, no more than the household holds besides the person.
    Reply too_many =
        worker.post("/api/v1/beneficiaries", {{"first_name", "Awa"},
                                              {"last_name", "Traoré"},
                                              {"postal_code", "75019"},
                                              {"household_size", 2},
                                              {"children_birth_years", {this_year() - 3, this_year() - 5}}});
    EXPECT_EQ(too_many.status, 422);
    EXPECT_EQ(too_many.error_code(), "children_out_of_range");
    Reply adult = worker.post("/api/v1/beneficiaries", {{"first_name", "Awa"},
                                                        {"last_name", "Traoré"},
                                                        {"postal_code", "75019"},
                                                        {"household_size", 2},
                                                        {"children_birth_years", {this_year() - 30}}});
    EXPECT_EQ(adult.error_code(), "children_out_of_range");
}

// An empty first page says how to widen the search, each way with the number of sessions the
// catalogue finds that way: the counts are the catalogue's own answers to the widened searches.
TEST(Finding, AnEmptySearchSuggestsWiderOnesWithTheirCounts) {
    const Made& m = made();
    Api worker = logged_in(kWorker, finding_server());
    const std::string from = utc_in(0, clock_offset(finding_server())),
                      to = utc_in(30 * 86400, clock_offset(finding_server()));
    const std::string period = "&from=" + from + "&to=" + to;
    Reply empty = worker.get("/api/v1/catalogue?limit=500&territory=92&category=circus" + period);
    ASSERT_EQ(empty.status, 200) << empty.body;
    ASSERT_TRUE(empty.items().empty());
    const json suggestions = empty["suggestions"];
    ASSERT_TRUE(suggestions.is_array()) << empty.body;
    std::map<std::string, json> by_kind;
    for (const auto& s : suggestions) by_kind[s["kind"].get<std::string>()] = s;
    ASSERT_EQ(by_kind.size(), 3u) << suggestions.dump();

    const json near = catalogue(worker, "&near=92&category=circus" + period);
    EXPECT_EQ(by_kind["near"]["count"], near.size());
    EXPECT_EQ(by_kind["near"]["near"], "92");
    const json any_category = catalogue(worker, "&territory=92" + period);
    EXPECT_EQ(by_kind["all_categories"]["count"], any_category.size());
    EXPECT_TRUE(ids_of(any_category).count(m.nanterre)) << "Nanterre's theatre, found once the category goes";
    const json weekend =
        catalogue(worker, "&territory=92&category=circus&from=" + by_kind["next_weekend"]["from"].get<std::string>() +
                              "&to=" + by_kind["next_weekend"]["to"].get<std::string>());
    EXPECT_EQ(by_kind["next_weekend"]["count"], weekend.size());
    EXPECT_EQ(instant(by_kind["next_weekend"]["to"]) - instant(by_kind["next_weekend"]["from"]), 48 * 3600);

    // A page with rows needs no help.
    Reply found = worker.get("/api/v1/catalogue?limit=500&territory=92" + period);
    EXPECT_FALSE(found.json_body().contains("suggestions"));
}
