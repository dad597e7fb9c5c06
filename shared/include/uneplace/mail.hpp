// uneplace shared module — what the e-mails of M1–M4 say and when a failed one is tried again (M6).
// Pure: the server reads the facts from its database, calls compose_mail(), queues the result and
// sends it later; nothing here knows about SMTP, time or the database.
//
// Index of this file:
// [SECTION] Kinds of message (M1–M5)
// [SECTION] Retries (M6)
// [SECTION] Wording
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "uneplace/domain.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Kinds of message (M1–M5)
//-----------------------------------------------------------------------------

// M1 a booking confirmed (the invitation attached), M2 the reminder before the outing, M3 a place
// that will not come (session cancelled, ballot lost, waitlist entry expired), M4 the request for
// feedback after the outing.
enum class MailKind : std::uint8_t { Confirmed, Reminder, NoPlace, FeedbackRequest };

// "M1".."M4": stored in the outbox, shown on the administrators' outbox screen.
std::string_view mail_kind_code(MailKind kind);
std::optional<MailKind> mail_kind_from_code(std::string_view code);
// The message an in-app notification also sends by e-mail (notification kinds of the server:
// booking_confirmed, waitlist_promoted, ballot_won → M1; session_cancelled, ballot_lost,
// waitlist_expired → M3; reminder → M2); nullopt for a notification that is not mailed.
std::optional<MailKind> mail_kind_of_notification(std::string_view notification_kind);
// M5: M2 and M4 follow the user's preferences; M1 and M3 are always sent.
bool mail_may_be_turned_off(MailKind kind);

//-----------------------------------------------------------------------------
// [SECTION] Retries (M6)
//-----------------------------------------------------------------------------

// After `failed_attempts` failed sends, the wait before the next one: 1 min, 10 min, 1 h, 6 h;
// nullopt after the fifth failure — the message is then `failed` and the administrators see it.
std::optional<UnixSeconds> mail_retry_delay(int failed_attempts);
inline constexpr int kMailMaxAttempts = 5;

//-----------------------------------------------------------------------------
// [SECTION] Wording
//-----------------------------------------------------------------------------

// What a message is about, read by the server from the booking and its session. The guest is
// already in P2 form ("Amina K."): compose_mail() never sees more about a beneficiary.
struct MailFacts {
    MailKind kind = MailKind::Confirmed;
    std::string event;           // the notification kind, which picks the M1/M3 sentence
    std::string recipient_name;  // the social worker
    std::string title;
    std::string venue_name, venue_address, postal_code, city;
    std::string territory;  // the venue's département: the time is written in its local time
    UnixSeconds start = 0;
    int places = 0;
    std::string guest;  // P2
    std::string code;   // "K7QM-3XPA"; empty when the request never got a place
    PickupMode pickup = PickupMode::GuestList;
    std::string link;  // the social worker's bookings in the web app (--public-url); empty: none
};

struct MailText {
    std::string subject;
    std::string text;  // text/plain, UTF-8, lines under 78 characters where the facts allow
    std::string html;  // text/html, the same content, every fact escaped
};

MailText compose_mail(const MailFacts& facts);

// &, <, >, " and ' as HTML entities.
std::string html_escape(std::string_view text);

}  // namespace uneplace
