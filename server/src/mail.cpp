// uneplace server — sending the outbox (mail.hpp): one message through libcurl's SMTP client and
// MIME API, the pass over the messages due with M6's retries, and the thread that runs it.
//
// Index of this file:
// [SECTION] One message over SMTP
// [SECTION] A pass over the outbox
// [SECTION] Thread
#include <curl/curl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <ctime>

#include "mail.hpp"
#include "store.hpp"
#include "uneplace/mail.hpp"

namespace uneplace::server {

using nlohmann::json;

//-----------------------------------------------------------------------------
// [SECTION] One message over SMTP
//-----------------------------------------------------------------------------

namespace {

// Set by MailWorker::stop(): a message being sent is abandoned (left queued, not counted as an
// attempt) so that a stop never waits for a slow or silent mail server.
std::atomic<bool> g_stopping{false};

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

// RFC 2047: a header value in UTF-8 as encoded words ("=?UTF-8?B?…?="), each under 75 characters
// and never cutting a character in two.
std::string encode_header_words(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t n = std::min<std::size_t>(45, text.size() - i);
        while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) --n;
        if (!out.empty()) out += ' ';
        out += "=?UTF-8?B?" + base64(text.substr(i, n)) + "?=";
        i += n;
    }
    return out;
}

// RFC 5322 date of the app's clock ("Wed, 02 Dec 2026 15:54:39 +0000").
std::string mail_date(UnixSeconds t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

// SMTP lines end in CRLF; libcurl's quoted-printable encoder keeps CRLF as line ends but would
// encode a bare LF as "=0A", making one long line of the whole text.
std::string crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

int abort_when_stopping(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) { return g_stopping.load() ? 1 : 0; }

// libcurl's handles, released in every way out.
struct CurlMessage {
    CURL* curl = curl_easy_init();
    curl_mime* mime = nullptr;
    curl_slist* recipients = nullptr;
    curl_slist* headers = nullptr;
    curl_slist* inline_header = nullptr;
    ~CurlMessage() {
        curl_slist_free_all(recipients);
        curl_slist_free_all(headers);
        curl_mime_free(mime);  // frees the nested alternative too, and inline_header (ownership given)
        curl_easy_cleanup(curl);
    }
};

std::string send_with(CurlMessage& m, const std::string& smtp_url, const OutgoingMail& mail, UnixSeconds now) {
    CURL* curl = m.curl;
    if (!curl) return "libcurl : initialisation impossible";
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_URL, smtp_url.c_str());
    // smtp:// upgrades to TLS when the server offers STARTTLS; smtps:// is TLS from the start.
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + mail.from + ">").c_str());
    m.recipients = curl_slist_append(m.recipients, ("<" + mail.to + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, m.recipients);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, abort_when_stopping);

    for (const std::string& h :
         {"Date: " + mail_date(now), "From: une place <" + mail.from + ">", "To: <" + mail.to + ">",
          "Subject: " + encode_header_words(mail.subject), "Message-ID: " + mail.message_id})
        m.headers = curl_slist_append(m.headers, h.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, m.headers);

    // multipart/mixed { multipart/alternative { text/plain, text/html }, application/pdf }
    m.mime = curl_mime_init(curl);
    curl_mime* alternative = curl_mime_init(curl);
    const std::string text = crlf(mail.text), html = crlf(mail.html);  // curl_mime_data copies them
    curl_mimepart* part = curl_mime_addpart(alternative);
    curl_mime_data(part, text.data(), text.size());
    curl_mime_type(part, "text/plain; charset=utf-8");
    curl_mime_encoder(part, "quoted-printable");
    part = curl_mime_addpart(alternative);
    curl_mime_data(part, html.data(), html.size());
    curl_mime_type(part, "text/html; charset=utf-8");
    curl_mime_encoder(part, "quoted-printable");
    part = curl_mime_addpart(m.mime);
    curl_mime_subparts(part, alternative);
    curl_mime_type(part, "multipart/alternative");
    m.inline_header = curl_slist_append(nullptr, "Content-Disposition: inline");
    curl_mime_headers(part, m.inline_header, 1);
    if (!mail.attachment.empty()) {
        part = curl_mime_addpart(m.mime);
        curl_mime_data(part, mail.attachment.data(), mail.attachment.size());
        curl_mime_type(part, "application/pdf");
        curl_mime_filename(part, mail.attachment_name.c_str());
        curl_mime_encoder(part, "base64");
    }
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, m.mime);

    const CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) return {};
    return error[0] ? fmt::format("{} ({})", curl_easy_strerror(rc), error) : std::string(curl_easy_strerror(rc));
}

}  // namespace

std::string send_smtp(const std::string& smtp_url, const OutgoingMail& mail) {
    CurlMessage m;
    return send_with(m, smtp_url, mail, static_cast<UnixSeconds>(std::time(nullptr)));
}

//-----------------------------------------------------------------------------
// [SECTION] A pass over the outbox
//-----------------------------------------------------------------------------

namespace {

struct DueMail {
    OutgoingMail mail;
    std::optional<Id> booking_id;
    bool attach_invitation = false;
    int attempts = 0;
};

std::vector<DueMail> due_mail(App& app, UnixSeconds now) {
    SQLite::Statement q(app.db.conn(), "SELECT id, recipient, subject, body_text, body_html, booking_id,"
                                       " attach_invitation, attempts FROM outbox"
                                       " WHERE status = 'queued' AND next_attempt_at <= ?"
                                       " ORDER BY next_attempt_at, id LIMIT 50");
    q.bind(1, now);
    std::vector<DueMail> out;
    while (q.executeStep()) {
        DueMail d;
        d.mail.id = q.getColumn(0).getInt64();
        d.mail.from = app.options.mail_from;
        d.mail.to = q.getColumn(1).getString();
        d.mail.subject = q.getColumn(2).getString();
        d.mail.text = q.getColumn(3).getString();
        d.mail.html = q.getColumn(4).getString();
        if (!q.getColumn(5).isNull()) d.booking_id = q.getColumn(5).getInt64();
        d.attach_invitation = q.getColumn(6).getInt() != 0;
        d.attempts = q.getColumn(7).getInt();
        const auto at = d.mail.from.find('@');
        d.mail.message_id =
            fmt::format("<outbox-{}@{}>", d.mail.id, at == std::string::npos ? "uneplace" : d.mail.from.substr(at + 1));
        out.push_back(std::move(d));
    }
    return out;
}

// The sender reads every booking, as a national administrator does.
Actor server_itself() {
    Actor a;
    a.role = Role::Admin;
    a.user_status = AccountStatus::Active;
    return a;
}

// M1's invitation, drawn now from the booking (the outbox keeps no PDF). Empty when the booking
// no longer holds a place: then the message is not sent at all (its invitation would be refused
// at the door).
std::optional<std::string> invitation_attachment(App& app, Id booking_id, std::string& name) {
    try {
        const InvitationPdf inv = invitation_for(app, server_itself(), booking_id);
        name = "invitation-" + inv.code + ".pdf";
        return render_invitation_pdf(inv);
    } catch (const Failure&) {
        return std::nullopt;
    }
}

void record(App& app, Id id, const char* sql_set, UnixSeconds now, const std::string& error, int attempts,
            std::optional<UnixSeconds> next_at, const char* audit_action) {
    WriteTx tx(app.db);
    auto& c = tx.conn();
    SQLite::Statement up(c, std::string("UPDATE outbox SET ") + sql_set +
                                ", attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?"
                                " WHERE id = ? AND status = 'queued'");
    up.bind(1, attempts);
    up.bind(2, next_at.value_or(now));
    if (error.empty()) up.bind(3);
    else up.bind(3, error);
    up.bind(4, now);
    up.bind(5, id);
    const int changed = up.exec();
    if (changed && audit_action)
        audit(c, now, std::nullopt, audit_action, "outbox", id, json{{"status", "queued"}},
              json{{"attempts", attempts}, {"error", error}});
    tx.commit();
}

}  // namespace

int send_due_mail(App& app) {
    if (app.options.smtp_url.empty()) return 0;
    const UnixSeconds now = app.now();
    int sent = 0;
    for (DueMail& d : due_mail(app, now)) {
        if (g_stopping) break;
        if (d.attach_invitation && d.booking_id) {
            auto pdf = invitation_attachment(app, *d.booking_id, d.mail.attachment_name);
            if (!pdf) {
                record(app, d.mail.id, "status = 'dropped'", now,
                       "Réservation annulée avant l’envoi : l’invitation n’est plus valable, message non envoyé.",
                       d.attempts, std::nullopt, "mail.dropped");
                continue;
            }
            d.mail.attachment = std::move(*pdf);
        }
        const std::string error = send_smtp(app.options.smtp_url, d.mail);
        if (g_stopping && !error.empty()) break;  // abandoned by the stop: still queued, no attempt counted
        const int attempts = d.attempts + 1;
        if (error.empty()) {
            record(app, d.mail.id, fmt::format("status = 'sent', sent_at = {}", now).c_str(), now, {}, attempts, now,
                   "mail.sent");
            app.metrics.count("mail_sent_total");
            ++sent;
            continue;
        }
        app.metrics.count("mail_send_errors_total");
        const auto delay = mail_retry_delay(attempts);  // M6
        if (delay) {
            spdlog::warn("mail outbox={} attempt={} error={} next_in_s={}", d.mail.id, attempts, error, *delay);
            record(app, d.mail.id, "status = 'queued'", now, error, attempts, now + *delay, nullptr);
        } else {
            spdlog::error("mail outbox={} failed after {} attempts error={}", d.mail.id, attempts, error);
            record(app, d.mail.id, "status = 'failed'", now, error, attempts, std::nullopt, "mail.failed");
        }
    }
    return sent;
}

//-----------------------------------------------------------------------------
// [SECTION] Thread
//-----------------------------------------------------------------------------

void MailWorker::start() {
    if (app_.options.smtp_url.empty()) {
        spdlog::warn("mail: no --smtp, messages stay queued in the outbox");
        return;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_stopping = false;
    // Every second: a booking's confirmation leaves within a second or two, and the query over the
    // partial index of queued rows costs next to nothing when idle.
    thread_.start("mail worker", std::chrono::seconds(1), [this] { send_due_mail(app_); });
}

void MailWorker::stop() {
    g_stopping = true;  // a send under way is cut off (it stays queued), then the thread ends
    thread_.stop();
}

}  // namespace uneplace::server
