// uneplace client — « Clés d’API »: the keys a partner's own ticketing system uses to push its
// venues, offers and sessions and to read its bookings (API.md "Ticketing-network feed"). A key
// is shown once, right after it is made, with a copy button: the server keeps only its digest,
// so nobody can show it again. Revoking asks for a confirmation: the network's next call fails.
#include "api/calls.hpp"
#include "api/remote.hpp"
#include "imgui.h"
#include "platform.hpp"
#include "screens/screens.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"

namespace {

struct ScopeChoice {
    const char* code;
    const char* label;
};
constexpr ScopeChoice kScopes[] = {
    {"feed:write", "Envoyer lieux, offres et séances (feed:write)"},
    {"feed:read", "Lire les réservations (feed:read)"},
    {"webhooks", "Recevoir les événements par webhook (webhooks)"},
};
constexpr int kScopeCount = static_cast<int>(sizeof kScopes / sizeof kScopes[0]);

struct ApiKeysState {
    Remote<std::vector<ApiKey>> keys;
    // The form.
    std::string name;
    bool scopes[kScopeCount] = {true, true, false};
    std::string idempotency_key;  // a key is made once, even if the answer is lost
    bool creating = false;
    std::optional<ApiError> create_error;
    // The key just made: shown until dismissed, never again.
    std::string shown_key, shown_name;
    // Revocation: the key waiting for a confirmation.
    long long confirm_id = 0;
    std::string confirm_name;
    bool revoking = false;
    std::optional<ApiError> revoke_error;
    unsigned ticket = 0;  // as Remote's tickets: an answer arriving after a logout is dropped
    std::string notice;
    double notice_at = 0;
};
ApiKeysState g_keys;

constexpr float kMeasure = 760.0f;

std::string scopes_words(const std::vector<std::string>& scopes) {
    std::string out;
    for (const auto& s : scopes) out += (out.empty() ? "" : ", ") + s;
    return out.empty() ? "aucun droit" : out;
}

void create_key() {
    ApiKeysState& s = g_keys;
    std::vector<std::string> scopes;
    for (int i = 0; i < kScopeCount; ++i)
        if (s.scopes[i]) scopes.emplace_back(kScopes[i].code);
    if (s.idempotency_key.empty()) s.idempotency_key = api_new_idempotency_key();
    s.creating = true;
    s.create_error.reset();
    const unsigned ticket = s.ticket = remote_next_ticket();
    api_create_api_key(
        s.name, scopes, s.idempotency_key,
        [ticket](ApiKey k) {
            if (g_keys.ticket != ticket) return;
            g_keys.creating = false;
            g_keys.shown_key = k.key;
            g_keys.shown_name = k.name;
            g_keys.name.clear();
            g_keys.idempotency_key.clear();
            g_keys.keys.invalidate();
        },
        [ticket](const ApiError& e) {
            if (g_keys.ticket != ticket) return;
            g_keys.creating = false;
            g_keys.create_error = e;
            if (e.status != 0) g_keys.idempotency_key.clear();  // refused: the next try is a new request
        });
}

void revoke_key() {
    ApiKeysState& s = g_keys;
    s.revoking = true;
    s.revoke_error.reset();
    const unsigned ticket = s.ticket = remote_next_ticket();
    api_revoke_api_key(
        s.confirm_id,
        [ticket](ApiKey k) {
            if (g_keys.ticket != ticket) return;
            g_keys.revoking = false;
            g_keys.confirm_id = 0;
            g_keys.notice = "Clé « " + k.name + " » révoquée : elle est refusée dès maintenant.";
            g_keys.notice_at = ImGui::GetTime();
            g_keys.keys.invalidate();
        },
        [ticket](const ApiError& e) {
            if (g_keys.ticket != ticket) return;
            g_keys.revoking = false;
            g_keys.revoke_error = e;
        });
}

void draw_new_key() {
    ApiKeysState& s = g_keys;
    ui_begin_card(kMeasure);
    ui_text_colored(ui_color::success, "Clé « " + s.shown_name + " » créée");
    ui_paragraph("Copiez-la maintenant et gardez-la dans votre système de billetterie : elle ne sera plus jamais "
                 "affichée. Perdue, elle se remplace par une nouvelle clé.",
                 kMeasure - 32.0f, ui_color::muted);
    ui_paragraph(s.shown_key, kMeasure - 32.0f);
    if (ui_primary_button("Copier la clé")) {
        platform_clipboard_write(s.shown_key);
        s.notice = "Clé copiée.";
        s.notice_at = ImGui::GetTime();
    }
    ImGui::SameLine();
    if (ui_secondary_button("J’ai copié la clé")) s.shown_key.clear();
    ui_end_card();
}

void draw_form() {
    ApiKeysState& s = g_keys;
    ImGui::TextUnformatted("Nouvelle clé");
    ui_text_field("Nom de la clé", &s.name, UiField_None, "ex. Billetterie du réseau");
    for (int i = 0; i < kScopeCount; ++i) ImGui::Checkbox(kScopes[i].label, &s.scopes[i]);
    if (s.create_error) ui_field_error(s.create_error->message);
    bool any = false;
    for (bool b : s.scopes) any = any || b;
    if (ui_primary_button("Créer la clé", !s.creating && any && !s.name.empty())) create_key();
}

void draw_key_line(const ApiKey& k) {
    ApiKeysState& s = g_keys;
    ImGui::PushID(static_cast<int>(k.id));
    ImGui::Separator();
    ui_text_ellipsis(k.name + " · " + k.prefix + "…");
    ui_paragraph("Droits : " + scopes_words(k.scopes) + " · créée le " + ws_date(k.created_at) +
                     " · dernière utilisation : " + (k.last_used_at.empty() ? "jamais" : ws_when(k.last_used_at, "75")),
                 kMeasure, ui_color::muted);
    if (!k.revoked_at.empty()) {
        ui_paragraph("Révoquée le " + ws_when(k.revoked_at, "75"), kMeasure, ui_color::danger);
    } else if (s.confirm_id == k.id) {
        ui_paragraph("Révoquer « " + k.name + " » ? Les requêtes faites avec cette clé seront refusées aussitôt.",
                     kMeasure, ui_color::danger);
        if (s.revoke_error) ui_field_error(s.revoke_error->message);
        if (ui_primary_button("Confirmer la révocation", !s.revoking)) revoke_key();
        ImGui::SameLine();
        if (ui_secondary_button("Garder la clé", !s.revoking)) s.confirm_id = 0;
    } else if (ui_secondary_button("Révoquer")) {
        s.confirm_id = k.id;
        s.confirm_name = k.name;
        s.revoke_error.reset();
    }
    ImGui::PopID();
}

}  // namespace

void reset_partner_api_keys(Reset what) {
    if (what == Reset::Everything) g_keys = {};
    else g_keys.keys.retry();
}

void draw_partner_api_keys(Ctx&) {
    ApiKeysState& s = g_keys;
    if (s.keys.needs_load()) remote_load(s.keys, api_api_keys);
    screen_title("Clés d’API", "Pour le système de billetterie de votre réseau : il envoie vos séances et lit les "
                               "réservations, sans passer par ces écrans.");
    if (s.keys.error) ui_banner(s.keys.error->message, ui_color::danger);
    ui_notice(s.notice, s.notice_at);
    if (!s.shown_key.empty()) draw_new_key();
    ImGui::Spacing();
    draw_form();
    ImGui::Spacing();
    // The last use moves while the screen is open (the network calls meanwhile): read it again.
    if (ui_secondary_button("Actualiser la liste", !s.keys.loading)) s.keys.invalidate();
    const auto& keys = remote_or_empty(s.keys);
    for (const ApiKey& k : keys) draw_key_line(k);
    if (s.keys.ready() && keys.empty()) ui_paragraph("Aucune clé pour le moment.", kMeasure, ui_color::muted);
}
