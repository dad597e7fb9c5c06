// uneplace client — view logic that needs no browser.
#include "view_logic.hpp"

#include <cstdlib>
#include <vector>

//-------------------------------------------------------------------------------------------------
// Routes
//-------------------------------------------------------------------------------------------------

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

//-------------------------------------------------------------------------------------------------
// Text search
//-------------------------------------------------------------------------------------------------

namespace {
// Decodes one UTF-8 code point at s[i] and advances i. A byte that does not start a well-formed
// sequence is returned as itself with `valid` false, so malformed text passes through unchanged.
char32_t next_code_point(std::string_view s, size_t& i, bool& valid) {
    const unsigned char c = s[i];
    const int extra = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? (c <= 0xEF ? 2 : 0) : c >= 0xC2 ? 1 : 0;
    valid = c < 0x80 || extra > 0;
    if (extra > 0 && i + extra >= s.size() + 1) valid = false;
    char32_t cp = extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; valid && k <= extra; ++k) {
        const unsigned char cont = s[i + k];
        if ((cont & 0xC0) != 0x80) valid = false;
        cp = (cp << 6) | (cont & 0x3F);
    }
    if (!valid || extra == 0) {
        i += 1;
        return c;
    }
    i += 1 + extra;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// The letters of French (and Latin-1 neighbours) folded to their base letter.
const char* fold_latin(char32_t cp) {
    switch (cp) {
        case U'à': case U'á': case U'â': case U'ã': case U'ä': case U'å': case U'À': case U'Á': case U'Â': case U'Ã': case U'Ä': case U'Å': return "a";
        case U'æ': case U'Æ': return "ae";
        case U'ç': case U'Ç': return "c";
        case U'è': case U'é': case U'ê': case U'ë': case U'È': case U'É': case U'Ê': case U'Ë': return "e";
        case U'ì': case U'í': case U'î': case U'ï': case U'Ì': case U'Í': case U'Î': case U'Ï': return "i";
        case U'ñ': case U'Ñ': return "n";
        case U'ò': case U'ó': case U'ô': case U'õ': case U'ö': case U'Ò': case U'Ó': case U'Ô': case U'Õ': case U'Ö': return "o";
        case U'œ': case U'Œ': return "oe";
        case U'ù': case U'ú': case U'û': case U'ü': case U'Ù': case U'Ú': case U'Û': case U'Ü': return "u";
        case U'ý': case U'ÿ': case U'Ý': case U'Ÿ': return "y";
        case U'’': return "'";
        default: return nullptr;
    }
}
}  // namespace

std::string fold_for_search(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        bool valid = true;
        const char32_t cp = next_code_point(text, i, valid);
        if (!valid) {
            out += static_cast<char>(cp);
        } else if (cp < 0x80) {
            out += static_cast<char>((cp >= 'A' && cp <= 'Z') ? cp - 'A' + 'a' : cp);
        } else if (const char* folded = fold_latin(cp)) {
            out += folded;
        } else {
            append_utf8(out, cp);
        }
    }
    return out;
}

bool matches_search(std::string_view text, std::string_view query) {
    const std::string haystack = fold_for_search(text);
    const std::string needle = fold_for_search(query);
    size_t pos = 0;
    while (pos < needle.size()) {
        const size_t start = needle.find_first_not_of(" \t-", pos);
        if (start == std::string::npos) break;
        size_t end = needle.find_first_of(" \t-", start);
        if (end == std::string::npos) end = needle.size();
        if (haystack.find(needle.substr(start, end - start)) == std::string::npos) return false;
        pos = end;
    }
    return true;
}
