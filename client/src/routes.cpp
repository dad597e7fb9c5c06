// uneplace client — routes: the location hash names the screen (routes.hpp).
#include "routes.hpp"

#include <cstdlib>

namespace {
enum class Tail { None, Id, Key };
struct RouteEntry {
    Screen screen;
    std::string_view path;  // after '#'; screens with an id or a key end with '/' and take it after
    Tail tail;
};
constexpr Tail kNone = Tail::None, kId = Tail::Id, kKey = Tail::Key;
constexpr RouteEntry kRoutes[] = {
    {Screen::Login, "/connexion", kNone},
    {Screen::Signup, "/inscription", kNone},
    {Screen::Catalogue, "/catalogue", kNone},
    {Screen::SessionDetail, "/seance/", kId},
    {Screen::Beneficiaries, "/beneficiaires", kNone},
    {Screen::Bookings, "/reservations", kNone},
    {Screen::Notifications, "/notifications", kNone},
    {Screen::PartnerVenues, "/partenaire/lieux", kNone},
    {Screen::PartnerOffers, "/partenaire/offres", kNone},
    {Screen::PartnerSession, "/partenaire/seance/", kId},
    {Screen::AdminQueues, "/admin/validations", kNone},
    {Screen::AdminSettings, "/admin/territoires", kNone},
    {Screen::AdminDirectory, "/admin/annuaire", kNone},
    {Screen::AdminAudit, "/admin/journal", kNone},
    {Screen::Dashboard, "/impact", kNone},
    {Screen::Waiting, "/en-attente", kNone},
    {Screen::Preferences, "/preferences", kNone},
    {Screen::AdminOutbox, "/admin/envois", kNone},
    {Screen::PartnerApiKeys, "/partenaire/cles-api", kNone},
    {Screen::Account, "/compte", kNone},
    {Screen::PasswordReset, "/reinitialisation/", kKey},
};

// A reset token as the server makes them: URL-safe base64 (A–Z a–z 0–9 - _), 16 to 200 characters.
bool is_token(std::string_view s) {
    if (s.size() < 16 || s.size() > 200) return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    return true;
}
}  // namespace

Route parse_route(std::string_view hash, Route fallback) {
    if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
    for (const RouteEntry& r : kRoutes) {
        if (r.tail == Tail::None) {
            if (hash == r.path) return Route{r.screen, 0};
            continue;
        }
        if (hash.substr(0, r.path.size()) != r.path) continue;
        if (r.tail == Tail::Key) {
            const std::string_view key = hash.substr(r.path.size());
            return is_token(key) ? Route{r.screen, 0, std::string(key)} : fallback;
        }
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
        if (r.screen == route.screen)
            return "#" + std::string(r.path) +
                   (r.tail == Tail::Id    ? std::to_string(route.id)
                    : r.tail == Tail::Key ? route.key
                                          : std::string());
    return "#/catalogue";
}
