// uneplace server — domain services: SQL and transactions around the shared rules. Every function
// takes the caller and scopes its queries to what the caller may see (404 for the rest). No HTTP.
//
// Index of this file:
// [SECTION] Audit log and notifications
// [SECTION] Settings
// [SECTION] Session views (catalogue, session details)
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app.hpp"
#include "uneplace/rules.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Audit log and notifications
//-----------------------------------------------------------------------------

// The one function every state change goes through: who, when, what, before/after (JSON).
// `beneficiary_id` marks entries that P1 must redact when that beneficiary is erased.
void audit(SQLite::Database& conn, UnixSeconds at, std::optional<Id> actor_user_id, std::string_view action,
           std::string_view entity, std::optional<Id> entity_id, const nlohmann::json& before,
           const nlohmann::json& after, std::optional<Id> beneficiary_id = std::nullopt);

// Stores a notification for a user (listed by GET /api/v1/notifications). Message in French.
void notify(SQLite::Database& conn, UnixSeconds at, Id user_id, std::string_view kind, std::optional<Id> booking_id,
            std::optional<Id> session_id, const std::string& message);

//-----------------------------------------------------------------------------
// [SECTION] Settings
//-----------------------------------------------------------------------------

// The territory's row, else the national row ('*'), else DOMAIN.md's defaults.
TerritorySettings load_settings(SQLite::Database& conn, std::string_view territory);

//-----------------------------------------------------------------------------
// [SECTION] Session views
//-----------------------------------------------------------------------------

struct VenueView {
    Id id = 0;
    Id partner_id = 0;
    std::string name, address, postal_code, city, territory;
    AccessibilityFlags accessibility = 0;
    bool archived = false;
};

// A session with what people read about it (offer, venue, partner) and its places held.
struct SessionView {
    SessionInfo info;
    std::string title, description, pickup_mode, partner_name;
    AccessibilityFlags offer_accessibility = 0;
    VenueView venue;
    int places_held = 0;
    std::optional<UnixSeconds> opens_at_set;  // as stored (NULL = at publication)
    std::optional<UnixSeconds> drawn_at;
};

// One session as the rules and the views need it, or nullopt.
std::optional<SessionView> find_session(SQLite::Database& conn, Id session_id);
// For store_*.cpp: the SELECT … FROM … of a SessionView (add WHERE/ORDER) and its row reader.
extern const char* const kSessionViewSelect;
SessionView read_session_view(SQLite::Statement& q);

struct CatalogueFilter {
    std::optional<UnixSeconds> from, to;  // start in [from, to)
    std::string territory;                // "" = all
    std::string category;                 // "" = all
    std::string q;                        // words in title, description, venue, city, partner
    AccessibilityFlags accessible = 0;    // every flag asked must be offered
    bool available_only = false;          // places_left > 0
    int limit = 50;
    std::string cursor;
};
struct CataloguePage {
    std::vector<SessionView> items;
    std::optional<std::string> next_cursor;
};
// Published offers' scheduled sessions still open to requests (closes_at > now), by start.
CataloguePage list_catalogue(App& app, const Actor& actor, const CatalogueFilter& filter);

}  // namespace uneplace::server
