// uneplace client — the widgets every workspace screen shares: status badges, territory and
// category pickers, whole-number steppers, tabs, and table cells recorded in the widget registry
// (so tests and the accessibility mirror find them by what a person reads). Presentation only:
// every rule stays in the shared module, every text in ui/format.hpp.
//
// Index of this file:
// [SECTION] Badges
// [SECTION] Inputs
// [SECTION] Tables and text the tests can find
// [SECTION] Month calendar
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "imgui.h"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "uneplace/calendar.hpp"
#include "uneplace/domain.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] Badges
//-------------------------------------------------------------------------------------------------

// A colour per status family: green for done/active, amber for waiting, red for refused/cancelled.
ImU32 ws_status_color(const std::string& code);
// A small rounded pill with the text, on the current line (recorded in the widget registry).
void ws_badge(std::string_view text, ImU32 color);

//-------------------------------------------------------------------------------------------------
// [SECTION] Inputs
//-------------------------------------------------------------------------------------------------

// A département picker with a caption above (when `caption` is not empty). `all_label` adds a first
// entry for "no territory" (value ""); `national_label` an entry for the national row (value "*").
// The combo is named "##caption" in the registry. Returns true when the value changed.
bool ws_territory_combo(const char* caption, std::string* code, const char* all_label, float width,
                        const char* national_label = nullptr);
// The 17 categories of DOMAIN.md; `all_label` as above.
bool ws_category_combo(const char* caption, std::string* code, const char* all_label, float width);
// An integer field with a caption above and − / + buttons, mirrored to the registry.
// A whole number with − and + buttons (one step per click, no repeat while held).
bool ws_int_stepper(const char* id, int* value, float width, int step = 1);
bool ws_int_field(const char* caption, int* value, float width = 160.0f, int step = 1);
// Accessibility flags as one checkbox per key, on one line when there is room.
bool ws_accessibility_checkboxes(const char* id, uneplace::AccessibilityFlags* flags);
// A caption in bold, for a group of fields or a table.
void ws_heading(const char* text);
// Next group of fields on the same line as the previous group, top-aligned with it (a plain
// SameLine would lower a caption by the previous group's frame padding).
void ws_same_line(float spacing = 20.0f);
// Tab bars in the theme's colours (raspberry for the selected tab).
bool ws_begin_tab_bar(const char* id);
void ws_end_tab_bar();
// BeginTabItem() named in the widget registry (Dear ImGui 1.86 does not describe tabs to it).
bool ws_begin_tab_item(const char* label, ImGuiTabItemFlags flags = 0);

//-------------------------------------------------------------------------------------------------
// [SECTION] Tables and text the tests can find
//-------------------------------------------------------------------------------------------------

// Every list of the workspaces: alternate row colours, inner lines, room on both sides.
constexpr ImGuiTableFlags kWsTableFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                          ImGuiTableFlags_PadOuterX | ImGuiTableFlags_SizingStretchProp;
// A selectable table cell, one frame high, its text centred vertically like the other cells.
bool ws_row_selectable(const char* label, bool selected, ImGuiSelectableFlags flags = 0);
// Text in a table cell (or anywhere), recorded in the widget registry so tests and the
// accessibility mirror can read it.
void ws_text_item(std::string_view text);
// Same, in a colour.
void ws_text_item_colored(ImU32 color, std::string_view text);
// A big figure with its caption under it (wrapped on two lines at most), in a fixed-width tile
// (the dashboard's key numbers). Recorded as "caption : value".
void ws_figure_tile(const char* caption, const std::string& value, float width, ImU32 color = 0);

//-------------------------------------------------------------------------------------------------
// [SECTION] Month calendar
//-------------------------------------------------------------------------------------------------

// A month as six weeks starting on Monday, with French day initials, `width` wide: the date picker
// and the catalogue's and partners' calendars. `count(day)` is a figure drawn in the day (0 or less:
// none) followed by `count_word` ("séance"); `selected` days are tinted; `today` is outlined. Each
// day of the month is one item named "samedi 12 décembre" (plus ": 3 séances" when counted).
// Returns true with *clicked when a day of the month was clicked.
bool ws_month_calendar(const char* id, const uneplace::MonthGrid& grid, const uneplace::DayRange* selected,
                       uneplace::CivilDate today, const std::function<int(uneplace::CivilDate)>& count,
                       const char* count_word, float width, uneplace::CivilDate* clicked);
// ‹ month title › above a calendar: moves *year/*month. Returns true when the month changed.
bool ws_month_switcher(const char* id, int* year, int* month, float width);

// A poster (issue 18) in the box [min, max]: the image at `url`, whole and centred, once the browser
// has fetched and decoded it; a plain frame until then, so a list never waits for its pictures.
// `alt` (the offer's title) names it for the accessibility mirror. Nothing when `url` is empty.
void ws_poster(ImDrawList* dl, const std::string& url, const std::string& alt, ImVec2 min, ImVec2 max);
