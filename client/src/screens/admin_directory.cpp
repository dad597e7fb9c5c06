// uneplace client — "Annuaire": the organisations and the people of the administrator's
// territories, filtered, with each one's members, decisions (admin_decisions.hpp) and audit log.
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
#include "platform.hpp"
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

struct DirectoryState {
    Remote<std::vector<Organisation>> organisations;
    std::string search;
    std::string status;               // "" all
    std::string kind;                 // "" all
    std::string territory;            // "" all
    long long open_organisation = 0;  // its users are listed under it
    Remote<std::vector<UserRow>> members;
    long long members_for = 0;
    int decisions_seen = -1;  // g_admin_data.decisions the lists answer
    // A password reset link just issued: shown once, until closed (the server keeps only a digest).
    std::string reset_name, reset_url, reset_expires_at;
    std::optional<ApiError> reset_error;
    bool resetting = false;
};
DirectoryState g_directory;

void issue_reset_link(long long user_id, const std::string& name) {
    DirectoryState& d = g_directory;
    d.resetting = true;
    d.reset_error.reset();
    d.reset_url.clear();
    d.reset_name = name;
    api_reset_link(
        user_id,
        [](ResetLinkInfo link) {
            g_directory.resetting = false;
            g_directory.reset_url = link.url;
            g_directory.reset_expires_at = link.expires_at;
        },
        [](const ApiError& e) {
            g_directory.resetting = false;
            g_directory.reset_error = e;
        });
}

// The link to hand over (by phone, in person): who it is for, until when, and a copy button.
void show_reset_link() {
    DirectoryState& d = g_directory;
    if (d.reset_url.empty() && !d.reset_error) return;
    ui_begin_card(760.0f);
    if (d.reset_error) {
        ui_text_colored(ui_color::danger, d.reset_error->message);
    } else {
        ui_text_colored(ui_color::success, "Lien de réinitialisation pour " + d.reset_name);
        ui_paragraph("Transmettez-le à la personne elle-même. Il sert une seule fois, jusqu’à " +
                         ws_when(d.reset_expires_at, "75") +
                         ", et ne sera plus affiché : fermé, il faudra en créer un "
                         "autre. Ses sessions ouvertes se termineront quand elle choisira son mot de passe.",
                     728.0f, ui_color::muted);
        ui_paragraph(d.reset_url, 728.0f);
        if (ui_primary_button("Copier le lien")) platform_clipboard_write(d.reset_url);
        ImGui::SameLine();
    }
    if (ui_secondary_button("Fermer###fermer-lien")) {
        d.reset_url.clear();
        d.reset_error.reset();
    }
    ui_end_card();
    ImGui::Spacing();
}

void load_directory() {
    DirectoryState& d = g_directory;
    d.decisions_seen = g_admin_data.decisions;
    d.members_for = 0;
    remote_load(d.organisations, [](auto ok, auto fail) { api_organisations("", ok, fail); });
    if (!g_admin_data.users.loading) data_load_admin_users();
}

void load_members(long long organisation_id) {
    DirectoryState& d = g_directory;
    d.members_for = organisation_id;
    remote_load(d.members,
                [organisation_id](auto ok, auto fail) { api_organisation_users(organisation_id, ok, fail); });
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Directory
//-------------------------------------------------------------------------------------------------

bool status_filter_combo(const char* caption, std::string* status) {
    bool changed = false;
    ImGui::TextUnformatted(caption);
    ImGui::SetNextItemWidth(190);
    const std::string id = std::string("##") + caption;
    const std::string preview = status->empty() ? std::string("Tous") : ws_account_status_label(*status);
    if (ui_begin_combo(id.c_str(), preview.c_str())) {
        if (ImGui::Selectable("Tous", status->empty())) {
            changed = !status->empty();
            status->clear();
        }
        for (const auto& e : uneplace::enum_table<uneplace::AccountStatus>()) {
            const std::string label = ws_account_status_label(std::string(e.code));
            if (ImGui::Selectable(label.c_str(), *status == e.code)) {
                changed = *status != e.code;
                *status = std::string(e.code);
            }
        }
        ImGui::EndCombo();
    }
    return changed;
}

void account_actions(Ctx& ctx, const char* entity, const char* audit_entity, long long id, const std::string& name,
                     const std::string& status) {
    if (status != "active") {
        if (ui_secondary_button(status == "pending" ? "Approuver" : "Réactiver"))
            run_action(
                entity, id, "approve", json::object(),
                (status == "pending" ? "Approbation enregistrée : " : "Réactivation enregistrée : ") + name + ".");
        ImGui::SameLine();
    }
    if (status != "suspended") {
        if (ui_secondary_button("Suspendre")) open_reason(entity, "suspend", "Suspendre", id, name);
        ImGui::SameLine();
    }
    if (std::string_view(entity) == "users") {
        if (ui_secondary_button("Réinitialiser", !g_directory.resetting)) issue_reset_link(id, name);
        ImGui::SameLine();
    }
    if (ui_secondary_button("Journal")) show_audit_of(ctx, audit_entity, id);
}

// The people of an open organisation, as rows of the organisations table under it.
void show_members(Ctx& ctx, long long organisation_id) {
    DirectoryState& d = g_directory;
    if (d.members_for != organisation_id) load_members(organisation_id);
    const ImU32 member_bg = IM_COL32(250, 246, 244, 255);
    auto row = [&]() {
        ImGui::TableNextRow(0, 40);
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, member_bg);
    };
    if (d.members.error || (d.members.ready() && remote_or_empty(d.members).empty())) {
        row();
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::Indent(20);
        if (d.members.error) ws_text_item_colored(ui_color::danger, d.members.error->message);
        else ImGui::TextDisabled("Aucun compte dans cette organisation.");
        ImGui::Unindent(20);
        return;
    }
    for (const UserRow& u : remote_or_empty(d.members)) {
        ImGui::PushID((int)u.id);
        row();
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::Indent(20);
        ImGui::TextDisabled("→");  // drawn apart, so the person's item is named by the name alone
        ImGui::SameLine();
        ws_text_item(u.display_name);
        ImGui::Unindent(20);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(ws_role_label(u.role).c_str());
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("%s", u.email.c_str());
        ImGui::PopTextWrapPos();
        ImGui::TableNextColumn();
        ws_badge(ws_account_status_label(u.status), ws_status_color(u.status));
        ImGui::TableNextColumn();
        account_actions(ctx, "users", "user", u.id, u.display_name, u.status);
        ImGui::PopID();
    }
}

}  // namespace

void reset_admin_directory(Reset what) {
    DirectoryState& d = g_directory;
    if (what == Reset::Everything) {
        d = DirectoryState{};
    } else {
        d.organisations.retry();
        if (d.members.error) d.members_for = 0;
    }
}

void draw_admin_directory(Ctx& ctx) {
    DirectoryState& d = g_directory;
    if (d.organisations.needs_load() || d.decisions_seen != g_admin_data.decisions) load_directory();
    if (!g_admin_data.users.loaded && !g_admin_data.users.loading && !g_admin_data.users.error) data_load_admin_users();
    screen_title("Annuaire", "Les organisations et les personnes inscrites sur vos territoires.");
    show_reset_link();
    show_admin_messages();

    ImGui::BeginGroup();
    ui_text_field("Rechercher", &d.search, UiField_None, "nom, e-mail, département", 260);
    ImGui::EndGroup();
    ws_same_line(20);
    ImGui::BeginGroup();
    status_filter_combo("Statut", &d.status);
    ImGui::EndGroup();
    ws_same_line(20);
    ImGui::BeginGroup();
    ImGui::TextUnformatted("Type");
    ImGui::SetNextItemWidth(200);
    const std::string kind_preview = d.kind.empty() ? std::string("Tous") : ws_kind_label(d.kind);
    if (ui_begin_combo("##Type", kind_preview.c_str())) {
        if (ImGui::Selectable("Tous", d.kind.empty())) d.kind.clear();
        for (const auto& e : uneplace::enum_table<uneplace::OrgKind>())
            if (ImGui::Selectable(std::string(e.label_fr).c_str(), d.kind == e.code)) d.kind = std::string(e.code);
        ImGui::EndCombo();
    }
    ImGui::EndGroup();
    ws_same_line(20);
    ImGui::BeginGroup();
    ws_territory_combo("Département", &d.territory, "Tous", 220);
    ImGui::EndGroup();

    if (ws_begin_tab_bar("Annuaire")) {
        if (ws_begin_tab_item("Organisations")) {
            if (d.organisations.error) ui_banner(d.organisations.error->message, ui_color::danger);
            if (ImGui::BeginTable("Organisations", 5, kWsTableFlags)) {
                ImGui::TableSetupColumn("Organisation", ImGuiTableColumnFlags_WidthStretch, 4);
                ImGui::TableSetupColumn("Type", ImGuiTableColumnFlags_WidthStretch, 2);
                ImGui::TableSetupColumn("Département", ImGuiTableColumnFlags_WidthStretch, 2);
                ImGui::TableSetupColumn("Statut", ImGuiTableColumnFlags_WidthStretch, 2);
                ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 450);
                ImGui::TableHeadersRow();
                int shown = 0;
                for (const Organisation& o : remote_or_empty(d.organisations)) {
                    if (!d.status.empty() && o.status != d.status) continue;
                    if (!d.kind.empty() && o.kind != d.kind) continue;
                    if (!d.territory.empty() && o.territory != d.territory) continue;
                    if (!d.search.empty() && !matches_search(o.name + " " + o.territory + " " +
                                                                 std::string(uneplace::departement_name(o.territory)),
                                                             d.search))
                        continue;
                    ++shown;
                    ImGui::PushID((int)o.id);
                    ImGui::TableNextRow(0, 40);
                    ImGui::TableNextColumn();
                    const bool open = d.open_organisation == o.id;
                    if (ws_row_selectable(o.name.c_str(), open)) d.open_organisation = open ? 0 : o.id;
                    ImGui::TableNextColumn();
                    ImGui::AlignTextToFramePadding();
                    ImGui::TextUnformatted(ws_kind_label(o.kind).c_str());
                    ImGui::TableNextColumn();
                    ImGui::AlignTextToFramePadding();
                    ImGui::Text("%s %s", o.territory.c_str(),
                                std::string(uneplace::departement_name(o.territory)).c_str());
                    ImGui::TableNextColumn();
                    ws_badge(ws_account_status_label(o.status), ws_status_color(o.status));
                    ImGui::TableNextColumn();
                    account_actions(ctx, "organisations", "organisation", o.id, o.name, o.status);
                    if (open) show_members(ctx, o.id);
                    ImGui::PopID();
                }
                ImGui::EndTable();
                if (d.organisations.ready() && shown == 0)
                    ui_text_colored(ui_color::muted, "Aucune organisation ne correspond à ces critères.");
            }
            ImGui::EndTabItem();
        }
        if (ws_begin_tab_item("Utilisateurs")) {
            const AdminUsers& users = g_admin_data.users;
            if (users.error) ui_banner(users.error->message, ui_color::danger);
            if (users.truncated)
                ui_text_colored(ui_color::muted,
                                "Seules les 500 premières organisations sont parcourues : précisez la recherche.");
            if (ImGui::BeginTable("Utilisateurs", 5, kWsTableFlags)) {
                ImGui::TableSetupColumn("Personne", ImGuiTableColumnFlags_WidthStretch, 3);
                ImGui::TableSetupColumn("Adresse e-mail", ImGuiTableColumnFlags_WidthStretch, 3);
                ImGui::TableSetupColumn("Organisation · rôle", ImGuiTableColumnFlags_WidthStretch, 3);
                ImGui::TableSetupColumn("Statut", ImGuiTableColumnFlags_WidthStretch, 2);
                ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 450);
                ImGui::TableHeadersRow();
                int shown = 0;
                for (const UserRow& u : users.items) {
                    if (!d.status.empty() && u.status != d.status) continue;
                    if (!d.search.empty() &&
                        !matches_search(u.display_name + " " + u.email + " " + u.organisation_name, d.search))
                        continue;
                    ++shown;
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
                    ImGui::Text("%s · %s", u.organisation_name.empty() ? "Association" : u.organisation_name.c_str(),
                                ws_role_label(u.role).c_str());
                    ImGui::TableNextColumn();
                    ws_badge(ws_account_status_label(u.status), ws_status_color(u.status));
                    ImGui::TableNextColumn();
                    if (u.role != "admin") account_actions(ctx, "users", "user", u.id, u.display_name, u.status);
                    ImGui::PopID();
                }
                ImGui::EndTable();
                if (users.loaded && shown == 0 && !users.error)
                    ui_text_colored(ui_color::muted, "Aucune personne ne correspond à ces critères.");
            }
            ImGui::EndTabItem();
        }
        ws_end_tab_bar();
    }
    show_reason_dialog();
}
