// uneplace client — the application frame: session, routing, top bar, screen dispatch.
//
// Index of this file:
// [SECTION] Routing
// [SECTION] Top bar
// [SECTION] Frame

#include "app.hpp"

#include "imgui.h"
#include "platform.hpp"
#include "ui.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] Routing
//-------------------------------------------------------------------------------------------------

void app_navigate(AppState& app, Route route) {
    app.route = route;
    platform_set_location_hash(route_hash(route), false);
}

// The hash is the source of truth: back, forward and a pasted deep link all change it.
static void follow_location_hash(AppState& app) {
    const Route wanted = parse_route(platform_location_hash());
    if (!(wanted == app.route)) app.route = wanted;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Top bar
//-------------------------------------------------------------------------------------------------

static void show_top_bar(AppState& app) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetWindowPos();
    const float width = ImGui::GetWindowWidth();
    const float height = 64.0f;
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), ui_color::surface);
    dl->AddLine(ImVec2(origin.x, origin.y + height), ImVec2(origin.x + width, origin.y + height), IM_COL32(220, 218, 214, 255));

    ImGui::SetCursorScreenPos(ImVec2(origin.x + 24, origin.y + 14));
    ImGui::PushFont(g_fonts.title);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(ui_color::primary));
    ImGui::TextUnformatted("une place");
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 9);
    ImGui::TextDisabled("billetterie solidaire");

    if (api_pending() > 0) {
        ImGui::SameLine(0, 24);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 2);
        ui_spinner(10.0f);
        ImGui::SameLine();
        ImGui::TextDisabled("Chargement…");
    }

    if (g_api_session.user) {
        const std::string who = g_api_session.user->display_name;
        const float button_w = ImGui::CalcTextSize("Se déconnecter").x + 2 * ImGui::GetStyle().FramePadding.x;
        const float who_w = ImGui::CalcTextSize(who.c_str()).x;
        ImGui::SetCursorScreenPos(ImVec2(origin.x + width - 24 - button_w - 16 - who_w, origin.y + 22));
        ImGui::TextUnformatted(who.c_str());
        ImGui::SetCursorScreenPos(ImVec2(origin.x + width - 24 - button_w, origin.y + 13));
        if (ui_secondary_button("Se déconnecter")) {
            api_logout([] {});
            app.login = LoginScreenState{};
            app.catalogue = CatalogueScreenState{};
            app.notice = "Vous êtes déconnecté·e. À bientôt !";
            app_navigate(app, Route{Screen::Login, 0});
        }
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height + 1));
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Frame
//-------------------------------------------------------------------------------------------------

void app_frame(AppState& app) {
    follow_location_hash(app);

    // A reload keeps the HttpOnly session cookie: ask the server who we are, once.
    if (!app.checked_session && !app.checking_session) {
        app.checking_session = true;
        g_api_session.csrf_token = platform_session_get("csrf_token");
        api_me([&app](std::optional<User>, const ApiError&) {
            app.checking_session = false;
            app.checked_session = true;
        });
    }

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("uneplace", nullptr, flags);
    ImGui::PopStyleVar();
    show_top_bar(app);

    if (!app.checked_session) {
        // Nothing to show before we know whether a session exists.
    } else if (!g_api_session.user) {
        show_login_screen(app);
    } else {
        if (app.route.screen == Screen::Login) app_navigate(app, Route{Screen::Catalogue, 0});
        show_catalogue_screen(app);
    }
    ImGui::End();
}
