// uneplace client — what the shell gives a screen each frame: where we are, who is logged in, and
// the way to go elsewhere. A screen includes this, api/, data/, ui/ and shared/ — never the shell
// (app.hpp) and never another screen; it reaches another screen only by navigating to it.
#pragma once
#include <string>

#include "api/types.hpp"
#include "routes.hpp"

struct Ctx {
    Route route;                 // the screen being drawn and its object (a session's id…)
    const User* user = nullptr;  // the logged-in user; nullptr on the login and sign-up screens
    // Where to go once logged in (session expiry, deep link); the login screen itself means the
    // role's home screen.
    Route after_login{Screen::Login, 0};
    std::string login_notice;  // a short message on the login screen (after logout, expiry…)

    // Moves to another screen and records it in the browser history (defined by the shell).
    void navigate(Route to);
    bool is(const char* role) const { return user && user->role == role; }
};

// What a reset forgets: everything (logout: a new user on this browser sees nothing of the
// previous one), or only the loads that failed (the server answers again: they reload, and forms
// keep what was typed).
enum class Reset { Everything, FailedLoads };
