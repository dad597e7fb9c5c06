// uneplace client — the catalogue: published sessions a social worker can book.
// The server filters by dates, place (a département, its neighbours too, or a region) and category; words, accessibility, places, allocation
// mode and the sort apply locally and instantly. The list is drawn with ImGuiListClipper, so only
// visible rows cost anything at 10,000 sessions.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <vector>

#include "api/calls.hpp"
#include "data/data.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // ImGui::GetItemID()
#include "imgui_stdlib.h"
#include "platform.hpp"
#include "screens/screens.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "uneplace/calendar.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/french.hpp"
#include "uneplace/geography.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/validation.hpp"
#include "widget_registry.hpp"

namespace {

// Where the outings are: the server's territory=, near= or region=.
enum class Where { France, Departement, Near, Region };
// When: a rolling period from today (from_days, to_days), a weekend, or days chosen on a calendar.
enum class When { Rolling, ThisWeekend, NextWeekend, Dates };

struct CatalogueFilters {
    std::string search;  // words, accent-insensitive, matched locally on title/venue/city
    Where where = Where::France;
    std::string where_code;  // a département (Departement, Near) or a region's INSEE code
    std::string category;    // category code, "" for all
    When when = When::Rolling;
    int from_days = 0;            // from today + N days…
    int to_days = 90;             // …to today + N days
    uneplace::DayRange dates;     // When::Dates, in the venues' local days
    long long person = 0;         // "Pour qui ?": only what fits this beneficiary's household, 0 for all
    bool only_available = false;  // places left > 0
    bool accessible_wheelchair = false;
    int allocation = 0;  // 0 all, 1 first come, 2 ballot
    int sort = 0;        // 0 date, 1 places left, 2 title
    bool operator==(const CatalogueFilters&) const = default;
};

// The catalogue arrives page by page (500 sessions each): not one Remote, but the same fields.
struct CatalogueState {
    std::vector<CatalogueEntry> sessions;
    std::vector<CatalogueSuggestion> suggestions;  // when the server found nothing
    bool loaded = false;
    bool loading = false;
    std::optional<ApiError> error;
    int generation = 0;           // the load the pages in flight belong to
    int bookings_generation = 0;  // the shared bookings' generation the places answer
    CatalogueFilters filters;
    CatalogueFilters loaded_filters;  // what the server was asked (date range, territory…)
    std::vector<int> visible;         // indices into sessions after local filters and sort
    CatalogueFilters visible_for;
    size_t visible_count_for = (size_t)-1;
    bool calendar_view = false;                       // a month of days with the number of sessions of each
    int month_year = 0, month = 0;                    // the month the calendar shows
    bool picking_dates = false;                       // the date picker is open
    std::optional<uneplace::CivilDate> picked_first;  // its first click
    bool opened = false;                              // the first opening set the place to the user's own département
};
CatalogueState g_catalogue;

// The département whose days "this weekend" and chosen dates are: the place asked for, Paris's
// time for a region or the whole of France (overseas regions are one département each).
std::string clock_departement(const CatalogueFilters& f) {
    if (f.where == Where::Departement || f.where == Where::Near) return f.where_code;
    if (f.where == Where::Region)
        if (const uneplace::Region* r = uneplace::find_region(f.where_code)) return std::string(r->departements[0]);
    return "75";
}

uneplace::CivilDate today_in(const std::string& departement) {
    return uneplace::to_local(departement, platform_now_unix()).date();
}

// The days a weekend or a chosen range covers, today being computed now.
std::optional<uneplace::DayRange> chosen_days(const CatalogueFilters& f) {
    const uneplace::CivilDate today = today_in(clock_departement(f));
    if (f.when == When::ThisWeekend) return uneplace::this_weekend(today);
    if (f.when == When::NextWeekend) return uneplace::next_weekend(today);
    if (f.when == When::Dates) return f.dates;
    return std::nullopt;
}

// Server-side part of the filters as a query string (dates as RFC 3339 from today).
std::string server_query(const CatalogueFilters& f, const std::string& cursor) {
    const long long day = 86400;
    const long long today = platform_now_unix() / day * day;
    long long from = today + f.from_days * day, to = today + (f.to_days + 1) * day;
    if (const auto days = chosen_days(f))
        if (const auto instants = uneplace::range_instants(clock_departement(f), *days)) {
            from = instants->first;
            to = instants->second;
        }
    std::string q = "limit=500&from=" + uneplace::format_utc(from) + "&to=" + uneplace::format_utc(to);
    if (f.person) q += "&fits_beneficiary=" + std::to_string(f.person);
    if (f.where == Where::Departement) q += "&territory=" + f.where_code;
    if (f.where == Where::Near) q += "&near=" + f.where_code;
    if (f.where == Where::Region) q += "&region=" + f.where_code;
    if (!f.category.empty()) q += "&category=" + f.category;
    if (!cursor.empty()) q += "&cursor=" + cursor;
    return q;
}

bool same_server_filters(const CatalogueFilters& a, const CatalogueFilters& b) {
    return a.person == b.person && a.where == b.where && a.where_code == b.where_code && a.category == b.category &&
           a.when == b.when && a.from_days == b.from_days && a.to_days == b.to_days && a.dates == b.dates;
}

// Loads every page (500 sessions each) and appends; the list shows the first page at once.
void load_page(const std::string& cursor, int generation);

void load_catalogue() {
    CatalogueState& s = g_catalogue;
    s.loading = true;
    s.sessions.clear();
    s.visible_count_for = (size_t)-1;
    s.loaded_filters = s.filters;
    s.bookings_generation = g_social.bookings_generation;
    load_page("", ++s.generation);
}

void load_page(const std::string& cursor, int generation) {
    api_catalogue_page(
        server_query(g_catalogue.loaded_filters, cursor),
        [generation, cursor](CataloguePage page) {
            CatalogueState& st = g_catalogue;
            if (generation != st.generation) return;  // filters changed meanwhile
            st.sessions.insert(st.sessions.end(), page.items.begin(), page.items.end());
            if (cursor.empty()) st.suggestions = std::move(page.suggestions);
            st.loaded = true;
            st.error.reset();
            st.visible_count_for = (size_t)-1;
            if (!page.next_cursor.empty() && st.sessions.size() < 20000) load_page(page.next_cursor, generation);
            else st.loading = false;
        },
        [generation](const ApiError& e) {
            CatalogueState& st = g_catalogue;
            if (generation != st.generation) return;
            st.loading = false;
            st.loaded = true;
            st.error = e;
        });
}

// Local filters and sort, recomputed only when they or the data change.
void update_visible(CatalogueState& s) {
    if (s.visible_for == s.filters && s.visible_count_for == s.sessions.size()) return;
    const CatalogueFilters& f = s.filters;
    s.visible.clear();
    for (int i = 0; i < (int)s.sessions.size(); ++i) {
        const CatalogueEntry& e = s.sessions[i];
        if (f.only_available && e.places_left <= 0) continue;
        if (f.allocation == 1 && e.allocation != "first_come") continue;
        if (f.allocation == 2 && e.allocation != "ballot") continue;
        if (f.accessible_wheelchair && !(e.accessibility & uneplace::AccessibilityFlags_Wheelchair)) continue;
        if (!f.search.empty()) {
            const std::string haystack = e.title + " " + e.venue_name + " " + e.venue_city + " " +
                                         ws_category_label(e.category) + " " + e.territory;
            if (!matches_search(haystack, f.search)) continue;
        }
        s.visible.push_back(i);
    }
    auto& v = s.sessions;
    if (f.sort == 0)
        std::stable_sort(s.visible.begin(), s.visible.end(), [&](int a, int b) { return v[a].start < v[b].start; });
    if (f.sort == 1)
        std::stable_sort(s.visible.begin(), s.visible.end(),
                         [&](int a, int b) { return v[a].places_left > v[b].places_left; });
    if (f.sort == 2)
        std::stable_sort(s.visible.begin(), s.visible.end(),
                         [&](int a, int b) { return fold_for_search(v[a].title) < fold_for_search(v[b].title); });
    s.visible_for = s.filters;
    s.visible_count_for = s.sessions.size();
}

// A combo with its caption above, `width` wide.
bool begin_filter_combo(const char* caption, const char* id, const char* preview, float width) {
    ui_next_on_line(width);
    ImGui::BeginGroup();
    ImGui::TextUnformatted(caption);
    ImGui::SetNextItemWidth(width);
    const bool open = ui_begin_combo(id, preview);
    if (!open) ImGui::EndGroup();
    return open;
}
void end_filter_combo() {
    ImGui::EndCombo();
    ImGui::EndGroup();
}

// What the place filter shows: "Toute la France", "69 Rhône — Lyon", "Région Île-de-France"…
std::string where_label(Where where, std::string_view code) {
    switch (where) {
        case Where::France: return "Toute la France";
        case Where::Departement: return uneplace::departement_label(code);
        case Where::Near: return uneplace::departement_label(code) + " et alentours";
        case Where::Region: {
            const uneplace::Region* r = uneplace::find_region(code);
            return "Région " + std::string(r ? r->name_fr : code);
        }
    }
    return {};
}

// The place: one list of the whole of France, the regions and the 101 départements, filtered as
// one types ("ly" finds "69 Rhône — Lyon", "auv" the region), the user's own area first.
void show_where(CatalogueFilters& f, const std::string& home, float width) {
    static std::string typed;  // one open list at a time
    const std::string preview = where_label(f.where, f.where_code);
    if (!begin_filter_combo("Où", "##Où", preview.c_str(), width)) return;
    if (ImGui::IsWindowAppearing()) {
        typed.clear();
        ImGui::SetKeyboardFocusHere();
    }
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##Filtrer les lieux", "Filtrer : 93, Lyon, Bretagne…", &typed);
    registry_set_value(ImGui::GetItemID(), typed);
    auto entry = [&](Where where, std::string_view code, const std::string& label) {
        if (!typed.empty() && !matches_search(label, typed)) return;
        if (ImGui::Selectable(label.c_str(), f.where == where && f.where_code == code)) {
            f.where = where;
            f.where_code = std::string(code);
        }
    };
    entry(Where::France, "", where_label(Where::France, ""));
    if (uneplace::is_departement_code(home)) {
        entry(Where::Departement, home, where_label(Where::Departement, home));
        entry(Where::Near, home, where_label(Where::Near, home));
        if (const uneplace::Region* r = uneplace::region_of(home))
            entry(Where::Region, r->code, where_label(Where::Region, r->code));
        ImGui::Separator();
    }
    for (const auto& r : uneplace::all_regions())
        if (r.departements.size() > 1) entry(Where::Region, r.code, where_label(Where::Region, r.code));
    for (const auto& d : uneplace::all_departements())
        entry(Where::Departement, d.code, where_label(Where::Departement, d.code));
    end_filter_combo();
}

// "Pour qui ?": one of the structure's people, found by typing; the catalogue then lists only what
// fits their household (the server decides with the shared rules), and the booking form starts with them.
void show_person(CatalogueFilters& f, float width) {
    static std::string typed;
    const std::vector<Beneficiary>& people = remote_or_empty(g_social.beneficiaries);
    const Beneficiary* chosen = nullptr;
    for (const Beneficiary& b : people)
        if (b.id == f.person) chosen = &b;
    auto label_of = [](const Beneficiary& b) {
        std::string label = b.display_name() + " (" + uneplace::count_fr(b.household_size, "personne", "personnes");
        if (!b.children_birth_years.empty())
            label += ", " + uneplace::count_fr(static_cast<int>(b.children_birth_years.size()), "enfant", "enfants");
        return label + ")";
    };
    const std::string preview = chosen ? label_of(*chosen) : "Tout le monde";
    if (!begin_filter_combo("Pour qui ?", "##Pour qui ?", preview.c_str(), width)) return;
    data_need_beneficiaries();  // only once asked: the booking form loads them for itself otherwise
    if (ImGui::IsWindowAppearing()) {
        typed.clear();
        ImGui::SetKeyboardFocusHere();
    }
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##Filtrer les personnes", "Filtrer : nom, prénom…", &typed);
    registry_set_value(ImGui::GetItemID(), typed);
    if (typed.empty() && ImGui::Selectable("Tout le monde", f.person == 0)) f.person = 0;
    for (const Beneficiary& b : people) {
        const std::string label = label_of(b);
        if (!typed.empty() && !matches_search(label, typed)) continue;
        if (ImGui::Selectable((label + "##" + std::to_string(b.id)).c_str(), b.id == f.person)) f.person = b.id;
    }
    end_filter_combo();
}

float checkbox_width(const char* label) {
    return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
}

void show_filters(const std::string& home) {
    CatalogueState& s = g_catalogue;
    CatalogueFilters& f = s.filters;
    // On a phone every filter takes the whole width, and all but the words wait behind a button:
    // the list must stay on the screen.
    const bool phone = ui_width() == UiWidth::Phone;
    const float full = ImGui::GetContentRegionAvail().x;
    auto width = [&](float wanted) { return phone ? full : std::min(wanted, full); };
    ui_text_field("Rechercher", &f.search, UiField_None, "titre, lieu, ville, catégorie…", width(280));
    static bool more = false;
    if (phone) {
        const char* toggle = more ? "Masquer les filtres" : "Plus de filtres";
        if (ui_secondary_button(toggle, true, ImVec2(-1, 0))) more = !more;
        if (!more) {
            if (!same_server_filters(f, s.loaded_filters) && !s.loading) load_catalogue();
            return;
        }
    }

    show_person(f, width(220));
    g_social.catalogue_person = f.person;
    show_where(f, home, width(240));
    const std::string category_preview = f.category.empty() ? "Toutes" : ws_category_label(f.category);
    if (begin_filter_combo("Catégorie", "##Catégorie", category_preview.c_str(), width(170))) {
        if (ImGui::Selectable("Toutes", f.category.empty())) f.category.clear();
        for (const auto& c : uneplace::enum_table<uneplace::Category>())
            if (ImGui::Selectable(std::string(c.label_fr).c_str(), f.category == c.code))
                f.category = std::string(c.code);
        end_filter_combo();
    }
    static const struct {
        const char* label;
        int from, to;
    } kPeriods[] = {{"Les 7 prochains jours", 0, 7},
                    {"Les 30 prochains jours", 0, 30},
                    {"Les 3 prochains mois", 0, 90},
                    {"L’année à venir", 0, 366}};
    std::string period_preview = "Personnalisée";
    for (const auto& p : kPeriods)
        if (f.when == When::Rolling && f.from_days == p.from && f.to_days == p.to) period_preview = p.label;
    if (f.when == When::ThisWeekend) period_preview = "Ce week-end";
    if (f.when == When::NextWeekend) period_preview = "Le week-end prochain";
    if (f.when == When::Dates) period_preview = capitalised(uneplace::range_title_fr(f.dates, today_in("75").year));
    if (begin_filter_combo("Période", "##Période", period_preview.c_str(), width(230))) {
        if (ImGui::Selectable("Ce week-end", f.when == When::ThisWeekend)) f.when = When::ThisWeekend;
        if (ImGui::Selectable("Le week-end prochain", f.when == When::NextWeekend)) f.when = When::NextWeekend;
        for (const auto& p : kPeriods)
            if (ImGui::Selectable(p.label, f.when == When::Rolling && f.from_days == p.from && f.to_days == p.to)) {
                f.when = When::Rolling;
                f.from_days = p.from;
                f.to_days = p.to;
            }
        if (ImGui::Selectable("Choisir des dates…", false)) {
            s.picking_dates = true;
            s.picked_first.reset();
        }
        end_filter_combo();
    }

    // A département alone or with its neighbours: one tick widens "Paris" to "Paris and around".
    if (f.where == Where::Departement || f.where == Where::Near) {
        ui_next_on_line(checkbox_width("Et les départements voisins"));
        bool around = f.where == Where::Near;
        if (ImGui::Checkbox("Et les départements voisins", &around))
            f.where = around ? Where::Near : Where::Departement;
        ui_next_on_line(checkbox_width("Places disponibles"));
    }
    ImGui::Checkbox("Places disponibles", &f.only_available);
    ui_next_on_line(checkbox_width("Accessible en fauteuil"));
    ImGui::Checkbox("Accessible en fauteuil", &f.accessible_wheelchair);
    ui_next_on_line(width(220));
    ImGui::SetNextItemWidth(width(220));
    static const char* kModes[] = {"Tous les modes", "Premier arrivé", "Tirage au sort"};
    ui_combo("##Mode d’attribution", &f.allocation, kModes, 3);
    ui_next_on_line(width(200));
    ImGui::SetNextItemWidth(width(200));
    static const char* kSorts[] = {"Trier par date", "Trier par places", "Trier par titre"};
    ui_combo("##Tri", &f.sort, kSorts, 3);
    const char* view = s.calendar_view ? "Voir la liste" : "Voir le calendrier";
    ui_next_on_line(phone ? full : ui_button_width(view));
    if (ui_secondary_button(view, true, ImVec2(phone ? -1.0f : 0.0f, 0))) {
        s.calendar_view = !s.calendar_view;
        // The calendar shows the month of the first day asked for, and asks for that whole month.
        if (s.calendar_view) {
            const uneplace::CivilDate first = chosen_days(f) ? chosen_days(f)->first : today_in(clock_departement(f));
            s.month_year = first.year;
            s.month = first.month;
            f.when = When::Dates;
            f.dates = {{first.year, first.month, 1},
                       {first.year, first.month, uneplace::days_in_month(first.year, first.month)}};
        }
    }
    ui_next_on_line(phone ? full : ui_button_width("Actualiser"));
    if (ui_secondary_button("Actualiser", !s.loading, ImVec2(phone ? -1.0f : 0.0f, 0))) load_catalogue();

    if (!same_server_filters(f, s.loaded_filters) && !s.loading) load_catalogue();
}

// One session of the list: a row on a computer or a tablet (title and places on the first line,
// when, where and what on the second), a card of three lines on a phone. Every text is cut with
// "…" where its room ends, whole in a tooltip on hover or while the row has the keyboard focus.
void show_row(Ctx& ctx, const CatalogueEntry& e, bool phone, float row_h) {
    const float line = ImGui::GetTextLineHeight();
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const float row_w = ImGui::GetContentRegionAvail().x;
    // The row is one selectable named by the title ("##title": its text is drawn below, in
    // two lines, but tests and screen readers find the row by the title).
    const std::string label = "##" + e.title;
    if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_None, ImVec2(0, row_h)))
        ctx.navigate(Route{Screen::SessionDetail, e.session_id});
    registry_set_role(ImGui::GetItemID(), RegistryRole::Row);
    const bool focused = ImGui::IsItemFocused();
    // The poster's thumbnail at the left (room kept on every row, so the texts line up); drawn
    // when the browser has it, never waited for.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float thumb_w = std::floor((row_h - 8) * 0.72f);
    ws_poster(dl, e.thumbnail_url, "Affiche\u00A0: " + e.title, ImVec2(top.x + 6, top.y + 4),
              ImVec2(top.x + 6 + thumb_w, top.y + row_h - 4));
    const float x = top.x + 16 + thumb_w;
    const float right = top.x + row_w - 12;

    char places[96];
    if (e.places_left > 0)
        std::snprintf(places, sizeof places, "%d place%s", e.places_left, e.places_left > 1 ? "s" : "");
    else std::snprintf(places, sizeof places, "Complet · liste d’attente");
    ImGui::PushFont(g_fonts.bold);
    const float pw = ImGui::CalcTextSize(places).x;
    ImGui::PopFont();
    const char* ballot = e.allocation == "ballot" ? "Tirage au sort" : nullptr;
    const float bw = ballot ? ImGui::CalcTextSize(ballot).x + 16 : 0.0f;
    const ImU32 places_color = e.places_left > 0 ? ui_color::success : ui_color::danger;
    const std::string when = ws_when(e.start, e.territory);
    const std::string where = e.venue_name + (e.venue_city.empty() ? "" : ", " + e.venue_city) + " (" + e.territory +
                              ")  ·  " + ws_category_label(e.category);
    if (!phone) {
        ui_draw_text_ellipsis(ImVec2(x, top.y + 8), right - pw - 24 - x, e.title, ui_color::text, g_fonts.bold,
                              focused);
        ui_draw_text_ellipsis(ImVec2(x, top.y + 12 + line), right - bw - x, when + "  ·  " + where, ui_color::muted,
                              nullptr, focused);
        ImGui::PushFont(g_fonts.bold);
        dl->AddText(ImVec2(right - pw, top.y + 8), places_color, places);
        ImGui::PopFont();
        if (ballot) dl->AddText(ImVec2(right - bw + 16, top.y + 12 + line), ui_color::primary, ballot);
        return;
    }
    ui_draw_text_ellipsis(ImVec2(x, top.y + 8), right - x, e.title, ui_color::text, g_fonts.bold, focused);
    ui_draw_text_ellipsis(ImVec2(x, top.y + 12 + line), right - pw - 16 - x, when, ui_color::muted, nullptr, focused);
    ImGui::PushFont(g_fonts.bold);
    dl->AddText(ImVec2(right - pw, top.y + 12 + line), places_color, places);
    ImGui::PopFont();
    ui_draw_text_ellipsis(ImVec2(x, top.y + 16 + 2 * line), right - bw - x, where, ui_color::muted, nullptr, focused);
    if (ballot) dl->AddText(ImVec2(right - bw + 16, top.y + 16 + 2 * line), ui_color::primary, ballot);
}

// An empty answer helps (issue 18): the server's ways to widen the search, each with the number of
// sessions it finds; a click applies it to the filters (and so reloads the list).
void show_suggestions(CatalogueState& s) {
    bool any = false;
    for (const CatalogueSuggestion& sug : s.suggestions) {
        if (sug.count <= 0) continue;
        if (!any) ws_text_item_colored(ui_color::muted, "Élargir la recherche\u00A0:");
        any = true;
        const std::string n =
            std::to_string(sug.count) + (sug.count >= 500 ? "+" : "") + "\u00A0séance" + (sug.count > 1 ? "s" : "");
        CatalogueFilters& f = s.filters;
        if (sug.kind == "near") {
            if (ui_secondary_button(("Avec les départements voisins (" + n + ")").c_str())) {
                f.where = Where::Near;
                f.where_code = sug.near;
            }
        } else if (sug.kind == "next_weekend") {
            const auto from = uneplace::parse_utc_instant(sug.from), to = uneplace::parse_utc_instant(sug.to);
            if (from.ok() && to.ok() && ui_secondary_button(("Le week-end suivant (" + n + ")").c_str())) {
                const std::string clock = clock_departement(f);
                f.when = When::Dates;
                f.dates = {uneplace::to_local(clock, from.value).date(),
                           uneplace::to_local(clock, to.value - 1).date()};
            }
        } else if (sug.kind == "all_categories") {
            if (ui_secondary_button(("Toutes les catégories (" + n + ")").c_str())) f.category.clear();
        }
    }
}

// The date picker: a month, a click on the first day, a click on the last (or the same day twice).
void show_date_picker(CatalogueState& s) {
    if (s.picking_dates) {
        ImGui::OpenPopup("Choisir des dates");
        if (s.month == 0) {
            const uneplace::CivilDate today = today_in(clock_departement(s.filters));
            s.month_year = today.year;
            s.month = today.month;
        }
    }
    ImGui::SetNextWindowSize(ImVec2(std::min(420.0f, ImGui::GetIO().DisplaySize.x - 20), 0));
    if (!ImGui::BeginPopupModal("Choisir des dates", &s.picking_dates, ImGuiWindowFlags_AlwaysAutoResize)) return;
    ImGui::TextUnformatted(s.picked_first ? "Cliquez maintenant sur le dernier jour." : "Cliquez sur le premier jour.");
    const float width = ImGui::GetContentRegionAvail().x;
    ws_month_switcher("##mois du choix", &s.month_year, &s.month, width);
    const uneplace::MonthGrid grid = uneplace::month_grid(s.month_year, s.month);
    const uneplace::CivilDate today = today_in(clock_departement(s.filters));
    std::optional<uneplace::DayRange> shown;
    if (s.picked_first) shown = uneplace::DayRange{*s.picked_first, *s.picked_first};
    uneplace::CivilDate clicked;
    if (ws_month_calendar("jours du choix", grid, shown ? &*shown : nullptr, today, {}, "", width, &clicked)) {
        if (!s.picked_first) {
            s.picked_first = clicked;
        } else {
            s.filters.when = When::Dates;
            s.filters.dates = uneplace::ordered(*s.picked_first, clicked);
            s.picking_dates = false;
            ImGui::CloseCurrentPopup();
        }
    }
    ImGui::EndPopup();
}

// The month of the catalogue: every day with the number of sessions the filters leave; a click on
// a day lists that day's sessions.
void show_month(CatalogueState& s, float height) {
    CatalogueFilters& f = s.filters;
    const float width = std::min(ImGui::GetContentRegionAvail().x, 760.0f);
    if (ws_month_switcher("##mois du catalogue", &s.month_year, &s.month, width)) {
        f.when = When::Dates;
        f.dates = {{s.month_year, s.month, 1}, {s.month_year, s.month, uneplace::days_in_month(s.month_year, s.month)}};
    }
    // Sessions per local day of their venue.
    std::map<std::int64_t, int> per_day;
    for (int i : s.visible) {
        const CatalogueEntry& e = s.sessions[static_cast<size_t>(i)];
        const auto start = uneplace::parse_utc_instant(e.start);
        if (!start.ok()) continue;
        const uneplace::CivilDate d = uneplace::to_local(e.territory, start.value).date();
        ++per_day[uneplace::days_from_civil(d.year, d.month, d.day)];
    }
    auto count = [&](uneplace::CivilDate d) {
        const auto it = per_day.find(uneplace::days_from_civil(d.year, d.month, d.day));
        return it == per_day.end() ? 0 : it->second;
    };
    ImGui::BeginChild("Calendrier", ImVec2(0, height), false, ImGuiWindowFlags_NavFlattened);
    uneplace::CivilDate clicked;
    if (ws_month_calendar("jours du catalogue", uneplace::month_grid(s.month_year, s.month), nullptr,
                          today_in(clock_departement(f)), count, "séance", width, &clicked)) {
        f.when = When::Dates;
        f.dates = {clicked, clicked};
        s.calendar_view = false;
    }
    ImGui::EndChild();
}

}  // namespace

void reset_catalogue(Reset what) {
    CatalogueState& s = g_catalogue;
    if (what == Reset::Everything) {
        const int generation = s.generation + 1;  // pages in flight are dropped
        s = CatalogueState{};
        s.generation = generation;
    } else if (s.error) {
        s.loaded = false;
        s.error.reset();
    }
}

void draw_catalogue(Ctx& ctx) {
    CatalogueState& s = g_catalogue;
    // The first opening shows the user's own département (a social worker's structure is there).
    if (!s.opened) {
        s.opened = true;
        if (ctx.user && uneplace::is_departement_code(ctx.user->organisation_territory)) {
            s.filters.where = Where::Departement;
            s.filters.where_code = ctx.user->organisation_territory;
        }
    }
    // Places change when a booking is made or cancelled: reload once the change is known.
    const bool places_changed = s.loaded && s.bookings_generation != g_social.bookings_generation;
    if ((!s.loaded || places_changed) && !s.loading) load_catalogue();

    screen_title("Catalogue des sorties",
                 "Trouvez une sortie avec la personne que vous accompagnez, puis réservez-la.");
    show_filters(ctx.user ? ctx.user->organisation_territory : std::string());
    if (s.error) ui_banner(s.error->message, ui_color::danger);

    update_visible(s);
    if (s.loaded && !s.error) {
        char count[96];
        std::snprintf(count, sizeof count, "%d séance%s", (int)s.visible.size(), s.visible.size() > 1 ? "s" : "");
        // In the registry, so tests and screen readers read how many sessions the search found.
        ws_text_item_colored(ui_color::muted, std::string(count) + (s.loading ? " (chargement en cours…)" : ""));
    }

    show_date_picker(s);
    if (s.calendar_view) {
        show_month(s, std::max(ImGui::GetContentRegionAvail().y, 300.0f));
        return;
    }

    const bool phone = ui_width() == UiWidth::Phone;
    const float line = ImGui::GetTextLineHeight();
    const float row_h = phone ? line * 3 + 30 : line * 2 + 26;
    // The rest of the screen, but room for three rows at least (the content scrolls on a phone).
    const float list_h = std::max(ImGui::GetContentRegionAvail().y, 3 * (row_h + ImGui::GetStyle().ItemSpacing.y));
    // Flattened: the arrow keys go from the filters down into the rows and back, as on a web page.
    ImGui::BeginChild("Séances", ImVec2(0, list_h), true, ImGuiWindowFlags_NavFlattened);
    ImGuiListClipper clipper;
    clipper.Begin((int)s.visible.size(), row_h + ImGui::GetStyle().ItemSpacing.y);
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const CatalogueEntry& e = s.sessions[s.visible[row]];
            ImGui::PushID((int)e.session_id);
            show_row(ctx, e, phone, row_h);
            ImGui::PopID();
        }
    }
    if (s.loaded && s.visible.empty() && !s.error && !s.loading) {
        ui_text_colored(ui_color::muted, s.sessions.empty() ? "Aucune séance n’est proposée sur cette période."
                                                            : "Aucune séance ne correspond à votre recherche.");
        if (s.sessions.empty()) show_suggestions(s);
    }
    ImGui::EndChild();
}
