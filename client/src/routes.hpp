// uneplace client — routes: the location hash names the screen, so back/forward and deep links
// work. Pure: compiled into the client and, natively and as WebAssembly, into tests/client.
#pragma once
#include <string>
#include <string_view>

enum class Screen {
    Login,           // #/connexion
    Signup,          // #/inscription           self sign-up of a partner or a structure
    Catalogue,       // #/catalogue             social worker, admin
    SessionDetail,   // #/seance/ID             an offer's session, and booking
    Beneficiaries,   // #/beneficiaires         social worker
    Bookings,        // #/reservations          social worker
    Notifications,   // #/notifications
    PartnerVenues,   // #/partenaire/lieux
    PartnerOffers,   // #/partenaire/offres
    PartnerSession,  // #/partenaire/seance/ID  guest list and check-in
    AdminQueues,     // #/admin/validations
    AdminSettings,   // #/admin/territoires
    AdminDirectory,  // #/admin/annuaire
    AdminAudit,      // #/admin/journal
    Dashboard,       // #/impact
    Waiting,         // #/en-attente            an organisation whose sign-up awaits approval
    Preferences,     // #/preferences           the e-mails the user receives (M5)
    AdminOutbox,     // #/admin/envois          e-mails that could not be sent (M6)
    PartnerApiKeys,  // #/partenaire/cles-api   the keys of the organisation's ticketing system (feed)
    Account,         // #/compte                password, second factor, open sessions
    PasswordReset,   // #/reinitialisation/KEY  choosing a new password with a one-time link
};
struct Route {
    Screen screen = Screen::Catalogue;
    long long id = 0;  // the object of screens that show one (SessionDetail, PartnerSession)
    std::string key;   // the reset link's token (PasswordReset): URL-safe base64, never logged
    // Route{screen, id} everywhere; the key only where a screen takes one.
    Route(Screen s = Screen::Catalogue, long long i = 0, std::string k = {}) : screen(s), id(i), key(std::move(k)) {}
    bool operator==(const Route&) const = default;
};
// Parses a location hash; anything unknown or malformed (bad id) gives `fallback`.
Route parse_route(std::string_view hash, Route fallback = Route{Screen::Catalogue, 0});
std::string route_hash(const Route& route);
