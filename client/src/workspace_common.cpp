// uneplace client — helpers shared by the partner, administrator and impact screens.
//
// Index of this file:
// [SECTION] Reading API answers
// [SECTION] Labels and badges
// [SECTION] Inputs
// [SECTION] Tables and text the tests can find
// [SECTION] CSV and download

#include "workspace_common.hpp"

#include <algorithm>
#include <cstring>

#include "imgui_internal.h"  // ImGui::GetItemID()
#include "imgui_stdlib.h"
#include "platform.hpp"
#include "ui.hpp"
#include "view_logic.hpp"
#include "widget_registry.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

using nlohmann::json;

//-------------------------------------------------------------------------------------------------
// [SECTION] Reading API answers
//-------------------------------------------------------------------------------------------------

const json& ws_items(const json& answer) {
    static const json empty = json::array();
    if (answer.is_array()) return answer;
    if (answer.is_object()) {
        auto it = answer.find("items");
        if (it != answer.end() && it->is_array()) return *it;
    }
    return empty;
}

const json& ws_object(const json& obj, const char* key) {
    static const json empty = json::object();
    if (!obj.is_object()) return empty;
    auto it = obj.find(key);
    return (it != obj.end() && it->is_object()) ? *it : empty;
}

uneplace::UnixSeconds ws_instant(const std::string& rfc3339) {
    if (rfc3339.empty()) return 0;
    const auto t = uneplace::parse_utc_instant(rfc3339);
    return t.ok() ? t.value : 0;
}

std::string ws_text(const json& obj, const char* key) {
    if (!obj.is_object()) return {};
    auto it = obj.find(key);
    if (it == obj.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    return {};
}

uneplace::AccessibilityFlags ws_accessibility(const json& obj, const char* key) {
    if (!obj.is_object()) return 0;
    auto it = obj.find(key);
    if (it == obj.end()) return 0;
    if (it->is_number_unsigned() || it->is_number_integer()) return it->get<unsigned>() & uneplace::AccessibilityFlags_All;
    uneplace::AccessibilityFlags flags = 0;
    if (it->is_object()) {
        for (const auto& k : uneplace::accessibility_keys())
            if (json_bool(*it, std::string(k.code).c_str())) flags |= k.flag;
    } else if (it->is_array()) {
        for (const auto& v : *it)
            if (v.is_string())
                if (auto f = uneplace::accessibility_flag_from_code(v.get<std::string>())) flags |= *f;
    }
    return flags;
}

json ws_accessibility_json(uneplace::AccessibilityFlags flags) {
    json j = json::object();
    for (const auto& k : uneplace::accessibility_keys()) j[std::string(k.code)] = (flags & k.flag) != 0;
    return j;
}

std::string ws_accessibility_text(uneplace::AccessibilityFlags flags) {
    std::string out;
    for (const auto& k : uneplace::accessibility_keys())
        if (flags & k.flag) out += (out.empty() ? "" : ", ") + std::string(k.label_fr);
    return out.empty() ? "non précisée" : out;
}

std::string ws_error_for(const std::vector<uneplace::Refusal>& refusals, std::string_view field) {
    for (const auto& r : refusals)
        if (r.field == field) return std::string(uneplace::message_fr(r.code));
    return {};
}

std::string ws_when(const std::string& rfc3339_utc, const std::string& territory) {
    const uneplace::UnixSeconds t = ws_instant(rfc3339_utc);
    if (t == 0) return "—";
    return uneplace::format_datetime_fr(territory.empty() ? "75" : territory, t);
}

std::string ws_date(const std::string& rfc3339_utc, const std::string& territory) {
    const uneplace::UnixSeconds t = ws_instant(rfc3339_utc);
    if (t == 0) return "—";
    return uneplace::format_date_fr(territory.empty() ? "75" : territory, t);
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Labels and badges
//-------------------------------------------------------------------------------------------------

// "en attente de validation" → "En attente de validation" (UTF-8 aware, from the shared module).
static std::string capitalised(std::string_view label) {
    if (label.empty()) return {};
    const std::string_view first = uneplace::utf8_first(label);
    return uneplace::utf8_upper_first(first) + std::string(label.substr(first.size()));
}

template <class E>
static std::string enum_label(const std::string& code) {
    if (auto v = uneplace::from_code<E>(code)) return capitalised(uneplace::label_fr(*v));
    return code;
}

std::string ws_category_label(const std::string& code) {
    if (auto v = uneplace::from_code<uneplace::Category>(code)) return std::string(uneplace::label_fr(*v));
    return code;
}
std::string ws_pickup_label(const std::string& code) {
    if (auto v = uneplace::from_code<uneplace::PickupMode>(code)) return std::string(uneplace::label_fr(*v));
    return code;
}
std::string ws_offer_status_label(const std::string& code) { return enum_label<uneplace::OfferStatus>(code); }
std::string ws_account_status_label(const std::string& code) { return enum_label<uneplace::AccountStatus>(code); }
std::string ws_session_status_label(const std::string& code) { return enum_label<uneplace::SessionStatus>(code); }
std::string ws_kind_label(const std::string& code) { return enum_label<uneplace::OrgKind>(code); }
std::string ws_role_label(const std::string& code) { return enum_label<uneplace::Role>(code); }
std::string ws_booking_status_label(const std::string& code) {
    if (uneplace::from_code<uneplace::BookingStatus>(code)) return enum_label<uneplace::BookingStatus>(code);
    return enum_label<uneplace::RequestStatus>(code);
}

ImU32 ws_status_color(const std::string& code) {
    if (code == "active" || code == "published" || code == "attended" || code == "confirmed" || code == "scheduled")
        return ui_color::success;
    if (code == "pending" || code == "draft" || code == "waitlisted" || code == "ballot_entered")
        return IM_COL32(176, 110, 0, 255);
    if (code == "rejected" || code == "suspended" || code == "cancelled" || code == "late_cancelled" || code == "no_show")
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
    return code + " " + std::string(uneplace::departement_name(code));
}

bool ws_territory_combo(const char* caption, std::string* code, const char* all_label, float width,
                        const char* national_label) {
    static std::string filter;  // one open combo at a time
    bool changed = false;
    if (caption && *caption) ImGui::TextUnformatted(caption);
    ImGui::SetNextItemWidth(width);
    const std::string id = std::string("##") + caption;
    if (ui_begin_combo(id.c_str(), territory_text(*code, all_label, national_label).c_str(), ImGuiComboFlags_HeightLarge)) {
        if (ImGui::IsWindowAppearing()) {
            filter.clear();
            ImGui::SetKeyboardFocusHere();
        }
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##Filtrer les départements", "Filtrer : 93, Seine…", &filter);
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
        for (const auto& d : uneplace::all_departements()) entry(std::string(d.code), std::string(d.code) + " " + std::string(d.name_fr));
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
    if (ImGui::Button("-", ImVec2(button, button))) { *value -= step; changed = true; }
    ImGui::SameLine(0, spacing);
    if (ImGui::Button("+", ImVec2(button, button))) { *value += step; changed = true; }
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
        const float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label.c_str()).x;
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
    return open;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Tables and text the tests can find
//-------------------------------------------------------------------------------------------------

bool ws_row_selectable(const char* label, bool selected, ImGuiSelectableFlags flags) {
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
    const bool pressed = ImGui::Selectable(label, selected, flags | ImGuiSelectableFlags_AllowItemOverlap, ImVec2(0, ImGui::GetFrameHeight()));
    ImGui::PopStyleVar();
    return pressed;
}

void ws_text_item(std::string_view text) {
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
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(pos.x + pad, pos.y + pad + big_size + 2), ui_color::muted, caption,
                nullptr, width - 2 * pad);
    dl->PopClipRect();
    ImGui::Dummy(ImVec2(width, height));
    registry_add_text(std::string(caption) + " : " + value, pos, ImVec2(pos.x + width, pos.y + height));
}

//-------------------------------------------------------------------------------------------------
// [SECTION] CSV and download
//-------------------------------------------------------------------------------------------------

std::string csv_field(std::string_view value) {
    std::string v(value);
    // A cell a spreadsheet would read as a formula is written as text.
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v.insert(v.begin(), '\'');
    const bool quote = v.find_first_of(";\"\r\n,") != std::string::npos;
    if (!quote) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ';';
        out += csv_field(fields[i]);
    }
    out += "\r\n";
    return out;
}

std::string csv_line(std::initializer_list<std::string> fields) { return csv_line(std::vector<std::string>(fields)); }

// The platform's file download (a Blob and an <a download> in platform_web.cpp). Until the platform
// layer defines it, this weak fallback answers false and ws_download() uses the clipboard; the
// platform's strong definition replaces it at link time, with no change here.
__attribute__((weak)) bool platform_download_file(std::string_view filename, std::string_view mime,
                                                  std::string_view content);
__attribute__((weak)) bool platform_download_file(std::string_view, std::string_view, std::string_view) { return false; }

bool ws_download(const std::string& filename, const std::string& mime, const std::string& content) {
    // A byte order mark so spreadsheets read the accents as UTF-8.
    const std::string bom = mime.rfind("text/csv", 0) == 0 ? "\xEF\xBB\xBF" : "";
    if (platform_download_file(filename, mime, bom + content)) return true;
    platform_clipboard_write(content);
    return false;
}
