// uneplace client — the application state: one struct per screen, and the app that routes to them.
// Each screen is a state struct plus one show_…() function drawing it (the imgui_demo.cpp pattern);
// screens talk to the server only through api.hpp.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "api.hpp"
#include "model.hpp"
#include "view_logic.hpp"

struct LoginScreenState {
    std::string email;
    std::string password;
    std::string email_error;   // from the shared validator, shown as the user types
    std::optional<ApiError> error;
    bool busy = false;
};

struct CatalogueFilters {
    std::string search;          // words, accent-insensitive, matched locally on title/venue/city
    std::string territory;       // département code, "" for all
    std::string category;        // category code, "" for all
    int from_days = 0;           // from today + N days…
    int to_days = 90;            // …to today + N days
    bool only_available = false; // places left > 0
    bool accessible_wheelchair = false;
    int allocation = 0;          // 0 all, 1 first come, 2 ballot
    int sort = 0;                // 0 date, 1 places left, 2 title
    bool operator==(const CatalogueFilters&) const = default;
};

struct CatalogueScreenState {
    std::vector<CatalogueEntry> sessions;
    bool loaded = false;
    bool loading = false;
    std::optional<ApiError> error;
    CatalogueFilters filters;
    CatalogueFilters loaded_filters;   // what the server was asked (date range, territory…)
    std::vector<int> visible;          // indices into sessions after local filters and sort
    CatalogueFilters visible_for;
    size_t visible_count_for = (size_t)-1;
};

struct BookingForm {
    long long beneficiary_id = 0;
    int places = 1;
    std::string places_text;      // as typed; `places` is its value (0 when not a number)
    bool busy = false;
    std::optional<ApiError> error;
    // The beneficiary's bookings, for the shared rules' pre-check (R5–R7).
    long long bookings_loaded_for = 0;
    std::vector<Booking> beneficiary_bookings;
    // Outcome of the last request.
    std::string result_status;   // confirmed | waitlisted | ballot_entered
    std::string result_code;
    bool offer_waitlist = false;
};

struct SessionScreenState {
    long long session_id = 0;
    bool loading = false;
    std::optional<SessionDetail> session;
    std::optional<ApiError> error;
    BookingForm form;
};

struct BeneficiaryForm {
    bool open = false;
    long long editing_id = 0;         // 0: a new beneficiary
    Beneficiary draft;
    std::string birth_year_text;      // typed as text, validated by the shared rules
    std::string household_text = "1";
    bool busy = false;
    std::optional<ApiError> error;
    std::string visited;              // names of the fields the user has left, space-separated
    long long return_to_session = 0;  // opened from a booking form: go back there once saved
};

struct BeneficiariesScreenState {
    std::vector<Beneficiary> items;
    bool loaded = false;
    bool loading = false;
    std::optional<ApiError> error;
    std::string search;
    BeneficiaryForm form;
    std::string notice;
};

struct BookingsScreenState {
    std::vector<Booking> items;
    bool loaded = false;
    bool loading = false;
    std::optional<ApiError> error;
    std::string notice;
    long long confirm_cancel_id = 0;    // the booking whose cancellation awaits confirmation
    long long feedback_id = 0;          // the booking whose feedback form is open
    std::string feedback_went = "yes";
    int feedback_rating = 5;
    std::string feedback_comment;
    std::optional<ApiError> action_error;
    bool show_past = false;
    std::string search;                 // a name, a title or a booking code (pasted or typed)
};

struct NotificationsScreenState {
    std::vector<Notification> items;
    bool loaded = false;
    bool loading = false;
    std::optional<ApiError> error;
};

struct AppState {
    Route route;                   // what the location hash says
    bool checked_session = false;  // /me asked once at start (a reload keeps the session)
    bool checking_session = false;
    LoginScreenState login;
    CatalogueScreenState catalogue;
    SessionScreenState session;
    BeneficiariesScreenState beneficiaries;
    BookingsScreenState bookings;
    NotificationsScreenState notifications;
    Route after_login;             // where to go once logged in again (session expiry, deep link)
    std::string notice;            // a short message shown on the login screen (after logout…)
};

// Draws the whole app for one frame, full-window.
void app_frame(AppState& app);
// Moves to another screen and records it in the browser history.
void app_navigate(AppState& app, Route route);

// One function per screen (screen_*.cpp).
void show_login_screen(AppState& app);
void show_signup_screen(AppState& app);
void show_catalogue_screen(AppState& app);
void show_session_screen(AppState& app);
void show_beneficiaries_screen(AppState& app);
void show_bookings_screen(AppState& app);
void show_notifications_screen(AppState& app);
// Partner and administrator workspaces (screen_partner.cpp, screen_admin.cpp).
void show_partner_screen(AppState& app);
void show_admin_screen(AppState& app);

// Loads (or reloads) the beneficiaries of the structure into app.beneficiaries.
void load_beneficiaries(AppState& app);
// Page title at the top of a screen's content.
void screen_title(const char* title, const char* subtitle = nullptr);
