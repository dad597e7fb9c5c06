// The client's view logic without a browser: deep links and accent-insensitive search.
#include <gtest/gtest.h>

#include "view_logic.hpp"

TEST(Routes, ParseKnownHashes) {
    EXPECT_EQ(parse_route("#/connexion"), (Route{Screen::Login, 0}));
    EXPECT_EQ(parse_route("#/catalogue"), (Route{Screen::Catalogue, 0}));
    EXPECT_EQ(parse_route("#/seance/123"), (Route{Screen::SessionDetail, 123}));
}

TEST(Routes, UnknownOrMalformedFallBackToCatalogue) {
    for (const char* hash : {"", "#", "#/", "#/seance/", "#/seance/abc", "#/seance/-4", "#/seance/0",
                             "#/seance/12x", "#/seance/9999999999999999999", "#/inconnu"})
        EXPECT_EQ(parse_route(hash), (Route{Screen::Catalogue, 0})) << hash;
}

TEST(Routes, RoundTrip) {
    for (Route r : {Route{Screen::Login, 0}, Route{Screen::Catalogue, 0}, Route{Screen::SessionDetail, 42}})
        EXPECT_EQ(parse_route(route_hash(r)), r);
}

TEST(Search, FoldsCaseAndFrenchAccents) {
    EXPECT_EQ(fold_for_search("Amélie Œuvre à Noël, Ça"), "amelie oeuvre a noel, ca");
    EXPECT_EQ(fold_for_search("L’Opéra"), "l'opera");
    EXPECT_EQ(fold_for_search("😀 ok"), "😀 ok");  // other characters pass through
}

TEST(Search, EveryWordMustMatch) {
    EXPECT_TRUE(matches_search("Le Misanthrope — Théâtre de l’Odéon, Paris", "theatre paris"));
    EXPECT_TRUE(matches_search("Le Misanthrope", ""));
    EXPECT_TRUE(matches_search("Opéra Garnier", "OPERA"));
    EXPECT_FALSE(matches_search("Opéra Garnier", "opera lyon"));
}

TEST(Search, TruncatedUtf8DoesNotCrash) {
    EXPECT_EQ(fold_for_search(std::string("ab\xC3", 3)), std::string("ab\xC3", 3));
}
