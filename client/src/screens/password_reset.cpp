// uneplace client — « Choisir un mot de passe »: the page a one-time reset link opens
// (#/reinitialisation/TOKEN, issued by an administrator, valid one hour). The person chooses a new
// password, checked as typed with the shared rule; the server adds its list of common passwords.
// Once it is saved every session of the account has ended, and the login screen says so.
#include <algorithm>

#include "api/calls.hpp"
#include "imgui.h"
#include "screens/screens.hpp"
#include "ui/theme.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/validation.hpp"
#include "widget_registry.hpp"

namespace {

struct PasswordResetState {
    std::string password, confirmation;
    bool busy = false;
    std::optional<ApiError> error;
};
PasswordResetState g_reset;

void submit(Ctx& ctx) {
    PasswordResetState& s = g_reset;
    if (s.busy || uneplace::validate_password(s.password) || s.password != s.confirmation) return;
    s.busy = true;
    s.error.reset();
    api_reset_password(
        ctx.route.key, s.password,
        [&ctx] {
            g_reset = {};
            ctx.login_notice = "Votre nouveau mot de passe est enregistré : connectez-vous avec lui.";
            ctx.navigate(Route{Screen::Login, 0});
        },
        [](const ApiError& e) {
            g_reset.busy = false;
            g_reset.error = e;
        });
}

}  // namespace

void reset_password_reset(Reset what) {
    if (what == Reset::Everything) g_reset = {};
}

void draw_password_reset(Ctx& ctx) {
    PasswordResetState& s = g_reset;
    const float margin = ui_width() == UiWidth::Phone ? 12.0f : 24.0f;
    const float card_w = std::min(440.0f, ImGui::GetWindowWidth() - 2 * margin);
    ImGui::SetCursorPos(
        ImVec2(std::max(margin, (ImGui::GetWindowWidth() - card_w) * 0.5f), ImGui::GetCursorPosY() + margin * 2));
    ui_begin_card(card_w - 56);
    ImGui::PushFont(g_fonts.title);
    ImGui::TextUnformatted("Choisir un mot de passe");
    ImGui::PopFont();
    registry_add_text("Choisir un mot de passe", ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                      RegistryRole::Heading);
    ui_text_colored(ui_color::muted, "Au moins 12 caractères, et pas un mot de passe courant : une phrase de "
                                     "plusieurs mots se retient mieux.");
    ImGui::Spacing();
    ui_text_field("Nouveau mot de passe", &s.password, UiField_Password);
    // The shared rule, as the person types.
    const std::string password_error = ui_typing_feedback(s.password, uneplace::validate_password(s.password));
    ui_field_error(password_error);
    if (ui_text_field("Confirmer le mot de passe", &s.confirmation, UiField_Password | UiField_EnterSubmits))
        submit(ctx);
    if (!s.confirmation.empty() && s.confirmation != s.password)
        ui_field_error("Les deux saisies du mot de passe diffèrent.");
    if (s.error) ui_banner(s.error->message, ui_color::danger);
    const bool ready = !s.busy && !s.password.empty() && password_error.empty() && s.password == s.confirmation;
    if (ui_primary_button(s.busy ? "Enregistrement…###Enregistrer" : "Enregistrer le mot de passe###Enregistrer", ready,
                          ImVec2(-1, 0)))
        submit(ctx);
    ImGui::Spacing();
    if (ui_secondary_button("Retour à la connexion", true, ImVec2(-1, 0))) ctx.navigate(Route{Screen::Login, 0});
    ui_end_card();
}
