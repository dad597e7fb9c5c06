// French wording helpers (french.hpp) and the one CSV dialect of every export (csv.hpp).
#include <gtest/gtest.h>

#include "uneplace/csv.hpp"
#include "uneplace/french.hpp"
#include "uneplace/local_time.hpp"

using namespace uneplace;

namespace {
// No-break spaces shown as "_" so the expectations can be read.
std::string visible(std::string s) {
    for (std::size_t p; (p = s.find("\u00A0")) != std::string::npos;) s.replace(p, 2, "_");
    return s;
}
}  // namespace

TEST(French, QuotesAreNeverNested) {
    EXPECT_EQ(visible(quote_fr("Le Misanthrope")), "«_Le Misanthrope_»");
    EXPECT_EQ(visible(quote_fr("  Le Misanthrope ")), "«_Le Misanthrope_»");
    // Already quoted as a whole: quoted once.
    EXPECT_EQ(visible(quote_fr("«\u00A0Le Misanthrope\u00A0»")), "«_Le Misanthrope_»");
    EXPECT_EQ(visible(quote_fr("« Le Misanthrope »")), "«_Le Misanthrope_»");
    // Quotes inside become “ ”.
    EXPECT_EQ(visible(quote_fr("Concert « Jazz à Vienne » 2026")), "«_Concert “Jazz à Vienne” 2026_»");
    EXPECT_EQ(visible(quote_fr("")), "«__»");
}

TEST(French, NumbersAgreeWithTheirNoun) {
    EXPECT_EQ(visible(count_fr(0, "place", "places")), "0_place");
    EXPECT_EQ(visible(count_fr(1, "place", "places")), "1_place");
    EXPECT_EQ(visible(count_fr(2, "place", "places")), "2_places");
    EXPECT_EQ(visible(count_fr(12, "réservation", "réservations")), "12_réservations");
    EXPECT_EQ(places_left_fr(0), "Il ne reste aucune place");
    EXPECT_EQ(places_left_fr(1), "Il ne reste qu’une place");
    EXPECT_EQ(visible(places_left_fr(3)), "Il ne reste que 3_places");
}

TEST(Csv, OneDialectFrenchSpreadsheetsOpen) {
    EXPECT_EQ(kCsvBom, "\xEF\xBB\xBF");
    EXPECT_EQ(csv_row({"Code", "Places", "Invité"}), "Code;Places;Invité\r\n");
    // A cell with the separator, a quote or a line break is quoted; commas are ordinary text.
    EXPECT_EQ(csv_row({"a;b", "dit \"oui\"", "deux\nlignes", "1,5"}),
              "\"a;b\";\"dit \"\"oui\"\"\";\"deux\nlignes\";1,5\r\n");
    // A spreadsheet never runs a cell as a formula.
    EXPECT_EQ(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    EXPECT_EQ(csv_cell("+33 6"), "'+33 6");
    EXPECT_EQ(csv_cell("@x"), "'@x");
    EXPECT_EQ(csv_cell(""), "");
}

TEST(Csv, DatesInTheVenueTime) {
    const UnixSeconds t = parse_utc_instant("2026-12-05T19:30:00Z").value;
    EXPECT_EQ(csv_datetime("75", t), "05/12/2026 20:30");
    EXPECT_EQ(csv_datetime("974", t), "05/12/2026 23:30");
    EXPECT_EQ(csv_datetime("971", parse_utc_instant("2027-01-01T02:05:00Z").value), "31/12/2026 22:05");
}
