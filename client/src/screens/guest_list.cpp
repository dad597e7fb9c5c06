// uneplace client — a session's guest list (partner): check-in by code or by row, with the
// arrival recorded by the server (window K2, count ≤ places), the correction of a mis-tick while
// the session is not over, the list's figures, and its CSV export as a real file.
// A mistyped booking code is refused by its check symbol (shared parse_booking_code) before any
// request leaves the browser.
//
// Index of this file:
// [SECTION] State and loading
// [SECTION] Check-in
// [SECTION] Guest list screen
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
#include "uneplace/invitation.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

using nlohmann::json;
using uneplace::UnixSeconds;
#include "ui/csv.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] State and loading
//-------------------------------------------------------------------------------------------------

namespace {

struct GuestListState {
    long long session_id = 0;  // the session shown (0: reload)
    long long loaded_for = 0;  // the session whose check-in code is being typed
    std::optional<SessionRow> session;
    std::optional<ApiError> session_error;
    std::vector<Guest> guests;
    bool loading = false;
    bool loaded = false;
    std::optional<ApiError> error;
    std::string code;
    int count = 1;
    bool code_submitted = false;  // show the code's refusal after a click, even when short
    bool busy = false;
    std::optional<ApiError> checkin_error;
    std::string notice;
    double notice_at = 0;
    std::string search;
};
GuestListState g_guests;
void load_guest_session(long long session_id) {
    api_session_row(
        session_id,
        [session_id](SessionRow row) {
            GuestListState& st = g_guests;
            if (st.session_id != session_id) return;
            st.session = std::move(row);
            st.session_error.reset();
        },
        [session_id](const ApiError& e) {
            if (g_guests.session_id == session_id) g_guests.session_error = e;
        });
}

void load_guests(long long session_id) {
    GuestListState& g = g_guests;
    g.loading = true;
    api_guest_list(
        session_id,
        [session_id](std::vector<Guest> guests) {
            GuestListState& st = g_guests;
            if (st.session_id != session_id) return;
            st.loading = false;
            st.loaded = true;
            st.error.reset();
            // Keep what the partner typed in rows not yet recorded.
            std::vector<Guest> before = std::move(st.guests);
            st.guests.clear();
            for (Guest& guest : guests) {
                for (const Guest& old : before)
                    if (old.booking_id == guest.booking_id && guest.status == "confirmed")
                        guest.count_input = old.count_input;
                st.guests.push_back(std::move(guest));
            }
        },
        [session_id](const ApiError& e) {
            GuestListState& st = g_guests;
            if (st.session_id != session_id) return;
            st.loading = false;
            st.loaded = true;
            st.error = e;
        });
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Check-in
//-------------------------------------------------------------------------------------------------

const Guest* guest_by_code(const std::string& canonical) {
    for (const Guest& g : g_guests.guests)
        if (g.code == canonical) return &g;
    return nullptr;
}

// Sends one check-in; the server decides (window K2, already recorded, count ≤ places). With a
// `ticket` (I2, scanned or pasted from the invitation's QR code) the server checks its signature.
void send_checkin(const std::string& canonical_code, std::optional<int> attended_count,
                  const std::string& ticket = {}) {
    GuestListState& g = g_guests;
    json body = ticket.empty() ? json{{"code", canonical_code}} : json{{"ticket", ticket}};
    if (attended_count) body["attended_count"] = *attended_count;
    else body["no_show"] = true;
    g.busy = true;
    g.checkin_error.reset();
    g.notice.clear();
    const long long session_id = g.session_id;
    const Guest* known = guest_by_code(canonical_code);
    const std::string who = known ? known->guest : canonical_code;
    api_check_in(
        session_id, body,
        [session_id, who, attended_count] {
            GuestListState& st = g_guests;
            st.busy = false;
            if (attended_count)
                st.notice = "Présence enregistrée : " + who + ", " + std::to_string(*attended_count) +
                            (*attended_count > 1 ? " personnes." : " personne.");
            else st.notice = "Absence enregistrée : " + who + ".";
            st.notice_at = 0;
            st.code.clear();
            st.code_submitted = false;
            if (st.session_id == session_id) load_guests(session_id);
        },
        [](const ApiError& e) {
            g_guests.busy = false;
            g_guests.checkin_error = e;
        });
}

// Number of Crockford symbols typed (hyphens and spaces do not count), to hold back the code's
// refusal until the partner has typed a whole code.
int symbols_typed(const std::string& text) {
    int n = 0;
    for (char c : text)
        if (c != '-' && c != ' ' && c != '\t') ++n;
    return n;
}

// A USB scanner types the invitation's QR code (a signed ticket, I2) into the code field, followed
// by Enter; a pasted ticket arrives the same way. The ticket's code names the guest before it is
// sent (the server checks the signature).
std::optional<uneplace::TicketParts> typed_ticket(const std::string& typed) {
    if (!uneplace::looks_like_ticket(typed)) return std::nullopt;
    return uneplace::split_ticket(uneplace::trim_ticket(typed));
}
std::string typed_code(const std::string& typed) {
    const auto ticket = typed_ticket(typed);
    return ticket ? ticket->payload.code : typed;
}

void show_checkin_card(const SessionRow* session) {
    GuestListState& g = g_guests;
    const bool ticket_typed = uneplace::looks_like_ticket(g.code);
    const auto ticket = typed_ticket(g.code);
    const auto parsed = uneplace::parse_booking_code(typed_code(g.code));
    const Guest* match = parsed.ok() ? guest_by_code(parsed.value) : nullptr;

    ui_begin_card(420);
    ws_heading("Pointer un invité par son code");
    if (ui_text_field("Code de réservation", &g.code, UiField_EnterSubmits, "XXXX-XXXX ou billet scanné"))
        g.code_submitted = true;
    if (ImGui::IsItemEdited()) {
        g.checkin_error.reset();
        g.notice.clear();
        if (const auto p = uneplace::parse_booking_code(typed_code(g.code)); p.ok())
            if (const Guest* m = guest_by_code(p.value)) g.count = m->places;
    }
    const bool show_refusal = !parsed.ok() && !g.code.empty() && (g.code_submitted || symbols_typed(g.code) >= 8);
    if (ticket_typed && !ticket) ui_field_error(uneplace::message_fr("invalid_ticket"));
    else if (show_refusal) ui_field_error(uneplace::message_fr(parsed.refusal->code));
    if (match) {
        ui_text_colored(ui_color::muted, match->guest + " — " + match->structure + " — " +
                                             std::to_string(match->places) +
                                             (match->places > 1 ? " places" : " place") + " — " +
                                             ws_booking_status_label(match->status));
    }
    ws_int_field("Personnes présentes", &g.count, 160);
    if (g.count < 1) g.count = 1;
    if (match && g.count > match->places) ui_field_error(uneplace::message_fr("attended_count_out_of_range"));
    if (g.checkin_error) ui_banner(g.checkin_error->message, ui_color::danger);

    // The check symbol catches a mistyped code here: nothing is sent.
    auto try_send = [&](std::optional<int> count) {
        g.code_submitted = true;
        if (ticket_typed) {
            if (ticket) send_checkin(ticket->payload.code, count, uneplace::trim_ticket(g.code));
            return;
        }
        const auto code = uneplace::parse_booking_code(g.code);
        if (!code.ok()) return;
        send_checkin(code.value, count);
    };
    if (ui_primary_button("Enregistrer la présence", !g.busy && !g.code.empty())) try_send(g.count);
    ImGui::SameLine();
    if (ui_secondary_button("Noter absent", !g.busy && !g.code.empty())) try_send(std::nullopt);
    if (session && !uneplace::attendance_window_open(session_info_of(*session), platform_now_unix())) {
        const UnixSeconds start = instant_of(session->start);
        const UnixSeconds opens = start - uneplace::limits::kAttendanceOpensBeforeStart;
        ui_text_colored(ui_color::muted,
                        platform_now_unix() < opens
                            ? "Le pointage ouvre le " +
                                  uneplace::format_datetime_sentence_fr(session->territory, opens) +
                                  " (2 h avant le début)."
                            : std::string("Le pointage de cette séance est clos (7 jours après le début)."));
    }
    ui_end_card();
}

std::string guest_list_csv() {
    // P2: the guest is the server's "Amina K." (first name and initial); nothing else about a person.
    // The server's columns (GET /sessions/{id}/guest-list.csv), in the one CSV dialect.
    std::string csv;
    csv += csv_line({"Code", "Places", "Invité", "Structure", "Statut", "Présents"});
    for (const Guest& g : g_guests.guests)
        csv += csv_line({g.code, std::to_string(g.places), g.guest, g.structure, ws_booking_status_label(g.status),
                         g.status == "attended" ? std::to_string(g.attended_count) : std::string()});
    return csv;
}

// Undoes a recorded arrival or absence (a mis-tick), while the session is not over.
void undo_checkin(const Guest& guest) {
    GuestListState& g = g_guests;
    g.busy = true;
    g.checkin_error.reset();
    const long long session_id = g.session_id;
    const std::string who = guest.guest;
    api_undo_check_in(
        session_id, guest.booking_id,
        [session_id, who] {
            GuestListState& st = g_guests;
            st.busy = false;
            st.notice = "Pointage annulé : " + who + " est de nouveau à pointer.";
            st.notice_at = 0;
            if (st.session_id == session_id) load_guests(session_id);
        },
        [](const ApiError& e) {
            g_guests.busy = false;
            g_guests.checkin_error = e;
        });
}

}  // namespace

//-------------------------------------------------------------------------------------------------
// [SECTION] Guest list screen
//-------------------------------------------------------------------------------------------------

void reset_guest_list(Reset what) {
    GuestListState& g = g_guests;
    if (what == Reset::Everything) {
        g = GuestListState{};
    } else if (g.error || g.session_error) {
        g.session_id = 0;  // reloads both on the next frame; the code typed is kept
        g.error.reset();
        g.session_error.reset();
    }
}

namespace {

// The check-in card and, beside it on wide screens (under it otherwise), the list's figures.
void show_checkin_and_figures(const GuestListState& g, const SessionRow* session) {
    // Figures of the list (counting rows, not a rule).
    int bookings = 0, places = 0, attended = 0, no_show = 0, unknown = 0;
    for (const Guest& guest : g.guests) {
        if (guest.status == "cancelled" || guest.status == "late_cancelled") continue;
        ++bookings;
        places += guest.places;
        if (guest.status == "attended") attended += guest.attended_count;
        else if (guest.status == "no_show") ++no_show;
        else ++unknown;
    }

    const float avail = ImGui::GetContentRegionAvail().x;
    const bool side_by_side = avail > 1000;
    const ImVec2 card_pos = ImGui::GetCursorScreenPos();
    show_checkin_card(session);
    const float card_bottom = ImGui::GetCursorScreenPos().y;
    if (side_by_side) ImGui::SetCursorScreenPos(ImVec2(card_pos.x + 420 + 2 * 28 + 32, card_pos.y));
    ImGui::BeginGroup();
    const float tile = 150;
    const float group_right = card_pos.x + avail;
    bool first_tile = true;
    auto tile_at = [&](const char* caption, int value, ImU32 color) {
        // Tiles flow on one line and wrap when the next would not fit.
        if (!first_tile) {
            ImGui::SameLine();
            if (ImGui::GetCursorScreenPos().x + tile > group_right) ImGui::NewLine();
        }
        first_tile = false;
        ws_figure_tile(caption, std::to_string(value), tile, color);
    };
    tile_at("Réservations", bookings, 0);
    tile_at("Places réservées", places, 0);
    tile_at("Personnes venues", attended, ui_color::success);
    tile_at("Absents", no_show, no_show ? ui_color::danger : 0);
    tile_at("Non pointées", unknown, 0);
    if (session)
        ui_text_colored(ui_color::muted, "Capacité : " + std::to_string(session->capacity) + " places, " +
                                             std::to_string(session->places_held) + " réservées.");
    ImGui::EndGroup();
    if (side_by_side && ImGui::GetCursorScreenPos().y < card_bottom) {
        ImGui::SetCursorScreenPos(ImVec2(card_pos.x, card_bottom));
        ImGui::Dummy(ImVec2(0, 0));
    }
}

// The heading with its export, refresh and search, and the list's error if any.
void show_guest_toolbar(GuestListState& g, long long session_id) {
    ImGui::Spacing();
    ImGui::AlignTextToFramePadding();
    ws_heading("Liste des invités");
    ImGui::SameLine(0, 24);
    if (ui_secondary_button("Exporter la liste (CSV)", !g.guests.empty())) {
        const bool downloaded = csv_download("invites-seance-" + std::to_string(session_id) + ".csv", guest_list_csv());
        g.notice = downloaded
                       ? "Liste exportée (prénom et initiale du nom seulement)."
                       : "Le navigateur a refusé le téléchargement : autorisez les téléchargements pour ce site.";
        g.notice_at = 0;
    }
    ImGui::SameLine();
    // I3: the door list on paper, for a door without a screen.
    if (ui_secondary_button("Liste d’accueil (PDF)", !g.guests.empty())) {
        download_pdf(PdfKind::DoorList, session_id, "liste-accueil-seance-" + std::to_string(session_id) + ".pdf",
                     [](bool, const std::string& notice) {
                         g_guests.notice = notice;
                         g_guests.notice_at = 0;
                     });
    }
    ImGui::SameLine();
    if (ui_secondary_button("Actualiser")) load_guests(session_id);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(280);
    ImGui::InputTextWithHint("##Rechercher un invité", "Rechercher : nom, code, structure", &g.search);
    registry_set_value(ImGui::GetItemID(), g.search);
    if (g.error) ui_banner(g.error->message, ui_color::danger);
}

// One guest: ticked when present, the code, the person, the places, the people who came, the
// status with its correction, and "Absent" while the booking is open.
void show_guest_row(GuestListState& g, Guest& guest, const SessionRow* session) {
    ImGui::PushID((int)guest.booking_id);
    ImGui::TableNextRow(0, 38);
    const bool open = guest.status == "confirmed";
    ImGui::TableNextColumn();
    // Ticking a row records the people typed in the row (all the places by default).
    bool ticked = guest.status == "attended";
    const std::string tick = "##Présent " + guest.code;
    if (!open || g.busy) ImGui::BeginDisabled();
    if (ImGui::Checkbox(tick.c_str(), &ticked) && ticked && open) send_checkin(guest.code, guest.count_input);
    if (!open || g.busy) ImGui::EndDisabled();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::PushFont(g_fonts.bold);
    ws_text_item(guest.code);
    ImGui::PopFont();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ws_text_item(guest.guest);
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(guest.structure.c_str());
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%d", guest.places);
    ImGui::TableNextColumn();
    if (open) {
        const std::string count_id = "Personnes venues " + guest.code;
        ws_int_stepper(count_id.c_str(), &guest.count_input, 110);
        guest.count_input = std::clamp(guest.count_input, 1, guest.places);
    } else {
        ImGui::AlignTextToFramePadding();
        if (guest.status == "attended") ImGui::Text("%d", guest.attended_count);
        else ImGui::TextDisabled("—");
    }
    ImGui::TableNextColumn();
    ws_badge(ws_booking_status_label(guest.status), ws_status_color(guest.status));
    // A recorded arrival or absence can be corrected until the session is over.
    if ((guest.status == "attended" || guest.status == "no_show") && session &&
        !session_is_over(*session, platform_now_unix())) {
        ImGui::SameLine();
        const std::string undo = "Corriger###Corriger " + guest.code;
        if (ImGui::SmallButton(undo.c_str()) && !g.busy) undo_checkin(guest);
    }
    if (open) {
        ImGui::SameLine();
        const std::string absent = "Absent###Absent " + guest.code;
        if (ImGui::SmallButton(absent.c_str()) && !g.busy) send_checkin(guest.code, std::nullopt);
    }
    ImGui::PopID();
}

}  // namespace

void draw_guest_list(Ctx& ctx) {
    GuestListState& g = g_guests;
    const long long id = ctx.route.id;
    if (g.session_id != id) {
        const bool same_session = g.loaded_for == id;
        const std::string code = g.code;
        g = GuestListState{};
        if (same_session) g.code = code;
        g.session_id = id;
        g.loaded_for = id;
        load_guest_session(id);
        load_guests(id);
    }
    if (ImGui::SmallButton("← Retour à mes offres")) {
        if (g.session && g.session->offer_id) g_partner_data.focus_offer = g.session->offer_id;
        ctx.navigate(Route{Screen::PartnerOffers, 0});
    }
    ImGui::Spacing();
    const SessionRow* session = g.session ? &*g.session : nullptr;
    if (g.session_error) {
        ui_banner(g.session_error->code == "not_found" ? "Cette séance n’existe pas ou n’est pas la vôtre."
                                                       : g.session_error->message,
                  ui_color::danger);
        return;
    }
    // The subtitle line is always there, so nothing moves when the session arrives.
    const std::string subtitle = session ? ws_when(session->start, session->territory) +
                                               (session->venue_name.empty() ? "" : "  ·  " + session->venue_name)
                                         : std::string("Chargement de la séance…");
    screen_title(session ? session->title.c_str() : "Liste des invités", subtitle.c_str());
    if (session && session->status == "cancelled") ui_banner("Cette séance est annulée.", ui_color::danger);
    ui_notice(g.notice, g.notice_at);

    show_checkin_and_figures(g, session);

    show_guest_toolbar(g, id);

    if (ImGui::BeginTable("Invités", 7, kWsTableFlags)) {
        ImGui::TableSetupColumn("Présent", ImGuiTableColumnFlags_WidthFixed, 70);
        ImGui::TableSetupColumn("Code", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Invité", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Structure", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Places", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableSetupColumn("Personnes venues", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Statut", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableHeadersRow();
        for (Guest& guest : g.guests) {
            if (!g.search.empty() && !matches_search(guest.code + " " + guest.guest + " " + guest.structure, g.search))
                continue;
            show_guest_row(g, guest, session);
        }
        ImGui::EndTable();
    }
    if (g.loaded && g.guests.empty() && !g.error)
        ui_text_colored(ui_color::muted, "Aucune réservation pour cette séance pour le moment.");
}
