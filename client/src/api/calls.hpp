// uneplace client — one typed call per route of the server's API (shared/API.md). Screens and
// data/ talk to the server only through these: no screen spells a path. Each call takes its
// arguments, `ok` with the decoded answer and `fail` with the decoded error (French message).
// Creates take an Idempotency-Key: the caller keeps one key per form until the create is
// answered, so resending after a lost answer returns the first answer instead of a second booking.
//
// Index of this file:
// [SECTION] Session
// [SECTION] Catalogue, sessions and bookings (social worker)
// [SECTION] Beneficiaries and notifications
// [SECTION] Partner workspace
// [SECTION] Administration and impact
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/client.hpp"
#include "api/types.hpp"

template <class T>
using ApiOk = std::function<void(T)>;
using ApiFail = std::function<void(const ApiError&)>;
using ApiDone = std::function<void()>;

//-------------------------------------------------------------------------------------------------
// [SECTION] Session
//-------------------------------------------------------------------------------------------------

// `totp`: the second factor's code (or a recovery code), empty when none was asked for yet.
void api_login(const std::string& email, const std::string& password, const std::string& totp, ApiOk<User> ok,
               ApiFail fail);
void api_logout(ApiDone done);
void api_me(ApiOk<User> ok, ApiFail fail);
// GET /healthz: whether the server answers again (the reconnection loop).
void api_health(ApiDone ok, ApiFail fail);
// POST /api/v1/organisations: self sign-up of an organisation and its contact person.
void api_sign_up(const nlohmann::json& organisation, const std::string& idempotency_key, ApiDone ok, ApiFail fail);

//-------------------------------------------------------------------------------------------------
// [SECTION] Catalogue, sessions and bookings (social worker)
//-------------------------------------------------------------------------------------------------

// One page of GET /api/v1/catalogue; `next_cursor` is "" on the last page.
// An empty first page's ways to widen the search (issue 18), each with what it would find.
struct CatalogueSuggestion {
    std::string kind;      // "near", "next_weekend", "all_categories"
    int count = 0;         // sessions found that way (500 at most)
    std::string near;      // "near": the département whose neighbours to add
    std::string from, to;  // "next_weekend": the period, RFC 3339 UTC
};
struct CataloguePage {
    std::vector<CatalogueEntry> items;
    std::string next_cursor;
    std::vector<CatalogueSuggestion> suggestions;
};
void api_catalogue_page(const std::string& query_string, ApiOk<CataloguePage> ok, ApiFail fail);
void api_session_detail(long long session_id, ApiOk<SessionDetail> ok, ApiFail fail);
// The structure's bookings, all of them or one beneficiary's (beneficiary_id ≠ 0).
void api_bookings(long long beneficiary_id, ApiOk<std::vector<Booking>> ok, ApiFail fail);
struct BookingRequest {
    long long session_id = 0;
    long long beneficiary_id = 0;
    int places = 1;
    bool join_waitlist = false;
};
void api_create_booking(const BookingRequest& request, const std::string& idempotency_key, ApiOk<BookingCreated> ok,
                        ApiFail fail);
// Cancels a confirmed booking, or withdraws a waitlist / ballot request; `ok` gets the new status.
void api_cancel_booking(long long booking_id, ApiOk<std::string> ok, ApiFail fail);
void api_send_feedback(long long booking_id, const nlohmann::json& feedback, ApiDone ok, ApiFail fail);

//-------------------------------------------------------------------------------------------------
// [SECTION] Beneficiaries and notifications
//-------------------------------------------------------------------------------------------------

void api_beneficiaries(ApiOk<std::vector<Beneficiary>> ok, ApiFail fail);
// Creates (editing_id = 0, with its Idempotency-Key) or updates a beneficiary.
void api_save_beneficiary(long long editing_id, const nlohmann::json& body, const std::string& idempotency_key,
                          ApiOk<Beneficiary> ok, ApiFail fail);
void api_notifications(ApiOk<std::vector<Notification>> ok, ApiFail fail);
// M5: GET and PATCH /api/v1/me/preferences (any logged-in user).
void api_mail_preferences(ApiOk<MailPreferences> ok, ApiFail fail);
void api_save_mail_preferences(const MailPreferences& p, ApiOk<MailPreferences> ok, ApiFail fail);

//-------------------------------------------------------------------------------------------------
// [SECTION] Partner workspace
//-------------------------------------------------------------------------------------------------

void api_venues(ApiOk<std::vector<Venue>> ok, ApiFail fail);
void api_create_venue(const nlohmann::json& venue, const std::string& idempotency_key, ApiOk<Venue> ok, ApiFail fail);
// The partner's offers (status "" for all) or, for an administrator, the moderation queue.
void api_offers(ApiOk<std::vector<Offer>> ok, ApiFail fail);
void api_offer_rows(const std::string& status, ApiOk<std::vector<OfferRow>> ok, ApiFail fail);
// Creates (editing_id = 0) or updates an offer.
void api_save_offer(long long editing_id, const nlohmann::json& offer, const std::string& idempotency_key,
                    ApiOk<Offer> ok, ApiFail fail);
void api_submit_offer(long long offer_id, ApiDone ok, ApiFail fail);
// The offer's poster (issue 18): the image file as chosen, answered with its new URL.
void api_put_offer_image(long long offer_id, const std::string& bytes, const std::string& content_type,
                         ApiOk<std::string> ok, ApiFail fail);
void api_offer_sessions(long long offer_id, ApiOk<std::vector<SessionRow>> ok, ApiFail fail);
void api_create_session(long long offer_id, const nlohmann::json& session, const std::string& idempotency_key,
                        ApiDone ok, ApiFail fail);
void api_session_row(long long session_id, ApiOk<SessionRow> ok, ApiFail fail);
void api_change_capacity(long long session_id, int capacity, ApiDone ok, ApiFail fail);
void api_cancel_session(long long session_id, ApiDone ok, ApiFail fail);
void api_guest_list(long long session_id, ApiOk<std::vector<Guest>> ok, ApiFail fail);
// Records arrival by code (attended_count < 0: the whole party) — or undoes a recorded one.
void api_check_in(long long session_id, const nlohmann::json& body, ApiDone ok, ApiFail fail);
void api_undo_check_in(long long session_id, long long booking_id, ApiDone ok, ApiFail fail);

//-------------------------------------------------------------------------------------------------
// [SECTION] Administration and impact
//-------------------------------------------------------------------------------------------------

// `status` "" for every organisation.
void api_organisations(const std::string& status, ApiOk<std::vector<Organisation>> ok, ApiFail fail,
                       ApiOk<bool> truncated = nullptr);
void api_organisation_users(long long organisation_id, ApiOk<std::vector<UserRow>> ok, ApiFail fail);
// POST /api/v1/{collection}/{id}/{action}: approve, reject, suspend, publish… (`body` may be {}).
void api_decide(const std::string& collection, long long id, const std::string& action, const nlohmann::json& body,
                ApiDone ok, ApiFail fail);
// "*" is the national row.
void api_settings(const std::string& territory, ApiOk<uneplace::TerritorySettings> ok, ApiFail fail);
void api_save_settings(const std::string& territory, const uneplace::TerritorySettings& settings,
                       ApiOk<uneplace::TerritorySettings> ok, ApiFail fail);
// The ticketing-network feed's keys: list, create (the answer holds the key, shown once), revoke.
void api_api_keys(ApiOk<std::vector<ApiKey>> ok, ApiFail fail);
void api_create_api_key(const std::string& name, const std::vector<std::string>& scopes,
                        const std::string& idempotency_key, ApiOk<ApiKey> ok, ApiFail fail);
void api_revoke_api_key(long long id, ApiOk<ApiKey> ok, ApiFail fail);
// « Mon compte »: password, one's sessions, the second factor; reset links (admin) and their use.
void api_change_password(const std::string& current_password, const std::string& new_password, ApiDone ok,
                         ApiFail fail);
void api_login_sessions(ApiOk<std::vector<LoginSession>> ok, ApiFail fail);
void api_end_login_session(long long id, ApiDone ok, ApiFail fail);
void api_start_totp(ApiOk<TotpEnrolment> ok, ApiFail fail);
void api_confirm_totp(const std::string& code, ApiOk<std::vector<std::string>> ok, ApiFail fail);
void api_reset_link(long long user_id, ApiOk<ResetLinkInfo> ok, ApiFail fail);
void api_reset_password(const std::string& token, const std::string& new_password, ApiDone ok, ApiFail fail);
// M6: GET /api/v1/outbox?status= (failed, queued, sent).
void api_outbox(const std::string& status, ApiOk<OutboxPage> ok, ApiFail fail);
// GET /api/v1/settings/{territory}/what-if with every setting as typed and the M2 reminder delay:
// the simulated effect, nothing saved.
void api_settings_what_if(const std::string& territory, const uneplace::TerritorySettings& proposed, int reminder_hours,
                          ApiOk<WhatIf> ok, ApiFail fail);
void api_audit(const std::string& query_string, ApiOk<std::vector<nlohmann::json>> ok, ApiFail fail);
// GET /api/v1/stats for a query string, grouped by `group_by` ("" for the totals).
struct ImpactAnswer {
    uneplace::ImpactFigures totals;
    std::vector<ImpactRow> rows;
};
void api_stats(const std::string& query_string, const std::string& group_by, ApiOk<ImpactAnswer> ok, ApiFail fail);
// GET /api/v1/exports/bookings.csv: the CSV text as the server wrote it.
void api_export_bookings(const std::string& query_string, ApiOk<std::string> ok, ApiFail fail);
// The PDFs the server makes (I1, I3): their bytes, as they are.
void api_invitation_pdf(long long booking_id, ApiOk<std::string> ok, ApiFail fail);
void api_door_list_pdf(long long session_id, ApiOk<std::string> ok, ApiFail fail);
// GET /api/v1/reports/impact.pdf for a query string (from, to, territory): the impact report.
void api_impact_report_pdf(const std::string& query_string, ApiOk<std::string> ok, ApiFail fail);
