// uneplace client — « Mes préférences »: which e-mails the user receives (M5). Reminders before an
// outing (M2) and requests for feedback after it (M4) may be turned off; confirmations (M1) and
// the messages saying a place will not come (M3) always go, and the screen says so.
#include "api/calls.hpp"
#include "api/remote.hpp"
#include "imgui.h"
#include "screens/screens.hpp"
#include "ui/theme.hpp"

namespace {
struct PreferencesState {
    Remote<MailPreferences> saved;
    MailPreferences editing;
    bool editing_loaded = false;
    bool saving = false;
    unsigned save_ticket = 0;  // as Remote's tickets: an answer arriving after a logout is dropped
    std::optional<ApiError> save_error;
    std::string notice;
    double notice_at = 0;
};
PreferencesState g_prefs;
}  // namespace

void reset_preferences(Reset what) {
    if (what == Reset::Everything) g_prefs = {};
    else g_prefs.saved.retry();
}

void draw_preferences(Ctx&) {
    PreferencesState& s = g_prefs;
    if (s.saved.needs_load()) remote_load(s.saved, api_mail_preferences);
    if (s.saved.ready() && !s.editing_loaded) {
        s.editing = *s.saved.value;
        s.editing_loaded = true;
    }
    screen_title("Mes préférences", "Les e-mails que vous recevez de la billetterie.");
    if (s.saved.error) ui_banner(s.saved.error->message, ui_color::danger);
    if (s.save_error) ui_banner(s.save_error->message, ui_color::danger);
    ui_notice(s.notice, s.notice_at);
    if (!s.editing_loaded) return;

    ui_paragraph("Toujours envoyés : la confirmation d’une réservation, avec l’invitation à imprimer, et les "
                 "messages qui annoncent qu’une place ne viendra pas (séance annulée, tirage au sort perdu, liste "
                 "d’attente close).",
                 720.0f, ui_color::muted);
    ImGui::Spacing();
    ImGui::Checkbox("Rappel avant la sortie (trois jours avant)", &s.editing.reminders);
    ImGui::Checkbox("Demande d’avis après la sortie", &s.editing.feedback_requests);
    ImGui::Spacing();
    const bool changed = s.editing.reminders != s.saved.value->reminders ||
                         s.editing.feedback_requests != s.saved.value->feedback_requests;
    if (ui_primary_button("Enregistrer mes préférences", changed && !s.saving)) {
        s.saving = true;
        s.save_error.reset();
        const unsigned ticket = s.save_ticket = remote_next_ticket();
        api_save_mail_preferences(
            s.editing,
            [ticket](MailPreferences saved) {
                if (g_prefs.save_ticket != ticket) return;
                g_prefs.saving = false;
                g_prefs.saved.value = saved;
                g_prefs.editing = saved;
                g_prefs.notice = "Préférences enregistrées.";
                g_prefs.notice_at = ImGui::GetTime();
            },
            [ticket](const ApiError& e) {
                if (g_prefs.save_ticket != ticket) return;
                g_prefs.saving = false;
                g_prefs.save_error = e;
            });
    }
}
