// uneplace client — the page of an account that cannot act yet: an organisation whose sign-up
// awaits the association's approval (or a suspended account).
// Such a user can log in (the sign-up page promised a message), but every other route answers
// 403: instead of an empty workspace, this page says what happens next, in the server's words.
#include <algorithm>

#include "api/calls.hpp"
#include "imgui.h"
#include "screens/screens.hpp"
#include "ui/theme.hpp"

void reset_waiting(Reset) {}

void draw_waiting(Ctx& ctx) {
    const float card_w = 560.0f;
    ImGui::SetCursorPos(
        ImVec2(std::max(24.0f, (ImGui::GetWindowWidth() - card_w) * 0.5f), ImGui::GetCursorPosY() + 48));
    ui_begin_card(card_w - 56);
    ImGui::PushFont(g_fonts.title);
    const bool suspended = ctx.user && ctx.user->suspended;
    ImGui::TextUnformatted(suspended ? "Compte suspendu" : "Inscription en attente de validation");
    ImGui::PopFont();
    const std::string text = ctx.user && !ctx.user->inactive_message.empty() ? ctx.user->inactive_message
                             : suspended
                                 ? "Ce compte est suspendu : contactez l’équipe de l’association pour le réactiver."
                                 : "Votre inscription est en attente de validation par l’équipe de l’association. "
                                   "Vous recevrez un message dès qu’elle sera acceptée ; vous pourrez alors utiliser "
                                   "votre espace.";
    ui_banner(text, ui_color::primary);
    ui_text_colored(ui_color::muted, "Vous pouvez vous déconnecter en attendant (en haut à droite).");
    ui_end_card();
}
