// uneplace client — the catalogue: published sessions a social worker can book.
// The server filters by dates, territory and category; words, accessibility, places, allocation
// mode and the sort apply locally and instantly. The list is drawn with ImGuiListClipper, so only
// visible rows cost anything at 10,000 sessions.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

#include "api/calls.hpp"
#include "data/data.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // ImGui::GetItemID()
#include "platform.hpp"
#include "screens/screens.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/validation.hpp"
#include "widget_registry.hpp"

namespace {

struct CatalogueFilters {
    std::string search;           // words, accent-insensitive, matched locally on title/venue/city
    std::string territory;        // département code, "" for all
    std::string category;         // category code, "" for all
    int from_days = 0;            // from today + N days…
    int to_days = 90;             // …to today + N days
    bool only_available = false;  // places left > 0
    bool accessible_wheelchair = false;
    int allocation = 0;  // 0 all, 1 first come, 2 ballot
    int sort = 0;        // 0 date, 1 places left, 2 title
    bool operator==(const CatalogueFilters&) const = default;
};

// The catalogue arrives page by page (500 sessions each): not one Remote, but the same fields.
struct CatalogueState {
    std::vector<CatalogueEntry> sessions;
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
};
CatalogueState g_catalogue;

// Server-side part of the filters as a query string (dates as RFC 3339 from today).
std::string server_query(const CatalogueFilters& f, const std::string& cursor) {
    const long long day = 86400;
    const long long today = platform_now_unix() / day * day;
    std::string q = "limit=500&from=" + uneplace::format_utc(today + f.from_days * day) +
                    "&to=" + uneplace::format_utc(today + (f.to_days + 1) * day);
    if (!f.territory.empty()) q += "&territory=" + f.territory;
    if (!f.category.empty()) q += "&category=" + f.category;
    if (!cursor.empty()) q += "&cursor=" + cursor;
    return q;
}

bool same_server_filters(const CatalogueFilters& a, const CatalogueFilters& b) {
    return a.territory == b.territory && a.category == b.category && a.from_days == b.from_days &&
           a.to_days == b.to_days;
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
        [generation](CataloguePage page) {
            CatalogueState& st = g_catalogue;
            if (generation != st.generation) return;  // filters changed meanwhile
            st.sessions.insert(st.sessions.end(), page.items.begin(), page.items.end());
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

float checkbox_width(const char* label) {
    return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
}

void show_filters() {
    CatalogueState& s = g_catalogue;
    CatalogueFilters& f = s.filters;
    // On a phone every filter takes the whole width, and all but the words wait behind a button:
    // the list must stay on the screen.
    const bool phone = ui_width() == UiWidth::Phone;
    const float full = ImGui::GetContentRegionAvail().x;
    auto width = [&](float wanted) { return phone ? full : std::min(wanted, full); };
    ui_text_field("Rechercher", &f.search, UiField_None, "titre, lieu, ville, catégorie…", width(360));
    static bool more = false;
    if (phone) {
        const char* toggle = more ? "Masquer les filtres" : "Plus de filtres";
        if (ui_secondary_button(toggle, true, ImVec2(-1, 0))) more = !more;
        if (!more) {
            if (!same_server_filters(f, s.loaded_filters) && !s.loading) load_catalogue();
            return;
        }
    }

    const std::string dep_preview =
        f.territory.empty() ? "Tous" : f.territory + " " + std::string(uneplace::departement_name(f.territory));
    if (begin_filter_combo("Département", "##Département", dep_preview.c_str(), width(200))) {
        if (ImGui::Selectable("Tous", f.territory.empty())) f.territory.clear();
        for (const auto& d : uneplace::all_departements()) {
            const std::string label = std::string(d.code) + " " + std::string(d.name_fr);
            if (ImGui::Selectable(label.c_str(), f.territory == d.code)) f.territory = std::string(d.code);
        }
        end_filter_combo();
    }
    const std::string category_preview = f.category.empty() ? "Toutes" : ws_category_label(f.category);
    if (begin_filter_combo("Catégorie", "##Catégorie", category_preview.c_str(), width(200))) {
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
    const char* period_preview = "Personnalisée";
    for (const auto& p : kPeriods)
        if (f.from_days == p.from && f.to_days == p.to) period_preview = p.label;
    if (begin_filter_combo("Période", "##Période", period_preview, width(220))) {
        for (const auto& p : kPeriods)
            if (ImGui::Selectable(p.label, f.from_days == p.from && f.to_days == p.to)) {
                f.from_days = p.from;
                f.to_days = p.to;
            }
        end_filter_combo();
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
    const float x = top.x + 10;
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
    ImDrawList* dl = ImGui::GetWindowDrawList();
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
    // Places change when a booking is made or cancelled: reload once the change is known.
    const bool places_changed = s.loaded && s.bookings_generation != g_social.bookings_generation;
    if ((!s.loaded || places_changed) && !s.loading) load_catalogue();

    screen_title("Catalogue des sorties",
                 "Trouvez une sortie avec la personne que vous accompagnez, puis réservez-la.");
    show_filters();
    if (s.error) ui_banner(s.error->message, ui_color::danger);

    update_visible(s);
    if (s.loaded && !s.error) {
        char count[96];
        std::snprintf(count, sizeof count, "%d séance%s", (int)s.visible.size(), s.visible.size() > 1 ? "s" : "");
        ImGui::TextDisabled("%s%s", count, s.loading ? " (chargement en cours…)" : "");
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
    if (s.loaded && s.visible.empty() && !s.error && !s.loading)
        ui_text_colored(ui_color::muted, s.sessions.empty() ? "Aucune séance n’est proposée sur cette période."
                                                            : "Aucune séance ne correspond à votre recherche.");
    ImGui::EndChild();
}
