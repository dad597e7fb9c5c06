// uneplace client — "Mes réservations": upcoming and past bookings of the structure, by person;
// cancellation with the late-cancellation warning of C1, withdrawal of a waitlist or ballot
// request, feedback after the outing (F1, prefilled when it is being changed).
//
// Index of this file:
// [SECTION] State
// [SECTION] Cancel, withdraw and feedback
// [SECTION] Bookings screen

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "api/calls.hpp"
#include "data/data.hpp"
#include "imgui.h"
#include "platform.hpp"
#include "screens/screens.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "widget_registry.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] State
//-------------------------------------------------------------------------------------------------

namespace {

// The list itself is shared data (g_social.bookings): a booking made elsewhere invalidates it.
struct BookingsState {
    std::string notice;
    double notice_at = 0;
    long long confirm_cancel_id = 0;  // the booking whose cancellation awaits confirmation
    long long feedback_id = 0;        // the booking whose feedback form is open
    std::string feedback_went = "yes";
    int feedback_rating = 5;
    std::string feedback_comment;
    std::optional<ApiError> action_error;
    bool show_past = false;
    std::string search;  // a name, a title or a booking code (pasted or typed)
};
BookingsState g_bookings;

uneplace::SessionInfo session_of(const Booking& b) {
    uneplace::SessionInfo s;
    s.id = b.session_id;
    s.territory = b.territory;
    s.start = instant_of(b.start);
    s.closes_at = b.closes_at.empty() ? s.start - 24 * uneplace::kHour : instant_of(b.closes_at);
    return s;
}

const char* status_label(const std::string& status) {
    if (status == "confirmed") return "Confirmée";
    if (status == "cancelled") return "Annulée";
    if (status == "late_cancelled") return "Annulée tardivement";
    if (status == "attended") return "Présent·e";
    if (status == "no_show") return "Absent·e";
    if (status == "waitlisted") return "Liste d’attente";
    if (status == "ballot_entered") return "Tirage au sort à venir";
    if (status == "expired") return "Liste d’attente close";
    if (status == "lost") return "Non retenu au tirage";
    if (status == "withdrawn") return "Demande retirée";
    return status.c_str();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Cancel, withdraw and feedback
//-------------------------------------------------------------------------------------------------

void cancel_booking(long long id) {
    g_bookings.action_error.reset();
    api_cancel_booking(
        id,
        [](std::string status) {
            BookingsState& st = g_bookings;
            st.confirm_cancel_id = 0;
            st.notice = status == "late_cancelled"
                            ? "Réservation annulée (annulation tardive). Les places sont rendues aux autres personnes."
                        : status == "withdrawn" ? "Demande retirée : la personne n’est plus sur la liste d’attente."
                                                : "Réservation annulée. Les places sont rendues aux autres personnes.";
            st.notice_at = 0;
            data_bookings_changed();
        },
        [](const ApiError& e) { g_bookings.action_error = e; });
}

void send_feedback(long long id) {
    BookingsState& s = g_bookings;
    s.action_error.reset();
    nlohmann::json body = {{"went", s.feedback_went}, {"comment", s.feedback_comment}};
    body["rating"] = s.feedback_went == "no" ? nlohmann::json(nullptr) : nlohmann::json(s.feedback_rating);
    api_send_feedback(
        id, body,
        [] {
            BookingsState& st = g_bookings;
            st.feedback_id = 0;
            st.feedback_comment.clear();
            st.notice = "Merci ! Le retour de sortie est enregistré.";
            st.notice_at = 0;
            g_social.bookings.invalidate();
        },
        [](const ApiError& e) { g_bookings.action_error = e; });
}

void show_cancel_confirmation(const Booking& b) {
    const uneplace::CancellationDecision c =
        uneplace::decide_cancellation(uneplace::BookingStatus::Confirmed, session_of(b), platform_now_unix());
    if (!c.ok()) {
        ui_banner(std::string(uneplace::message_fr(c.refusal->code)), ui_color::danger);
        if (ui_secondary_button("Fermer")) g_bookings.confirm_cancel_id = 0;
        return;
    }
    if (c.kind == uneplace::CancellationKind::Late)
        ui_banner(
            "Attention : la réservation est close. Annuler maintenant est une annulation tardive ; elle reste dans "
            "les statistiques de la structure. Les places seront proposées à la liste d’attente.",
            ui_color::primary);
    else
        ui_banner("Annuler cette réservation ? Les places seront rendues, sans conséquence pour la personne.",
                  ui_color::primary);
    if (ui_primary_button("Confirmer l’annulation")) cancel_booking(b.id);
    ui_next_on_line(ui_button_width("Garder la réservation"));
    if (ui_secondary_button("Garder la réservation")) g_bookings.confirm_cancel_id = 0;
}

void show_feedback_form(const Booking& b) {
    BookingsState& s = g_bookings;
    uneplace::FeedbackDraft draft{s.feedback_went,
                                  s.feedback_went == "no" ? std::nullopt : std::optional<int>(s.feedback_rating),
                                  s.feedback_comment};
    const auto refusals = uneplace::validate_feedback(draft);
    const auto window =
        uneplace::check_feedback(session_of(b), uneplace::BookingStatus::Confirmed, platform_now_unix());
    ImGui::TextUnformatted("La personne est-elle allée à la sortie ?");
    static const struct {
        const char* code;
        const char* label;
    } kWent[] = {{"yes", "Oui"}, {"partly", "En partie"}, {"no", "Non"}};
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
    if (ui_primary_button("Enregistrer le retour", refusals.empty() && !window)) send_feedback(b.id);
    ImGui::SameLine();
    if (ui_secondary_button("Annuler##feedback")) s.feedback_id = 0;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Bookings screen
//-------------------------------------------------------------------------------------------------

void show_withdraw_confirmation(const Booking& b) {
    ui_banner("Retirer cette demande ? La personne quitte la liste d’attente : aucune place ne lui sera attribuée "
              "automatiquement ensuite.",
              ui_color::primary);
    if (ui_primary_button("Confirmer le retrait")) cancel_booking(b.id);
    ui_next_on_line(ui_button_width("Garder la demande"));
    if (ui_secondary_button("Garder la demande")) g_bookings.confirm_cancel_id = 0;
}

void show_booking_row(const Booking& b, bool upcoming) {
    BookingsState& s = g_bookings;
    ImGui::PushID((int)b.id);
    ImGui::Separator();
    ImGui::PushFont(g_fonts.bold);
    ui_text_ellipsis(b.title.empty() ? "Séance n° " + std::to_string(b.session_id) : b.title,
                     ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(status_label(b.status)).x - 16);
    ImGui::PopFont();
    ImGui::SameLine();
    const bool good = b.status == "confirmed" || b.status == "attended";
    ui_text_colored(good ? ui_color::success : ui_color::muted, status_label(b.status));
    std::string line = ws_when(b.start, b.territory);
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
        // I1: the PDF the person holds (the code, the QR of the signed ticket, where and when).
        if (ui_secondary_button("Télécharger l’invitation")) {
            download_pdf(PdfKind::Invitation, b.id, "invitation-" + b.code + ".pdf",
                         [](bool, const std::string& notice) {
                             g_bookings.notice = notice;
                             g_bookings.notice_at = 0;
                         });
        }
        if (s.confirm_cancel_id == b.id) {
            show_cancel_confirmation(b);
        } else {
            ImGui::SameLine();
            if (ui_secondary_button("Annuler la réservation")) s.confirm_cancel_id = b.id;
        }
    }
    // A waitlist or ballot request can be withdrawn until it is decided: a later automatic
    // confirmation for a person who no longer wants to go would end as a no-show and a pause.
    if (upcoming && (b.status == "waitlisted" || b.status == "ballot_entered")) {
        if (s.confirm_cancel_id == b.id) show_withdraw_confirmation(b);
        else if (ui_secondary_button("Retirer la demande")) s.confirm_cancel_id = b.id;
    }
    if (!upcoming && (b.status == "confirmed" || b.status == "attended")) {
        if (b.has_feedback) ImGui::TextDisabled("Retour de sortie enregistré.");
        if (s.feedback_id == b.id) show_feedback_form(b);
        else if (uneplace::feedback_window_open(session_of(b), platform_now_unix()) &&
                 ui_secondary_button(b.has_feedback ? "Modifier le retour" : "Donner un retour de sortie")) {
            // Changing a feedback starts from what was given, so saving never loses a comment.
            s.feedback_id = b.id;
            s.feedback_went = b.has_feedback && !b.feedback_went.empty() ? b.feedback_went : "yes";
            s.feedback_rating = b.has_feedback && b.feedback_rating > 0 ? b.feedback_rating : 5;
            s.feedback_comment = b.has_feedback ? b.feedback_comment : std::string();
        }
    }
    ImGui::PopID();
}

}  // namespace

void reset_bookings(Reset what) {
    if (what == Reset::Everything) g_bookings = BookingsState{};
}

void draw_bookings(Ctx&) {
    BookingsState& s = g_bookings;
    const Remote<std::vector<Booking>>& bookings = g_social.bookings;
    data_need_bookings();
    screen_title("Mes réservations", "Les sorties réservées pour les personnes de votre structure.");
    ui_notice(s.notice, s.notice_at);
    if (s.action_error) ui_banner(s.action_error->message, ui_color::danger);
    if (bookings.error) {
        ui_banner(bookings.error->message, ui_color::danger);
        if (ui_secondary_button("Réessayer")) g_social.bookings.invalidate();
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
    for (const Booking& b : remote_or_empty(bookings)) {
        const bool upcoming = instant_of(b.start) > now;
        if (upcoming == s.show_past) continue;
        if (!s.search.empty()) {
            const bool code_match = searched_code.ok() && b.code == searched_code.value;
            if (!code_match && !matches_search(b.beneficiary_name + " " + b.title + " " + b.code, s.search)) continue;
        }
        by_person[b.beneficiary_name.empty() ? "Personne n° " + std::to_string(b.beneficiary_id) : b.beneficiary_name]
            .push_back(&b);
    }
    ImGui::BeginChild("Liste des réservations", ImVec2(0, 0), false, ImGuiWindowFlags_NavFlattened);
    for (auto& [person, list] : by_person) {
        std::sort(list.begin(), list.end(), [&](const Booking* a, const Booking* b) {
            return s.show_past ? a->start > b->start : a->start < b->start;
        });
        ImGui::Spacing();
        ImGui::PushFont(g_fonts.title);
        ImGui::TextUnformatted(person.c_str());
        ImGui::PopFont();
        for (const Booking* b : list) show_booking_row(*b, !s.show_past);
    }
    if (bookings.ready() && by_person.empty() && !bookings.error)
        ui_text_colored(ui_color::muted, s.show_past ? "Aucune sortie passée."
                                                     : "Aucune réservation à venir. Le catalogue vous attend !");
    ImGui::EndChild();
}
