// uneplace client — "Validations", where an administrator lands: what waits for a decision of the
// association — organisations signed up, users added, offers submitted — with approve, refuse or
// suspend (admin_decisions.hpp) and an offer's preview with its sessions.
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
#include "screens/admin_decisions.hpp"
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

struct QueuesState {
    Remote<std::vector<Organisation>> organisations;
    Remote<std::vector<OfferRow>> offers;
    long long preview_offer = 0;
    std::vector<SessionRow> preview_sessions;
    long long preview_loaded_for = 0;
    int tab = 0;              // tab to select on the next frame (-1: leave as is)
    int decisions_seen = -1;  // g_admin_data.decisions the lists answer
};
QueuesState g_queues;

void load_queues() {
    QueuesState& q = g_queues;
    q.decisions_seen = g_admin_data.decisions;
    remote_load(q.organisations, [](auto ok, auto fail) { api_organisations("pending", ok, fail); });
    remote_load(q.offers, [](auto ok, auto fail) { api_offer_rows("pending", ok, fail); });
    data_load_admin_users();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Approval queues
//-------------------------------------------------------------------------------------------------

template <class T>
void list_status(const Remote<std::vector<T>>& list, const char* empty_text) {
    if (list.error) ui_banner(list.error->message, ui_color::danger);
    else if (list.ready() && remote_or_empty(list).empty()) ui_text_colored(ui_color::muted, empty_text);
}

void show_organisation_queue() {
    const auto& list = g_queues.organisations;
    ui_text_colored(ui_color::muted,
                    "Partenaires culturels et structures sociales inscrits depuis la page de connexion. "
                    "L’approbation active aussi la personne de contact.");
    if (!remote_or_empty(list).empty() && ImGui::BeginTable("File des organisations", 5, kWsTableFlags)) {
        ImGui::TableSetupColumn("Organisation", ImGuiTableColumnFlags_WidthStretch, 4);
        ImGui::TableSetupColumn("Type", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Département", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Demande du", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 330);
        ImGui::TableHeadersRow();
        for (const Organisation& o : remote_or_empty(list)) {
            ImGui::PushID((int)o.id);
            ImGui::TableNextRow(0, 40);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ws_text_item(o.name);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_kind_label(o.kind).c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%s %s", o.territory.c_str(), std::string(uneplace::departement_name(o.territory)).c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_date(o.created_at).c_str());
            ImGui::TableNextColumn();
            if (ui_primary_button("Approuver"))
                run_action("organisations", o.id, "approve", json::object(),
                           "Organisation approuvée : " + o.name + ".");
            ImGui::SameLine();
            if (ui_secondary_button("Refuser")) open_reason("organisations", "suspend", "Refuser", o.id, o.name);
            ImGui::SameLine();
            if (ui_secondary_button("Suspendre")) open_reason("organisations", "suspend", "Suspendre", o.id, o.name);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    list_status(list, "Aucune organisation en attente.");
}

void show_user_queue() {
    const AdminUsers& all = g_admin_data.users;
    std::vector<const UserRow*> pending;
    for (const UserRow& u : all.items)
        if (u.status == "pending") pending.push_back(&u);
    ui_text_colored(ui_color::muted,
                    "Personnes ajoutées par une organisation déjà active (collègues d’un relais ou d’un partenaire).");
    if (!pending.empty() && ImGui::BeginTable("File des utilisateurs", 5, kWsTableFlags)) {
        ImGui::TableSetupColumn("Personne", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Adresse e-mail", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Organisation", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Rôle", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 330);
        ImGui::TableHeadersRow();
        for (const UserRow* row : pending) {
            const UserRow& u = *row;
            ImGui::PushID((int)u.id);
            ImGui::TableNextRow(0, 40);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ws_text_item(u.display_name);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(u.email.c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(u.organisation_name.empty() ? "—" : u.organisation_name.c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_role_label(u.role).c_str());
            ImGui::TableNextColumn();
            if (ui_primary_button("Approuver"))
                run_action("users", u.id, "approve", json::object(), "Compte approuvé : " + u.display_name + ".");
            ImGui::SameLine();
            if (ui_secondary_button("Refuser")) open_reason("users", "suspend", "Refuser", u.id, u.display_name);
            ImGui::SameLine();
            if (ui_secondary_button("Suspendre")) open_reason("users", "suspend", "Suspendre", u.id, u.display_name);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (all.error) ui_banner(all.error->message, ui_color::danger);
    else if (all.loaded && pending.empty()) ui_text_colored(ui_color::muted, "Aucun compte en attente.");
}

void load_offer_preview(long long offer_id) {
    QueuesState& q = g_queues;
    q.preview_loaded_for = offer_id;
    q.preview_sessions.clear();
    api_offer_sessions(
        offer_id,
        [offer_id](std::vector<SessionRow> rows) {
            if (g_queues.preview_loaded_for == offer_id) g_queues.preview_sessions = std::move(rows);
        },
        [](const ApiError&) {});
}

void show_offer_preview(const OfferRow& o) {
    QueuesState& q = g_queues;
    if (q.preview_loaded_for != o.id) load_offer_preview(o.id);
    ui_begin_card(std::min(760.0f, ImGui::GetContentRegionAvail().x - 60));
    ImGui::PushFont(g_fonts.bold);
    ImGui::TextUnformatted(o.title.c_str());
    ImGui::PopFont();
    ui_text_colored(ui_color::muted, o.partner_name + "  ·  " + o.venue_name + "  ·  " + ws_category_label(o.category) +
                                         "  ·  " + ws_pickup_label(o.pickup_mode) +
                                         (o.min_age > 0 ? "  ·  dès " + std::to_string(o.min_age) + " ans"
                                                        : std::string("  ·  tout public")));
    ui_text_colored(ui_color::text, o.description.empty() ? std::string("(pas de description)") : o.description);
    ui_text_colored(ui_color::muted, "Accessibilité : " + ws_accessibility_text(o.accessibility));
    if (!q.preview_sessions.empty()) {
        ws_heading("Séances proposées");
        for (const SessionRow& s : q.preview_sessions)
            ImGui::BulletText("%s — %d places, %d par réservation, %s", ws_when(s.start, s.territory).c_str(),
                              s.capacity, s.max_per_booking,
                              s.allocation == "ballot" ? "tirage au sort" : "premier arrivé");
    } else {
        ui_text_colored(ui_color::muted, "Pas encore de séance.");
    }
    ui_end_card();
}

void show_offer_queue() {
    QueuesState& q = g_queues;
    const auto& list = q.offers;
    ui_text_colored(ui_color::muted,
                    "Offres soumises par les partenaires. Relisez le texte et les séances avant de publier.");
    if (!remote_or_empty(list).empty() && ImGui::BeginTable("File des offres", 6, kWsTableFlags)) {
        ImGui::TableSetupColumn("Offre", ImGuiTableColumnFlags_WidthStretch, 4);
        ImGui::TableSetupColumn("Partenaire", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Catégorie", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Dépt", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableSetupColumn("Séances", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 330);
        ImGui::TableHeadersRow();
        for (const OfferRow& o : remote_or_empty(list)) {
            ImGui::PushID((int)o.id);
            ImGui::TableNextRow(0, 40);
            ImGui::TableNextColumn();
            if (ws_row_selectable(o.title.c_str(), q.preview_offer == o.id))
                q.preview_offer = q.preview_offer == o.id ? 0 : o.id;
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(o.partner_name.c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_category_label(o.category).c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(o.territory.c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            if (o.sessions >= 0) ImGui::Text("%d", o.sessions);
            else ImGui::TextDisabled("—");
            ImGui::TableNextColumn();
            if (ui_primary_button("Publier"))
                run_action("offers", o.id, "approve", json::object(), "Offre publiée : « " + o.title + " ».");
            ImGui::SameLine();
            if (ui_secondary_button("Refuser")) open_reason("offers", "reject", "Refuser", o.id, "« " + o.title + " »");
            ImGui::SameLine();
            if (ui_secondary_button("Aperçu")) q.preview_offer = q.preview_offer == o.id ? 0 : o.id;
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    list_status(list, "Aucune offre à relire.");
    for (const OfferRow& o : remote_or_empty(list))
        if (o.id == q.preview_offer) show_offer_preview(o);
}

}  // namespace

void reset_admin_queues(Reset what) {
    QueuesState& q = g_queues;
    if (what == Reset::Everything) {
        q = QueuesState{};
    } else {
        q.organisations.retry();
        q.offers.retry();
    }
}

void draw_admin_queues(Ctx&) {
    QueuesState& q = g_queues;
    const bool stale = q.decisions_seen != g_admin_data.decisions;
    if ((q.organisations.needs_load() && !g_admin_data.users.loading && !q.offers.loading) || stale) load_queues();
    screen_title("Validations", "Ce qui attend une décision de l’association.");
    show_admin_messages();
    if (ui_secondary_button("Actualiser")) load_queues();

    auto tab_label = [](const char* name, size_t n, const char* id) {
        return std::string(name) + " (" + std::to_string(n) + ")###" + id;
    };
    if (ws_begin_tab_bar("Files")) {
        const std::string l0 = tab_label("Organisations", remote_or_empty(q.organisations).size(), "Organisations");
        size_t pending_users = 0;
        for (const UserRow& u : g_admin_data.users.items) pending_users += u.status == "pending";
        const std::string l1 = tab_label("Utilisateurs", pending_users, "Utilisateurs");
        const std::string l2 = tab_label("Offres", remote_or_empty(q.offers).size(), "Offres");
        auto flags = [&](int i) { return q.tab == i ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None; };
        if (ws_begin_tab_item(l0.c_str(), flags(0))) {
            show_organisation_queue();
            ImGui::EndTabItem();
        }
        if (ws_begin_tab_item(l1.c_str(), flags(1))) {
            show_user_queue();
            ImGui::EndTabItem();
        }
        if (ws_begin_tab_item(l2.c_str(), flags(2))) {
            show_offer_queue();
            ImGui::EndTabItem();
        }
        q.tab = -1;
        ws_end_tab_bar();
    }
    show_reason_dialog();
}
