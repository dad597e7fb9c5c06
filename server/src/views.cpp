// uneplace server — JSON shapes of the API's objects.
//
// Index of this file:
// [SECTION] Accounts
// [SECTION] Venues, offers, sessions
// [SECTION] Beneficiaries, bookings, notifications
// [SECTION] Administration
#include "views.hpp"

#include <fmt/format.h>

#include "uneplace/csv.hpp"
#include "uneplace/impact.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Accounts
//-----------------------------------------------------------------------------

json user_json(const Actor& a) {
    json j = {
        {"id", a.user_id},
        {"role", std::string(to_code(a.role))},
        {"organisation_id", a.organisation_id ? json(*a.organisation_id) : json(nullptr)},
        {"display_name", a.display_name},
        {"email", a.email},
        {"status", std::string(to_code(a.user_status))},
        {"active", a.active()},
    };
    if (a.organisation_id) {
        j["organisation"] = {{"id", *a.organisation_id},
                             {"name", a.organisation_name},
                             {"territory", a.organisation_territory},
                             {"status", std::string(to_code(a.organisation_status.value_or(AccountStatus::Pending)))}};
    } else {
        j["organisation"] = nullptr;
    }
    if (a.role == Role::Admin) j["territories"] = a.territories;  // empty: national
    j["second_factor"] = a.second_factor;
    // R10 for the client: a pending account lands on a "waiting for approval" page, not on an
    // empty workspace whose every call would be refused.
    const AccountStatus org = a.organisation_status.value_or(AccountStatus::Active);
    const std::string_view reason = inactive_reason(a.user_status, org);
    j["waiting_for_approval"] = reason == "organisation_pending" || reason == "user_pending";
    j["inactive_reason"] = reason.empty() ? json(nullptr) : json(std::string(reason));
    j["inactive_message"] = reason.empty() ? json(nullptr) : json(explain_inactive_fr(a.user_status, org));
    return j;
}

json user_view_json(const UserView& u) {
    json j = {{"id", u.id},
              {"organisation_id", u.organisation_id ? json(*u.organisation_id) : json(nullptr)},
              {"role", std::string(to_code(u.role))},
              {"email", u.email},
              {"display_name", u.display_name},
              {"status", std::string(to_code(u.status))},
              {"created_at", format_utc(u.created_at)}};
    if (u.role == Role::Admin) j["territories"] = u.territories;
    return j;
}

json organisation_json(const OrganisationView& o) {
    return {{"id", o.id},
            {"kind", std::string(to_code(o.kind))},
            {"name", o.name},
            {"territory", o.territory},
            {"status", std::string(to_code(o.status))},
            {"created_at", format_utc(o.created_at)},
            {"users", o.users}};
}

//-----------------------------------------------------------------------------
// [SECTION] Venues, offers, sessions
//-----------------------------------------------------------------------------

json venue_json(const VenueView& v) {
    return {{"id", v.id},
            {"name", v.name},
            {"address", v.address},
            {"postal_code", v.postal_code},
            {"city", v.city},
            {"partner_id", v.partner_id},
            {"territory", v.territory},
            {"accessibility", accessibility_json(v.accessibility)},
            {"archived", v.archived}};
}

json offer_json(const OfferView& o) {
    return {{"id", o.id},
            {"partner_id", o.partner_id},
            {"partner_name", o.partner_name},
            {"venue_id", o.venue_id},
            {"venue_name", o.venue_name},
            {"territory", o.territory},
            {"title", o.title},
            {"description", o.description},
            {"category", o.category},
            {"min_age", o.min_age},
            {"accessibility", accessibility_json(o.accessibility)},
            {"pickup_mode", o.pickup_mode},
            {"status", std::string(to_code(o.status))},
            {"reject_reason", o.reject_reason.empty() ? json(nullptr) : json(o.reject_reason)},
            {"published_at", time_or_null(o.published_at)},
            {"created_at", format_utc(o.created_at)},
            {"updated_at", format_utc(o.updated_at)},
            {"sessions", o.sessions},
            {"image_url", image_url_json(o.id, o.image_version, false)},
            {"thumbnail_url", image_url_json(o.id, o.image_version, true)}};
}

std::string image_url(Id offer_id, int version, bool thumb) {
    // The version makes the URL change with each upload, so the answer behind one URL never does.
    return fmt::format("/api/v1/offers/{}/image?v={}{}", offer_id, version, thumb ? "&size=thumb" : "");
}

json image_url_json(Id offer_id, int version, bool thumb) {
    if (version <= 0) return nullptr;
    return image_url(offer_id, version, thumb);
}

namespace {
// The small pieces of a session's text: "key": before each member, then its value.
struct SessionWriter {
    std::string& out;
    bool first = true;
    void key(std::string_view k) {
        out += first ? "{\"" : ",\"";
        first = false;
        out += k;
        out += "\":";
    }
    void text(std::string_view k, std::string_view v) {
        key(k);
        append_json_string(out, v);
    }
    void number(std::string_view k, long long v) {
        key(k);
        fmt::format_to(std::back_inserter(out), "{}", v);
    }
    void boolean(std::string_view k, bool v) {
        key(k);
        out += v ? "true" : "false";
    }
    void null(std::string_view k) {
        key(k);
        out += "null";
    }
    void accessibility(std::string_view k, AccessibilityFlags flags) {
        key(k);
        char sep = '{';
        for (const auto& a : accessibility_keys()) {
            out += sep;
            sep = ',';
            append_json_string(out, a.code);
            out += (flags & a.flag) != 0 ? ":true" : ":false";
        }
        out += '}';
    }
    void poster(std::string_view k, Id offer_id, int version, bool thumb) {
        key(k);
        if (version <= 0) out += "null";
        else append_json_string(out, image_url(offer_id, version, thumb));
    }
    void end() { out += first ? "{}" : "}"; }
};
}  // namespace

// Written as text rather than built as a json object: a catalogue page is fifty of these, and
// the object's maps and strings (built, dumped, freed) were the largest cost of a catalogue page
// under load. session_json() parses this same text, so the two can never differ.
void append_session_json(std::string& out, const SessionView& s) {
    const SessionInfo& i = s.info;
    SessionWriter w{out};
    w.number("session_id", i.id);
    w.number("offer_id", i.offer_id);
    w.text("title", s.title);
    w.text("category", to_code(i.category));
    {
        w.key("venue");
        SessionWriter v{out};
        v.number("id", s.venue.id);
        v.text("name", s.venue.name);
        v.text("address", s.venue.address);
        v.text("postal_code", s.venue.postal_code);
        v.text("city", s.venue.city);
        v.accessibility("accessibility", s.venue.accessibility);
        v.end();
    }
    w.text("territory", i.territory);
    w.text("start", format_utc(i.start));
    w.text("start_local", format_local(i.territory, i.start));
    w.number("capacity", i.capacity);
    w.number("places_left", places_left(i.capacity, s.places_held));
    w.number("places_held", s.places_held);
    w.number("max_per_booking", i.max_per_booking);
    w.text("allocation", to_code(i.allocation));
    w.text("closes_at", format_utc(i.closes_at));
    w.text("opens_at", format_utc(i.opens_at));
    if (i.allocation == AllocationMode::Ballot) w.text("draw_at", format_utc(i.draw_at));
    else w.null("draw_at");
    w.boolean("drawn", s.drawn_at.has_value());
    w.number("duration_min", i.duration_min);
    w.text("end", format_utc(i.end()));
    w.text("description", s.description);
    // What a person can rely on: the event's own provisions and the venue's.
    w.accessibility("accessibility", s.offer_accessibility | s.venue.accessibility);
    w.text("pickup_mode", s.pickup_mode);
    w.number("min_age", i.min_age);
    {
        w.key("partner");
        SessionWriter p{out};
        p.number("id", i.partner_id);
        p.text("name", s.partner_name);
        p.end();
    }
    w.text("partner_name", s.partner_name);
    w.text("status", to_code(i.status));
    w.text("offer_status", to_code(i.offer_status));
    w.poster("image_url", i.offer_id, s.image_version, false);
    w.poster("thumbnail_url", i.offer_id, s.image_version, true);
    w.end();
}

std::string sessions_page_text(const std::vector<SessionView>& sessions,
                               const std::optional<std::string>& next_cursor) {
    std::string out;
    out.reserve(sessions.size() * 1200 + 64);
    out += "{\"items\":[";
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        if (i) out += ',';
        append_session_json(out, sessions[i]);
    }
    out += "],\"next_cursor\":";
    if (next_cursor) append_json_string(out, *next_cursor);
    else out += "null";
    out += '}';
    return out;
}

json session_json(const SessionView& s) {
    std::string text;
    append_session_json(text, s);
    return json::parse(text);
}

json session_detail_json(const SessionDetail& d, const Actor& viewer) {
    json j = session_json(d.view);
    j["id"] = d.view.info.id;
    j["release_at"] = format_utc(d.release_at);
    j["structure_share_cap"] = d.structure_share_cap;
    if (viewer.role == Role::SocialWorker) j["structure_places_held"] = d.structure_places_held;
    j["waitlisted"] = d.waitlisted;
    j["ballot_entries"] = d.ballot_entries;
    j["settings"] = settings_json(d.view.info.territory, d.settings);
    return j;
}

json guest_json(const GuestLine& g) {
    return {{"booking_id", g.booking_id},
            {"code", g.code},
            {"places", g.places},
            {"guest", g.guest},
            {"structure", g.structure},
            {"status", g.status},
            {"attended_count", g.attended_count ? json(*g.attended_count) : json(nullptr)}};
}

std::string guest_list_csv(const SessionView& session, const std::vector<GuestLine>& lines) {
    std::string out(kCsvBom);
    out += csv_row({"Séance", session.title, format_datetime_fr(session.info.territory, session.info.start)});
    out += csv_row({"Code", "Places", "Invité", "Structure", "Statut", "Présents"});
    for (const GuestLine& g : lines) {
        const auto status = from_code<BookingStatus>(g.status);
        out += csv_row({g.code, std::to_string(g.places), g.guest, g.structure,
                        status ? std::string(label_fr(*status)) : g.status,
                        g.attended_count ? std::to_string(*g.attended_count) : std::string()});
    }
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Beneficiaries, bookings, notifications
//-----------------------------------------------------------------------------

namespace {
json text_or_null(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
}  // namespace

json beneficiary_json(const BeneficiaryView& b) {
    return {{"id", b.id},
            {"reference", b.reference},
            {"structure_id", b.structure_id},
            {"first_name", text_or_null(b.first_name)},
            {"last_name", text_or_null(b.last_name)},
            {"birth_year", b.birth_year ? json(*b.birth_year) : json(nullptr)},
            {"postal_code", text_or_null(b.postal_code)},
            {"household_size", b.household_size},
            {"children_birth_years", b.children_birth_years},
            {"phone", text_or_null(b.phone)},
            {"preferred_language", text_or_null(b.preferred_language)},
            {"paused_until", time_or_null(b.paused_until)},
            {"upcoming_bookings", b.upcoming_bookings},
            {"erased", b.erased},
            {"created_at", format_utc(b.created_at)},
            {"updated_at", format_utc(b.updated_at)}};
}

json booking_json(const BookingView& b) {
    json beneficiary = {{"id", b.beneficiary_id}, {"reference", b.beneficiary_reference}};
    if (b.first_name) {
        beneficiary["first_name"] = *b.first_name;
        beneficiary["last_name"] = b.last_name.value_or("");
    }
    json j = {{"id", b.id},
              {"session_id", b.session_id},
              {"beneficiary_id", b.beneficiary_id},
              {"places", b.places},
              {"status", b.status},
              {"code", text_or_null(b.code)},
              {"origin", b.origin},
              {"attended_count", b.attended_count ? json(*b.attended_count) : json(nullptr)},
              {"created_at", format_utc(b.created_at)},
              {"structure", {{"id", b.structure_id}, {"name", b.structure_name}}},
              {"beneficiary", beneficiary},
              {"session",
               {{"id", b.session_id},
                {"title", b.title},
                {"start", format_utc(b.start)},
                {"start_local", format_local(b.territory, b.start)},
                {"duration_min", b.duration_min},
                {"end", format_utc(b.start + static_cast<UnixSeconds>(b.duration_min) * kMinute)},
                {"closes_at", format_utc(b.closes_at)},
                {"territory", b.territory},
                {"venue", {{"name", b.venue_name}, {"city", b.city}}}}}};
    if (b.feedback)
        j["feedback"] = {{"went", b.feedback->went},
                         {"rating", b.feedback->rating ? json(*b.feedback->rating) : json(nullptr)},
                         {"comment", b.feedback->comment},
                         {"updated_at", format_utc(b.feedback->updated_at)}};
    else j["feedback"] = nullptr;
    return j;
}

json notification_json(const NotificationView& n) {
    return {{"id", n.id},
            {"kind", n.kind},
            {"message", n.message},
            {"booking_id", n.booking_id ? json(*n.booking_id) : json(nullptr)},
            {"session_id", n.session_id ? json(*n.session_id) : json(nullptr)},
            {"created_at", format_utc(n.created_at)},
            {"read", n.read}};
}

//-----------------------------------------------------------------------------
// [SECTION] Administration
//-----------------------------------------------------------------------------

json settings_json(const std::string& territory, const TerritorySettings& s) {
    json j = settings_fields_json(s);
    j["territory"] = territory;
    return j;
}

json settings_schema() {
    json properties = {{"territory", s_str()}};
    for (const auto& f : kTerritorySettingFields) properties[f.name] = s_int();
    return s_obj(properties);
}

json audit_json(const AuditEntry& e) {
    return {{"id", e.id},
            {"at", format_utc(e.at)},
            {"actor_user_id", e.actor_user_id ? json(*e.actor_user_id) : json(nullptr)},
            {"action", e.action},
            {"entity", e.entity},
            {"entity_id", e.entity_id ? json(*e.entity_id) : json(nullptr)},
            {"before", e.before},
            {"after", e.after},
            {"redacted", e.redacted}};
}

json impact_row_json(const ImpactRow& r) {
    const ImpactFigures& f = r.figures;
    return {{"key", r.key},
            {"places_donated", f.places_donated},
            {"places_booked", f.places_booked},
            {"people_attended", f.people_attended},
            {"usage_permille", f.usage_permille},
            {"usage", format_permille_fr(f.usage_permille)},
            {"bookings", f.bookings},
            {"unique_beneficiaries", f.unique_beneficiaries},
            {"first_timers", f.first_timers},
            {"late_cancellations", f.late_cancellations},
            {"attended_bookings", f.attended_bookings},
            {"no_show_bookings", f.no_show_bookings},
            {"no_show_permille", f.no_show_permille},
            {"waitlist_served", f.waitlist_served},
            {"ratings_count", f.ratings_count},
            {"average_rating_x10", f.average_rating_x10}};
}

PageRequest page_of(const Request& req) { return {query_limit(req), query_param(req, "cursor").value_or("")}; }

}  // namespace uneplace::server
