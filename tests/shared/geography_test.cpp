// Regions and neighbouring départements (geography.hpp): the catalogue's region= and near=.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "uneplace/domain.hpp"
#include "uneplace/geography.hpp"

using namespace uneplace;

namespace {
std::set<std::string> as_set(const std::vector<std::string_view>& v) { return {v.begin(), v.end()}; }
}  // namespace

TEST(Regions, EveryDepartementIsInExactlyOneRegion) {
    std::map<std::string, int> seen;
    for (const auto& r : all_regions())
        for (auto d : r.departements) {
            EXPECT_TRUE(is_departement_code(d)) << d << " in region " << r.code;
            ++seen[std::string(d)];
        }
    EXPECT_EQ(all_regions().size(), 18u);
    EXPECT_EQ(seen.size(), all_departements().size());
    for (const auto& d : all_departements()) {
        EXPECT_EQ(seen[std::string(d.code)], 1) << d.code;
        ASSERT_NE(region_of(d.code), nullptr) << d.code;
        const auto in = region_of(d.code)->departements;
        EXPECT_NE(std::find(in.begin(), in.end(), d.code), in.end());
    }
}

TEST(Regions, CodesAndNamesAreInsees) {
    ASSERT_NE(find_region("11"), nullptr);
    EXPECT_EQ(find_region("11")->name_fr, "Île-de-France");
    EXPECT_EQ(find_region("84")->name_fr, "Auvergne-Rhône-Alpes");
    EXPECT_EQ(find_region("93")->name_fr, "Provence-Alpes-Côte d’Azur");
    EXPECT_EQ(find_region("94")->name_fr, "Corse");
    EXPECT_EQ(region_of("974")->code, "04");
    EXPECT_EQ(region_of("69")->code, "84");
    EXPECT_EQ(region_of("2A")->code, "94");
    EXPECT_EQ(find_region("12"), nullptr);
    EXPECT_EQ(find_region(""), nullptr);
    EXPECT_EQ(region_of("20"), nullptr);
    // Île-de-France: Paris and the seven départements around it.
    EXPECT_EQ(find_region("11")->departements.size(), 8u);
    // Unique codes and names.
    std::set<std::string_view> codes, names;
    for (const auto& r : all_regions()) {
        EXPECT_TRUE(codes.insert(r.code).second) << r.code;
        EXPECT_TRUE(names.insert(r.name_fr).second) << r.name_fr;
    }
}

TEST(Neighbours, AdjacencyIsSymmetricAndKnowsOnlyDepartements) {
    int borders = 0;
    for (const auto& d : all_departements()) {
        const auto n = neighbours_of(d.code);
        EXPECT_EQ(as_set(n).size(), n.size()) << d.code << " lists a neighbour twice";
        for (auto other : n) {
            EXPECT_TRUE(is_departement_code(other)) << d.code << " → " << other;
            EXPECT_NE(other, d.code) << d.code << " is not its own neighbour";
            EXPECT_TRUE(are_neighbours(other, d.code)) << d.code << " → " << other << " but not back";
            ++borders;
        }
    }
    EXPECT_EQ(borders % 2, 0);
}

TEST(Neighbours, EveryMetropolitanDepartementHasOneAndOverseasNone) {
    for (const auto& d : all_departements()) {
        if (is_overseas(d.code)) {
            EXPECT_TRUE(neighbours_of(d.code).empty()) << d.code;
            EXPECT_EQ(departements_near(d.code), std::vector<std::string_view>{d.code});
        } else {
            EXPECT_FALSE(neighbours_of(d.code).empty()) << d.code;
        }
    }
}

TEST(Neighbours, SpotChecksFromTheMap) {
    EXPECT_EQ(as_set(neighbours_of("75")), (std::set<std::string>{"92", "93", "94"}));
    const auto rhone = as_set(neighbours_of("69"));
    for (const char* d : {"01", "38", "42", "71"}) EXPECT_TRUE(rhone.count(d)) << d;
    EXPECT_TRUE(are_neighbours("2A", "2B"));
    EXPECT_EQ(neighbours_of("2A").size(), 1u);
    EXPECT_TRUE(are_neighbours("13", "84"));
    EXPECT_TRUE(are_neighbours("59", "62"));
    EXPECT_TRUE(are_neighbours("77", "93"));
    EXPECT_FALSE(are_neighbours("75", "77"));
    EXPECT_FALSE(are_neighbours("06", "2B"));  // the sea is not a border
    EXPECT_FALSE(are_neighbours("974", "976"));
    EXPECT_TRUE(neighbours_of("20").empty());
    EXPECT_TRUE(departements_near("20").empty());
}

TEST(Neighbours, NearIsItselfThenItsNeighbours) {
    const auto near = departements_near("75");
    ASSERT_FALSE(near.empty());
    EXPECT_EQ(near.front(), "75");
    EXPECT_EQ(as_set(near), (std::set<std::string>{"75", "92", "93", "94"}));
}

TEST(PlaceNames, LabelsCarryThePrefectureSoTypingTheCityFindsThem) {
    EXPECT_EQ(departement_label("69"), "69 Rhône — Lyon");
    EXPECT_EQ(departement_label("13"), "13 Bouches-du-Rhône — Marseille");
    EXPECT_EQ(departement_label("75"), "75 Paris");  // the city is the département's name
    EXPECT_EQ(departement_label("974"), "974 La Réunion — Saint-Denis");
    EXPECT_EQ(departement_label("xx"), "xx");
    for (const auto& d : all_departements()) EXPECT_FALSE(departement_city(d.code).empty()) << d.code;
}
