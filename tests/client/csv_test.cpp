// The client's CSV files: the one dialect of the server's exports (';', CRLF, RFC 4180 quoting,
// UTF-8 with a byte order mark), so French spreadsheets open both the same way.
#include <gtest/gtest.h>

#include "ui/csv.hpp"

TEST(Csv, FieldsJoinedBySemicolonsEndingInCrlf) {
    EXPECT_EQ(csv_line({"Code", "Places", "Invité"}), "Code;Places;Invité\r\n");
}

TEST(Csv, QuotesFieldsHoldingSeparatorsQuotesOrLineBreaks) {
    EXPECT_EQ(csv_field("Centre social; Belleville"), "\"Centre social; Belleville\"");
    EXPECT_EQ(csv_field("le \"Faubourg\""), "\"le \"\"Faubourg\"\"\"");
    EXPECT_EQ(csv_field("deux\nlignes"), "\"deux\nlignes\"");
    EXPECT_EQ(csv_field("Amina K."), "Amina K.");
}

TEST(Csv, FormulasAreWrittenAsText) {
    EXPECT_EQ(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    EXPECT_EQ(csv_field("+33 6"), "'+33 6");
    EXPECT_EQ(csv_field("-1"), "'-1");
    EXPECT_EQ(csv_field("@SUM"), "'@SUM");
}

TEST(Csv, FileStartsWithOneByteOrderMark) {
    const std::string body = csv_line({"Code", "Places"});
    const std::string file = csv_file(body);
    EXPECT_EQ(file.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_EQ(file.substr(3), body);
    EXPECT_EQ(csv_file(file), file) << "a file that already has its mark (the server's) keeps only one";
}

TEST(Csv, CountsDataLinesWithoutTheHeader) {
    EXPECT_EQ(csv_data_lines(""), 0);
    EXPECT_EQ(csv_data_lines("Code;Places\r\n"), 0);
    EXPECT_EQ(csv_data_lines("Code;Places\r\nAB12-CD34;2\r\nEF56-GH78;1\r\n"), 2);
    EXPECT_EQ(csv_data_lines("Code;Places\r\nAB12-CD34;2"), 1) << "a last line without its line break counts";
}
