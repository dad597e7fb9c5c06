// uneplace client — the widgets the workspace screens share (ui/widgets.hpp).
//
// Index of this file:
// [SECTION] Badges
// [SECTION] Inputs
// [SECTION] Tables and text the tests can find
// [SECTION] Month calendar

#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "imgui_internal.h"  // ImGui::GetItemID()
#include "imgui_stdlib.h"
#include "platform.hpp"
#include "widget_registry.hpp"
#include "uneplace/french.hpp"
#include "uneplace/geography.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] Badges
//-------------------------------------------------------------------------------------------------

ImU32 ws_status_color(const std::string& code) {
    if (code == "active" || code == "published" || code == "attended" || code == "confirmed" || code == "scheduled")
        return ui_color::success;
    if (code == "pending" || code == "draft" || code == "waitlisted" || code == "ballot_entered")
        return IM_COL32(176, 110, 0, 255);
    if (code == "rejected" || code == "suspended" || code == "cancelled" || code == "late_cancelled" ||
        code == "no_show")
        return ui_color::danger;
    return ui_color::muted;
}

void ws_badge(std::string_view text, ImU32 color) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size());
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 pad(8, 2);
    const float frame_h = ImGui::GetFrameHeight();
    const float y = pos.y + std::max(0.0f, (frame_h - size.y - 2 * pad.y) * 0.5f);
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
    const ImVec2 min(pos.x, y), max(pos.x + size.x + 2 * pad.x, y + size.y + 2 * pad.y);
    dl->AddRectFilled(min, max, ImGui::ColorConvertFloat4ToU32(ImVec4(c.x, c.y, c.z, 0.12f)), 999.0f);
    dl->AddText(ImVec2(min.x + pad.x, min.y + pad.y), color, text.data(), text.data() + text.size());
    ImGui::Dummy(ImVec2(max.x - min.x, std::max(frame_h, max.y - pos.y)));
    registry_add_text(text, min, max);
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Inputs
//-------------------------------------------------------------------------------------------------

static std::string territory_text(const std::string& code, const char* all_label, const char* national_label) {
    if (code.empty()) return all_label ? all_label : "Choisir…";
    if (code == "*") return national_label ? national_label : "Réglages nationaux";
    return uneplace::departement_label(code);
}

bool ws_territory_combo(const char* caption, std::string* code, const char* all_label, float width,
                        const char* national_label) {
    static std::string filter;  // one open combo at a time
    bool changed = false;
    if (caption && *caption) ImGui::TextUnformatted(caption);
    ImGui::SetNextItemWidth(width);
    const std::string id = std::string("##") + caption;
    if (ui_begin_combo(id.c_str(), territory_text(*code, all_label, national_label).c_str(),
                       ImGuiComboFlags_HeightLarge)) {
        if (ImGui::IsWindowAppearing()) {
            filter.clear();
            ImGui::SetKeyboardFocusHere();
        }
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##Filtrer les départements", "Filtrer : 93, Seine, Lyon…", &filter);
        registry_set_value(ImGui::GetItemID(), filter);
        auto entry = [&](const std::string& value, const std::string& label) {
            if (!filter.empty() && !matches_search(label, filter)) return;
            if (ImGui::Selectable(label.c_str(), *code == value)) {
                changed = *code != value;
                *code = value;
            }
        };
        if (all_label) entry("", all_label);
        if (national_label) entry("*", national_label);
        for (const auto& d : uneplace::all_departements())
            entry(std::string(d.code), uneplace::departement_label(d.code));
        ImGui::EndCombo();
    }
    return changed;
}

bool ws_category_combo(const char* caption, std::string* code, const char* all_label, float width) {
    bool changed = false;
    if (caption && *caption) ImGui::TextUnformatted(caption);
    ImGui::SetNextItemWidth(width);
    const std::string id = std::string("##") + caption;
    const std::string preview = code->empty() ? (all_label ? all_label : "Choisir…") : ws_category_label(*code);
    if (ui_begin_combo(id.c_str(), preview.c_str(), ImGuiComboFlags_HeightLarge)) {
        if (all_label && ImGui::Selectable(all_label, code->empty())) {
            changed = !code->empty();
            code->clear();
        }
        for (const auto& c : uneplace::enum_table<uneplace::Category>()) {
            const std::string label = capitalised(c.label_fr);
            if (ImGui::Selectable(label.c_str(), *code == c.code)) {
                changed = *code != c.code;
                *code = std::string(c.code);
            }
        }
        ImGui::EndCombo();
    }
    return changed;
}

// A number with our own − and + rather than InputInt's: those repeat while held, and on a slow
// machine one long frame during a single click adds two (a partner meaning 12 places saves 13).
bool ws_int_stepper(const char* id, int* value, float width, int step) {
    ImGui::PushID(id);
    ImGui::BeginGroup();
    const float button = ImGui::GetFrameHeight();
    const float spacing = ImGui::GetStyle().ItemInnerSpacing.x;
    ImGui::SetNextItemWidth(std::max(button, width - 2 * (button + spacing)));
    bool changed = ImGui::InputInt("##value", value, 0, 0);
    ImGui::SameLine(0, spacing);
    if (ImGui::Button("-", ImVec2(button, button))) {
        *value -= step;
        changed = true;
    }
    ImGui::SameLine(0, spacing);
    if (ImGui::Button("+", ImVec2(button, button))) {
        *value += step;
        changed = true;
    }
    ImGui::EndGroup();
    ImGui::PopID();
    return changed;
}

bool ws_int_field(const char* caption, int* value, float width, int step) {
    ImGui::TextUnformatted(caption);
    const bool changed = ws_int_stepper(caption, value, width, step);
    // The group (field, −, +) is recorded under the caption, with its value, as ui_text_field does
    // for text, so tests and assistive hooks find it by what a person reads.
    registry_add_text(caption, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    registry_set_value(ImHashStr(caption, std::strlen(caption)), std::to_string(*value));
    return changed;
}

bool ws_accessibility_checkboxes(const char* id, uneplace::AccessibilityFlags* flags) {
    bool changed = false;
    ImGui::PushID(id);
    // As many on a line as the field width (the card's column) allows.
    const float left = ImGui::GetCursorScreenPos().x;
    const float right = left + ImGui::CalcItemWidth();
    bool first = true;
    for (const auto& k : uneplace::accessibility_keys()) {
        const std::string label = capitalised(k.label_fr);
        const float w =
            ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label.c_str()).x;
        if (!first && ImGui::GetItemRectMax().x + 24 + w <= right) ImGui::SameLine(0, 24);
        first = false;
        bool on = (*flags & k.flag) != 0;
        if (ImGui::Checkbox(label.c_str(), &on)) {
            *flags = on ? (*flags | k.flag) : (*flags & ~k.flag);
            changed = true;
        }
    }
    ImGui::PopID();
    return changed;
}

void ws_heading(const char* text) {
    ImGui::PushFont(g_fonts.bold);
    ws_text_item(text);
    ImGui::PopFont();
}

void ws_same_line(float spacing) {
    ImGui::SameLine(0, spacing);
    ImGui::GetCurrentWindow()->DC.CurrLineTextBaseOffset = 0.0f;
}

// The tab colours stay pushed from BeginTabBar to EndTabBar: tabs are drawn by BeginTabItem.
static void push_tab_style() {
    ImGui::PushStyleColor(ImGuiCol_Tab, IM_COL32(236, 234, 230, 255));
    ImGui::PushStyleColor(ImGuiCol_TabHovered, IM_COL32(249, 230, 233, 255));
    ImGui::PushStyleColor(ImGuiCol_TabActive, IM_COL32(242, 196, 204, 255));
    ImGui::PushStyleColor(ImGuiCol_TabUnfocused, IM_COL32(236, 234, 230, 255));
    ImGui::PushStyleColor(ImGuiCol_TabUnfocusedActive, IM_COL32(242, 196, 204, 255));
}
static void pop_tab_style() { ImGui::PopStyleColor(5); }

bool ws_begin_tab_bar(const char* id) {
    push_tab_style();
    const bool open = ImGui::BeginTabBar(id);
    if (!open) pop_tab_style();
    return open;
}

void ws_end_tab_bar() {
    ImGui::EndTabBar();
    pop_tab_style();
}

bool ws_begin_tab_item(const char* label, ImGuiTabItemFlags flags) {
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(16, 8));
    const bool open = ImGui::BeginTabItem(label, nullptr, flags);
    ImGui::PopStyleVar();
    registry_set_label(ImGui::GetItemID(), label);
    registry_set_role(ImGui::GetItemID(), RegistryRole::Tab);
    return open;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Tables and text the tests can find
//-------------------------------------------------------------------------------------------------

bool ws_row_selectable(const char* label, bool selected, ImGuiSelectableFlags flags) {
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
    const bool pressed = ImGui::Selectable(label, selected, flags | ImGuiSelectableFlags_AllowItemOverlap,
                                           ImVec2(0, ImGui::GetFrameHeight()));
    ImGui::PopStyleVar();
    return pressed;
}

void ws_text_item(std::string_view text) {
    // A wrapped text wraps; one line (a cell, a name, a time) is cut with "…" where its room ends.
    if (GImGui->CurrentWindow->DC.TextWrapPos < 0.0f) return ui_text_ellipsis(text);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    registry_add_text_item(text);
}

void ws_text_item_colored(ImU32 color, std::string_view text) {
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ws_text_item(text);
    ImGui::PopStyleColor();
}

void ws_figure_tile(const char* caption, const std::string& value, float width, ImU32 color) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float pad = 16.0f;
    const float height = 122.0f;
    dl->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + height), ui_color::surface, 10.0f);
    dl->AddRect(pos, ImVec2(pos.x + width, pos.y + height), IM_COL32(222, 219, 214, 255), 10.0f);
    // Drawn, not laid out: the tile keeps its size whatever the caption's length.
    const ImVec2 clip_min(pos.x + 1, pos.y + 1), clip_max(pos.x + width - 1, pos.y + height - 1);
    dl->PushClipRect(clip_min, clip_max, true);
    ImFont* big = g_fonts.code ? g_fonts.code : ImGui::GetFont();
    const float big_size = big->FontSize * ImGui::GetIO().FontGlobalScale;
    dl->AddText(big, big_size, ImVec2(pos.x + pad, pos.y + pad - 6), color ? color : ui_color::text, value.c_str());
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(pos.x + pad, pos.y + pad + big_size + 2),
                ui_color::muted, caption, nullptr, width - 2 * pad);
    dl->PopClipRect();
    ImGui::Dummy(ImVec2(width, height));
    registry_add_text(std::string(caption) + " : " + value, pos, ImVec2(pos.x + width, pos.y + height));
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Month calendar
//-------------------------------------------------------------------------------------------------

bool ws_month_switcher(const char* id, int* year, int* month, float width) {
    ImGui::PushID(id);
    bool changed = false;
    const float button = ImGui::GetFrameHeight() * 1.4f;
    if (ui_secondary_button("‹##Mois précédent", true, ImVec2(button, 0))) {
        uneplace::step_month(*year, *month, -1);
        changed = true;
    }
    const std::string title = capitalised(uneplace::month_title_fr(*year, *month));
    ImGui::SameLine();
    const float room = std::max(0.0f, width - 2 * button - 2 * ImGui::GetStyle().ItemSpacing.x);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(room, ImGui::GetFrameHeight()));
    ImGui::PushFont(g_fonts.bold);
    const ImVec2 size = ImGui::CalcTextSize(title.c_str());
    const ImVec2 text_at(at.x + (room - size.x) * 0.5f, at.y + (ImGui::GetFrameHeight() - size.y) * 0.5f);
    ImGui::GetWindowDrawList()->AddText(text_at, ui_color::text, title.c_str());
    ImGui::PopFont();
    registry_add_text(title, text_at, ImVec2(text_at.x + size.x, text_at.y + size.y), RegistryRole::Heading);
    ImGui::SameLine();
    if (ui_secondary_button("›##Mois suivant", true, ImVec2(button, 0))) {
        uneplace::step_month(*year, *month, 1);
        changed = true;
    }
    ImGui::PopID();
    return changed;
}

bool ws_month_calendar(const char* id, const uneplace::MonthGrid& grid, const uneplace::DayRange* selected,
                       uneplace::CivilDate today, const std::function<int(uneplace::CivilDate)>& count,
                       const char* count_word, float width, uneplace::CivilDate* clicked) {
    bool any = false;
    ImGui::PushID(id);
    const float gap = 4.0f;
    const float cell_w = std::floor((width - 6 * gap) / 7);
    const float line = ImGui::GetTextLineHeight();
    const float cell_h = count ? line * 2 + 14 : line + 14;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // Day initials: L M M J V S D.
    const ImVec2 head = ImGui::GetCursorScreenPos();
    for (int d = 0; d < 7; ++d) {
        const std::string_view initial = uneplace::weekday_initial_fr(d);
        const float w = ImGui::CalcTextSize(initial.data(), initial.data() + initial.size()).x;
        dl->AddText(ImVec2(head.x + static_cast<float>(d) * (cell_w + gap) + (cell_w - w) * 0.5f, head.y),
                    ui_color::muted, initial.data(), initial.data() + initial.size());
    }
    ImGui::Dummy(ImVec2(width, line + 2));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, gap));
    for (int cell = 0; cell < 42; ++cell) {
        const uneplace::CivilDate day = grid.days[static_cast<std::size_t>(cell)];
        const bool in = grid.in_month(cell);
        if (cell % 7 != 0) ImGui::SameLine();
        const ImVec2 at = ImGui::GetCursorScreenPos();
        if (!in) {
            ImGui::Dummy(ImVec2(cell_w, cell_h));
            dl->AddText(ImVec2(at.x + 6, at.y + 5), IM_COL32(180, 180, 188, 255), std::to_string(day.day).c_str());
            continue;
        }
        const int n = count ? count(day) : 0;
        std::string name = uneplace::day_title_fr(day);
        if (n > 0) name += " : " + uneplace::count_fr(n, count_word, std::string(count_word) + "s");
        const bool is_selected = selected && uneplace::contains(*selected, day);
        if (is_selected) dl->AddRectFilled(at, ImVec2(at.x + cell_w, at.y + cell_h), IM_COL32(196, 48, 70, 40), 6.0f);
        if (ImGui::Selectable(("##" + name).c_str(), false, ImGuiSelectableFlags_None, ImVec2(cell_w, cell_h))) {
            *clicked = day;
            any = true;
        }
        if (day == today) dl->AddRect(at, ImVec2(at.x + cell_w, at.y + cell_h), ui_color::primary, 6.0f, 0, 1.5f);
        const bool weekend = uneplace::weekday_monday_first(day) >= 5;
        ImGui::PushFont(g_fonts.bold);
        dl->AddText(ImVec2(at.x + 6, at.y + 5), weekend ? ui_color::primary : ui_color::text,
                    std::to_string(day.day).c_str());
        ImGui::PopFont();
        if (n > 0) {
            const std::string figure = std::to_string(n);
            dl->AddText(ImVec2(at.x + 6, at.y + 9 + line), ui_color::success, figure.c_str());
        }
    }
    ImGui::PopStyleVar();
    ImGui::PopID();
    return any;
}

//-----------------------------------------------------------------------------
// Posters (issue 18)
//-----------------------------------------------------------------------------

void ws_poster(ImDrawList* dl, const std::string& url, const std::string& alt, ImVec2 min, ImVec2 max) {
    if (url.empty()) return;
    const PlatformImage* img = platform_image(url);
    if (!img || img->width <= 0 || img->height <= 0) {
        dl->AddRectFilled(min, max, IM_COL32(232, 230, 226, 255), 4.0f);
    } else {
        const float bw = max.x - min.x, bh = max.y - min.y;
        const float scale = std::min(bw / (float)img->width, bh / (float)img->height);
        const ImVec2 size((float)img->width * scale, (float)img->height * scale);
        const ImVec2 at(min.x + (bw - size.x) / 2, min.y + (bh - size.y) / 2);
        dl->AddImage((ImTextureID)(intptr_t)img->texture, at, ImVec2(at.x + size.x, at.y + size.y));
    }
    registry_add_text(alt, min, max, RegistryRole::Image);
}
