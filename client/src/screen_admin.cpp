// uneplace client — the administrators' workspace: approvals, territories, directory, audit, impact.
#include "app.hpp"
#include "imgui.h"
#include "ui.hpp"

void show_admin_screen(AppState& app) {
    (void)app;
    screen_title("Administration");
}
