// uneplace client — the typed calls (api/calls.hpp): each builds its path and body, and reads the
// answer with the readers of api/readers.cpp.
//
// Index of this file:
// [SECTION] Helpers
// [SECTION] Session
// [SECTION] Catalogue, sessions and bookings (social worker)
// [SECTION] Beneficiaries and notifications
// [SECTION] Partner workspace
// [SECTION] Administration and impact

#include "api/calls.hpp"

#include <nlohmann/json.hpp>

#include "platform.hpp"
#include "uneplace/errors.hpp"

using nlohmann::json;

//-------------------------------------------------------------------------------------------------
// [SECTION] Helpers
//-------------------------------------------------------------------------------------------------

namespace {

const std::string kApi = "/api/v1";

std::string id_path(const char* collection, long long id, const char* tail = "") {
    return kApi + "/" + collection + "/" + std::to_string(id) + tail;
}

// GET a list answer ({"items": [...]}) and read each row with `parse`.
template <class T>
void get_list(const std::string& path, T (*parse)(const json&), ApiOk<std::vector<T>> ok, ApiFail fail) {
    api_request(
        "GET", path, "",
        [parse, ok = std::move(ok)](const json& j) {
            std::vector<T> items;
            for (const json& it : json_items(j)) items.push_back(parse(it));
            ok(std::move(items));
        },
        std::move(fail));
}

// GET one object and read it with `parse`.
template <class T>
void get_one(const std::string& path, T (*parse)(const json&), ApiOk<T> ok, ApiFail fail) {
    api_request(
        "GET", path, "", [parse, ok = std::move(ok)](const json& j) { ok(parse(j)); }, std::move(fail));
}

// A write whose answer the caller does not need.
void write(const char* method, const std::string& path, const json& body, ApiDone ok, ApiFail fail,
           const std::string& idempotency_key = {}) {
    api_request(
        method, path, body.dump(), [ok = std::move(ok)](const json&) { ok(); }, std::move(fail), idempotency_key);
}

}  // namespace

//-------------------------------------------------------------------------------------------------
// [SECTION] Session
//-------------------------------------------------------------------------------------------------

void api_login(const std::string& email, const std::string& password, const std::string& totp, ApiOk<User> ok,
               ApiFail fail) {
    json request = {{"email", email}, {"password", password}};
    if (!totp.empty()) request["totp"] = totp;
    const std::string body = request.dump();
    api_request(
        "POST", kApi + "/auth/login", body,
        [ok = std::move(ok)](const json& j) {
            g_api_session.csrf_token = json_str(j, "csrf_token");
            User u = parse_user(json_object(j, "user"));
            g_api_session.user = u;
            platform_session_set("csrf_token", g_api_session.csrf_token);
            ok(u);
        },
        std::move(fail));
}

void api_logout(ApiDone done) {
    api_request(
        "POST", kApi + "/auth/logout", "{}", [done](const json&) { done(); }, [done](const ApiError&) { done(); });
    g_api_session = ApiSession{};
    platform_session_set("csrf_token", "");
}

void api_me(ApiOk<User> ok, ApiFail fail) {
    api_request(
        "GET", kApi + "/me", "",
        [ok = std::move(ok)](const json& j) {
            // /me answers the user itself (or {user: …}); accept both shapes.
            User u = parse_user(j.is_object() && j.contains("user") ? j["user"] : j);
            g_api_session.user = u;
            ok(u);
        },
        std::move(fail));
}

void api_health(ApiDone ok, ApiFail fail) {
    api_request(
        "GET", "/healthz", "", [ok = std::move(ok)](const json&) { ok(); }, std::move(fail));
}

void api_sign_up(const json& organisation, const std::string& idempotency_key, ApiDone ok, ApiFail fail) {
    write("POST", kApi + "/organisations", organisation, std::move(ok), std::move(fail), idempotency_key);
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Catalogue, sessions and bookings (social worker)
//-------------------------------------------------------------------------------------------------

void api_catalogue_page(const std::string& query_string, ApiOk<CataloguePage> ok, ApiFail fail) {
    api_request(
        "GET", kApi + "/catalogue?" + query_string, "",
        [ok = std::move(ok)](const json& j) {
            CataloguePage page;
            for (const json& it : json_items(j)) page.items.push_back(parse_catalogue_entry(it));
            page.next_cursor = json_str(j, "next_cursor");
            if (auto s = j.find("suggestions"); s != j.end() && s->is_array())
                for (const json& it : *s)
                    if (it.is_object())
                        page.suggestions.push_back({json_str(it, "kind"), json_int(it, "count"), json_str(it, "near"),
                                                    json_str(it, "from"), json_str(it, "to")});
            ok(std::move(page));
        },
        std::move(fail));
}

void api_session_detail(long long session_id, ApiOk<SessionDetail> ok, ApiFail fail) {
    get_one(id_path("sessions", session_id), parse_session_detail, std::move(ok), std::move(fail));
}

void api_bookings(long long beneficiary_id, ApiOk<std::vector<Booking>> ok, ApiFail fail) {
    std::string path = kApi + "/bookings?limit=500";
    if (beneficiary_id) path += "&beneficiary_id=" + std::to_string(beneficiary_id);
    get_list(path, parse_booking, std::move(ok), std::move(fail));
}

void api_create_booking(const BookingRequest& r, const std::string& idempotency_key, ApiOk<BookingCreated> ok,
                        ApiFail fail) {
    const json body = {{"session_id", r.session_id},
                       {"beneficiary_id", r.beneficiary_id},
                       {"places", r.places},
                       {"join_waitlist", r.join_waitlist}};
    api_request(
        "POST", kApi + "/bookings", body.dump(), [ok = std::move(ok)](const json& j) { ok(parse_booking_created(j)); },
        std::move(fail), idempotency_key);
}

void api_cancel_booking(long long booking_id, ApiOk<std::string> ok, ApiFail fail) {
    api_request(
        "POST", id_path("bookings", booking_id, "/cancel"), "{}",
        [ok = std::move(ok)](const json& j) { ok(json_str(j, "status")); }, std::move(fail));
}

void api_send_feedback(long long booking_id, const json& feedback, ApiDone ok, ApiFail fail) {
    write("POST", id_path("bookings", booking_id, "/feedback"), feedback, std::move(ok), std::move(fail));
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Beneficiaries and notifications
//-------------------------------------------------------------------------------------------------

void api_beneficiaries(ApiOk<std::vector<Beneficiary>> ok, ApiFail fail) {
    get_list(kApi + "/beneficiaries?limit=500", parse_beneficiary, std::move(ok), std::move(fail));
}

void api_save_beneficiary(long long editing_id, const json& body, const std::string& idempotency_key,
                          ApiOk<Beneficiary> ok, ApiFail fail) {
    const bool creating = editing_id == 0;
    api_request(
        creating ? "POST" : "PATCH", creating ? kApi + "/beneficiaries" : id_path("beneficiaries", editing_id),
        body.dump(), [ok = std::move(ok)](const json& j) { ok(parse_beneficiary(j)); }, std::move(fail),
        creating ? idempotency_key : std::string());
}

void api_notifications(ApiOk<std::vector<Notification>> ok, ApiFail fail) {
    get_list(kApi + "/notifications?limit=200", parse_notification, std::move(ok), std::move(fail));
}

void api_mail_preferences(ApiOk<MailPreferences> ok, ApiFail fail) {
    get_one(kApi + "/me/preferences", parse_mail_preferences, std::move(ok), std::move(fail));
}

void api_save_mail_preferences(const MailPreferences& p, ApiOk<MailPreferences> ok, ApiFail fail) {
    const json body = {{"reminders", p.reminders}, {"feedback_requests", p.feedback_requests}};
    api_request(
        "PATCH", kApi + "/me/preferences", body.dump(),
        [ok = std::move(ok)](const json& j) { ok(parse_mail_preferences(j)); }, std::move(fail));
}

void api_api_keys(ApiOk<std::vector<ApiKey>> ok, ApiFail fail) {
    get_list(kApi + "/api-keys", parse_api_key, std::move(ok), std::move(fail));
}

void api_create_api_key(const std::string& name, const std::vector<std::string>& scopes,
                        const std::string& idempotency_key, ApiOk<ApiKey> ok, ApiFail fail) {
    const json body = {{"name", name}, {"scopes", scopes}};
    api_request(
        "POST", kApi + "/api-keys", body.dump(), [ok = std::move(ok)](const json& j) { ok(parse_api_key(j)); },
        std::move(fail), idempotency_key);
}

void api_revoke_api_key(long long id, ApiOk<ApiKey> ok, ApiFail fail) {
    api_request(
        "DELETE", id_path("api-keys", id), "", [ok = std::move(ok)](const json& j) { ok(parse_api_key(j)); },
        std::move(fail));
}

void api_change_password(const std::string& current_password, const std::string& new_password, ApiDone ok,
                         ApiFail fail) {
    write("POST", kApi + "/me/password", {{"current_password", current_password}, {"new_password", new_password}},
          std::move(ok), std::move(fail));
}

void api_login_sessions(ApiOk<std::vector<LoginSession>> ok, ApiFail fail) {
    get_list(kApi + "/me/sessions", parse_login_session, std::move(ok), std::move(fail));
}

void api_end_login_session(long long id, ApiDone ok, ApiFail fail) {
    api_request(
        "DELETE", kApi + "/me/sessions/" + std::to_string(id), "", [ok = std::move(ok)](const json&) { ok(); },
        std::move(fail));
}

void api_start_totp(ApiOk<TotpEnrolment> ok, ApiFail fail) {
    api_request(
        "POST", kApi + "/me/totp", "{}", [ok = std::move(ok)](const json& j) { ok(parse_totp_enrolment(j)); },
        std::move(fail));
}

void api_confirm_totp(const std::string& code, ApiOk<std::vector<std::string>> ok, ApiFail fail) {
    api_request(
        "POST", kApi + "/me/totp/confirm", json{{"code", code}}.dump(),
        [ok = std::move(ok)](const json& j) {
            std::vector<std::string> codes;
            if (auto it = j.find("recovery_codes"); it != j.end() && it->is_array())
                for (const json& c : *it)
                    if (c.is_string()) codes.push_back(c.get<std::string>());
            // The second factor is on: /me says so from now, and an administrator may go on.
            if (g_api_session.user) {
                g_api_session.user->second_factor = true;
                g_api_session.user->second_factor_setup_required = false;
            }
            ok(std::move(codes));
        },
        std::move(fail));
}

void api_reset_link(long long user_id, ApiOk<ResetLinkInfo> ok, ApiFail fail) {
    api_request(
        "POST", id_path("users", user_id, "/reset-link"), "{}",
        [ok = std::move(ok)](const json& j) {
            ok(ResetLinkInfo{json_str(j, "url"), json_str(j, "expires_at")});
        },
        std::move(fail));
}

void api_reset_password(const std::string& token, const std::string& new_password, ApiDone ok, ApiFail fail) {
    write("POST", kApi + "/auth/reset", {{"token", token}, {"new_password", new_password}}, std::move(ok),
          std::move(fail));
}

void api_outbox(const std::string& status, ApiOk<OutboxPage> ok, ApiFail fail) {
    get_one(kApi + "/outbox?limit=200&status=" + status, parse_outbox, std::move(ok), std::move(fail));
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Partner workspace
//-------------------------------------------------------------------------------------------------

void api_venues(ApiOk<std::vector<Venue>> ok, ApiFail fail) {
    get_list(kApi + "/venues?limit=500", parse_venue, std::move(ok), std::move(fail));
}

void api_create_venue(const json& venue, const std::string& idempotency_key, ApiOk<Venue> ok, ApiFail fail) {
    api_request(
        "POST", kApi + "/venues", venue.dump(), [ok = std::move(ok)](const json& j) { ok(parse_venue(j)); },
        std::move(fail), idempotency_key);
}

void api_offers(ApiOk<std::vector<Offer>> ok, ApiFail fail) {
    get_list(kApi + "/offers?limit=500", parse_offer, std::move(ok), std::move(fail));
}

void api_offer_rows(const std::string& status, ApiOk<std::vector<OfferRow>> ok, ApiFail fail) {
    get_list(kApi + "/offers?limit=500" + (status.empty() ? "" : "&status=" + status), parse_offer_row, std::move(ok),
             std::move(fail));
}

void api_save_offer(long long editing_id, const json& offer, const std::string& idempotency_key, ApiOk<Offer> ok,
                    ApiFail fail) {
    const bool creating = editing_id == 0;
    api_request(
        creating ? "POST" : "PATCH", creating ? kApi + "/offers" : id_path("offers", editing_id), offer.dump(),
        [ok = std::move(ok)](const json& j) { ok(parse_offer(j)); }, std::move(fail),
        creating ? idempotency_key : std::string());
}

void api_submit_offer(long long offer_id, ApiDone ok, ApiFail fail) {
    write("POST", id_path("offers", offer_id, "/submit"), json::object(), std::move(ok), std::move(fail));
}

void api_put_offer_image(long long offer_id, const std::string& bytes, const std::string& content_type,
                         ApiOk<std::string> ok, ApiFail fail) {
    api_upload(
        id_path("offers", offer_id, "/image"), bytes, content_type,
        [ok = std::move(ok)](const json& j) { ok(json_str(j, "image_url")); }, std::move(fail));
}

void api_offer_sessions(long long offer_id, ApiOk<std::vector<SessionRow>> ok, ApiFail fail) {
    get_list(id_path("offers", offer_id, "/sessions?limit=500"), parse_session_row, std::move(ok), std::move(fail));
}

void api_create_session(long long offer_id, const json& session, const std::string& idempotency_key, ApiDone ok,
                        ApiFail fail) {
    write("POST", id_path("offers", offer_id, "/sessions"), session, std::move(ok), std::move(fail), idempotency_key);
}

void api_session_row(long long session_id, ApiOk<SessionRow> ok, ApiFail fail) {
    get_one(id_path("sessions", session_id), parse_session_row, std::move(ok), std::move(fail));
}

void api_change_capacity(long long session_id, int capacity, ApiDone ok, ApiFail fail) {
    write("PATCH", id_path("sessions", session_id), json{{"capacity", capacity}}, std::move(ok), std::move(fail));
}

void api_cancel_session(long long session_id, ApiDone ok, ApiFail fail) {
    write("POST", id_path("sessions", session_id, "/cancel"), json::object(), std::move(ok), std::move(fail));
}

void api_guest_list(long long session_id, ApiOk<std::vector<Guest>> ok, ApiFail fail) {
    get_list(id_path("sessions", session_id, "/guest-list"), parse_guest, std::move(ok), std::move(fail));
}

void api_check_in(long long session_id, const json& body, ApiDone ok, ApiFail fail) {
    write("POST", id_path("sessions", session_id, "/checkin"), body, std::move(ok), std::move(fail));
}

void api_undo_check_in(long long session_id, long long booking_id, ApiDone ok, ApiFail fail) {
    write("POST", id_path("sessions", session_id, "/checkin/undo"), json{{"booking_id", booking_id}}, std::move(ok),
          std::move(fail));
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Administration and impact
//-------------------------------------------------------------------------------------------------

void api_organisations(const std::string& status, ApiOk<std::vector<Organisation>> ok, ApiFail fail,
                       ApiOk<bool> truncated) {
    api_request(
        "GET", kApi + "/organisations?limit=500" + (status.empty() ? "" : "&status=" + status), "",
        [ok = std::move(ok), truncated = std::move(truncated)](const json& j) {
            std::vector<Organisation> items;
            for (const json& it : json_items(j)) items.push_back(parse_organisation(it));
            if (truncated) truncated(!json_str(j, "next_cursor").empty());
            ok(std::move(items));
        },
        std::move(fail));
}

void api_organisation_users(long long organisation_id, ApiOk<std::vector<UserRow>> ok, ApiFail fail) {
    get_list(id_path("organisations", organisation_id, "/users?limit=500"), parse_user_row, std::move(ok),
             std::move(fail));
}

void api_decide(const std::string& collection, long long id, const std::string& action, const json& body, ApiDone ok,
                ApiFail fail) {
    write("POST", kApi + "/" + collection + "/" + std::to_string(id) + "/" + action, body, std::move(ok),
          std::move(fail));
}

void api_settings(const std::string& territory, ApiOk<uneplace::TerritorySettings> ok, ApiFail fail) {
    get_one(kApi + "/settings/" + territory, parse_settings, std::move(ok), std::move(fail));
}

void api_save_settings(const std::string& territory, const uneplace::TerritorySettings& settings,
                       ApiOk<uneplace::TerritorySettings> ok, ApiFail fail) {
    api_request(
        "PUT", kApi + "/settings/" + territory, settings_to_json(settings).dump(),
        [ok = std::move(ok)](const json& j) { ok(parse_settings(j)); }, std::move(fail));
}

void api_settings_what_if(const std::string& territory, const uneplace::TerritorySettings& proposed, int reminder_hours,
                          ApiOk<WhatIf> ok, ApiFail fail) {
    std::string query = "reminder_hours=" + std::to_string(reminder_hours);
    for (const auto& f : uneplace::kTerritorySettingFields)
        query += std::string("&") + f.name + "=" + std::to_string(proposed.*f.member);
    api_request(
        "GET", kApi + "/settings/" + territory + "/what-if?" + query, "",
        [ok = std::move(ok)](const json& j) { ok(parse_what_if(j)); }, std::move(fail));
}

void api_audit(const std::string& query_string, ApiOk<std::vector<json>> ok, ApiFail fail) {
    api_request(
        "GET", kApi + "/audit?" + query_string, "",
        [ok = std::move(ok)](const json& j) {
            std::vector<json> entries;
            for (const json& it : json_items(j)) entries.push_back(it);
            ok(std::move(entries));
        },
        std::move(fail));
}

void api_stats(const std::string& query_string, const std::string& group_by, ApiOk<ImpactAnswer> ok, ApiFail fail) {
    api_request(
        "GET", kApi + "/stats?" + query_string + (group_by.empty() ? "" : "&group_by=" + group_by), "",
        [ok = std::move(ok)](const json& j) {
            ImpactAnswer a;
            a.rows = parse_impact_rows(j);
            a.totals = a.rows.empty() ? parse_figures(j) : a.rows.front().f;
            if (j.is_object() && j.contains("totals") && j["totals"].is_object()) a.totals = parse_figures(j["totals"]);
            ok(std::move(a));
        },
        std::move(fail));
}

void api_export_bookings(const std::string& query_string, ApiOk<std::string> ok, ApiFail fail) {
    api_request_text("GET", kApi + "/exports/bookings.csv?" + query_string, std::move(ok), std::move(fail));
}

void api_invitation_pdf(long long booking_id, ApiOk<std::string> ok, ApiFail fail) {
    api_request_text("GET", kApi + "/bookings/" + std::to_string(booking_id) + "/invitation.pdf", std::move(ok),
                     std::move(fail));
}

void api_door_list_pdf(long long session_id, ApiOk<std::string> ok, ApiFail fail) {
    api_request_text("GET", kApi + "/sessions/" + std::to_string(session_id) + "/door-list.pdf", std::move(ok),
                     std::move(fail));
}

void api_impact_report_pdf(const std::string& query_string, ApiOk<std::string> ok, ApiFail fail) {
    api_request_text("GET", kApi + "/reports/impact.pdf?" + query_string, std::move(ok), std::move(fail));
}
