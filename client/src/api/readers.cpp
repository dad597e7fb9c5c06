// uneplace client — every JSON reader of the API's objects (declared in api/types.hpp).
//
// Index of this file:
// [SECTION] Generic readers
// [SECTION] Social worker
// [SECTION] Partner workspace
// [SECTION] Administration and impact
#include "api/types.hpp"

#include <nlohmann/json.hpp>

#include "uneplace/domain.hpp"
#include "uneplace/local_time.hpp"

using nlohmann::json;

//-------------------------------------------------------------------------------------------------
// [SECTION] Generic readers
//-------------------------------------------------------------------------------------------------

long long json_id(const json& obj, const char* key) {
    if (!obj.is_object()) return 0;
    auto it = obj.find(key);
    if (it == obj.end()) return 0;
    if (it->is_number_integer()) return it->get<long long>();
    if (it->is_string()) return std::atoll(it->get<std::string>().c_str());
    return 0;
}

std::string json_str(const json& obj, const char* key) {
    if (!obj.is_object()) return {};
    auto it = obj.find(key);
    return (it != obj.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

int json_int(const json& obj, const char* key) {
    if (!obj.is_object()) return 0;
    auto it = obj.find(key);
    return (it != obj.end() && it->is_number()) ? static_cast<int>(it->get<double>()) : 0;
}

bool json_bool(const json& obj, const char* key) {
    if (!obj.is_object()) return false;
    auto it = obj.find(key);
    return it != obj.end() && it->is_boolean() && it->get<bool>();
}

const json& json_items(const json& answer) {
    static const json empty = json::array();
    if (answer.is_array()) return answer;
    if (answer.is_object()) {
        auto it = answer.find("items");
        if (it != answer.end() && it->is_array()) return *it;
    }
    return empty;
}

const json& json_object(const json& obj, const char* key) {
    static const json empty = json::object();
    if (!obj.is_object()) return empty;
    auto it = obj.find(key);
    return (it != obj.end() && it->is_object()) ? *it : empty;
}

uneplace::UnixSeconds instant_of(const std::string& rfc3339) {
    if (rfc3339.empty()) return 0;
    const auto t = uneplace::parse_utc_instant(rfc3339);
    return t.ok() ? t.value : 0;
}

std::string json_text(const json& obj, const char* key) {
    if (!obj.is_object()) return {};
    auto it = obj.find(key);
    if (it == obj.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    return {};
}

uneplace::AccessibilityFlags json_accessibility(const json& obj, const char* key) {
    if (!obj.is_object()) return 0;
    auto it = obj.find(key);
    if (it == obj.end()) return 0;
    if (it->is_number_unsigned() || it->is_number_integer())
        return it->get<unsigned>() & uneplace::AccessibilityFlags_All;
    uneplace::AccessibilityFlags flags = 0;
    if (it->is_object()) {
        for (const auto& k : uneplace::accessibility_keys())
            if (json_bool(*it, std::string(k.code).c_str())) flags |= k.flag;
    } else if (it->is_array()) {
        for (const auto& v : *it)
            if (v.is_string())
                if (auto f = uneplace::accessibility_flag_from_code(v.get<std::string>())) flags |= *f;
    }
    return flags;
}

json accessibility_to_json(uneplace::AccessibilityFlags flags) {
    json j = json::object();
    for (const auto& k : uneplace::accessibility_keys()) j[std::string(k.code)] = (flags & k.flag) != 0;
    return j;
}

User parse_user(const json& j) {
    User u;
    if (!j.is_object()) return u;
    u.id = json_id(j, "id");
    u.role = json_str(j, "role");
    u.organisation_id = json_id(j, "organisation_id");
    u.display_name = json_str(j, "display_name");
    u.email = json_str(j, "email");
    u.organisation_territory = json_str(json_object(j, "organisation"), "territory");
    // An inactive account: from the server's own flag when it sends one, else from the statuses
    // (`active` false, and the user or its organisation pending or suspended).
    const std::string status = json_str(j, "status");
    const std::string organisation_status = json_str(json_object(j, "organisation"), "status");
    const bool inactive = j.contains("active") && j["active"].is_boolean() && !j["active"].get<bool>();
    u.suspended = inactive && (status == "suspended" || organisation_status == "suspended");
    u.waiting_for_approval =
        j.contains("waiting_for_approval")
            ? json_bool(j, "waiting_for_approval")
            : inactive && !u.suspended && (status == "pending" || organisation_status == "pending");
    u.inactive_message = json_str(j, "inactive_message");
    u.second_factor = json_bool(j, "second_factor");
    u.second_factor_setup_required = json_bool(j, "second_factor_setup_required");
    return u;
}

LoginSession parse_login_session(const json& j) {
    LoginSession s;
    if (!j.is_object()) return s;
    s.id = json_id(j, "id");
    s.created_at = json_str(j, "created_at");
    s.last_seen_at = json_str(j, "last_seen_at");
    s.user_agent = json_str(j, "user_agent");
    s.current = json_bool(j, "current");
    return s;
}

TotpEnrolment parse_totp_enrolment(const json& j) {
    TotpEnrolment t;
    if (!j.is_object()) return t;
    t.secret = json_str(j, "secret");
    t.otpauth_url = json_str(j, "otpauth_url");
    const json& qr = json_object(j, "qr");
    t.qr_modules = json_str(qr, "modules");
    t.qr_size = static_cast<int>(json_id(qr, "size"));
    if (t.qr_size <= 0 ||
        t.qr_modules.size() != static_cast<std::size_t>(t.qr_size) * static_cast<std::size_t>(t.qr_size)) {
        t.qr_size = 0;  // a malformed code is not drawn; the secret can still be typed
        t.qr_modules.clear();
    }
    return t;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Social worker
//-------------------------------------------------------------------------------------------------

CatalogueEntry parse_catalogue_entry(const json& j) {
    CatalogueEntry c;
    if (!j.is_object()) return c;
    c.session_id = json_id(j, "session_id");
    if (c.session_id == 0) c.session_id = json_id(j, "id");
    c.offer_id = json_id(j, "offer_id");
    c.title = json_str(j, "title");
    c.category = json_str(j, "category");
    if (auto v = j.find("venue"); v != j.end()) {
        if (v->is_object()) {
            c.venue_name = json_str(*v, "name");
            c.venue_city = json_str(*v, "city");
        } else if (v->is_string()) {
            c.venue_name = v->get<std::string>();
        }
    }
    c.territory = json_str(j, "territory");
    c.start = json_str(j, "start");
    c.start_local = json_str(j, "start_local");
    c.closes_at = json_str(j, "closes_at");
    c.allocation = json_str(j, "allocation");
    c.capacity = json_int(j, "capacity");
    c.places_left = json_int(j, "places_left");
    c.max_per_booking = json_int(j, "max_per_booking");
    c.min_age = json_int(j, "min_age");
    c.image_url = json_str(j, "image_url");
    c.thumbnail_url = json_str(j, "thumbnail_url");
    if (auto a = j.find("accessibility"); a != j.end() && a->is_object()) {
        for (const auto& key : uneplace::accessibility_keys())
            if (json_bool(*a, std::string(key.code).c_str())) c.accessibility |= key.flag;
    }
    return c;
}

SessionDetail parse_session_detail(const json& j) {
    SessionDetail d;
    if (!j.is_object()) return d;
    d.entry = parse_catalogue_entry(j);
    d.description = json_str(j, "description");
    if (auto v = j.find("venue"); v != j.end() && v->is_object()) {
        d.venue_address = json_str(*v, "address");
        d.venue_postal_code = json_str(*v, "postal_code");
    }
    d.partner_name = json_str(j, "partner");
    if (d.partner_name.empty()) d.partner_name = json_str(j, "partner_name");
    d.pickup_mode = json_str(j, "pickup_mode");
    d.draw_at = json_str(j, "draw_at");
    d.opens_at = json_str(j, "opens_at");
    d.status = json_str(j, "status");
    d.duration_min = json_int(j, "duration_min");
    d.min_age = json_int(j, "min_age");
    d.accessibility = d.entry.accessibility;
    d.places_held = j.contains("places_held") ? json_int(j, "places_held") : d.entry.capacity - d.entry.places_left;
    if (j.contains("structure_places_held")) d.structure_places_held = json_int(j, "structure_places_held");
    if (j.contains("settings") && j["settings"].is_object()) d.settings = parse_settings(j["settings"]);
    return d;
}

Beneficiary parse_beneficiary(const json& j) {
    Beneficiary b;
    if (!j.is_object()) return b;
    b.id = json_id(j, "id");
    b.first_name = json_str(j, "first_name");
    b.last_name = json_str(j, "last_name");
    b.birth_year = json_int(j, "birth_year");
    b.postal_code = json_str(j, "postal_code");
    b.household_size = json_int(j, "household_size");
    if (j.contains("children_birth_years") && j["children_birth_years"].is_array())
        for (const auto& y : j["children_birth_years"])
            if (y.is_number_integer()) b.children_birth_years.push_back(y.get<int>());
    b.phone = json_str(j, "phone");
    b.preferred_language = json_str(j, "preferred_language");
    b.upcoming_bookings = json_int(j, "upcoming_bookings");
    b.paused_until = json_str(j, "paused_until");
    return b;
}

Booking parse_booking(const json& j) {
    Booking b;
    if (!j.is_object()) return b;
    b.id = json_id(j, "id");
    b.session_id = json_id(j, "session_id");
    b.beneficiary_id = json_id(j, "beneficiary_id");
    b.places = json_int(j, "places");
    b.status = json_str(j, "status");
    b.code = json_str(j, "code");
    b.created_at = json_str(j, "created_at");
    b.has_feedback = j.contains("feedback") && j["feedback"].is_object();
    if (b.has_feedback) {
        const json& f = j["feedback"];
        b.feedback_went = json_str(f, "went");
        b.feedback_rating = json_int(f, "rating");
        b.feedback_comment = json_str(f, "comment");
    }
    // The session may come nested ({session: {...}}) or flat (title, start…).
    const json& s = (j.contains("session") && j["session"].is_object()) ? j["session"] : j;
    b.title = json_str(s, "title");
    b.start = json_str(s, "start");
    b.territory = json_str(s, "territory");
    b.closes_at = json_str(s, "closes_at");
    b.duration_min = json_int(s, "duration_min");
    b.end = json_str(s, "end");
    if (auto v = s.find("venue"); v != s.end())
        b.venue_name = v->is_object() ? json_str(*v, "name") : (v->is_string() ? v->get<std::string>() : "");
    if (auto ben = j.find("beneficiary"); ben != j.end() && ben->is_object())
        b.beneficiary_name = json_str(*ben, "first_name") + " " + json_str(*ben, "last_name");
    else b.beneficiary_name = json_str(j, "beneficiary_name");
    return b;
}

MailPreferences parse_mail_preferences(const json& j) {
    MailPreferences p;
    if (!j.is_object()) return p;
    p.reminders = json_bool(j, "reminders");
    p.feedback_requests = json_bool(j, "feedback_requests");
    return p;
}

ApiKey parse_api_key(const json& j) {
    ApiKey k;
    if (!j.is_object()) return k;
    k.id = json_id(j, "id");
    k.name = json_str(j, "name");
    k.prefix = json_str(j, "prefix");
    k.created_at = json_str(j, "created_at");
    k.last_used_at = json_str(j, "last_used_at");
    k.revoked_at = json_str(j, "revoked_at");
    k.key = json_str(j, "key");
    if (auto it = j.find("scopes"); it != j.end() && it->is_array())
        for (const json& s : *it)
            if (s.is_string()) k.scopes.push_back(s.get<std::string>());
    return k;
}

OutboxPage parse_outbox(const json& j) {
    OutboxPage page;
    if (!j.is_object()) return page;
    page.mail_configured = json_bool(j, "mail_configured");
    page.queued = json_int(j, "queued");
    page.failed = json_int(j, "failed");
    for (const json& it : json_items(j)) {
        if (!it.is_object()) continue;
        OutboxLine l;
        l.id = json_id(it, "id");
        l.kind = json_str(it, "kind");
        l.event = json_str(it, "event");
        l.status = json_str(it, "status");
        l.recipient = json_str(it, "recipient");
        l.subject = json_str(it, "subject");
        l.booking_id = json_id(it, "booking_id");
        l.attempts = json_int(it, "attempts");
        l.next_attempt_at = json_str(it, "next_attempt_at");
        l.sent_at = json_str(it, "sent_at");
        l.last_error = json_str(it, "last_error");
        l.created_at = json_str(it, "created_at");
        page.items.push_back(std::move(l));
    }
    return page;
}

Notification parse_notification(const json& j) {
    Notification n;
    if (!j.is_object()) return n;
    n.id = json_id(j, "id");
    n.kind = json_str(j, "kind");
    n.message = json_str(j, "message");
    n.created_at = json_str(j, "created_at");
    n.read = json_bool(j, "read");
    n.booking_id = json_id(j, "booking_id");
    n.session_id = json_id(j, "session_id");
    return n;
}

json beneficiary_to_json(const Beneficiary& b) {
    json j = {{"first_name", b.first_name},
              {"last_name", b.last_name},
              {"postal_code", b.postal_code},
              {"household_size", b.household_size},
              {"children_birth_years", b.children_birth_years}};
    j["birth_year"] = b.birth_year > 0 ? json(b.birth_year) : json(nullptr);
    if (!b.phone.empty()) j["phone"] = b.phone;
    if (!b.preferred_language.empty()) j["preferred_language"] = b.preferred_language;
    return j;
}

BookingCreated parse_booking_created(const json& j) {
    BookingCreated c;
    c.id = json_id(j, "id");
    c.status = json_str(j, "status");
    c.code = json_str(j, "code");
    return c;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Partner workspace
//-------------------------------------------------------------------------------------------------

Venue parse_venue(const json& j) {
    Venue v;
    v.id = json_id(j, "id");
    v.name = json_str(j, "name");
    v.address = json_str(j, "address");
    v.postal_code = json_str(j, "postal_code");
    v.city = json_str(j, "city");
    v.territory = json_str(j, "territory");
    v.accessibility = json_accessibility(j, "accessibility");
    v.archived = json_bool(j, "archived");
    return v;
}

Offer parse_offer(const json& j) {
    Offer o;
    o.id = json_id(j, "id");
    o.venue_id = json_id(j, "venue_id");
    if (o.venue_id == 0) o.venue_id = json_id(json_object(j, "venue"), "id");
    o.title = json_str(j, "title");
    o.description = json_str(j, "description");
    o.category = json_str(j, "category");
    o.pickup_mode = json_str(j, "pickup_mode");
    o.status = json_str(j, "status");
    o.reject_reason = json_str(j, "reject_reason");
    o.min_age = json_int(j, "min_age");
    o.accessibility = json_accessibility(j, "accessibility");
    o.image_url = json_str(j, "image_url");
    if (j.contains("sessions") && j["sessions"].is_number()) o.sessions_count = json_int(j, "sessions");
    return o;
}

SessionRow parse_session_row(const json& j) {
    SessionRow s;
    s.id = json_id(j, "session_id");
    if (s.id == 0) s.id = json_id(j, "id");
    s.offer_id = json_id(j, "offer_id");
    s.title = json_str(j, "title");
    s.territory = json_str(j, "territory");
    s.start = json_str(j, "start");
    s.closes_at = json_str(j, "closes_at");
    s.opens_at = json_str(j, "opens_at");
    s.draw_at = json_str(j, "draw_at");
    s.allocation = json_str(j, "allocation");
    s.status = json_str(j, "status");
    s.venue_name = json_str(json_object(j, "venue"), "name");
    s.duration_min = json_int(j, "duration_min");
    s.capacity = json_int(j, "capacity");
    s.max_per_booking = json_int(j, "max_per_booking");
    s.places_held = j.contains("places_held") ? json_int(j, "places_held") : s.capacity - json_int(j, "places_left");
    if (s.places_held < 0) s.places_held = 0;
    return s;
}

Guest parse_guest(const json& j) {
    Guest g;
    g.booking_id = json_id(j, "booking_id");
    if (g.booking_id == 0) g.booking_id = json_id(j, "id");
    g.code = json_str(j, "code");
    g.places = std::max(1, json_int(j, "places"));
    g.guest = json_str(j, "guest");
    const json& structure = json_object(j, "structure");
    g.structure = structure.empty() ? json_str(j, "structure") : json_str(structure, "name");
    g.status = json_str(j, "status");
    if (g.status.empty()) g.status = "confirmed";
    g.attended_count = json_int(j, "attended_count");
    g.count_input = g.attended_count > 0 ? g.attended_count : g.places;
    return g;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Administration and impact
//-------------------------------------------------------------------------------------------------

Organisation parse_organisation(const json& j) {
    Organisation o;
    o.id = json_id(j, "id");
    o.kind = json_str(j, "kind");
    o.name = json_str(j, "name");
    o.territory = json_str(j, "territory");
    o.status = json_str(j, "status");
    o.created_at = json_str(j, "created_at");
    if (j.contains("users")) o.users = json_int(j, "users");
    return o;
}

UserRow parse_user_row(const json& j) {
    UserRow u;
    u.id = json_id(j, "id");
    u.organisation_id = json_id(j, "organisation_id");
    const json& org = json_object(j, "organisation");
    if (u.organisation_id == 0) u.organisation_id = json_id(org, "id");
    u.organisation_name = json_str(org, "name");
    if (u.organisation_name.empty()) u.organisation_name = json_str(j, "organisation_name");
    u.role = json_str(j, "role");
    u.email = json_str(j, "email");
    u.display_name = json_str(j, "display_name");
    u.status = json_str(j, "status");
    u.created_at = json_str(j, "created_at");
    return u;
}

OfferRow parse_offer_row(const json& j) {
    OfferRow o;
    o.id = json_id(j, "id");
    o.title = json_str(j, "title");
    o.description = json_str(j, "description");
    o.category = json_str(j, "category");
    o.pickup_mode = json_str(j, "pickup_mode");
    o.status = json_str(j, "status");
    o.reject_reason = json_str(j, "reject_reason");
    const json& partner = json_object(j, "partner");
    o.partner_name = partner.empty() ? json_str(j, "partner_name") : json_str(partner, "name");
    const json& venue = json_object(j, "venue");
    o.venue_name = venue.empty() ? json_str(j, "venue_name") : json_str(venue, "name");
    o.territory = json_str(j, "territory");
    if (o.territory.empty()) o.territory = json_str(venue, "territory");
    o.updated_at = json_str(j, "updated_at");
    o.min_age = json_int(j, "min_age");
    if (j.contains("sessions") && j["sessions"].is_number()) o.sessions = json_int(j, "sessions");
    else if (j.contains("sessions_count")) o.sessions = json_int(j, "sessions_count");
    o.accessibility = json_accessibility(j, "accessibility");
    return o;
}

SessionLine parse_session_line(const json& j) {
    SessionLine s;
    s.start = json_str(j, "start");
    s.territory = json_str(j, "territory");
    s.allocation = json_str(j, "allocation");
    s.capacity = json_int(j, "capacity");
    s.max_per_booking = json_int(j, "max_per_booking");
    return s;
}

uneplace::TerritorySettings parse_settings(const json& answer) {
    const json& j = answer.contains("settings") && answer["settings"].is_object() ? answer["settings"] : answer;
    uneplace::TerritorySettings s;
    for (const auto& f : uneplace::kTerritorySettingFields)
        if (j.contains(f.name) && j[f.name].is_number()) s.*f.member = json_int(j, f.name);
    return s;
}

json settings_to_json(const uneplace::TerritorySettings& s) {
    json j = json::object();
    for (const auto& f : uneplace::kTerritorySettingFields) j[f.name] = s.*f.member;
    return j;
}

uneplace::ImpactFigures parse_figures(const json& row) {
    const json& j = row.contains("figures") && row["figures"].is_object() ? row["figures"] : row;
    auto num = [&](const char* key) -> std::int64_t {
        auto it = j.find(key);
        return (it != j.end() && it->is_number()) ? it->get<std::int64_t>() : 0;
    };
    uneplace::ImpactFigures f;
    f.places_donated = num("places_donated");
    f.places_booked = num("places_booked");
    f.people_attended = num("people_attended");
    f.usage_permille = (int)num("usage_permille");
    f.bookings = num("bookings");
    f.unique_beneficiaries = num("unique_beneficiaries");
    f.first_timers = num("first_timers");
    f.late_cancellations = num("late_cancellations");
    f.attended_bookings = num("attended_bookings");
    f.no_show_bookings = num("no_show_bookings");
    f.no_show_permille = (int)num("no_show_permille");
    f.waitlist_served = num("waitlist_served");
    f.ratings_count = num("ratings_count");
    f.average_rating_x10 = (int)num("average_rating_x10");
    return f;
}

static const json& rows_of(const json& answer) {
    for (const char* key : {"items", "rows", "groups"})
        if (answer.is_object() && answer.contains(key) && answer[key].is_array()) return answer[key];
    return json_items(answer);
}

std::vector<ImpactRow> parse_impact_rows(const json& answer) {
    std::vector<ImpactRow> out;
    for (const json& r : rows_of(answer)) {
        ImpactRow row;
        row.key = json_text(r, "key");
        for (const char* alt : {"group", "month", "territory", "category"})
            if (row.key.empty()) row.key = json_text(r, alt);
        row.f = parse_figures(r);
        out.push_back(std::move(row));
    }
    return out;
}

WhatIf parse_what_if(const json& answer) {
    auto side = [](const json& j) {
        const json& f = json_object(j, "figures");
        auto num = [&](const char* key) { return f.contains(key) && f[key].is_number() ? f[key].get<double>() : 0.0; };
        WhatIfFigures out;
        out.usage_ratio = num("usage_ratio");
        out.first_timer_share = num("first_timer_share");
        out.gini = num("gini_outings_per_beneficiary");
        out.largest_structures_share = num("largest_structures_share");
        out.places_donated = (long long)num("places_donated");
        out.people_attended = (long long)num("people_attended");
        out.first_timers = (long long)num("first_timers");
        const json& wasted = json_object(f, "places_wasted");
        out.places_wasted =
            wasted.contains("total") && wasted["total"].is_number() ? wasted["total"].get<long long>() : 0;
        return out;
    };
    WhatIf w;
    w.sessions = json_id(answer, "sessions");
    w.requests = json_id(answer, "requests");
    w.current = side(json_object(answer, "current"));
    w.proposed = side(json_object(answer, "proposed"));
    w.summary = json_str(answer, "summary_fr");
    return w;
}
