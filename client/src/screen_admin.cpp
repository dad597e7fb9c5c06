// uneplace client — the administrators' workspace: approval queues (organisations, users, offers),
// territory settings, the directory of organisations and users, the audit log of an object; the
// impact dashboard is screen_dashboard.cpp.
// Reasons and settings are checked as the admin types by the shared validators the server runs
// (clean_reject_reason, validate_settings).
//
// Index of this file:
// [SECTION] State
// [SECTION] Parsing
// [SECTION] Loading and actions
// [SECTION] Reason dialog (reject, suspend)
// [SECTION] Approval queues
// [SECTION] Territory settings
// [SECTION] Directory
// [SECTION] Audit log
// [SECTION] Entry point

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // ImGui::GetItemID()
#include "imgui_stdlib.h"
#include "ui.hpp"
#include "widget_registry.hpp"
#include "workspace_common.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/validation.hpp"

using nlohmann::json;

//-------------------------------------------------------------------------------------------------
// [SECTION] State
//-------------------------------------------------------------------------------------------------

namespace {

struct Organisation {
    long long id = 0;
    std::string kind, name, territory, status, created_at;
    int users = -1;
};

struct UserRow {
    long long id = 0;
    long long organisation_id = 0;
    std::string organisation_name, role, email, display_name, status, created_at;
};

struct OfferRow {
    long long id = 0;
    std::string title, description, category, pickup_mode, status, partner_name, venue_name, territory, updated_at, reject_reason;
    int min_age = 0;
    int sessions = -1;
    uneplace::AccessibilityFlags accessibility = 0;
};

struct SessionLine {
    std::string start, territory, allocation;
    int capacity = 0, max_per_booking = 0;
};

// A decision that asks for confirmation: an offer's rejection (with its reason, sent to the
// partner), or refusing / suspending an organisation or a user (the account is suspended).
struct ReasonDialog {
    std::string entity;   // "organisations" | "users" | "offers" (the API's collection)
    std::string action;   // "reject" (offers) | "suspend"
    std::string verb;     // "Refuser" | "Suspendre", as the admin clicked it
    long long id = 0;
    std::string what;     // name shown in the dialog
    std::string reason;
    bool busy = false;
    std::optional<ApiError> error;
};

template <class T>
struct List {
    std::vector<T> items;
    bool loaded = false, loading = false;
    std::optional<ApiError> error;
};

// Every user of the admin's organisations, gathered organisation by organisation (the API lists
// users per organisation: GET /api/v1/organisations/{id}/users).
struct UsersState {
    std::vector<UserRow> items;
    int pending_requests = 0;
    bool loaded = false, loading = false;
    bool truncated = false;  // more organisations than we ask about at once
    std::optional<ApiError> error;
    int generation = 0;
};

struct QueuesState {
    List<Organisation> organisations;
    List<OfferRow> offers;
    long long preview_offer = 0;
    std::vector<SessionLine> preview_sessions;
    long long preview_loaded_for = 0;
    int tab = 0;           // tab to select on the next frame (-1: leave as is)
};

struct DirectoryState {
    List<Organisation> organisations;
    std::string search;
    std::string status;    // "" all
    std::string kind;      // "" all
    std::string territory; // "" all
    long long open_organisation = 0;  // its users are listed under it
    List<UserRow> members;
    long long members_for = 0;
};

struct SettingsState {
    std::string territory = "*";
    std::string loaded_for;
    bool loading = false;
    uneplace::TerritorySettings saved;
    uneplace::TerritorySettings edited;
    std::optional<ApiError> error;
    bool busy = false;
};

struct AuditState {
    std::string entity = "organisation";
    std::string id_text;
    std::string action_filter;
    std::vector<json> entries;
    bool loading = false, loaded = false;
    std::optional<ApiError> error;
    std::string query_for;  // the query the entries answer
};

struct AdminState {
    long long user_id = 0;
    UsersState users;
    QueuesState queues;
    DirectoryState directory;
    SettingsState settings;
    AuditState audit;
    ReasonDialog reason;
    std::string notice;
    std::optional<ApiError> action_error;
};

AdminState g_admin;

//-------------------------------------------------------------------------------------------------
// [SECTION] Parsing
//-------------------------------------------------------------------------------------------------

Organisation parse_organisation(const json& j) {
    Organisation o;
    o.id = json_id(j, "id");
    o.kind = json_str(j, "kind");
    o.name = json_str(j, "name");
    o.territory = json_str(j, "territory");
    o.status = json_str(j, "status");
    o.created_at = json_str(j, "created_at");
    if (j.contains("users")) o.users = json_int(j, "users");
    return o;
}

UserRow parse_user_row(const json& j) {
    UserRow u;
    u.id = json_id(j, "id");
    u.organisation_id = json_id(j, "organisation_id");
    const json& org = ws_object(j, "organisation");
    if (u.organisation_id == 0) u.organisation_id = json_id(org, "id");
    u.organisation_name = json_str(org, "name");
    if (u.organisation_name.empty()) u.organisation_name = json_str(j, "organisation_name");
    u.role = json_str(j, "role");
    u.email = json_str(j, "email");
    u.display_name = json_str(j, "display_name");
    u.status = json_str(j, "status");
    u.created_at = json_str(j, "created_at");
    return u;
}

OfferRow parse_offer_row(const json& j) {
    OfferRow o;
    o.id = json_id(j, "id");
    o.title = json_str(j, "title");
    o.description = json_str(j, "description");
    o.category = json_str(j, "category");
    o.pickup_mode = json_str(j, "pickup_mode");
    o.status = json_str(j, "status");
    o.reject_reason = json_str(j, "reject_reason");
    const json& partner = ws_object(j, "partner");
    o.partner_name = partner.empty() ? json_str(j, "partner_name") : json_str(partner, "name");
    const json& venue = ws_object(j, "venue");
    o.venue_name = venue.empty() ? json_str(j, "venue_name") : json_str(venue, "name");
    o.territory = json_str(j, "territory");
    if (o.territory.empty()) o.territory = json_str(venue, "territory");
    o.updated_at = json_str(j, "updated_at");
    o.min_age = json_int(j, "min_age");
    if (j.contains("sessions") && j["sessions"].is_number()) o.sessions = json_int(j, "sessions");
    else if (j.contains("sessions_count")) o.sessions = json_int(j, "sessions_count");
    o.accessibility = ws_accessibility(j, "accessibility");
    return o;
}

SessionLine parse_session_line(const json& j) {
    SessionLine s;
    s.start = json_str(j, "start");
    s.territory = json_str(j, "territory");
    s.allocation = json_str(j, "allocation");
    s.capacity = json_int(j, "capacity");
    s.max_per_booking = json_int(j, "max_per_booking");
    return s;
}

template <class T>
void load_list(List<T>* list, const std::string& path, T (*parse)(const json&)) {
    list->loading = true;
    api_request("GET", path, "",
                [list, parse](const json& j) {
                    list->loading = false;
                    list->loaded = true;
                    list->error.reset();
                    list->items.clear();
                    for (const auto& it : ws_items(j)) list->items.push_back(parse(it));
                },
                [list](const ApiError& e) {
                    list->loading = false;
                    list->loaded = true;
                    list->error = e;
                });
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Loading and actions
//-------------------------------------------------------------------------------------------------

void load_users() {
    UsersState& u = g_admin.users;
    const int generation = ++u.generation;
    u.loading = true;
    u.error.reset();
    api_request("GET", "/api/v1/organisations?limit=500", "",
                [generation](const json& j) {
                    UsersState& st = g_admin.users;
                    if (st.generation != generation) return;
                    st.items.clear();
                    st.truncated = json_str(j, "next_cursor") != "";
                    std::vector<Organisation> orgs;
                    for (const auto& it : ws_items(j)) orgs.push_back(parse_organisation(it));
                    st.pending_requests = (int)orgs.size();
                    if (orgs.empty()) {
                        st.loading = false;
                        st.loaded = true;
                    }
                    for (const Organisation& o : orgs) {
                        const std::string name = o.name;
                        api_request("GET", "/api/v1/organisations/" + std::to_string(o.id) + "/users?limit=500", "",
                                    [generation, name](const json& users) {
                                        UsersState& us = g_admin.users;
                                        if (us.generation != generation) return;
                                        for (const auto& it : ws_items(users)) {
                                            UserRow row = parse_user_row(it);
                                            row.organisation_name = name;
                                            us.items.push_back(std::move(row));
                                        }
                                        if (--us.pending_requests == 0) {
                                            us.loading = false;
                                            us.loaded = true;
                                            std::sort(us.items.begin(), us.items.end(),
                                                      [](const UserRow& a, const UserRow& b) { return a.id > b.id; });
                                        }
                                    },
                                    [generation](const ApiError& e) {
                                        UsersState& us = g_admin.users;
                                        if (us.generation != generation) return;
                                        us.error = e;
                                        if (--us.pending_requests == 0) {
                                            us.loading = false;
                                            us.loaded = true;
                                        }
                                    });
                    }
                },
                [generation](const ApiError& e) {
                    UsersState& st = g_admin.users;
                    if (st.generation != generation) return;
                    st.loading = false;
                    st.loaded = true;
                    st.error = e;
                });
}

void load_queues() {
    QueuesState& q = g_admin.queues;
    load_list(&q.organisations, "/api/v1/organisations?status=pending&limit=500", parse_organisation);
    load_list(&q.offers, "/api/v1/offers?status=pending&limit=500", parse_offer_row);
    load_users();
}

void load_directory() {
    DirectoryState& d = g_admin.directory;
    load_list(&d.organisations, "/api/v1/organisations?limit=500", parse_organisation);
    if (!g_admin.users.loading) load_users();
}

void load_members(long long organisation_id) {
    DirectoryState& d = g_admin.directory;
    d.members_for = organisation_id;
    load_list(&d.members, "/api/v1/organisations/" + std::to_string(organisation_id) + "/users?limit=500", parse_user_row);
}

// Every list that shows statuses is stale after an action.
void reload_after_action() {
    g_admin.queues.organisations.loaded = g_admin.queues.offers.loaded = false;
    g_admin.directory.organisations.loaded = false;
    g_admin.users.loaded = false;
    g_admin.directory.members_for = 0;
    g_admin.audit.query_for.clear();
}

// POST /api/v1/{entity}/{id}/{action} with an optional body; `done` is the French notice.
void run_action(const std::string& entity, long long id, const std::string& action, const json& body, std::string done) {
    g_admin.action_error.reset();
    g_admin.notice.clear();
    api_request("POST", "/api/v1/" + entity + "/" + std::to_string(id) + "/" + action, body.dump(),
                [done](const json&) {
                    g_admin.notice = done;
                    g_admin.reason = ReasonDialog{};
                    reload_after_action();
                },
                [](const ApiError& e) {
                    if (g_admin.reason.id) {
                        g_admin.reason.busy = false;
                        g_admin.reason.error = e;
                    } else {
                        g_admin.action_error = e;
                    }
                });
}

void open_reason(const std::string& entity, const std::string& action, const std::string& verb, long long id, const std::string& what) {
    g_admin.reason = ReasonDialog{entity, action, verb, id, what, "", false, std::nullopt};
}

// Opens the audit log of one object.
void show_audit_of(AppState& app, const std::string& entity, long long id) {
    g_admin.audit.entity = entity;
    g_admin.audit.id_text = std::to_string(id);
    g_admin.audit.query_for.clear();
    app_navigate(app, Route{Screen::AdminAudit, 0});
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Reason dialog (reject, suspend)
//-------------------------------------------------------------------------------------------------

void show_reason_dialog() {
    ReasonDialog& r = g_admin.reason;
    const char* title = "Confirmer###décision";
    if (r.id && !ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
    ImGui::SetNextWindowSize(ImVec2(560, 0));
    if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_AlwaysAutoResize)) return;
    const bool offer = r.entity == "offers";
    const bool refuse = r.verb == "Refuser";
    ImGui::PushFont(g_fonts.bold);
    ImGui::TextUnformatted((r.verb + " " + r.what + " ?").c_str());
    ImGui::PopFont();
    ImGui::PushTextWrapPos(530);
    if (offer)
        ImGui::TextDisabled("%s", "L’offre revient au partenaire avec votre motif : dites ce qui manque ou ce qui ne convient pas. "
                                  "Il pourra la corriger et la soumettre de nouveau.");
    else if (refuse)
        ImGui::TextDisabled("%s", "La demande est refusée : le compte est suspendu et ne peut pas se connecter. "
                                  "Vous pourrez le réactiver depuis l’annuaire.");
    else
        ImGui::TextDisabled("%s", "La suspension empêche d’agir sur la plateforme et ferme les sessions ouvertes, "
                                  "jusqu’à une réactivation depuis l’annuaire.");
    ImGui::PopTextWrapPos();
    bool ok = true;
    if (offer) {
        ImGui::TextUnformatted("Motif du refus");
        ImGui::InputTextMultiline("##Motif du refus", &r.reason, ImVec2(530, 100));
        registry_set_value(ImGui::GetItemID(), r.reason);
        const auto cleaned = uneplace::clean_reject_reason(r.reason);
        if (!cleaned.ok() && !r.reason.empty()) ui_field_error(uneplace::message_fr(cleaned.refusal->code));
        ok = cleaned.ok();
    }
    if (r.error) ui_field_error(r.error->message);
    const std::string confirm = refuse ? "Confirmer le refus" : "Confirmer la suspension";
    if (ui_primary_button(confirm.c_str(), ok && !r.busy)) {
        r.busy = true;
        json body = json::object();
        if (offer) body["reason"] = uneplace::clean_reject_reason(r.reason).value;
        const std::string done = refuse ? "Refus enregistré : " + r.what + "." : "Suspension enregistrée : " + r.what + ".";
        run_action(r.entity, r.id, r.action, body, done);
    }
    ImGui::SameLine();
    if (ui_secondary_button("Annuler##décision")) {
        r = ReasonDialog{};
        ImGui::CloseCurrentPopup();
    }
    if (!g_admin.reason.id) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Approval queues
//-------------------------------------------------------------------------------------------------

template <class T>
void list_status(const List<T>& list, const char* empty_text) {
    if (list.error) ui_banner(list.error->message, ui_color::danger);
    else if (list.loaded && list.items.empty()) ui_text_colored(ui_color::muted, empty_text);
}

void show_organisation_queue() {
    const auto& list = g_admin.queues.organisations;
    ui_text_colored(ui_color::muted, "Partenaires culturels et structures sociales inscrits depuis la page de connexion. "
                                     "L’approbation active aussi la personne de contact.");
    if (!list.items.empty() && ImGui::BeginTable("File des organisations", 5, kWsTableFlags)) {
        ImGui::TableSetupColumn("Organisation", ImGuiTableColumnFlags_WidthStretch, 4);
        ImGui::TableSetupColumn("Type", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Département", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Demande du", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 330);
        ImGui::TableHeadersRow();
        for (const Organisation& o : list.items) {
            ImGui::PushID((int)o.id);
            ImGui::TableNextRow(0, 40);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ws_text_item(o.name);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_kind_label(o.kind).c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%s %s", o.territory.c_str(), std::string(uneplace::departement_name(o.territory)).c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_date(o.created_at).c_str());
            ImGui::TableNextColumn();
            if (ui_primary_button("Approuver")) run_action("organisations", o.id, "approve", json::object(), "Organisation approuvée : " + o.name + ".");
            ImGui::SameLine();
            if (ui_secondary_button("Refuser")) open_reason("organisations", "suspend", "Refuser", o.id, o.name);
            ImGui::SameLine();
            if (ui_secondary_button("Suspendre")) open_reason("organisations", "suspend", "Suspendre", o.id, o.name);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    list_status(list, "Aucune organisation en attente.");
}

void show_user_queue() {
    const UsersState& all = g_admin.users;
    std::vector<const UserRow*> pending;
    for (const UserRow& u : all.items)
        if (u.status == "pending") pending.push_back(&u);
    ui_text_colored(ui_color::muted, "Personnes ajoutées par une organisation déjà active (collègues d’un relais ou d’un partenaire).");
    if (!pending.empty() && ImGui::BeginTable("File des utilisateurs", 5, kWsTableFlags)) {
        ImGui::TableSetupColumn("Personne", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Adresse e-mail", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Organisation", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Rôle", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 330);
        ImGui::TableHeadersRow();
        for (const UserRow* row : pending) {
            const UserRow& u = *row;
            ImGui::PushID((int)u.id);
            ImGui::TableNextRow(0, 40);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ws_text_item(u.display_name);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(u.email.c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(u.organisation_name.empty() ? "—" : u.organisation_name.c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_role_label(u.role).c_str());
            ImGui::TableNextColumn();
            if (ui_primary_button("Approuver")) run_action("users", u.id, "approve", json::object(), "Compte approuvé : " + u.display_name + ".");
            ImGui::SameLine();
            if (ui_secondary_button("Refuser")) open_reason("users", "suspend", "Refuser", u.id, u.display_name);
            ImGui::SameLine();
            if (ui_secondary_button("Suspendre")) open_reason("users", "suspend", "Suspendre", u.id, u.display_name);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (all.error) ui_banner(all.error->message, ui_color::danger);
    else if (all.loaded && pending.empty()) ui_text_colored(ui_color::muted, "Aucun compte en attente.");
}

void load_offer_preview(long long offer_id) {
    QueuesState& q = g_admin.queues;
    q.preview_loaded_for = offer_id;
    q.preview_sessions.clear();
    api_request("GET", "/api/v1/offers/" + std::to_string(offer_id) + "/sessions?limit=500", "",
                [offer_id](const json& j) {
                    if (g_admin.queues.preview_loaded_for != offer_id) return;
                    for (const auto& it : ws_items(j)) g_admin.queues.preview_sessions.push_back(parse_session_line(it));
                },
                [](const ApiError&) {});
}

void show_offer_preview(const OfferRow& o) {
    QueuesState& q = g_admin.queues;
    if (q.preview_loaded_for != o.id) load_offer_preview(o.id);
    ui_begin_card(std::min(760.0f, ImGui::GetContentRegionAvail().x - 60));
    ImGui::PushFont(g_fonts.bold);
    ImGui::TextUnformatted(o.title.c_str());
    ImGui::PopFont();
    ui_text_colored(ui_color::muted, o.partner_name + "  ·  " + o.venue_name + "  ·  " + ws_category_label(o.category) + "  ·  " +
                                         ws_pickup_label(o.pickup_mode) +
                                         (o.min_age > 0 ? "  ·  dès " + std::to_string(o.min_age) + " ans" : std::string("  ·  tout public")));
    ui_text_colored(ui_color::text, o.description.empty() ? std::string("(pas de description)") : o.description);
    ui_text_colored(ui_color::muted, "Accessibilité : " + ws_accessibility_text(o.accessibility));
    if (!q.preview_sessions.empty()) {
        ws_heading("Séances proposées");
        for (const SessionLine& s : q.preview_sessions)
            ImGui::BulletText("%s — %d places, %d par réservation, %s", ws_when(s.start, s.territory).c_str(), s.capacity, s.max_per_booking,
                              s.allocation == "ballot" ? "tirage au sort" : "premier arrivé");
    } else {
        ui_text_colored(ui_color::muted, "Pas encore de séance.");
    }
    ui_end_card();
}

void show_offer_queue() {
    QueuesState& q = g_admin.queues;
    const auto& list = q.offers;
    ui_text_colored(ui_color::muted, "Offres soumises par les partenaires. Relisez le texte et les séances avant de publier.");
    if (!list.items.empty() && ImGui::BeginTable("File des offres", 6, kWsTableFlags)) {
        ImGui::TableSetupColumn("Offre", ImGuiTableColumnFlags_WidthStretch, 4);
        ImGui::TableSetupColumn("Partenaire", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Catégorie", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Dépt", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableSetupColumn("Séances", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 330);
        ImGui::TableHeadersRow();
        for (const OfferRow& o : list.items) {
            ImGui::PushID((int)o.id);
            ImGui::TableNextRow(0, 40);
            ImGui::TableNextColumn();
            if (ws_row_selectable(o.title.c_str(), q.preview_offer == o.id))
                q.preview_offer = q.preview_offer == o.id ? 0 : o.id;
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(o.partner_name.c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_category_label(o.category).c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(o.territory.c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            if (o.sessions >= 0) ImGui::Text("%d", o.sessions);
            else ImGui::TextDisabled("—");
            ImGui::TableNextColumn();
            if (ui_primary_button("Publier")) run_action("offers", o.id, "approve", json::object(), "Offre publiée : « " + o.title + " ».");
            ImGui::SameLine();
            if (ui_secondary_button("Refuser")) open_reason("offers", "reject", "Refuser", o.id, "« " + o.title + " »");
            ImGui::SameLine();
            if (ui_secondary_button("Aperçu")) q.preview_offer = q.preview_offer == o.id ? 0 : o.id;
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    list_status(list, "Aucune offre à relire.");
    for (const OfferRow& o : list.items)
        if (o.id == q.preview_offer) show_offer_preview(o);
}

void show_queues_screen() {
    QueuesState& q = g_admin.queues;
    if (!q.organisations.loaded && !q.organisations.loading && !g_admin.users.loading && !q.offers.loading) load_queues();
    screen_title("Validations", "Ce qui attend une décision de l’association.");
    if (!g_admin.notice.empty()) ui_banner(g_admin.notice, ui_color::success);
    if (g_admin.action_error) ui_banner(g_admin.action_error->message, ui_color::danger);
    if (ui_secondary_button("Actualiser")) load_queues();

    auto tab_label = [](const char* name, size_t n, const char* id) {
        return std::string(name) + " (" + std::to_string(n) + ")###" + id;
    };
    if (ws_begin_tab_bar("Files")) {
        const std::string l0 = tab_label("Organisations", q.organisations.items.size(), "Organisations");
        size_t pending_users = 0;
        for (const UserRow& u : g_admin.users.items) pending_users += u.status == "pending";
        const std::string l1 = tab_label("Utilisateurs", pending_users, "Utilisateurs");
        const std::string l2 = tab_label("Offres", q.offers.items.size(), "Offres");
        auto flags = [&](int i) { return q.tab == i ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None; };
        if (ws_begin_tab_item(l0.c_str(), flags(0))) {
            show_organisation_queue();
            ImGui::EndTabItem();
        }
        if (ws_begin_tab_item(l1.c_str(), flags(1))) {
            show_user_queue();
            ImGui::EndTabItem();
        }
        if (ws_begin_tab_item(l2.c_str(), flags(2))) {
            show_offer_queue();
            ImGui::EndTabItem();
        }
        q.tab = -1;
        ws_end_tab_bar();
    }
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Territory settings
//-------------------------------------------------------------------------------------------------

uneplace::TerritorySettings parse_settings(const json& answer) {
    const json& j = answer.contains("settings") && answer["settings"].is_object() ? answer["settings"] : answer;
    uneplace::TerritorySettings s;
    auto read = [&](const char* key, int& out) {
        if (j.contains(key) && j[key].is_number()) out = json_int(j, key);
    };
    read("share_percent", s.share_percent);
    read("release_hours_before_close", s.release_hours_before_close);
    read("max_upcoming_bookings", s.max_upcoming_bookings);
    read("no_show_limit", s.no_show_limit);
    read("no_show_window_days", s.no_show_window_days);
    read("pause_days", s.pause_days);
    read("default_max_per_booking", s.default_max_per_booking);
    read("default_close_hours_before_start", s.default_close_hours_before_start);
    read("erase_after_months", s.erase_after_months);
    return s;
}

json settings_body(const uneplace::TerritorySettings& s) {
    return {{"share_percent", s.share_percent},
            {"release_hours_before_close", s.release_hours_before_close},
            {"max_upcoming_bookings", s.max_upcoming_bookings},
            {"no_show_limit", s.no_show_limit},
            {"no_show_window_days", s.no_show_window_days},
            {"pause_days", s.pause_days},
            {"default_max_per_booking", s.default_max_per_booking},
            {"default_close_hours_before_start", s.default_close_hours_before_start},
            {"erase_after_months", s.erase_after_months}};
}

// "*" is the national row (GET/PUT /api/v1/settings/*).
std::string settings_path(const std::string& territory) {
    return "/api/v1/settings/" + territory;
}

void load_settings(const std::string& territory) {
    SettingsState& s = g_admin.settings;
    s.loaded_for = territory;
    s.loading = true;
    s.error.reset();
    api_request("GET", settings_path(territory), "",
                [territory](const json& j) {
                    SettingsState& st = g_admin.settings;
                    if (st.loaded_for != territory) return;
                    st.loading = false;
                    st.saved = st.edited = parse_settings(j);
                },
                [territory](const ApiError& e) {
                    SettingsState& st = g_admin.settings;
                    if (st.loaded_for != territory) return;
                    st.loading = false;
                    st.error = e;
                });
}

void save_settings() {
    SettingsState& s = g_admin.settings;
    s.busy = true;
    s.error.reset();
    g_admin.notice.clear();
    const std::string territory = s.territory;
    api_request("PUT", settings_path(territory), settings_body(s.edited).dump(),
                [territory](const json& j) {
                    SettingsState& st = g_admin.settings;
                    st.busy = false;
                    st.saved = st.edited = parse_settings(j);
                    g_admin.notice = territory == "*" ? std::string("Réglages nationaux enregistrés.")
                                                      : "Réglages enregistrés pour " + territory + " " +
                                                            std::string(uneplace::departement_name(territory)) + ".";
                },
                [](const ApiError& e) {
                    g_admin.settings.busy = false;
                    g_admin.settings.error = e;
                });
}

void show_settings_screen() {
    SettingsState& s = g_admin.settings;
    if (s.loaded_for != s.territory) load_settings(s.territory);
    screen_title("Territoires", "Les règles de réservation d’un département. Sans réglage propre, un département suit les réglages nationaux.");
    if (!g_admin.notice.empty()) ui_banner(g_admin.notice, ui_color::success);
    if (s.error) ui_banner(s.error->message, ui_color::danger);

    ws_territory_combo("Territoire", &s.territory, nullptr, 360, "Réglages nationaux (par défaut)");
    ImGui::Spacing();
    const auto refusals = uneplace::validate_settings(s.edited);
    uneplace::TerritorySettings& e = s.edited;

    const float col = 420;
    auto setting = [&](const char* caption, int* value, const char* field, const char* help) {
        ws_int_field(caption, value, 200);
        ui_field_error(ws_error_for(refusals, field));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + col - 20);
        ImGui::TextDisabled("%s", help);
        ImGui::PopTextWrapPos();
        ImGui::Spacing();
    };

    ui_begin_card(2 * col + 24);
    ImGui::Columns(2, "réglages", false);
    ImGui::SetColumnWidth(0, col + 24);
    ws_heading("Partage équitable des places");
    setting("Part maximale d’une structure (%)", &e.share_percent, "share_percent",
            "Jusqu’à la levée, une structure réserve au plus cette part des places d’une séance (R4).");
    setting("Levée du plafond (heures avant la fermeture)", &e.release_hours_before_close, "release_hours_before_close",
            "Ensuite, toutes les places restantes sont ouvertes à tous : aucune place perdue.");
    setting("Réservations à venir par personne", &e.max_upcoming_bookings, "max_upcoming_bookings",
            "Nombre de sorties à venir qu’une personne peut avoir en même temps (R7).");
    ws_heading("Séances (valeurs par défaut)");
    setting("Places par réservation", &e.default_max_per_booking, "default_max_per_booking",
            "La personne et ses accompagnants, quand le partenaire ne précise rien.");
    setting("Fermeture des réservations (heures avant le début)", &e.default_close_hours_before_start, "default_close_hours_before_start",
            "Au plus tard 2 h avant le début.");
    ImGui::NextColumn();
    ws_heading("Absences et pause");
    setting("Absences non excusées avant une pause", &e.no_show_limit, "no_show_limit",
            "Au-delà, la personne ne peut plus réserver pendant la pause (R8) ; un administrateur peut la lever.");
    setting("Période comptée (jours)", &e.no_show_window_days, "no_show_window_days", "Les absences plus anciennes ne comptent plus.");
    setting("Durée de la pause (jours)", &e.pause_days, "pause_days", "0 : pas de pause.");
    ws_heading("Données personnelles");
    setting("Effacement (mois après la dernière réservation)", &e.erase_after_months, "erase_after_months",
            "Nom, prénom et coordonnées sont effacés ; seule une référence anonyme reste pour les statistiques (P1).");
    ImGui::Columns(1);
    const bool changed = !(s.edited == s.saved);
    if (ui_primary_button("Enregistrer les réglages", refusals.empty() && changed && !s.busy && !s.loading)) save_settings();
    ImGui::SameLine();
    if (ui_secondary_button("Annuler les modifications", changed)) s.edited = s.saved;
    ImGui::SameLine();
    if (ui_secondary_button("Valeurs du programme")) s.edited = uneplace::TerritorySettings{};
    ui_end_card();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Directory
//-------------------------------------------------------------------------------------------------

bool status_filter_combo(const char* caption, std::string* status) {
    bool changed = false;
    ImGui::TextUnformatted(caption);
    ImGui::SetNextItemWidth(190);
    const std::string id = std::string("##") + caption;
    const std::string preview = status->empty() ? std::string("Tous") : ws_account_status_label(*status);
    if (ui_begin_combo(id.c_str(), preview.c_str())) {
        if (ImGui::Selectable("Tous", status->empty())) {
            changed = !status->empty();
            status->clear();
        }
        for (const auto& e : uneplace::enum_table<uneplace::AccountStatus>()) {
            const std::string label = ws_account_status_label(std::string(e.code));
            if (ImGui::Selectable(label.c_str(), *status == e.code)) {
                changed = *status != e.code;
                *status = std::string(e.code);
            }
        }
        ImGui::EndCombo();
    }
    return changed;
}

void account_actions(AppState& app, const char* entity, const char* audit_entity, long long id, const std::string& name,
                     const std::string& status) {
    if (status != "active") {
        if (ui_secondary_button(status == "pending" ? "Approuver" : "Réactiver"))
            run_action(entity, id, "approve", json::object(), (status == "pending" ? "Approbation enregistrée : " : "Réactivation enregistrée : ") + name + ".");
        ImGui::SameLine();
    }
    if (status != "suspended") {
        if (ui_secondary_button("Suspendre")) open_reason(entity, "suspend", "Suspendre", id, name);
        ImGui::SameLine();
    }
    if (ui_secondary_button("Journal")) show_audit_of(app, audit_entity, id);
}

// The people of an open organisation, as rows of the organisations table under it.
void show_members(AppState& app, long long organisation_id) {
    DirectoryState& d = g_admin.directory;
    if (d.members_for != organisation_id) load_members(organisation_id);
    const ImU32 member_bg = IM_COL32(250, 246, 244, 255);
    auto row = [&]() {
        ImGui::TableNextRow(0, 40);
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, member_bg);
    };
    if (d.members.error || (d.members.loaded && d.members.items.empty())) {
        row();
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::Indent(20);
        if (d.members.error) ws_text_item_colored(ui_color::danger, d.members.error->message);
        else ImGui::TextDisabled("Aucun compte dans cette organisation.");
        ImGui::Unindent(20);
        return;
    }
    for (const UserRow& u : d.members.items) {
        ImGui::PushID((int)u.id);
        row();
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::Indent(20);
        ImGui::TextDisabled("→");  // drawn apart, so the person's item is named by the name alone
        ImGui::SameLine();
        ws_text_item(u.display_name);
        ImGui::Unindent(20);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(ws_role_label(u.role).c_str());
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("%s", u.email.c_str());
        ImGui::PopTextWrapPos();
        ImGui::TableNextColumn();
        ws_badge(ws_account_status_label(u.status), ws_status_color(u.status));
        ImGui::TableNextColumn();
        account_actions(app, "users", "user", u.id, u.display_name, u.status);
        ImGui::PopID();
    }
}

void show_directory_screen(AppState& app) {
    DirectoryState& d = g_admin.directory;
    if (!d.organisations.loaded && !d.organisations.loading) load_directory();
    screen_title("Annuaire", "Les organisations et les personnes inscrites sur vos territoires.");
    if (!g_admin.notice.empty()) ui_banner(g_admin.notice, ui_color::success);
    if (g_admin.action_error) ui_banner(g_admin.action_error->message, ui_color::danger);

    ImGui::BeginGroup();
    ui_text_field("Rechercher", &d.search, UiField_None, "nom, e-mail, département", 260);
    ImGui::EndGroup();
    ws_same_line(20);
    ImGui::BeginGroup();
    status_filter_combo("Statut", &d.status);
    ImGui::EndGroup();
    ws_same_line(20);
    ImGui::BeginGroup();
    ImGui::TextUnformatted("Type");
    ImGui::SetNextItemWidth(200);
    const std::string kind_preview = d.kind.empty() ? std::string("Tous") : ws_kind_label(d.kind);
    if (ui_begin_combo("##Type", kind_preview.c_str())) {
        if (ImGui::Selectable("Tous", d.kind.empty())) d.kind.clear();
        for (const auto& e : uneplace::enum_table<uneplace::OrgKind>())
            if (ImGui::Selectable(std::string(e.label_fr).c_str(), d.kind == e.code)) d.kind = std::string(e.code);
        ImGui::EndCombo();
    }
    ImGui::EndGroup();
    ws_same_line(20);
    ImGui::BeginGroup();
    ws_territory_combo("Département", &d.territory, "Tous", 220);
    ImGui::EndGroup();

    if (ws_begin_tab_bar("Annuaire")) {
        if (ws_begin_tab_item("Organisations")) {
            if (d.organisations.error) ui_banner(d.organisations.error->message, ui_color::danger);
            if (ImGui::BeginTable("Organisations", 5, kWsTableFlags)) {
                ImGui::TableSetupColumn("Organisation", ImGuiTableColumnFlags_WidthStretch, 4);
                ImGui::TableSetupColumn("Type", ImGuiTableColumnFlags_WidthStretch, 2);
                ImGui::TableSetupColumn("Département", ImGuiTableColumnFlags_WidthStretch, 2);
                ImGui::TableSetupColumn("Statut", ImGuiTableColumnFlags_WidthStretch, 2);
                ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 330);
                ImGui::TableHeadersRow();
                int shown = 0;
                for (const Organisation& o : d.organisations.items) {
                    if (!d.status.empty() && o.status != d.status) continue;
                    if (!d.kind.empty() && o.kind != d.kind) continue;
                    if (!d.territory.empty() && o.territory != d.territory) continue;
                    if (!d.search.empty() &&
                        !matches_search(o.name + " " + o.territory + " " + std::string(uneplace::departement_name(o.territory)), d.search))
                        continue;
                    ++shown;
                    ImGui::PushID((int)o.id);
                    ImGui::TableNextRow(0, 40);
                    ImGui::TableNextColumn();
                    const bool open = d.open_organisation == o.id;
                    if (ws_row_selectable(o.name.c_str(), open))
                        d.open_organisation = open ? 0 : o.id;
                    ImGui::TableNextColumn();
                    ImGui::AlignTextToFramePadding();
                    ImGui::TextUnformatted(ws_kind_label(o.kind).c_str());
                    ImGui::TableNextColumn();
                    ImGui::AlignTextToFramePadding();
                    ImGui::Text("%s %s", o.territory.c_str(), std::string(uneplace::departement_name(o.territory)).c_str());
                    ImGui::TableNextColumn();
                    ws_badge(ws_account_status_label(o.status), ws_status_color(o.status));
                    ImGui::TableNextColumn();
                    account_actions(app, "organisations", "organisation", o.id, o.name, o.status);
                    if (open) show_members(app, o.id);
                    ImGui::PopID();
                }
                ImGui::EndTable();
                if (d.organisations.loaded && shown == 0) ui_text_colored(ui_color::muted, "Aucune organisation ne correspond à ces critères.");
            }
            ImGui::EndTabItem();
        }
        if (ws_begin_tab_item("Utilisateurs")) {
            const UsersState& users = g_admin.users;
            if (users.error) ui_banner(users.error->message, ui_color::danger);
            if (users.truncated) ui_text_colored(ui_color::muted, "Seules les 500 premières organisations sont parcourues : précisez la recherche.");
            if (ImGui::BeginTable("Utilisateurs", 5, kWsTableFlags)) {
                ImGui::TableSetupColumn("Personne", ImGuiTableColumnFlags_WidthStretch, 3);
                ImGui::TableSetupColumn("Adresse e-mail", ImGuiTableColumnFlags_WidthStretch, 3);
                ImGui::TableSetupColumn("Organisation · rôle", ImGuiTableColumnFlags_WidthStretch, 3);
                ImGui::TableSetupColumn("Statut", ImGuiTableColumnFlags_WidthStretch, 2);
                ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 330);
                ImGui::TableHeadersRow();
                int shown = 0;
                for (const UserRow& u : users.items) {
                    if (!d.status.empty() && u.status != d.status) continue;
                    if (!d.search.empty() && !matches_search(u.display_name + " " + u.email + " " + u.organisation_name, d.search)) continue;
                    ++shown;
                    ImGui::PushID((int)u.id);
                    ImGui::TableNextRow(0, 40);
                    ImGui::TableNextColumn();
                    ImGui::AlignTextToFramePadding();
                    ws_text_item(u.display_name);
                    ImGui::TableNextColumn();
                    ImGui::AlignTextToFramePadding();
                    ImGui::TextUnformatted(u.email.c_str());
                    ImGui::TableNextColumn();
                    ImGui::AlignTextToFramePadding();
                    ImGui::Text("%s · %s", u.organisation_name.empty() ? "Association" : u.organisation_name.c_str(), ws_role_label(u.role).c_str());
                    ImGui::TableNextColumn();
                    ws_badge(ws_account_status_label(u.status), ws_status_color(u.status));
                    ImGui::TableNextColumn();
                    if (u.role != "admin") account_actions(app, "users", "user", u.id, u.display_name, u.status);
                    ImGui::PopID();
                }
                ImGui::EndTable();
                if (users.loaded && shown == 0 && !users.error) ui_text_colored(ui_color::muted, "Aucune personne ne correspond à ces critères.");
            }
            ImGui::EndTabItem();
        }
        ws_end_tab_bar();
    }
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Audit log
//-------------------------------------------------------------------------------------------------

struct EntityKind {
    const char* code;
    const char* label;
};
constexpr EntityKind kAuditEntities[] = {
    {"organisation", "Organisation"}, {"user", "Utilisateur"}, {"venue", "Lieu"},         {"offer", "Offre"},
    {"session", "Séance"},            {"booking", "Réservation"}, {"settings", "Réglages"},
};

const char* entity_label(const std::string& code) {
    for (const auto& e : kAuditEntities)
        if (code == e.code) return e.label;
    return code.c_str();
}

std::string audit_query() {
    const AuditState& a = g_admin.audit;
    std::string q = "/api/v1/audit?limit=200&entity=" + a.entity;
    const std::string id(uneplace::trim(a.id_text));
    if (!id.empty()) q += "&entity_id=" + id;
    return q;
}

void load_audit() {
    AuditState& a = g_admin.audit;
    a.query_for = audit_query();
    a.loading = true;
    const std::string query = a.query_for;
    api_request("GET", query, "",
                [query](const json& j) {
                    AuditState& st = g_admin.audit;
                    if (st.query_for != query) return;
                    st.loading = false;
                    st.loaded = true;
                    st.error.reset();
                    st.entries.clear();
                    for (const auto& it : ws_items(j)) st.entries.push_back(it);
                },
                [query](const ApiError& e) {
                    AuditState& st = g_admin.audit;
                    if (st.query_for != query) return;
                    st.loading = false;
                    st.loaded = true;
                    st.error = e;
                });
}

// Nested objects as dotted keys ("organisation.name"), in order.
void flatten(const json& j, const std::string& prefix, std::vector<std::pair<std::string, json>>& out) {
    if (j.is_object() && !j.empty()) {
        for (auto it = j.begin(); it != j.end(); ++it) flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    } else {
        out.emplace_back(prefix, j);
    }
}

std::string value_text(const json& v) {
    if (v.is_null()) return "—";
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

// A before/after pair as "champ : avant → après" lines, only the fields that changed; a creation
// lists its fields.
std::string audit_change(const json& before, const json& after) {
    std::vector<std::pair<std::string, json>> b, a;
    if (before.is_object()) flatten(before, "", b);
    if (after.is_object()) flatten(after, "", a);
    std::string out;
    auto line = [&](const std::string& text) { out += (out.empty() ? "" : "\n") + text; };
    for (const auto& entry : a) {
        const std::string& key = entry.first;
        const json& value = entry.second;
        const auto old = std::find_if(b.begin(), b.end(), [&](const auto& p) { return p.first == key; });
        if (old != b.end() && old->second == value) continue;
        if (b.empty()) line(key + " : " + value_text(value));
        else line(key + " : " + (old == b.end() ? std::string("—") : value_text(old->second)) + " → " + value_text(value));
    }
    if (a.empty() && !b.empty()) line("supprimé");
    return out.empty() ? std::string("(aucun changement visible)") : out;
}

// The name of an audit entry's actor, when the directory knows it.
std::string actor_name(long long user_id) {
    if (user_id == 0) return "système";
    if (g_api_session.user && g_api_session.user->id == user_id) return g_api_session.user->display_name;
    for (const UserRow& u : g_admin.users.items)
        if (u.id == user_id) return u.display_name;
    return "utilisateur n° " + std::to_string(user_id);
}

void show_audit_screen() {
    AuditState& a = g_admin.audit;
    if (!g_admin.users.loaded && !g_admin.users.loading) load_users();  // names of the actors
    screen_title("Journal d’audit", "Qui a fait quoi, quand, avec l’état avant et après. Le journal ne s’efface pas.");

    ImGui::BeginGroup();
    ImGui::TextUnformatted("Objet");
    ImGui::SetNextItemWidth(220);
    if (ui_begin_combo("##Objet", entity_label(a.entity))) {
        for (const auto& e : kAuditEntities)
            if (ImGui::Selectable(e.label, a.entity == e.code)) a.entity = e.code;
        ImGui::EndCombo();
    }
    ImGui::EndGroup();
    ws_same_line(20);
    ImGui::BeginGroup();
    ui_text_field("Numéro de l’objet (facultatif)", &a.id_text, UiField_None, "ex. 12", 220);
    ImGui::EndGroup();
    ws_same_line(20);
    ImGui::BeginGroup();
    ui_text_field("Action contient", &a.action_filter, UiField_None, "approve, cancel…", 220);
    ImGui::EndGroup();
    const std::string id(uneplace::trim(a.id_text));
    const bool id_ok = id.find_first_not_of("0123456789") == std::string::npos;
    if (!id_ok) ui_field_error("Un numéro ne contient que des chiffres.");
    if (id_ok && a.query_for != audit_query() && !a.loading) load_audit();
    if (a.error) ui_banner(a.error->message, ui_color::danger);
    if (a.loaded && a.entries.empty() && !a.error) ui_text_colored(ui_color::muted, "Aucune entrée pour cet objet.");

    if (ImGui::BeginTable("Journal", 5, kWsTableFlags | ImGuiTableFlags_ScrollY, ImVec2(0, std::max(240.0f, ImGui::GetContentRegionAvail().y)))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Quand", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Qui", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Action", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Objet", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableSetupColumn("Changement", ImGuiTableColumnFlags_WidthStretch, 6);
        ImGui::TableHeadersRow();
        for (const json& e : a.entries) {
            const std::string action = json_str(e, "action");
            if (!a.action_filter.empty() && !matches_search(action, a.action_filter)) continue;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(ws_when(json_str(e, "at"), "75").c_str());
            ImGui::TableNextColumn();
            const json& actor = ws_object(e, "actor");
            std::string who = json_str(actor, "display_name");
            if (who.empty()) who = json_str(e, "actor_name");
            if (who.empty()) who = actor_name(json_id(e, "actor_user_id"));
            ImGui::TextUnformatted(who.c_str());
            ImGui::TableNextColumn();
            ws_text_item(action);
            ImGui::TableNextColumn();
            ImGui::Text("%s %s", entity_label(json_str(e, "entity")), ws_text(e, "entity_id").c_str());
            ImGui::TableNextColumn();
            if (json_bool(e, "redacted")) ImGui::TextDisabled("(données personnelles effacées)");
            const std::string change = audit_change(e.value("before", json()), e.value("after", json()));
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(change.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::EndTable();
    }
}

}  // namespace

//-------------------------------------------------------------------------------------------------
// [SECTION] Entry point
//-------------------------------------------------------------------------------------------------

void show_admin_screen(AppState& app) {
    // The workspace's data belongs to the user who loaded it: another login starts afresh.
    const long long user_id = g_api_session.user ? g_api_session.user->id : 0;
    if (g_admin.user_id != user_id) {
        g_admin = AdminState{};
        g_admin.user_id = user_id;
    }
    static Screen last = Screen::Login;
    if (app.route.screen != last) {
        // Messages belong to the screen they were given on.
        g_admin.notice.clear();
        g_admin.action_error.reset();
        last = app.route.screen;
    }
    switch (app.route.screen) {
        case Screen::AdminSettings: show_settings_screen(); break;
        case Screen::AdminDirectory: show_directory_screen(app); break;
        case Screen::AdminAudit: show_audit_screen(); break;
        case Screen::Dashboard: show_dashboard_screen(app); break;
        default: show_queues_screen(); break;
    }
    show_reason_dialog();
}
