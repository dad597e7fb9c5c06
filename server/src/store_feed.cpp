// uneplace server — the ticketing-network feed's services (feed.hpp): API keys, upserts by
// ext_id over the domain services of store_offers.cpp, the change feed written by migration 8's
// triggers.
//
// Index of this file:
// [SECTION] API keys
// [SECTION] The ext_id map
// [SECTION] Upserts: venues, offers
// [SECTION] Upserts: sessions
// [SECTION] Change feed and session report
#include <fmt/format.h>

#include "auth.hpp"
#include "feed.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/validation.hpp"

namespace uneplace::server {

using nlohmann::json;

//-----------------------------------------------------------------------------
// [SECTION] API keys
//-----------------------------------------------------------------------------

namespace {

constexpr std::string_view kApiKeyPrefix = "upk_";
constexpr std::size_t kApiKeyShownChars = 12;  // "upk_" and 8 characters: enough to tell keys apart

const char* const kApiKeySelect =
    "SELECT id, organisation_id, name, prefix, scopes, created_at, last_used_at, revoked_at FROM api_keys";

ApiKeyView read_api_key(SQLite::Statement& q) {
    ApiKeyView k;
    k.id = q.getColumn(0).getInt64();
    k.organisation_id = q.getColumn(1).getInt64();
    k.name = q.getColumn(2).getString();
    k.prefix = q.getColumn(3).getString();
    k.scopes = static_cast<unsigned>(q.getColumn(4).getInt());
    k.created_at = q.getColumn(5).getInt64();
    k.last_used_at = opt_int(q.getColumn(6));
    k.revoked_at = opt_int(q.getColumn(7));
    return k;
}

}  // namespace

Id feed_organisation(SQLite::Database& c, const Actor& actor, std::optional<Id> organisation_id) {
    if (actor.role == Role::Partner) {
        if (organisation_id && *organisation_id != own_org(actor)) fail("not_found", "organisation_id");
        return own_org(actor);
    }
    if (actor.role != Role::Admin) fail("forbidden");
    if (!organisation_id) fail("required", "organisation_id");
    SQLite::Statement q(c, "SELECT kind, territory FROM organisations WHERE id = ?");
    q.bind(1, *organisation_id);
    if (!q.executeStep() || q.getColumn(0).getString() != "partner" ||
        !actor.sees_territory(q.getColumn(1).getString()))
        fail("not_found", "organisation_id");
    return *organisation_id;
}

namespace {

json api_key_audit(const ApiKeyView& k) {
    return {{"id", k.id},
            {"organisation_id", k.organisation_id},
            {"name", k.name},
            {"prefix", k.prefix},
            {"scopes", api_key_scope_codes(k.scopes)},
            {"revoked_at", k.revoked_at ? json(*k.revoked_at) : json(nullptr)}};
}

}  // namespace

NewApiKey create_api_key(App& app, const Actor& actor, std::optional<Id> organisation_id, std::string_view name_in,
                         unsigned scopes) {
    auto name = clean_text(name_in, {"name", 1, 200, false, true});
    if (!name.ok()) fail(*name.refusal);
    if (scopes == 0) fail("required", "scopes");
    NewApiKey out;
    out.key = std::string(kApiKeyPrefix) + random_token(32);  // 256 bits from libsodium's randombytes
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const Id org = feed_organisation(c, actor, organisation_id);
    // Whose rights the key carries: the partner who makes it; for an admin, the organisation's
    // oldest active user (the contact who signed it up, as a rule).
    Id user_id = actor.user_id;
    if (actor.role == Role::Admin) {
        SQLite::Statement u(c,
                            "SELECT id FROM users WHERE organisation_id = ? AND status = 'active' ORDER BY id LIMIT 1");
        u.bind(1, org);
        if (!u.executeStep()) fail("account_inactive", "organisation_id");
        user_id = u.getColumn(0).getInt64();
    }
    SQLite::Statement ins(c,
                          "INSERT INTO api_keys (organisation_id, user_id, created_by, name, prefix, key_hash, scopes,"
                          " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, org);
    ins.bind(2, user_id);
    ins.bind(3, actor.user_id);
    ins.bind(4, name.value);
    ins.bind(5, out.key.substr(0, kApiKeyShownChars));
    ins.bind(6, token_digest(out.key));
    ins.bind(7, static_cast<int>(scopes));
    ins.bind(8, now);
    ins.exec();
    out.view = *find_by_id(c, kApiKeySelect, " WHERE id = ?", c.getLastInsertRowid(), read_api_key);
    audit(c, now, actor.user_id, "api_key.create", "api_key", out.view.id, nullptr, api_key_audit(out.view));
    tx.commit();
    return out;
}

std::vector<ApiKeyView> list_api_keys(App& app, const Actor& actor, std::optional<Id> organisation_id) {
    auto& c = app.db.conn();
    const Id org = feed_organisation(c, actor, organisation_id);
    SQLite::Statement q(c, std::string(kApiKeySelect) + " WHERE organisation_id = ? ORDER BY id");
    q.bind(1, org);
    std::vector<ApiKeyView> out;
    while (q.executeStep()) out.push_back(read_api_key(q));
    return out;
}

ApiKeyView revoke_api_key(App& app, const Actor& actor, Id id) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    auto before = find_by_id(c, kApiKeySelect, " WHERE id = ?", id, read_api_key);
    if (!before) fail("not_found");
    // 404 rather than 403 for another organisation's key: the caller learns nothing about it.
    if (feed_organisation(c, actor,
                          actor.role == Role::Admin ? std::optional<Id>(before->organisation_id) : std::nullopt) !=
        before->organisation_id)
        fail("not_found");
    if (before->revoked_at) return *before;
    SQLite::Statement up(c, "UPDATE api_keys SET revoked_at = ? WHERE id = ?");
    up.bind(1, now);
    up.bind(2, id);
    up.exec();
    ApiKeyView after = *find_by_id(c, kApiKeySelect, " WHERE id = ?", id, read_api_key);
    audit(c, now, actor.user_id, "api_key.revoke", "api_key", id, api_key_audit(*before), api_key_audit(after));
    tx.commit();
    return after;
}

std::optional<Actor> authenticate_api_key(App& app, std::string_view key) {
    if (key.size() > 200 || !key.starts_with(kApiKeyPrefix)) return std::nullopt;
    auto& c = app.db.conn();
    SQLite::Statement q(c, "SELECT id, organisation_id, user_id, scopes, last_used_at FROM api_keys"
                           " WHERE key_hash = ? AND revoked_at IS NULL");
    q.bind(1, token_digest(key));
    if (!q.executeStep()) return std::nullopt;
    const Id key_id = q.getColumn(0).getInt64();
    const Id org = q.getColumn(1).getInt64();
    const Id user_id = q.getColumn(2).getInt64();
    const auto scopes = static_cast<unsigned>(q.getColumn(3).getInt());
    const auto last_used = opt_int(q.getColumn(4));
    q.reset();
    Actor a = load_actor(c, user_id);
    if (a.organisation_id != org) return std::nullopt;
    a.api_key_id = key_id;
    a.api_key_scopes = scopes;
    // The last use, to the minute: a write per request would queue every feed call on the lock.
    const UnixSeconds now = app.now();
    if (!last_used || *last_used <= now - kMinute) {
        WriteTx tx(app.db);
        SQLite::Statement up(tx.conn(), "UPDATE api_keys SET last_used_at = ? WHERE id = ?");
        up.bind(1, now);
        up.bind(2, key_id);
        up.exec();
        tx.commit();
    }
    return a;
}

//-----------------------------------------------------------------------------
// [SECTION] The ext_id map
//-----------------------------------------------------------------------------

namespace {

struct Mapped {
    Id object_id = 0;
    std::int64_t source_version = 0;
};

std::optional<Mapped> find_mapped(SQLite::Database& c, Id org, FeedKind kind, const std::string& ext_id) {
    SQLite::Statement q(c, "SELECT object_id, source_version FROM feed_objects"
                           " WHERE organisation_id = ? AND kind = ? AND ext_id = ?");
    q.bind(1, org);
    q.bind(2, std::string(to_code(kind)));
    q.bind(3, ext_id);
    if (!q.executeStep()) return std::nullopt;
    return Mapped{q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
}

// The object an ext_id names, which must exist: 404 on `field` otherwise.
Id mapped_object(SQLite::Database& c, Id org, FeedKind kind, const std::string& ext_id, const char* field) {
    if (auto r = validate_ext_id(ext_id, field)) fail(*r);
    auto m = find_mapped(c, org, kind, ext_id);
    if (!m) fail("not_found", field);
    return m->object_id;
}

void save_mapped(SQLite::Database& c, Id org, FeedKind kind, const std::string& ext_id, Id object_id,
                 std::int64_t version, UnixSeconds now) {
    SQLite::Statement q(c, "INSERT INTO feed_objects (organisation_id, kind, ext_id, object_id, source_version,"
                           " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (organisation_id, kind, ext_id)"
                           " DO UPDATE SET source_version = excluded.source_version, updated_at = excluded.updated_at");
    q.bind(1, org);
    q.bind(2, std::string(to_code(kind)));
    q.bind(3, ext_id);
    q.bind(4, object_id);
    q.bind(5, version);
    q.bind(6, now);
    q.exec();
}

// What every upsert starts with, inside its transaction: valid ids and version, and the object
// already mapped, if any. A version not above the stored one answers "not applied".
struct Upsert {
    Id org = 0;
    std::optional<Mapped> mapped;
    bool stale = false;
};
Upsert begin_upsert(SQLite::Database& c, const Actor& partner, FeedKind kind, const std::string& ext_id,
                    std::int64_t version) {
    if (auto r = validate_ext_id(ext_id)) fail(*r);
    if (auto r = validate_source_version(version)) fail(*r);
    Upsert u;
    u.org = own_org(partner);
    u.mapped = find_mapped(c, u.org, kind, ext_id);
    u.stale = u.mapped && version <= u.mapped->source_version;
    return u;
}

FeedPut not_applied(const Mapped& m) {
    FeedPut out;
    out.status = 200;
    out.id = m.object_id;
    out.applied = false;
    return out;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Upserts: venues, offers
//-----------------------------------------------------------------------------

FeedPut feed_put_venue(App& app, const Actor& partner, const std::string& ext_id, VenueDraft& draft,
                       const std::string& city, std::int64_t version) {
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const Upsert u = begin_upsert(c, partner, FeedKind::Venue, ext_id, version);
    if (u.stale) return not_applied(*u.mapped);
    FeedPut out;
    if (!u.mapped) {
        out.id = create_venue(app, partner, draft, city).id;
        out.status = 201;
    } else {
        out.id = update_venue(app, partner, u.mapped->object_id, draft, city, /*archived=*/false).id;
    }
    save_mapped(c, u.org, FeedKind::Venue, ext_id, out.id, version, app.now());
    tx.commit();
    return out;
}

namespace {

// API.md: a published offer stays published through a feed's edits, except a change of category
// or minimum age, which the association moderates again (back to pending, off the catalogue).
void edit_published_offer(App& app, SQLite::Database& c, const Actor& partner, const OfferView& before, Id venue_id,
                          OfferDraft& draft, UnixSeconds now) {
    fail_first(validate_offer(draft));
    if (venue_id != before.venue_id && get_venue(app, partner, venue_id).archived) fail("not_found", "venue_ext_id");
    const bool review = published_offer_edit_needs_review(before.category, before.min_age, draft);
    SQLite::Statement up(c, "UPDATE offers SET venue_id = ?, title = ?, description = ?, category = ?, min_age = ?,"
                            " accessibility = ?, pickup_mode = ?, status = ?, updated_at = ? WHERE id = ?");
    up.bind(1, venue_id);
    up.bind(2, draft.title);
    up.bind(3, draft.description);
    up.bind(4, draft.category);
    up.bind(5, draft.min_age);
    up.bind(6, static_cast<int>(draft.accessibility));
    up.bind(7, draft.pickup_mode);
    up.bind(8, review ? "pending" : "published");
    up.bind(9, now);
    up.bind(10, before.id);
    up.exec();
    const json was = {{"venue_id", before.venue_id},       {"title", before.title},
                      {"description", before.description}, {"category", before.category},
                      {"min_age", before.min_age},         {"accessibility", before.accessibility},
                      {"pickup_mode", before.pickup_mode}, {"status", "published"}};
    const json is = {{"venue_id", venue_id},
                     {"title", draft.title},
                     {"description", draft.description},
                     {"category", draft.category},
                     {"min_age", draft.min_age},
                     {"accessibility", draft.accessibility},
                     {"pickup_mode", draft.pickup_mode},
                     {"status", review ? "pending" : "published"}};
    audit(c, now, partner.user_id, "offer.update", "offer", before.id, was, is);
}

}  // namespace

FeedPut feed_put_offer(App& app, const Actor& partner, const std::string& ext_id, const std::string& venue_ext_id,
                       OfferDraft& draft, std::int64_t version) {
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const Upsert u = begin_upsert(c, partner, FeedKind::Offer, ext_id, version);
    const Id venue_id = mapped_object(c, u.org, FeedKind::Venue, venue_ext_id, "venue_ext_id");
    if (u.stale) return not_applied(*u.mapped);
    FeedPut out;
    if (!u.mapped) {
        // Moderated as any offer: created, then submitted (pending) by the same services.
        out.id = create_offer(app, partner, venue_id, draft).id;
        transition_offer(app, partner, out.id, OfferStatus::Pending);
        out.status = 201;
    } else {
        out.id = u.mapped->object_id;
        const OfferView before = get_offer(app, partner, out.id);
        if (before.status == OfferStatus::Published) {
            edit_published_offer(app, c, partner, before, venue_id, draft, app.now());
        } else {
            // Draft, pending or rejected: the browser's edit (archived offers refuse it), then
            // back to moderation.
            if (update_offer(app, partner, out.id, venue_id, draft).status == OfferStatus::Draft)
                transition_offer(app, partner, out.id, OfferStatus::Pending);
        }
    }
    save_mapped(c, u.org, FeedKind::Offer, ext_id, out.id, version, app.now());
    tx.commit();
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Upserts: sessions
//-----------------------------------------------------------------------------

namespace {

// The schedule a feed sends, in our terms, to compare with the stored session.
SessionDraft feed_schedule(const SessionView& s, const SessionInput& in) {
    const std::string& territory = s.info.territory;
    SessionDraft d;
    auto start = parse_venue_local(territory, in.start_local, "start_local");
    if (!start.ok()) fail(*start.refusal);
    d.start = start.value;
    d.duration_min = in.duration_min;
    d.capacity = in.capacity;
    d.max_per_booking = in.max_per_booking;
    if (in.opens_at) d.opens_at = parse_instant_for_venue(territory, *in.opens_at, "opens_at");
    if (in.closes_at) d.closes_at = parse_instant_for_venue(territory, *in.closes_at, "closes_at");
    if (in.draw_at) d.draw_at = parse_instant_for_venue(territory, *in.draw_at, "draw_at");
    auto alloc = parse_allocation(in.allocation);
    if (!alloc.ok()) fail(*alloc.refusal);
    d.allocation = alloc.value;
    return d;
}

bool schedule_changed(const SessionView& s, const SessionDraft& d) {
    const auto& i = s.info;
    return d.start != i.start || d.duration_min != i.duration_min || d.allocation != i.allocation ||
           (d.closes_at && *d.closes_at != i.closes_at) ||
           (d.allocation == AllocationMode::Ballot && d.draw_at && *d.draw_at != i.draw_at);
}

// A new date, duration or allocation: only while nobody booked or asked (a booking was made for
// that evening), validated as a new session would be.
void reschedule_session(SQLite::Database& c, const Actor& partner, const SessionView& s, SessionDraft d,
                        UnixSeconds now) {
    SQLite::Statement n(c, "SELECT COUNT(*) FROM bookings WHERE session_id = ?");
    n.bind(1, s.info.id);
    n.executeStep();
    if (n.getColumn(0).getInt64() > 0) fail("session_has_bookings", "start_local");
    n.reset();
    d.capacity = s.info.capacity;  // capacity and max_per_booking go through update_session
    d.max_per_booking = s.info.max_per_booking;
    fail_first(validate_session(d, now, load_settings(c, s.info.territory)));
    SQLite::Statement up(c, "UPDATE sessions SET start_at = ?, duration_min = ?, opens_at = ?, closes_at = ?,"
                            " allocation = ?, draw_at = ?, updated_at = ? WHERE id = ?");
    up.bind(1, d.start);
    up.bind(2, d.duration_min);
    if (d.opens_at) up.bind(3, *d.opens_at);
    else up.bind(3);
    up.bind(4, *d.closes_at);
    up.bind(5, std::string(to_code(d.allocation)));
    if (d.allocation == AllocationMode::Ballot && d.draw_at) up.bind(6, *d.draw_at);
    else up.bind(6);
    up.bind(7, now);
    up.bind(8, s.info.id);
    up.exec();
    const auto& i = s.info;
    audit(c, now, partner.user_id, "session.reschedule", "session", i.id,
          json{{"start", i.start},
               {"duration_min", i.duration_min},
               {"closes_at", i.closes_at},
               {"allocation", std::string(to_code(i.allocation))}},
          json{{"start", d.start},
               {"duration_min", d.duration_min},
               {"closes_at", *d.closes_at},
               {"allocation", std::string(to_code(d.allocation))}});
}

}  // namespace

FeedPut feed_put_session(App& app, const Actor& partner, const std::string& ext_id, const FeedSessionInput& in,
                         std::int64_t version) {
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const Upsert u = begin_upsert(c, partner, FeedKind::Session, ext_id, version);
    const Id offer_id = mapped_object(c, u.org, FeedKind::Offer, in.offer_ext_id, "offer_ext_id");
    if (u.stale) return not_applied(*u.mapped);
    FeedPut out;
    if (!u.mapped) {
        if (in.cancelled) fail("invalid_transition", "status");  // nothing to cancel yet
        out.id = create_session(app, partner, offer_id, in.session).info.id;
        out.status = 201;
    } else {
        out.id = u.mapped->object_id;
        const SessionView s = get_session(app, partner, out.id).view;
        if (s.info.offer_id != offer_id) fail("conflict", "offer_ext_id");  // a session never changes offer
        if (in.cancelled) {
            if (s.info.status != SessionStatus::Cancelled) {
                // C2 through the browser's own path: bookings cancelled, requests closed, social
                // workers notified. The ids are read first, in the same transaction.
                SQLite::Statement q(c, "SELECT id FROM bookings WHERE session_id = ?"
                                       " AND status IN ('confirmed', 'waitlisted', 'ballot_entered') ORDER BY id");
                q.bind(1, out.id);
                while (q.executeStep()) out.affected_booking_ids.push_back(q.getColumn(0).getInt64());
                q.reset();
                cancel_session(app, partner, out.id);
            }
        } else {
            if (s.info.status == SessionStatus::Cancelled) fail("invalid_transition", "status");
            const SessionDraft d = feed_schedule(s, in.session);
            if (schedule_changed(s, d)) reschedule_session(c, partner, s, d, app.now());
            SessionPatch patch;
            if (in.session.capacity != s.info.capacity) patch.capacity = in.session.capacity;
            if (in.session.max_per_booking && *in.session.max_per_booking != s.info.max_per_booking)
                patch.max_per_booking = in.session.max_per_booking;
            if (patch.capacity || patch.max_per_booking) update_session(app, partner, out.id, patch);
        }
    }
    save_mapped(c, u.org, FeedKind::Session, ext_id, out.id, version, app.now());
    tx.commit();
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Change feed and session report
//-----------------------------------------------------------------------------

namespace {

// One statement: one snapshot. Writers are serialised, so seqs commit in order and a page never
// skips one that commits later. Callers append their WHERE (the organisation, a seq).
const char* const kFeedEventSelect =
    "SELECT e.seq, e.type, e.occurred_at, e.session_id, e.booking_id, e.places, b.code,"
    " b.beneficiary_id, f.ext_id FROM feed_events e"
    " LEFT JOIN bookings b ON b.id = e.booking_id"
    " LEFT JOIN feed_objects f ON f.kind = 'session' AND f.object_id = e.session_id";

// The rows of `q` (kFeedEventSelect), at most `limit`; `has_more` when another row followed.
std::vector<FeedEvent> read_feed_events(SQLite::Database& c, SQLite::Statement& q, int limit, bool& has_more) {
    std::vector<FeedEvent> out;
    std::vector<Id> beneficiaries;
    has_more = false;
    while (q.executeStep()) {
        if (static_cast<int>(out.size()) == limit) {
            has_more = true;
            break;
        }
        FeedEvent e;
        e.seq = q.getColumn(0).getInt64();
        e.type = q.getColumn(1).getString();
        e.occurred_at = q.getColumn(2).getInt64();
        e.session_id = q.getColumn(3).getInt64();
        e.booking_id = opt_int(q.getColumn(4));
        if (auto p = opt_int(q.getColumn(5))) e.places = static_cast<int>(*p);
        e.code = opt_text(q.getColumn(6));
        beneficiaries.push_back(q.getColumn(7).isNull() ? 0 : q.getColumn(7).getInt64());
        e.session_ext_id = opt_text(q.getColumn(8));
        out.push_back(std::move(e));
    }
    q.reset();
    // P2: the guest as the guest list shows them (first name, initial), never more.
    for (std::size_t i = 0; i < out.size(); ++i)
        if (beneficiaries[i] != 0) out[i].guest = guest_words(c, beneficiaries[i]);
    return out;
}

}  // namespace

FeedChanges feed_changes(App& app, const Actor& partner, std::int64_t after_seq, int limit) {
    auto& c = app.db.conn();
    SQLite::Statement q(
        c, std::string(kFeedEventSelect) + " WHERE e.organisation_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?");
    q.bind(1, own_org(partner));
    q.bind(2, after_seq);
    q.bind(3, limit + 1);
    FeedChanges out;
    out.items = read_feed_events(c, q, limit, out.has_more);
    out.next_seq = out.items.empty() ? after_seq : out.items.back().seq;
    return out;
}

std::optional<FeedEvent> feed_event(SQLite::Database& c, Id organisation_id, std::int64_t seq) {
    SQLite::Statement q(c, std::string(kFeedEventSelect) + " WHERE e.organisation_id = ? AND e.seq = ?");
    q.bind(1, organisation_id);
    q.bind(2, seq);
    bool more = false;
    auto rows = read_feed_events(c, q, 1, more);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

json feed_event_json(const FeedEvent& e) {
    json data = {{"session_id", e.session_id},
                 {"session_ext_id", e.session_ext_id ? json(*e.session_ext_id) : json(nullptr)}};
    if (e.booking_id) {
        data["booking_id"] = *e.booking_id;
        data["places"] = e.places ? json(*e.places) : json(nullptr);
        data["code"] = e.code ? json(*e.code) : json(nullptr);
        data["guest"] = e.guest ? json(*e.guest) : json(nullptr);
    }
    return {{"seq", e.seq},
            {"id", "evt_" + std::to_string(e.seq)},
            {"type", e.type},
            {"occurred_at", format_utc(e.occurred_at)},
            {"data", std::move(data)}};
}

ImpactFigures feed_session_report(App& app, const Actor& partner, const std::string& ext_id) {
    auto& c = app.db.conn();
    return session_impact(c, mapped_object(c, own_org(partner), FeedKind::Session, ext_id, "ext_id"));
}

}  // namespace uneplace::server
