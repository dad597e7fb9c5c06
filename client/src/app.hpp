// uneplace client — the application state: one struct per screen, and the app that routes to them.
// Each screen is a state struct plus one show_…() function drawing it (the imgui_demo.cpp pattern);
// screens talk to the server only through api.hpp.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "api.hpp"
#include "view_logic.hpp"

struct LoginScreenState {
    std::string email;
    std::string password;
    std::string email_error;   // from the shared validator, shown as the user types
    std::optional<ApiError> error;
    bool busy = false;
};

struct CatalogueScreenState {
    std::vector<CatalogueEntry> sessions;
    bool loaded = false;
    bool loading = false;
    std::optional<ApiError> error;
    std::string search;        // filters the list locally, accent-insensitive
};

struct AppState {
    Route route;                 // what the location hash says
    bool checked_session = false;  // /me asked once at start (a reload keeps the session)
    bool checking_session = false;
    LoginScreenState login;
    CatalogueScreenState catalogue;
    std::string notice;          // a short message shown on the next screen (e.g. after logout)
};

// Draws the whole app for one frame, full-window.
void app_frame(AppState& app);
// Moves to another screen and records it in the browser history.
void app_navigate(AppState& app, Route route);

// One function per screen (screen_*.cpp).
void show_login_screen(AppState& app);
void show_catalogue_screen(AppState& app);
