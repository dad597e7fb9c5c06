// uneplace client — routes: the location hash names the screen (routes.hpp).
#include "routes.hpp"

#include <cstdlib>

namespace {
struct RouteEntry {
    Screen screen;
    std::string_view path;  // after '#'; screens with an id end with '/' and take digits after it
    bool has_id;
};
constexpr RouteEntry kRoutes[] = {
    {Screen::Login, "/connexion", false},
    {Screen::Signup, "/inscription", false},
    {Screen::Catalogue, "/catalogue", false},
    {Screen::SessionDetail, "/seance/", true},
    {Screen::Beneficiaries, "/beneficiaires", false},
    {Screen::Bookings, "/reservations", false},
    {Screen::Notifications, "/notifications", false},
    {Screen::PartnerVenues, "/partenaire/lieux", false},
    {Screen::PartnerOffers, "/partenaire/offres", false},
    {Screen::PartnerSession, "/partenaire/seance/", true},
    {Screen::AdminQueues, "/admin/validations", false},
    {Screen::AdminSettings, "/admin/territoires", false},
    {Screen::AdminDirectory, "/admin/annuaire", false},
    {Screen::AdminAudit, "/admin/journal", false},
    {Screen::Dashboard, "/impact", false},
    {Screen::Waiting, "/en-attente", false},
    {Screen::Preferences, "/preferences", false},
    {Screen::AdminOutbox, "/admin/envois", false},
    {Screen::PartnerApiKeys, "/partenaire/cles-api", false},
};
}  // namespace

Route parse_route(std::string_view hash, Route fallback) {
    if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
    for (const RouteEntry& r : kRoutes) {
        if (!r.has_id) {
            if (hash == r.path) return Route{r.screen, 0};
            continue;
        }
        if (hash.substr(0, r.path.size()) != r.path) continue;
        const std::string_view digits = hash.substr(r.path.size());
        if (digits.empty() || digits.size() > 15 || digits.find_first_not_of("0123456789") != std::string_view::npos)
            return fallback;
        const long long id = std::atoll(std::string(digits).c_str());
        return id > 0 ? Route{r.screen, id} : fallback;
    }
    return fallback;
}

std::string route_hash(const Route& route) {
    for (const RouteEntry& r : kRoutes)
        if (r.screen == route.screen) return "#" + std::string(r.path) + (r.has_id ? std::to_string(route.id) : "");
    return "#/catalogue";
}
