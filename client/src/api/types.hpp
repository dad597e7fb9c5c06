// uneplace client — the API's objects as the screens use them (shared/API.md), and their JSON
// readers (api/readers.cpp). Readers are lenient (a missing field reads as empty or zero): the
// server is the authority, the client shows what it gets and never crashes on a surprise.
//
// Index of this file:
// [SECTION] Session and social worker
// [SECTION] Partner workspace
// [SECTION] Administration
// [SECTION] Readers
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "uneplace/domain.hpp"
#include "uneplace/impact.hpp"
#include "uneplace/rules.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] Session and social worker
//-------------------------------------------------------------------------------------------------

struct User {
    long long id = 0;
    std::string role;  // "admin" | "partner" | "social_worker"
    long long organisation_id = 0;
    std::string display_name;
    std::string email;
    std::string organisation_territory;  // the organisation's département ("" for an administrator)
    // The user or the organisation is still "pending" (sign-up awaiting approval): the app shows
    // the waiting page with the server's French text instead of an empty workspace.
    bool waiting_for_approval = false;
    bool suspended = false;        // the user or the organisation is suspended
    std::string inactive_message;  // the server's French text for either, when it gives one
    bool second_factor = false;    // TOTP turned on
    // An administrator who must turn the second factor on before anything else (the server
    // refuses every other route): the app opens « Mon compte ».
    bool second_factor_setup_required = false;
};

// « Mon compte » (API.md « Accounts and operations »).
struct LoginSession {
    long long id = 0;
    std::string created_at, last_seen_at, user_agent;
    bool current = false;
};
struct TotpEnrolment {
    std::string secret, otpauth_url;
    int qr_size = 0;
    std::string qr_modules;  // qr_size × qr_size, row by row, '1' dark
};
struct ResetLinkInfo {
    std::string url, expires_at;
};

struct CatalogueEntry {
    long long session_id = 0;
    long long offer_id = 0;
    std::string title;
    std::string category;
    std::string venue_name;
    std::string venue_city;
    std::string territory;
    std::string start;        // RFC 3339 UTC
    std::string start_local;  // venue's local time, RFC 3339 with offset
    std::string closes_at;
    std::string allocation;  // "first_come" | "ballot"
    int capacity = 0;
    int places_left = 0;
    int max_per_booking = 0;
    int min_age = 0;                       // the offer's, 0 = all ages
    unsigned accessibility = 0;            // uneplace::AccessibilityFlags
    std::string image_url, thumbnail_url;  // the offer's poster, "" when none (issue 18)
};

struct SessionDetail {
    CatalogueEntry entry;  // the catalogue fields
    std::string description;
    std::string venue_address;
    std::string venue_postal_code;
    std::string partner_name;
    std::string pickup_mode;  // guest_list | e_ticket | printed
    std::string draw_at;      // ballot sessions
    std::string opens_at;
    std::string status;  // scheduled | cancelled
    int duration_min = 0;
    int min_age = 0;
    unsigned accessibility = 0;  // uneplace::AccessibilityFlags
    int places_held = 0;
    int structure_places_held = -1;  // the caller's structure, when the server says (-1: unknown)
    // The territory's settings (share, max upcoming bookings…) for the pre-check; the defaults
    // when the server does not send them.
    uneplace::TerritorySettings settings;
};

struct Beneficiary {
    long long id = 0;
    std::string first_name;
    std::string last_name;
    int birth_year = 0;  // 0: not given
    std::string postal_code;
    int household_size = 1;
    std::vector<int> children_birth_years;  // the household's children, when recorded
    std::string phone;
    std::string preferred_language;
    int upcoming_bookings = 0;
    std::string paused_until;  // R8: RFC 3339 end of the pause, empty when none
    std::string display_name() const { return first_name + " " + last_name; }
};

struct Booking {
    long long id = 0;
    long long session_id = 0;
    long long beneficiary_id = 0;
    int places = 0;
    std::string status;  // confirmed, cancelled, late_cancelled, attended, no_show,
                         // waitlisted, ballot_entered, expired, lost…
    std::string code;
    std::string created_at;
    // Joined for display when the server includes them.
    std::string title;
    std::string start;
    std::string territory;
    std::string closes_at;
    std::string venue_name;
    std::string beneficiary_name;
    bool has_feedback = false;
    std::string end;       // the session's end (RFC 3339 UTC), for the overlap rule R6
    int duration_min = 0;  // its length, when `end` is not given (0: unknown)
    // The feedback already given (F1), so "Modifier le retour" opens it filled in.
    std::string feedback_went;  // yes | partly | no, "" when none
    int feedback_rating = 0;
    std::string feedback_comment;
};

struct Notification {
    long long id = 0;
    std::string kind;  // confirmed, promoted, cancelled, reminder, expired…
    std::string message;
    std::string created_at;
    bool read = false;
    long long booking_id = 0;
    long long session_id = 0;
};

// What the booking form's pre-check needs of a booking answer: its status and its code.
struct BookingCreated {
    long long id = 0;
    std::string status;  // confirmed | waitlisted | ballot_entered
    std::string code;
};

//-------------------------------------------------------------------------------------------------
// [SECTION] Partner workspace
//-------------------------------------------------------------------------------------------------

struct Venue {
    long long id = 0;
    std::string name, address, postal_code, city, territory;
    uneplace::AccessibilityFlags accessibility = 0;
    bool archived = false;
};

struct Offer {
    long long id = 0;
    long long venue_id = 0;
    std::string title, description, category, pickup_mode, status, reject_reason;
    int min_age = 0;
    uneplace::AccessibilityFlags accessibility = 0;
    int sessions_count = -1;  // -1: the server did not say
    std::string image_url;    // the poster, "" when none
};

struct SessionRow {
    long long id = 0;
    long long offer_id = 0;
    std::string title, territory, start, closes_at, opens_at, draw_at, allocation, status, venue_name;
    int duration_min = 0, capacity = 0, places_held = 0, max_per_booking = 0;
};

struct Guest {
    long long booking_id = 0;
    std::string code, guest, structure, status;
    int places = 0;
    int attended_count = 0;
    int count_input = 0;  // what the partner types in the row before ticking it
};

//-------------------------------------------------------------------------------------------------
// [SECTION] Administration
//-------------------------------------------------------------------------------------------------

struct Organisation {
    long long id = 0;
    std::string kind, name, territory, status, created_at;
    int users = -1;
};

struct UserRow {
    long long id = 0;
    long long organisation_id = 0;
    std::string organisation_name, role, email, display_name, status, created_at;
};

struct OfferRow {
    long long id = 0;
    std::string title, description, category, pickup_mode, status, partner_name, venue_name, territory, updated_at,
        reject_reason;
    int min_age = 0;
    int sessions = -1;
    uneplace::AccessibilityFlags accessibility = 0;
};

struct SessionLine {
    std::string start, territory, allocation;
    int capacity = 0, max_per_booking = 0;
};

// One row of the impact figures grouped by month, territory or category.
struct ImpactRow {
    std::string key;
    uneplace::ImpactFigures f;
};

// E-mail (M5): what the user may turn off (M1 and M3 always go).
struct MailPreferences {
    bool reminders = true;          // M2
    bool feedback_requests = true;  // M4
};

// An API key of the organisation (the ticketing-network feed); `key` only in the creation's answer.
struct ApiKey {
    long long id = 0;
    std::string name, prefix, created_at, last_used_at, revoked_at;  // "" when never used, not revoked
    std::vector<std::string> scopes;
    std::string key;
};

// One message of the outbox (M6), as administrators see it.
struct OutboxLine {
    long long id = 0;
    std::string kind;  // M1..M4
    std::string event, status, recipient, subject;
    long long booking_id = 0;
    int attempts = 0;
    std::string next_attempt_at, sent_at, last_error, created_at;
};
struct OutboxPage {
    bool mail_configured = false;
    int queued = 0, failed = 0;
    std::vector<OutboxLine> items;
};

// GET /api/v1/settings/{territory}/what-if: the territory's last 12 months replayed under its
// current settings and under proposed ones (one side each).
struct WhatIfFigures {
    double usage_ratio = 0, first_timer_share = 0, gini = 0, largest_structures_share = 0;
    long long places_donated = 0, people_attended = 0, places_wasted = 0, first_timers = 0;
};
struct WhatIf {
    long long sessions = 0, requests = 0;
    WhatIfFigures current, proposed;
    std::string summary;  // summary_fr, one French sentence
};

//-------------------------------------------------------------------------------------------------
// [SECTION] Readers
//-------------------------------------------------------------------------------------------------

// Lenient readers of API objects: a missing or mistyped field reads as empty/zero, never throws.
std::string json_str(const nlohmann::json& obj, const char* key);
int json_int(const nlohmann::json& obj, const char* key);
long long json_id(const nlohmann::json& obj, const char* key);  // ids may be numbers or strings
bool json_bool(const nlohmann::json& obj, const char* key);

// The rows of a list answer: {"items": [...]} (API.md) or a bare array; an empty array otherwise.
const nlohmann::json& json_items(const nlohmann::json& answer);
// The object under `key` when it is one, else an empty object (never throws).
const nlohmann::json& json_object(const nlohmann::json& obj, const char* key);
// A string field that may also come as a number (ids, counts); "" when absent.
std::string json_text(const nlohmann::json& obj, const char* key);
// {"wheelchair": true, …} (or the bit mask as a number, or a list of keys) → flags.
uneplace::AccessibilityFlags json_accessibility(const nlohmann::json& obj, const char* key);
nlohmann::json accessibility_to_json(uneplace::AccessibilityFlags flags);
// An instant written RFC 3339 with an offset or Z; 0 when absent or malformed.
uneplace::UnixSeconds instant_of(const std::string& rfc3339);

User parse_user(const nlohmann::json& j);
CatalogueEntry parse_catalogue_entry(const nlohmann::json& j);
SessionDetail parse_session_detail(const nlohmann::json& j);
Beneficiary parse_beneficiary(const nlohmann::json& j);
Booking parse_booking(const nlohmann::json& j);
Notification parse_notification(const nlohmann::json& j);
MailPreferences parse_mail_preferences(const nlohmann::json& j);
ApiKey parse_api_key(const nlohmann::json& j);
LoginSession parse_login_session(const nlohmann::json& j);
TotpEnrolment parse_totp_enrolment(const nlohmann::json& j);
OutboxPage parse_outbox(const nlohmann::json& j);
nlohmann::json beneficiary_to_json(const Beneficiary& b);
BookingCreated parse_booking_created(const nlohmann::json& j);
Venue parse_venue(const nlohmann::json& j);
Offer parse_offer(const nlohmann::json& j);
SessionRow parse_session_row(const nlohmann::json& j);
Guest parse_guest(const nlohmann::json& j);
Organisation parse_organisation(const nlohmann::json& j);
UserRow parse_user_row(const nlohmann::json& j);
OfferRow parse_offer_row(const nlohmann::json& j);
SessionLine parse_session_line(const nlohmann::json& j);
uneplace::TerritorySettings parse_settings(const nlohmann::json& answer);
nlohmann::json settings_to_json(const uneplace::TerritorySettings& s);
uneplace::ImpactFigures parse_figures(const nlohmann::json& row);
std::vector<ImpactRow> parse_impact_rows(const nlohmann::json& answer);
WhatIf parse_what_if(const nlohmann::json& answer);
