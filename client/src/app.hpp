// uneplace client — the shell: the session (who is logged in), the top bar, the navigation, and
// the current screen drawn through the table of screens.hpp. Screens never include this file.
#pragma once
#include "ctx.hpp"

struct AppState {
    Ctx ctx;                       // what every screen gets (route, user, navigation)
    bool checked_session = false;  // /me asked once at start (a reload keeps the session)
    bool checking_session = false;
    Screen drawn = Screen::Login;  // the screen drawn last frame: a new one starts at its top
};

// Draws the whole app for one frame, full-window.
void app_frame(AppState& app);
