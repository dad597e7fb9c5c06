// Messages (M1–M6): the retry schedule, which notifications are mailed, what a message says.
#include <gtest/gtest.h>

#include "uneplace/local_time.hpp"
#include "uneplace/mail.hpp"

using namespace uneplace;

TEST(MailRetries, OneMinuteTenMinutesOneHourSixHoursThenFailed) {
    EXPECT_EQ(mail_retry_delay(1), 60);
    EXPECT_EQ(mail_retry_delay(2), 600);
    EXPECT_EQ(mail_retry_delay(3), 3600);
    EXPECT_EQ(mail_retry_delay(4), 21600);
    EXPECT_FALSE(mail_retry_delay(kMailMaxAttempts).has_value());
    EXPECT_FALSE(mail_retry_delay(0).has_value());
}

TEST(MailKinds, NotificationsMapToM1ToM4AndOnlyM2M4MayBeTurnedOff) {
    EXPECT_EQ(mail_kind_of_notification("booking_confirmed"), MailKind::Confirmed);
    EXPECT_EQ(mail_kind_of_notification("waitlist_promoted"), MailKind::Confirmed);
    EXPECT_EQ(mail_kind_of_notification("ballot_won"), MailKind::Confirmed);
    EXPECT_EQ(mail_kind_of_notification("reminder"), MailKind::Reminder);
    EXPECT_EQ(mail_kind_of_notification("session_cancelled"), MailKind::NoPlace);
    EXPECT_EQ(mail_kind_of_notification("ballot_lost"), MailKind::NoPlace);
    EXPECT_EQ(mail_kind_of_notification("waitlist_expired"), MailKind::NoPlace);
    EXPECT_FALSE(mail_kind_of_notification("organisation_approved").has_value());
    EXPECT_FALSE(mail_may_be_turned_off(MailKind::Confirmed));
    EXPECT_FALSE(mail_may_be_turned_off(MailKind::NoPlace));
    EXPECT_TRUE(mail_may_be_turned_off(MailKind::Reminder));
    EXPECT_TRUE(mail_may_be_turned_off(MailKind::FeedbackRequest));
    for (MailKind k : {MailKind::Confirmed, MailKind::Reminder, MailKind::NoPlace, MailKind::FeedbackRequest})
        EXPECT_EQ(mail_kind_from_code(mail_kind_code(k)), k);
}

namespace {
MailFacts facts(MailKind kind, std::string event) {
    MailFacts f;
    f.kind = kind;
    f.event = std::move(event);
    f.recipient_name = "Claire Martin";
    f.title = "Œuvre <intégrale> & co";
    f.venue_name = "Théâtre du Rond-Point";
    f.venue_address = "2 bis avenue Franklin D. Roosevelt";
    f.postal_code = "75008";
    f.city = "Paris";
    f.territory = "75";
    f.start = unix_from_civil({2026, 7, 3, 18, 30, 0});  // 20 h 30 in Paris (UTC+2)
    f.places = 2;
    f.guest = "Amina K.";
    f.code = "K7QM-3XPA";
    f.link = "https://uneplace.example/#/reservations";
    return f;
}
}  // namespace

TEST(MailWording, ConfirmationSaysWhoWhereWhenInLocalTimeInTextAndEscapedHtml) {
    const MailText m = compose_mail(facts(MailKind::Confirmed, "booking_confirmed"));
    EXPECT_NE(m.subject.find("Réservation confirmée"), std::string::npos);
    for (const std::string* part : {&m.text, &m.html}) {
        EXPECT_NE(part->find("Amina K."), std::string::npos);
        EXPECT_NE(part->find("K7QM-3XPA"), std::string::npos);
        EXPECT_NE(part->find("20\u00A0h\u00A030"), std::string::npos);
        EXPECT_NE(part->find("https://uneplace.example/#/reservations"), std::string::npos);
        EXPECT_NE(part->find("jointe"), std::string::npos);
    }
    EXPECT_NE(m.text.find("Œuvre <intégrale> & co"), std::string::npos);
    EXPECT_EQ(m.html.find("<intégrale>"), std::string::npos);
    EXPECT_NE(m.html.find("Œuvre &lt;intégrale&gt; &amp; co"), std::string::npos);
}

TEST(MailWording, EachEventHasItsOwnSubjectAndNoPlaceMessagesCarryNoCode) {
    const MailText cancelled = compose_mail(facts(MailKind::NoPlace, "session_cancelled"));
    const MailText lost = compose_mail(facts(MailKind::NoPlace, "ballot_lost"));
    const MailText expired = compose_mail(facts(MailKind::NoPlace, "waitlist_expired"));
    EXPECT_NE(cancelled.subject.find("Séance annulée"), std::string::npos);
    EXPECT_NE(lost.subject.find("Tirage au sort"), std::string::npos);
    EXPECT_NE(expired.subject.find("Pas de place"), std::string::npos);
    for (const MailText* m : {&cancelled, &lost, &expired}) EXPECT_EQ(m->text.find("K7QM-3XPA"), std::string::npos);
    EXPECT_NE(compose_mail(facts(MailKind::Reminder, "reminder")).text.find("annulez"), std::string::npos);
    EXPECT_NE(compose_mail(facts(MailKind::FeedbackRequest, "feedback_request")).subject.find("Comment"),
              std::string::npos);
}
