// uneplace client — the catalogue: published sessions a social worker can book.
// The list is drawn with ImGuiListClipper, so only visible rows cost anything at 10,000 sessions.
#include "app.hpp"
#include "imgui.h"
#include "ui.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/local_time.hpp"

// "sam. 5 déc. 2026, 20 h 30" in the venue's local time (shared rules for daylight saving).
static std::string session_when(const CatalogueEntry& e) {
    const auto utc = uneplace::parse_utc_instant(e.start);
    if (!utc.ok()) return e.start_local;
    return uneplace::format_datetime_fr(e.territory, utc.value);
}

static std::string category_label(const std::string& code) {
    if (auto c = uneplace::from_code<uneplace::Category>(code)) return std::string(uneplace::label_fr(*c));
    return code;
}

static void load_catalogue(AppState& app) {
    CatalogueScreenState& s = app.catalogue;
    s.loading = true;
    api_catalogue("limit=500", [&app](std::optional<std::vector<CatalogueEntry>> items, const ApiError& error) {
        CatalogueScreenState& st = app.catalogue;
        st.loading = false;
        st.loaded = true;
        if (!items) {
            st.error = error;
            return;
        }
        st.error.reset();
        st.sessions = std::move(*items);
    });
}

void show_catalogue_screen(AppState& app) {
    CatalogueScreenState& s = app.catalogue;
    if (!s.loaded && !s.loading) load_catalogue(app);

    ImGui::SetCursorPos(ImVec2(32, ImGui::GetCursorPosY() + 20));
    ImGui::BeginGroup();
    ImGui::PushFont(g_fonts.title);
    ImGui::TextUnformatted("Catalogue des sorties");
    ImGui::PopFont();
    ImGui::EndGroup();

    ImGui::SetCursorPosX(32);
    const float width = ImGui::GetWindowWidth() - 64;
    ImGui::BeginChild("catalogue_filters", ImVec2(width, 0), false, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoBackground);
    ImGui::PushItemWidth(420);
    ui_text_field("Rechercher", &s.search, UiField_None, "titre, lieu, ville, catégorie…", 420);
    ImGui::PopItemWidth();
    ImGui::SameLine();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetTextLineHeightWithSpacing());
    if (ui_secondary_button("Actualiser", !s.loading)) load_catalogue(app);
    ImGui::EndChild();

    ImGui::SetCursorPosX(32);
    ImGui::BeginGroup();
    if (s.error) ui_banner(s.error->message, ui_color::danger);
    ImGui::EndGroup();

    // Rows matching the search, computed each frame: cheap next to drawing, and always up to date.
    std::vector<int> visible;
    visible.reserve(s.sessions.size());
    for (int i = 0; i < (int)s.sessions.size(); ++i) {
        const CatalogueEntry& e = s.sessions[i];
        const std::string haystack = e.title + " " + e.venue_name + " " + e.venue_city + " " + category_label(e.category) + " " + e.territory;
        if (s.search.empty() || matches_search(haystack, s.search)) visible.push_back(i);
    }

    ImGui::SetCursorPosX(32);
    if (s.loaded && !s.error) {
        char count[96];
        snprintf(count, sizeof count, "%d séance%s", (int)visible.size(), visible.size() > 1 ? "s" : "");
        ImGui::TextDisabled("%s", count);
    }

    ImGui::SetCursorPosX(32);
    ImGui::BeginChild("Séances", ImVec2(width, -24), true);
    const float row_h = ImGui::GetTextLineHeight() * 2 + 22;
    ImGuiListClipper clipper;
    clipper.Begin((int)visible.size(), row_h);
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const CatalogueEntry& e = s.sessions[visible[row]];
            ImGui::PushID((int)e.session_id);
            const ImVec2 top = ImGui::GetCursorScreenPos();
            // The row is one selectable named by the title: tests and screen readers find it by it.
            std::string label = e.title + "##session";
            ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_None, ImVec2(0, row_h - 6));
            ImDrawList* dl = ImGui::GetWindowDrawList();
            const float x = top.x + 8;
            dl->AddText(g_fonts.bold, g_fonts.bold->FontSize * ImGui::GetIO().FontGlobalScale, ImVec2(x, top.y + 6),
                        ui_color::text, e.title.c_str());
            const std::string line2 = session_when(e) + "  ·  " + e.venue_name + (e.venue_city.empty() ? "" : ", " + e.venue_city) +
                                      " (" + e.territory + ")  ·  " + category_label(e.category);
            dl->AddText(ImVec2(x, top.y + 8 + ImGui::GetTextLineHeight()), ui_color::muted, line2.c_str());
            char places[96];
            if (e.places_left > 0)
                snprintf(places, sizeof places, "%d place%s", e.places_left, e.places_left > 1 ? "s" : "");
            else
                snprintf(places, sizeof places, "Complet");
            const float pw = ImGui::CalcTextSize(places).x;
            const float right = top.x + ImGui::GetContentRegionAvail().x - 12;
            dl->AddText(ImVec2(right - pw, top.y + 6), e.places_left > 0 ? ui_color::success : ui_color::danger, places);
            if (e.allocation == "ballot") {
                const char* ballot = "Tirage au sort";
                const float bw = ImGui::CalcTextSize(ballot).x;
                dl->AddText(ImVec2(right - bw, top.y + 8 + ImGui::GetTextLineHeight()), ui_color::primary, ballot);
            }
            ImGui::PopID();
        }
    }
    if (s.loaded && visible.empty() && !s.error)
        ui_text_colored(ui_color::muted, s.sessions.empty() ? "Aucune séance n’est proposée pour le moment."
                                                            : "Aucune séance ne correspond à votre recherche.");
    ImGui::EndChild();
}
