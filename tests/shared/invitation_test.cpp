// Invitations (I1–I3): the ticket's text form, base64url, pickup wording, the door list's order.
#include <gtest/gtest.h>

#include "uneplace/errors.hpp"
#include "uneplace/invitation.hpp"

using namespace uneplace;

TEST(Base64Url, RoundTripsEveryLengthAndByte) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) {
        bytes += static_cast<char>(i);
        const std::string text = base64url_encode(bytes);
        EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
        auto back = base64url_decode(text);
        ASSERT_TRUE(back.has_value()) << i;
        EXPECT_EQ(*back, bytes);
    }
    EXPECT_EQ(base64url_encode("Ngô"), "TmfDtA");  // RFC 4648 §5 alphabet, no padding
}

TEST(Base64Url, RefusesWhatIsNotOneEncoding) {
    EXPECT_FALSE(base64url_decode("TmfDtA==").has_value());  // padding
    EXPECT_FALSE(base64url_decode("Tm+D").has_value());      // the standard alphabet's '+'
    EXPECT_FALSE(base64url_decode("TmfDt").has_value());     // 5 symbols: a dangling 6 bits
    EXPECT_FALSE(base64url_decode("TmfDtB").has_value());    // non-zero leftover bits
}

TEST(Ticket, PayloadRoundTripsAndIsCompact) {
    TicketPayload p{3, 1042, 77, "K7QM-3XPA", 2, 1767380400};
    EXPECT_EQ(ticket_payload_text(p), "3|1042|77|K7QM-3XPA|2|1767380400");
    auto back = parse_ticket_payload(ticket_payload_text(p));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->key_id, 3);
    EXPECT_EQ(back->booking_id, 1042);
    EXPECT_EQ(back->session_id, 77);
    EXPECT_EQ(back->code, "K7QM-3XPA");
    EXPECT_EQ(back->places, 2);
    EXPECT_EQ(back->start, 1767380400);
    const std::string signature(64, '\x7f');
    const std::string ticket = ticket_text(ticket_signed_text(p), signature);
    EXPECT_TRUE(ticket.starts_with("UP1."));
    EXPECT_LT(ticket.size(), 160u);  // a QR of version 8 or less at level M: readable from paper
}

TEST(Ticket, SplitsIntoSignedTextPayloadAndSignature) {
    TicketPayload p{1, 5, 6, "ABCD-EFGH", 1, 1800000000};
    const std::string signature(64, '\x01');
    const std::string ticket = ticket_text(ticket_signed_text(p), signature);
    auto parts = split_ticket(ticket);
    ASSERT_TRUE(parts.has_value());
    EXPECT_EQ(parts->signed_text, ticket_signed_text(p));
    EXPECT_EQ(parts->signature, signature);
    EXPECT_EQ(parts->payload.code, "ABCD-EFGH");
    EXPECT_TRUE(looks_like_ticket("  " + ticket + "\n"));
    EXPECT_EQ(trim_ticket(" \t" + ticket + "\r\n"), ticket);
    EXPECT_FALSE(looks_like_ticket("ABCD-EFGH"));
}

TEST(Ticket, MalformedTicketsDoNotSplit) {
    EXPECT_FALSE(split_ticket("").has_value());
    EXPECT_FALSE(split_ticket("UP1.").has_value());
    EXPECT_FALSE(split_ticket("UP2." + base64url_encode("1|2|3|ABCD-EFGH|1|5") + ".AAAA").has_value());
    EXPECT_FALSE(split_ticket("UP1." + base64url_encode("1|2|3|ABCD-EFGH|1") + ".AAAA").has_value());
    EXPECT_FALSE(split_ticket("UP1." + base64url_encode("1|2|3|ABCD-EFGH|11|5") + ".AAAA").has_value());
    EXPECT_FALSE(split_ticket("UP1." + base64url_encode("0|2|3|ABCD-EFGH|1|5") + ".AAAA").has_value());
    EXPECT_FALSE(split_ticket("UP1." + base64url_encode("1|2|3||1|5") + ".AAAA").has_value());
    EXPECT_FALSE(split_ticket("UP1." + base64url_encode("1|2|3|ABCD-EFGH|1|5") + ".A*AA").has_value());
    EXPECT_FALSE(split_ticket("UP1." + base64url_encode("1|x|3|ABCD-EFGH|1|5") + ".AAAA").has_value());
}

TEST(Invitation, PickupInstructionsAreFrenchForEveryMode) {
    for (auto mode : {PickupMode::GuestList, PickupMode::ETicket, PickupMode::Printed}) {
        const std::string s = pickup_instructions_fr(mode);
        EXPECT_FALSE(s.empty());
        EXPECT_NE(s.find("accueil"), std::string::npos) << s;
        EXPECT_EQ(s.find('\''), std::string::npos) << "typographic apostrophes only: " << s;
    }
}

TEST(Invitation, DoorListIsSortedByCode) {
    std::vector<DoorListLine> lines = {
        {"Q7M2-AAAA", 1, "Ngô T.", "Relais"}, {"0ABC-ZZZZ", 2, "Amina K.", "Relais"}, {"K000-1111", 1, "Zoé B.", "X"}};
    sort_door_list(lines);
    EXPECT_EQ(lines[0].code, "0ABC-ZZZZ");
    EXPECT_EQ(lines[1].code, "K000-1111");
    EXPECT_EQ(lines[2].code, "Q7M2-AAAA");
}

TEST(Invitation, TicketCodesHaveFrenchMessages) {
    EXPECT_EQ(http_status_for("invalid_ticket"), 422);
    EXPECT_EQ(http_status_for("booking_cancelled"), 409);
    EXPECT_NE(std::string(message_fr("invalid_ticket")).find("billet"), std::string::npos);
}
