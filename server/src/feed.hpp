// uneplace server — the ticketing-network feed (API.md "Ticketing-network feed", issue 15): API
// keys of partner organisations, upserts by the partner's own ids (ext_id), the change feed. A
// transport over the domain services of store.hpp: every rule stays theirs (and the shared
// module's); this layer only maps ext_ids, orders versions and wraps each write in one transaction.
//
// Index of this file:
// [SECTION] API keys
// [SECTION] Upserts by ext_id
// [SECTION] Change feed and session report
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] API keys
//-----------------------------------------------------------------------------

struct ApiKeyView {
    Id id = 0;
    Id organisation_id = 0;
    std::string name, prefix;
    unsigned scopes = 0;  // ApiKeyScope bits
    UnixSeconds created_at = 0;
    std::optional<UnixSeconds> last_used_at, revoked_at;
};
struct NewApiKey {
    ApiKeyView view;
    std::string key;  // "upk_" + 256 random bits: shown once, only its digest is kept
};
// A partner for its own organisation; an admin for a partner organisation of its territory
// (`organisation_id` required), the key then acting as that organisation's oldest active user.
// The partner organisation whose keys and webhooks `actor` manages: its own, or for an admin the
// one named, which must be a partner of its territory (404 otherwise).
Id feed_organisation(SQLite::Database& c, const Actor& actor, std::optional<Id> organisation_id);
NewApiKey create_api_key(App& app, const Actor& actor, std::optional<Id> organisation_id, std::string_view name,
                         unsigned scopes);
std::vector<ApiKeyView> list_api_keys(App& app, const Actor& actor, std::optional<Id> organisation_id);
// Revoked at once: the next request with the key is 401. Revoking a revoked key changes nothing.
ApiKeyView revoke_api_key(App& app, const Actor& actor, Id id);
// The caller behind "Bearer upk_…", if the key is live; notes its last use (to the minute).
std::optional<Actor> authenticate_api_key(App& app, std::string_view key);

//-----------------------------------------------------------------------------
// [SECTION] Upserts by ext_id
//-----------------------------------------------------------------------------
// Each runs in one transaction (the services' own become savepoints in it): the ext_id map, the
// version and the change commit together or not at all. A `source_version` not above the stored
// one changes nothing: 200, applied false.

struct FeedPut {
    int status = 200;  // 201 created, 200 updated or not applied
    Id id = 0;
    bool applied = true;
    std::vector<Id> affected_booking_ids;  // a session cancelled: its bookings and requests
};
FeedPut feed_put_venue(App& app, const Actor& partner, const std::string& ext_id, VenueDraft& draft,
                       const std::string& city, std::int64_t source_version);
FeedPut feed_put_offer(App& app, const Actor& partner, const std::string& ext_id, const std::string& venue_ext_id,
                       OfferDraft& draft, std::int64_t source_version);
struct FeedSessionInput {
    std::string offer_ext_id;
    SessionInput session;
    bool cancelled = false;  // status "cancelled"
};
FeedPut feed_put_session(App& app, const Actor& partner, const std::string& ext_id, const FeedSessionInput& in,
                         std::int64_t source_version);

//-----------------------------------------------------------------------------
// [SECTION] Change feed and session report
//-----------------------------------------------------------------------------

struct FeedEvent {
    std::int64_t seq = 0;
    std::string type;
    UnixSeconds occurred_at = 0;
    Id session_id = 0;
    std::optional<std::string> session_ext_id;
    std::optional<Id> booking_id;
    std::optional<int> places;
    std::optional<std::string> code;
    std::optional<std::string> guest;  // P2: "Amina K."
};
struct FeedChanges {
    std::vector<FeedEvent> items;
    std::int64_t next_seq = 0;  // where the next read starts (the last seq read, or the cursor's)
    bool has_more = false;
};
// The organisation's events after `after_seq`, in order, at most `limit`.
FeedChanges feed_changes(App& app, const Actor& partner, std::int64_t after_seq, int limit);
// One event of the organisation (a webhook's delivery reads it when it leaves), if still there.
std::optional<FeedEvent> feed_event(SQLite::Database& c, Id organisation_id, std::int64_t seq);
// {seq, id: "evt_<seq>", type, occurred_at, data}: the feed's item and the webhooks' body (less seq).
nlohmann::json feed_event_json(const FeedEvent& e);

// What a producer declares for a session (GET /feed/sessions/{ext_id}/report): the dashboard's
// figures of that one session (session_impact), 404 for an ext_id the organisation never pushed.
ImpactFigures feed_session_report(App& app, const Actor& partner, const std::string& ext_id);

}  // namespace uneplace::server
