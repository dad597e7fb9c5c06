// uneplace server — e-mail (DOMAIN.md M1–M6; API.md « Invitations, door lists, messages »).
// Messages are rows of the `outbox` table (migration 7), written inside the transaction of the
// state change that causes them (store_mail.cpp, called by notify() and by the scheduler's M4
// job), and sent by one background thread through libcurl's SMTP client (mail.cpp), with M6's
// retries. Requests never wait for a mail server.
//
// Index of this file:
// [SECTION] Queueing (store_mail.cpp)
// [SECTION] Preferences and the administrators' outbox (store_mail.cpp)
// [SECTION] Sending (mail.cpp)
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app.hpp"
#include "scheduler.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Queueing
//-----------------------------------------------------------------------------

// The base of the links the messages carry (--public-url), set once at start before any thread
// runs: messages are written deep inside transactions that see only a database connection.
void set_mail_public_url(std::string url);

// Inside the caller's write transaction: the e-mail that goes with an in-app notification of
// `kind` about `booking_id`, if that kind is mailed (M1–M3) and the user's preferences allow it
// (M5). Queued at most once per (kind, booking) and audited. Called by notify().
void queue_mail_for_notification(SQLite::Database& conn, UnixSeconds at, Id user_id, std::string_view kind,
                                 Id booking_id);

// M4, run by the scheduler: a request for feedback the day after the outing (start + 1 day, for
// a week), for bookings still without feedback whose social worker has not turned it off.
int queue_feedback_requests(App& app);

//-----------------------------------------------------------------------------
// [SECTION] Preferences and the administrators' outbox
//-----------------------------------------------------------------------------

struct MailPreferences {
    bool reminders = true;          // M2
    bool feedback_requests = true;  // M4
};
MailPreferences get_mail_preferences(App& app, const Actor& actor);
// Each field present changes; audited as user.mail_preferences.
MailPreferences set_mail_preferences(App& app, const Actor& actor, std::optional<bool> reminders,
                                     std::optional<bool> feedback_requests);

struct OutboxLine {
    Id id = 0;
    std::string kind;  // "M1".."M4"
    std::string event, status, recipient, subject;
    std::optional<Id> booking_id;
    int attempts = 0;
    std::optional<UnixSeconds> next_attempt_at, sent_at;
    std::string last_error;
    UnixSeconds created_at = 0;
};
struct OutboxPage {
    bool mail_configured = false;  // --smtp given
    int queued = 0, failed = 0;    // counts, whatever the page shows
    std::vector<OutboxLine> items;
};
// Administrators: the newest messages in `status` (failed by default; queued, sent), up to `limit`.
OutboxPage list_outbox(App& app, const Actor& admin, const std::string& status, int limit);

//-----------------------------------------------------------------------------
// [SECTION] Sending
//-----------------------------------------------------------------------------

// One message as it leaves: parts and the optional PDF.
struct OutgoingMail {
    Id id = 0;
    std::string from, to, subject, text, html;
    std::string message_id;  // "<outbox-12@uneplace>": lets a mail system drop a copy re-sent after a crash
    std::string attachment_name, attachment;  // empty: none
};
// Sends one message through `smtp_url` with libcurl (MIME multipart/mixed around a
// multipart/alternative of text and HTML). Empty on success, else libcurl's error in words.
std::string send_smtp(const std::string& smtp_url, const OutgoingMail& mail);

// One pass over the messages due at app.now(): each sent, or scheduled again after M6's delay,
// or failed after the last one. Returns how many left. Never called without --smtp.
int send_due_mail(App& app);

// The thread that runs send_due_mail() every second; not started without --smtp.
class MailWorker {
public:
    explicit MailWorker(App& app) : app_(app) {}
    ~MailWorker() { stop(); }
    void start();
    void stop();

private:
    App& app_;
    PeriodicThread thread_;
};

}  // namespace uneplace::server
