// uneplace client — « Mon compte »: securing one's own account (API.md « Accounts and operations »).
// Three sections, each its own card: the password (the current one is asked; the other sessions
// end), the second factor (a QR code and its secret for an authenticator app, confirmed by a code,
// then ten recovery codes shown this once), and the sessions open on other browsers, each of which
// can be ended. An administrator without the second factor is sent here by the shell and stays
// until it is on: the server refuses everything else meanwhile.
#include <algorithm>

#include "api/calls.hpp"
#include "api/remote.hpp"
#include "imgui.h"
#include "platform.hpp"
#include "screens/screens.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/validation.hpp"
#include "widget_registry.hpp"

namespace {

struct AccountState {
    // Password.
    std::string current_password, new_password, confirmation;
    bool saving_password = false;
    std::optional<ApiError> password_error;
    // Second factor: the enrolment in progress, then the recovery codes (shown until dismissed).
    std::optional<TotpEnrolment> enrolment;
    std::string code;
    bool totp_busy = false;
    std::optional<ApiError> totp_error;
    std::vector<std::string> recovery_codes;
    // Sessions.
    Remote<std::vector<LoginSession>> sessions;
    long long ending_id = 0;
    std::optional<ApiError> sessions_error;

    int last_frame = -1;  // the frame the screen was last drawn: coming back reads the sessions again
    unsigned ticket = 0;  // as Remote's tickets: an answer arriving after a logout is dropped
    std::string notice;
    double notice_at = 0;
};
AccountState g_account;

constexpr float kMeasure = 720.0f;

void say(const std::string& text) {
    g_account.notice = text;
    g_account.notice_at = ImGui::GetTime();
}

//-----------------------------------------------------------------------------
// Password
//-----------------------------------------------------------------------------

void change_password() {
    AccountState& s = g_account;
    s.saving_password = true;
    s.password_error.reset();
    const unsigned ticket = s.ticket = remote_next_ticket();
    api_change_password(
        s.current_password, s.new_password,
        [ticket] {
            if (g_account.ticket != ticket) return;
            g_account.saving_password = false;
            g_account.current_password.clear();
            g_account.new_password.clear();
            g_account.confirmation.clear();
            g_account.sessions.invalidate();
            say("Mot de passe changé. Vos autres sessions sont terminées.");
        },
        [ticket](const ApiError& e) {
            if (g_account.ticket != ticket) return;
            g_account.saving_password = false;
            g_account.password_error = e;
        });
}

void draw_password_card() {
    AccountState& s = g_account;
    ui_begin_card(kMeasure);
    ws_heading("Mot de passe");
    ui_paragraph("Au moins 12 caractères, et pas un mot de passe courant : une phrase de plusieurs mots se retient "
                 "mieux. Changer le mot de passe termine vos sessions sur les autres navigateurs.",
                 kMeasure - 32.0f, ui_color::muted);
    ui_text_field("Mot de passe actuel", &s.current_password, UiField_Password);
    ui_text_field("Nouveau mot de passe", &s.new_password, UiField_Password);
    // The shared rule, as the person types.
    const std::string new_password_error =
        ui_typing_feedback(s.new_password, uneplace::validate_password(s.new_password));
    ui_field_error(new_password_error);
    ui_text_field("Confirmer le nouveau mot de passe", &s.confirmation, UiField_Password);
    const bool mismatch = !s.confirmation.empty() && s.confirmation != s.new_password;
    if (mismatch) ui_field_error("Les deux saisies du nouveau mot de passe diffèrent.");
    if (s.password_error) ui_field_error(s.password_error->message);
    const bool ready = !s.saving_password && !s.current_password.empty() && !s.new_password.empty() &&
                       new_password_error.empty() && s.confirmation == s.new_password;
    if (ui_primary_button(s.saving_password ? "Enregistrement…###Changer" : "Changer le mot de passe###Changer", ready))
        change_password();
    ui_end_card();
}

//-----------------------------------------------------------------------------
// Second factor
//-----------------------------------------------------------------------------

void start_totp() {
    AccountState& s = g_account;
    s.totp_busy = true;
    s.totp_error.reset();
    const unsigned ticket = s.ticket = remote_next_ticket();
    api_start_totp(
        [ticket](TotpEnrolment e) {
            if (g_account.ticket != ticket) return;
            g_account.totp_busy = false;
            g_account.enrolment = std::move(e);
            g_account.code.clear();
        },
        [ticket](const ApiError& e) {
            if (g_account.ticket != ticket) return;
            g_account.totp_busy = false;
            g_account.totp_error = e;
        });
}

void confirm_totp() {
    AccountState& s = g_account;
    s.totp_busy = true;
    s.totp_error.reset();
    const unsigned ticket = s.ticket = remote_next_ticket();
    api_confirm_totp(
        s.code,
        [ticket](std::vector<std::string> codes) {
            if (g_account.ticket != ticket) return;
            g_account.totp_busy = false;
            g_account.enrolment.reset();
            g_account.code.clear();
            g_account.recovery_codes = std::move(codes);
            say("Vérification en deux étapes activée.");
        },
        [ticket](const ApiError& e) {
            if (g_account.ticket != ticket) return;
            g_account.totp_busy = false;
            g_account.code.clear();
            g_account.totp_error = e;
        });
}

// The QR code of the otpauth:// address, drawn module by module with a white quiet zone of four
// modules (what phone cameras need to find it), whatever the theme's background.
void draw_qr(const TotpEnrolment& e) {
    if (e.qr_size <= 0) return;
    const float module = 4.0f;
    const float side = static_cast<float>(e.qr_size + 8) * module;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(at, ImVec2(at.x + side, at.y + side), IM_COL32(255, 255, 255, 255));
    for (int y = 0; y < e.qr_size; ++y)
        for (int x = 0; x < e.qr_size; ++x) {
            if (e.qr_modules[static_cast<std::size_t>(y * e.qr_size + x)] != '1') continue;
            const ImVec2 a(at.x + static_cast<float>(x + 4) * module, at.y + static_cast<float>(y + 4) * module);
            draw->AddRectFilled(a, ImVec2(a.x + module, a.y + module), IM_COL32(0, 0, 0, 255));
        }
    ImGui::Dummy(ImVec2(side, side));
    registry_add_text("QR code à scanner avec votre application d’authentification", ImGui::GetItemRectMin(),
                      ImGui::GetItemRectMax());
}

// The base32 secret in groups of four, for typing it by hand.
std::string grouped(const std::string& secret) {
    std::string out;
    for (std::size_t i = 0; i < secret.size(); ++i) {
        if (i > 0 && i % 4 == 0) out += ' ';
        out += secret[i];
    }
    return out;
}

void draw_second_factor_card(const User& me) {
    AccountState& s = g_account;
    ui_begin_card(kMeasure);
    ws_heading("Vérification en deux étapes");
    if (!s.recovery_codes.empty()) {
        ui_paragraph("Activée. Voici vos 10 codes de secours.", kMeasure - 32.0f, ui_color::success);
        ui_paragraph("Chaque code ouvre une connexion, une seule fois, si vous n’avez plus votre téléphone. Notez-les "
                     "ou imprimez-les et gardez-les à part : ils ne seront plus jamais affichés.",
                     kMeasure - 32.0f, ui_color::muted);
        for (const std::string& c : s.recovery_codes) ws_text_item(c);
        std::string all;
        for (const std::string& c : s.recovery_codes) all += c + "\n";
        if (ui_primary_button("Copier les codes")) {
            platform_clipboard_write(all);
            say("Codes de secours copiés.");
        }
        ImGui::SameLine();
        if (ui_secondary_button("J’ai noté mes codes")) s.recovery_codes.clear();
    } else if (me.second_factor) {
        ui_paragraph("Activée sur ce compte.", kMeasure - 32.0f, ui_color::success);
        ui_paragraph("À chaque connexion, le code de votre application d’authentification est demandé après le mot "
                     "de passe.",
                     kMeasure - 32.0f, ui_color::muted);
    } else if (s.enrolment) {
        ui_paragraph("1. Dans votre application d’authentification (FreeOTP, Aegis, Google Authenticator…), scannez ce "
                     "QR code, ou saisissez la clé ci-dessous.",
                     kMeasure - 32.0f);
        draw_qr(*s.enrolment);
        ui_paragraph("Clé : " + grouped(s.enrolment->secret), kMeasure - 32.0f, ui_color::muted);
        if (ui_secondary_button("Copier la clé")) {
            platform_clipboard_write(s.enrolment->secret);
            say("Clé copiée.");
        }
        ui_paragraph("2. Saisissez le code à 6 chiffres que l’application affiche.", kMeasure - 32.0f);
        if (ui_text_field("Code de vérification", &s.code, UiField_EnterSubmits, "123456") && !s.code.empty())
            confirm_totp();
        if (s.totp_error) ui_field_error(s.totp_error->message);
        if (ui_primary_button("Activer la vérification", !s.totp_busy && !s.code.empty())) confirm_totp();
    } else {
        ui_paragraph("Un code à 6 chiffres, donné par une application de votre téléphone, s’ajoute au mot de passe : "
                     "un mot de passe volé ne suffit plus pour entrer.",
                     kMeasure - 32.0f, ui_color::muted);
        if (s.totp_error) ui_field_error(s.totp_error->message);
        if (ui_primary_button("Configurer la vérification en deux étapes", !s.totp_busy)) start_totp();
    }
    ui_end_card();
}

//-----------------------------------------------------------------------------
// Sessions
//-----------------------------------------------------------------------------

// "Firefox sur Android" from a browser's User-Agent: enough for a person to recognise a device.
std::string device_words(const std::string& agent) {
    auto has = [&](const char* s) { return agent.find(s) != std::string::npos; };
    const char* browser = has("Edg/")                         ? "Edge"
                          : has("Firefox/")                   ? "Firefox"
                          : has("Chrome/") || has("Chromium") ? "Chrome"
                          : has("Safari/")                    ? "Safari"
                          : agent.empty()                     ? "Navigateur inconnu"
                                                              : nullptr;
    const char* system = has("Android")                        ? "Android"
                         : has("iPhone") || has("iPad")        ? "iOS"
                         : has("Windows")                      ? "Windows"
                         : has("Mac OS X") || has("Macintosh") ? "macOS"
                         : has("Linux")                        ? "Linux"
                                                               : nullptr;
    std::string out = browser ? browser : agent.substr(0, 40);
    if (system) out += std::string(" sur ") + system;
    return out;
}

void end_session(long long id) {
    AccountState& s = g_account;
    s.ending_id = id;
    s.sessions_error.reset();
    const unsigned ticket = s.ticket = remote_next_ticket();
    api_end_login_session(
        id,
        [ticket] {
            if (g_account.ticket != ticket) return;
            g_account.ending_id = 0;
            g_account.sessions.invalidate();
            say("Session terminée : ce navigateur devra se reconnecter.");
        },
        [ticket](const ApiError& e) {
            if (g_account.ticket != ticket) return;
            g_account.ending_id = 0;
            g_account.sessions_error = e;
            g_account.sessions.invalidate();
        });
}

void draw_sessions_card(const std::string& territory) {
    AccountState& s = g_account;
    ui_begin_card(kMeasure);
    ws_heading("Sessions ouvertes");
    ui_paragraph("Les navigateurs où votre compte est connecté. Vous ne reconnaissez pas l’un d’eux ? Terminez sa "
                 "session et changez votre mot de passe.",
                 kMeasure - 32.0f, ui_color::muted);
    if (s.sessions.error) ui_field_error(s.sessions.error->message);
    if (s.sessions_error) ui_field_error(s.sessions_error->message);
    for (const LoginSession& l : remote_or_empty(s.sessions)) {
        ImGui::PushID(static_cast<int>(l.id));
        ImGui::Separator();
        ws_text_item(device_words(l.user_agent) + (l.current ? " · ce navigateur" : ""));
        ui_paragraph("Connexion le " + ws_when(l.created_at, territory) + " · dernière activité " +
                         ws_when(l.last_seen_at, territory),
                     kMeasure - 32.0f, ui_color::muted);
        if (!l.current && ui_secondary_button("Terminer cette session", s.ending_id == 0)) end_session(l.id);
        ImGui::PopID();
    }
    ui_end_card();
}

}  // namespace

void reset_account(Reset what) {
    if (what == Reset::Everything) g_account = {};
    else g_account.sessions.retry();
}

void draw_account(Ctx& ctx) {
    AccountState& s = g_account;
    if (!ctx.user) return;
    // Sessions open and end elsewhere while the person is away from this screen: read them again
    // each time it is opened.
    if (s.last_frame != ImGui::GetFrameCount() - 1 && !s.sessions.loading) s.sessions.invalidate();
    s.last_frame = ImGui::GetFrameCount();
    if (s.sessions.needs_load()) remote_load(s.sessions, api_login_sessions);
    const std::string who = ctx.user->display_name + " · " + ctx.user->email;
    screen_title("Mon compte", who.c_str());
    if (ctx.user->second_factor_setup_required)
        ui_banner(std::string(uneplace::message_fr("second_factor_required")) +
                      " Configurez-la ci-dessous : les autres écrans s’ouvriront ensuite.",
                  ui_color::danger);
    ui_notice(s.notice, s.notice_at);
    const std::string territory = ctx.user->organisation_territory.empty() ? "75" : ctx.user->organisation_territory;
    draw_second_factor_card(*ctx.user);
    ImGui::Spacing();
    draw_password_card();
    ImGui::Spacing();
    draw_sessions_card(territory);
}
