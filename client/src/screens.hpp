// uneplace client — the table of screens: for each, who may open it, its navigation entry, and
// its draw and reset functions (screens/*.cpp, one file each). The shell draws the current
// screen through this table, builds the navigation from it, and loops over it to reset every
// screen on logout and reconnection. A new screen is one file and one row here.
#pragma once
#include <span>

#include "ctx.hpp"

enum ScreenRoles : unsigned {
    ScreenRoles_None = 0,  // only while logged out (login, sign-up)
    ScreenRoles_SocialWorker = 1u << 0,
    ScreenRoles_Partner = 1u << 1,
    ScreenRoles_Admin = 1u << 2,
    ScreenRoles_Anyone = ScreenRoles_SocialWorker | ScreenRoles_Partner | ScreenRoles_Admin,
};

struct ScreenEntry {
    Screen screen;
    unsigned roles;         // who may open it (ScreenRoles)
    unsigned nav_roles;     // whose navigation lists it (in table order)
    const char* nav_label;  // the navigation entry ("" when not listed)
    Screen nav_parent;      // the entry lit while it shows (a session → the catalogue)
    void (*draw)(Ctx&);
    void (*reset)(Reset);
};

std::span<const ScreenEntry> screen_table();
const ScreenEntry& screen_entry(Screen screen);
unsigned screen_role_bit(const std::string& role);
// The screen a role lands on: the work waiting for it (an administrator's validations).
Screen home_screen(const std::string& role);
bool screen_allowed(const std::string& role, Screen screen);
// Every screen's reset, and the shared data's.
void reset_all_screens(Reset what);
