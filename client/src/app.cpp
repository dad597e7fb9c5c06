// uneplace client — the shell: session, routing, top bar, navigation, and the current screen.
//
// Index of this file:
// [SECTION] Routing
// [SECTION] Top bar
// [SECTION] Navigation
// [SECTION] Session: start, expiry, logout, reconnection
// [SECTION] Frame

#include "app.hpp"

#include <algorithm>

#include "api/calls.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // ImGui::GetItemID()
#include "platform.hpp"
#include "screens.hpp"
#include "ui/theme.hpp"
#include "widget_registry.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] Routing
//-------------------------------------------------------------------------------------------------

void Ctx::navigate(Route to) {
    route = to;
    platform_set_location_hash(route_hash(to), false);
}

// The hash is the source of truth: back, forward and a pasted deep link all change it.
static void follow_location_hash(AppState& app) {
    const Route wanted = parse_route(platform_location_hash());
    if (!(wanted == app.ctx.route)) app.ctx.route = wanted;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Top bar
//-------------------------------------------------------------------------------------------------

static void log_out(AppState& app);

static void show_navigation_menu(AppState& app);

// The brand, what is loading, whether the server answers, who is logged in. On a phone the name
// and the logout go into the menu (the top bar keeps the brand and the menu button).
static void show_top_bar(AppState& app) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetWindowPos();
    const float width = ImGui::GetWindowWidth();
    const bool phone = ui_width() == UiWidth::Phone;
    const float height = phone ? 60.0f : 64.0f;
    const float margin = phone ? 12.0f : 24.0f;
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), ui_color::surface);
    dl->AddLine(ImVec2(origin.x, origin.y + height), ImVec2(origin.x + width, origin.y + height),
                IM_COL32(220, 218, 214, 255));

    // The right side first: the brand's tagline and the status lines give way to it.
    float right_start = origin.x + width - margin;
    const bool logged_in = g_api_session.user && app.checked_session;
    if (logged_in && phone) {
        const char* menu = "Menu";
        const float menu_w = ImGui::CalcTextSize(menu).x + 2 * ImGui::GetStyle().FramePadding.x;
        right_start -= menu_w;
        ImGui::SetCursorScreenPos(ImVec2(right_start, origin.y + (height - kUiTouchTarget) * 0.5f));
        if (ui_secondary_button(menu)) ImGui::OpenPopup("Menu principal");
        show_navigation_menu(app);
    } else if (g_api_session.user) {
        const float button_w = ImGui::CalcTextSize("Se déconnecter").x + 2 * ImGui::GetStyle().FramePadding.x;
        right_start -= button_w;
        ImGui::SetCursorScreenPos(ImVec2(right_start, origin.y + 13));
        if (ui_secondary_button("Se déconnecter")) log_out(app);
        // A long name is cut with "…" (whole on hover) rather than drawn over the tagline.
        const std::string& who = g_api_session.user->display_name;
        const float who_w = std::min(ImGui::CalcTextSize(who.c_str()).x, width * 0.25f);
        right_start -= 16 + who_w;
        ImGui::SetCursorScreenPos(ImVec2(right_start, origin.y + 22));
        ui_text_ellipsis(who, who_w);
    }

    ImGui::SetCursorScreenPos(ImVec2(origin.x + margin, origin.y + (phone ? 12 : 14)));
    ImGui::PushFont(g_fonts.title);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(ui_color::primary));
    ImGui::TextUnformatted("une place");
    ImGui::PopStyleColor();
    ImGui::PopFont();
    const float room = right_start - 24 - ImGui::GetItemRectMax().x;
    const char* tagline = "billetterie solidaire";
    if (!phone && ImGui::CalcTextSize(tagline).x + 16 < room) {
        ImGui::SameLine();
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 9);
        ImGui::TextDisabled("%s", tagline);
    }

    if (api_pending() > 0) {
        ImGui::SameLine(0, phone ? 12 : 24);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 2);
        ui_spinner(10.0f);
        if (!phone) {
            ImGui::SameLine();
            ImGui::TextDisabled("Chargement…");
        }
    }

    if (g_api_session.offline) {
        // On one line where there is room, else under the bar across the whole width.
        const char* offline = "Serveur injoignable : nouvel essai automatique…";
        ImGui::SameLine(0, 24);
        if (ImGui::GetCursorScreenPos().x + ImGui::CalcTextSize(offline).x > right_start - 16)
            ImGui::SetCursorScreenPos(ImVec2(origin.x + margin, origin.y + height + 8));
        else ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 2);
        ui_text_colored(ui_color::danger, offline);
        if (ImGui::GetItemRectMax().y > origin.y + height) {
            ImGui::SetCursorScreenPos(ImVec2(origin.x, ImGui::GetItemRectMax().y + 8));
            return;
        }
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height + 1));
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Navigation
//-------------------------------------------------------------------------------------------------

static const char* role_label(const std::string& role) {
    return role == "admin" ? "Administration" : role == "partner" ? "Espace partenaire" : "Espace relais";
}

// The role's screens, one entry each; `entry_h` high, `width` wide. Returns true when one was chosen.
static bool show_navigation_entries(AppState& app, float width, float entry_h) {
    const std::string& role = g_api_session.user->role;
    const Screen lit = screen_entry(app.ctx.route.screen).nav_parent;
    const unsigned me = screen_role_bit(role);
    bool chosen = false;
    for (const ScreenEntry& e : screen_table()) {
        if (!(e.nav_roles & me)) continue;
        const bool selected = lit == e.screen;
        if (selected) ImGui::PushFont(g_fonts.bold);
        // A lit entry still leads to its screen: from a session's page, "Catalogue" goes back to
        // the catalogue (it is lit because the session belongs to it, not because it is shown).
        if (ImGui::Selectable(e.nav_label, selected, 0, ImVec2(width, entry_h))) {
            chosen = true;
            if (app.ctx.route.screen != e.screen) app.ctx.navigate(Route{e.screen, 0});
        }
        registry_set_role(ImGui::GetItemID(), RegistryRole::Link);
        if (selected) ImGui::PopFont();
    }
    return chosen;
}

static void show_sidebar(AppState& app, float width) {
    // Flattened (as the content): the keyboard's arrows and Tab cross from the navigation to the
    // content and back, one page for Dear ImGui's keyboard navigation as for a web page's.
    ImGui::BeginChild("Navigation", ImVec2(width, 0), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NavFlattened);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetWindowPos();
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + ImGui::GetWindowHeight()), IM_COL32(251, 250, 248, 255));
    dl->AddLine(ImVec2(p.x + width - 1, p.y), ImVec2(p.x + width - 1, p.y + ImGui::GetWindowHeight()),
                IM_COL32(226, 223, 218, 255));
    ImGui::SetCursorPos(ImVec2(16, 20));
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", role_label(g_api_session.user->role));
    ImGui::Spacing();
    show_navigation_entries(app, width - 32, 34);
    ImGui::EndGroup();
    ImGui::EndChild();
}

// On a phone: the navigation, the name and the logout in a menu under the top bar's button,
// across the screen's width, every entry a touch target.
static void show_navigation_menu(AppState& app) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + 8, viewport->Pos.y + 64));
    ImGui::SetNextWindowSize(ImVec2(viewport->Size.x - 16, 0));
    if (!ImGui::BeginPopup("Menu principal")) return;
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::TextDisabled("%s", role_label(g_api_session.user->role));
    if (show_navigation_entries(app, width, kUiTouchTarget)) ImGui::CloseCurrentPopup();
    ImGui::Separator();
    ui_text_ellipsis(g_api_session.user->display_name, width);
    if (ui_secondary_button("Se déconnecter", true, ImVec2(-1, 0))) {
        ImGui::CloseCurrentPopup();
        log_out(app);
    }
    ImGui::EndPopup();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Session: start, expiry, logout, reconnection
//-------------------------------------------------------------------------------------------------

static void log_out(AppState& app) {
    api_logout([] {});
    // A new user on this browser must not see the previous one's data: every screen forgets.
    reset_all_screens(Reset::Everything);
    app.ctx = Ctx{};
    app.checked_session = true;
    app.ctx.login_notice = "Vous êtes déconnecté·e. À bientôt !";
    app.ctx.navigate(Route{Screen::Login, 0});
}

// While the server cannot be reached, ask /healthz every few seconds; once it answers, every
// screen's failed loads reload (the table's resets). Forms keep what was typed throughout.
static void retry_when_offline(AppState& app) {
    static double next_try = 0;
    static bool trying = false;
    if (!g_api_session.offline || trying) return;
    if (ImGui::GetTime() < next_try)
        return platform_request_frame(next_try - ImGui::GetTime());  // the client sleeps otherwise
    trying = true;
    next_try = ImGui::GetTime() + 4.0;
    api_health(
        [&app] {
            trying = false;
            reset_all_screens(Reset::FailedLoads);
            if (!app.checked_session) app.checking_session = false;
        },
        [](const ApiError&) { trying = false; });
}

static void check_session(AppState& app) {
    // A reload keeps the HttpOnly session cookie: ask the server who we are, once.
    if (!app.checked_session && !app.checking_session) {
        app.checking_session = true;
        // A deep link (a pasted or reloaded address) is where to go once logged in; no address
        // at all means the role's home (an administrator's validations, not the catalogue).
        if (!platform_location_hash().empty()) app.ctx.after_login = app.ctx.route;
        g_api_session.csrf_token = platform_session_get("csrf_token");
        auto done = [&app] {
            app.checking_session = false;
            app.checked_session = true;
            g_api_session.expired = false;  // no session at start is not an expiry
        };
        api_me([done](const User&) { done(); }, [done](const ApiError&) { done(); });
    }
    if (g_api_session.expired) {
        // Back to login; every screen keeps what was typed, and we come back here afterwards.
        g_api_session.expired = false;
        if (screen_entry(app.ctx.route.screen).roles != ScreenRoles_None) app.ctx.after_login = app.ctx.route;
        app.ctx.login_notice = "Votre session a expiré. Reconnectez-vous : ce que vous aviez saisi est conservé.";
        app.ctx.navigate(Route{Screen::Login, 0});
    }
}

// The screen this frame shows, given who is logged in: a screen of another role (or the login
// screen once logged in) sends to where the user was going, or to the role's home.
static void settle_route(AppState& app) {
    Ctx& ctx = app.ctx;
    const User* user = g_api_session.user ? &*g_api_session.user : nullptr;
    ctx.user = user;
    if (!user) {
        if (ctx.route.screen != Screen::Signup && ctx.route.screen != Screen::Login &&
            ctx.route.screen != Screen::PasswordReset)
            ctx.route = Route{Screen::Login, 0};
        return;
    }
    if (user->waiting_for_approval || user->suspended) {
        ctx.route = Route{Screen::Waiting, 0};
        return;
    }
    // An administrator without the second factor: « Mon compte » until it is on (the server
    // refuses everything else meanwhile).
    if (user->second_factor_setup_required && ctx.route.screen != Screen::Account) {
        platform_set_location_hash(route_hash(Route{Screen::Account, 0}), true);
        ctx.route = Route{Screen::Account, 0};
        return;
    }
    if (!screen_allowed(user->role, ctx.route.screen)) {
        const Route wanted = ctx.after_login;
        const Route home{home_screen(user->role), 0};
        ctx.after_login = home;
        platform_set_location_hash(route_hash(screen_allowed(user->role, wanted.screen) ? wanted : home), true);
        ctx.route = parse_route(platform_location_hash());
    }
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Frame
//-------------------------------------------------------------------------------------------------

void app_frame(AppState& app) {
    follow_location_hash(app);
    retry_when_offline(app);
    check_session(app);

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("uneplace", nullptr, flags);
    ImGui::PopStyleVar();
    ui_push_width_style();
    show_top_bar(app);

    if (!app.checked_session) {
        ui_pop_width_style();
        ImGui::End();  // nothing to show before we know whether a session exists
        return;
    }
    settle_route(app);
    const ScreenEntry& screen = screen_entry(app.ctx.route.screen);
    if (screen.roles == ScreenRoles_None) {
        screen.draw(app.ctx);
    } else {
        // A phone has the navigation in the top bar's menu: the content takes the whole width.
        const UiWidth layout = ui_width();
        ImGui::SetCursorPos(ImVec2(0, ImGui::GetCursorPosY()));
        if (layout != UiWidth::Phone) {
            show_sidebar(app, layout == UiWidth::Compact ? 180.0f : 220.0f);
            ImGui::SameLine(0, 0);
        }
        const ImVec2 padding = layout == UiWidth::Phone     ? ImVec2(12, 16)
                               : layout == UiWidth::Compact ? ImVec2(20, 20)
                                                            : ImVec2(32, 24);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, padding);
        // A screen opens at its top, not at the scroll position the previous screen was left at
        // (set before the window begins, so its first frame is already at the top).
        if (app.drawn != screen.screen) ImGui::SetNextWindowScroll(ImVec2(0.0f, 0.0f));
        ImGui::BeginChild("Contenu", ImVec2(0, 0), false,
                          ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NavFlattened);
        // Someone on the keyboard who opens a screen lands on its first control, with the ring
        // (the control that had the focus belongs to the screen just left).
        if (app.drawn != screen.screen && !GImGui->NavDisableHighlight) {
            ImGui::FocusWindow(ImGui::GetCurrentWindow());
            ImGui::NavInitWindow(ImGui::GetCurrentWindow(), true);
        }
        screen.draw(app.ctx);
        ImGui::EndChild();
        ImGui::PopStyleVar();
    }
    app.drawn = screen.screen;
    ui_pop_width_style();
    ImGui::End();
}
