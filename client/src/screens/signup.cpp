// uneplace client — self sign-up of a cultural partner or a social structure, from the login screen.
// The organisation and its contact person start "pending" until the association's staff approve them.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/calls.hpp"
#include "imgui.h"
#include "screens/screens.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/validation.hpp"

namespace {
struct SignupForm {
    uneplace::OrganisationDraft draft{"structure", "", "", "", "", ""};
    std::string visited;
    bool busy = false;
    bool done = false;
    std::optional<ApiError> error;
    std::string idempotency_key;  // one per sign-up: a resend after a lost answer signs up once
};
SignupForm g_signup;  // one sign-up at a time; kept if the user goes back to login and returns

void submit() {
    SignupForm& f = g_signup;
    uneplace::OrganisationDraft d = f.draft;
    uneplace::validate_organisation(d);
    const nlohmann::json body = {
        {"kind", d.kind},
        {"name", d.name},
        {"territory", d.territory},
        {"contact",
         {{"email", d.contact_email}, {"password", d.contact_password}, {"display_name", d.contact_display_name}}}};
    f.busy = true;
    f.error.reset();
    if (f.idempotency_key.empty()) f.idempotency_key = api_new_idempotency_key();
    api_sign_up(
        body, f.idempotency_key,
        [] {
            g_signup.busy = false;
            g_signup.done = true;
            g_signup.draft.contact_password.clear();
        },
        [](const ApiError& e) {
            g_signup.busy = false;
            g_signup.error = e;
        });
}
}  // namespace

void reset_signup(Reset what) {
    if (what == Reset::Everything) g_signup = SignupForm{};
}

void draw_signup(Ctx& ctx) {
    SignupForm& f = g_signup;
    const float margin = ui_width() == UiWidth::Phone ? 12.0f : 24.0f;
    const float card_w = std::min(520.0f, ImGui::GetWindowWidth() - 2 * margin);
    ImGui::SetCursorPos(
        ImVec2(std::max(margin, (ImGui::GetWindowWidth() - card_w) * 0.5f), ImGui::GetCursorPosY() + 32));
    ui_begin_card(card_w - 56);
    ImGui::PushFont(g_fonts.title);
    ImGui::TextUnformatted("Rejoindre une place");
    ImGui::PopFont();

    if (f.done) {
        ui_banner("Merci ! Votre demande est en attente de validation par l’équipe de l’association. "
                  "Vous recevrez un message dès qu’elle sera acceptée ; vous pourrez alors vous connecter.",
                  ui_color::success);
        if (ui_primary_button("Retour à la connexion", true, ImVec2(-1, 0))) {
            f = SignupForm{};
            ctx.navigate(Route{Screen::Login, 0});
        }
        ui_end_card();
        return;
    }

    ui_text_colored(ui_color::muted, "Votre organisation propose des places (partenaire culturel) ou accompagne des "
                                     "personnes (structure sociale) ?");
    if (ImGui::RadioButton("Structure sociale (CCAS, centre social, association…)", f.draft.kind == "structure"))
        f.draft.kind = "structure";
    if (ImGui::RadioButton("Partenaire culturel (théâtre, musée, club, festival…)", f.draft.kind == "partner"))
        f.draft.kind = "partner";

    uneplace::OrganisationDraft checked = f.draft;
    const auto refusals = uneplace::validate_organisation(checked);
    auto field = [&](const char* caption, std::string* value, const char* name, int flags = UiField_None,
                     const char* hint = nullptr) {
        ui_text_field(caption, value, flags, hint);
        if (ImGui::IsItemDeactivated() && f.visited.find(name) == std::string::npos)
            f.visited += std::string(name) + " ";
        if (!value->empty() || f.visited.find(name) != std::string::npos) ui_field_error(ws_error_for(refusals, name));
    };
    field("Nom de l’organisation", &f.draft.name, "name");
    ImGui::TextUnformatted("Département");
    const std::string preview =
        f.draft.territory.empty()
            ? "Choisir…"
            : f.draft.territory + " " + std::string(uneplace::departement_name(f.draft.territory));
    ImGui::SetNextItemWidth(-1);
    if (ui_begin_combo("##Département de l’organisation", preview.c_str(), ImGuiComboFlags_HeightLarge)) {
        for (const auto& d : uneplace::all_departements()) {
            const std::string label = std::string(d.code) + " " + std::string(d.name_fr);
            if (ImGui::Selectable(label.c_str(), f.draft.territory == d.code)) f.draft.territory = std::string(d.code);
        }
        ImGui::EndCombo();
    }
    field("Votre nom (personne de contact)", &f.draft.contact_display_name, "contact.display_name");
    field("Votre adresse e-mail", &f.draft.contact_email, "contact.email");
    field("Mot de passe (12 caractères au moins)", &f.draft.contact_password, "contact.password", UiField_Password);
    if (f.error) ui_banner(f.error->message, ui_color::danger);
    if (ui_primary_button("Envoyer ma demande", refusals.empty() && !f.busy, ImVec2(-1, 0))) submit();
    if (ui_secondary_button("J’ai déjà un compte", true, ImVec2(-1, 0))) ctx.navigate(Route{Screen::Login, 0});
    ui_end_card();
}
