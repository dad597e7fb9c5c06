// uneplace client — the login screen.
// The email is checked with the shared validator as the user types, so the browser refuses exactly
// what the server would refuse, before anything is sent.
#include <algorithm>

#include "api/calls.hpp"
#include "imgui.h"
#include "screens/screens.hpp"
#include "ui/theme.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/validation.hpp"
#include "widget_registry.hpp"

namespace {

struct LoginState {
    std::string email;
    std::string password;
    // The second factor: asked for once the server says the account has one (totp_required).
    bool ask_code = false;
    std::string code;
    std::string email_error;  // from the shared validator, shown as the user types
    std::optional<ApiError> error;
    bool busy = false;
};
LoginState g_login;

void submit_login(Ctx& ctx) {
    LoginState& s = g_login;
    if (auto refusal = uneplace::validate_email(s.email)) {
        s.email_error = std::string(uneplace::message_fr(refusal->code));
        return;
    }
    s.busy = true;
    s.error.reset();
    api_login(
        s.email, s.password, s.ask_code ? s.code : std::string(),
        [&ctx](const User&) {
            g_login.busy = false;
            g_login.password.clear();
            g_login.code.clear();
            g_login.ask_code = false;
            g_login.error.reset();
            ctx.login_notice.clear();
            // Back where the user was (session expiry, deep link); the frame sends a role elsewhere
            // when that screen is not theirs.
            ctx.navigate(ctx.after_login);
        },
        [](const ApiError& error) {
            g_login.busy = false;
            g_login.code.clear();  // a code is good for 30 s: the next try takes a new one
            if (error.code == "totp_required") {
                g_login.ask_code = true;  // the password was right: now the code, with a hint, not an error
                g_login.error.reset();
                return;
            }
            g_login.error = error;
        });
}

}  // namespace

void reset_login(Reset what) {
    if (what == Reset::Everything) g_login = LoginState{};
}

void draw_login(Ctx& ctx) {
    LoginState& s = g_login;
    // 440 px, or the screen's width less a margin on each side (a phone of 390 px).
    const float margin = ui_width() == UiWidth::Phone ? 12.0f : 24.0f;
    const float card_w = std::min(440.0f, ImGui::GetWindowWidth() - 2 * margin);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ImGui::SetCursorPos(ImVec2(std::max(margin, (ImGui::GetWindowWidth() - card_w) * 0.5f),
                               ImGui::GetCursorPosY() + std::max(margin, avail.y * 0.12f)));

    ui_begin_card(card_w - 56);
    ImGui::PushFont(g_fonts.title);
    ImGui::TextUnformatted("Connexion");
    ImGui::PopFont();
    registry_add_text("Connexion", ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), RegistryRole::Heading);
    ui_text_colored(ui_color::muted, "Réservez des sorties culturelles pour les personnes que vous accompagnez.");
    ImGui::Spacing();
    if (!ctx.login_notice.empty()) ui_banner(ctx.login_notice, ui_color::success);

    if (ui_text_field("Adresse e-mail", &s.email, UiField_EnterSubmits, "prenom.nom@structure.fr")) submit_login(ctx);
    if (ImGui::IsItemEdited()) {
        // Feedback as you type, from the shared rule.
        s.email_error = ui_typing_feedback(s.email, uneplace::validate_email(s.email));
    }
    ui_field_error(s.email_error);
    ImGui::Spacing();
    if (ui_text_field("Mot de passe", &s.password, UiField_Password | UiField_EnterSubmits)) submit_login(ctx);
    ImGui::Spacing();
    if (s.ask_code) {
        ui_text_colored(ui_color::muted, "Vérification en deux étapes : saisissez le code à 6 chiffres de votre "
                                         "application d’authentification, ou un de vos codes de secours.");
        if (ui_text_field("Code de vérification", &s.code, UiField_EnterSubmits, "123456")) submit_login(ctx);
        ImGui::Spacing();
    }

    if (s.error) ui_banner(s.error->message, ui_color::danger);
    const bool can_submit = !s.busy && !s.email.empty() && !s.password.empty() && (!s.ask_code || !s.code.empty());
    if (ui_primary_button(s.busy ? "Connexion en cours…###Se connecter" : "Se connecter###Se connecter", can_submit,
                          ImVec2(-1, 0)))
        submit_login(ctx);
    ImGui::Spacing();
    ImGui::Separator();
    ui_text_colored(ui_color::muted, "Votre organisation n’a pas encore de compte ?");
    if (ui_secondary_button("Inscrire mon organisation", true, ImVec2(-1, 0))) ctx.navigate(Route{Screen::Signup, 0});
    ui_end_card();
}
