// uneplace client — look and shared widgets: theme, fonts, fields and buttons used by every screen.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"
#include "uneplace/errors.hpp"

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

// ---- Page width: three layouts ------------------------------------------------------------------
// Breakpoints on the page's CSS width (DisplaySize is in CSS pixels): a phone under 640 px (top bar
// with a menu, one-column cards, full-width forms, touch targets of 44 px at least), a compact
// layout from 640 to 1100 px (a tablet, a small laptop), the full layout above.
enum class UiWidth { Phone, Compact, Wide };
UiWidth ui_width();
constexpr float kUiTouchTarget = 44.0f;  // WCAG 2.5.5 and both phone platforms' guidelines, CSS px
// Pushes the phone's larger frames (every button, field and checkbox at least kUiTouchTarget high)
// for the frame's whole drawing; pops what it pushed.
void ui_push_width_style();
void ui_pop_width_style();
// The next item beside the last one when `width` more fits on the line, else under it: rows of
// filters or buttons wrap on a narrow screen instead of running off its edge.
void ui_next_on_line(float width);
// The width of a button labelled `label` (bold, as ui_primary_button and ui_secondary_button draw it).
float ui_button_width(const char* label);

// ---- Widgets -----------------------------------------------------------------------------------
// A labelled single-line text field: caption above, full width, value mirrored to the registry
// (except secrets). Returns true when the text changed.
enum UiFieldFlags_ { UiField_None = 0, UiField_Password = 1 << 0, UiField_EnterSubmits = 1 << 1 };
bool ui_text_field(const char* caption, std::string* value, int flags = UiField_None, const char* hint = nullptr,
                   float width = -1.0f);
// A multi-line text field (`id` "##Caption", caption drawn by the caller), mirrored to the registry.
// Dear ImGui 1.86 cannot wrap the text being edited: when a line is wider than the field, the text
// is shown again under it as a wrapped paragraph, as people will read it. Returns true when edited.
bool ui_multiline_field(const char* id, std::string* value, ImVec2 size);
// A field-level error message under a field (French, from the shared table).
void ui_field_error(std::string_view message);
// What a field's shared rule says as the person types: the French message of `refusal`, or ""
// while the field is still empty (nothing typed is no mistake yet) or the text passes.
std::string ui_typing_feedback(std::string_view text, const std::optional<uneplace::Refusal>& refusal);
// A filled button in the primary colour. Disabled buttons draw greyed and return false.
bool ui_primary_button(const char* label, bool enabled = true, ImVec2 size = ImVec2(0, 0));
// A discreet secondary button.
bool ui_secondary_button(const char* label, bool enabled = true, ImVec2 size = ImVec2(0, 0));
// ---- Text that does not fit ---------------------------------------------------------------------
// Every single-line text that may be cut (names, départements, times, titles in rows, previews)
// goes through these: cut with "…" at `max_width`, and the whole text in a tooltip while the mouse
// is over it or while `focused` (the keyboard's focus is on the row or field the text belongs to).
// The text shortened with "…" so that it fits `max_width` in the current font (unchanged if it fits).
std::string ui_fit_text(std::string_view text, float max_width);
// Draws on the window's draw list at `pos` (rows drawn by hand), in `font` (null: the current one).
// Returns true when the text was cut.
bool ui_draw_text_ellipsis(ImVec2 pos, float max_width, std::string_view text, ImU32 color, ImFont* font = nullptr,
                           bool focused = false);
// Laid out as an item at the cursor, recorded in the widget registry under the whole text;
// `max_width` < 0: what is left on the line.
void ui_text_ellipsis(std::string_view text, float max_width = -1.0f, ImU32 color = 0);
// A paragraph wrapped at the available width, never wider than `max_width` (a readable measure).
void ui_paragraph(std::string_view text, float max_width = 720.0f, ImU32 color = 0);
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
