// uneplace client — "Mes offres": the partner's offers (drafts submitted for moderation), the
// offer form (checked as the partner types by the shared validate_offer()), and the selected
// offer with its sessions (partner_offer_sessions.cpp).
//
// Index of this file:
// [SECTION] Offer form
// [SECTION] Calendar of the partner's sessions
// [SECTION] Offers screen
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
#include "uneplace/calendar.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

using nlohmann::json;
using uneplace::UnixSeconds;
#include "screens/partner_offers.hpp"

PartnerOffersState g_partner;

std::string venue_label(const Venue& v) { return v.name + (v.city.empty() ? "" : " (" + v.city + ")"); }

namespace {

//-------------------------------------------------------------------------------------------------
// [SECTION] Offer form
//-------------------------------------------------------------------------------------------------

void submit_offer(long long offer_id) {
    PartnerOffersState& s = g_partner;
    s.action_error.reset();
    api_submit_offer(
        offer_id,
        [] {
            g_partner.notice = "Offre envoyée à l’équipe de l’association : elle sera publiée après relecture.";
            g_partner.notice_at = 0;
            g_partner_data.offers.invalidate();
        },
        [](const ApiError& e) { g_partner.action_error = e; });
}

void save_offer() {
    OfferForm& f = g_partner.offer_form;
    uneplace::OfferDraft d = f.draft;
    uneplace::validate_offer(d);
    const json body = {{"venue_id", f.venue_id},       {"title", d.title},
                       {"description", d.description}, {"category", d.category},
                       {"min_age", d.min_age},         {"accessibility", accessibility_to_json(d.accessibility)},
                       {"pickup_mode", d.pickup_mode}};
    const bool creating = f.editing_id == 0;
    const bool then_submit = f.submit_after_save;
    f.busy = true;
    f.error.reset();
    if (creating && f.idempotency_key.empty()) f.idempotency_key = api_new_idempotency_key();
    api_save_offer(
        f.editing_id, body, f.idempotency_key,
        [creating, then_submit](Offer o) {
            PartnerOffersState& st = g_partner;
            st.offer_form = OfferForm{};
            st.selected_offer = o.id;
            st.scroll_to_detail = 3;
            st.notice = creating ? "Brouillon enregistré : « " + o.title + " ». Ajoutez ses séances, puis soumettez-le."
                                 : "Modifications enregistrées : « " + o.title + " ».";
            st.notice_at = 0;
            if (then_submit && o.id) submit_offer(o.id);
            else g_partner_data.offers.invalidate();
        },
        [](const ApiError& e) {
            g_partner.offer_form.busy = false;
            g_partner.offer_form.error = e;
            if (e.status != 0) g_partner.offer_form.idempotency_key.clear();
        });
}

void open_offer_form(const Offer* o, bool copy = false) {
    OfferForm& f = g_partner.offer_form;
    f = OfferForm{};
    f.open = true;
    if (o) {
        // A copy is a new draft with the same settings: last season's offer, for new dates.
        f.editing_id = copy ? 0 : o->id;
        f.venue_id = o->venue_id;
        f.draft =
            uneplace::OfferDraft{o->title, o->description, o->category, o->min_age, o->accessibility, o->pickup_mode};
    } else if (const auto& venues = remote_or_empty(g_partner_data.venues); venues.size() == 1) {
        f.venue_id = venues.front().id;
    }
    g_partner.notice.clear();
}

void show_offer_form() {
    PartnerOffersState& s = g_partner;
    OfferForm& f = s.offer_form;
    uneplace::OfferDraft checked = f.draft;
    const auto refusals = uneplace::validate_offer(checked);
    const Venue* venue = venue_by_id(f.venue_id);

    // Two columns when there is room: the form then fits a 720-pixel-high window.
    const float card_w = std::min(980.0f, ImGui::GetContentRegionAvail().x - 2 * 28.0f);
    const bool two_columns = card_w >= 820.0f;
    const float col_w = two_columns ? (card_w - 32.0f) * 0.5f : card_w;
    ui_begin_card(card_w);
    ws_heading(f.editing_id ? "Modifier l’offre" : "Proposer une offre");
    ui_text_colored(ui_color::muted,
                    "Une offre est un spectacle, une visite ou une activité ; ses dates se donnent ensuite, "
                    "séance par séance ou en série. Elle est relue par l’association avant d’être publiée.");
    auto mark = [&](const char* name) {
        if (ImGui::IsItemDeactivated() && f.visited.find(name) == std::string::npos)
            f.visited += std::string(name) + " ";
    };
    auto shown = [&](const char* name, bool has_value) {
        return has_value || f.visited.find(name) != std::string::npos;
    };

    ImGui::BeginGroup();
    ImGui::PushItemWidth(col_w);
    ImGui::TextUnformatted("Lieu");
    ImGui::SetNextItemWidth(col_w);
    if (ui_begin_combo("##Lieu de l’offre", venue ? venue_label(*venue).c_str() : "Choisir un lieu…")) {
        for (const Venue& v : remote_or_empty(g_partner_data.venues)) {
            const std::string label = venue_label(v) + "##" + std::to_string(v.id);
            if (ImGui::Selectable(label.c_str(), v.id == f.venue_id)) f.venue_id = v.id;
        }
        ImGui::EndCombo();
    }
    if (g_partner_data.venues.ready() && g_partner_data.venues.value->empty())
        ui_field_error("Ajoutez d’abord un lieu (menu « Mes lieux »).");

    ui_text_field("Titre", &f.draft.title, UiField_None, "ex. Le Malade imaginaire");
    mark("title");
    if (shown("title", !f.draft.title.empty())) ui_field_error(ws_error_for(refusals, "title"));

    ws_category_combo("Catégorie", &f.draft.category, nullptr, std::min(col_w, 320.0f));
    if (!f.draft.category.empty()) ui_field_error(ws_error_for(refusals, "category"));

    ws_int_field("Âge minimum (0 = tout public)", &f.draft.min_age, 160);
    ui_field_error(ws_error_for(refusals, "min_age"));

    ImGui::TextUnformatted("Retrait des places");
    for (const auto& p : uneplace::enum_table<uneplace::PickupMode>()) {
        const std::string label = std::string(p.label_fr);
        if (ImGui::RadioButton(label.c_str(), f.draft.pickup_mode == p.code)) f.draft.pickup_mode = std::string(p.code);
    }
    ui_field_error(ws_error_for(refusals, "pickup_mode"));
    ImGui::PopItemWidth();
    ImGui::EndGroup();

    if (two_columns) ws_same_line(32);
    ImGui::BeginGroup();
    ImGui::PushItemWidth(col_w);
    ImGui::TextUnformatted("Description");
    ui_multiline_field("##Description", &f.draft.description, ImVec2(col_w, two_columns ? 180 : 110));
    mark("description");
    ui_field_error(ws_error_for(refusals, "description"));
    ImGui::TextUnformatted("Accessibilité de l’offre");
    ws_accessibility_checkboxes("offer-access", &f.draft.accessibility);
    ImGui::PopItemWidth();
    ImGui::EndGroup();

    if (f.error) ui_banner(f.error->message, ui_color::danger);
    const bool valid = refusals.empty() && f.venue_id != 0;
    if (ui_primary_button(f.editing_id ? "Enregistrer les modifications" : "Enregistrer le brouillon",
                          valid && !f.busy)) {
        f.submit_after_save = false;
        save_offer();
    }
    ImGui::SameLine();
    if (ui_secondary_button("Enregistrer et soumettre", valid && !f.busy)) {
        f.submit_after_save = true;
        save_offer();
    }
    ImGui::SameLine();
    if (ui_secondary_button("Annuler##offre")) f = OfferForm{};
    ui_end_card();
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Offers screen
//-------------------------------------------------------------------------------------------------

bool may_submit(const Offer& o) {
    const auto from = uneplace::from_code<uneplace::OfferStatus>(o.status);
    return from && !uneplace::check_offer_transition(*from, uneplace::OfferStatus::Pending);
}

bool may_edit(const Offer& o) { return o.status == "draft" || o.status == "rejected"; }

// « Affiche »: the poster as the catalogue and the session page show it, and the button that
// chooses a file (JPEG, PNG or WebP). The server takes it while the offer may be edited (draft,
// pending, rejected), like its other fields.
void show_poster(const Offer& offer) {
    PartnerOffersState& s = g_partner;
    ImGui::PushFont(g_fonts.bold);
    ImGui::TextUnformatted("Affiche");
    ImGui::PopFont();
    if (!offer.image_url.empty()) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        ws_poster(ImGui::GetWindowDrawList(), offer.image_url, "Affiche\u00A0: " + offer.title, at,
                  ImVec2(at.x + 150, at.y + 210));
        ImGui::Dummy(ImVec2(150, 210));
    } else {
        ui_text_colored(ui_color::muted, "Pas encore d’affiche : les personnes choisissent aussi avec les yeux.");
    }
    const bool editable = may_edit(offer) || offer.status == "pending";
    if (!editable) {
        ui_text_colored(ui_color::muted, "L’affiche d’une offre publiée ne change plus.");
        return;
    }
    const char* label = s.poster_busy             ? "Envoi de l’affiche…"
                        : offer.image_url.empty() ? "Choisir une affiche…"
                                                  : "Changer l’affiche…";
    if (ui_secondary_button(label, !s.poster_busy)) {
        const long long id = offer.id;
        platform_choose_image([id](std::string bytes, std::string type) {
            g_partner.poster_busy = true;
            g_partner.action_error.reset();
            api_put_offer_image(
                id, bytes, type,
                [](std::string) {
                    g_partner.poster_busy = false;
                    g_partner.notice = "Affiche enregistrée.";
                    g_partner.notice_at = 0;
                    g_partner_data.offers.invalidate();
                },
                [](const ApiError& e) {
                    g_partner.poster_busy = false;
                    g_partner.action_error = e;
                });
        });
    }
    ui_text_colored(ui_color::muted, "JPEG, PNG ou WebP, 5\u00A0Mo au plus.");
}

void show_offer_detail(Ctx& ctx, const Offer& offer) {
    PartnerOffersState& s = g_partner;
    if (s.sessions_for != offer.id || s.sessions.needs_load()) load_sessions(offer.id);
    const Venue* venue = venue_by_id(offer.venue_id);
    ImGui::Spacing();
    ImGui::Separator();
    if (s.scroll_to_detail > 0 && s.scroll_to_sessions_form == 0) {
        ImGui::SetScrollHereY(0.0f);
        --s.scroll_to_detail;
    }
    ImGui::Spacing();
    ImGui::PushFont(g_fonts.title);
    ImGui::TextUnformatted(offer.title.c_str());
    ImGui::PopFont();
    ImGui::SameLine(0, 16);
    ws_badge(ws_offer_status_label(offer.status), ws_status_color(offer.status));
    ui_text_colored(ui_color::muted,
                    ws_category_label(offer.category) + (venue ? "  ·  " + venue_label(*venue) : std::string()) +
                        "  ·  " + ws_pickup_label(offer.pickup_mode) +
                        (offer.min_age > 0 ? "  ·  dès " + std::to_string(offer.min_age) + " ans" : std::string()));
    // Messages about this offer show with it (the list above may be scrolled away).
    ui_notice(s.notice, s.notice_at);
    if (s.action_error) ui_banner(s.action_error->message, ui_color::danger);
    if (offer.status == "rejected" && !offer.reject_reason.empty())
        ui_banner("Refusée par l’association : " + offer.reject_reason + " Modifiez-la puis soumettez-la de nouveau.",
                  ui_color::danger);
    if (offer.status == "pending")
        ui_banner("En attente de relecture par l’association. Vous pouvez déjà ajouter des séances : elles seront "
                  "visibles à la publication.",
                  IM_COL32(176, 110, 0, 255));
    if (offer.status == "draft")
        ui_banner("Brouillon : ajoutez ses séances, puis soumettez l’offre à l’association pour qu’elle soit publiée.",
                  ui_color::primary);

    show_poster(offer);
    ImGui::Spacing();
    if (may_edit(offer)) {
        if (ui_secondary_button("Modifier l’offre")) open_offer_form(&offer);
        ImGui::SameLine();
    }
    if (ui_secondary_button("Dupliquer l’offre")) {
        open_offer_form(&offer, true);
        s.selected_offer = 0;  // the form shows above the list
    }
    ImGui::SameLine();
    if (may_submit(offer)) {
        if (ui_primary_button("Soumettre à la modération")) submit_offer(offer.id);
        ImGui::SameLine();
    }
    if (!s.sessions_form.open && offer.status != "archived" && offer.status != "rejected") {
        if (ui_primary_button("Ajouter des séances")) {
            s.sessions_form = SessionsForm{};
            s.sessions_form.open = true;
            s.scroll_to_sessions_form = 3;
            s.notice.clear();
        }
    }
    ImGui::NewLine();
    if (s.sessions_form.open) show_sessions_form(offer);
    show_sessions_table(ctx, offer);
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Calendar of the partner's sessions
//-------------------------------------------------------------------------------------------------
// The month of the catalogue's calendar (ws_month_calendar), with the partner's own scheduled
// sessions of every offer; a day lists its sessions, each opening its guest list.

struct PartnerCalendar {
    bool open = false;
    int year = 0, month = 0;
    std::vector<SessionRow> sessions;  // of every offer, gathered from one request per offer
    int waiting = 0;                   // requests not answered yet
    int generation = 0;
    std::optional<uneplace::CivilDate> day;  // the day clicked
};
PartnerCalendar g_calendar;

uneplace::CivilDate local_day(const SessionRow& r) {
    const auto start = uneplace::parse_utc_instant(r.start);
    return start.ok() ? uneplace::to_local(r.territory, start.value).date() : uneplace::CivilDate{};
}

void load_calendar(const std::vector<Offer>& offers) {
    PartnerCalendar& c = g_calendar;
    c.sessions.clear();
    c.waiting = 0;
    const int generation = ++c.generation;
    for (const Offer& o : offers) {
        if (o.status != "published" && o.status != "pending") continue;
        ++c.waiting;
        api_offer_sessions(
            o.id,
            [generation](std::vector<SessionRow> rows) {
                if (generation != g_calendar.generation) return;
                for (auto& r : rows)
                    if (r.status == "scheduled") g_calendar.sessions.push_back(std::move(r));
                --g_calendar.waiting;
            },
            [generation](const ApiError&) {
                if (generation == g_calendar.generation) --g_calendar.waiting;
            });
    }
}

void show_calendar(Ctx& ctx) {
    PartnerCalendar& c = g_calendar;
    const uneplace::CivilDate today = uneplace::to_local("75", platform_now_unix()).date();
    if (c.month == 0) {
        c.year = today.year;
        c.month = today.month;
    }
    const float width = std::min(ImGui::GetContentRegionAvail().x, 760.0f);
    ws_month_switcher("##mois des séances", &c.year, &c.month, width);
    auto same = [](uneplace::CivilDate a, uneplace::CivilDate b) { return a == b; };
    auto count = [&](uneplace::CivilDate d) {
        int n = 0;
        for (const SessionRow& r : c.sessions) n += same(local_day(r), d);
        return n;
    };
    uneplace::CivilDate clicked;
    if (ws_month_calendar("jours des séances", uneplace::month_grid(c.year, c.month), nullptr, today, count, "séance",
                          width, &clicked))
        c.day = clicked;
    if (c.waiting > 0) ImGui::TextDisabled("Chargement des séances…");
    if (!c.day) return;
    ws_heading(capitalised(uneplace::day_title_fr(*c.day)).c_str());
    bool any = false;
    for (const SessionRow& r : c.sessions) {
        if (!same(local_day(r), *c.day)) continue;
        any = true;
        const std::string label = uneplace::format_time_fr(r.territory, uneplace::parse_utc_instant(r.start).value) +
                                  " · " + r.title + " · " + std::to_string(r.places_held) + "/" +
                                  std::to_string(r.capacity) + " places##" + std::to_string(r.id);
        if (ImGui::SmallButton(label.c_str())) ctx.navigate(Route{Screen::PartnerSession, r.id});
    }
    if (!any) ui_text_colored(ui_color::muted, "Aucune séance ce jour-là.");
}

}  // namespace

void reset_partner_offers(Reset what) {
    if (what == Reset::Everything) {
        g_partner = PartnerOffersState{};
        const int generation = g_calendar.generation + 1;  // answers in flight are dropped
        g_calendar = PartnerCalendar{};
        g_calendar.generation = generation;
    } else g_partner.sessions.retry();
}

void draw_partner_offers(Ctx& ctx) {
    PartnerOffersState& s = g_partner;
    const Remote<std::vector<Offer>>& offers = g_partner_data.offers;
    const Remote<std::vector<Venue>>& venues = g_partner_data.venues;
    data_need_offers();
    data_need_venues();
    // Back from a guest list: its offer is the one to show.
    if (g_partner_data.focus_offer) {
        s.selected_offer = g_partner_data.focus_offer;
        s.scroll_to_detail = 3;
        s.notice.clear();
        g_partner_data.focus_offer = 0;
    }
    screen_title("Mes offres", "Vos invitations : brouillons, offres en relecture et publiées, avec leurs séances.");
    if (ui_secondary_button(g_calendar.open ? "Voir mes offres" : "Calendrier de mes séances")) {
        g_calendar.open = !g_calendar.open;
        if (g_calendar.open && offers.ready()) load_calendar(*offers.value);
    }
    if (g_calendar.open) {
        show_calendar(ctx);
        return;
    }
    const Offer* selected = offer_by_id(s.selected_offer);
    if (!selected) ui_notice(s.notice, s.notice_at);
    if (offers.error) ui_banner(offers.error->message, ui_color::danger);
    if (!selected && s.action_error) ui_banner(s.action_error->message, ui_color::danger);

    if (s.offer_form.open) {
        show_offer_form();
        ImGui::Spacing();
    } else if (ui_primary_button("Proposer une offre")) {
        open_offer_form(nullptr);
    }
    if (venues.ready() && venues.value->empty() && !s.offer_form.open) {
        ImGui::SameLine();
        if (ui_secondary_button("Ajouter d’abord un lieu")) {
            g_partner_data.open_venue_form = true;
            ctx.navigate(Route{Screen::PartnerVenues, 0});
        }
    }
    ImGui::Spacing();

    if (ImGui::BeginTable("Offres", 5, kWsTableFlags)) {
        ImGui::TableSetupColumn("Offre", ImGuiTableColumnFlags_WidthStretch, 5);
        ImGui::TableSetupColumn("Catégorie", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("Lieu", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Statut", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Séances", ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableHeadersRow();
        for (const Offer& o : remote_or_empty(offers)) {
            ImGui::PushID((int)o.id);
            ImGui::TableNextRow(0, 36);
            ImGui::TableNextColumn();
            // The whole row selects the offer; its sessions show underneath.
            if (ws_row_selectable(o.title.c_str(), s.selected_offer == o.id, ImGuiSelectableFlags_SpanAllColumns)) {
                s.selected_offer = o.id;
                s.scroll_to_detail = 3;
                s.sessions_form = SessionsForm{};
                s.notice.clear();
                s.action_error.reset();
            }
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ws_category_label(o.category).c_str());
            ImGui::TableNextColumn();
            const Venue* v = venue_by_id(o.venue_id);
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(v ? v->name.c_str() : "—");
            ImGui::TableNextColumn();
            ws_badge(ws_offer_status_label(o.status), ws_status_color(o.status));
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            if (o.sessions_count >= 0) ImGui::Text("%d", o.sessions_count);
            else ImGui::TextDisabled("—");
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (offers.ready() && offers.value->empty() && !offers.error)
        ui_text_colored(
            ui_color::muted,
            "Aucune offre pour le moment. Proposez votre premier spectacle, votre première visite ou activité.");

    selected = offer_by_id(s.selected_offer);
    if (selected) show_offer_detail(ctx, *selected);
    else if (!remote_or_empty(offers).empty())
        ui_text_colored(ui_color::muted, "Choisissez une offre pour voir et ajouter ses séances.");
    show_session_dialogs();
}
