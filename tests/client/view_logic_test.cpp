// The client without a browser: deep links and accent-insensitive search.
#include <gtest/gtest.h>

#include "routes.hpp"
#include "ui/format.hpp"

TEST(Routes, ParseKnownHashes) {
    EXPECT_EQ(parse_route("#/connexion"), (Route{Screen::Login, 0}));
    EXPECT_EQ(parse_route("#/catalogue"), (Route{Screen::Catalogue, 0}));
    EXPECT_EQ(parse_route("#/seance/123"), (Route{Screen::SessionDetail, 123}));
}

TEST(Routes, UnknownOrMalformedFallBackToCatalogue) {
    for (const char* hash : {"", "#", "#/", "#/seance/", "#/seance/abc", "#/seance/-4", "#/seance/0", "#/seance/12x",
                             "#/seance/9999999999999999999", "#/inconnu"})
        EXPECT_EQ(parse_route(hash), (Route{Screen::Catalogue, 0})) << hash;
}

TEST(Routes, EveryScreenRoundTrips) {
    for (int i = 0; i <= static_cast<int>(Screen::Dashboard); ++i) {
        const Screen screen = static_cast<Screen>(i);
        const bool has_id = screen == Screen::SessionDetail || screen == Screen::PartnerSession;
        const Route r{screen, has_id ? 42 : 0};
        EXPECT_EQ(parse_route(route_hash(r)), r) << route_hash(r);
    }
    EXPECT_EQ(route_hash(Route{Screen::PartnerSession, 7}), "#/partenaire/seance/7");
}

TEST(Routes, FallbackIsTheCallersChoice) {
    const Route login{Screen::Login, 0};
    EXPECT_EQ(parse_route("#/nulle-part", login), login);
    EXPECT_EQ(parse_route("#/seance/x", login), login);
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
