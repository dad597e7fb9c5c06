// uneplace client — "Mes lieux": the partner's venues, and the form adding one (checked as the
// partner types by the shared validate_venue(), which the server runs too).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/calls.hpp"
#include "data/data.hpp"
#include "data/precheck.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // ImGui::GetItemID()
#include "imgui_stdlib.h"
#include "platform.hpp"
#include "screens/screens.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "widget_registry.hpp"
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

struct VenueForm {
    bool open = false;
    uneplace::VenueDraft draft;
    std::string city;
    std::string visited;
    bool busy = false;
    std::optional<ApiError> error;
    std::string idempotency_key;  // a venue is created once, even if the answer is lost
};

// The list itself is shared data (g_partner_data.venues): the offers screen reads it too.
struct VenuesState {
    VenueForm form;
    std::string notice;
    double notice_at = 0;
};
VenuesState g_venues;

//-------------------------------------------------------------------------------------------------
// [SECTION] Venues
//-------------------------------------------------------------------------------------------------

void save_venue() {
    VenueForm& f = g_venues.form;
    uneplace::VenueDraft d = f.draft;
    uneplace::validate_venue(d);  // trims in place, as the server will
    json body = {{"name", d.name},
                 {"address", d.address},
                 {"postal_code", d.postal_code},
                 {"territory", d.territory},
                 {"accessibility", accessibility_to_json(d.accessibility)}};
    const std::string city = std::string(uneplace::trim(f.city));
    if (!city.empty()) body["city"] = city;
    f.busy = true;
    f.error.reset();
    if (f.idempotency_key.empty()) f.idempotency_key = api_new_idempotency_key();
    api_create_venue(
        body, f.idempotency_key,
        [](Venue v) {
            VenuesState& st = g_venues;
            st.notice = "Lieu ajouté : " + v.name + ".";
            st.notice_at = 0;
            st.form = VenueForm{};
            g_partner_data.venues.invalidate();
        },
        [](const ApiError& e) {
            g_venues.form.busy = false;
            g_venues.form.error = e;
            if (e.status != 0) g_venues.form.idempotency_key.clear();
        });
}

void show_venue_form() {
    VenueForm& f = g_venues.form;
    uneplace::VenueDraft checked = f.draft;
    const auto refusals = uneplace::validate_venue(checked);

    ui_begin_card(600);
    ws_heading("Ajouter un lieu");
    ui_text_colored(ui_color::muted,
                    "L’adresse où les personnes se présentent. Le département fixe l’heure locale des séances.");
    auto field = [&](const char* caption, std::string* value, const char* name, const char* hint = nullptr) {
        ui_text_field(caption, value, UiField_None, hint);
        if (ImGui::IsItemDeactivated() && f.visited.find(name) == std::string::npos)
            f.visited += std::string(name) + " ";
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
    if (!f.draft.postal_code.empty() || f.visited.find("postal_code") != std::string::npos)
        ui_field_error(ws_error_for(refusals, "postal_code"));
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

}  // namespace

void reset_partner_venues(Reset what) {
    if (what == Reset::Everything) g_venues = VenuesState{};
}

void draw_partner_venues(Ctx&) {
    VenuesState& s = g_venues;
    const Remote<std::vector<Venue>>& venues = g_partner_data.venues;
    data_need_venues();
    // "Ajouter d’abord un lieu" from the offers screen: the form opens here.
    if (g_partner_data.open_venue_form) {
        g_partner_data.open_venue_form = false;
        s.form = VenueForm{};
        s.form.open = true;
    }
    screen_title("Mes lieux", "Les salles, musées et terrains où vos invités sont accueillis.");
    ui_notice(s.notice, s.notice_at);
    if (venues.error) ui_banner(venues.error->message, ui_color::danger);

    if (s.form.open) {
        show_venue_form();
    } else if (ui_primary_button("Ajouter un lieu")) {
        s.form = VenueForm{};
        s.form.open = true;
        s.notice.clear();
    }
    ImGui::Spacing();
    if (ImGui::BeginTable("Lieux", 4, kWsTableFlags)) {
        ImGui::TableSetupColumn("Lieu", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Adresse", ImGuiTableColumnFlags_WidthStretch, 4);
        ImGui::TableSetupColumn("Département", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Accessibilité", ImGuiTableColumnFlags_WidthStretch, 4);
        ImGui::TableHeadersRow();
        for (const Venue& v : remote_or_empty(venues)) {
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
    if (venues.ready() && venues.value->empty() && !venues.error)
        ui_text_colored(
            ui_color::muted,
            "Aucun lieu pour le moment : ajoutez celui où vos invités seront accueillis, puis proposez une offre.");
}
