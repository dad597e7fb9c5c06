// uneplace client — the application frame: session, routing, top bar, screen dispatch.
//
// Index of this file:
// [SECTION] Routing
// [SECTION] Top bar
// [SECTION] Frame

#include "app.hpp"

#include <span>

#include <nlohmann/json.hpp>

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

    if (g_api_session.offline) {
        ImGui::SameLine(0, 24);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 2);
        ui_text_colored(ui_color::danger, "Serveur injoignable : nouvel essai automatique…");
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
            // A new user on this browser must not see the previous one's data.
            const Route login{Screen::Login, 0};
            app = AppState{};
            app.checked_session = true;
            app.route = login;
            app.after_login = Route{Screen::Catalogue, 0};
            app.notice = "Vous êtes déconnecté·e. À bientôt !";
            app_navigate(app, Route{Screen::Login, 0});
        }
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height + 1));
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Navigation by role
//-------------------------------------------------------------------------------------------------

struct NavEntry {
    const char* label;
    Screen screen;
};
static const NavEntry kSocialWorkerNav[] = {
    {"Catalogue", Screen::Catalogue},
    {"Bénéficiaires", Screen::Beneficiaries},
    {"Mes réservations", Screen::Bookings},
    {"Notifications", Screen::Notifications},
};
static const NavEntry kPartnerNav[] = {
    {"Mes offres", Screen::PartnerOffers},
    {"Mes lieux", Screen::PartnerVenues},
    {"Notifications", Screen::Notifications},
};
static const NavEntry kAdminNav[] = {
    {"Validations", Screen::AdminQueues},
    {"Impact", Screen::Dashboard},
    {"Catalogue", Screen::Catalogue},
    {"Annuaire", Screen::AdminDirectory},
    {"Territoires", Screen::AdminSettings},
    {"Journal d’audit", Screen::AdminAudit},
};

static std::span<const NavEntry> nav_for(const std::string& role) {
    if (role == "partner") return kPartnerNav;
    if (role == "admin") return kAdminNav;
    return kSocialWorkerNav;
}

// The screen a role lands on, and whether a screen belongs to a role's workspace.
static Screen home_screen(const std::string& role) {
    if (role == "partner") return Screen::PartnerOffers;
    if (role == "admin") return Screen::AdminQueues;
    return Screen::Catalogue;
}

static bool screen_allowed(const std::string& role, Screen screen) {
    switch (screen) {
        case Screen::Login: case Screen::Signup: return false;  // logged in: go home
        case Screen::Notifications: return true;
        case Screen::Catalogue: case Screen::SessionDetail: return role == "social_worker" || role == "admin";
        case Screen::Beneficiaries: case Screen::Bookings: return role == "social_worker";
        case Screen::PartnerVenues: case Screen::PartnerOffers: case Screen::PartnerSession: return role == "partner";
        default: return role == "admin";
    }
}

// Which nav entry is lit for a screen (a session's detail belongs to the catalogue…).
static Screen nav_parent(Screen screen) {
    if (screen == Screen::SessionDetail) return Screen::Catalogue;
    if (screen == Screen::PartnerSession) return Screen::PartnerOffers;
    return screen;
}

static void show_sidebar(AppState& app, float width) {
    const std::string& role = g_api_session.user->role;
    ImGui::BeginChild("Navigation", ImVec2(width, 0), false, ImGuiWindowFlags_NoScrollbar);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetWindowPos();
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + ImGui::GetWindowHeight()), IM_COL32(251, 250, 248, 255));
    dl->AddLine(ImVec2(p.x + width - 1, p.y), ImVec2(p.x + width - 1, p.y + ImGui::GetWindowHeight()), IM_COL32(226, 223, 218, 255));
    ImGui::SetCursorPos(ImVec2(16, 20));
    ImGui::BeginGroup();
    const char* role_label = role == "admin" ? "Administration" : role == "partner" ? "Espace partenaire" : "Espace relais";
    ImGui::TextDisabled("%s", role_label);
    ImGui::Spacing();
    const Screen lit = nav_parent(app.route.screen);
    for (const NavEntry& e : nav_for(role)) {
        const bool selected = lit == e.screen;
        if (selected) ImGui::PushFont(g_fonts.bold);
        if (ImGui::Selectable(e.label, selected, 0, ImVec2(width - 32, 34)) && !selected) app_navigate(app, Route{e.screen, 0});
        if (selected) ImGui::PopFont();
    }
    ImGui::EndGroup();
    ImGui::EndChild();
}

void screen_title(const char* title, const char* subtitle) {
    ImGui::PushFont(g_fonts.title);
    ImGui::TextUnformatted(title);
    ImGui::PopFont();
    if (subtitle) ui_text_colored(ui_color::muted, subtitle);
    ImGui::Spacing();
}

static void show_content(AppState& app) {
    switch (app.route.screen) {
        case Screen::Catalogue: show_catalogue_screen(app); break;
        case Screen::SessionDetail: show_session_screen(app); break;
        case Screen::Beneficiaries: show_beneficiaries_screen(app); break;
        case Screen::Bookings: show_bookings_screen(app); break;
        case Screen::Notifications: show_notifications_screen(app); break;
        case Screen::PartnerVenues: case Screen::PartnerOffers: case Screen::PartnerSession: show_partner_screen(app); break;
        case Screen::AdminQueues: case Screen::AdminSettings: case Screen::AdminDirectory: case Screen::AdminAudit:
        case Screen::Dashboard: show_admin_screen(app); break;
        case Screen::Login: case Screen::Signup: break;
    }
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Frame
//-------------------------------------------------------------------------------------------------

// While the server cannot be reached, ask /healthz every few seconds; once it answers, the lists
// that failed reload. Forms keep what was typed throughout.
static void retry_when_offline(AppState& app) {
    static double next_try = 0;
    static bool trying = false;
    if (!g_api_session.offline || trying) return;
    if (ImGui::GetTime() < next_try) return platform_request_frame(next_try - ImGui::GetTime());  // the client sleeps otherwise
    trying = true;
    next_try = ImGui::GetTime() + 4.0;
    api_request("GET", "/healthz", "", [&app](const nlohmann::json&) {
        trying = false;
        if (app.catalogue.error) app.catalogue.loaded = false, app.catalogue.error.reset();
        if (app.beneficiaries.error) app.beneficiaries.loaded = false, app.beneficiaries.error.reset();
        if (app.bookings.error) app.bookings.loaded = false, app.bookings.error.reset();
        if (app.notifications.error) app.notifications.loaded = false, app.notifications.error.reset();
        if (app.session.error) app.session.error.reset(), app.session.session_id = 0;
        if (!app.checked_session) app.checking_session = false;
    }, [](const ApiError&) { trying = false; });
}

void app_frame(AppState& app) {
    follow_location_hash(app);
    retry_when_offline(app);

    // A reload keeps the HttpOnly session cookie: ask the server who we are, once.
    if (!app.checked_session && !app.checking_session) {
        app.checking_session = true;
        app.after_login = app.route;
        g_api_session.csrf_token = platform_session_get("csrf_token");
        api_me([&app](std::optional<User>, const ApiError&) {
            app.checking_session = false;
            app.checked_session = true;
            g_api_session.expired = false;  // no session at start is not an expiry
        });
    }
    if (g_api_session.expired) {
        // Back to login; every screen keeps what was typed, and we come back here afterwards.
        g_api_session.expired = false;
        if (app.route.screen != Screen::Login && app.route.screen != Screen::Signup) app.after_login = app.route;
        app.notice = "Votre session a expiré. Reconnectez-vous : ce que vous aviez saisi est conservé.";
        app_navigate(app, Route{Screen::Login, 0});
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
        if (app.route.screen == Screen::Signup) show_signup_screen(app);
        else show_login_screen(app);
    } else {
        const std::string& role = g_api_session.user->role;
        if (!screen_allowed(role, app.route.screen)) {
            const Route wanted = app.after_login;
            app.after_login = Route{home_screen(role), 0};
            platform_set_location_hash(route_hash(screen_allowed(role, wanted.screen) ? wanted : Route{home_screen(role), 0}), true);
            app.route = parse_route(platform_location_hash());
        }
        const float sidebar_w = 220.0f;
        ImGui::SetCursorPos(ImVec2(0, ImGui::GetCursorPosY()));
        show_sidebar(app, sidebar_w);
        ImGui::SameLine(0, 0);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(32, 24));
        ImGui::BeginChild("Contenu", ImVec2(0, 0), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
        show_content(app);
        ImGui::EndChild();
        ImGui::PopStyleVar();
    }
    ImGui::End();
}
