// uneplace client — the administrators' outbox (M6): the e-mails that could not be sent and why,
// those still waiting, and a notice when the server has no mail server (--smtp) at all.
#include "api/calls.hpp"
#include "api/remote.hpp"
#include "imgui.h"
#include "screens/screens.hpp"
#include "ui/theme.hpp"
#include "uneplace/local_time.hpp"

namespace {

// The tabs: what an administrator acts on first (failures), then what waits, then what went.
constexpr const char* kStatuses[] = {"failed", "queued", "sent"};
constexpr const char* kStatusLabels[] = {"Échecs", "En attente", "Envoyés"};

struct OutboxState {
    int tab = 0;
    Remote<OutboxPage> page;
};
OutboxState g_outbox;

// Lines wrap at this width (ui_paragraph also records them for the accessibility mirror and tests).
constexpr float kMeasure = 900.0f;

std::string when(const std::string& rfc3339) {
    const auto t = uneplace::parse_utc_instant(rfc3339);
    // Paris time: the association's office reads the outbox, not a venue.
    return t.ok() ? uneplace::format_datetime_fr("75", t.value) : rfc3339;
}

}  // namespace

void reset_admin_outbox(Reset what) {
    if (what == Reset::Everything) g_outbox = {};
    else g_outbox.page.retry();
}

void draw_admin_outbox(Ctx&) {
    OutboxState& s = g_outbox;
    if (s.page.needs_load())
        remote_load(s.page, [&](auto ok, auto fail) { api_outbox(kStatuses[s.tab], std::move(ok), std::move(fail)); });
    screen_title("Envois d’e-mails",
                 "Confirmations, rappels et messages aux relais : ce qui n’a pas pu partir, et pourquoi.");
    if (s.page.error) ui_banner(s.page.error->message, ui_color::danger);
    if (s.page.ready() && !s.page.value->mail_configured)
        ui_banner("Aucun serveur d’envoi n’est configuré : les e-mails restent en attente. Démarrez le serveur avec "
                  "--smtp (voir le guide d’administration).",
                  ui_color::danger);
    for (int i = 0; i < 3; ++i) {
        if (i > 0) ImGui::SameLine();
        const bool on = s.tab == i;
        if (on ? ui_primary_button(kStatusLabels[i]) : ui_secondary_button(kStatusLabels[i])) {
            s.tab = i;
            s.page.invalidate();
        }
    }
    ImGui::SameLine();
    if (ui_secondary_button("Actualiser", !s.page.loading)) s.page.invalidate();
    if (!s.page.ready()) return;
    const OutboxPage& p = *s.page.value;
    ui_paragraph(std::to_string(p.failed) + " en échec, " + std::to_string(p.queued) + " en attente d’envoi.", kMeasure,
                 ui_color::muted);
    for (const OutboxLine& l : p.items) {
        ImGui::PushID(static_cast<int>(l.id));
        ImGui::Separator();
        ui_text_ellipsis(l.kind + " · " + l.subject);
        ui_paragraph("À " + l.recipient + " · créé le " + when(l.created_at) + " · " + std::to_string(l.attempts) +
                         " essai" + (l.attempts > 1 ? "s" : ""),
                     kMeasure, ui_color::muted);
        if (!l.last_error.empty())
            ui_paragraph("Erreur : " + l.last_error, kMeasure,
                         l.status == "failed" ? ui_color::danger : ui_color::muted);
        if (l.status == "queued" && !l.next_attempt_at.empty())
            ui_paragraph("Prochain essai le " + when(l.next_attempt_at), kMeasure, ui_color::muted);
        if (l.status == "sent" && !l.sent_at.empty())
            ui_paragraph("Envoyé le " + when(l.sent_at), kMeasure, ui_color::success);
        ImGui::PopID();
    }
    if (p.items.empty())
        ui_paragraph(s.tab == 0 ? "Aucun échec d’envoi." : "Aucun message ici pour le moment.", kMeasure,
                     ui_color::muted);
}
