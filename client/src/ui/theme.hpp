// uneplace client — look and shared widgets: theme, fonts, fields and buttons used by every screen.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"

// ---- Fonts -------------------------------------------------------------------------------------
struct UiFonts {
    ImFont* body = nullptr;    // Inter Regular, 17 px
    ImFont* bold = nullptr;    // Inter SemiBold, 17 px
    ImFont* title = nullptr;   // Inter SemiBold, 28 px
    ImFont* code = nullptr;    // Inter SemiBold, 44 px, for booking codes
    float rasterised_dpr = 0;  // devicePixelRatio the atlas was built for
};
extern UiFonts g_fonts;
// Builds (or rebuilds, when devicePixelRatio changed) the font atlas so text is sharp on HiDPI.
// Returns true when the atlas changed and the renderer's texture must be recreated.
bool ui_fonts_update(float device_pixel_ratio);
// The characters of `utf8` that the text fonts (body, bold, title) cannot draw, each once, in order:
// drawn as "?" they would be lost to the reader. Tests check the demo data and French typography.
std::vector<unsigned> ui_fonts_missing(std::string_view utf8);

// ---- Theme -------------------------------------------------------------------------------------
namespace ui_color {
constexpr ImU32 background = IM_COL32(246, 245, 242, 255);
constexpr ImU32 surface = IM_COL32(255, 255, 255, 255);
constexpr ImU32 primary = IM_COL32(196, 48, 70, 255);  // the programme's raspberry red
constexpr ImU32 text = IM_COL32(28, 28, 36, 255);
constexpr ImU32 muted = IM_COL32(92, 92, 104, 255);
constexpr ImU32 danger = IM_COL32(176, 32, 32, 255);
constexpr ImU32 success = IM_COL32(26, 120, 72, 255);
}  // namespace ui_color
void ui_apply_theme();

// ---- Widgets -----------------------------------------------------------------------------------
// A labelled single-line text field: caption above, full width, value mirrored to the registry
// (except secrets). Returns true when the text changed.
enum UiFieldFlags_ { UiField_None = 0, UiField_Password = 1 << 0, UiField_EnterSubmits = 1 << 1 };
bool ui_text_field(const char* caption, std::string* value, int flags = UiField_None, const char* hint = nullptr,
                   float width = -1.0f);
// A field-level error message under a field (French, from the shared table).
void ui_field_error(std::string_view message);
// A filled button in the primary colour. Disabled buttons draw greyed and return false.
bool ui_primary_button(const char* label, bool enabled = true, ImVec2 size = ImVec2(0, 0));
// A discreet secondary button.
bool ui_secondary_button(const char* label, bool enabled = true, ImVec2 size = ImVec2(0, 0));
// A message box in a colour (error, success, information).
void ui_banner(std::string_view text, ImU32 color);
// Text wrapped to the available width, in a colour.
void ui_text_colored(ImU32 color, std::string_view text);
// A white rounded card around whatever is drawn between begin and end, sized to its content.
// `width` is the content width; padding is added around it.
void ui_begin_card(float width);
void ui_end_card();
// BeginCombo()/Combo() that the widget registry can find by label ("##Département" → "Département").
bool ui_begin_combo(const char* label, const char* preview, ImGuiComboFlags flags = 0);
bool ui_combo(const char* label, int* current, const char* const items[], int count);
// Page title at the top of a screen's content, with an optional line under it.
void screen_title(const char* title, const char* subtitle = nullptr);
// A success message that goes away by itself after a few seconds (`shown_at` is set by the caller
// when the message is given: ImGui::GetTime()); clears `text` when it has gone.
void ui_notice(std::string& text, double& shown_at);
// A small spinning indicator for requests in flight.
void ui_spinner(float radius);
