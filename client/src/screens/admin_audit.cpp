// uneplace client — "Journal d’audit": who did what, when, with the state before and after, for
// one kind of object or one object (opened from the directory's "Journal").
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

struct AuditState {
    std::string entity = "organisation";
    std::string id_text;
    std::string action_filter;
    std::vector<json> entries;
    bool loading = false, loaded = false;
    std::optional<ApiError> error;
    std::string query_for;  // the query the entries answer
    int decisions_seen = 0;
};
AuditState g_audit;

//-------------------------------------------------------------------------------------------------
// [SECTION] Audit log
//-------------------------------------------------------------------------------------------------

struct EntityKind {
    const char* code;
    const char* label;
};
constexpr EntityKind kAuditEntities[] = {
    {"organisation", "Organisation"},
    {"user", "Utilisateur"},
    {"venue", "Lieu"},
    {"offer", "Offre"},
    {"session", "Séance"},
    {"booking", "Réservation"},
    {"settings", "Réglages"},
};

const char* entity_label(const std::string& code) {
    for (const auto& e : kAuditEntities)
        if (code == e.code) return e.label;
    return code.c_str();
}

std::string audit_query() {
    const AuditState& a = g_audit;
    std::string q = "limit=200&entity=" + a.entity;
    const std::string id(uneplace::trim(a.id_text));
    if (!id.empty()) q += "&entity_id=" + id;
    return q;
}

void load_audit() {
    AuditState& a = g_audit;
    a.query_for = audit_query();
    a.loading = true;
    const std::string query = a.query_for;
    api_audit(
        query,
        [query](std::vector<json> entries) {
            AuditState& st = g_audit;
            if (st.query_for != query) return;
            st.loading = false;
            st.loaded = true;
            st.error.reset();
            st.entries = std::move(entries);
        },
        [query](const ApiError& e) {
            AuditState& st = g_audit;
            if (st.query_for != query) return;
            st.loading = false;
            st.loaded = true;
            st.error = e;
        });
}

// Nested objects as dotted keys ("organisation.name"), in order.
void flatten(const json& j, const std::string& prefix, std::vector<std::pair<std::string, json>>& out) {
    if (j.is_object() && !j.empty()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    } else {
        out.emplace_back(prefix, j);
    }
}

std::string value_text(const json& v) {
    if (v.is_null()) return "—";
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

// A before/after pair as "champ : avant → après" lines, only the fields that changed; a creation
// lists its fields.
std::string audit_change(const json& before, const json& after) {
    std::vector<std::pair<std::string, json>> b, a;
    if (before.is_object()) flatten(before, "", b);
    if (after.is_object()) flatten(after, "", a);
    std::string out;
    auto line = [&](const std::string& text) { out += (out.empty() ? "" : "\n") + text; };
    for (const auto& entry : a) {
        const std::string& key = entry.first;
        const json& value = entry.second;
        const auto old = std::find_if(b.begin(), b.end(), [&](const auto& p) { return p.first == key; });
        if (old != b.end() && old->second == value) continue;
        if (b.empty()) line(key + " : " + value_text(value));
        else
            line(key + " : " + (old == b.end() ? std::string("—") : value_text(old->second)) + " → " +
                 value_text(value));
    }
    if (a.empty() && !b.empty()) line("supprimé");
    return out.empty() ? std::string("(aucun changement visible)") : out;
}

// The name of an audit entry's actor, when the directory knows it.
std::string actor_name(long long user_id) {
    if (user_id == 0) return "système";
    if (g_api_session.user && g_api_session.user->id == user_id) return g_api_session.user->display_name;
    for (const UserRow& u : g_admin_data.users.items)
        if (u.id == user_id) return u.display_name;
    return "utilisateur n° " + std::to_string(user_id);
}

}  // namespace

void reset_admin_audit(Reset what) {
    AuditState& a = g_audit;
    if (what == Reset::Everything) a = AuditState{};
    else if (a.error) a.query_for.clear(), a.error.reset();
}

void draw_admin_audit(Ctx&) {
    AuditState& a = g_audit;
    // "Journal" on an organisation or a user of another screen: this object's log.
    if (!g_admin_data.audit_entity.empty()) {
        a.entity = g_admin_data.audit_entity;
        a.id_text = std::to_string(g_admin_data.audit_id);
        a.query_for.clear();
        g_admin_data.audit_entity.clear();
    }
    // The names of the actors; a decision taken since may have changed a status.
    if (!g_admin_data.users.loaded && !g_admin_data.users.loading && !g_admin_data.users.error) data_load_admin_users();
    if (a.decisions_seen != g_admin_data.decisions) a.query_for.clear(), a.decisions_seen = g_admin_data.decisions;
    screen_title("Journal d’audit", "Qui a fait quoi, quand, avec l’état avant et après. Le journal ne s’efface pas.");

    ImGui::BeginGroup();
    ImGui::TextUnformatted("Objet");
    ImGui::SetNextItemWidth(220);
    if (ui_begin_combo("##Objet", entity_label(a.entity))) {
        for (const auto& e : kAuditEntities)
            if (ImGui::Selectable(e.label, a.entity == e.code)) a.entity = e.code;
        ImGui::EndCombo();
    }
    ImGui::EndGroup();
    ws_same_line(20);
    ImGui::BeginGroup();
    ui_text_field("Numéro de l’objet (facultatif)", &a.id_text, UiField_None, "ex. 12", 220);
    ImGui::EndGroup();
    ws_same_line(20);
    ImGui::BeginGroup();
    ui_text_field("Action contient", &a.action_filter, UiField_None, "approve, cancel…", 220);
    ImGui::EndGroup();
    const std::string id(uneplace::trim(a.id_text));
    const bool id_ok = id.find_first_not_of("0123456789") == std::string::npos;
    if (!id_ok) ui_field_error("Un numéro ne contient que des chiffres.");
    if (id_ok && a.query_for != audit_query() && !a.loading) load_audit();
    if (a.error) ui_banner(a.error->message, ui_color::danger);
    if (a.loaded && a.entries.empty() && !a.error) ui_text_colored(ui_color::muted, "Aucune entrée pour cet objet.");

    if (ImGui::BeginTable("Journal", 5, kWsTableFlags | ImGuiTableFlags_ScrollY,
                          ImVec2(0, std::max(240.0f, ImGui::GetContentRegionAvail().y)))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Quand", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Qui", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Action", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Objet", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableSetupColumn("Changement", ImGuiTableColumnFlags_WidthStretch, 6);
        ImGui::TableHeadersRow();
        for (const json& e : a.entries) {
            const std::string action = json_str(e, "action");
            if (!a.action_filter.empty() && !matches_search(action, a.action_filter)) continue;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(ws_when(json_str(e, "at"), "75").c_str());
            ImGui::TableNextColumn();
            const json& actor = json_object(e, "actor");
            std::string who = json_str(actor, "display_name");
            if (who.empty()) who = json_str(e, "actor_name");
            if (who.empty()) who = actor_name(json_id(e, "actor_user_id"));
            ImGui::TextUnformatted(who.c_str());
            ImGui::TableNextColumn();
            ws_text_item(action);
            ImGui::TableNextColumn();
            ImGui::Text("%s %s", entity_label(json_str(e, "entity")), json_text(e, "entity_id").c_str());
            ImGui::TableNextColumn();
            if (json_bool(e, "redacted")) ImGui::TextDisabled("(données personnelles effacées)");
            const std::string change = audit_change(e.value("before", json()), e.value("after", json()));
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(change.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::EndTable();
    }
}
