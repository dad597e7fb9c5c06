// uneplace shared module — the e-mails of M1–M4 and M6's retry schedule (mail.hpp).
//
// Index of this file:
// [SECTION] Kinds of message
// [SECTION] Retries
// [SECTION] Wording
#include "uneplace/mail.hpp"

#include <vector>

#include "uneplace/french.hpp"
#include "uneplace/invitation.hpp"
#include "uneplace/local_time.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Kinds of message
//-----------------------------------------------------------------------------

std::string_view mail_kind_code(MailKind kind) {
    switch (kind) {
        case MailKind::Confirmed: return "M1";
        case MailKind::Reminder: return "M2";
        case MailKind::NoPlace: return "M3";
        case MailKind::FeedbackRequest: return "M4";
    }
    return "";
}

std::optional<MailKind> mail_kind_from_code(std::string_view code) {
    for (MailKind k : {MailKind::Confirmed, MailKind::Reminder, MailKind::NoPlace, MailKind::FeedbackRequest})
        if (mail_kind_code(k) == code) return k;
    return std::nullopt;
}

std::optional<MailKind> mail_kind_of_notification(std::string_view kind) {
    if (kind == "booking_confirmed" || kind == "waitlist_promoted" || kind == "ballot_won") return MailKind::Confirmed;
    if (kind == "reminder") return MailKind::Reminder;
    if (kind == "session_cancelled" || kind == "ballot_lost" || kind == "waitlist_expired") return MailKind::NoPlace;
    if (kind == "feedback_request") return MailKind::FeedbackRequest;
    return std::nullopt;
}

bool mail_may_be_turned_off(MailKind kind) { return kind == MailKind::Reminder || kind == MailKind::FeedbackRequest; }

//-----------------------------------------------------------------------------
// [SECTION] Retries
//-----------------------------------------------------------------------------

std::optional<UnixSeconds> mail_retry_delay(int failed_attempts) {
    // M6: a mail server down for a restart is caught by the first retries, one down for a night
    // by the last; after that a person has to look (the outbox screen).
    switch (failed_attempts) {
        case 1: return 60;
        case 2: return 10 * 60;
        case 3: return 60 * 60;
        case 4: return 6 * 60 * 60;
        default: return std::nullopt;
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Wording
//-----------------------------------------------------------------------------

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

namespace {

// A message is a subject, a greeting, paragraphs, facts (label: value) and an optional link; the
// text and HTML parts are written from the same pieces so they never say different things.
struct Draft {
    std::string subject;
    std::vector<std::string> paragraphs;
    std::vector<std::pair<std::string, std::string>> facts;
    std::string link_label;
};

std::string session_sentence(const MailFacts& f) {
    return quote_fr(f.title) + " le " + format_datetime_sentence_fr(f.territory, f.start);
}

Draft draft_of(const MailFacts& f) {
    Draft d;
    const std::string what = session_sentence(f);
    const std::string places = count_fr(f.places, "place", "places");
    switch (f.kind) {
        case MailKind::Confirmed:
            d.subject = "Réservation confirmée : " + quote_fr(f.title);
            if (f.event == "waitlist_promoted")
                d.paragraphs.push_back("Une place s’est libérée : la demande de liste d’attente pour " + f.guest +
                                       " est confirmée.");
            else if (f.event == "ballot_won")
                d.paragraphs.push_back("Le tirage au sort est fait : " + f.guest + " a une place.");
            else d.paragraphs.push_back("La réservation pour " + f.guest + " est confirmée.");
            d.paragraphs.push_back("L’invitation est jointe à ce message (PDF) : imprimez-la pour " + f.guest +
                                   " ou transmettez-la-lui. " + pickup_instructions_fr(f.pickup));
            d.paragraphs.push_back("Un empêchement ? Annulez au plus tôt : les places iront à quelqu’un d’autre.");
            d.link_label = "Voir mes réservations";
            break;
        case MailKind::Reminder:
            d.subject = "Rappel : " + quote_fr(f.title) + " le " + format_datetime_sentence_fr(f.territory, f.start);
            d.paragraphs.push_back("La sortie de " + f.guest + " approche : est-elle toujours possible ?");
            d.paragraphs.push_back("Si ce n’est plus possible, annulez maintenant : les places iront à quelqu’un "
                                   "d’autre, et une annulation faite à temps ne compte pas comme une absence.");
            d.link_label = "Annuler ou voir la réservation";
            break;
        case MailKind::NoPlace:
            if (f.event == "session_cancelled") {
                d.subject = "Séance annulée : " + quote_fr(f.title);
                d.paragraphs.push_back("Le partenaire a annulé la séance " + what + ". La réservation pour " + f.guest +
                                       " est annulée ; elle ne compte pas dans ses sorties.");
            } else if (f.event == "ballot_lost") {
                d.subject = "Tirage au sort : pas de place pour " + quote_fr(f.title);
                d.paragraphs.push_back("Le tirage au sort de " + what + " n’a pas donné de place à " + f.guest +
                                       ". Si la demande passe en liste d’attente, vous recevrez un message dès "
                                       "qu’une place se libère.");
            } else {
                d.subject = "Pas de place : " + quote_fr(f.title);
                d.paragraphs.push_back("Aucune place ne s’est libérée pour " + f.guest + " (" + what +
                                       ") : la demande est close.");
            }
            d.paragraphs.push_back("D’autres sorties vous attendent dans le catalogue.");
            d.link_label = "Voir mes réservations";
            break;
        case MailKind::FeedbackRequest:
            d.subject = "Comment s’est passée la sortie ? " + quote_fr(f.title);
            d.paragraphs.push_back("La sortie de " + f.guest + " (" + what +
                                   ") a eu lieu. Dites-nous en quelques secondes si elle s’est bien passée : "
                                   "ces retours aident l’association et les partenaires.");
            d.link_label = "Donner mon avis";
            break;
    }
    d.facts.push_back({"Sortie", f.title});
    d.facts.push_back({"Date", format_datetime_fr(f.territory, f.start) + " (heure locale du lieu)"});
    d.facts.push_back({"Lieu", f.venue_name + ", " + f.venue_address + ", " + f.postal_code + " " + f.city});
    d.facts.push_back({"Invité·e", f.guest});
    d.facts.push_back({"Places", places});
    if (!f.code.empty() && f.kind != MailKind::NoPlace) d.facts.push_back({"Code", f.code});
    return d;
}

}  // namespace

MailText compose_mail(const MailFacts& f) {
    const Draft d = draft_of(f);
    const std::string hello = f.recipient_name.empty() ? "Bonjour," : "Bonjour " + f.recipient_name + ",";
    MailText m;
    m.subject = d.subject;

    m.text = hello + "\n\n";
    for (const auto& p : d.paragraphs) m.text += p + "\n\n";
    for (const auto& [label, value] : d.facts) m.text += label + " : " + value + "\n";
    if (!f.link.empty()) m.text += "\n" + d.link_label + " : " + f.link + "\n";
    m.text += "\n— une place, billetterie solidaire\n";

    m.html = "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>" + html_escape(d.subject) +
             "</title></head>\n<body style=\"font-family: sans-serif; line-height: 1.4\">\n<p>" + html_escape(hello) +
             "</p>\n";
    for (const auto& p : d.paragraphs) m.html += "<p>" + html_escape(p) + "</p>\n";
    m.html += "<table>\n";
    for (const auto& [label, value] : d.facts)
        m.html += "<tr><th style=\"text-align: left; padding-right: 1em\">" + html_escape(label) + "</th><td>" +
                  html_escape(value) + "</td></tr>\n";
    m.html += "</table>\n";
    if (!f.link.empty())
        m.html += "<p><a href=\"" + html_escape(f.link) + "\">" + html_escape(d.link_label) + "</a></p>\n";
    m.html += "<p>— une place, billetterie solidaire</p>\n</body></html>\n";
    return m;
}

}  // namespace uneplace
