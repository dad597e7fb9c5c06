// uneplace client — one session of an offer: what it is, where, when, and booking it.
// Before anything is sent, the shared rules (decide_booking, the same function the server calls)
// say whether the request will be refused and why, from what the client last fetched; the server's
// answer stays the authority (places may have gone meanwhile).
//
// Index of this file:
// [SECTION] Loading
// [SECTION] Pre-check with the shared rules
// [SECTION] Details
// [SECTION] Booking form and outcome

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "api/calls.hpp"
#include "data/data.hpp"
#include "data/precheck.hpp"
#include "imgui.h"
#include "platform.hpp"
#include "screens/screens.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "widget_registry.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/fit.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] State and loading
//-------------------------------------------------------------------------------------------------

namespace {

struct BookingForm {
    long long beneficiary_id = 0;
    int places = 1;
    long long places_for = 0;  // the person whose household size filled `places`
    std::string places_text;   // as typed; `places` is its value (0 when not a number)
    bool busy = false;
    std::optional<ApiError> error;
    // When the chosen household does not fit: sessions that do, near the venue (same offer first).
    long long alternatives_for = 0;
    Remote<CataloguePage> alternatives;
    // The beneficiary's bookings, for the shared rules' pre-check (R5–R7).
    long long bookings_for = 0;
    Remote<std::vector<Booking>> person_bookings;
    // The create in progress: one Idempotency-Key for one request body, kept until the server has
    // answered. When the answer was lost (the server stopped after saving), the same request is
    // sent again with the same key once the server answers: it replays the booking it made.
    BookingRequest request;
    std::string idempotency_key;
    bool answer_lost = false;
    // Outcome of the last request.
    std::string result_status;  // confirmed | waitlisted | ballot_entered
    std::string result_code;
    long long result_id = 0;
    std::string invitation_notice;
    bool offer_waitlist = false;
};

struct SessionState {
    long long session_id = 0;
    Remote<SessionDetail> session;
    BookingForm form;
};
SessionState g_session;

void load_session(long long id) {
    SessionState& s = g_session;
    if (s.session_id != id) s = SessionState{};
    s.session_id = id;
    remote_load(s.session, [id](auto ok, auto fail) { api_session_detail(id, ok, fail); });
}

void load_person_bookings(long long beneficiary_id) {
    BookingForm& f = g_session.form;
    f.bookings_for = beneficiary_id;
    f.person_bookings = {};
    remote_load(f.person_bookings, [beneficiary_id](auto ok, auto fail) { api_bookings(beneficiary_id, ok, fail); });
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Details
//-------------------------------------------------------------------------------------------------

void detail_line(const char* caption, const std::string& value) {
    if (value.empty()) return;
    ImGui::PushFont(g_fonts.bold);
    ImGui::TextUnformatted(caption);
    ImGui::PopFont();
    if (ui_width() != UiWidth::Phone) ImGui::SameLine(190);  // a phone puts the value under its caption
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopTextWrapPos();
}

void show_details(const SessionDetail& d) {
    const CatalogueEntry& e = d.entry;
    if (!e.image_url.empty()) {
        // The poster, large: its room is kept while it loads, so nothing below moves.
        const float w = std::min(260.0f, ImGui::GetContentRegionAvail().x), h = std::floor(w * 1.4f);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        ws_poster(ImGui::GetWindowDrawList(), e.image_url, "Affiche\u00A0: " + e.title, at, ImVec2(at.x + w, at.y + h));
        ImGui::Dummy(ImVec2(w, h));
        ImGui::Spacing();
    }
    detail_line("Quand", ws_when(e.start, e.territory) +
                             (d.duration_min > 0 ? "  ·  durée " + std::to_string(d.duration_min) + " min" : ""));
    detail_line("Où", e.venue_name + (d.venue_address.empty() ? "" : ", " + d.venue_address) +
                          (d.venue_postal_code.empty() ? "" : ", " + d.venue_postal_code) +
                          (e.venue_city.empty() ? "" : " " + e.venue_city));
    detail_line("Catégorie", ws_category_label(e.category));
    detail_line("Proposé par", d.partner_name);
    char places[160];
    std::snprintf(places, sizeof places, "%d sur %d  ·  au plus %d par réservation", e.places_left, e.capacity,
                  e.max_per_booking);
    detail_line("Places restantes", places);
    const auto closes = uneplace::parse_utc_instant(e.closes_at);
    if (closes.ok())
        detail_line("Réservable jusqu’au", uneplace::format_datetime_sentence_fr(e.territory, closes.value));
    if (e.allocation == "ballot") {
        const auto draw = uneplace::parse_utc_instant(d.draw_at);
        detail_line("Attribution",
                    draw.ok() ? "tirage au sort le " + uneplace::format_datetime_sentence_fr(e.territory, draw.value)
                              : std::string("tirage au sort"));
    } else {
        detail_line("Attribution", "premier arrivé, premier servi");
    }
    detail_line("Retrait des places", ws_pickup_label(d.pickup_mode));
    detail_line("Accessibilité", ws_accessibility_text(d.accessibility));
    detail_line("Âge minimum", d.min_age > 0 ? std::to_string(d.min_age) + " ans" : "tout public");
    if (!d.description.empty()) {
        ImGui::Spacing();
        ui_paragraph(d.description);
    }
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Booking form and outcome
//-------------------------------------------------------------------------------------------------

void send_request() {
    BookingForm& f = g_session.form;
    f.busy = true;
    f.error.reset();
    f.answer_lost = false;
    const long long session_id = f.request.session_id;
    api_create_booking(
        f.request, f.idempotency_key,
        [session_id](BookingCreated created) {
            BookingForm& form = g_session.form;
            form.busy = false;
            form.idempotency_key.clear();
            form.result_status = created.status;
            form.result_code = created.code;
            form.result_id = created.id;
            form.offer_waitlist = false;
            form.bookings_for = 0;  // the beneficiary's bookings changed
            data_bookings_changed();
            if (g_session.session_id == session_id) load_session(session_id);
        },
        [](const ApiError& e) {
            BookingForm& form = g_session.form;
            form.busy = false;
            form.error = e;
            // No answer at all: the booking may have been made. Keep the key to ask again.
            form.answer_lost = e.status == 0;
            if (!form.answer_lost) form.idempotency_key.clear();
            form.offer_waitlist = e.code == "session_full" || e.code == "structure_share_exceeded";
        });
}

void send_booking(bool join_waitlist) {
    BookingForm& f = g_session.form;
    const BookingRequest request{g_session.session_id, f.beneficiary_id, f.places, join_waitlist};
    const bool same = request.session_id == f.request.session_id &&
                      request.beneficiary_id == f.request.beneficiary_id && request.places == f.request.places &&
                      request.join_waitlist == f.request.join_waitlist;
    // A new key for a new request; the same one when the same request is sent again.
    if (!same || f.idempotency_key.empty()) f.idempotency_key = api_new_idempotency_key();
    f.request = request;
    send_request();
}

void show_outcome(Ctx& ctx) {
    BookingForm& f = g_session.form;
    if (f.result_status == "confirmed") {
        ui_banner("Réservation confirmée. Donnez ce code à la personne : il lui sera demandé à l’entrée.",
                  ui_color::success);
        ImGui::PushFont(g_fonts.code);
        ImGui::TextUnformatted(f.result_code.c_str());
        ImGui::PopFont();
        registry_add_text_item(f.result_code);
        if (ui_secondary_button("Copier le code")) platform_clipboard_write(f.result_code);
        ui_next_on_line(ui_button_width("Télécharger l’invitation"));
        if (ui_secondary_button("Télécharger l’invitation")) {
            download_pdf(PdfKind::Invitation, f.result_id, "invitation-" + f.result_code + ".pdf",
                         [](bool, const std::string& notice) { g_session.form.invitation_notice = notice; });
        }
        if (!f.invitation_notice.empty()) ui_text_colored(ui_color::muted, f.invitation_notice);
        else ui_next_on_line(ui_button_width("Voir mes réservations"));
    } else if (f.result_status == "waitlisted") {
        ui_banner("Demande inscrite sur la liste d’attente. Si des places se libèrent, la réservation sera confirmée "
                  "automatiquement et vous serez prévenu·e.",
                  ui_color::success);
    } else if (f.result_status == "ballot_entered") {
        ui_banner("Demande inscrite au tirage au sort. Vous serez prévenu·e du résultat après le tirage.",
                  ui_color::success);
    }
    if (ui_secondary_button("Voir mes réservations")) ctx.navigate(Route{Screen::Bookings, 0});
    ui_next_on_line(ui_button_width("Nouvelle réservation"));
    if (ui_secondary_button("Nouvelle réservation")) {
        f = BookingForm{};
    }
}

// Under the form's buttons, when the household does not fit: sessions that fit the same person, the
// same offer's other sessions first, then others near the venue (the server's fits_beneficiary=).
void show_alternatives(Ctx& ctx, const SessionDetail& d, const Beneficiary& person) {
    BookingForm& f = g_session.form;
    if (f.alternatives_for != person.id) {
        f.alternatives_for = person.id;
        f.alternatives = {};
    }
    if (f.alternatives.needs_load()) {
        const std::string query =
            "limit=100&near=" + d.entry.territory + "&fits_beneficiary=" + std::to_string(person.id);
        remote_load(f.alternatives, [query](auto ok, auto fail) { api_catalogue_page(query, ok, fail); });
    }
    std::vector<const CatalogueEntry*> fitting;
    for (const CatalogueEntry& e : remote_or_empty(f.alternatives).items)
        if (e.offer_id == d.entry.offer_id) fitting.push_back(&e);
    for (const CatalogueEntry& e : remote_or_empty(f.alternatives).items)
        if (e.offer_id != d.entry.offer_id && fitting.size() < 6) fitting.push_back(&e);
    if (!f.alternatives.ready()) return;
    if (fitting.empty()) {
        ws_text_item_colored(ui_color::muted, "Aucune autre séance proche ne convient à ce foyer pour le moment.");
        return;
    }
    ws_text_item("Ces séances conviennent à ce foyer :");
    for (const CatalogueEntry* e : fitting) {
        const std::string label =
            e->title + " — " + ws_when(e->start, e->territory) + "##autre" + std::to_string(e->session_id);
        if (ImGui::SmallButton(label.c_str())) {
            g_social.catalogue_person = person.id;  // the next form starts with the same person
            ctx.navigate(Route{Screen::SessionDetail, e->session_id});
        }
    }
}

void show_booking_form(Ctx& ctx, const SessionDetail& d) {
    BookingForm& f = g_session.form;
    data_need_beneficiaries();
    const std::vector<Beneficiary>& people = remote_or_empty(g_social.beneficiaries);
    // Coming from a catalogue filtered for one person: book for them, their household's places.
    if (f.beneficiary_id == 0 && g_social.catalogue_person != 0) f.beneficiary_id = g_social.catalogue_person;
    // Back from "Ajouter une personne": the person just added is the one to book for.
    if (g_social.person_added && g_social.person_added_for_session == g_session.session_id) {
        f.beneficiary_id = g_social.person_added;
        g_social.person_added = 0;
        g_social.person_added_for_session = 0;
    }

    ImGui::PushFont(g_fonts.bold);
    ImGui::TextUnformatted("Réserver pour une personne accompagnée");
    ImGui::PopFont();
    if (!f.result_status.empty()) return show_outcome(ctx);

    const Beneficiary* chosen = nullptr;
    for (const Beneficiary& b : people)
        if (b.id == f.beneficiary_id) chosen = &b;
    // The person the catalogue was searched for: the places start at their household's size (a
    // person picked here starts at one place, the person alone, as before).
    if (chosen && chosen->id == g_social.catalogue_person && f.places_for != chosen->id) {
        f.places_for = chosen->id;
        f.places = chosen->household_size;
        f.places_text = std::to_string(f.places);
    }

    ImGui::TextUnformatted("Bénéficiaire");
    ImGui::SetNextItemWidth(std::min(360.0f, ImGui::GetContentRegionAvail().x));
    if (ui_begin_combo("##Bénéficiaire", chosen ? chosen->display_name().c_str() : "Choisir une personne…",
                       ImGuiComboFlags_HeightLarge)) {
        for (const Beneficiary& b : people) {
            const std::string label = b.display_name() + "##" + std::to_string(b.id);
            if (ImGui::Selectable(label.c_str(), b.id == f.beneficiary_id)) {
                f.beneficiary_id = b.id;
                f.error.reset();
                f.offer_waitlist = false;
            }
        }
        ImGui::EndCombo();
    }
    if (ImGui::SmallButton("Ajouter une personne")) {
        g_social.add_person_for_session = g_session.session_id;
        ctx.navigate(Route{Screen::Beneficiaries, 0});
    }
    if (g_social.beneficiaries.ready() && people.empty())
        ui_text_colored(ui_color::muted,
                        "Aucune personne enregistrée : ajoutez d’abord la personne que vous accompagnez.");

    // Typed as text: whatever is typed goes to the shared rule R1, which says what is allowed.
    if (f.places_text.empty() && f.places > 0) f.places_text = std::to_string(f.places);
    ui_text_field("Nombre de places", &f.places_text, UiField_None, nullptr, 120);
    const std::string places_trimmed(uneplace::trim(f.places_text));
    f.places = (!places_trimmed.empty() && places_trimmed.size() <= 3 &&
                places_trimmed.find_first_not_of("0123456789") == std::string::npos)
                   ? std::atoi(places_trimmed.c_str())
                   : 0;
    ImGui::TextDisabled("La personne et ses accompagnants : %d au plus.", d.entry.max_per_booking);

    // The whole household, before the booking's own rules: why it does not fit (what does is
    // listed under the buttons).
    bool household_fits = true;
    if (chosen && f.bookings_for == chosen->id && f.person_bookings.ready()) {
        uneplace::BookingSnapshot whole = booking_snapshot(*ctx.user, d, *chosen, remote_or_empty(f.person_bookings),
                                                           chosen->household_size, platform_now_unix());
        const uneplace::Fit fit =
            uneplace::fits_household(whole, {chosen->household_size, chosen->children_birth_years});
        household_fits = fit.fits;
        if (!fit.fits) ui_banner(fit.why_fr, ui_color::danger);
    }

    // The shared rules, before sending.
    bool can_send = chosen != nullptr && !f.busy;
    std::string verdict;
    bool may_wait = false;
    if (chosen) {
        if (f.bookings_for != chosen->id) load_person_bookings(chosen->id);
        const uneplace::BookingSnapshot snapshot =
            booking_snapshot(*ctx.user, d, *chosen, remote_or_empty(f.person_bookings), f.places, platform_now_unix());
        const uneplace::BookingDecision decision = uneplace::decide_booking(snapshot);
        if (!decision.accepted() && decision.refusal) {
            verdict = uneplace::explain_fr(decision, snapshot.session);
            may_wait = decision.may_join_waitlist;
            can_send = can_send && may_wait;
        } else if (decision.outcome == uneplace::BookingOutcome::EnterBallot) {
            const auto draw = uneplace::parse_utc_instant(d.draw_at);
            verdict = draw.ok() ? "Cette séance est attribuée par tirage au sort le " +
                                      uneplace::format_datetime_sentence_fr(d.entry.territory, draw.value) + "."
                                : "Cette séance est attribuée par tirage au sort.";
        }
    }
    if (!verdict.empty())
        ui_banner(verdict, may_wait || verdict.rfind("Cette séance", 0) == 0 ? ui_color::primary : ui_color::danger);
    if (f.answer_lost)
        ui_banner("Le serveur n’a pas répondu : la réservation a peut-être été faite. Elle sera vérifiée dès que le "
                  "serveur répondra, sans risque de doublon.",
                  ui_color::danger);
    else if (f.error) ui_banner(f.error->message, ui_color::danger);

    if (may_wait || f.offer_waitlist) {
        if (ui_primary_button("M’inscrire sur la liste d’attente", !f.busy)) send_booking(true);
    } else {
        const char* label =
            d.entry.allocation == "ballot" ? "Participer au tirage au sort###Réserver" : "Réserver###Réserver";
        if (ui_primary_button(label, can_send)) send_booking(false);
    }
    if (!household_fits) show_alternatives(ctx, d, *chosen);
}

}  // namespace

void reset_session(Reset what) {
    SessionState& s = g_session;
    if (what == Reset::Everything) {
        s = SessionState{};
        return;
    }
    // The server answers again: reload what failed, and ask again for a booking whose answer was
    // lost — with the same key, so the server answers with the booking it made, never a second one.
    s.session.retry();
    s.form.person_bookings.retry();
    if (s.form.answer_lost && !s.form.busy && !s.form.idempotency_key.empty()) send_request();
}

void draw_session(Ctx& ctx) {
    SessionState& s = g_session;
    if (s.session_id != ctx.route.id || s.session.needs_load()) load_session(ctx.route.id);

    if (ImGui::SmallButton("← Retour au catalogue")) ctx.navigate(Route{Screen::Catalogue, 0});
    ImGui::Spacing();
    if (s.session.error) {
        ui_banner(s.session.error->code == "not_found" ? "Cette séance n’existe pas ou n’est plus proposée."
                                                       : s.session.error->message,
                  ui_color::danger);
        if (ui_secondary_button("Réessayer")) load_session(ctx.route.id);
        return;
    }
    if (!s.session.value) return;
    const SessionDetail& d = *s.session.value;
    screen_title(d.entry.title.c_str());
    if (d.status == "cancelled") ui_banner("Cette séance a été annulée par le partenaire.", ui_color::danger);

    const float avail = ImGui::GetContentRegionAvail().x;
    const bool two_columns = avail > 980;
    auto show_form = [&] {
        if (ctx.is("social_worker")) show_booking_form(ctx, d);
        else ui_text_colored(ui_color::muted, "Seuls les travailleurs sociaux réservent des places.");
    };
    if (!two_columns) {
        // One column (a tablet, a phone): details then the form, in the screen's own scrolling.
        show_details(d);
        ImGui::Spacing();
        ImGui::Separator();
        ImGui::Spacing();
        show_form();
        return;
    }
    ImGui::BeginChild("Détails", ImVec2(avail * 0.55f, 0), false, ImGuiWindowFlags_NavFlattened);
    show_details(d);
    ImGui::EndChild();
    ImGui::SameLine(0, 24);
    ImGui::BeginChild("Réservation", ImVec2(0, 0), true,
                      ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NavFlattened);
    show_form();
    ImGui::EndChild();
}
