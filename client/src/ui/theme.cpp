// uneplace client — look and shared widgets.
//
// Index of this file:
// [SECTION] Fonts
// [SECTION] Theme
// [SECTION] Widgets

#include "ui/theme.hpp"

#include <algorithm>
#include <cmath>

#include "font_ranges.hpp"
#include "imgui_internal.h"
#include "imgui_stdlib.h"
#include "widget_registry.hpp"

UiFonts g_fonts;
static int g_card_depth = 0;  // inside ui_begin_card(): widths follow the card, not the window

// Width for full-width widgets: the card's content width inside a card, else what is left.
static float full_width() { return g_card_depth > 0 ? ImGui::CalcItemWidth() : ImGui::GetContentRegionAvail().x; }

//-------------------------------------------------------------------------------------------------
// [SECTION] Fonts
//-------------------------------------------------------------------------------------------------

// kUiGlyphRanges (generated from client/CMakeLists.txt, where the fonts are cut to the same list):
// what French text holds, from "XVIIIᵉ siècle" and "2ᵉ étage" to "№", "½", "ﬁ", Vietnamese and
// Wolof letters. Booking codes need only ASCII: the large code font stays small on HiDPI screens.
// It also draws the dashboard's big figures, whose thousands and "%" are set off by no-break
// spaces (U+00A0: "1 194", "2,3 %"), drawn "?" without it.
static const ImWchar kCodeGlyphRanges[] = {0x0020, 0x007E, 0x00A0, 0x00A0, 0x2013, 0x2014, 0};

bool ui_fonts_update(float dpr) {
    if (dpr <= 0) dpr = 1;
    if (g_fonts.rasterised_dpr == dpr) return false;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig config;
    // Horizontal oversampling sharpens small text on a 1× screen; at 2× and more the pixels are
    // already small enough, and it would double the atlas (4 MB of RGBA more on a phone).
    config.OversampleH = dpr < 1.5f ? 2 : 1;
    config.OversampleV = 1;
    config.PixelSnapH = false;
    // Rasterise at CSS size × devicePixelRatio, then scale back: one texel per screen pixel.
    // DejaVu Sans is merged behind Inter for the characters Inter lacks (its file holds only those).
    auto load = [&](const char* path, const char* fallback, float css_px, const ImWchar* ranges) {
        ImFont* f = io.Fonts->AddFontFromFileTTF(path, css_px * dpr, &config, ranges);
        IM_ASSERT(f && "embedded font missing");
        ImFontConfig merge = config;
        merge.MergeMode = true;
        io.Fonts->AddFontFromFileTTF(fallback, css_px * dpr, &merge, ranges);
        return f;
    };
    g_fonts.body = load("/fonts/ui-regular.otf", "/fonts/ui-fallback.ttf", 17.0f, kUiGlyphRanges);
    g_fonts.bold = load("/fonts/ui-bold.otf", "/fonts/ui-fallback-bold.ttf", 17.0f, kUiGlyphRanges);
    g_fonts.title = load("/fonts/ui-bold.otf", "/fonts/ui-fallback-bold.ttf", 28.0f, kUiGlyphRanges);
    g_fonts.code = load("/fonts/ui-bold.otf", "/fonts/ui-fallback-bold.ttf", 44.0f, kCodeGlyphRanges);
    io.FontDefault = g_fonts.body;
    io.FontGlobalScale = 1.0f / dpr;
    io.Fonts->Build();
    g_fonts.rasterised_dpr = dpr;
    return true;
}

std::vector<unsigned> ui_fonts_missing(std::string_view utf8) {
    std::vector<unsigned> missing;
    const char* s = utf8.data();
    const char* end = s + utf8.size();
    while (s < end) {
        unsigned c = 0;
        const int n = ImTextCharFromUtf8(&c, s, end);
        s += n > 0 ? n : 1;
        if (c < 0x20 || c == 0x7F) continue;  // control characters are not drawn
        const bool drawn = (c > IM_UNICODE_CODEPOINT_MAX) ? false
                                                          : g_fonts.body->FindGlyphNoFallback((ImWchar)c) &&
                                                                g_fonts.bold->FindGlyphNoFallback((ImWchar)c) &&
                                                                g_fonts.title->FindGlyphNoFallback((ImWchar)c);
        if (!drawn && std::find(missing.begin(), missing.end(), c) == missing.end()) missing.push_back(c);
    }
    return missing;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Theme
//-------------------------------------------------------------------------------------------------

static ImVec4 to_vec4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

void ui_apply_theme() {
    ImGuiStyle& style = ImGui::GetStyle();
    ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0;
    style.ChildRounding = 10;
    style.FrameRounding = 8;
    style.PopupRounding = 8;
    style.GrabRounding = 8;
    style.ScrollbarRounding = 8;
    style.TabRounding = 8;
    style.WindowBorderSize = 0;
    style.ChildBorderSize = 1;
    style.FrameBorderSize = 1;
    style.WindowPadding = ImVec2(24, 20);
    style.FramePadding = ImVec2(12, 9);
    style.ItemSpacing = ImVec2(12, 10);
    style.ItemInnerSpacing = ImVec2(8, 6);
    style.ScrollbarSize = 14;
    style.CellPadding = ImVec2(10, 8);

    ImVec4* c = style.Colors;
    c[ImGuiCol_Text] = to_vec4(ui_color::text);
    c[ImGuiCol_TextDisabled] = to_vec4(ui_color::muted);
    c[ImGuiCol_WindowBg] = to_vec4(ui_color::background);
    c[ImGuiCol_ChildBg] = to_vec4(ui_color::surface);
    c[ImGuiCol_PopupBg] = to_vec4(ui_color::surface);
    c[ImGuiCol_Border] = ImVec4(0.80f, 0.79f, 0.77f, 1.0f);
    c[ImGuiCol_FrameBg] = to_vec4(ui_color::surface);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.98f, 0.95f, 0.95f, 1.0f);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.99f, 0.93f, 0.94f, 1.0f);
    c[ImGuiCol_Button] = ImVec4(0.93f, 0.92f, 0.90f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.89f, 0.87f, 0.85f, 1.0f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.84f, 0.82f, 0.80f, 1.0f);
    c[ImGuiCol_Header] = ImVec4(0.98f, 0.92f, 0.93f, 1.0f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.97f, 0.88f, 0.90f, 1.0f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.95f, 0.82f, 0.85f, 1.0f);
    c[ImGuiCol_CheckMark] = to_vec4(ui_color::primary);
    c[ImGuiCol_SliderGrab] = to_vec4(ui_color::primary);
    c[ImGuiCol_NavHighlight] = to_vec4(ui_color::primary);
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.95f, 0.94f, 0.92f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(0.985f, 0.98f, 0.975f, 1.0f);
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Page width
//-------------------------------------------------------------------------------------------------

UiWidth ui_width() {
    const float w = ImGui::GetIO().DisplaySize.x;
    return w < 640.0f ? UiWidth::Phone : w < 1100.0f ? UiWidth::Compact : UiWidth::Wide;
}

static int g_width_style_vars = 0;

void ui_push_width_style() {
    g_width_style_vars = 0;
    if (ui_width() != UiWidth::Phone) return;
    // A 17 px font in a frame of 44 px: buttons, fields, combos and checkboxes a finger can hit.
    const float pad_y = std::ceil((kUiTouchTarget - ImGui::GetFontSize()) * 0.5f);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(12, pad_y));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(10, 10));
    g_width_style_vars = 2;
}

void ui_pop_width_style() { ImGui::PopStyleVar(g_width_style_vars); }

void ui_next_on_line(float width) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <= right) ImGui::SameLine();
}

float ui_button_width(const char* label) {
    ImGui::PushFont(g_fonts.bold);
    const float w = ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
    ImGui::PopFont();
    return w;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Text that does not fit
//-------------------------------------------------------------------------------------------------

static constexpr const char* kEllipsis = "…";

std::string ui_fit_text(std::string_view text, float max_width) {
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (ImGui::CalcTextSize(begin, end).x <= max_width) return std::string(text);
    const float room = std::max(0.0f, max_width - ImGui::CalcTextSize(kEllipsis).x);
    // The longest prefix that fits, cut on a character boundary (CalcWordWrapPositionA would cut
    // between words, but a name or a time must keep as much as fits).
    ImFont* font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    float width = 0;
    const char* s = begin;
    while (s < end) {
        unsigned c = 0;
        const int n = ImTextCharFromUtf8(&c, s, end);
        const float w = font->GetCharAdvance((ImWchar)c) * scale;
        if (width + w > room) break;
        width += w;
        s += n > 0 ? n : 1;
    }
    std::string out(begin, s);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + kEllipsis;
}

static void whole_text_tooltip(std::string_view text) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

bool ui_draw_text_ellipsis(ImVec2 pos, float max_width, std::string_view text, ImU32 color, ImFont* font,
                           bool focused) {
    if (font) ImGui::PushFont(font);
    const std::string fitted = ui_fit_text(text, max_width);
    ImGui::GetWindowDrawList()->AddText(pos, color, fitted.c_str());
    const bool cut = fitted.size() != text.size();
    if (cut) {
        const ImVec2 size(max_width, ImGui::GetTextLineHeight());
        const bool hovered = ImGui::IsMouseHoveringRect(pos, ImVec2(pos.x + size.x, pos.y + size.y)) &&
                             ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem);
        if (font) ImGui::PopFont();
        if (hovered || focused) whole_text_tooltip(text);
        return true;
    }
    if (font) ImGui::PopFont();
    return false;
}

void ui_text_ellipsis(std::string_view text, float max_width, ImU32 color) {
    if (max_width < 0) max_width = ImGui::GetContentRegionAvail().x;
    if (max_width < ImGui::GetFontSize()) max_width = FLT_MAX;  // no room at all: the line was laid out so
    const std::string fitted = ui_fit_text(text, max_width);
    if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextUnformatted(fitted.c_str());
    if (color) ImGui::PopStyleColor();
    registry_add_text_item(text);
    if (fitted.size() != text.size() && ImGui::IsItemHovered()) whole_text_tooltip(text);
}

void ui_paragraph(std::string_view text, float max_width, ImU32 color) {
    const float width = std::min(max_width, ImGui::GetContentRegionAvail().x);
    if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    if (color) ImGui::PopStyleColor();
    registry_add_text_item(text);
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Widgets
//-------------------------------------------------------------------------------------------------

bool ui_text_field(const char* caption, std::string* value, int flags, const char* hint, float width) {
    ImGui::PushID(caption);
    ImGui::BeginGroup();  // caption and field form one item, so SameLine() places the next beside both
    ImGui::TextUnformatted(caption);
    ImGui::SetNextItemWidth(width > 0 ? width : full_width());
    // "##caption": nothing drawn beside the field, and the registry names it by its caption.
    std::string id = std::string("##") + caption;
    ImGuiInputTextFlags f = ImGuiInputTextFlags_None;
    if (flags & UiField_Password) f |= ImGuiInputTextFlags_Password;
    if (flags & UiField_EnterSubmits) f |= ImGuiInputTextFlags_EnterReturnsTrue;
    bool changed = hint ? ImGui::InputTextWithHint(id.c_str(), hint, value, f) : ImGui::InputText(id.c_str(), value, f);
    if (!(flags & UiField_Password)) registry_set_value(ImGui::GetItemID(), *value);
    ImGui::EndGroup();
    ImGui::PopID();
    return changed;
}

bool ui_multiline_field(const char* id, std::string* value, ImVec2 size) {
    const bool changed = ImGui::InputTextMultiline(id, value, size);
    registry_set_value(ImGui::GetItemID(), *value);
    const float field_w = ImGui::GetItemRectSize().x;
    const float room = field_w - 2 * ImGui::GetStyle().FramePadding.x;
    bool too_wide = false;
    for (size_t start = 0; start < value->size() && !too_wide;) {
        size_t end = value->find('\n', start);
        if (end == std::string::npos) end = value->size();
        too_wide = ImGui::CalcTextSize(value->data() + start, value->data() + end).x > room;
        start = end + 1;
    }
    if (too_wide) {
        ImGui::TextDisabled("Aperçu :");
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + field_w);
        ImGui::TextUnformatted(value->c_str());
        ImGui::PopTextWrapPos();
    }
    return changed;
}

std::string ui_typing_feedback(std::string_view text, const std::optional<uneplace::Refusal>& refusal) {
    return refusal && !text.empty() ? std::string(uneplace::message_fr(refusal->code)) : std::string();
}

void ui_field_error(std::string_view message) {
    if (message.empty()) return;
    ui_text_colored(ui_color::danger, message);
    registry_add_text(message, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), RegistryRole::Alert);
}

static bool colored_button(const char* label, bool enabled, ImVec2 size, ImU32 bg, ImU32 fg) {
    if (size.x < 0) size.x = full_width();
    ImVec4 base = ImGui::ColorConvertU32ToFloat4(bg);
    ImVec4 hover(base.x * 0.9f, base.y * 0.9f, base.z * 0.9f, 1.0f);
    ImVec4 active(base.x * 0.8f, base.y * 0.8f, base.z * 0.8f, 1.0f);
    ImGui::PushStyleColor(ImGuiCol_Button, base);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, hover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, active);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(fg));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
    if (!enabled) ImGui::BeginDisabled();
    ImGui::PushFont(g_fonts.bold);
    bool pressed = ImGui::Button(label, size);
    ImGui::PopFont();
    if (!enabled) ImGui::EndDisabled();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(4);
    return pressed && enabled;
}

bool ui_primary_button(const char* label, bool enabled, ImVec2 size) {
    return colored_button(label, enabled, size, ui_color::primary, IM_COL32_WHITE);
}

bool ui_secondary_button(const char* label, bool enabled, ImVec2 size) {
    return colored_button(label, enabled, size, IM_COL32(236, 234, 230, 255), ui_color::text);
}

void ui_banner(std::string_view text, ImU32 color) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float width = full_width();
    const float pad = 12.0f;
    const ImVec2 text_size = ImGui::CalcTextSize(text.data(), text.data() + text.size(), false, width - 2 * pad - 6);
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
    dl->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + text_size.y + 2 * pad),
                      ImGui::ColorConvertFloat4ToU32(ImVec4(c.x, c.y, c.z, 0.10f)), 8.0f);
    dl->AddRectFilled(pos, ImVec2(pos.x + 5, pos.y + text_size.y + 2 * pad), color, 8.0f, ImDrawFlags_RoundCornersLeft);
    // PushTextWrapPos takes window-local x: convert from the screen position.
    const float local_x = ImGui::GetCursorPosX();
    ImGui::SetCursorScreenPos(ImVec2(pos.x + pad + 6, pos.y + pad));
    ImGui::PushTextWrapPos(local_x + width - pad);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    // Errors are announced at once by screen readers, confirmations when they are done speaking.
    registry_add_text(text, pos, ImVec2(pos.x + width, pos.y + text_size.y + 2 * pad),
                      color == ui_color::danger ? RegistryRole::Alert : RegistryRole::Status);
    ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y + text_size.y + 2 * pad));
    ImGui::Dummy(ImVec2(width, ImGui::GetStyle().ItemSpacing.y * 0.5f));
}

void ui_text_colored(ImU32 color, std::string_view text) {
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    // Keep a wrap position the caller set (a half-width column); else wrap at the card or window edge.
    const float current_wrap = GImGui->CurrentWindow->DC.TextWrapPos;
    ImGui::PushTextWrapPos(current_wrap >= 0.0f ? current_wrap
                           : g_card_depth > 0   ? ImGui::GetCursorPosX() + ImGui::CalcItemWidth()
                                                : 0.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

void ui_spinner(float radius) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 center(pos.x + radius, pos.y + radius);
    const float t = (float)ImGui::GetTime() * 6.0f;
    dl->PathArcTo(center, radius - 2.0f, t, t + 4.2f, 24);
    dl->PathStroke(ui_color::primary, 0, 3.0f);
    ImGui::Dummy(ImVec2(radius * 2, radius * 2));
}

// Cards draw their background after their content, on a lower draw-list channel, so the rectangle
// fits the content exactly without a frame of delay (child windows cannot auto-fit their height).
static constexpr float kCardPadding = 28.0f;
static float g_card_width = 0;

void ui_begin_card(float width) {
    g_card_width = width;
    ++g_card_depth;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + kCardPadding, ImGui::GetCursorPosY() + kCardPadding));
    ImGui::BeginGroup();
    ImGui::PushItemWidth(width);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
}

void ui_end_card() {
    ImGui::PopTextWrapPos();
    ImGui::PopItemWidth();
    ImGui::Dummy(ImVec2(g_card_width, 0));
    ImGui::EndGroup();
    --g_card_depth;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 min(ImGui::GetItemRectMin().x - kCardPadding, ImGui::GetItemRectMin().y - kCardPadding);
    const ImVec2 max(ImGui::GetItemRectMax().x + kCardPadding, ImGui::GetItemRectMax().y + kCardPadding);
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(ImVec2(min.x, min.y + 2), ImVec2(max.x, max.y + 3), IM_COL32(0, 0, 0, 14), 12.0f);  // soft shadow
    dl->AddRectFilled(min, max, ui_color::surface, 12.0f);
    dl->AddRect(min, max, IM_COL32(222, 219, 214, 255), 12.0f);
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(min.x, max.y));
    ImGui::Dummy(ImVec2(0, ImGui::GetStyle().ItemSpacing.y));
}

// The room for a combo's preview: its width less the arrow button and the frame's padding.
static float combo_preview_width() {
    return ImGui::CalcItemWidth() - ImGui::GetFrameHeight() - 2 * ImGui::GetStyle().FramePadding.x;
}

bool ui_begin_combo(const char* label, const char* preview, ImGuiComboFlags flags) {
    const ImGuiID id = ImGui::GetID(label);  // before BeginCombo: an open popup changes the ID stack
    const std::string fitted = ui_fit_text(preview, combo_preview_width());
    const bool open = ImGui::BeginCombo(label, fitted.c_str(), flags);
    registry_set_label(id, label);
    registry_set_role(id, RegistryRole::Combo, preview);
    if (fitted != preview && !open && (ImGui::IsItemHovered() || ImGui::IsItemFocused())) whole_text_tooltip(preview);
    return open;
}

bool ui_combo(const char* label, int* current, const char* const items[], int count) {
    const ImGuiID id = ImGui::GetID(label);
    const bool changed = ImGui::Combo(label, current, items, count);
    registry_set_label(id, label);
    registry_set_role(id, RegistryRole::Combo, (*current >= 0 && *current < count) ? items[*current] : "");
    return changed;
}

void screen_title(const char* title, const char* subtitle) {
    ImGui::PushFont(g_fonts.title);
    ImGui::PushTextWrapPos(0.0f);  // a long session title wraps rather than leaving the screen
    ImGui::TextUnformatted(title);
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    registry_add_text(title, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), RegistryRole::Heading);
    if (subtitle) ui_text_colored(ui_color::muted, subtitle);
    ImGui::Spacing();
}

void ui_notice(std::string& text, double& shown_at) {
    if (text.empty()) return;
    // Long enough to read twice; a person who acts meanwhile sees the result of the act instead.
    constexpr double kSeconds = 8.0;
    const double now = ImGui::GetTime();
    if (shown_at <= 0) shown_at = now;
    if (now - shown_at > kSeconds) {
        text.clear();
        shown_at = 0;
        return;
    }
    ui_banner(text, ui_color::success);
}
