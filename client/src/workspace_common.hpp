// uneplace client — what the partner, administrator and impact screens share: reading the API's
// lists, French labels of statuses, small widgets (status badge, territory and category pickers,
// registered table cells), CSV writing and the file download.
// Used by screen_partner.cpp, screen_admin.cpp and screen_dashboard.cpp only; every rule stays in
// the shared module (shared/include/uneplace), these are presentation helpers.
//
// Index of this file:
// [SECTION] Reading API answers
// [SECTION] Labels and badges
// [SECTION] Inputs
// [SECTION] Tables and text the tests can find
// [SECTION] CSV and download
// [SECTION] Screens of this workspace
#pragma once
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api.hpp"
#include "imgui.h"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"

struct AppState;

//-------------------------------------------------------------------------------------------------
// [SECTION] Reading API answers
//-------------------------------------------------------------------------------------------------

// The rows of a list answer: {"items": [...]} (API.md) or a bare array; an empty array otherwise.
const nlohmann::json& ws_items(const nlohmann::json& answer);
// The object under `key` when it is one, else an empty object (never throws).
const nlohmann::json& ws_object(const nlohmann::json& obj, const char* key);
// An instant written RFC 3339 with an offset or Z; 0 when absent or malformed.
uneplace::UnixSeconds ws_instant(const std::string& rfc3339);
// A string field that may also come as a number (ids, counts); "" when absent.
std::string ws_text(const nlohmann::json& obj, const char* key);
// {"wheelchair": true, …} (or the bit mask as a number) → flags.
uneplace::AccessibilityFlags ws_accessibility(const nlohmann::json& obj, const char* key);
nlohmann::json ws_accessibility_json(uneplace::AccessibilityFlags flags);
// "accessible en fauteuil roulant, adapté au handicap auditif" or "non précisée".
std::string ws_accessibility_text(uneplace::AccessibilityFlags flags);
// The French message of the first refusal naming `field`, or "".
std::string ws_error_for(const std::vector<uneplace::Refusal>& refusals, std::string_view field);
// "sam. 5 déc. 2026, 20 h 30" in the venue's local time; "—" when the instant is missing.
std::string ws_when(const std::string& rfc3339_utc, const std::string& territory);
// "5 déc. 2026" (the date only), metropolitan time when the territory is unknown.
std::string ws_date(const std::string& rfc3339_utc, const std::string& territory = "75");

//-------------------------------------------------------------------------------------------------
// [SECTION] Labels and badges
//-------------------------------------------------------------------------------------------------

std::string ws_category_label(const std::string& code);           // "théâtre"
std::string ws_pickup_label(const std::string& code);             // "nom sur liste à l’accueil"…
// Status labels come from the shared enum tables, capitalised for a table cell or a badge.
std::string ws_offer_status_label(const std::string& code);       // "Brouillon", "En attente de modération"…
std::string ws_account_status_label(const std::string& code);     // "En attente de validation", "Actif"…
std::string ws_booking_status_label(const std::string& code);     // "Confirmée", "Présent"…
std::string ws_session_status_label(const std::string& code);     // "Programmée", "Annulée"
std::string ws_kind_label(const std::string& code);               // "Partenaire culturel", "Structure sociale"
std::string ws_role_label(const std::string& code);               // "Travailleur social"…
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
// [SECTION] CSV and download
//-------------------------------------------------------------------------------------------------

// RFC 4180 field: quoted when it holds the separator, a quote or a line break; formulas are
// neutralised (a leading = + - @ gets a quote) so a spreadsheet never runs a cell.
std::string csv_field(std::string_view value);
// One line of fields joined by ';' (what French spreadsheets expect), ending in CRLF.
std::string csv_line(std::initializer_list<std::string> fields);
std::string csv_line(const std::vector<std::string>& fields);

// Offers `content` as a file to save. In the browser this is the platform's download (a Blob);
// until the platform layer provides it, the text goes to the clipboard and the return value says so.
// Returns true when a real file download was started.
bool ws_download(const std::string& filename, const std::string& mime, const std::string& content);

//-------------------------------------------------------------------------------------------------
// [SECTION] Screens of this workspace
//-------------------------------------------------------------------------------------------------

// The impact dashboard (screen_dashboard.cpp); reached through show_admin_screen().
void show_dashboard_screen(AppState& app);
