// uneplace client — the table of screens (screens.hpp).
#include "screens.hpp"

#include "data/data.hpp"
#include "screens/screens.hpp"

namespace {

constexpr unsigned SW = ScreenRoles_SocialWorker, PA = ScreenRoles_Partner, AD = ScreenRoles_Admin;

// In navigation order for every role: a social worker reads Catalogue, Bénéficiaires, Mes
// réservations, Notifications; a partner Mes offres, Mes lieux, Clés d’API, Notifications; an administrator
// Validations, Impact, Catalogue, Annuaire, Territoires, Journal d’audit.
constexpr ScreenEntry kScreens[] = {
    {Screen::AdminQueues, AD, AD, "Validations", Screen::AdminQueues, draw_admin_queues, reset_admin_queues},
    {Screen::Dashboard, AD, AD, "Impact", Screen::Dashboard, draw_dashboard, reset_dashboard},
    {Screen::Catalogue, SW | AD, SW | AD, "Catalogue", Screen::Catalogue, draw_catalogue, reset_catalogue},
    {Screen::SessionDetail, SW | AD, 0, "", Screen::Catalogue, draw_session, reset_session},
    {Screen::Beneficiaries, SW, SW, "Bénéficiaires", Screen::Beneficiaries, draw_beneficiaries, reset_beneficiaries},
    {Screen::Bookings, SW, SW, "Mes réservations", Screen::Bookings, draw_bookings, reset_bookings},
    {Screen::PartnerOffers, PA, PA, "Mes offres", Screen::PartnerOffers, draw_partner_offers, reset_partner_offers},
    {Screen::PartnerSession, PA, 0, "", Screen::PartnerOffers, draw_guest_list, reset_guest_list},
    {Screen::PartnerVenues, PA, PA, "Mes lieux", Screen::PartnerVenues, draw_partner_venues, reset_partner_venues},
    {Screen::PartnerApiKeys, PA, PA, "Clés d’API", Screen::PartnerApiKeys, draw_partner_api_keys,
     reset_partner_api_keys},
    {Screen::AdminDirectory, AD, AD, "Annuaire", Screen::AdminDirectory, draw_admin_directory, reset_admin_directory},
    {Screen::AdminSettings, AD, AD, "Territoires", Screen::AdminSettings, draw_admin_settings, reset_admin_settings},
    {Screen::AdminAudit, AD, AD, "Journal d’audit", Screen::AdminAudit, draw_admin_audit, reset_admin_audit},
    {Screen::Notifications, SW | PA | AD, SW | PA, "Notifications", Screen::Notifications, draw_notifications,
     reset_notifications},
    {Screen::AdminOutbox, AD, AD, "Envois d’e-mails", Screen::AdminOutbox, draw_admin_outbox, reset_admin_outbox},
    {Screen::Preferences, SW | PA | AD, SW | PA | AD, "Mes préférences", Screen::Preferences, draw_preferences,
     reset_preferences},
    {Screen::Account, SW | PA | AD, SW | PA | AD, "Mon compte", Screen::Account, draw_account, reset_account},
    {Screen::Login, ScreenRoles_None, 0, "", Screen::Login, draw_login, reset_login},
    {Screen::Signup, ScreenRoles_None, 0, "", Screen::Signup, draw_signup, reset_signup},
    {Screen::Waiting, ScreenRoles_None, 0, "", Screen::Waiting, draw_waiting, reset_waiting},
    {Screen::PasswordReset, ScreenRoles_None, 0, "", Screen::PasswordReset, draw_password_reset, reset_password_reset},
};

}  // namespace

std::span<const ScreenEntry> screen_table() { return kScreens; }

const ScreenEntry& screen_entry(Screen screen) {
    for (const ScreenEntry& e : kScreens)
        if (e.screen == screen) return e;
    return kScreens[0];
}

unsigned screen_role_bit(const std::string& role) {
    if (role == "social_worker") return SW;
    if (role == "partner") return PA;
    if (role == "admin") return AD;
    return 0;
}

Screen home_screen(const std::string& role) {
    if (role == "partner") return Screen::PartnerOffers;
    if (role == "admin") return Screen::AdminQueues;
    return Screen::Catalogue;
}

bool screen_allowed(const std::string& role, Screen screen) {
    return (screen_entry(screen).roles & screen_role_bit(role)) != 0;
}

void reset_all_screens(Reset what) {
    for (const ScreenEntry& e : kScreens) e.reset(what);
    data_reset(what);
}
