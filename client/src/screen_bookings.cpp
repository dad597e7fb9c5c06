// uneplace client — "Mes réservations": upcoming and past bookings of the structure, by person;
// cancellation with the late-cancellation warning of C1, feedback after the outing (F1), waitlist
// and ballot outcomes. And the notifications the server keeps for the user.
//
// Index of this file:
// [SECTION] Loading
// [SECTION] Cancel and feedback
// [SECTION] Bookings screen
// [SECTION] Notifications screen

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "app.hpp"
#include "imgui.h"
#include "platform.hpp"
#include "ui.hpp"
#include "widget_registry.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

std::string session_when_fr(const std::string& start_utc, const std::string& territory);

//-------------------------------------------------------------------------------------------------
// [SECTION] Loading
//-------------------------------------------------------------------------------------------------

static void load_bookings(AppState& app) {
    app.bookings.loading = true;
    api_request("GET", "/api/v1/bookings?limit=500", "",
                [&app](const nlohmann::json& j) {
                    BookingsScreenState& st = app.bookings;
                    st.loading = false;
                    st.loaded = true;
                    st.error.reset();
                    st.items.clear();
                    if (j.is_object() && j.contains("items") && j["items"].is_array())
                        for (const auto& it : j["items"]) st.items.push_back(parse_booking(it));
                },
                [&app](const ApiError& e) {
                    app.bookings.loading = false;
                    app.bookings.loaded = true;
                    app.bookings.error = e;
                });
}

static uneplace::UnixSeconds instant(const std::string& rfc3339) {
    const auto t = uneplace::parse_utc_instant(rfc3339);
    return t.ok() ? t.value : 0;
}

static uneplace::SessionInfo session_of(const Booking& b) {
    uneplace::SessionInfo s;
    s.id = b.session_id;
    s.territory = b.territory;
    s.start = instant(b.start);
    s.closes_at = b.closes_at.empty() ? s.start - 24 * uneplace::kHour : instant(b.closes_at);
    return s;
}

static const char* status_label(const std::string& status) {
    if (status == "confirmed") return "Confirmée";
    if (status == "cancelled") return "Annulée";
    if (status == "late_cancelled") return "Annulée tardivement";
    if (status == "attended") return "Présent·e";
    if (status == "no_show") return "Absent·e";
    if (status == "waitlisted") return "Liste d’attente";
    if (status == "ballot_entered") return "Tirage au sort à venir";
    if (status == "expired") return "Liste d’attente close";
    if (status == "lost") return "Non retenu au tirage";
    return status.c_str();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Cancel and feedback
//-------------------------------------------------------------------------------------------------

static void cancel_booking(AppState& app, long long id) {
    app.bookings.action_error.reset();
    api_request("POST", "/api/v1/bookings/" + std::to_string(id) + "/cancel", "{}",
                [&app](const nlohmann::json& j) {
                    BookingsScreenState& st = app.bookings;
                    st.confirm_cancel_id = 0;
                    st.notice = json_str(j, "status") == "late_cancelled"
                                    ? "Réservation annulée (annulation tardive). Les places sont rendues aux autres personnes."
                                    : "Réservation annulée. Les places sont rendues aux autres personnes.";
                    app.catalogue.loaded = false;
                    app.beneficiaries.loaded = false;
                    load_bookings(app);
                },
                [&app](const ApiError& e) { app.bookings.action_error = e; });
}

static void send_feedback(AppState& app, long long id) {
    BookingsScreenState& s = app.bookings;
    s.action_error.reset();
    nlohmann::json body = {{"went", s.feedback_went}, {"comment", s.feedback_comment}};
    body["rating"] = s.feedback_went == "no" ? nlohmann::json(nullptr) : nlohmann::json(s.feedback_rating);
    api_request("POST", "/api/v1/bookings/" + std::to_string(id) + "/feedback", body.dump(),
                [&app](const nlohmann::json&) {
                    BookingsScreenState& st = app.bookings;
                    st.feedback_id = 0;
                    st.feedback_comment.clear();
                    st.notice = "Merci ! Le retour de sortie est enregistré.";
                    load_bookings(app);
                },
                [&app](const ApiError& e) { app.bookings.action_error = e; });
}

static void show_cancel_confirmation(AppState& app, const Booking& b) {
    const uneplace::CancellationDecision c =
        uneplace::decide_cancellation(uneplace::BookingStatus::Confirmed, session_of(b), platform_now_unix());
    if (!c.ok()) {
        ui_banner(std::string(uneplace::message_fr(c.refusal->code)), ui_color::danger);
        if (ui_secondary_button("Fermer")) app.bookings.confirm_cancel_id = 0;
        return;
    }
    if (c.kind == uneplace::CancellationKind::Late)
        ui_banner("Attention : la réservation est close. Annuler maintenant est une annulation tardive ; elle reste dans "
                  "les statistiques de la structure. Les places seront proposées à la liste d’attente.",
                  ui_color::primary);
    else
        ui_banner("Annuler cette réservation ? Les places seront rendues, sans conséquence pour la personne.", ui_color::primary);
    if (ui_primary_button("Confirmer l’annulation")) cancel_booking(app, b.id);
    ImGui::SameLine();
    if (ui_secondary_button("Garder la réservation")) app.bookings.confirm_cancel_id = 0;
}

static void show_feedback_form(AppState& app, const Booking& b) {
    BookingsScreenState& s = app.bookings;
    uneplace::FeedbackDraft draft{s.feedback_went, s.feedback_went == "no" ? std::nullopt : std::optional<int>(s.feedback_rating), s.feedback_comment};
    const auto refusals = uneplace::validate_feedback(draft);
    const auto window = uneplace::check_feedback(session_of(b), uneplace::BookingStatus::Confirmed, platform_now_unix());
    ImGui::TextUnformatted("La personne est-elle allée à la sortie ?");
    static const struct { const char* code; const char* label; } kWent[] = {{"yes", "Oui"}, {"partly", "En partie"}, {"no", "Non"}};
    for (const auto& w : kWent) {
        if (ImGui::RadioButton(w.label, s.feedback_went == w.code)) s.feedback_went = w.code;
        ImGui::SameLine();
    }
    ImGui::NewLine();
    if (s.feedback_went != "no") {
        ImGui::TextUnformatted("Appréciation (1 à 5)");
        ImGui::SetNextItemWidth(240);
        ImGui::SliderInt("##Appréciation", &s.feedback_rating, 1, 5);
    }
    ui_text_field("Commentaire (facultatif)", &s.feedback_comment, UiField_None, "ce qui a plu, ce qui a manqué…");
    for (const auto& r : refusals) ui_field_error(uneplace::message_fr(r.code));
    if (window) ui_field_error(uneplace::message_fr(window->code));
    if (ui_primary_button("Enregistrer le retour", refusals.empty() && !window)) send_feedback(app, b.id);
    ImGui::SameLine();
    if (ui_secondary_button("Annuler##feedback")) s.feedback_id = 0;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Bookings screen
//-------------------------------------------------------------------------------------------------

static void show_booking_row(AppState& app, const Booking& b, bool upcoming) {
    BookingsScreenState& s = app.bookings;
    ImGui::PushID((int)b.id);
    ImGui::Separator();
    ImGui::PushFont(g_fonts.bold);
    ImGui::TextUnformatted(b.title.empty() ? ("Séance n° " + std::to_string(b.session_id)).c_str() : b.title.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    const bool good = b.status == "confirmed" || b.status == "attended";
    ui_text_colored(good ? ui_color::success : ui_color::muted, status_label(b.status));
    std::string line = session_when_fr(b.start, b.territory);
    if (!b.venue_name.empty()) line += "  ·  " + b.venue_name;
    line += "  ·  " + std::to_string(b.places) + (b.places > 1 ? " places" : " place");
    ui_text_colored(ui_color::muted, line);
    if (!b.code.empty() && b.status == "confirmed") {
        ImGui::TextUnformatted("Code :");
        ImGui::SameLine();
        ImGui::PushFont(g_fonts.bold);
        ImGui::TextUnformatted(b.code.c_str());
        ImGui::PopFont();
        registry_add_text_item(b.code);
        ImGui::SameLine();
        if (ImGui::SmallButton("Copier")) platform_clipboard_write(b.code);
    }
    if (upcoming && (b.status == "confirmed")) {
        if (s.confirm_cancel_id == b.id) show_cancel_confirmation(app, b);
        else if (ui_secondary_button("Annuler la réservation")) s.confirm_cancel_id = b.id;
    }
    if (!upcoming && (b.status == "confirmed" || b.status == "attended")) {
        if (b.has_feedback) ImGui::TextDisabled("Retour de sortie enregistré.");
        if (s.feedback_id == b.id) show_feedback_form(app, b);
        else if (uneplace::feedback_window_open(session_of(b), platform_now_unix()) &&
                 ui_secondary_button(b.has_feedback ? "Modifier le retour" : "Donner un retour de sortie")) {
            s.feedback_id = b.id;
            s.feedback_went = "yes";
            s.feedback_rating = 5;
            s.feedback_comment.clear();
        }
    }
    ImGui::PopID();
}

void show_bookings_screen(AppState& app) {
    BookingsScreenState& s = app.bookings;
    if (!s.loaded && !s.loading) load_bookings(app);
    screen_title("Mes réservations", "Les sorties réservées pour les personnes de votre structure.");
    if (!s.notice.empty()) ui_banner(s.notice, ui_color::success);
    if (s.action_error) ui_banner(s.action_error->message, ui_color::danger);
    if (s.error) {
        ui_banner(s.error->message, ui_color::danger);
        if (ui_secondary_button("Réessayer")) load_bookings(app);
    }
    ui_text_field("Rechercher une réservation", &s.search, UiField_None, "nom, titre ou code XXXX-XXXX", 360);
    if (ImGui::RadioButton("À venir", !s.show_past)) s.show_past = false;
    ImGui::SameLine();
    if (ImGui::RadioButton("Passées", s.show_past)) s.show_past = true;
    // A code is read tolerantly (case, spaces, O/0, I/L/1) by the shared parser before comparing.
    const auto searched_code = uneplace::parse_booking_code(s.search);

    const long long now = platform_now_unix();
    // Group by person, people in alphabetical order, each person's bookings by date.
    std::map<std::string, std::vector<const Booking*>> by_person;
    for (const Booking& b : s.items) {
        const bool upcoming = instant(b.start) > now;
        if (upcoming == s.show_past) continue;
        if (!s.search.empty()) {
            const bool code_match = searched_code.ok() && b.code == searched_code.value;
            if (!code_match && !matches_search(b.beneficiary_name + " " + b.title + " " + b.code, s.search)) continue;
        }
        by_person[b.beneficiary_name.empty() ? "Personne n° " + std::to_string(b.beneficiary_id) : b.beneficiary_name].push_back(&b);
    }
    ImGui::BeginChild("Liste des réservations", ImVec2(0, 0), false);
    for (auto& [person, list] : by_person) {
        std::sort(list.begin(), list.end(), [&](const Booking* a, const Booking* b) {
            return s.show_past ? a->start > b->start : a->start < b->start;
        });
        ImGui::Spacing();
        ImGui::PushFont(g_fonts.title);
        ImGui::TextUnformatted(person.c_str());
        ImGui::PopFont();
        for (const Booking* b : list) show_booking_row(app, *b, !s.show_past);
    }
    if (s.loaded && by_person.empty() && !s.error)
        ui_text_colored(ui_color::muted, s.show_past ? "Aucune sortie passée." : "Aucune réservation à venir. Le catalogue vous attend !");
    ImGui::EndChild();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Notifications screen
//-------------------------------------------------------------------------------------------------

static void load_notifications(AppState& app) {
    app.notifications.loading = true;
    api_request("GET", "/api/v1/notifications?limit=200", "",
                [&app](const nlohmann::json& j) {
                    NotificationsScreenState& st = app.notifications;
                    st.loading = false;
                    st.loaded = true;
                    st.error.reset();
                    st.items.clear();
                    if (j.is_object() && j.contains("items") && j["items"].is_array())
                        for (const auto& it : j["items"]) st.items.push_back(parse_notification(it));
                },
                [&app](const ApiError& e) {
                    app.notifications.loading = false;
                    app.notifications.loaded = true;
                    app.notifications.error = e;
                });
}

void show_notifications_screen(AppState& app) {
    NotificationsScreenState& s = app.notifications;
    if (!s.loaded && !s.loading) load_notifications(app);
    screen_title("Notifications", "Confirmations, places obtenues sur liste d’attente, annulations et rappels.");
    if (s.error) ui_banner(s.error->message, ui_color::danger);
    if (ui_secondary_button("Actualiser", !s.loading)) load_notifications(app);
    for (const Notification& n : s.items) {
        ImGui::PushID((int)n.id);
        ImGui::Separator();
        const auto at = uneplace::parse_utc_instant(n.created_at);
        ImGui::TextDisabled("%s", at.ok() ? uneplace::format_datetime_fr("75", at.value).c_str() : n.created_at.c_str());
        ImGui::PushTextWrapPos(0);
        if (!n.read) ImGui::PushFont(g_fonts.bold);
        ImGui::TextUnformatted(n.message.c_str());
        if (!n.read) ImGui::PopFont();
        ImGui::PopTextWrapPos();
        registry_add_text_item(n.message);
        if (n.session_id && g_api_session.user && g_api_session.user->role == "social_worker" && ImGui::SmallButton("Voir la séance"))
            app_navigate(app, Route{Screen::SessionDetail, n.session_id});
        ImGui::PopID();
    }
    if (s.loaded && s.items.empty() && !s.error) ui_text_colored(ui_color::muted, "Aucune notification pour le moment.");
}
