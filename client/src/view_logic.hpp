// uneplace client — view logic that needs no browser: routes (deep links) and list helpers.
// Compiled into the client and, natively and as WebAssembly, into tests/client.
#pragma once
#include <string>
#include <string_view>

// ---- Routes: the location hash names the screen, so back/forward and deep links work -----------
enum class Screen { Login, Catalogue, SessionDetail };
struct Route {
    Screen screen = Screen::Catalogue;
    long long id = 0;  // the session of SessionDetail
    bool operator==(const Route&) const = default;
};
// "#/connexion" → Login, "#/catalogue" → Catalogue, "#/seance/123" → SessionDetail 123.
// Anything else (empty, unknown, malformed id) → Catalogue.
Route parse_route(std::string_view hash);
std::string route_hash(const Route& route);

// ---- Text search --------------------------------------------------------------------------------
// Folds a UTF-8 string for search: lower case, French accents removed (é → e, œ → oe, ç → c).
std::string fold_for_search(std::string_view text);
// True when every word of `query` appears in `text` (both folded).
bool matches_search(std::string_view text, std::string_view query);
