// uneplace server — routes of e-mail (API.md « Invitations, door lists, messages »): a user's M5
// preferences, and the administrators' outbox (what could not be sent, and why).
//
// Index of this file:
// [SECTION] Routes
// [SECTION] Route table
#include "api.hpp"
#include "mail.hpp"
#include "store.hpp"

namespace uneplace::server {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Routes
//-----------------------------------------------------------------------------

json preferences_json(const MailPreferences& p) {
    // M1 and M3 are listed as always on, so a screen can say so without knowing the rule.
    return {{"reminders", p.reminders},
            {"feedback_requests", p.feedback_requests},
            {"confirmations", true},
            {"no_place", true}};
}

Response get_preferences(App& app, Request& req) {
    return json_response(200, preferences_json(get_mail_preferences(app, req.who())));
}

Response patch_preferences(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"reminders", "feedback_requests"});
    auto field = [&](const char* key) -> std::optional<bool> {
        if (!body.contains(key)) return std::nullopt;
        return opt_bool(body, key, false);
    };
    const auto reminders = field("reminders");
    const auto feedback_requests = field("feedback_requests");
    return json_response(200, preferences_json(set_mail_preferences(app, req.who(), reminders, feedback_requests)));
}

Response get_outbox(App& app, Request& req) {
    const std::string status = query_param(req, "status").value_or("failed");
    if (status != "failed" && status != "queued" && status != "sent" && status != "dropped")
        fail("validation", "status");
    const OutboxPage page = list_outbox(app, req.who(), status, query_limit(req));
    json items = json::array();
    for (const OutboxLine& l : page.items)
        items.push_back({{"id", l.id},
                         {"kind", l.kind},
                         {"event", l.event},
                         {"status", l.status},
                         {"recipient", l.recipient},
                         {"subject", l.subject},
                         {"booking_id", l.booking_id ? json(*l.booking_id) : json(nullptr)},
                         {"attempts", l.attempts},
                         {"next_attempt_at", time_or_null(l.next_attempt_at)},
                         {"sent_at", time_or_null(l.sent_at)},
                         {"last_error", l.last_error.empty() ? json(nullptr) : json(l.last_error)},
                         {"created_at", time_or_null(l.created_at)}});
    return json_response(200, {{"mail_configured", page.mail_configured},
                               {"queued", page.queued},
                               {"failed", page.failed},
                               {"items", items}});
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Route table
//-----------------------------------------------------------------------------

void add_mail_routes(std::vector<Route>& r) {
    const json prefs = s_obj({{"reminders", s_bool()},
                              {"feedback_requests", s_bool()},
                              {"confirmations", s_bool()},
                              {"no_place", s_bool()}});
    r.push_back({"GET",
                 "/api/v1/me/preferences",
                 Access_LoggedIn,
                 get_preferences,
                 "Mes préférences d’e-mails (M5) : rappels avant la sortie (M2) et demandes d’avis après (M4) ; "
                 "les confirmations (M1) et les messages « pas de place » (M3) partent toujours",
                 nullptr,
                 prefs,
                 200,
                 false,
                 {401, 403}});
    r.push_back({"PATCH",
                 "/api/v1/me/preferences",
                 Access_LoggedIn,
                 patch_preferences,
                 "Changer mes préférences d’e-mails (M5) : chaque champ présent change",
                 s_obj({{"reminders", s_bool()}, {"feedback_requests", s_bool()}}),
                 prefs,
                 200,
                 false,
                 {400, 401, 403, 422}});
    const json line = s_obj({{"id", s_int()},
                             {"kind", s_enum({"M1", "M2", "M3", "M4"})},
                             {"event", s_str()},
                             {"status", s_enum({"queued", "sent", "failed", "dropped"})},
                             {"recipient", s_str()},
                             {"subject", s_str()},
                             {"booking_id", s_nullable(s_int())},
                             {"attempts", s_int()},
                             {"next_attempt_at", s_nullable(s_time())},
                             {"sent_at", s_nullable(s_time())},
                             {"last_error", s_nullable(s_str())},
                             {"created_at", s_time()}});
    r.push_back({"GET",
                 "/api/v1/outbox",
                 Access_Admin,
                 get_outbox,
                 "Boîte d’envoi des e-mails (M6), les plus récents d’abord : ?status=failed (par défaut : ce qui n’a "
                 "pas pu partir, avec la dernière erreur), queued, sent ou dropped ; mail_configured est faux quand "
                 "aucun serveur d’envoi (--smtp) n’est configuré",
                 nullptr,
                 s_obj({{"mail_configured", s_bool()},
                        {"queued", s_int()},
                        {"failed", s_int()},
                        {"items", {{"type", "array"}, {"items", line}}}}),
                 200,
                 false,
                 {401, 403, 422}});
}

}  // namespace uneplace::server
