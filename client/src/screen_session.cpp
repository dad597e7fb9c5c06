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
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "app.hpp"
#include "imgui.h"
#include "imgui_internal.h"
#include "platform.hpp"
#include "ui.hpp"
#include "widget_registry.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

std::string session_when_fr(const std::string& start_utc, const std::string& territory);
std::string category_label_fr(const std::string& code);

//-------------------------------------------------------------------------------------------------
// [SECTION] Loading
//-------------------------------------------------------------------------------------------------

static void load_session(AppState& app, long long id) {
    SessionScreenState& s = app.session;
    if (s.session_id != id) s = SessionScreenState{};
    s.session_id = id;
    s.loading = true;
    api_request("GET", "/api/v1/sessions/" + std::to_string(id), "",
                [&app, id](const nlohmann::json& j) {
                    if (app.session.session_id != id) return;
                    app.session.loading = false;
                    app.session.error.reset();
                    app.session.session = parse_session_detail(j);
                },
                [&app, id](const ApiError& e) {
                    if (app.session.session_id != id) return;
                    app.session.loading = false;
                    app.session.error = e;
                });
}

static void load_beneficiary_bookings(AppState& app, long long beneficiary_id) {
    BookingForm& f = app.session.form;
    f.bookings_loaded_for = beneficiary_id;
    f.beneficiary_bookings.clear();
    api_request("GET", "/api/v1/bookings?limit=500&beneficiary_id=" + std::to_string(beneficiary_id), "",
                [&app, beneficiary_id](const nlohmann::json& j) {
                    BookingForm& form = app.session.form;
                    if (form.bookings_loaded_for != beneficiary_id) return;
                    if (j.is_object() && j.contains("items") && j["items"].is_array())
                        for (const auto& it : j["items"]) form.beneficiary_bookings.push_back(parse_booking(it));
                },
                [](const ApiError&) {});
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Pre-check with the shared rules
//-------------------------------------------------------------------------------------------------

static uneplace::UnixSeconds instant(const std::string& rfc3339) {
    const auto t = uneplace::parse_utc_instant(rfc3339);
    return t.ok() ? t.value : 0;
}

// What the client knows, as the snapshot the server builds inside its transaction.
static uneplace::BookingSnapshot client_snapshot(const AppState& app, const SessionDetail& d, const Beneficiary& b, int places) {
    using namespace uneplace;
    BookingSnapshot snap;
    snap.now = platform_now_unix();
    snap.actor.user_id = g_api_session.user->id;
    snap.actor.role = Role::SocialWorker;
    snap.actor.organisation_id = g_api_session.user->organisation_id;
    snap.session.id = d.entry.session_id;
    snap.session.offer_id = d.entry.offer_id;
    snap.session.territory = d.entry.territory;
    snap.session.start = instant(d.entry.start);
    snap.session.duration_min = d.duration_min;
    snap.session.capacity = d.entry.capacity;
    snap.session.max_per_booking = d.entry.max_per_booking;
    snap.session.opens_at = d.opens_at.empty() ? 0 : instant(d.opens_at);
    snap.session.closes_at = instant(d.entry.closes_at);
    snap.session.allocation = d.entry.allocation == "ballot" ? AllocationMode::Ballot : AllocationMode::FirstCome;
    snap.session.draw_at = d.draw_at.empty() ? 0 : instant(d.draw_at);
    snap.session.status = d.status == "cancelled" ? SessionStatus::Cancelled : SessionStatus::Scheduled;
    snap.session.min_age = d.min_age;
    snap.beneficiary.id = b.id;
    snap.beneficiary.structure_id = g_api_session.user->organisation_id;
    if (b.birth_year > 0) snap.beneficiary.birth_year = b.birth_year;
    for (const Booking& bk : app.session.form.beneficiary_bookings) {
        if (bk.status == "waitlisted" || bk.status == "ballot_entered") {
            snap.beneficiary_requests.push_back(bk.session_id);
            continue;
        }
        const auto status = from_code<BookingStatus>(bk.status);
        if (!status) continue;
        const UnixSeconds start = instant(bk.start);
        // Without the other session's duration, count it as two hours (a typical show).
        snap.beneficiary_bookings.push_back({bk.id, bk.session_id, start, start + 2 * kHour, *status});
    }
    snap.places_held = d.places_held;
    snap.structure_places_held = d.structure_places_held < 0 ? 0 : d.structure_places_held;
    snap.places = places;
    return snap;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Details
//-------------------------------------------------------------------------------------------------

static void detail_line(const char* caption, const std::string& value) {
    if (value.empty()) return;
    ImGui::PushFont(g_fonts.bold);
    ImGui::TextUnformatted(caption);
    ImGui::PopFont();
    ImGui::SameLine(190);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopTextWrapPos();
}

static std::string pickup_label(const std::string& code) {
    if (auto p = uneplace::from_code<uneplace::PickupMode>(code)) return std::string(uneplace::label_fr(*p));
    return code;
}

static void show_details(const SessionDetail& d) {
    const CatalogueEntry& e = d.entry;
    detail_line("Quand", session_when_fr(e.start, e.territory) + (d.duration_min > 0 ? "  ·  durée " + std::to_string(d.duration_min) + " min" : ""));
    detail_line("Où", e.venue_name + (d.venue_address.empty() ? "" : ", " + d.venue_address) +
                          (d.venue_postal_code.empty() ? "" : ", " + d.venue_postal_code) + (e.venue_city.empty() ? "" : " " + e.venue_city));
    detail_line("Catégorie", category_label_fr(e.category));
    detail_line("Proposé par", d.partner_name);
    char places[160];
    std::snprintf(places, sizeof places, "%d sur %d  ·  au plus %d par réservation", e.places_left, e.capacity, e.max_per_booking);
    detail_line("Places restantes", places);
    const auto closes = uneplace::parse_utc_instant(e.closes_at);
    if (closes.ok()) detail_line("Réservable jusqu’au", uneplace::format_datetime_sentence_fr(e.territory, closes.value));
    if (e.allocation == "ballot") {
        const auto draw = uneplace::parse_utc_instant(d.draw_at);
        detail_line("Attribution", draw.ok() ? "tirage au sort le " + uneplace::format_datetime_sentence_fr(e.territory, draw.value)
                                             : std::string("tirage au sort"));
    } else {
        detail_line("Attribution", "premier arrivé, premier servi");
    }
    detail_line("Retrait des places", pickup_label(d.pickup_mode));
    std::string access;
    for (const auto& key : uneplace::accessibility_keys())
        if (d.accessibility & key.flag) access += (access.empty() ? "" : ", ") + std::string(key.label_fr);
    detail_line("Accessibilité", access.empty() ? "non précisée" : access);
    detail_line("Âge minimum", d.min_age > 0 ? std::to_string(d.min_age) + " ans" : "tout public");
    if (!d.description.empty()) {
        ImGui::Spacing();
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 720);
        ImGui::TextUnformatted(d.description.c_str());
        ImGui::PopTextWrapPos();
    }
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Booking form and outcome
//-------------------------------------------------------------------------------------------------

static void send_booking(AppState& app, bool join_waitlist) {
    SessionScreenState& s = app.session;
    BookingForm& f = s.form;
    f.busy = true;
    f.error.reset();
    const nlohmann::json body = {{"session_id", s.session_id}, {"beneficiary_id", f.beneficiary_id},
                                 {"places", f.places}, {"join_waitlist", join_waitlist}};
    const long long session_id = s.session_id;
    api_request("POST", "/api/v1/bookings", body.dump(),
                [&app, session_id](const nlohmann::json& j) {
                    BookingForm& form = app.session.form;
                    form.busy = false;
                    form.result_status = json_str(j, "status");
                    form.result_code = json_str(j, "code");
                    form.offer_waitlist = false;
                    form.bookings_loaded_for = 0;     // the beneficiary's bookings changed
                    app.bookings.loaded = false;      // My bookings reloads when opened
                    app.beneficiaries.loaded = false; // upcoming counts changed
                    app.catalogue.visible_count_for = (size_t)-1;
                    if (app.session.session_id == session_id) load_session(app, session_id);
                },
                [&app](const ApiError& e) {
                    BookingForm& form = app.session.form;
                    form.busy = false;
                    form.error = e;
                    form.offer_waitlist = e.code == "session_full" || e.code == "structure_share_exceeded";
                });
}

static void show_outcome(AppState& app) {
    BookingForm& f = app.session.form;
    if (f.result_status == "confirmed") {
        ui_banner("Réservation confirmée. Donnez ce code à la personne : il lui sera demandé à l’entrée.", ui_color::success);
        ImGui::PushFont(g_fonts.code);
        ImGui::TextUnformatted(f.result_code.c_str());
        ImGui::PopFont();
        registry_add_text_item(f.result_code);
        if (ui_secondary_button("Copier le code")) platform_clipboard_write(f.result_code);
        ImGui::SameLine();
    } else if (f.result_status == "waitlisted") {
        ui_banner("Demande inscrite sur la liste d’attente. Si des places se libèrent, la réservation sera confirmée "
                  "automatiquement et vous serez prévenu·e.", ui_color::success);
    } else if (f.result_status == "ballot_entered") {
        ui_banner("Demande inscrite au tirage au sort. Vous serez prévenu·e du résultat après le tirage.", ui_color::success);
    }
    if (ui_secondary_button("Voir mes réservations")) app_navigate(app, Route{Screen::Bookings, 0});
    ImGui::SameLine();
    if (ui_secondary_button("Nouvelle réservation")) {
        f = BookingForm{};
    }
}

static void show_booking_form(AppState& app, const SessionDetail& d) {
    BookingForm& f = app.session.form;
    BeneficiariesScreenState& bens = app.beneficiaries;
    if (!bens.loaded && !bens.loading) load_beneficiaries(app);

    ImGui::PushFont(g_fonts.bold);
    ImGui::TextUnformatted("Réserver pour une personne accompagnée");
    ImGui::PopFont();
    if (!f.result_status.empty()) return show_outcome(app);

    const Beneficiary* chosen = nullptr;
    for (const Beneficiary& b : bens.items)
        if (b.id == f.beneficiary_id) chosen = &b;

    ImGui::TextUnformatted("Bénéficiaire");
    ImGui::SetNextItemWidth(std::min(360.0f, ImGui::GetContentRegionAvail().x));
    if (ui_begin_combo("##Bénéficiaire", chosen ? chosen->display_name().c_str() : "Choisir une personne…", ImGuiComboFlags_HeightLarge)) {
        for (const Beneficiary& b : bens.items) {
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
        bens.form = BeneficiaryForm{};
        bens.form.open = true;
        bens.form.return_to_session = app.session.session_id;
        app_navigate(app, Route{Screen::Beneficiaries, 0});
    }
    if (bens.loaded && bens.items.empty())
        ui_text_colored(ui_color::muted, "Aucune personne enregistrée : ajoutez d’abord la personne que vous accompagnez.");

    // Typed as text: whatever is typed goes to the shared rule R1, which says what is allowed.
    if (f.places_text.empty() && f.places > 0) f.places_text = std::to_string(f.places);
    ui_text_field("Nombre de places", &f.places_text, UiField_None, nullptr, 120);
    const std::string places_trimmed(uneplace::trim(f.places_text));
    f.places = (!places_trimmed.empty() && places_trimmed.size() <= 3 &&
                places_trimmed.find_first_not_of("0123456789") == std::string::npos) ? std::atoi(places_trimmed.c_str()) : 0;
    ImGui::TextDisabled("La personne et ses accompagnants : %d au plus.", d.entry.max_per_booking);

    // The shared rules, before sending.
    bool can_send = chosen != nullptr && !f.busy;
    std::string verdict;
    bool may_wait = false;
    if (chosen) {
        if (f.bookings_loaded_for != chosen->id) load_beneficiary_bookings(app, chosen->id);
        const uneplace::BookingDecision decision = uneplace::decide_booking(client_snapshot(app, d, *chosen, f.places));
        if (!decision.accepted() && decision.refusal) {
            verdict = uneplace::explain_fr(decision, client_snapshot(app, d, *chosen, f.places).session);
            may_wait = decision.may_join_waitlist;
            can_send = can_send && may_wait;
        } else if (decision.outcome == uneplace::BookingOutcome::EnterBallot) {
            const auto draw = uneplace::parse_utc_instant(d.draw_at);
            verdict = draw.ok() ? "Cette séance est attribuée par tirage au sort le " +
                                      uneplace::format_datetime_sentence_fr(d.entry.territory, draw.value) + "."
                                : "Cette séance est attribuée par tirage au sort.";
        }
    }
    if (!verdict.empty()) ui_banner(verdict, may_wait || verdict.rfind("Cette séance", 0) == 0 ? ui_color::primary : ui_color::danger);
    if (f.error) ui_banner(f.error->message, ui_color::danger);

    if (may_wait || f.offer_waitlist) {
        if (ui_primary_button("M’inscrire sur la liste d’attente", !f.busy)) send_booking(app, true);
    } else {
        const char* label = d.entry.allocation == "ballot" ? "Participer au tirage au sort###Réserver" : "Réserver###Réserver";
        if (ui_primary_button(label, can_send)) send_booking(app, false);
    }
}

void show_session_screen(AppState& app) {
    SessionScreenState& s = app.session;
    if (s.session_id != app.route.id || (!s.session && !s.loading && !s.error)) load_session(app, app.route.id);

    if (ImGui::SmallButton("← Retour au catalogue")) app_navigate(app, Route{Screen::Catalogue, 0});
    ImGui::Spacing();
    if (s.error) {
        ui_banner(s.error->code == "not_found" ? "Cette séance n’existe pas ou n’est plus proposée." : s.error->message, ui_color::danger);
        if (ui_secondary_button("Réessayer")) load_session(app, app.route.id);
        return;
    }
    if (!s.session) return;
    const SessionDetail& d = *s.session;
    screen_title(d.entry.title.c_str());
    if (d.status == "cancelled") ui_banner("Cette séance a été annulée par le partenaire.", ui_color::danger);

    const float avail = ImGui::GetContentRegionAvail().x;
    const bool two_columns = avail > 980;
    ImGui::BeginChild("Détails", ImVec2(two_columns ? avail * 0.55f : avail, two_columns ? 0 : 420), false);
    show_details(d);
    ImGui::EndChild();
    if (two_columns) ImGui::SameLine(0, 24);
    ImGui::BeginChild("Réservation", ImVec2(0, 0), true, ImGuiWindowFlags_AlwaysUseWindowPadding);
    if (g_api_session.user && g_api_session.user->role == "social_worker") show_booking_form(app, d);
    else ui_text_colored(ui_color::muted, "Seuls les travailleurs sociaux réservent des places.");
    ImGui::EndChild();
}
