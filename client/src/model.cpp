// uneplace client — JSON readers of the API's objects.
#include "model.hpp"

#include <nlohmann/json.hpp>

#include "uneplace/domain.hpp"

using nlohmann::json;

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
    // The session may come nested ({session: {...}}) or flat (title, start…).
    const json& s = (j.contains("session") && j["session"].is_object()) ? j["session"] : j;
    b.title = json_str(s, "title");
    b.start = json_str(s, "start");
    b.territory = json_str(s, "territory");
    b.closes_at = json_str(s, "closes_at");
    if (auto v = s.find("venue"); v != s.end()) b.venue_name = v->is_object() ? json_str(*v, "name") : (v->is_string() ? v->get<std::string>() : "");
    if (auto ben = j.find("beneficiary"); ben != j.end() && ben->is_object())
        b.beneficiary_name = json_str(*ben, "first_name") + " " + json_str(*ben, "last_name");
    else
        b.beneficiary_name = json_str(j, "beneficiary_name");
    return b;
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
    json j = {{"first_name", b.first_name}, {"last_name", b.last_name}, {"postal_code", b.postal_code},
              {"household_size", b.household_size}};
    j["birth_year"] = b.birth_year > 0 ? json(b.birth_year) : json(nullptr);
    if (!b.phone.empty()) j["phone"] = b.phone;
    if (!b.preferred_language.empty()) j["preferred_language"] = b.preferred_language;
    return j;
}
