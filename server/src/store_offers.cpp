// uneplace server — the partner side: venues, offers and their moderation, sessions, the guest
// list and check-in (K2). Every query is scoped: a partner reaches only its own rows, an admin its
// départements, a social worker what is published.
//
// Index of this file:
// [SECTION] Helpers
// [SECTION] Venues
// [SECTION] Offers
// [SECTION] Posters (issue 18)
// [SECTION] Sessions
// [SECTION] Guest list and check-in
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "store.hpp"
#include "tickets.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/french.hpp"
#include "uneplace/local_time.hpp"

namespace uneplace::server {

using nlohmann::json;

//-----------------------------------------------------------------------------
// [SECTION] Helpers
//-----------------------------------------------------------------------------

// An instant typed by a partner: with an offset (or Z) it is taken as written; without one it is
// the venue's local wall-clock time. (Also the feed's, store_feed.cpp.)
UnixSeconds parse_instant_for_venue(const std::string& territory, const std::string& text, const char* field) {
    auto parsed = parse_rfc3339(text, field);
    if (!parsed.ok()) fail(*parsed.refusal);
    if (parsed.value.offset_seconds) {
        auto t = parse_utc_instant(text, field);
        if (!t.ok()) fail(*t.refusal);
        return t.value;
    }
    auto t = parse_venue_local(territory, text, field);
    if (!t.ok()) fail(*t.refusal);
    return t.value;
}

namespace {

json venue_audit(const VenueView& v) {
    return {{"id", v.id},
            {"name", v.name},
            {"address", v.address},
            {"postal_code", v.postal_code},
            {"city", v.city},
            {"territory", v.territory},
            {"accessibility", v.accessibility},
            {"archived", v.archived}};
}

//-----------------------------------------------------------------------------
// [SECTION] Venues
//-----------------------------------------------------------------------------

const char* const kVenueSelect =
    "SELECT id, partner_id, name, address, postal_code, city, territory, accessibility, archived FROM venues";

VenueView read_venue(SQLite::Statement& q) {
    VenueView v;
    v.id = q.getColumn(0).getInt64();
    v.partner_id = q.getColumn(1).getInt64();
    v.name = q.getColumn(2).getString();
    v.address = q.getColumn(3).getString();
    v.postal_code = q.getColumn(4).getString();
    v.city = q.getColumn(5).getString();
    v.territory = q.getColumn(6).getString();
    v.accessibility = static_cast<AccessibilityFlags>(q.getColumn(7).getInt());
    v.archived = q.getColumn(8).getInt() != 0;
    return v;
}

std::optional<VenueView> find_venue(SQLite::Database& c, Id id) {
    return find_by_id(c, kVenueSelect, " WHERE id = ?", id, read_venue);
}

bool may_see_venue(const Actor& a, const VenueView& v) {
    if (a.role == Role::Partner) return a.organisation_id == v.partner_id;
    if (a.role == Role::Admin) return a.sees_territory(v.territory);
    return false;
}

std::string clean_city(const std::string& city) {
    auto c = clean_text(city, {"city", 0, 100, false});
    if (!c.ok()) fail(*c.refusal);
    return c.value;
}

}  // namespace

VenueView create_venue(App& app, const Actor& partner, VenueDraft& draft, const std::string& city_in) {
    fail_first(validate_venue(draft));
    const std::string city = clean_city(city_in);
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    SQLite::Statement ins(c,
                          "INSERT INTO venues (partner_id, name, address, postal_code, city, territory, accessibility,"
                          " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, own_org(partner));
    ins.bind(2, draft.name);
    ins.bind(3, draft.address);
    ins.bind(4, draft.postal_code);
    ins.bind(5, city);
    ins.bind(6, draft.territory);
    ins.bind(7, static_cast<int>(draft.accessibility));
    ins.bind(8, now);
    ins.bind(9, now);
    ins.exec();
    VenueView v = *find_venue(c, c.getLastInsertRowid());
    audit(c, now, partner.user_id, "venue.create", "venue", v.id, nullptr, venue_audit(v));
    tx.commit();
    return v;
}

Page<VenueView> list_venues(App& app, const Actor& actor, const PageRequest& page) {
    std::string sql = std::string(kVenueSelect) + " WHERE id > :after";
    if (actor.role == Role::Partner) sql += " AND partner_id = :org";
    else sql += admin_scope_sql(actor, "territory");
    sql += " ORDER BY id LIMIT :limit";
    SQLite::Statement q(app.db.conn(), sql);
    q.bind(":after", cursor_id(page));
    if (actor.role == Role::Partner) q.bind(":org", own_org(actor));
    q.bind(":limit", page.limit + 1);
    return read_page<VenueView>(q, page.limit, read_venue);
}

VenueView get_venue(App& app, const Actor& actor, Id id) {
    auto v = find_venue(app.db.conn(), id);
    if (!v || !may_see_venue(actor, *v)) fail("not_found");
    return *v;
}

VenueView update_venue(App& app, const Actor& actor, Id id, VenueDraft& draft, const std::string& city_in,
                       bool archived) {
    fail_first(validate_venue(draft));
    const std::string city = clean_city(city_in);
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    auto before = find_venue(c, id);
    if (!before || !may_see_venue(actor, *before)) fail("not_found");
    // Where a venue is decides whose statistics its outings count in (and bookings keep the
    // territory they were made in). Once an offer of it is published, only an administrator of
    // both départements moves it.
    if (draft.territory != before->territory || draft.postal_code != before->postal_code) {
        if (actor.role == Role::Admin) {
            if (!actor.sees_territory(draft.territory)) fail("forbidden", "territory");
        } else {
            SQLite::Statement published(c, "SELECT 1 FROM offers WHERE venue_id = ? AND status = 'published'");
            published.bind(1, id);
            if (published.executeStep()) fail("venue_locked", "postal_code");
        }
    }
    SQLite::Statement up(c, "UPDATE venues SET name = ?, address = ?, postal_code = ?, city = ?, territory = ?,"
                            " accessibility = ?, archived = ?, updated_at = ? WHERE id = ?");
    up.bind(1, draft.name);
    up.bind(2, draft.address);
    up.bind(3, draft.postal_code);
    up.bind(4, city);
    up.bind(5, draft.territory);
    up.bind(6, static_cast<int>(draft.accessibility));
    up.bind(7, archived ? 1 : 0);
    up.bind(8, now);
    up.bind(9, id);
    up.exec();
    VenueView after = *find_venue(c, id);
    audit(c, now, actor.user_id, "venue.update", "venue", id, venue_audit(*before), venue_audit(after));
    tx.commit();
    return after;
}

//-----------------------------------------------------------------------------
// [SECTION] Offers
//-----------------------------------------------------------------------------

namespace {

const char* const kOfferSelect =
    "SELECT o.id, o.partner_id, o.venue_id, p.name, v.name, v.territory, o.title, o.description, o.category,"
    " o.pickup_mode, o.min_age, o.accessibility, o.status, o.reject_reason, o.published_at, o.created_at,"
    " o.updated_at, (SELECT COUNT(*) FROM sessions s WHERE s.offer_id = o.id),"
    " (SELECT version FROM offer_images i WHERE i.offer_id = o.id)"
    " FROM offers o JOIN venues v ON v.id = o.venue_id JOIN organisations p ON p.id = o.partner_id";

OfferView read_offer(SQLite::Statement& q) {
    OfferView o;
    o.id = q.getColumn(0).getInt64();
    o.partner_id = q.getColumn(1).getInt64();
    o.venue_id = q.getColumn(2).getInt64();
    o.partner_name = q.getColumn(3).getString();
    o.venue_name = q.getColumn(4).getString();
    o.territory = q.getColumn(5).getString();
    o.title = q.getColumn(6).getString();
    o.description = q.getColumn(7).getString();
    o.category = q.getColumn(8).getString();
    o.pickup_mode = q.getColumn(9).getString();
    o.min_age = q.getColumn(10).getInt();
    o.accessibility = static_cast<AccessibilityFlags>(q.getColumn(11).getInt());
    o.status = from_code<OfferStatus>(q.getColumn(12).getString()).value_or(OfferStatus::Draft);
    o.reject_reason = q.getColumn(13).isNull() ? "" : q.getColumn(13).getString();
    o.published_at = opt_int(q.getColumn(14));
    o.created_at = q.getColumn(15).getInt64();
    o.updated_at = q.getColumn(16).getInt64();
    o.sessions = q.getColumn(17).getInt();
    o.image_version = q.getColumn(18).isNull() ? 0 : q.getColumn(18).getInt();
    return o;
}

std::optional<OfferView> find_offer(SQLite::Database& c, Id id) {
    return find_by_id(c, kOfferSelect, " WHERE o.id = ?", id, read_offer);
}

bool may_see_offer(const Actor& a, const OfferView& o) {
    switch (a.role) {
        case Role::Partner: return a.organisation_id == o.partner_id;
        case Role::Admin: return a.sees_territory(o.territory);
        case Role::SocialWorker: return o.status == OfferStatus::Published;
    }
    return false;
}

json offer_audit(const OfferView& o) {
    return {{"id", o.id},
            {"venue_id", o.venue_id},
            {"title", o.title},
            {"description", o.description},
            {"category", o.category},
            {"pickup_mode", o.pickup_mode},
            {"min_age", o.min_age},
            {"accessibility", o.accessibility},
            {"status", std::string(to_code(o.status))},
            {"reject_reason", o.reject_reason}};
}

// The partner's own venue, not archived, or 404 on "venue_id".
VenueView own_venue(SQLite::Database& c, const Actor& partner, Id venue_id) {
    auto v = find_venue(c, venue_id);
    if (!v || v->partner_id != own_org(partner) || v->archived) fail("not_found", "venue_id");
    return *v;
}

// The status an offer takes when its partner edits it — its fields or its poster: draft and
// pending stay, a rejected offer returns to draft; published and archived offers are not edited.
OfferStatus status_after_edit(OfferStatus current) {
    if (current == OfferStatus::Rejected) {
        if (auto r = check_offer_transition(OfferStatus::Rejected, OfferStatus::Draft)) fail(*r);
        return OfferStatus::Draft;
    }
    if (current != OfferStatus::Draft && current != OfferStatus::Pending) fail("invalid_transition", "status");
    return current;
}

}  // namespace

OfferView create_offer(App& app, const Actor& partner, Id venue_id, OfferDraft& draft) {
    fail_first(validate_offer(draft));
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    own_venue(c, partner, venue_id);
    SQLite::Statement ins(c, "INSERT INTO offers (partner_id, venue_id, title, description, category, min_age,"
                             " accessibility, pickup_mode, status, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)");
    ins.bind(1, own_org(partner));
    ins.bind(2, venue_id);
    ins.bind(3, draft.title);
    ins.bind(4, draft.description);
    ins.bind(5, draft.category);
    ins.bind(6, draft.min_age);
    ins.bind(7, static_cast<int>(draft.accessibility));
    ins.bind(8, draft.pickup_mode);
    ins.bind(9, now);
    ins.bind(10, now);
    ins.exec();
    OfferView o = *find_offer(c, c.getLastInsertRowid());
    audit(c, now, partner.user_id, "offer.create", "offer", o.id, nullptr, offer_audit(o));
    tx.commit();
    return o;
}

Page<OfferView> list_offers(App& app, const Actor& actor, const OfferFilter& f, const PageRequest& page) {
    std::string sql = std::string(kOfferSelect) + " WHERE o.id > :after";
    if (actor.role == Role::Partner) sql += " AND o.partner_id = :org";
    else if (actor.role == Role::Admin) sql += admin_scope_sql(actor, "v.territory");
    else sql += " AND o.status = 'published'";
    if (f.status) sql += " AND o.status = :status";
    if (!f.territory.empty()) sql += " AND v.territory = :territory";
    sql += " ORDER BY o.id LIMIT :limit";
    SQLite::Statement q(app.db.conn(), sql);
    q.bind(":after", cursor_id(page));
    if (actor.role == Role::Partner) q.bind(":org", own_org(actor));
    if (f.status) q.bind(":status", std::string(to_code(*f.status)));
    if (!f.territory.empty()) q.bind(":territory", f.territory);
    q.bind(":limit", page.limit + 1);
    return read_page<OfferView>(q, page.limit, read_offer);
}

OfferView get_offer(App& app, const Actor& actor, Id id) {
    auto o = find_offer(app.db.conn(), id);
    if (!o || !may_see_offer(actor, *o)) fail("not_found");
    return *o;
}

OfferView update_offer(App& app, const Actor& partner, Id id, Id venue_id, OfferDraft& draft) {
    fail_first(validate_offer(draft));
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    auto before = find_offer(c, id);
    if (!before || before->partner_id != own_org(partner)) fail("not_found");
    const OfferStatus next = status_after_edit(before->status);
    if (venue_id != before->venue_id) own_venue(c, partner, venue_id);
    SQLite::Statement up(c, "UPDATE offers SET venue_id = ?, title = ?, description = ?, category = ?, min_age = ?,"
                            " accessibility = ?, pickup_mode = ?, status = ?, updated_at = ? WHERE id = ?");
    up.bind(1, venue_id);
    up.bind(2, draft.title);
    up.bind(3, draft.description);
    up.bind(4, draft.category);
    up.bind(5, draft.min_age);
    up.bind(6, static_cast<int>(draft.accessibility));
    up.bind(7, draft.pickup_mode);
    up.bind(8, std::string(to_code(next)));
    up.bind(9, now);
    up.bind(10, id);
    up.exec();
    OfferView after = *find_offer(c, id);
    audit(c, now, partner.user_id, "offer.update", "offer", id, offer_audit(*before), offer_audit(after));
    tx.commit();
    return after;
}

OfferView transition_offer(App& app, const Actor& actor, Id id, OfferStatus to, const std::string& reason_in) {
    std::string reason;
    if (to == OfferStatus::Rejected) {
        auto r = clean_reject_reason(reason_in);
        if (!r.ok()) fail(*r.refusal);
        reason = r.value;
    }
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    auto before = find_offer(c, id);
    const bool mine = before && actor.role == Role::Partner && before->partner_id == own_org(actor);
    const bool scoped = before && actor.role == Role::Admin && actor.sees_territory(before->territory);
    if (!mine && !scoped) fail("not_found");
    // Who moves what: partners submit and archive their offers, admins moderate and may archive.
    if (to == OfferStatus::Pending && !mine) fail("forbidden");
    if ((to == OfferStatus::Published || to == OfferStatus::Rejected) && !scoped) fail("forbidden");
    if (auto r = check_offer_transition(before->status, to)) fail(*r);
    SQLite::Statement up(c, "UPDATE offers SET status = ?, reject_reason = ?, updated_at = ?,"
                            " published_at = CASE WHEN ? THEN ? ELSE published_at END WHERE id = ?");
    up.bind(1, std::string(to_code(to)));
    if (to == OfferStatus::Rejected) up.bind(2, reason);
    else up.bind(2, before->reject_reason);
    up.bind(3, now);
    up.bind(4, to == OfferStatus::Published ? 1 : 0);
    up.bind(5, now);
    up.bind(6, id);
    up.exec();
    OfferView after = *find_offer(c, id);
    audit(c, now, actor.user_id, std::string("offer.") + std::string(to_code(to)), "offer", id, offer_audit(*before),
          offer_audit(after));
    tx.commit();
    return after;
}

//-----------------------------------------------------------------------------
// [SECTION] Posters (issue 18)
//-----------------------------------------------------------------------------

void store_offer_image(SQLite::Database& c, Id offer_id, int version, const Poster& poster, UnixSeconds now) {
    SQLite::Statement put(c,
                          "INSERT INTO offer_images (offer_id, version, etag, width, height, large, thumb, updated_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (offer_id) DO UPDATE SET"
                          " version = excluded.version, etag = excluded.etag, width = excluded.width,"
                          " height = excluded.height, large = excluded.large, thumb = excluded.thumb,"
                          " updated_at = excluded.updated_at");
    put.bind(1, offer_id);
    put.bind(2, version);
    put.bind(3, poster.etag);
    put.bind(4, poster.width);
    put.bind(5, poster.height);
    put.bind(6, poster.large.data(), static_cast<int>(poster.large.size()));
    put.bind(7, poster.thumb.data(), static_cast<int>(poster.thumb.size()));
    put.bind(8, now);
    put.exec();
}

OfferView set_offer_image(App& app, const Actor& partner, Id id, const Poster& poster) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    auto before = find_offer(c, id);
    if (!before || before->partner_id != own_org(partner)) fail("not_found");
    // A poster is part of the offer: the same rule as any other edit.
    const OfferStatus next = status_after_edit(before->status);
    store_offer_image(c, id, before->image_version + 1, poster, now);
    SQLite::Statement up(c, "UPDATE offers SET status = ?, updated_at = ? WHERE id = ?");
    up.bind(1, std::string(to_code(next)));
    up.bind(2, now);
    up.bind(3, id);
    up.exec();
    OfferView after = *find_offer(c, id);
    audit(c, now, partner.user_id, "offer.image", "offer", id,
          json{{"image_version", before->image_version}, {"status", std::string(to_code(before->status))}},
          json{{"image_version", after.image_version},
               {"status", std::string(to_code(after.status))},
               {"etag", poster.etag},
               {"width", poster.width},
               {"height", poster.height},
               {"bytes", poster.large.size() + poster.thumb.size()}});
    tx.commit();
    return after;
}

std::optional<OfferImage> get_offer_image(App& app, const Actor& actor, Id id, bool thumb) {
    auto& c = app.db.conn();
    auto o = find_offer(c, id);
    if (!o || !may_see_offer(actor, *o)) fail("not_found");
    SQLite::Statement q(c, thumb ? "SELECT thumb, etag, version FROM offer_images WHERE offer_id = ?"
                                 : "SELECT large, etag, version FROM offer_images WHERE offer_id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    OfferImage img;
    const auto blob = q.getColumn(0);
    img.bytes.assign(static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes()));
    img.etag = q.getColumn(1).getString() + (thumb ? "-t" : "-l");
    img.version = q.getColumn(2).getInt();
    return img;
}

//-----------------------------------------------------------------------------
// [SECTION] Sessions
//-----------------------------------------------------------------------------

namespace {

json session_audit(const SessionView& s) {
    const auto& i = s.info;
    return {{"id", i.id},
            {"offer_id", i.offer_id},
            {"start", i.start},
            {"duration_min", i.duration_min},
            {"capacity", i.capacity},
            {"max_per_booking", i.max_per_booking},
            {"opens_at", s.opens_at_set ? json(*s.opens_at_set) : json(nullptr)},
            {"closes_at", i.closes_at},
            {"allocation", std::string(to_code(i.allocation))},
            {"draw_at", i.allocation == AllocationMode::Ballot ? json(i.draw_at) : json(nullptr)},
            {"status", std::string(to_code(i.status))},
            {"places_held", s.places_held}};
}

bool may_see_session(SQLite::Database& c, const Actor& a, const SessionView& s) {
    switch (a.role) {
        case Role::Partner: return a.organisation_id == s.info.partner_id;
        case Role::Admin: return a.sees_territory(s.info.territory);
        case Role::SocialWorker: {
            if (s.info.offer_status == OfferStatus::Published) return true;
            // Its own bookings keep their session visible (an archived offer, say).
            SQLite::Statement q(c, "SELECT 1 FROM bookings WHERE session_id = ? AND structure_id = ? LIMIT 1");
            q.bind(1, s.info.id);
            q.bind(2, own_org(a));
            return q.executeStep();
        }
    }
    return false;
}

SessionView visible_session(SQLite::Database& c, const Actor& a, Id id) {
    auto s = find_session(c, id);
    if (!s || !may_see_session(c, a, *s)) fail("not_found");
    return *s;
}

SessionView own_session(SQLite::Database& c, const Actor& partner, Id id) {
    auto s = find_session(c, id);
    if (!s || partner.role != Role::Partner || s->info.partner_id != own_org(partner)) fail("not_found");
    return *s;
}

SessionDetail detail_for(SQLite::Database& c, const Actor& a, SessionView s, UnixSeconds now) {
    SessionDetail d;
    const TerritorySettings settings = load_settings(c, s.info.territory);
    d.release_at = release_at(s.info, settings);
    d.structure_share_cap = structure_share_cap(s.info.capacity, s.info.max_per_booking, settings);
    if (a.role == Role::SocialWorker) {
        SQLite::Statement q(c, "SELECT COALESCE(SUM(places), 0) FROM bookings WHERE session_id = ? AND structure_id = ?"
                               " AND status IN ('confirmed', 'attended', 'no_show')");
        q.bind(1, s.info.id);
        q.bind(2, own_org(a));
        q.executeStep();
        d.structure_places_held = q.getColumn(0).getInt();
    }
    SQLite::Statement n(c, "SELECT COALESCE(SUM(status = 'waitlisted'), 0), COALESCE(SUM(status = 'ballot_entered'), 0)"
                           " FROM bookings WHERE session_id = ? AND status IN ('waitlisted', 'ballot_entered')");
    n.bind(1, s.info.id);
    n.executeStep();
    d.waitlisted = n.getColumn(0).getInt();
    d.ballot_entries = n.getColumn(1).getInt();
    (void)now;
    d.settings = settings;
    d.view = std::move(s);
    return d;
}

}  // namespace

SessionView create_session(App& app, const Actor& partner, Id offer_id, const SessionInput& in) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    auto offer = find_offer(c, offer_id);
    if (!offer || offer->partner_id != own_org(partner)) fail("not_found");
    if (offer->status == OfferStatus::Archived || offer->status == OfferStatus::Rejected)
        fail("invalid_transition", "status");
    const TerritorySettings settings = load_settings(c, offer->territory);

    SessionDraft d;
    // start_local is the venue's wall-clock time; a written offset must be the venue's real one
    // (that is how the second 02:30 of an October night is chosen).
    auto start = parse_venue_local(offer->territory, in.start_local, "start_local");
    if (!start.ok()) fail(*start.refusal);
    d.start = start.value;
    d.duration_min = in.duration_min;
    d.capacity = in.capacity;
    d.max_per_booking = in.max_per_booking;
    if (in.opens_at) d.opens_at = parse_instant_for_venue(offer->territory, *in.opens_at, "opens_at");
    if (in.closes_at) d.closes_at = parse_instant_for_venue(offer->territory, *in.closes_at, "closes_at");
    if (in.draw_at) d.draw_at = parse_instant_for_venue(offer->territory, *in.draw_at, "draw_at");
    auto alloc = parse_allocation(in.allocation);
    if (!alloc.ok()) fail(*alloc.refusal);
    d.allocation = alloc.value;
    fail_first(validate_session(d, now, settings));

    SQLite::Statement ins(c,
                          "INSERT INTO sessions (offer_id, start_at, duration_min, capacity, max_per_booking, opens_at,"
                          " closes_at, allocation, draw_at, created_at, updated_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, offer_id);
    ins.bind(2, d.start);
    ins.bind(3, d.duration_min);
    ins.bind(4, d.capacity);
    ins.bind(5, d.max_per_booking.value_or(settings.default_max_per_booking));
    if (d.opens_at) ins.bind(6, *d.opens_at);
    else ins.bind(6);
    ins.bind(7, *d.closes_at);
    ins.bind(8, std::string(to_code(d.allocation)));
    if (d.allocation == AllocationMode::Ballot && d.draw_at) ins.bind(9, *d.draw_at);
    else ins.bind(9);
    ins.bind(10, now);
    ins.bind(11, now);
    ins.exec();
    SessionView s = *find_session(c, c.getLastInsertRowid());
    audit(c, now, partner.user_id, "session.create", "session", s.info.id, nullptr, session_audit(s));
    tx.commit();
    return s;
}

std::vector<SessionView> list_offer_sessions(App& app, const Actor& actor, Id offer_id) {
    auto& c = app.db.conn();
    auto offer = find_offer(c, offer_id);
    if (!offer || !may_see_offer(actor, *offer)) fail("not_found");
    std::string sql = std::string(kSessionViewSelect) + " WHERE s.offer_id = ?";
    if (actor.role == Role::SocialWorker) sql += " AND s.status = 'scheduled'";
    sql += " ORDER BY s.start_at, s.id";
    SQLite::Statement q(c, sql);
    q.bind(1, offer_id);
    std::vector<SessionView> out;
    while (q.executeStep()) out.push_back(read_session_view(q));
    return out;
}

SessionDetail get_session(App& app, const Actor& actor, Id id) {
    auto& c = app.db.conn();
    return detail_for(c, actor, visible_session(c, actor, id), app.now());
}

SessionDetail update_session(App& app, const Actor& partner, Id id, const SessionPatch& patch) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const SessionView before = own_session(c, partner, id);
    if (before.info.status == SessionStatus::Cancelled) fail("session_unavailable");
    int capacity = before.info.capacity;
    int max_per_booking = before.info.max_per_booking;
    if (patch.capacity) {
        if (auto r = check_capacity_change(*patch.capacity, before.places_held)) fail(*r);
        capacity = *patch.capacity;
    }
    if (patch.max_per_booking) {
        // The session validator owns the 1–10 bound; only its verdict on this field matters here.
        SessionDraft d;
        d.start = before.info.start;
        d.duration_min = before.info.duration_min;
        d.capacity = capacity;
        d.max_per_booking = *patch.max_per_booking;
        d.closes_at = before.info.closes_at;
        d.allocation = before.info.allocation;
        if (before.info.allocation == AllocationMode::Ballot) d.draw_at = before.info.draw_at;
        for (const auto& r : validate_session(d, now, load_settings(c, before.info.territory)))
            if (r.field == "max_per_booking") fail(r);
        max_per_booking = *patch.max_per_booking;
    }
    SQLite::Statement up(c, "UPDATE sessions SET capacity = ?, max_per_booking = ?, updated_at = ? WHERE id = ?");
    up.bind(1, capacity);
    up.bind(2, max_per_booking);
    up.bind(3, now);
    up.bind(4, id);
    up.exec();
    const SessionView mid = *find_session(c, id);
    audit(c, now, partner.user_id, "session.update", "session", id, session_audit(before), session_audit(mid));
    // W2: places freed by a capacity raise go to the waitlist at once.
    if (capacity > before.info.capacity) serve_session_waitlist(c, id, now, partner.user_id);
    SessionDetail d = detail_for(c, partner, *find_session(c, id), now);
    tx.commit();
    return d;
}

SessionDetail cancel_session(App& app, const Actor& actor, Id id) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    auto s = find_session(c, id);
    const bool mine = s && actor.role == Role::Partner && s->info.partner_id == own_org(actor);
    const bool scoped = s && actor.role == Role::Admin && actor.sees_territory(s->info.territory);
    if (!mine && !scoped) fail("not_found");
    if (auto r = check_session_cancellation(s->info, now)) fail(*r);

    SQLite::Statement up(c, "UPDATE sessions SET status = 'cancelled', updated_at = ? WHERE id = ?");
    up.bind(1, now);
    up.bind(2, id);
    up.exec();
    audit(c, now, actor.user_id, "session.cancel", "session", id, session_audit(*s),
          json{{"id", id}, {"status", "cancelled"}});

    // C2: every booking cancelled (free of consequence), every open request expired; each social
    // worker concerned hears it once per booking.
    struct Row {
        Id id, worker, beneficiary;
        std::string status;
    };
    std::vector<Row> rows;
    {
        SQLite::Statement q(c, "SELECT id, social_worker_id, beneficiary_id, status FROM bookings WHERE session_id = ?"
                               " AND status IN ('confirmed', 'waitlisted', 'ballot_entered')");
        q.bind(1, id);
        while (q.executeStep())
            rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64(),
                            q.getColumn(3).getString()});
    }
    const std::string when = format_datetime_sentence_fr(s->info.territory, s->info.start);
    for (const Row& r : rows) {
        const std::string to = r.status == "confirmed" ? "cancelled" : "expired";
        SQLite::Statement b(c, "UPDATE bookings SET status = ?, ended_at = ?, updated_at = ? WHERE id = ?");
        b.bind(1, to);
        b.bind(2, now);
        b.bind(3, now);
        b.bind(4, r.id);
        b.exec();
        audit(c, now, actor.user_id, "booking.session_cancelled", "booking", r.id, json{{"status", r.status}},
              json{{"status", to}}, r.beneficiary);
        notify(c, now, r.worker, "session_cancelled", r.id, id,
               fmt::format("Séance annulée par le partenaire : {} du {}. {}", quote_fr(s->title), when,
                           r.status == "confirmed" ? "La réservation est annulée." : "La demande est close."));
    }
    SessionDetail d = detail_for(c, actor, *find_session(c, id), now);
    tx.commit();
    return d;
}

//-----------------------------------------------------------------------------
// [SECTION] Guest list and check-in
//-----------------------------------------------------------------------------

namespace {

const char* const kGuestSelect =
    "SELECT b.id, b.code, b.places, e.first_name, e.last_name, e.reference, o.name, b.status, b.attended_count,"
    " b.beneficiary_id FROM bookings b JOIN beneficiaries e ON e.id = b.beneficiary_id"
    " JOIN organisations o ON o.id = b.structure_id";

GuestLine read_guest(SQLite::Statement& q) {
    GuestLine g;
    g.booking_id = q.getColumn(0).getInt64();
    g.code = q.getColumn(1).isNull() ? "" : q.getColumn(1).getString();
    g.places = q.getColumn(2).getInt();
    // P2: first name and the initial of the last name, never more; an erased person by reference.
    if (q.getColumn(3).isNull()) g.guest = q.getColumn(5).getString();
    else g.guest = guest_display_name(q.getColumn(3).getString(), q.getColumn(4).getString());
    g.structure = q.getColumn(6).getString();
    g.status = q.getColumn(7).getString();
    if (!q.getColumn(8).isNull()) g.attended_count = q.getColumn(8).getInt();
    return g;
}

}  // namespace

std::vector<GuestLine> guest_list(App& app, const Actor& actor, Id session_id) {
    auto& c = app.db.conn();
    auto s = find_session(c, session_id);
    const bool mine = s && actor.role == Role::Partner && s->info.partner_id == own_org(actor);
    const bool scoped = s && actor.role == Role::Admin && actor.sees_territory(s->info.territory);
    if (!mine && !scoped) fail("not_found");
    SQLite::Statement q(c, std::string(kGuestSelect) +
                               " WHERE b.session_id = ? AND b.status IN ('confirmed', 'attended', 'no_show')"
                               " ORDER BY e.first_name, e.last_name, b.id");
    q.bind(1, session_id);
    std::vector<GuestLine> out;
    while (q.executeStep()) out.push_back(read_guest(q));
    return out;
}

namespace {

// I2: a ticket names its booking by id once its signature checks; a ticket of another session is
// unknown here, as a code of another session is (K2).
CheckIn resolve_ticket(SQLite::Database& c, Id session_id, const CheckIn& in) {
    if (!in.ticket) return in;
    const auto payload = verify_ticket(c, trim_ticket(*in.ticket));
    if (!payload) fail("invalid_ticket", "ticket");
    if (payload->session_id != session_id) fail("not_found", "ticket");
    CheckIn by_id = in;
    by_id.ticket_code = payload->code;
    by_id.booking_id = payload->booking_id;
    by_id.code.reset();
    return by_id;
}

// K1: a mistyped code is refused before any look-up; without a code, the guest list's booking id.
std::string checked_code(const CheckIn& in) {
    if (in.code) {
        auto parsed = parse_booking_code(*in.code);
        if (!parsed.ok()) fail(*parsed.refusal);
        return parsed.value;
    }
    if (!in.booking_id) fail("required", "code");
    return {};
}

struct FoundGuest {
    GuestLine line;
    Id beneficiary_id = 0;
};

// The booking a check-in (or its correction) names, in this session only: a valid code of another
// session, or of another partner's session, is unknown here (K2).
FoundGuest find_guest(SQLite::Database& c, Id session_id, const CheckIn& in, const std::string& code) {
    SQLite::Statement q(c, std::string(kGuestSelect) + (in.code ? " WHERE b.code = ? AND b.session_id = ?"
                                                                : " WHERE b.id = ? AND b.session_id = ?"));
    if (in.code) q.bind(1, code);
    else q.bind(1, *in.booking_id);
    q.bind(2, session_id);
    if (!q.executeStep()) fail("not_found", in.code ? "code" : "booking_id");
    FoundGuest g{read_guest(q), q.getColumn(9).getInt64()};
    q.reset();
    return g;
}

GuestLine guest_by_id(SQLite::Database& c, Id booking_id) {
    SQLite::Statement q(c, std::string(kGuestSelect) + " WHERE b.id = ?");
    q.bind(1, booking_id);
    q.executeStep();
    GuestLine g = read_guest(q);
    q.reset();
    return g;
}

}  // namespace

GuestLine check_in(App& app, const Actor& partner, Id session_id, const CheckIn& asked) {
    const CheckIn in = resolve_ticket(app.db.conn(), session_id, asked);
    const std::string code = checked_code(in);
    // Absent count without no_show would read as a no-show to the rule: make it explicit.
    if (!in.no_show && !in.attended_count) fail("required", "attended_count");
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const SessionView s = own_session(c, partner, session_id);
    const FoundGuest found = find_guest(c, session_id, in, code);
    const GuestLine& before = found.line;
    const Id beneficiary_id = found.beneficiary_id;
    const auto status = from_code<BookingStatus>(before.status);
    if (in.ticket_code) {
        // Signed, so only the booking's own ticket names it; the code is compared all the same.
        if (*in.ticket_code != before.code) fail("invalid_ticket", "ticket");
        if (status == BookingStatus::Cancelled || status == BookingStatus::LateCancelled)
            fail("booking_cancelled", "ticket");
    }
    if (!status) fail("booking_not_active");
    auto decided = check_attendance(s.info, *status, before.places, in.no_show ? std::nullopt : in.attended_count, now);
    if (!decided.ok()) fail(*decided.refusal);
    SQLite::Statement up(c, "UPDATE bookings SET status = ?, attended_count = ?, checked_in_at = ?, updated_at = ?"
                            " WHERE id = ?");
    up.bind(1, std::string(to_code(decided.value)));
    if (decided.value == BookingStatus::Attended && in.attended_count) up.bind(2, *in.attended_count);
    else up.bind(2);
    up.bind(3, now);
    up.bind(4, now);
    up.bind(5, before.booking_id);
    up.exec();
    audit(c, now, partner.user_id, "booking.check_in", "booking", before.booking_id, json{{"status", before.status}},
          json{{"status", std::string(to_code(decided.value))},
               {"attended_count", in.attended_count && !in.no_show ? json(*in.attended_count) : json(nullptr)}},
          beneficiary_id);
    GuestLine after = guest_by_id(c, before.booking_id);
    tx.commit();
    return after;
}

GuestLine undo_check_in(App& app, const Actor& partner, Id session_id, const CheckIn& in) {
    const std::string code = checked_code(in);
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const SessionView s = own_session(c, partner, session_id);
    const FoundGuest found = find_guest(c, session_id, in, code);
    const GuestLine& before = found.line;
    const auto status = from_code<BookingStatus>(before.status);
    if (!status) fail("booking_not_active");
    if (auto r = check_attendance_correction(s.info, *status, now)) fail(*r);
    SQLite::Statement up(c, "UPDATE bookings SET status = 'confirmed', attended_count = NULL, checked_in_at = NULL,"
                            " updated_at = ? WHERE id = ?");
    up.bind(1, now);
    up.bind(2, before.booking_id);
    up.exec();
    audit(c, now, partner.user_id, "booking.check_in_undo", "booking", before.booking_id,
          json{{"status", before.status},
               {"attended_count", before.attended_count ? json(*before.attended_count) : json(nullptr)}},
          json{{"status", "confirmed"}, {"attended_count", nullptr}}, found.beneficiary_id);
    GuestLine after = guest_by_id(c, before.booking_id);
    tx.commit();
    return after;
}

}  // namespace uneplace::server
