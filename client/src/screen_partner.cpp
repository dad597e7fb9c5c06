// uneplace client — the partner's workspace: venues, offers (drafts submitted for moderation),
// sessions (one or a run of shows at once, capacity, closing time, ballot), and a session's guest
// list with check-in by code or by row, and its CSV export.
// Every form is checked as the user types by the shared validators the server runs
// (validate_venue, validate_offer, validate_session, check_capacity_change,
// check_session_cancellation, parse_booking_code): a mistyped booking code is refused before any
// request leaves the browser.
//
// Index of this file:
// [SECTION] State
// [SECTION] Parsing
// [SECTION] Loading
// [SECTION] Venues
// [SECTION] Offer form
// [SECTION] Sessions form (one date or a run of shows)
// [SECTION] Sessions of an offer: capacity and cancellation
// [SECTION] Offers screen
// [SECTION] Guest list and check-in
// [SECTION] Entry point

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // ImGui::GetItemID()
#include "imgui_stdlib.h"
#include "platform.hpp"
#include "ui.hpp"
#include "widget_registry.hpp"
#include "workspace_common.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

using nlohmann::json;
using uneplace::UnixSeconds;

//-------------------------------------------------------------------------------------------------
// [SECTION] State
//-------------------------------------------------------------------------------------------------

namespace {

struct Venue {
    long long id = 0;
    std::string name, address, postal_code, city, territory;
    uneplace::AccessibilityFlags accessibility = 0;
    bool archived = false;
};

struct Offer {
    long long id = 0;
    long long venue_id = 0;
    std::string title, description, category, pickup_mode, status, reject_reason;
    int min_age = 0;
    uneplace::AccessibilityFlags accessibility = 0;
    int sessions_count = -1;  // -1: the server did not say
};

struct SessionRow {
    long long id = 0;
    long long offer_id = 0;
    std::string title, territory, start, closes_at, opens_at, draw_at, allocation, status, venue_name;
    int duration_min = 0, capacity = 0, places_held = 0, max_per_booking = 0;
};

struct Guest {
    long long booking_id = 0;
    std::string code, guest, structure, status;
    int places = 0;
    int attended_count = 0;
    int count_input = 0;  // what the partner types in the row before ticking it
};

struct VenueForm {
    bool open = false;
    uneplace::VenueDraft draft;
    std::string city;
    std::string visited;
    bool busy = false;
    std::optional<ApiError> error;
};

struct OfferForm {
    bool open = false;
    long long editing_id = 0;  // 0: a new offer
    long long venue_id = 0;
    uneplace::OfferDraft draft{"", "", "", 0, 0, "guest_list"};
    std::string visited;
    bool busy = false;
    bool submit_after_save = false;
    std::optional<ApiError> error;
};

// A run of shows: the same hour on several dates, with the same places and rules.
struct SessionsForm {
    bool open = false;
    std::string dates;            // "05/12/2026, 06/12/2026" or ISO dates
    std::string time = "20:00";
    int duration_min = 90;
    int capacity = 10;
    int max_per_booking = 2;
    bool custom_close = false;
    int close_hours = 24;         // closes_at = start − close_hours
    bool ballot = false;
    int draw_hours = 48;          // draw_at = start − draw_hours
    std::string visited;
    bool busy = false;
    int sent = 0, created = 0;
    std::vector<std::string> failures;  // "sam. 5 déc. : message"
};

struct CapacityEdit {
    long long session_id = 0;
    int capacity = 0;
    int places_held = 0;
    bool busy = false;
    std::optional<ApiError> error;
};

struct CancelConfirm {
    long long session_id = 0;
    std::string when;
    int places_held = 0;
    bool busy = false;
    std::optional<ApiError> error;
};

struct GuestListState {
    long long session_id = 0;
    std::optional<SessionRow> session;
    std::optional<ApiError> session_error;
    std::vector<Guest> guests;
    bool loading = false;
    bool loaded = false;
    std::optional<ApiError> error;
    std::string code;
    int count = 1;
    bool code_submitted = false;  // show the code's refusal after a click, even when short
    bool busy = false;
    std::optional<ApiError> checkin_error;
    std::string notice;
    std::string search;
};

struct PartnerState {
    long long user_id = 0;  // whose data this is: a new login starts afresh
    std::vector<Venue> venues;
    bool venues_loaded = false, venues_loading = false;
    std::optional<ApiError> venues_error;
    std::vector<Offer> offers;
    bool offers_loaded = false, offers_loading = false;
    std::optional<ApiError> offers_error;
    long long selected_offer = 0;
    std::vector<SessionRow> sessions;
    long long sessions_for = 0;
    bool sessions_loading = false;
    std::optional<ApiError> sessions_error;
    VenueForm venue_form;
    OfferForm offer_form;
    SessionsForm sessions_form;
    CapacityEdit capacity;
    CancelConfirm cancel;
    std::string notice;
    std::optional<ApiError> action_error;
    // Frames during which to bring the selected offer's panel (or the new sessions form) into view:
    // a few, since the scroll range grows only once the new content has been laid out.
    int scroll_to_detail = 0;
    int scroll_to_sessions_form = 0;
    GuestListState guests;
};

PartnerState g_partner;

//-------------------------------------------------------------------------------------------------
// [SECTION] Parsing
//-------------------------------------------------------------------------------------------------

Venue parse_venue(const json& j) {
    Venue v;
    v.id = json_id(j, "id");
    v.name = json_str(j, "name");
    v.address = json_str(j, "address");
    v.postal_code = json_str(j, "postal_code");
    v.city = json_str(j, "city");
    v.territory = json_str(j, "territory");
    v.accessibility = ws_accessibility(j, "accessibility");
    v.archived = json_bool(j, "archived");
    return v;
}

Offer parse_offer(const json& j) {
    Offer o;
    o.id = json_id(j, "id");
    o.venue_id = json_id(j, "venue_id");
    if (o.venue_id == 0) o.venue_id = json_id(ws_object(j, "venue"), "id");
    o.title = json_str(j, "title");
    o.description = json_str(j, "description");
    o.category = json_str(j, "category");
    o.pickup_mode = json_str(j, "pickup_mode");
    o.status = json_str(j, "status");
    o.reject_reason = json_str(j, "reject_reason");
    o.min_age = json_int(j, "min_age");
    o.accessibility = ws_accessibility(j, "accessibility");
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
    s.venue_name = json_str(ws_object(j, "venue"), "name");
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
    const json& structure = ws_object(j, "structure");
    g.structure = structure.empty() ? json_str(j, "structure") : json_str(structure, "name");
    g.status = json_str(j, "status");
    if (g.status.empty()) g.status = "confirmed";
    g.attended_count = json_int(j, "attended_count");
    g.count_input = g.attended_count > 0 ? g.attended_count : g.places;
    return g;
}

// What the shared rules know of a session (C2, K2).
uneplace::SessionInfo session_info(const SessionRow& s) {
    uneplace::SessionInfo i;
    i.id = s.id;
    i.territory = s.territory;
    i.start = ws_instant(s.start);
    i.duration_min = s.duration_min;
    i.capacity = s.capacity;
    i.max_per_booking = s.max_per_booking;
    i.closes_at = ws_instant(s.closes_at);
    i.status = s.status == "cancelled" ? uneplace::SessionStatus::Cancelled : uneplace::SessionStatus::Scheduled;
    return i;
}

const Venue* venue_by_id(long long id) {
    for (const Venue& v : g_partner.venues)
        if (v.id == id) return &v;
    return nullptr;
}

const Offer* offer_by_id(long long id) {
    for (const Offer& o : g_partner.offers)
        if (o.id == id) return &o;
    return nullptr;
}

std::string venue_label(const Venue& v) { return v.name + (v.city.empty() ? "" : " (" + v.city + ")"); }

//-------------------------------------------------------------------------------------------------
// [SECTION] Loading
//-------------------------------------------------------------------------------------------------

void load_venues() {
    PartnerState& s = g_partner;
    s.venues_loading = true;
    api_request("GET", "/api/v1/venues?limit=500", "",
                [](const json& j) {
                    PartnerState& st = g_partner;
                    st.venues_loading = false;
                    st.venues_loaded = true;
                    st.venues_error.reset();
                    st.venues.clear();
                    for (const auto& it : ws_items(j)) st.venues.push_back(parse_venue(it));
                },
                [](const ApiError& e) {
                    g_partner.venues_loading = false;
                    g_partner.venues_loaded = true;
                    g_partner.venues_error = e;
                });
}

void load_offers() {
    PartnerState& s = g_partner;
    s.offers_loading = true;
    api_request("GET", "/api/v1/offers?limit=500", "",
                [](const json& j) {
                    PartnerState& st = g_partner;
                    st.offers_loading = false;
                    st.offers_loaded = true;
                    st.offers_error.reset();
                    st.offers.clear();
                    for (const auto& it : ws_items(j)) st.offers.push_back(parse_offer(it));
                    std::stable_sort(st.offers.begin(), st.offers.end(), [](const Offer& a, const Offer& b) { return a.id > b.id; });
                },
                [](const ApiError& e) {
                    g_partner.offers_loading = false;
                    g_partner.offers_loaded = true;
                    g_partner.offers_error = e;
                });
}

void load_sessions(long long offer_id) {
    PartnerState& s = g_partner;
    s.sessions_for = offer_id;
    s.sessions_loading = true;
    api_request("GET", "/api/v1/offers/" + std::to_string(offer_id) + "/sessions?limit=500", "",
                [offer_id](const json& j) {
                    PartnerState& st = g_partner;
                    if (st.sessions_for != offer_id) return;
                    st.sessions_loading = false;
                    st.sessions_error.reset();
                    st.sessions.clear();
                    for (const auto& it : ws_items(j)) st.sessions.push_back(parse_session_row(it));
                    std::stable_sort(st.sessions.begin(), st.sessions.end(),
                                     [](const SessionRow& a, const SessionRow& b) { return ws_instant(a.start) < ws_instant(b.start); });
                },
                [offer_id](const ApiError& e) {
                    if (g_partner.sessions_for != offer_id) return;
                    g_partner.sessions_loading = false;
                    g_partner.sessions_error = e;
                });
}

void load_guest_session(long long session_id) {
    api_request("GET", "/api/v1/sessions/" + std::to_string(session_id), "",
                [session_id](const json& j) {
                    GuestListState& st = g_partner.guests;
                    if (st.session_id != session_id) return;
                    st.session = parse_session_row(j);
                    st.session_error.reset();
                },
                [session_id](const ApiError& e) {
                    if (g_partner.guests.session_id == session_id) g_partner.guests.session_error = e;
                });
}

void load_guests(long long session_id) {
    GuestListState& g = g_partner.guests;
    g.loading = true;
    api_request("GET", "/api/v1/sessions/" + std::to_string(session_id) + "/guest-list", "",
                [session_id](const json& j) {
                    GuestListState& st = g_partner.guests;
                    if (st.session_id != session_id) return;
                    st.loading = false;
                    st.loaded = true;
                    st.error.reset();
                    // Keep what the partner typed in rows not yet recorded.
                    std::vector<Guest> before = std::move(st.guests);
                    st.guests.clear();
                    for (const auto& it : ws_items(j)) {
                        Guest guest = parse_guest(it);
                        for (const Guest& old : before)
                            if (old.booking_id == guest.booking_id && guest.status == "confirmed") guest.count_input = old.count_input;
                        st.guests.push_back(std::move(guest));
                    }
                },
                [session_id](const ApiError& e) {
                    GuestListState& st = g_partner.guests;
                    if (st.session_id != session_id) return;
                    st.loading = false;
                    st.loaded = true;
                    st.error = e;
                });
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Venues
//-------------------------------------------------------------------------------------------------

void save_venue() {
    VenueForm& f = g_partner.venue_form;
    uneplace::VenueDraft d = f.draft;
    uneplace::validate_venue(d);  // trims in place, as the server will
    json body = {{"name", d.name}, {"address", d.address}, {"postal_code", d.postal_code}, {"territory", d.territory},
                 {"accessibility", ws_accessibility_json(d.accessibility)}};
    const std::string city = std::string(uneplace::trim(f.city));
    if (!city.empty()) body["city"] = city;
    f.busy = true;
    f.error.reset();
    api_request("POST", "/api/v1/venues", body.dump(),
                [](const json& j) {
                    PartnerState& st = g_partner;
                    const Venue v = parse_venue(j);
                    st.notice = "Lieu ajouté : " + v.name + ".";
                    st.venue_form = VenueForm{};
                    load_venues();
                },
                [](const ApiError& e) {
                    g_partner.venue_form.busy = false;
                    g_partner.venue_form.error = e;
                });
}

void show_venue_form() {
    VenueForm& f = g_partner.venue_form;
    uneplace::VenueDraft checked = f.draft;
    const auto refusals = uneplace::validate_venue(checked);

    ui_begin_card(600);
    ws_heading("Ajouter un lieu");
    ui_text_colored(ui_color::muted, "L’adresse où les personnes se présentent. Le département fixe l’heure locale des séances.");
    auto field = [&](const char* caption, std::string* value, const char* name, const char* hint = nullptr) {
        ui_text_field(caption, value, UiField_None, hint);
        if (ImGui::IsItemDeactivated() && f.visited.find(name) == std::string::npos) f.visited += std::string(name) + " ";
        if (!value->empty() || f.visited.find(name) != std::string::npos) ui_field_error(ws_error_for(refusals, name));
    };
    field("Nom du lieu", &f.draft.name, "name", "ex. Théâtre du Faubourg — grande salle");
    field("Adresse", &f.draft.address, "address", "ex. 12 rue du Faubourg Saint-Antoine");
    if (ui_text_field("Code postal du lieu", &f.draft.postal_code, UiField_None, "ex. 75011")) {
        // The département follows the postal code (shared mapping), unless the partner picks another.
        const auto dep = uneplace::departement_from_postal_code(uneplace::trim(f.draft.postal_code));
        if (dep.ok()) f.draft.territory = dep.value;
    }
    if (ImGui::IsItemDeactivated() && f.visited.find("postal_code") == std::string::npos) f.visited += "postal_code ";
    if (!f.draft.postal_code.empty() || f.visited.find("postal_code") != std::string::npos) ui_field_error(ws_error_for(refusals, "postal_code"));
    ui_text_field("Ville", &f.city, UiField_None, "ex. Paris");
    ws_territory_combo("Département du lieu", &f.draft.territory, nullptr, -1.0f);
    if (!f.draft.territory.empty()) ui_field_error(ws_error_for(refusals, "territory"));
    ImGui::TextUnformatted("Accessibilité du lieu");
    ws_accessibility_checkboxes("venue-access", &f.draft.accessibility);
    if (f.error) ui_banner(f.error->message, ui_color::danger);
    if (ui_primary_button("Enregistrer le lieu", refusals.empty() && !f.busy)) save_venue();
    ImGui::SameLine();
    if (ui_secondary_button("Annuler##lieu")) f = VenueForm{};
    ui_end_card();
}

void show_venues_screen() {
    PartnerState& s = g_partner;
    if (!s.venues_loaded && !s.venues_loading) load_venues();
    screen_title("Mes lieux", "Les salles, musées et terrains où vos invités sont accueillis.");
    if (!s.notice.empty()) ui_banner(s.notice, ui_color::success);
    if (s.venues_error) ui_banner(s.venues_error->message, ui_color::danger);

    if (s.venue_form.open) {
        show_venue_form();
    } else if (ui_primary_button("Ajouter un lieu")) {
        s.venue_form = VenueForm{};
        s.venue_form.open = true;
        s.notice.clear();
    }
    ImGui::Spacing();
    if (ImGui::BeginTable("Lieux", 4, kWsTableFlags)) {
        ImGui::TableSetupColumn("Lieu", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Adresse", ImGuiTableColumnFlags_WidthStretch, 4);
        ImGui::TableSetupColumn("Département", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Accessibilité", ImGuiTableColumnFlags_WidthStretch, 4);
        ImGui::TableHeadersRow();
        for (const Venue& v : s.venues) {
            ImGui::TableNextRow(0, 34);
            ImGui::TableNextColumn();
            ws_text_item(v.name);
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s, %s %s", v.address.c_str(), v.postal_code.c_str(), v.city.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s %s", v.territory.c_str(), std::string(uneplace::departement_name(v.territory)).c_str());
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", ws_accessibility_text(v.accessibility).c_str());
        }
        ImGui::EndTable();
    }
    if (s.venues_loaded && s.venues.empty() && !s.venues_error)
        ui_text_colored(ui_color::muted, "Aucun lieu pour le moment : ajoutez celui où vos invités seront accueillis, puis proposez une offre.");
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Offer form
//-------------------------------------------------------------------------------------------------

void submit_offer(long long offer_id) {
    PartnerState& s = g_partner;
    s.action_error.reset();
    api_request("POST", "/api/v1/offers/" + std::to_string(offer_id) + "/submit", "{}",
                [](const json&) {
                    g_partner.notice = "Offre envoyée à l’équipe de l’association : elle sera publiée après relecture.";
                    load_offers();
                },
                [](const ApiError& e) { g_partner.action_error = e; });
}

void save_offer() {
    OfferForm& f = g_partner.offer_form;
    uneplace::OfferDraft d = f.draft;
    uneplace::validate_offer(d);
    const json body = {{"venue_id", f.venue_id},         {"title", d.title},
                       {"description", d.description},   {"category", d.category},
                       {"min_age", d.min_age},           {"accessibility", ws_accessibility_json(d.accessibility)},
                       {"pickup_mode", d.pickup_mode}};
    const bool creating = f.editing_id == 0;
    const bool then_submit = f.submit_after_save;
    f.busy = true;
    f.error.reset();
    api_request(creating ? "POST" : "PATCH", creating ? "/api/v1/offers" : "/api/v1/offers/" + std::to_string(f.editing_id),
                body.dump(),
                [creating, then_submit](const json& j) {
                    PartnerState& st = g_partner;
                    const Offer o = parse_offer(j);
                    st.offer_form = OfferForm{};
                    st.selected_offer = o.id;
                    st.scroll_to_detail = 3;
                    st.notice = creating ? "Brouillon enregistré : « " + o.title + " ». Ajoutez ses séances, puis soumettez-le."
                                         : "Modifications enregistrées : « " + o.title + " ».";
                    if (then_submit && o.id) submit_offer(o.id);
                    else load_offers();
                },
                [](const ApiError& e) {
                    g_partner.offer_form.busy = false;
                    g_partner.offer_form.error = e;
                });
}

void open_offer_form(const Offer* o) {
    OfferForm& f = g_partner.offer_form;
    f = OfferForm{};
    f.open = true;
    if (o) {
        f.editing_id = o->id;
        f.venue_id = o->venue_id;
        f.draft = uneplace::OfferDraft{o->title, o->description, o->category, o->min_age, o->accessibility, o->pickup_mode};
    } else if (g_partner.venues.size() == 1) {
        f.venue_id = g_partner.venues.front().id;
    }
    g_partner.notice.clear();
}

void show_offer_form() {
    PartnerState& s = g_partner;
    OfferForm& f = s.offer_form;
    uneplace::OfferDraft checked = f.draft;
    const auto refusals = uneplace::validate_offer(checked);
    const Venue* venue = venue_by_id(f.venue_id);

    // Two columns when there is room: the form then fits a 720-pixel-high window.
    const float card_w = std::min(980.0f, ImGui::GetContentRegionAvail().x - 2 * 28.0f);
    const bool two_columns = card_w >= 820.0f;
    const float col_w = two_columns ? (card_w - 32.0f) * 0.5f : card_w;
    ui_begin_card(card_w);
    ws_heading(f.editing_id ? "Modifier l’offre" : "Proposer une offre");
    ui_text_colored(ui_color::muted, "Une offre est un spectacle, une visite ou une activité ; ses dates se donnent ensuite, "
                                     "séance par séance ou en série. Elle est relue par l’association avant d’être publiée.");
    auto mark = [&](const char* name) {
        if (ImGui::IsItemDeactivated() && f.visited.find(name) == std::string::npos) f.visited += std::string(name) + " ";
    };
    auto shown = [&](const char* name, bool has_value) { return has_value || f.visited.find(name) != std::string::npos; };

    ImGui::BeginGroup();
    ImGui::PushItemWidth(col_w);
    ImGui::TextUnformatted("Lieu");
    ImGui::SetNextItemWidth(col_w);
    if (ui_begin_combo("##Lieu de l’offre", venue ? venue_label(*venue).c_str() : "Choisir un lieu…")) {
        for (const Venue& v : s.venues) {
            const std::string label = venue_label(v) + "##" + std::to_string(v.id);
            if (ImGui::Selectable(label.c_str(), v.id == f.venue_id)) f.venue_id = v.id;
        }
        ImGui::EndCombo();
    }
    if (s.venues_loaded && s.venues.empty()) ui_field_error("Ajoutez d’abord un lieu (menu « Mes lieux »).");

    ui_text_field("Titre", &f.draft.title, UiField_None, "ex. Le Malade imaginaire");
    mark("title");
    if (shown("title", !f.draft.title.empty())) ui_field_error(ws_error_for(refusals, "title"));

    ws_category_combo("Catégorie", &f.draft.category, nullptr, std::min(col_w, 320.0f));
    if (!f.draft.category.empty()) ui_field_error(ws_error_for(refusals, "category"));

    ws_int_field("Âge minimum (0 = tout public)", &f.draft.min_age, 160);
    ui_field_error(ws_error_for(refusals, "min_age"));

    ImGui::TextUnformatted("Retrait des places");
    for (const auto& p : uneplace::enum_table<uneplace::PickupMode>()) {
        const std::string label = std::string(p.label_fr);
        if (ImGui::RadioButton(label.c_str(), f.draft.pickup_mode == p.code)) f.draft.pickup_mode = std::string(p.code);
    }
    ui_field_error(ws_error_for(refusals, "pickup_mode"));
    ImGui::PopItemWidth();
    ImGui::EndGroup();

    if (two_columns) ws_same_line(32);
    ImGui::BeginGroup();
    ImGui::PushItemWidth(col_w);
    ImGui::TextUnformatted("Description");
    ImGui::InputTextMultiline("##Description", &f.draft.description, ImVec2(col_w, two_columns ? 180 : 110));
    registry_set_value(ImGui::GetItemID(), f.draft.description);
    mark("description");
    ui_field_error(ws_error_for(refusals, "description"));
    ImGui::TextUnformatted("Accessibilité de l’offre");
    ws_accessibility_checkboxes("offer-access", &f.draft.accessibility);
    ImGui::PopItemWidth();
    ImGui::EndGroup();

    if (f.error) ui_banner(f.error->message, ui_color::danger);
    const bool valid = refusals.empty() && f.venue_id != 0;
    if (ui_primary_button(f.editing_id ? "Enregistrer les modifications" : "Enregistrer le brouillon", valid && !f.busy)) {
        f.submit_after_save = false;
        save_offer();
    }
    ImGui::SameLine();
    if (ui_secondary_button("Enregistrer et soumettre", valid && !f.busy)) {
        f.submit_after_save = true;
        save_offer();
    }
    ImGui::SameLine();
    if (ui_secondary_button("Annuler##offre")) f = OfferForm{};
    ui_end_card();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Sessions form (one date or a run of shows)
//-------------------------------------------------------------------------------------------------

// "05/12/2026" or "2026-12-05" → "2026-12-05"; "" when neither shape (the shared parser then
// refuses the date with its own message).
std::string iso_date(std::string_view text) {
    text = uneplace::trim(text);
    if (text.size() == 10 && text[2] == '/' && text[5] == '/')
        return std::string(text.substr(6, 4)) + "-" + std::string(text.substr(3, 2)) + "-" + std::string(text.substr(0, 2));
    return std::string(text);
}

std::vector<std::string> split_dates(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text) {
        if (c == ',' || c == ';' || c == '\n' || c == ' ') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

// One date of the run, checked by the shared module as the server will check it.
struct PlannedSession {
    std::string date_text;
    std::string start_local;      // "2026-12-05T20:30"
    uneplace::SessionDraft draft; // defaults filled (closes_at…)
    std::vector<uneplace::Refusal> refusals;
};

std::vector<PlannedSession> plan_sessions(const SessionsForm& f, const std::string& territory, UnixSeconds now) {
    std::vector<PlannedSession> out;
    const uneplace::TerritorySettings settings;  // the defaults; the server applies the territory's own
    for (const std::string& date : split_dates(f.dates)) {
        PlannedSession p;
        p.date_text = date;
        p.start_local = iso_date(date) + "T" + std::string(uneplace::trim(f.time));
        const auto start = uneplace::parse_venue_local(territory, p.start_local, "start_local");
        if (!start.ok()) {
            p.refusals.push_back(*start.refusal);
            out.push_back(std::move(p));
            continue;
        }
        p.draft.start = start.value;
        p.draft.duration_min = f.duration_min;
        p.draft.capacity = f.capacity;
        p.draft.max_per_booking = f.max_per_booking;
        if (f.custom_close) p.draft.closes_at = start.value - (UnixSeconds)f.close_hours * uneplace::kHour;
        p.draft.allocation = f.ballot ? uneplace::AllocationMode::Ballot : uneplace::AllocationMode::FirstCome;
        if (f.ballot) p.draft.draw_at = start.value - (UnixSeconds)f.draw_hours * uneplace::kHour;
        p.refusals = uneplace::validate_session(p.draft, now, settings);
        out.push_back(std::move(p));
    }
    return out;
}

void create_sessions(long long offer_id, const std::vector<PlannedSession>& plan, const std::string& territory) {
    SessionsForm& f = g_partner.sessions_form;
    f.busy = true;
    f.sent = (int)plan.size();
    f.created = 0;
    f.failures.clear();
    auto finish_one = [offer_id]() {
        SessionsForm& form = g_partner.sessions_form;
        if (--form.sent > 0) return;
        form.busy = false;
        if (form.failures.empty()) {
            g_partner.notice = form.created == 1 ? "Séance ajoutée." : std::to_string(form.created) + " séances ajoutées.";
            form = SessionsForm{};
            g_partner.scroll_to_detail = 3;
        } else if (form.created > 0) {
            g_partner.notice = std::to_string(form.created) + " séance(s) ajoutée(s) ; les autres dates sont refusées ci-dessous.";
        }
        load_sessions(offer_id);
        load_offers();
    };
    for (const PlannedSession& p : plan) {
        json body = {{"start_local", p.start_local},
                     {"duration_min", p.draft.duration_min},
                     {"capacity", p.draft.capacity},
                     {"max_per_booking", p.draft.max_per_booking.value_or(2)},
                     {"allocation", std::string(uneplace::to_code(p.draft.allocation))}};
        if (f.custom_close && p.draft.closes_at) body["closes_at"] = uneplace::format_utc(*p.draft.closes_at);
        if (p.draft.allocation == uneplace::AllocationMode::Ballot && p.draft.draw_at) body["draw_at"] = uneplace::format_utc(*p.draft.draw_at);
        const std::string when = uneplace::format_datetime_fr(territory, p.draft.start);
        api_request("POST", "/api/v1/offers/" + std::to_string(offer_id) + "/sessions", body.dump(),
                    [finish_one](const json&) {
                        ++g_partner.sessions_form.created;
                        finish_one();
                    },
                    [finish_one, when](const ApiError& e) {
                        g_partner.sessions_form.failures.push_back(when + " : " + e.message);
                        finish_one();
                    });
    }
}

// The day after the last date typed (or today), appended: a run of shows in a few clicks.
void append_next_date(SessionsForm& f, int days, const std::string& territory) {
    const auto dates = split_dates(f.dates);
    std::int64_t day = 0;
    bool have = false;
    if (!dates.empty()) {
        const auto parsed = uneplace::parse_rfc3339(iso_date(dates.back()) + "T00:00", "start_local");
        if (parsed.ok()) {
            day = uneplace::days_from_civil(parsed.value.civil.year, parsed.value.civil.month, parsed.value.civil.day) + days;
            have = true;
        }
    }
    if (!have) {
        const auto local = uneplace::to_local(territory, platform_now_unix());
        day = uneplace::days_from_civil(local.year, local.month, local.day) + days;
    }
    const uneplace::CivilDate d = uneplace::civil_from_days(day);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day, d.month, d.year);
    if (!f.dates.empty() && f.dates.back() != ' ' && f.dates.back() != ',') f.dates += ", ";
    f.dates += buf;
}

void show_sessions_form(const Offer& offer) {
    SessionsForm& f = g_partner.sessions_form;
    const Venue* venue = venue_by_id(offer.venue_id);
    const std::string territory = venue ? venue->territory : std::string("75");
    const UnixSeconds now = platform_now_unix();
    const auto plan = plan_sessions(f, territory, now);

    if (g_partner.scroll_to_sessions_form > 0) {
        ImGui::SetScrollHereY(0.0f);
        --g_partner.scroll_to_sessions_form;
    }
    ui_begin_card(680);
    ws_heading("Ajouter des séances");
    ui_text_colored(ui_color::muted, "Une date ou toute une série : même heure, mêmes places, sur plusieurs dates. "
                                     "Heure locale du lieu" + (venue ? " (" + venue->territory + " " +
                                     std::string(uneplace::departement_name(venue->territory)) + ")." : std::string(".")));
    ui_text_field("Dates (JJ/MM/AAAA, séparées par des virgules)", &f.dates, UiField_None, "ex. 05/12/2026, 06/12/2026");
    if (ImGui::SmallButton("+ le jour suivant")) append_next_date(f, 1, territory);
    ImGui::SameLine();
    if (ImGui::SmallButton("+ la semaine suivante")) append_next_date(f, 7, territory);
    ui_text_field("Heure de début (HH:MM)", &f.time, UiField_None, "20:30", 160);

    ImGui::BeginGroup();
    ws_int_field("Durée (minutes)", &f.duration_min, 150, 15);
    ImGui::EndGroup();
    ws_same_line(24);
    ImGui::BeginGroup();
    ws_int_field("Places offertes", &f.capacity, 150);
    ImGui::EndGroup();
    ws_same_line(24);
    ImGui::BeginGroup();
    ws_int_field("Places par réservation (au plus)", &f.max_per_booking, 150);
    ImGui::EndGroup();

    ImGui::Checkbox("Choisir la fermeture des réservations", &f.custom_close);
    if (f.custom_close) {
        ImGui::SameLine();
        ws_int_stepper("fermeture", &f.close_hours, 130);
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("heures avant le début");
    } else {
        ImGui::SameLine();
        ImGui::TextDisabled("(par défaut : la veille, 24 h avant)");
    }
    ImGui::TextUnformatted("Attribution des places");
    if (ImGui::RadioButton("Premier arrivé, premier servi", !f.ballot)) f.ballot = false;
    ImGui::SameLine(0, 24);
    if (ImGui::RadioButton("Tirage au sort (forte demande)", f.ballot)) f.ballot = true;
    if (f.ballot) {
        ImGui::TextUnformatted("Tirage au sort");
        ws_int_stepper("tirage", &f.draw_hours, 130);
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("heures avant le début");
        ui_text_colored(ui_color::muted, "Les demandes sont reçues jusqu’au tirage ; les personnes qui sortent le moins passent en premier.");
    }

    // What will be created, date by date, with the shared module's verdict.
    bool all_valid = !plan.empty();
    if (!plan.empty()) {
        ImGui::Spacing();
        ws_heading(plan.size() == 1 ? "Séance prévue" : ("Séances prévues (" + std::to_string(plan.size()) + ")").c_str());
        for (const PlannedSession& p : plan) {
            if (p.refusals.empty()) {
                std::string line = "✓ " + uneplace::format_datetime_fr(territory, p.draft.start);
                if (p.draft.closes_at) line += " — réservable jusqu’au " + uneplace::format_datetime_sentence_fr(territory, *p.draft.closes_at);
                if (p.draft.draw_at && f.ballot) line += ", tirage le " + uneplace::format_datetime_sentence_fr(territory, *p.draft.draw_at);
                ws_text_item_colored(ui_color::success, line);
            } else {
                all_valid = false;
                ws_text_item_colored(ui_color::danger, p.date_text + " : " + std::string(uneplace::message_fr(p.refusals.front().code)));
            }
        }
    }
    for (const std::string& failure : f.failures) ui_field_error(failure);
    const std::string label = plan.size() > 1 ? "Créer les " + std::to_string(plan.size()) + " séances###Créer les séances"
                                              : std::string("Créer la séance###Créer les séances");
    if (ui_primary_button(label.c_str(), all_valid && !f.busy)) create_sessions(offer.id, plan, territory);
    ImGui::SameLine();
    if (ui_secondary_button("Fermer##séances")) f = SessionsForm{};
    ui_end_card();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Sessions of an offer: capacity and cancellation
//-------------------------------------------------------------------------------------------------

void save_capacity() {
    CapacityEdit& c = g_partner.capacity;
    c.busy = true;
    c.error.reset();
    const long long offer_id = g_partner.selected_offer;
    api_request("PATCH", "/api/v1/sessions/" + std::to_string(c.session_id), json{{"capacity", c.capacity}}.dump(),
                [offer_id](const json&) {
                    g_partner.notice = "Capacité mise à jour : " + std::to_string(g_partner.capacity.capacity) +
                                       " places. Les personnes en liste d’attente sont servies automatiquement.";
                    g_partner.capacity = CapacityEdit{};
                    load_sessions(offer_id);
                },
                [](const ApiError& e) {
                    g_partner.capacity.busy = false;
                    g_partner.capacity.error = e;
                });
}

void cancel_session() {
    CancelConfirm& c = g_partner.cancel;
    c.busy = true;
    c.error.reset();
    const long long offer_id = g_partner.selected_offer;
    api_request("POST", "/api/v1/sessions/" + std::to_string(c.session_id) + "/cancel", "{}",
                [offer_id](const json&) {
                    g_partner.notice = "Séance annulée. Les réservations sont annulées et les travailleurs sociaux prévenus.";
                    g_partner.cancel = CancelConfirm{};
                    load_sessions(offer_id);
                },
                [](const ApiError& e) {
                    g_partner.cancel.busy = false;
                    g_partner.cancel.error = e;
                });
}

// The two dialogs of the sessions table, opened from its rows.
void show_session_dialogs() {
    PartnerState& s = g_partner;
    if (s.capacity.session_id && !ImGui::IsPopupOpen("Modifier la capacité")) ImGui::OpenPopup("Modifier la capacité");
    ImGui::SetNextWindowSize(ImVec2(460, 0));
    if (ImGui::BeginPopupModal("Modifier la capacité", nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_AlwaysAutoResize)) {
        CapacityEdit& c = s.capacity;
        ImGui::PushTextWrapPos(430);
        ImGui::Text("Places déjà réservées : %d. La capacité peut toujours augmenter ; elle ne descend pas sous les places réservées.",
                    c.places_held);
        ImGui::PopTextWrapPos();
        ws_int_field("Nouvelle capacité", &c.capacity, 200);
        const auto refusal = uneplace::check_capacity_change(c.capacity, c.places_held);
        if (refusal) ui_field_error(uneplace::message_fr(refusal->code));
        if (c.error) ui_field_error(c.error->message);
        if (ui_primary_button("Enregistrer la capacité", !refusal && !c.busy)) save_capacity();
        ImGui::SameLine();
        if (ui_secondary_button("Annuler##capacité")) {
            c = CapacityEdit{};
            ImGui::CloseCurrentPopup();
        }
        if (!s.capacity.session_id) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }

    if (s.cancel.session_id && !ImGui::IsPopupOpen("Annuler la séance ?")) ImGui::OpenPopup("Annuler la séance ?");
    ImGui::SetNextWindowSize(ImVec2(520, 0));
    if (ImGui::BeginPopupModal("Annuler la séance ?", nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_AlwaysAutoResize)) {
        CancelConfirm& c = s.cancel;
        ImGui::PushTextWrapPos(490);
        ImGui::PushFont(g_fonts.bold);
        ImGui::TextUnformatted(c.when.c_str());
        ImGui::PopFont();
        if (c.places_held > 0)
            ImGui::Text("%d place(s) sont réservées. Toutes les réservations seront annulées et chaque travailleur social "
                        "concerné sera prévenu. Cette action est définitive.", c.places_held);
        else
            ImGui::TextUnformatted("Aucune place n’est encore réservée. La séance disparaîtra du catalogue. Cette action est définitive.");
        ImGui::PopTextWrapPos();
        if (c.error) ui_field_error(c.error->message);
        if (ui_primary_button("Oui, annuler la séance", !c.busy)) cancel_session();
        ImGui::SameLine();
        if (ui_secondary_button("Garder la séance")) {
            c = CancelConfirm{};
            ImGui::CloseCurrentPopup();
        }
        if (!s.cancel.session_id) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

void show_sessions_table(AppState& app, const Offer& offer) {
    PartnerState& s = g_partner;
    const UnixSeconds now = platform_now_unix();
    if (s.sessions_error) ui_banner(s.sessions_error->message, ui_color::danger);
    if (s.sessions.empty()) {
        if (!s.sessions_loading) ui_text_colored(ui_color::muted, "Aucune séance pour cette offre : ajoutez une date ou une série de dates.");
        return;
    }
    if (ImGui::BeginTable("Séances de l’offre", 7, kWsTableFlags)) {
        ImGui::TableSetupColumn("Date (heure du lieu)", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Réservées", ImGuiTableColumnFlags_WidthStretch, 1.4f);
        ImGui::TableSetupColumn("Par résa.", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableSetupColumn("Réservable jusqu’au", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Attribution", ImGuiTableColumnFlags_WidthStretch, 2.4f);
        ImGui::TableSetupColumn("Statut", ImGuiTableColumnFlags_WidthFixed, 112);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 340);
        ImGui::TableHeadersRow();
        for (const SessionRow& row : s.sessions) {
            ImGui::PushID((int)row.id);
            ImGui::TableNextRow(0, 40);
            ImGui::PushTextWrapPos(0.0f);  // long dates wrap inside their column
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ws_text_item(ws_when(row.start, row.territory));
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%d / %d", row.places_held, row.capacity);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%d", row.max_per_booking);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_when(row.closes_at, row.territory).c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            if (row.allocation == "ballot")
                ImGui::TextUnformatted(("Tirage au sort le " + ws_when(row.draw_at, row.territory)).c_str());
            else
                ImGui::TextUnformatted("Premier arrivé");
            ImGui::PopTextWrapPos();
            ImGui::TableNextColumn();
            ws_badge(ws_session_status_label(row.status.empty() ? "scheduled" : row.status), ws_status_color(row.status.empty() ? "scheduled" : row.status));
            ImGui::TableNextColumn();
            if (ui_secondary_button("Liste des invités")) app_navigate(app, Route{Screen::PartnerSession, row.id});
            const bool scheduled = row.status != "cancelled";
            ImGui::SameLine();
            if (ui_secondary_button("Capacité", scheduled)) {
                s.capacity = CapacityEdit{row.id, row.capacity, row.places_held, false, std::nullopt};
            }
            ImGui::SameLine();
            const bool may_cancel = scheduled && !uneplace::check_session_cancellation(session_info(row), now);
            if (ui_secondary_button("Annuler", may_cancel)) {
                s.cancel = CancelConfirm{row.id, offer.title + " — " + ws_when(row.start, row.territory), row.places_held, false, std::nullopt};
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Offers screen
//-------------------------------------------------------------------------------------------------

bool may_submit(const Offer& o) {
    const auto from = uneplace::from_code<uneplace::OfferStatus>(o.status);
    return from && !uneplace::check_offer_transition(*from, uneplace::OfferStatus::Pending);
}

bool may_edit(const Offer& o) { return o.status == "draft" || o.status == "rejected"; }

void show_offer_detail(AppState& app, const Offer& offer) {
    PartnerState& s = g_partner;
    if (s.sessions_for != offer.id && !s.sessions_loading) load_sessions(offer.id);
    const Venue* venue = venue_by_id(offer.venue_id);
    ImGui::Spacing();
    ImGui::Separator();
    if (s.scroll_to_detail > 0 && s.scroll_to_sessions_form == 0) {
        ImGui::SetScrollHereY(0.0f);
        --s.scroll_to_detail;
    }
    ImGui::Spacing();
    ImGui::PushFont(g_fonts.title);
    ImGui::TextUnformatted(offer.title.c_str());
    ImGui::PopFont();
    ImGui::SameLine(0, 16);
    ws_badge(ws_offer_status_label(offer.status), ws_status_color(offer.status));
    ui_text_colored(ui_color::muted, ws_category_label(offer.category) + (venue ? "  ·  " + venue_label(*venue) : std::string()) +
                                         "  ·  " + ws_pickup_label(offer.pickup_mode) +
                                         (offer.min_age > 0 ? "  ·  dès " + std::to_string(offer.min_age) + " ans" : std::string()));
    // Messages about this offer show with it (the list above may be scrolled away).
    if (!s.notice.empty()) ui_banner(s.notice, ui_color::success);
    if (s.action_error) ui_banner(s.action_error->message, ui_color::danger);
    if (offer.status == "rejected" && !offer.reject_reason.empty())
        ui_banner("Refusée par l’association : " + offer.reject_reason + " Modifiez-la puis soumettez-la de nouveau.", ui_color::danger);
    if (offer.status == "pending")
        ui_banner("En attente de relecture par l’association. Vous pouvez déjà ajouter des séances : elles seront visibles à la publication.",
                  IM_COL32(176, 110, 0, 255));
    if (offer.status == "draft")
        ui_banner("Brouillon : ajoutez ses séances, puis soumettez l’offre à l’association pour qu’elle soit publiée.", ui_color::primary);

    if (may_edit(offer)) {
        if (ui_secondary_button("Modifier l’offre")) open_offer_form(&offer);
        ImGui::SameLine();
    }
    if (may_submit(offer)) {
        if (ui_primary_button("Soumettre à la modération")) submit_offer(offer.id);
        ImGui::SameLine();
    }
    if (!s.sessions_form.open && offer.status != "archived" && offer.status != "rejected") {
        if (ui_primary_button("Ajouter des séances")) {
            s.sessions_form = SessionsForm{};
            s.sessions_form.open = true;
            s.scroll_to_sessions_form = 3;
            s.notice.clear();
        }
    }
    ImGui::NewLine();
    if (s.sessions_form.open) show_sessions_form(offer);
    show_sessions_table(app, offer);
}

void show_offers_screen(AppState& app) {
    PartnerState& s = g_partner;
    if (!s.offers_loaded && !s.offers_loading) load_offers();
    if (!s.venues_loaded && !s.venues_loading) load_venues();
    screen_title("Mes offres", "Vos invitations : brouillons, offres en relecture et publiées, avec leurs séances.");
    const Offer* selected = offer_by_id(s.selected_offer);
    if (!selected && !s.notice.empty()) ui_banner(s.notice, ui_color::success);
    if (s.offers_error) ui_banner(s.offers_error->message, ui_color::danger);
    if (!selected && s.action_error) ui_banner(s.action_error->message, ui_color::danger);

    if (s.offer_form.open) {
        show_offer_form();
        ImGui::Spacing();
    } else if (ui_primary_button("Proposer une offre")) {
        open_offer_form(nullptr);
    }
    if (s.venues_loaded && s.venues.empty() && !s.offer_form.open) {
        ImGui::SameLine();
        if (ui_secondary_button("Ajouter d’abord un lieu")) {
            s.venue_form = VenueForm{};
            s.venue_form.open = true;
            app_navigate(app, Route{Screen::PartnerVenues, 0});
        }
    }
    ImGui::Spacing();

    if (ImGui::BeginTable("Offres", 5, kWsTableFlags)) {
        ImGui::TableSetupColumn("Offre", ImGuiTableColumnFlags_WidthStretch, 5);
        ImGui::TableSetupColumn("Catégorie", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Lieu", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Statut", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Séances", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableHeadersRow();
        for (const Offer& o : s.offers) {
            ImGui::PushID((int)o.id);
            ImGui::TableNextRow(0, 36);
            ImGui::TableNextColumn();
            // The whole row selects the offer; its sessions show underneath.
            if (ws_row_selectable(o.title.c_str(), s.selected_offer == o.id, ImGuiSelectableFlags_SpanAllColumns)) {
                s.selected_offer = o.id;
                s.scroll_to_detail = 3;
                s.sessions_form = SessionsForm{};
                s.notice.clear();
                s.action_error.reset();
            }
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_category_label(o.category).c_str());
            ImGui::TableNextColumn();
            const Venue* v = venue_by_id(o.venue_id);
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(v ? v->name.c_str() : "—");
            ImGui::TableNextColumn();
            ws_badge(ws_offer_status_label(o.status), ws_status_color(o.status));
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            if (o.sessions_count >= 0) ImGui::Text("%d", o.sessions_count);
            else ImGui::TextDisabled("—");
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (s.offers_loaded && s.offers.empty() && !s.offers_error)
        ui_text_colored(ui_color::muted, "Aucune offre pour le moment. Proposez votre premier spectacle, votre première visite ou activité.");

    selected = offer_by_id(s.selected_offer);
    if (selected) show_offer_detail(app, *selected);
    else if (!s.offers.empty()) ui_text_colored(ui_color::muted, "Choisissez une offre pour voir et ajouter ses séances.");
    show_session_dialogs();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Guest list and check-in
//-------------------------------------------------------------------------------------------------

const Guest* guest_by_code(const std::string& canonical) {
    for (const Guest& g : g_partner.guests.guests)
        if (g.code == canonical) return &g;
    return nullptr;
}

// Sends one check-in; the server decides (window K2, already recorded, count ≤ places).
void send_checkin(const std::string& canonical_code, std::optional<int> attended_count) {
    GuestListState& g = g_partner.guests;
    json body = {{"code", canonical_code}};
    if (attended_count) body["attended_count"] = *attended_count;
    else body["no_show"] = true;
    g.busy = true;
    g.checkin_error.reset();
    g.notice.clear();
    const long long session_id = g.session_id;
    const Guest* known = guest_by_code(canonical_code);
    const std::string who = known ? known->guest : canonical_code;
    api_request("POST", "/api/v1/sessions/" + std::to_string(session_id) + "/checkin", body.dump(),
                [session_id, who, attended_count](const json&) {
                    GuestListState& st = g_partner.guests;
                    st.busy = false;
                    if (attended_count)
                        st.notice = "Présence enregistrée : " + who + ", " + std::to_string(*attended_count) +
                                    (*attended_count > 1 ? " personnes." : " personne.");
                    else
                        st.notice = "Absence enregistrée : " + who + ".";
                    st.code.clear();
                    st.code_submitted = false;
                    if (st.session_id == session_id) load_guests(session_id);
                },
                [](const ApiError& e) {
                    g_partner.guests.busy = false;
                    g_partner.guests.checkin_error = e;
                });
}

// Number of Crockford symbols typed (hyphens and spaces do not count), to hold back the code's
// refusal until the partner has typed a whole code.
int symbols_typed(const std::string& text) {
    int n = 0;
    for (char c : text)
        if (c != '-' && c != ' ' && c != '\t') ++n;
    return n;
}

void show_checkin_card(const SessionRow* session) {
    GuestListState& g = g_partner.guests;
    const auto parsed = uneplace::parse_booking_code(g.code);
    const Guest* match = parsed.ok() ? guest_by_code(parsed.value) : nullptr;

    ui_begin_card(420);
    ws_heading("Pointer un invité par son code");
    if (ui_text_field("Code de réservation", &g.code, UiField_EnterSubmits, "XXXX-XXXX")) g.code_submitted = true;
    if (ImGui::IsItemEdited()) {
        g.checkin_error.reset();
        g.notice.clear();
        if (const auto p = uneplace::parse_booking_code(g.code); p.ok())
            if (const Guest* m = guest_by_code(p.value)) g.count = m->places;
    }
    const bool show_refusal = !parsed.ok() && !g.code.empty() && (g.code_submitted || symbols_typed(g.code) >= 8);
    if (show_refusal) ui_field_error(uneplace::message_fr(parsed.refusal->code));
    if (match) {
        ui_text_colored(ui_color::muted, match->guest + " — " + match->structure + " — " + std::to_string(match->places) +
                                             (match->places > 1 ? " places" : " place") + " — " + ws_booking_status_label(match->status));
    }
    ws_int_field("Personnes présentes", &g.count, 160);
    if (g.count < 1) g.count = 1;
    if (match && g.count > match->places) ui_field_error(uneplace::message_fr("attended_count_out_of_range"));
    if (g.checkin_error) ui_banner(g.checkin_error->message, ui_color::danger);

    // The check symbol catches a mistyped code here: nothing is sent.
    auto try_send = [&](std::optional<int> count) {
        g.code_submitted = true;
        const auto code = uneplace::parse_booking_code(g.code);
        if (!code.ok()) return;
        send_checkin(code.value, count);
    };
    if (ui_primary_button("Enregistrer la présence", !g.busy && !g.code.empty())) try_send(g.count);
    ImGui::SameLine();
    if (ui_secondary_button("Noter absent", !g.busy && !g.code.empty())) try_send(std::nullopt);
    if (session && !uneplace::attendance_window_open(session_info(*session), platform_now_unix())) {
        const UnixSeconds start = ws_instant(session->start);
        const UnixSeconds opens = start - uneplace::limits::kAttendanceOpensBeforeStart;
        ui_text_colored(ui_color::muted, platform_now_unix() < opens
                                             ? "Le pointage ouvre le " + uneplace::format_datetime_sentence_fr(session->territory, opens) +
                                                   " (2 h avant le début)."
                                             : std::string("Le pointage de cette séance est clos (7 jours après le début)."));
    }
    ui_end_card();
}

std::string guest_list_csv(const SessionRow* session) {
    // P2: the guest is the server's "Amina K." (first name and initial); nothing else about a person.
    std::string csv;
    if (session) csv += csv_line({"Séance", session->title, ws_when(session->start, session->territory)});
    csv += csv_line({"Code", "Places", "Invité", "Structure", "Statut", "Présents"});
    for (const Guest& g : g_partner.guests.guests)
        csv += csv_line({g.code, std::to_string(g.places), g.guest, g.structure, ws_booking_status_label(g.status),
                         g.status == "attended" ? std::to_string(g.attended_count) : std::string()});
    return csv;
}

void show_guest_list_screen(AppState& app) {
    GuestListState& g = g_partner.guests;
    const long long id = app.route.id;
    if (g.session_id != id) {
        g = GuestListState{};
        g.session_id = id;
        load_guest_session(id);
        load_guests(id);
    }
    if (ImGui::SmallButton("← Retour à mes offres")) {
        if (g.session && g.session->offer_id) g_partner.selected_offer = g.session->offer_id;
        g_partner.scroll_to_detail = 3;
        g_partner.notice.clear();
        app_navigate(app, Route{Screen::PartnerOffers, 0});
    }
    ImGui::Spacing();
    const SessionRow* session = g.session ? &*g.session : nullptr;
    if (g.session_error) {
        ui_banner(g.session_error->code == "not_found" ? "Cette séance n’existe pas ou n’est pas la vôtre." : g.session_error->message,
                  ui_color::danger);
        return;
    }
    // The subtitle line is always there, so nothing moves when the session arrives.
    const std::string subtitle = session ? ws_when(session->start, session->territory) +
                                               (session->venue_name.empty() ? "" : "  ·  " + session->venue_name)
                                         : std::string("Chargement de la séance…");
    screen_title(session ? session->title.c_str() : "Liste des invités", subtitle.c_str());
    if (session && session->status == "cancelled") ui_banner("Cette séance est annulée.", ui_color::danger);
    if (!g.notice.empty()) ui_banner(g.notice, ui_color::success);

    // Figures of the list (counting rows, not a rule).
    int bookings = 0, places = 0, attended = 0, no_show = 0, unknown = 0;
    for (const Guest& guest : g.guests) {
        if (guest.status == "cancelled" || guest.status == "late_cancelled") continue;
        ++bookings;
        places += guest.places;
        if (guest.status == "attended") attended += guest.attended_count;
        else if (guest.status == "no_show") ++no_show;
        else ++unknown;
    }

    const float avail = ImGui::GetContentRegionAvail().x;
    const bool side_by_side = avail > 1000;
    // The check-in card and, beside it on wide screens (under it otherwise), the list's figures.
    const ImVec2 card_pos = ImGui::GetCursorScreenPos();
    show_checkin_card(session);
    const float card_bottom = ImGui::GetCursorScreenPos().y;
    if (side_by_side) ImGui::SetCursorScreenPos(ImVec2(card_pos.x + 420 + 2 * 28 + 32, card_pos.y));
    ImGui::BeginGroup();
    const float tile = 150;
    const float group_right = card_pos.x + avail;
    bool first_tile = true;
    auto tile_at = [&](const char* caption, int value, ImU32 color) {
        // Tiles flow on one line and wrap when the next would not fit.
        if (!first_tile) {
            ImGui::SameLine();
            if (ImGui::GetCursorScreenPos().x + tile > group_right) ImGui::NewLine();
        }
        first_tile = false;
        ws_figure_tile(caption, std::to_string(value), tile, color);
    };
    tile_at("Réservations", bookings, 0);
    tile_at("Places réservées", places, 0);
    tile_at("Personnes venues", attended, ui_color::success);
    tile_at("Absents", no_show, no_show ? ui_color::danger : 0);
    tile_at("Non pointées", unknown, 0);
    if (session) ui_text_colored(ui_color::muted, "Capacité : " + std::to_string(session->capacity) + " places, " +
                                                      std::to_string(session->places_held) + " réservées.");
    ImGui::EndGroup();
    if (side_by_side && ImGui::GetCursorScreenPos().y < card_bottom) {
        ImGui::SetCursorScreenPos(ImVec2(card_pos.x, card_bottom));
        ImGui::Dummy(ImVec2(0, 0));
    }

    ImGui::Spacing();
    ImGui::AlignTextToFramePadding();
    ws_heading("Liste des invités");
    ImGui::SameLine(0, 24);
    if (ui_secondary_button("Exporter la liste (CSV)", !g.guests.empty())) {
        const bool downloaded = ws_download("invites-seance-" + std::to_string(id) + ".csv", "text/csv;charset=utf-8", guest_list_csv(session));
        g.notice = downloaded ? "Liste exportée (prénom et initiale du nom seulement)."
                              : "Liste copiée dans le presse-papiers au format CSV (prénom et initiale du nom seulement) : collez-la dans un tableur.";
    }
    ImGui::SameLine();
    if (ui_secondary_button("Actualiser")) load_guests(id);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(280);
    ImGui::InputTextWithHint("##Rechercher un invité", "Rechercher : nom, code, structure", &g.search);
    registry_set_value(ImGui::GetItemID(), g.search);
    if (g.error) ui_banner(g.error->message, ui_color::danger);

    if (ImGui::BeginTable("Invités", 7, kWsTableFlags)) {
        ImGui::TableSetupColumn("Présent", ImGuiTableColumnFlags_WidthFixed, 70);
        ImGui::TableSetupColumn("Code", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Invité", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Structure", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Places", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableSetupColumn("Personnes venues", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Statut", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableHeadersRow();
        for (Guest& guest : g.guests) {
            if (!g.search.empty() && !matches_search(guest.code + " " + guest.guest + " " + guest.structure, g.search)) continue;
            ImGui::PushID((int)guest.booking_id);
            ImGui::TableNextRow(0, 38);
            const bool open = guest.status == "confirmed";
            ImGui::TableNextColumn();
            // Ticking a row records the people typed in the row (all the places by default).
            bool ticked = guest.status == "attended";
            const std::string tick = "##Présent " + guest.code;
            if (!open || g.busy) ImGui::BeginDisabled();
            if (ImGui::Checkbox(tick.c_str(), &ticked) && ticked && open) send_checkin(guest.code, guest.count_input);
            if (!open || g.busy) ImGui::EndDisabled();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::PushFont(g_fonts.bold);
            ws_text_item(guest.code);
            ImGui::PopFont();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ws_text_item(guest.guest);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(guest.structure.c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%d", guest.places);
            ImGui::TableNextColumn();
            if (open) {
                const std::string count_id = "Personnes venues " + guest.code;
                ws_int_stepper(count_id.c_str(), &guest.count_input, 110);
                guest.count_input = std::clamp(guest.count_input, 1, guest.places);
            } else {
                ImGui::AlignTextToFramePadding();
                if (guest.status == "attended") ImGui::Text("%d", guest.attended_count);
                else ImGui::TextDisabled("—");
            }
            ImGui::TableNextColumn();
            ws_badge(ws_booking_status_label(guest.status), ws_status_color(guest.status));
            if (open) {
                ImGui::SameLine();
                const std::string absent = "Absent###Absent " + guest.code;
                if (ImGui::SmallButton(absent.c_str()) && !g.busy) send_checkin(guest.code, std::nullopt);
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (g.loaded && g.guests.empty() && !g.error) ui_text_colored(ui_color::muted, "Aucune réservation pour cette séance pour le moment.");
}

}  // namespace

//-------------------------------------------------------------------------------------------------
// [SECTION] Entry point
//-------------------------------------------------------------------------------------------------

void show_partner_screen(AppState& app) {
    // The workspace's data belongs to the user who loaded it: another login starts afresh.
    const long long user_id = g_api_session.user ? g_api_session.user->id : 0;
    if (g_partner.user_id != user_id) {
        g_partner = PartnerState{};
        g_partner.user_id = user_id;
    }
    switch (app.route.screen) {
        case Screen::PartnerVenues: show_venues_screen(); break;
        case Screen::PartnerSession: show_guest_list_screen(app); break;
        default: show_offers_screen(app); break;
    }
}
