// uneplace client — "Mes offres", the selected offer's sessions: the form adding one date or a
// run of shows (checked as the partner types by the shared validate_session()), the table of its
// sessions, and the capacity and cancellation dialogs (check_capacity_change,
// check_session_cancellation). The state is the screen's (screens/partner_offers.hpp).
//
// Index of this file:
// [SECTION] Loading
// [SECTION] Sessions form (one date or a run of shows)
// [SECTION] Sessions of an offer: capacity and cancellation
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/calls.hpp"
#include "data/data.hpp"
#include "data/precheck.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // ImGui::GetItemID()
#include "imgui_stdlib.h"
#include "platform.hpp"
#include "screens/screens.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "widget_registry.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

using nlohmann::json;
using uneplace::UnixSeconds;
#include "screens/partner_offers.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] Loading
//-------------------------------------------------------------------------------------------------

void load_sessions(long long offer_id) {
    PartnerOffersState& s = g_partner;
    s.sessions_for = offer_id;
    remote_load(s.sessions, [offer_id](auto ok, auto fail) {
        api_offer_sessions(
            offer_id,
            [ok](std::vector<SessionRow> rows) {
                std::stable_sort(rows.begin(), rows.end(), [](const SessionRow& a, const SessionRow& b) {
                    return instant_of(a.start) < instant_of(b.start);
                });
                ok(std::move(rows));
            },
            fail);
    });
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Sessions form (one date or a run of shows)
//-------------------------------------------------------------------------------------------------

namespace {

// "05/12/2026" or "2026-12-05" → "2026-12-05"; "" when neither shape (the shared parser then
// refuses the date with its own message).
std::string iso_date(std::string_view text) {
    text = uneplace::trim(text);
    if (text.size() == 10 && text[2] == '/' && text[5] == '/')
        return std::string(text.substr(6, 4)) + "-" + std::string(text.substr(3, 2)) + "-" +
               std::string(text.substr(0, 2));
    return std::string(text);
}

std::vector<std::string> split_dates(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text) {
        if (c == ',' || c == ';' || c == '\n' || c == ' ') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

// One date of the run, checked by the shared module as the server will check it.
struct PlannedSession {
    std::string date_text;
    std::string start_local;       // "2026-12-05T20:30"
    uneplace::SessionDraft draft;  // defaults filled (closes_at…)
    std::vector<uneplace::Refusal> refusals;
};

std::vector<PlannedSession> plan_sessions(const SessionsForm& f, const std::string& territory, UnixSeconds now) {
    std::vector<PlannedSession> out;
    const uneplace::TerritorySettings settings;  // the defaults; the server applies the territory's own
    for (const std::string& date : split_dates(f.dates)) {
        PlannedSession p;
        p.date_text = date;
        p.start_local = iso_date(date) + "T" + std::string(uneplace::trim(f.time));
        const auto start = uneplace::parse_venue_local(territory, p.start_local, "start_local");
        if (!start.ok()) {
            p.refusals.push_back(*start.refusal);
            out.push_back(std::move(p));
            continue;
        }
        p.draft.start = start.value;
        p.draft.duration_min = f.duration_min;
        p.draft.capacity = f.capacity;
        p.draft.max_per_booking = f.max_per_booking;
        if (f.custom_close) p.draft.closes_at = start.value - (UnixSeconds)f.close_hours * uneplace::kHour;
        p.draft.allocation = f.ballot ? uneplace::AllocationMode::Ballot : uneplace::AllocationMode::FirstCome;
        if (f.ballot) p.draft.draw_at = start.value - (UnixSeconds)f.draw_hours * uneplace::kHour;
        p.refusals = uneplace::validate_session(p.draft, now, settings);
        out.push_back(std::move(p));
    }
    return out;
}

void create_sessions(long long offer_id, const std::vector<PlannedSession>& plan, const std::string& territory) {
    SessionsForm& f = g_partner.sessions_form;
    f.busy = true;
    f.sent = (int)plan.size();
    f.created = 0;
    f.failures.clear();
    // One key per date, kept while the same dates are sent again (after a lost answer, a date
    // already created is answered with its first answer instead of being created twice).
    if (f.idempotency_keys.size() != plan.size()) {
        f.idempotency_keys.clear();
        for (size_t i = 0; i < plan.size(); ++i) f.idempotency_keys.push_back(api_new_idempotency_key());
    }
    auto finish_one = [offer_id]() {
        SessionsForm& form = g_partner.sessions_form;
        if (--form.sent > 0) return;
        form.busy = false;
        if (form.failures.empty()) {
            g_partner.notice =
                form.created == 1 ? "Séance ajoutée." : std::to_string(form.created) + " séances ajoutées.";
            g_partner.notice_at = 0;
            form = SessionsForm{};
            g_partner.scroll_to_detail = 3;
        } else if (form.created > 0) {
            g_partner.notice = std::to_string(form.created) +
                               (form.created > 1 ? " séances ajoutées" : " séance ajoutée") +
                               " ; les autres dates sont refusées ci-dessous.";
            g_partner.notice_at = 0;
        }
        load_sessions(offer_id);
        g_partner_data.offers.invalidate();  // its count of sessions changed
    };
    for (const PlannedSession& p : plan) {
        json body = {{"start_local", p.start_local},
                     {"duration_min", p.draft.duration_min},
                     {"capacity", p.draft.capacity},
                     {"max_per_booking", p.draft.max_per_booking.value_or(2)},
                     {"allocation", std::string(uneplace::to_code(p.draft.allocation))}};
        if (f.custom_close && p.draft.closes_at) body["closes_at"] = uneplace::format_utc(*p.draft.closes_at);
        if (p.draft.allocation == uneplace::AllocationMode::Ballot && p.draft.draw_at)
            body["draw_at"] = uneplace::format_utc(*p.draft.draw_at);
        const std::string when = uneplace::format_datetime_fr(territory, p.draft.start);
        api_create_session(
            offer_id, body, f.idempotency_keys[&p - plan.data()],
            [finish_one] {
                ++g_partner.sessions_form.created;
                finish_one();
            },
            [finish_one, when](const ApiError& e) {
                g_partner.sessions_form.failures.push_back(when + " : " + e.message);
                finish_one();
            });
    }
}

// The day after the last date typed (or today), appended: a run of shows in a few clicks.
void append_next_date(SessionsForm& f, int days, const std::string& territory) {
    const auto dates = split_dates(f.dates);
    std::int64_t day = 0;
    bool have = false;
    if (!dates.empty()) {
        const auto parsed = uneplace::parse_rfc3339(iso_date(dates.back()) + "T00:00", "start_local");
        if (parsed.ok()) {
            day = uneplace::days_from_civil(parsed.value.civil.year, parsed.value.civil.month, parsed.value.civil.day) +
                  days;
            have = true;
        }
    }
    if (!have) {
        const auto local = uneplace::to_local(territory, platform_now_unix());
        day = uneplace::days_from_civil(local.year, local.month, local.day) + days;
    }
    const uneplace::CivilDate d = uneplace::civil_from_days(day);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day, d.month, d.year);
    if (!f.dates.empty() && f.dates.back() != ' ' && f.dates.back() != ',') f.dates += ", ";
    f.dates += buf;
}

}  // namespace

void show_sessions_form(const Offer& offer) {
    SessionsForm& f = g_partner.sessions_form;
    const Venue* venue = venue_by_id(offer.venue_id);
    const std::string territory = venue ? venue->territory : std::string("75");
    const UnixSeconds now = platform_now_unix();
    const auto plan = plan_sessions(f, territory, now);

    if (g_partner.scroll_to_sessions_form > 0) {
        ImGui::SetScrollHereY(0.0f);
        --g_partner.scroll_to_sessions_form;
    }
    ui_begin_card(680);
    ws_heading("Ajouter des séances");
    ui_text_colored(ui_color::muted, "Une date ou toute une série : même heure, mêmes places, sur plusieurs dates. "
                                     "Heure locale du lieu" +
                                         (venue ? " (" + venue->territory + " " +
                                                      std::string(uneplace::departement_name(venue->territory)) + ")."
                                                : std::string(".")));
    ui_text_field("Dates (JJ/MM/AAAA, séparées par des virgules)", &f.dates, UiField_None,
                  "ex. 05/12/2026, 06/12/2026");
    if (ImGui::SmallButton("+ le jour suivant")) append_next_date(f, 1, territory);
    ImGui::SameLine();
    if (ImGui::SmallButton("+ la semaine suivante")) append_next_date(f, 7, territory);
    ui_text_field("Heure de début (HH:MM)", &f.time, UiField_None, "20:30", 160);

    ImGui::BeginGroup();
    ws_int_field("Durée (minutes)", &f.duration_min, 150, 15);
    ImGui::EndGroup();
    ws_same_line(24);
    ImGui::BeginGroup();
    ws_int_field("Places offertes", &f.capacity, 150);
    ImGui::EndGroup();
    ws_same_line(24);
    ImGui::BeginGroup();
    ws_int_field("Places par réservation (au plus)", &f.max_per_booking, 150);
    ImGui::EndGroup();

    ImGui::Checkbox("Choisir la fermeture des réservations", &f.custom_close);
    if (f.custom_close) {
        ImGui::SameLine();
        ws_int_stepper("fermeture", &f.close_hours, 130);
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("heures avant le début");
    } else {
        ImGui::SameLine();
        ImGui::TextDisabled("(par défaut : la veille, 24 h avant)");
    }
    ImGui::TextUnformatted("Attribution des places");
    if (ImGui::RadioButton("Premier arrivé, premier servi", !f.ballot)) f.ballot = false;
    ImGui::SameLine(0, 24);
    if (ImGui::RadioButton("Tirage au sort (forte demande)", f.ballot)) f.ballot = true;
    if (f.ballot) {
        ImGui::TextUnformatted("Tirage au sort");
        ws_int_stepper("tirage", &f.draw_hours, 130);
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("heures avant le début");
        ui_text_colored(
            ui_color::muted,
            "Les demandes sont reçues jusqu’au tirage ; les personnes qui sortent le moins passent en premier.");
    }

    // What will be created, date by date, with the shared module's verdict.
    bool all_valid = !plan.empty();
    if (!plan.empty()) {
        ImGui::Spacing();
        ws_heading(plan.size() == 1 ? "Séance prévue"
                                    : ("Séances prévues (" + std::to_string(plan.size()) + ")").c_str());
        for (const PlannedSession& p : plan) {
            if (p.refusals.empty()) {
                std::string line = "✓ " + uneplace::format_datetime_fr(territory, p.draft.start);
                if (p.draft.closes_at)
                    line += " — réservable jusqu’au " +
                            uneplace::format_datetime_sentence_fr(territory, *p.draft.closes_at);
                if (p.draft.draw_at && f.ballot)
                    line += ", tirage le " + uneplace::format_datetime_sentence_fr(territory, *p.draft.draw_at);
                ws_text_item_colored(ui_color::success, line);
            } else {
                all_valid = false;
                ws_text_item_colored(ui_color::danger,
                                     p.date_text + " : " + std::string(uneplace::message_fr(p.refusals.front().code)));
            }
        }
    }
    for (const std::string& failure : f.failures) ui_field_error(failure);
    const std::string label = plan.size() > 1
                                  ? "Créer les " + std::to_string(plan.size()) + " séances###Créer les séances"
                                  : std::string("Créer la séance###Créer les séances");
    if (ui_primary_button(label.c_str(), all_valid && !f.busy)) create_sessions(offer.id, plan, territory);
    ImGui::SameLine();
    if (ui_secondary_button("Fermer##séances")) f = SessionsForm{};
    ui_end_card();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Sessions of an offer: capacity and cancellation
//-------------------------------------------------------------------------------------------------

namespace {

void save_capacity() {
    CapacityEdit& c = g_partner.capacity;
    c.busy = true;
    c.error.reset();
    const long long offer_id = g_partner.selected_offer;
    api_change_capacity(
        c.session_id, c.capacity,
        [offer_id] {
            g_partner.notice = "Capacité mise à jour : " + std::to_string(g_partner.capacity.capacity) +
                               " places. Les personnes en liste d’attente sont servies automatiquement.";
            g_partner.notice_at = 0;
            g_partner.capacity = CapacityEdit{};
            load_sessions(offer_id);
        },
        [](const ApiError& e) {
            g_partner.capacity.busy = false;
            g_partner.capacity.error = e;
        });
}

void cancel_session() {
    CancelConfirm& c = g_partner.cancel;
    c.busy = true;
    c.error.reset();
    const long long offer_id = g_partner.selected_offer;
    api_cancel_session(
        c.session_id,
        [offer_id] {
            g_partner.notice = "Séance annulée. Les réservations sont annulées et les travailleurs sociaux prévenus.";
            g_partner.notice_at = 0;
            g_partner.cancel = CancelConfirm{};
            load_sessions(offer_id);
        },
        [](const ApiError& e) {
            g_partner.cancel.busy = false;
            g_partner.cancel.error = e;
        });
}

// The dialog asks the server for the session's places now: the table may predate bookings made
// since it was loaded, and a capacity is checked against what is booked at this moment.
void open_capacity(const SessionRow& row) {
    g_partner.capacity = CapacityEdit{row.id, row.capacity, row.places_held, false, std::nullopt, true};
    const long long id = row.id;
    api_session_row(
        id,
        [id](SessionRow fresh) {
            CapacityEdit& c = g_partner.capacity;
            if (c.session_id != id) return;
            c.refreshing = false;
            c.places_held = fresh.places_held;
        },
        [id](const ApiError& e) {
            CapacityEdit& c = g_partner.capacity;
            if (c.session_id != id) return;
            c.refreshing = false;
            c.error = e;
        });
    if (g_partner.sessions_for) load_sessions(g_partner.sessions_for);
}

}  // namespace

// The two dialogs of the sessions table, opened from its rows.
void show_session_dialogs() {
    PartnerOffersState& s = g_partner;
    if (s.capacity.session_id && !ImGui::IsPopupOpen("Modifier la capacité")) ImGui::OpenPopup("Modifier la capacité");
    ImGui::SetNextWindowSize(ImVec2(460, 0));
    if (ImGui::BeginPopupModal("Modifier la capacité", nullptr,
                               ImGuiWindowFlags_NoResize | ImGuiWindowFlags_AlwaysAutoResize)) {
        CapacityEdit& c = s.capacity;
        ImGui::PushTextWrapPos(430);
        if (c.refreshing) ImGui::TextUnformatted("Places déjà réservées : vérification…");
        else
            ImGui::Text(
                "Places déjà réservées : %d. La capacité peut toujours augmenter ; elle ne descend pas sous les places "
                "réservées.",
                c.places_held);
        ImGui::PopTextWrapPos();
        ws_int_field("Nouvelle capacité", &c.capacity, 200);
        const auto refusal = uneplace::check_capacity_change(c.capacity, c.places_held);
        if (refusal) ui_field_error(uneplace::message_fr(refusal->code));
        if (c.error) ui_field_error(c.error->message);
        if (ui_primary_button("Enregistrer la capacité", !refusal && !c.busy && !c.refreshing)) save_capacity();
        ImGui::SameLine();
        if (ui_secondary_button("Annuler##capacité")) {
            c = CapacityEdit{};
            ImGui::CloseCurrentPopup();
        }
        if (!s.capacity.session_id) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }

    if (s.cancel.session_id && !ImGui::IsPopupOpen("Annuler la séance ?")) ImGui::OpenPopup("Annuler la séance ?");
    ImGui::SetNextWindowSize(ImVec2(520, 0));
    if (ImGui::BeginPopupModal("Annuler la séance ?", nullptr,
                               ImGuiWindowFlags_NoResize | ImGuiWindowFlags_AlwaysAutoResize)) {
        CancelConfirm& c = s.cancel;
        ImGui::PushTextWrapPos(490);
        ImGui::PushFont(g_fonts.bold);
        ImGui::TextUnformatted(c.when.c_str());
        ImGui::PopFont();
        if (c.places_held > 0)
            ImGui::Text(
                "%d place(s) sont réservées. Toutes les réservations seront annulées et chaque travailleur social "
                "concerné sera prévenu. Cette action est définitive.",
                c.places_held);
        else
            ImGui::TextUnformatted(
                "Aucune place n’est encore réservée. La séance disparaîtra du catalogue. Cette action est définitive.");
        ImGui::PopTextWrapPos();
        if (c.error) ui_field_error(c.error->message);
        if (ui_primary_button("Oui, annuler la séance", !c.busy)) cancel_session();
        ImGui::SameLine();
        if (ui_secondary_button("Garder la séance")) {
            c = CancelConfirm{};
            ImGui::CloseCurrentPopup();
        }
        if (!s.cancel.session_id) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

void show_sessions_table(Ctx& ctx, const Offer& offer) {
    PartnerOffersState& s = g_partner;
    const UnixSeconds now = platform_now_unix();
    if (s.sessions.error) ui_banner(s.sessions.error->message, ui_color::danger);
    const std::vector<SessionRow>& sessions = remote_or_empty(s.sessions);
    if (sessions.empty()) {
        if (!s.sessions.loading)
            ui_text_colored(ui_color::muted,
                            "Aucune séance pour cette offre : ajoutez une date ou une série de dates.");
        return;
    }
    if (ImGui::BeginTable("Séances de l’offre", 7, kWsTableFlags)) {
        ImGui::TableSetupColumn("Date (heure du lieu)", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Réservées", ImGuiTableColumnFlags_WidthStretch, 1.4f);
        ImGui::TableSetupColumn("Par résa.", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableSetupColumn("Réservable jusqu’au", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Attribution", ImGuiTableColumnFlags_WidthStretch, 2.4f);
        ImGui::TableSetupColumn("Statut", ImGuiTableColumnFlags_WidthFixed, 112);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 340);
        ImGui::TableHeadersRow();
        for (const SessionRow& row : sessions) {
            ImGui::PushID((int)row.id);
            ImGui::TableNextRow(0, 40);
            ImGui::PushTextWrapPos(0.0f);  // long dates wrap inside their column
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ws_text_item(ws_when(row.start, row.territory));
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%d / %d", row.places_held, row.capacity);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%d", row.max_per_booking);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_when(row.closes_at, row.territory).c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            if (row.allocation == "ballot")
                ImGui::TextUnformatted(("Tirage au sort le " + ws_when(row.draw_at, row.territory)).c_str());
            else ImGui::TextUnformatted("Premier arrivé");
            ImGui::PopTextWrapPos();
            ImGui::TableNextColumn();
            // A session that has ended is over, whatever its stored status: no more capacity to change.
            const bool over = row.status != "cancelled" && session_is_over(row, now);
            const std::string status = row.status.empty() ? "scheduled" : row.status;
            if (over) ws_badge("Passée", ui_color::muted);
            else ws_badge(ws_session_status_label(status), ws_status_color(status));
            ImGui::TableNextColumn();
            if (ui_secondary_button("Liste des invités")) ctx.navigate(Route{Screen::PartnerSession, row.id});
            const bool scheduled = row.status != "cancelled" && !over;
            ImGui::SameLine();
            if (ui_secondary_button("Capacité", scheduled)) open_capacity(row);
            ImGui::SameLine();
            const bool may_cancel = scheduled && !uneplace::check_session_cancellation(session_info_of(row), now);
            if (ui_secondary_button("Annuler", may_cancel)) {
                s.cancel = CancelConfirm{row.id, offer.title + " — " + ws_when(row.start, row.territory),
                                         row.places_held, false, std::nullopt};
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
}
