// uneplace client — the decisions the administrator's screens share (admin_decisions.hpp).
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
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "widget_registry.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/validation.hpp"

using nlohmann::json;

AdminMessages g_admin_messages;

void run_action(const std::string& entity, long long id, const std::string& action, const json& body,
                std::string done) {
    g_admin_messages.action_error.reset();
    g_admin_messages.notice.clear();
    api_decide(
        entity, id, action, body,
        [done] {
            g_admin_messages.notice = done;
            g_admin_messages.notice_at = 0;
            g_admin_messages.reason = ReasonDialog{};
            ++g_admin_data.decisions;  // every list that shows statuses is stale
            g_admin_data.users.loaded = false;
        },
        [](const ApiError& e) {
            if (g_admin_messages.reason.id) {
                g_admin_messages.reason.busy = false;
                g_admin_messages.reason.error = e;
            } else {
                g_admin_messages.action_error = e;
            }
        });
}

void open_reason(const std::string& entity, const std::string& action, const std::string& verb, long long id,
                 const std::string& what) {
    g_admin_messages.reason = ReasonDialog{entity, action, verb, id, what, "", false, std::nullopt};
}

void show_audit_of(Ctx& ctx, const std::string& entity, long long id) {
    g_admin_data.audit_entity = entity;
    g_admin_data.audit_id = id;
    ctx.navigate(Route{Screen::AdminAudit, 0});
}

void show_admin_messages() {
    ui_notice(g_admin_messages.notice, g_admin_messages.notice_at);
    if (g_admin_messages.action_error) ui_banner(g_admin_messages.action_error->message, ui_color::danger);
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Reason dialog (reject, suspend)
//-------------------------------------------------------------------------------------------------

void show_reason_dialog() {
    ReasonDialog& r = g_admin_messages.reason;
    const char* title = "Confirmer###décision";
    if (r.id && !ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
    ImGui::SetNextWindowSize(ImVec2(560, 0));
    if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_AlwaysAutoResize)) return;
    const bool offer = r.entity == "offers";
    const bool refuse = r.verb == "Refuser";
    ImGui::PushFont(g_fonts.bold);
    ImGui::TextUnformatted((r.verb + " " + r.what + " ?").c_str());
    ImGui::PopFont();
    ImGui::PushTextWrapPos(530);
    if (offer)
        ImGui::TextDisabled(
            "%s", "L’offre revient au partenaire avec votre motif : dites ce qui manque ou ce qui ne convient pas. "
                  "Il pourra la corriger et la soumettre de nouveau.");
    else if (refuse)
        ImGui::TextDisabled("%s", "La demande est refusée : le compte est suspendu et ne peut pas se connecter. "
                                  "Vous pourrez le réactiver depuis l’annuaire.");
    else
        ImGui::TextDisabled("%s", "La suspension empêche d’agir sur la plateforme et ferme les sessions ouvertes, "
                                  "jusqu’à une réactivation depuis l’annuaire.");
    ImGui::PopTextWrapPos();
    bool ok = true;
    if (offer) {
        ImGui::TextUnformatted("Motif du refus");
        ImGui::InputTextMultiline("##Motif du refus", &r.reason, ImVec2(530, 100));
        registry_set_value(ImGui::GetItemID(), r.reason);
        const auto cleaned = uneplace::clean_reject_reason(r.reason);
        if (!cleaned.ok() && !r.reason.empty()) ui_field_error(uneplace::message_fr(cleaned.refusal->code));
        ok = cleaned.ok();
    }
    if (r.error) ui_field_error(r.error->message);
    const std::string confirm = refuse ? "Confirmer le refus" : "Confirmer la suspension";
    if (ui_primary_button(confirm.c_str(), ok && !r.busy)) {
        r.busy = true;
        json body = json::object();
        if (offer) body["reason"] = uneplace::clean_reject_reason(r.reason).value;
        const std::string done =
            refuse ? "Refus enregistré : " + r.what + "." : "Suspension enregistrée : " + r.what + ".";
        run_action(r.entity, r.id, r.action, body, done);
    }
    ImGui::SameLine();
    if (ui_secondary_button("Annuler##décision")) {
        r = ReasonDialog{};
        ImGui::CloseCurrentPopup();
    }
    if (!g_admin_messages.reason.id) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}
