// uneplace server — routes of the offer side: catalogue, venues, offers and their moderation,
// sessions, guest list, check-in, ballot draws.
//
// Index of this file:
// [SECTION] Catalogue
// [SECTION] Venues
// [SECTION] Offers
// [SECTION] Posters (issue 18)
// [SECTION] Sessions, guest list, check-in
// [SECTION] Schemas and route table
#include <fmt/format.h>

#include "api.hpp"
#include "store.hpp"
#include "uneplace/calendar.hpp"
#include "uneplace/geography.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/validation.hpp"
#include "views.hpp"

namespace uneplace::server {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Catalogue
//-----------------------------------------------------------------------------

// An empty first page helps (issue 18): the same search widened one way at a time — the
// neighbouring départements, the weekend after the period asked, every category — with the
// number of sessions each finds (up to 500, one page), counted by the catalogue's own query.
template <class Rows>
json widen_search(const CatalogueFilter& f, const Rows& rows) {
    json out = json::array();
    const auto count = [&](const CatalogueFilter& wider) {
        CatalogueFilter w = wider;
        w.limit = 500;
        CataloguePage page;
        return static_cast<int>(rows(w, page));
    };
    if (!f.territory.empty() && f.near.empty()) {
        CatalogueFilter w = f;
        w.near = f.territory;
        w.territory.clear();
        out.push_back({{"kind", "near"}, {"near", f.territory}, {"count", count(w)}});
    }
    if (f.from) {
        // The clock of the place asked about (Paris when none): weekends are local.
        const std::string clock = !f.territory.empty() ? f.territory : !f.near.empty() ? f.near : "75";
        const CivilDate from_day = to_local(clock, *f.from).date();
        if (const auto instants = range_instants(clock, next_weekend(from_day))) {
            CatalogueFilter w = f;
            w.from = instants->first;
            w.to = instants->second;
            out.push_back({{"kind", "next_weekend"},
                           {"from", format_utc(instants->first)},
                           {"to", format_utc(instants->second)},
                           {"count", count(w)}});
        }
    }
    if (!f.category.empty()) {
        CatalogueFilter w = f;
        w.category.clear();
        out.push_back({{"kind", "all_categories"}, {"count", count(w)}});
    }
    return out;
}

Response get_catalogue(App& app, Request& req) {
    CatalogueFilter f;
    f.from = query_instant(req, "from");
    f.to = query_instant(req, "to");
    if (auto t = query_param(req, "territory")) {
        if (auto r = validate_territory(*t, "territory")) fail(*r);
        f.territory = *t;
    }
    if (auto r = query_param(req, "region")) {
        if (!find_region(*r)) fail("invalid_region", "region");
        f.region = *r;
    }
    if (auto n = query_param(req, "near")) {
        if (auto r = validate_territory(*n, "near")) fail(*r);
        f.near = *n;
    }
    if (auto c = query_param(req, "category")) {
        auto parsed = parse_category(*c);
        if (!parsed.ok()) fail(*parsed.refusal);
        f.category = *c;
    }
    if (auto q = query_param(req, "q")) {
        auto cleaned = clean_text(*q, {"q", 0, limits::kSearchMaxChars, false});
        if (!cleaned.ok()) fail(*cleaned.refusal);
        f.q = cleaned.value;
    }
    // ?accessible=wheelchair,hearing (every one of them) or ?accessible=true (any provision).
    bool any_access = false;
    if (auto a = query_param(req, "accessible")) {
        if (*a == "true" || *a == "1") {
            any_access = true;
        } else if (*a != "false" && *a != "0") {
            std::string_view rest = *a;
            while (!rest.empty()) {
                const auto comma = rest.find(',');
                auto flag = accessibility_flag_from_code(rest.substr(0, comma));
                if (!flag) fail("invalid_accessibility", "accessible");
                f.accessible |= *flag;
                if (comma == std::string_view::npos) break;
                rest.remove_prefix(comma + 1);
            }
        }
    }
    // For one person of the caller's structure: checked before the page cache, which never
    // answers for someone else's beneficiary.
    if (auto b = query_param(req, "fits_beneficiary")) {
        char* end = nullptr;
        const long long id = std::strtoll(b->c_str(), &end, 10);
        if (b->empty() || *end != '\0' || id <= 0) fail("validation", "fits_beneficiary");
        if (req.who().role != Role::SocialWorker) fail("forbidden", "fits_beneficiary");
        get_beneficiary(app, req.who(), id);  // 404 unless theirs
        f.fits_beneficiary = id;
    }
    f.available_only = query_bool(req, "available").value_or(false);
    f.limit = query_limit(req);
    f.cursor = query_param(req, "cursor").value_or("");

    // The filter as parsed is the key, so the same question asked in another order shares a page;
    // the free texts (q, cursor) come last with their lengths, so no text can pass for another field.
    auto instant = [](const std::optional<UnixSeconds>& t) { return t ? std::to_string(*t) : std::string("-"); };
    const std::string key =
        fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}:{}|{}:{}", instant(f.from), instant(f.to), f.territory,
                    f.region, f.near, f.fits_beneficiary.value_or(0), f.category, f.accessible, any_access,
                    f.available_only, f.limit, f.q.size(), f.q, f.cursor.size(), f.cursor);
    // The write count is read before the page: a write committed while it is read makes it stale.
    const std::uint64_t commits = app.db.commits();
    if (auto kept = app.catalogue_pages.find(key, commits, app.now())) {
        app.metrics.count("catalogue_page_cache_hits_total");
        Response answer;
        answer.body = *kept;
        return answer;
    }
    app.metrics.count("catalogue_page_cache_misses_total");
    // The rows of a filter: the same query whether for the page or for a suggestion's count.
    const auto rows = [&](const CatalogueFilter& filter, CataloguePage& page) {
        page = list_catalogue(app, req.who(), filter);
        if (any_access)
            std::erase_if(page.items,
                          [](const SessionView& s) { return (s.offer_accessibility | s.venue.accessibility) == 0; });
        return page.items.size();
    };
    CataloguePage page;
    rows(f, page);
    Response answer;
    answer.body = sessions_page_text(page.items, page.next_cursor);
    if (page.items.empty() && f.cursor.empty()) {
        answer.body.pop_back();  // the closing brace: one more member
        answer.body += ",\"suggestions\":" + widen_search(f, rows).dump() + "}";
    }
    const std::size_t kept_bytes = app.catalogue_pages.keep(key, std::make_shared<const std::string>(answer.body),
                                                            commits, page.as_of, page.changes_at);
    app.metrics.set_gauge("catalogue_page_cache_bytes", static_cast<double>(kept_bytes));
    return answer;
}

//-----------------------------------------------------------------------------
// [SECTION] Venues
//-----------------------------------------------------------------------------

// Body → draft; on PATCH the current venue fills what the body leaves out.
VenueDraft venue_draft(const json& body, const VenueView* current, std::string& city, bool& archived) {
    reject_unknown_fields(body, {"name", "address", "postal_code", "territory", "city", "accessibility", "archived"});
    VenueDraft d;
    auto pick = [&](const char* key, const std::string& fallback) {
        auto v = opt_string(body, key);
        if (!v && !current) return req_string(body, key);
        return v.value_or(fallback);
    };
    d.name = pick("name", current ? current->name : "");
    d.address = pick("address", current ? current->address : "");
    d.postal_code = pick("postal_code", current ? current->postal_code : "");
    d.territory = pick("territory", current ? current->territory : "");
    city = opt_string(body, "city").value_or(current ? current->city : "");
    d.accessibility = body.contains("accessibility") || !current ? accessibility_from_json(body, "accessibility")
                                                                 : current->accessibility;
    archived = opt_bool(body, "archived", current ? current->archived : false);
    return d;
}

Response post_venue(App& app, Request& req) {
    std::string city;
    bool archived = false;
    VenueDraft d = venue_draft(req.body_json(), nullptr, city, archived);
    return json_response(201, venue_json(create_venue(app, req.who(), d, city)));
}

Response get_venues(App& app, Request& req) {
    auto page = list_venues(app, req.who(), page_of(req));
    return page_response(page, venue_json);
}

Response get_venue_route(App& app, Request& req) {
    return json_response(200, venue_json(get_venue(app, req.who(), req.id_param())));
}

Response patch_venue(App& app, Request& req) {
    const Id id = req.id_param();
    const VenueView current = get_venue(app, req.who(), id);
    std::string city;
    bool archived = false;
    VenueDraft d = venue_draft(req.body_json(), &current, city, archived);
    return json_response(200, venue_json(update_venue(app, req.who(), id, d, city, archived)));
}

//-----------------------------------------------------------------------------
// [SECTION] Offers
//-----------------------------------------------------------------------------

OfferDraft offer_draft(const json& body, const OfferView* current, Id& venue_id) {
    reject_unknown_fields(body,
                          {"venue_id", "title", "description", "category", "min_age", "accessibility", "pickup_mode"});
    OfferDraft d;
    if (current) {
        venue_id = opt_int_field(body, "venue_id").value_or(static_cast<int>(current->venue_id));
        d.title = opt_string(body, "title").value_or(current->title);
        d.description = opt_string(body, "description").value_or(current->description);
        d.category = opt_string(body, "category").value_or(current->category);
        d.min_age = opt_int_field(body, "min_age").value_or(current->min_age);
        d.accessibility =
            body.contains("accessibility") ? accessibility_from_json(body, "accessibility") : current->accessibility;
        d.pickup_mode = opt_string(body, "pickup_mode").value_or(current->pickup_mode);
    } else {
        venue_id = req_int(body, "venue_id");
        d.title = req_string(body, "title");
        d.description = opt_string(body, "description").value_or("");
        d.category = req_string(body, "category");
        d.min_age = opt_int_field(body, "min_age").value_or(0);
        d.accessibility = accessibility_from_json(body, "accessibility");
        d.pickup_mode = req_string(body, "pickup_mode");
    }
    return d;
}

Response post_offer(App& app, Request& req) {
    Id venue_id = 0;
    OfferDraft d = offer_draft(req.body_json(), nullptr, venue_id);
    return json_response(201, offer_json(create_offer(app, req.who(), venue_id, d)));
}

Response get_offers(App& app, Request& req) {
    OfferFilter f;
    if (auto s = query_param(req, "status")) {
        f.status = from_code<OfferStatus>(*s);
        if (!f.status) fail("validation", "status");
    }
    if (auto t = query_param(req, "territory")) {
        if (auto r = validate_territory(*t)) fail(*r);
        f.territory = *t;
    }
    auto page = list_offers(app, req.who(), f, page_of(req));
    return page_response(page, offer_json);
}

Response get_offer_route(App& app, Request& req) {
    return json_response(200, offer_json(get_offer(app, req.who(), req.id_param())));
}

Response patch_offer(App& app, Request& req) {
    const Id id = req.id_param();
    const OfferView current = get_offer(app, req.who(), id);
    Id venue_id = 0;
    OfferDraft d = offer_draft(req.body_json(), &current, venue_id);
    return json_response(200, offer_json(update_offer(app, req.who(), id, venue_id, d)));
}

Response transition(App& app, Request& req, OfferStatus to) {
    std::string reason;
    if (to == OfferStatus::Rejected) {
        const json& body = req.body_json();
        reject_unknown_fields(body, {"reason"});
        reason = req_string(body, "reason");
    }
    return json_response(200, offer_json(transition_offer(app, req.who(), req.id_param(), to, reason)));
}

//-----------------------------------------------------------------------------
// [SECTION] Posters (issue 18)
//-----------------------------------------------------------------------------

// PUT /offers/{id}/image: the body is the picture itself. The front door lets this route's body
// reach kPosterMaxBytes (http_server.cpp), above --max-body; it runs in the slow lane.
Response put_offer_image(App& app, Request& req) {
    const Id id = req.id_param();
    get_offer(app, req.who(), id);  // someone else's offer: 404 before any decoding
    if (req.body.size() > kPosterMaxBytes) fail("payload_too_large", "image");
    std::string type = req.header("content-type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    if (type != "image/jpeg" && type != "image/png" && type != "image/webp") fail("invalid_image", "image");
    // Decoded and re-encoded outside any transaction: the write lock is held only to store it.
    const auto poster = make_poster(req.body);
    if (!poster) fail("invalid_image", "image");
    const OfferView o = set_offer_image(app, req.who(), id, *poster);
    return json_response(200, {{"image_url", image_url_json(o.id, o.image_version, false)},
                               {"thumbnail_url", image_url_json(o.id, o.image_version, true)},
                               {"width", poster->width},
                               {"height", poster->height}});
}

// GET /offers/{id}/image[?size=thumb]: the URL names the version (?v=), so a browser keeps the
// answer for a year and never asks again; an older version's URL is answered with today's poster,
// revalidated each time.
Response get_offer_image_route(App& app, Request& req) {
    const Id id = req.id_param();
    const auto size = query_param(req, "size").value_or("large");
    if (size != "large" && size != "thumb") fail("validation", "size");
    const auto img = get_offer_image(app, req.who(), id, size == "thumb");
    if (!img) fail("not_found");
    const std::string etag = "\"" + img->etag + "\"";
    const bool current = query_param(req, "v") == std::to_string(img->version);
    Response r;
    r.headers.emplace_back("ETag", etag);
    r.headers.emplace_back("Cache-Control", current ? "private, max-age=31536000, immutable" : "private, no-cache");
    if (req.header("if-none-match") == etag) {
        r.status = 304;
        r.content_type = "image/webp";
        return r;
    }
    r.body = img->bytes;
    r.content_type = "image/webp";
    return r;
}

//-----------------------------------------------------------------------------
// [SECTION] Sessions, guest list, check-in
//-----------------------------------------------------------------------------

Response post_session(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"start_local", "duration_min", "capacity", "max_per_booking", "opens_at", "closes_at",
                                 "allocation", "draw_at"});
    SessionInput in;
    in.start_local = req_string(body, "start_local");
    in.duration_min = req_int(body, "duration_min");
    in.capacity = req_int(body, "capacity");
    in.max_per_booking = opt_int_field(body, "max_per_booking");
    in.opens_at = opt_string(body, "opens_at");
    in.closes_at = opt_string(body, "closes_at");
    in.draw_at = opt_string(body, "draw_at");
    in.allocation = opt_string(body, "allocation").value_or("first_come");
    const Id offer_id = req.id_param();
    SessionView s = create_session(app, req.who(), offer_id, in);
    json j = session_json(s);
    j["id"] = s.info.id;
    return json_response(201, j);
}

Response get_offer_sessions(App& app, Request& req) {
    auto sessions = list_offer_sessions(app, req.who(), req.id_param());
    Response answer;
    answer.body = sessions_page_text(sessions, std::nullopt);
    return answer;
}

Response get_session_route(App& app, Request& req) {
    return json_response(200, session_detail_json(get_session(app, req.who(), req.id_param()), req.who()));
}

Response patch_session(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"capacity", "max_per_booking"});
    SessionPatch p;
    p.capacity = opt_int_field(body, "capacity");
    p.max_per_booking = opt_int_field(body, "max_per_booking");
    return json_response(200, session_detail_json(update_session(app, req.who(), req.id_param(), p), req.who()));
}

Response post_session_cancel(App& app, Request& req) {
    return json_response(200, session_detail_json(cancel_session(app, req.who(), req.id_param()), req.who()));
}

Response get_guest_list(App& app, Request& req) {
    auto lines = guest_list(app, req.who(), req.id_param());
    return json_response(200, page_json(items_json(lines, guest_json), std::nullopt));
}

Response get_guest_list_csv(App& app, Request& req) {
    const Id id = req.id_param();
    auto lines = guest_list(app, req.who(), id);  // checks the caller may see it first
    const SessionDetail d = get_session(app, req.who(), id);
    return csv_response(guest_list_csv(d.view, lines), "invites-seance-" + std::to_string(id) + ".csv");
}

Response post_checkin(App& app, Request& req) {
    // Rate-limited per user: codes have 35 random bits, but nobody should get to try them fast.
    if (!app.checkin_limiter.allow("u" + std::to_string(req.who().user_id))) {
        Response r = error_response(Failure("rate_limited"));
        r.headers.emplace_back("Retry-After", "60");
        return r;
    }
    const json& body = req.body_json();
    reject_unknown_fields(body, {"code", "booking_id", "ticket", "attended_count", "no_show"});
    CheckIn in;
    in.code = opt_string(body, "code");
    in.ticket = opt_string(body, "ticket");
    if (auto b = opt_int_field(body, "booking_id")) in.booking_id = *b;
    in.attended_count = opt_int_field(body, "attended_count");
    in.no_show = opt_bool(body, "no_show", false);
    const Id session_id = req.id_param();
    return json_response(200, guest_json(check_in(app, req.who(), session_id, in)));
}

Response post_checkin_undo(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"code", "booking_id"});
    CheckIn in;
    in.code = opt_string(body, "code");
    if (auto b = opt_int_field(body, "booking_id")) in.booking_id = *b;
    return json_response(200, guest_json(undo_check_in(app, req.who(), req.id_param(), in)));
}

Response get_ballot(App& app, Request& req) {
    BallotDrawView v = get_ballot_draw(app, req.who(), req.id_param());
    return json_response(
        200,
        {{"session_id", v.session_id}, {"seed", v.seed}, {"drawn_at", time_or_null(v.drawn_at)}, {"lines", v.lines}});
}

//-----------------------------------------------------------------------------
// [SECTION] Schemas and route table
//-----------------------------------------------------------------------------

json venue_ref_schema() {
    return s_obj(
        {{"id", s_int()}, {"name", s_str()}, {"address", s_str()}, {"postal_code", s_str()}, {"city", s_str()}});
}

json catalogue_item_schema() {
    return s_obj({{"session_id", s_int()},
                  {"offer_id", s_int()},
                  {"title", s_str()},
                  {"category", s_str()},
                  {"venue", venue_ref_schema()},
                  {"territory", s_str()},
                  {"start", s_time()},
                  {"start_local", {{"type", "string"}, {"description", "heure locale du lieu, avec son décalage"}}},
                  {"capacity", s_int()},
                  {"places_left", s_int()},
                  {"places_held", s_int()},
                  {"max_per_booking", s_int()},
                  {"allocation", s_enum({"first_come", "ballot"})},
                  {"closes_at", s_time()},
                  {"opens_at", s_time()},
                  {"draw_at", s_nullable(s_time())},
                  {"drawn", s_bool()},
                  {"duration_min", s_int()},
                  {"end", s_time()},
                  {"description", s_str()},
                  {"accessibility", s_accessibility()},
                  {"pickup_mode", s_enum({"guest_list", "e_ticket", "printed"})},
                  {"min_age", s_int()},
                  {"partner", s_obj({{"id", s_int()}, {"name", s_str()}})},
                  {"partner_name", s_str()},
                  {"status", s_enum({"scheduled", "cancelled"})},
                  {"offer_status", s_str()}});
}

// A page of the catalogue; an empty first page adds `suggestions`, the search widened one way.
json catalogue_page_schema() {
    json j = s_list(catalogue_item_schema());
    j["properties"]["suggestions"] = {
        {"type", "array"},
        {"description", "seulement quand la première page est vide : la même recherche élargie d’une façon, avec "
                        "le nombre de séances trouvées (500 au plus)"},
        {"items", s_obj({{"kind", s_enum({"near", "next_weekend", "all_categories"})},
                         {"count", s_int()},
                         {"near", s_str()},
                         {"from", s_time()},
                         {"to", s_time()}},
                        {"kind", "count"})}};
    return j;
}

json session_detail_schema() {
    json j = catalogue_item_schema();
    j["properties"]["id"] = s_int();
    j["properties"]["release_at"] = s_time();
    j["properties"]["structure_share_cap"] = s_int();
    j["properties"]["structure_places_held"] = s_int();
    j["properties"]["waitlisted"] = s_int();
    j["properties"]["ballot_entries"] = s_int();
    j["properties"]["settings"] = settings_schema();
    return j;
}

json venue_schema() {
    json j = venue_ref_schema();
    j["properties"]["territory"] = s_str();
    j["properties"]["accessibility"] = s_accessibility();
    j["properties"]["partner_id"] = s_int();
    j["properties"]["archived"] = s_bool();
    return j;
}

json offer_schema() {
    return s_obj({{"id", s_int()},
                  {"partner_id", s_int()},
                  {"partner_name", s_str()},
                  {"venue_id", s_int()},
                  {"venue_name", s_str()},
                  {"territory", s_str()},
                  {"title", s_str()},
                  {"description", s_str()},
                  {"category", s_str()},
                  {"min_age", s_int()},
                  {"accessibility", s_accessibility()},
                  {"pickup_mode", s_str()},
                  {"status", s_enum({"draft", "pending", "published", "rejected", "archived"})},
                  {"reject_reason", s_nullable(s_str())},
                  {"published_at", s_nullable(s_time())},
                  {"created_at", s_time()},
                  {"updated_at", s_time()},
                  {"sessions", s_int()}});
}

json guest_schema() {
    return s_obj({{"booking_id", s_int()},
                  {"code", s_str()},
                  {"places", s_int()},
                  {"guest", {{"type", "string"}, {"description", "prénom et initiale du nom (P2)"}}},
                  {"structure", s_str()},
                  {"status", s_str()},
                  {"attended_count", s_nullable(s_int())}});
}

}  // namespace

void add_offer_routes(std::vector<Route>& r) {
    const unsigned kAdminPartner = Access_Admin | Access_Partner;
    r.push_back({"GET",
                 "/api/v1/catalogue",
                 Access_Admin | Access_SocialWorker,
                 get_catalogue,
                 "Catalogue : séances publiées et réservables (filtres from, to, territory, region — code INSEE de "
                 "la région —, near — un département et ses voisins —, fits_beneficiary — ce qui convient au foyer "
                 "d’une personne de la structure —, category, q, accessible, available ; "
                 "pagination limit, cursor)",
                 nullptr,
                 catalogue_page_schema(),
                 200,
                 false,
                 {401, 403, 404, 422}});
    r.back().query = {
        {"from", "début au plus tôt (RFC 3339, ou une date 2026-12-05)", s_time()},
        {"to", "début avant (RFC 3339, ou une date)", s_time()},
        {"territory", "un département (code : 75, 2A, 971…)", s_str()},
        {"region", "une région, code INSEE (11 Île-de-France, 84 Auvergne-Rhône-Alpes…) : ses départements", s_str()},
        {"near", "un département et ses voisins", s_str()},
        {"fits_beneficiary",
         "une personne de la structure (travailleur social) : seulement les séances où tout son foyer "
         "peut aller (âge minimum, places par réservation, R5–R8) ; 404 si elle n’est pas de la structure",
         s_int()},
        {"category", "une catégorie (theatre, concert…)", s_str()},
        {"q", "des mots du titre, de la description, du lieu, de la ville ou du partenaire", s_str()},
        {"accessible", "wheelchair,hearing… (toutes), ou true (au moins une)", s_str()},
        {"available", "true : seulement les séances où il reste des places", s_bool()},
        {"limit", "taille de la page (1–500, 50 par défaut)", s_int()},
        {"cursor", "la page suivante (next_cursor)", s_str()}};

    const json venue_body = s_obj({{"name", s_str()},
                                   {"address", s_str()},
                                   {"postal_code", s_str()},
                                   {"territory", s_str()},
                                   {"city", s_str()},
                                   {"accessibility", s_accessibility()}},
                                  {"name", "address", "postal_code", "territory"});
    r.push_back({"POST",
                 "/api/v1/venues",
                 Access_Partner,
                 post_venue,
                 "Créer un lieu du partenaire",
                 venue_body,
                 venue_schema(),
                 201,
                 true,
                 {400, 401, 403, 422}});
    r.push_back({"GET",
                 "/api/v1/venues",
                 kAdminPartner,
                 get_venues,
                 "Lieux (les siens, ou ceux des territoires)",
                 nullptr,
                 s_list(venue_schema()),
                 200,
                 false,
                 {401, 403}});
    r.push_back({"GET",
                 "/api/v1/venues/{id}",
                 kAdminPartner,
                 get_venue_route,
                 "Un lieu",
                 nullptr,
                 venue_schema(),
                 200,
                 false,
                 {401, 403, 404}});
    r.push_back({"PATCH",
                 "/api/v1/venues/{id}",
                 Access_Partner | Access_Admin,
                 patch_venue,
                 "Modifier un lieu (champs omis inchangés ; archived pour le retirer). Une fois une offre publiée, "
                 "le code postal et le département ne changent plus que par un administrateur (409 venue_locked)",
                 venue_body,
                 venue_schema(),
                 200,
                 false,
                 {400, 401, 403, 404, 409, 422}});

    const json offer_body = s_obj({{"venue_id", s_int()},
                                   {"title", s_str()},
                                   {"description", s_str()},
                                   {"category", s_str()},
                                   {"min_age", s_int()},
                                   {"accessibility", s_accessibility()},
                                   {"pickup_mode", s_enum({"guest_list", "e_ticket", "printed"})}},
                                  {"venue_id", "title", "category", "pickup_mode"});
    r.push_back({"POST",
                 "/api/v1/offers",
                 Access_Partner,
                 post_offer,
                 "Créer une offre (brouillon)",
                 offer_body,
                 offer_schema(),
                 201,
                 true,
                 {400, 401, 403, 404, 422}});
    r.push_back({"GET",
                 "/api/v1/offers",
                 Access_LoggedIn,
                 get_offers,
                 "Offres : les siennes (partenaire), celles des territoires (admin), publiées (travailleur social)",
                 nullptr,
                 s_list(offer_schema()),
                 200,
                 false,
                 {401, 422}});
    r.push_back({"GET",
                 "/api/v1/offers/{id}",
                 Access_LoggedIn,
                 get_offer_route,
                 "Une offre",
                 nullptr,
                 offer_schema(),
                 200,
                 false,
                 {401, 404}});
    r.push_back({"PATCH",
                 "/api/v1/offers/{id}",
                 Access_Partner,
                 patch_offer,
                 "Modifier une offre en brouillon, en attente ou refusée (une offre refusée redevient brouillon)",
                 offer_body,
                 offer_schema(),
                 200,
                 false,
                 {400, 401, 403, 404, 409, 422}});
    r.push_back({"POST",
                 "/api/v1/offers/{id}/submit",
                 Access_Partner,
                 [](App& a, Request& q) { return transition(a, q, OfferStatus::Pending); },
                 "Soumettre à la modération : brouillon → en attente",
                 nullptr,
                 offer_schema(),
                 200,
                 false,
                 {401, 403, 404, 409}});
    r.push_back({"POST",
                 "/api/v1/offers/{id}/approve",
                 Access_Admin,
                 [](App& a, Request& q) { return transition(a, q, OfferStatus::Published); },
                 "Publier : en attente → publiée",
                 nullptr,
                 offer_schema(),
                 200,
                 false,
                 {401, 403, 404, 409}});
    r.push_back({"POST",
                 "/api/v1/offers/{id}/reject",
                 Access_Admin,
                 [](App& a, Request& q) { return transition(a, q, OfferStatus::Rejected); },
                 "Refuser avec un motif : en attente → refusée",
                 s_obj({{"reason", s_str()}}, {"reason"}),
                 offer_schema(),
                 200,
                 false,
                 {400, 401, 403, 404, 409, 422}});
    r.push_back({"POST",
                 "/api/v1/offers/{id}/archive",
                 kAdminPartner,
                 [](App& a, Request& q) { return transition(a, q, OfferStatus::Archived); },
                 "Archiver une offre",
                 nullptr,
                 offer_schema(),
                 200,
                 false,
                 {401, 403, 404, 409}});
    r.push_back({"POST",
                 "/api/v1/offers/{id}/sessions",
                 Access_Partner,
                 post_session,
                 "Créer une séance (start_local : heure locale du lieu ; closes_at, opens_at, draw_at : RFC 3339)",
                 s_obj({{"start_local", s_str()},
                        {"duration_min", s_int()},
                        {"capacity", s_int()},
                        {"max_per_booking", s_int()},
                        {"opens_at", s_time()},
                        {"closes_at", s_time()},
                        {"allocation", s_enum({"first_come", "ballot"})},
                        {"draw_at", s_time()}},
                       {"start_local", "duration_min", "capacity"}),
                 session_detail_schema(),
                 201,
                 true,
                 {400, 401, 403, 404, 409, 422}});
    r.push_back(
        {"PUT",
         "/api/v1/offers/{id}/image",
         Access_Partner,
         put_offer_image,
         "Affiche de l’offre : le corps est l’image (JPEG, PNG ou WebP, 5 Mo au plus, 40 millions de "
         "pixels au plus), redimensionnée et réencodée en WebP sans ses métadonnées (EXIF) ; même règle "
         "que la modification de l’offre (une offre publiée ne change plus : 409 invalid_transition)",
         {{"type", "string"}, {"format", "binary"}, {"x-media-types", {"image/jpeg", "image/png", "image/webp"}}},
         s_obj({{"image_url", s_str()}, {"thumbnail_url", s_str()}, {"width", s_int()}, {"height", s_int()}}),
         200,
         false,
         {401, 403, 404, 409, 413, 422}});
    r.push_back({"GET",
                 "/api/v1/offers/{id}/image",
                 Access_LoggedIn,
                 get_offer_image_route,
                 "L’affiche (image/webp, 800 px de large ; ?size=thumb : 160 px), avec ETag et une durée de cache "
                 "d’un an quand ?v= est sa version",
                 nullptr,
                 {{"type", "string"}, {"format", "binary"}, {"x-media-types", {"image/webp"}}},
                 200,
                 false,
                 {401, 404, 422}});
    r.back().query = {
        {"size", "thumb : la vignette du catalogue (160 px) ; large par défaut (800 px)", s_enum({"large", "thumb"})},
        {"v", "la version de l’affiche (dans image_url) : la réponse se garde un an", s_int()}};
    r.push_back({"GET",
                 "/api/v1/offers/{id}/sessions",
                 Access_LoggedIn,
                 get_offer_sessions,
                 "Séances d’une offre",
                 nullptr,
                 s_list(catalogue_item_schema()),
                 200,
                 false,
                 {401, 404}});

    r.push_back(
        {"GET",
         "/api/v1/sessions/{id}",
         Access_LoggedIn,
         get_session_route,
         "Détail d’une séance (places de sa structure, plafond R4, file d’attente) et `settings`, les réglages de "
         "son territoire, pour que la vérification avant envoi décide comme le serveur",
         nullptr,
         session_detail_schema(),
         200,
         false,
         {401, 404}});
    r.push_back({"PATCH",
                 "/api/v1/sessions/{id}",
                 Access_Partner,
                 patch_session,
                 "Modifier la capacité (jamais sous les places tenues ; une hausse sert la liste d’attente) ou "
                 "max_per_booking",
                 s_obj({{"capacity", s_int()}, {"max_per_booking", s_int()}}),
                 session_detail_schema(),
                 200,
                 false,
                 {400, 401, 403, 404, 409, 422}});
    r.push_back({"POST",
                 "/api/v1/sessions/{id}/cancel",
                 kAdminPartner,
                 post_session_cancel,
                 "Annuler une séance (C2) : réservations annulées, travailleurs sociaux prévenus",
                 nullptr,
                 session_detail_schema(),
                 200,
                 false,
                 {401, 403, 404, 409}});
    r.push_back({"GET",
                 "/api/v1/sessions/{id}/guest-list",
                 kAdminPartner,
                 get_guest_list,
                 "Liste des invités : code, places, « Amina K. », structure (P2)",
                 nullptr,
                 s_list(guest_schema()),
                 200,
                 false,
                 {401, 403, 404}});
    r.push_back({"GET",
                 "/api/v1/sessions/{id}/guest-list.csv",
                 kAdminPartner,
                 get_guest_list_csv,
                 "Liste des invités en CSV (téléchargement) : séparateur « ; », UTF-8 avec BOM, en-têtes français "
                 "Code;Places;Invité;Structure;Statut;Présents (P2)",
                 nullptr,
                 {{"type", "string"}, {"format", "text/csv"}},
                 200,
                 false,
                 {401, 403, 404}});
    r.push_back(
        {"POST",
         "/api/v1/sessions/{id}/checkin",
         Access_Partner,
         post_checkin,
         "Pointage (K2) : {code, attended_count} ou {code, no_show: true} (ou booking_id, ou ticket : le billet "
         "signé lu dans le code QR de l’invitation, I2 ; 422 invalid_ticket, 409 booking_cancelled)",
         s_obj({{"code", s_str()},
                {"booking_id", s_int()},
                {"ticket", s_str()},
                {"attended_count", s_int()},
                {"no_show", s_bool()}}),
         guest_schema(),
         200,
         false,
         {400, 401, 403, 404, 409, 422, 429}});
    r.push_back({"POST",
                 "/api/v1/sessions/{id}/checkin/undo",
                 Access_Partner,
                 post_checkin_undo,
                 "Annuler un pointage erroné (K2) tant que la séance n’est pas terminée : {code} ou {booking_id} ; "
                 "la réservation redevient confirmée (journal : booking.check_in_undo). 409 not_checked_in, "
                 "attendance_correction_closed",
                 s_obj({{"code", s_str()}, {"booking_id", s_int()}}),
                 guest_schema(),
                 200,
                 false,
                 {400, 401, 403, 404, 409, 422}});
    r.push_back({"GET",
                 "/api/v1/sessions/{id}/ballot",
                 Access_LoggedIn,
                 get_ballot,
                 "Tirage au sort enregistré (B3) : graine et ordre, pour le rejouer",
                 nullptr,
                 s_obj({{"session_id", s_int()},
                        {"seed", s_str()},
                        {"drawn_at", s_time()},
                        {"lines",
                         {{"type", "array"},
                          {"items", s_obj({{"request_id", s_int()},
                                           {"key", s_str()},
                                           {"attended_last_365", s_int()},
                                           {"places", s_int()},
                                           {"outcome", s_str()}})}}}}),
                 200,
                 false,
                 {401, 404}});
}

}  // namespace uneplace::server
