// uneplace client — "Territoires": the booking rules of a département (or the national row),
// checked as the administrator types by the shared validate_settings(), which the server runs too.
// Before saving, "Simuler l’effet" asks the server to replay the département's last 12 months
// under the settings as typed (and a reminder delay) and shows current vs proposed figures; the
// simulation saves nothing (issue 17, part 3).
//
// Index of this file:
// [SECTION] Territory settings
// [SECTION] What-if
// [SECTION] Screen
#include <algorithm>
#include <cmath>
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
#include "uneplace/impact.hpp"
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
    // What-if: the settings and reminder delay last simulated, and the answer.
    int reminder_hours = 72;  // M2 is not a setting yet: the scheduler's 72 h, to try others
    bool simulating = false;
    std::optional<WhatIf> what_if;
    uneplace::TerritorySettings simulated;
    int simulated_reminder_hours = 0;
    std::string simulated_for;
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

//-------------------------------------------------------------------------------------------------
// [SECTION] What-if
//-------------------------------------------------------------------------------------------------

void simulate() {
    SettingsState& s = g_settings;
    s.simulating = true;
    s.error.reset();
    s.simulated = s.edited;
    s.simulated_reminder_hours = s.reminder_hours;
    s.simulated_for = s.territory;
    const std::string territory = s.territory;
    api_settings_what_if(
        territory, s.edited, s.reminder_hours,
        [territory](WhatIf w) {
            SettingsState& st = g_settings;
            if (st.simulated_for != territory) return;
            st.simulating = false;
            st.what_if = std::move(w);
        },
        [](const ApiError& e) {
            g_settings.simulating = false;
            g_settings.error = e;
        });
}

std::string ratio_fr(double ratio) { return uneplace::format_permille_fr((int)std::lround(ratio * 1000)); }

// "+5,0 points", "−1,2 point", "=" for a ratio's change.
std::string points_fr(double current, double proposed) {
    const int d = (int)std::lround(proposed * 1000) - (int)std::lround(current * 1000);
    if (d == 0) return "=";
    const int a = d < 0 ? -d : d;
    return std::string(d > 0 ? "+" : "−") + uneplace::format_tenths_fr(a) + (a > 10 ? " points" : " point");
}
std::string change_fr(long long current, long long proposed) {
    const long long d = proposed - current;
    if (d == 0) return "=";
    return std::string(d > 0 ? "+" : "−") + uneplace::format_count_fr(d < 0 ? -d : d);
}

// Current vs proposed, one row a figure, in a small table whose cells the tests can read.
void show_what_if(const WhatIf& w) {
    const WhatIfFigures &c = w.current, &p = w.proposed;
    ui_paragraph(w.summary, 720);
    if (w.sessions == 0) return;
    if (!ImGui::BeginTable("simulation", 4, kWsTableFlags, ImVec2(720, 0))) return;
    ImGui::TableSetupColumn("Sur les 12 derniers mois", ImGuiTableColumnFlags_WidthStretch, 2.2f);
    ImGui::TableSetupColumn("Réglages actuels", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Réglages proposés", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Écart", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    auto row = [](const char* label, const std::string& cur, const std::string& pro, const std::string& diff) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ws_text_item(label);
        ImGui::TableNextColumn();
        ws_text_item(cur);
        ImGui::TableNextColumn();
        ws_text_item(pro);
        ImGui::TableNextColumn();
        ws_text_item(diff);
    };
    using uneplace::format_count_fr;
    // The header row drawn as cells (TableHeadersRow() would not name them in the widget registry).
    ImGui::PushFont(g_fonts.bold);
    row("Sur les 12 derniers mois", "Réglages actuels", "Réglages proposés", "Écart");
    ImGui::PopFont();
    row("Taux d’utilisation (venues ÷ offertes)", ratio_fr(c.usage_ratio), ratio_fr(p.usage_ratio),
        points_fr(c.usage_ratio, p.usage_ratio));
    row("Personnes venues", format_count_fr(c.people_attended), format_count_fr(p.people_attended),
        change_fr(c.people_attended, p.people_attended));
    row("Places perdues", format_count_fr(c.places_wasted), format_count_fr(p.places_wasted),
        change_fr(c.places_wasted, p.places_wasted));
    row("Premières sorties (part des bénéficiaires)", ratio_fr(c.first_timer_share), ratio_fr(p.first_timer_share),
        points_fr(c.first_timer_share, p.first_timer_share));
    row("Places des plus grandes structures", ratio_fr(c.largest_structures_share),
        ratio_fr(p.largest_structures_share), points_fr(c.largest_structures_share, p.largest_structures_share));
    ImGui::EndTable();
    auto count = [](long long n, const char* one, const char* many) {
        return uneplace::format_count_fr(n) + " " + (n <= 1 ? one : many);
    };
    ImGui::TextDisabled(
        "%s", ("Une simulation sur " + count(w.sessions, "séance", "séances") + " et " +
               count(w.requests, "demande réelle", "demandes réelles") + " du département : rien n’est enregistré.")
                  .c_str());
}

}  // namespace

void reset_admin_settings(Reset what) {
    SettingsState& s = g_settings;
    if (what == Reset::Everything) s = SettingsState{};
    else if (s.error && !s.busy) s.loaded_for.clear(), s.error.reset();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Screen
//-------------------------------------------------------------------------------------------------

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

    // What-if: the same settings, replayed on the département's last 12 months before saving.
    ImGui::Spacing();
    ui_begin_card(2 * col + 24);
    ws_heading("Simuler l’effet avant d’enregistrer");
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 2 * col);
    ImGui::TextDisabled("%s", "Les demandes réelles des 12 derniers mois sont rejouées avec les réglages actuels, "
                              "puis avec ceux saisis ci-dessus : part d’une structure, levée, pauses… et le délai du "
                              "rappel envoyé avant la sortie.");
    ImGui::PopTextWrapPos();
    ws_int_field("Rappel avant la sortie (heures)", &s.reminder_hours, 200);
    const bool reminder_ok = s.reminder_hours >= 25 && s.reminder_hours <= 720;
    if (!reminder_ok) ui_field_error("Entre 25 et 720 heures : le rappel part avant la fermeture des réservations.");
    const bool national = s.territory == "*";
    if (ui_primary_button(s.simulating ? "Simulation en cours…###Simuler l’effet" : "Simuler l’effet###Simuler l’effet",
                          !national && refusals.empty() && reminder_ok && !s.simulating && !s.loading))
        simulate();
    if (national) {
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("Choisissez un département pour simuler.");
    }
    if (s.what_if && s.simulated_for == s.territory) {
        if (!(s.simulated == s.edited) || s.simulated_reminder_hours != s.reminder_hours)
            ui_field_error("Réglages modifiés depuis la simulation : simulez à nouveau.");
        show_what_if(*s.what_if);
    }
    ui_end_card();
}
