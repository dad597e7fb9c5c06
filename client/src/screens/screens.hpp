// uneplace client — the entry points of the screens, one pair per file of screens/: draw_x()
// draws the screen for one frame, reset_x() forgets its state (ctx.hpp: Reset). Only the table
// (screens.cpp) calls them; a screen never calls another's.
#pragma once
#include "ctx.hpp"

#define UNEPLACE_SCREEN(name)   \
    void draw_##name(Ctx& ctx); \
    void reset_##name(Reset what);

UNEPLACE_SCREEN(login)             // screens/login.cpp
UNEPLACE_SCREEN(signup)            // screens/signup.cpp
UNEPLACE_SCREEN(waiting)           // screens/waiting.cpp: an organisation awaiting approval
UNEPLACE_SCREEN(catalogue)         // screens/catalogue.cpp
UNEPLACE_SCREEN(session)           // screens/session.cpp
UNEPLACE_SCREEN(beneficiaries)     // screens/beneficiaries.cpp
UNEPLACE_SCREEN(bookings)          // screens/bookings.cpp
UNEPLACE_SCREEN(notifications)     // screens/notifications.cpp
UNEPLACE_SCREEN(partner_venues)    // screens/partner_venues.cpp
UNEPLACE_SCREEN(partner_offers)    // screens/partner_offers.cpp
UNEPLACE_SCREEN(guest_list)        // screens/guest_list.cpp
UNEPLACE_SCREEN(admin_queues)      // screens/admin_queues.cpp
UNEPLACE_SCREEN(admin_settings)    // screens/admin_settings.cpp
UNEPLACE_SCREEN(admin_directory)   // screens/admin_directory.cpp
UNEPLACE_SCREEN(admin_audit)       // screens/admin_audit.cpp
UNEPLACE_SCREEN(dashboard)         // screens/dashboard.cpp
UNEPLACE_SCREEN(preferences)       // screens/preferences.cpp: e-mails the user receives (M5)
UNEPLACE_SCREEN(admin_outbox)      // screens/admin_outbox.cpp: e-mails that failed (M6)
UNEPLACE_SCREEN(partner_api_keys)  // screens/partner_api_keys.cpp: API keys of the ticketing-network feed
UNEPLACE_SCREEN(account)           // screens/account.cpp: password, second factor, open sessions
UNEPLACE_SCREEN(password_reset)    // screens/password_reset.cpp: a new password with a one-time link

#undef UNEPLACE_SCREEN
