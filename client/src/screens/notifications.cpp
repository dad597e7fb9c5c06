// uneplace client — the notifications the server keeps for the user: confirmations, places
// obtained from the waiting list, cancellations, reminders.
#include "api/calls.hpp"
#include "api/remote.hpp"
#include "imgui.h"
#include "screens/screens.hpp"
#include "ui/theme.hpp"
#include "widget_registry.hpp"
#include "uneplace/local_time.hpp"

namespace {
Remote<std::vector<Notification>> g_notifications;
}  // namespace

void reset_notifications(Reset what) {
    if (what == Reset::Everything) g_notifications = {};
    else g_notifications.retry();
}

void draw_notifications(Ctx& ctx) {
    Remote<std::vector<Notification>>& s = g_notifications;
    if (s.needs_load()) remote_load(s, api_notifications);
    screen_title("Notifications", "Confirmations, places obtenues sur liste d’attente, annulations et rappels.");
    if (s.error) ui_banner(s.error->message, ui_color::danger);
    if (ui_secondary_button("Actualiser", !s.loading)) remote_load(s, api_notifications);
    for (const Notification& n : remote_or_empty(s)) {
        ImGui::PushID((int)n.id);
        ImGui::Separator();
        const auto at = uneplace::parse_utc_instant(n.created_at);
        ImGui::TextDisabled("%s",
                            at.ok() ? uneplace::format_datetime_fr("75", at.value).c_str() : n.created_at.c_str());
        ImGui::PushTextWrapPos(0);
        if (!n.read) ImGui::PushFont(g_fonts.bold);
        ImGui::TextUnformatted(n.message.c_str());
        if (!n.read) ImGui::PopFont();
        ImGui::PopTextWrapPos();
        registry_add_text_item(n.message);
        if (n.session_id && ctx.is("social_worker") && ImGui::SmallButton("Voir la séance"))
            ctx.navigate(Route{Screen::SessionDetail, n.session_id});
        ImGui::PopID();
    }
    if (s.ready() && s.value->empty() && !s.error)
        ui_text_colored(ui_color::muted, "Aucune notification pour le moment.");
}
