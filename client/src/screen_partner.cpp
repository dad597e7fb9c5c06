// uneplace client — the partner's workspace: venues, offers, sessions, guest list and check-in.
#include "app.hpp"
#include "imgui.h"
#include "ui.hpp"

void show_partner_screen(AppState& app) {
    (void)app;
    screen_title("Espace partenaire");
}
