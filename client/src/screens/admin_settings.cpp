// uneplace client — "Territoires": the booking rules of a département (or the national row),
// checked as the administrator types by the shared validate_settings(), which the server runs too.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/calls.hpp"
#include "data/data.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // ImGui::GetItemID()
#include "imgui_stdlib.h"
#include "screens/screens.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "widget_registry.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/validation.hpp"

using nlohmann::json;

namespace {

struct SettingsState {
    std::string territory = "*";
    std::string loaded_for;
    bool loading = false;
    uneplace::TerritorySettings saved;
    uneplace::TerritorySettings edited;
    std::optional<ApiError> error;
    bool busy = false;
    std::string notice;
    double notice_at = 0;
};
SettingsState g_settings;

//-------------------------------------------------------------------------------------------------
// [SECTION] Territory settings
//-------------------------------------------------------------------------------------------------

void load_settings(const std::string& territory) {
    SettingsState& s = g_settings;
    s.loaded_for = territory;
    s.loading = true;
    s.error.reset();
    api_settings(
        territory,
        [territory](uneplace::TerritorySettings settings) {
            SettingsState& st = g_settings;
            if (st.loaded_for != territory) return;
            st.loading = false;
            st.saved = st.edited = settings;
        },
        [territory](const ApiError& e) {
            SettingsState& st = g_settings;
            if (st.loaded_for != territory) return;
            st.loading = false;
            st.error = e;
        });
}

void save_settings() {
    SettingsState& s = g_settings;
    s.busy = true;
    s.error.reset();
    s.notice.clear();
    const std::string territory = s.territory;
    api_save_settings(
        territory, s.edited,
        [territory](uneplace::TerritorySettings settings) {
            SettingsState& st = g_settings;
            st.busy = false;
            st.saved = st.edited = settings;
            st.notice = territory == "*" ? std::string("Réglages nationaux enregistrés.")
                                         : "Réglages enregistrés pour " + territory + " " +
                                               std::string(uneplace::departement_name(territory)) + ".";
            st.notice_at = 0;
        },
        [](const ApiError& e) {
            g_settings.busy = false;
            g_settings.error = e;
        });
}

}  // namespace

void reset_admin_settings(Reset what) {
    SettingsState& s = g_settings;
    if (what == Reset::Everything) s = SettingsState{};
    else if (s.error && !s.busy) s.loaded_for.clear(), s.error.reset();
}

void draw_admin_settings(Ctx&) {
    SettingsState& s = g_settings;
    if (s.loaded_for != s.territory) load_settings(s.territory);
    screen_title(
        "Territoires",
        "Les règles de réservation d’un département. Sans réglage propre, un département suit les réglages nationaux.");
    if (s.error) ui_banner(s.error->message, ui_color::danger);

    ws_territory_combo("Territoire", &s.territory, nullptr, 360, "Réglages nationaux (par défaut)");
    ImGui::Spacing();
    const auto refusals = uneplace::validate_settings(s.edited);
    uneplace::TerritorySettings& e = s.edited;

    const float col = 420;
    auto setting = [&](const char* caption, int* value, const char* field, const char* help) {
        ws_int_field(caption, value, 200);
        ui_field_error(ws_error_for(refusals, field));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + col - 20);
        ImGui::TextDisabled("%s", help);
        ImGui::PopTextWrapPos();
        ImGui::Spacing();
    };

    ui_begin_card(2 * col + 24);
    ImGui::Columns(2, "réglages", false);
    ImGui::SetColumnWidth(0, col + 24);
    ws_heading("Partage équitable des places");
    setting("Part maximale d’une structure (%)", &e.share_percent, "share_percent",
            "Jusqu’à la levée, une structure réserve au plus cette part des places d’une séance (R4).");
    setting("Levée du plafond (heures avant la fermeture)", &e.release_hours_before_close, "release_hours_before_close",
            "Ensuite, toutes les places restantes sont ouvertes à tous : aucune place perdue.");
    setting("Réservations à venir par personne", &e.max_upcoming_bookings, "max_upcoming_bookings",
            "Nombre de sorties à venir qu’une personne peut avoir en même temps (R7).");
    ws_heading("Séances (valeurs par défaut)");
    setting("Places par réservation", &e.default_max_per_booking, "default_max_per_booking",
            "La personne et ses accompagnants, quand le partenaire ne précise rien.");
    setting("Fermeture des réservations (heures avant le début)", &e.default_close_hours_before_start,
            "default_close_hours_before_start", "Au plus tard 2 h avant le début.");
    ImGui::NextColumn();
    ws_heading("Absences et pause");
    setting("Absences non excusées avant une pause", &e.no_show_limit, "no_show_limit",
            "Au-delà, la personne ne peut plus réserver pendant la pause (R8) ; un administrateur peut la lever.");
    setting("Période comptée (jours)", &e.no_show_window_days, "no_show_window_days",
            "Les absences plus anciennes ne comptent plus.");
    setting("Durée de la pause (jours)", &e.pause_days, "pause_days", "0 : pas de pause.");
    ws_heading("Données personnelles");
    setting("Effacement (mois après la dernière réservation)", &e.erase_after_months, "erase_after_months",
            "Nom, prénom et coordonnées sont effacés ; seule une référence anonyme reste pour les statistiques (P1).");
    ImGui::Columns(1);
    const bool changed = !(s.edited == s.saved);
    if (ui_primary_button("Enregistrer les réglages", refusals.empty() && changed && !s.busy && !s.loading))
        save_settings();
    ImGui::SameLine();
    if (ui_secondary_button("Annuler les modifications", changed)) s.edited = s.saved;
    ImGui::SameLine();
    if (ui_secondary_button("Valeurs du programme")) s.edited = uneplace::TerritorySettings{};
    // Beside the button that saved them, where the administrator is looking (the top of the
    // screen is scrolled away on a laptop).
    ui_notice(s.notice, s.notice_at);
    ui_end_card();
}
