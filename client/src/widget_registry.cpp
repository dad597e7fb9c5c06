// uneplace client — widget registry (Dear ImGui test-engine hooks).
//
// Index of this file:
// [SECTION] Frame storage
// [SECTION] Dear ImGui test-engine hooks
// [SECTION] JSON export

#include "widget_registry.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <utility>
#include <vector>

#include "imgui_internal.h"
#include "uneplace/validation.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] Frame storage
//-------------------------------------------------------------------------------------------------

namespace {

struct RegistryItem {
    ImGuiID id = 0;
    std::string label;   // visible part of the label ("Se connecter" for "Se connecter##login")
    std::string window;  // name of the window the item belongs to
    ImRect rect;
    int flags = 0;  // ImGuiItemStatusFlags_ of the item in this frame
    bool has_value = false;
    std::string value;
    bool text_field = false;  // a text input (ImGuiItemFlags_Inputable): a tap on it must raise the keyboard
    bool cut_x = false;       // wider than its window's visible part: drawn across an edge
    RegistryRole role = RegistryRole::Auto;
    ImGuiWindow* window_ptr = nullptr;  // to give it the keyboard focus (windows outlive frames)
    ImGuiWindow* root = nullptr;        // its root window, to know whether a popup covers it
};

ImGuiID g_focus_request = 0;             // asked by the accessibility mirror, given on the next frame
ImGuiID g_focused = 0;                   // the item with the keyboard focus (its ring shown) in the published frame
ImGuiWindow* g_focus_lost_in = nullptr;  // the keyboard's item vanished from this window (a button that did its job)

std::vector<RegistryItem> g_building;   // items of the frame being drawn
std::vector<RegistryItem> g_published;  // items of the last complete frame

RegistryItem* find_building(ImGuiID id) {
    // Items are added then described in order, so the match is almost always the last one.
    for (auto it = g_building.rbegin(); it != g_building.rend(); ++it)
        if (it->id == id) return &*it;
    return nullptr;
}

// "Se connecter##login" → "Se connecter". A label with no visible part ("##Adresse e-mail", a field
// whose caption is drawn above it) is named by its hidden part, as aria-label names an input.
std::string visible_label(const char* label) {
    std::string_view s(label);
    const auto hidden = s.find("##");
    if (hidden == std::string_view::npos) return std::string(s);
    if (hidden > 0) return std::string(s.substr(0, hidden));
    std::string_view rest = s.substr(2);
    if (!rest.empty() && rest.front() == '#') rest.remove_prefix(1);  // "###id" form
    return std::string(rest);
}

// Child windows are named "Parent/Label_0123ABCD": report the child's own label ("Séances").
std::string window_label(const char* name) {
    std::string_view s(name);
    if (const auto slash = s.rfind('/'); slash != std::string_view::npos) {
        s = s.substr(slash + 1);
        if (const auto underscore = s.rfind('_'); underscore != std::string_view::npos && s.size() - underscore == 9)
            s = s.substr(0, underscore);
    }
    return visible_label(std::string(s).c_str());
}

}  // namespace

void registry_new_frame() {
    g_building.clear();
    GImGui->TestEngineHookItems = true;
    // Dear ImGui 1.86 leaves the focus on an item no longer drawn, from where the arrows find
    // nothing: the keyboard's focus goes to the first control of the same window instead.
    if (ImGuiWindow* w = std::exchange(g_focus_lost_in, nullptr); w && w->WasActive) ImGui::NavInitWindow(w, true);
    if (const ImGuiID id = std::exchange(g_focus_request, 0)) {
        for (const RegistryItem& item : g_published)
            if (item.id == id && item.window_ptr) {
                ImGuiContext& g = *GImGui;
                ImGui::FocusWindow(item.window_ptr);
                ImGui::SetFocusID(id, item.window_ptr);
                g.NavDisableHighlight = false;  // the focus ring shows where the focus went
                g.NavDisableMouseHover = true;
                break;
            }
    }
}

void registry_end_frame() {
    const ImGuiContext& g = *GImGui;
    // Focus shown by a ring, or a text field being edited (tabbing into a field shows no ring).
    g_focused = (!g.NavDisableHighlight || g.ActiveId == g.NavId) ? g.NavId : 0;
    if (!g.NavDisableHighlight && g.NavId && g.NavWindow && !g.NavWindow->Hidden &&
        std::none_of(g_building.begin(), g_building.end(), [&](const RegistryItem& it) { return it.id == g.NavId; }))
        g_focus_lost_in = g.NavWindow;
    g_published.clear();
    // Only items that were described (ItemInfo) were drawn; clipped ones only got ItemAdd.
    for (auto& item : g_building)
        if (!item.label.empty() || item.has_value) g_published.push_back(std::move(item));
    g_building.clear();
}

void registry_request_focus(ImGuiID id) { g_focus_request = id; }

void registry_set_value(ImGuiID id, std::string_view value) {
    if (RegistryItem* item = find_building(id)) {
        item->has_value = true;
        item->value.assign(value);
    }
}

void registry_add_text(std::string_view text, ImVec2 min, ImVec2 max, RegistryRole role) {
    RegistryItem item;
    item.id = ImHashStr(text.data(), text.size());
    item.label.assign(text);
    item.role = role;
    item.rect = ImRect(min, max);
    ImGuiContext& g = *GImGui;
    if (ImGuiWindow* w = g.CurrentWindow) {
        // As for widgets: clipped to what can be seen, so a text scrolled out of its list has an empty
        // rectangle (kept: a screen reader reads the whole page) instead of one outside the window.
        item.cut_x = item.rect.Min.x < w->ClipRect.Min.x - 1.0f || item.rect.Max.x > w->ClipRect.Max.x + 1.0f;
        item.rect.ClipWith(w->ClipRect);
        item.window = window_label(w->Name);
        item.window_ptr = w;
        item.root = w->RootWindow;
    }
    g_building.push_back(std::move(item));
}

void registry_set_role(ImGuiID id, RegistryRole role, std::string_view value) {
    if (RegistryItem* item = find_building(id)) {
        item->role = role;
        if (!value.empty() && !item->has_value) {
            item->has_value = true;
            item->value.assign(value);
        }
    }
}

void registry_set_label(ImGuiID id, std::string_view label) {
    if (RegistryItem* item = find_building(id)) item->label = visible_label(std::string(label).c_str());
}

void registry_add_text_item(std::string_view text) {
    registry_add_text(text, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Dear ImGui test-engine hooks
//-------------------------------------------------------------------------------------------------

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, const ImRect& bb, ImGuiID id) {
    // A window on its first frame (popups, combos) is laid out hidden, then moved: its items are
    // not where a click would find them yet.
    if (ctx->CurrentWindow && ctx->CurrentWindow->Hidden) return;
    RegistryItem item;
    item.id = id;
    item.rect = bb;
    if (ctx->CurrentWindow) item.window = window_label(ctx->CurrentWindow->Name);
    // Clip to the window so a half-scrolled row reports only what can be clicked; an item wider
    // than what its window shows is cut sideways (scrolled rows are cut only vertically).
    if (ImGuiWindow* w = ctx->CurrentWindow) {
        item.cut_x = bb.Min.x < w->ClipRect.Min.x - 1.0f || bb.Max.x > w->ClipRect.Max.x + 1.0f;
        item.rect.ClipWith(w->ClipRect);
        item.window_ptr = w;
    }
    item.text_field = (ctx->LastItemData.InFlags & ImGuiItemFlags_Inputable) != 0;
    item.root = ctx->CurrentWindow ? ctx->CurrentWindow->RootWindow : nullptr;
    g_building.push_back(std::move(item));
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
    if (RegistryItem* item = find_building(id)) {
        item->label = label ? visible_label(label) : std::string();
        item->flags = flags;
    }
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const std::string* registry_text_field_at(ImVec2 pos) {
    // The window a click there reaches: the front-most one under it (g.Windows is back to front),
    // so a field under an open combo's list does not take the tap.
    ImGuiContext& g = *GImGui;
    ImGuiWindow* front = nullptr;
    for (int i = g.Windows.Size - 1; i >= 0 && !front; --i) {
        ImGuiWindow* w = g.Windows[i];
        if (w->Active && !w->Hidden && !(w->Flags & ImGuiWindowFlags_NoMouseInputs) &&
            w->OuterRectClipped.Contains(pos))
            front = w->RootWindow;
    }
    for (const RegistryItem& item : g_published)
        if (item.text_field && item.root == front && item.rect.Contains(pos)) return &item.label;
    return nullptr;
}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID id) {
    for (const auto& item : g_published)
        if (item.id == id) return item.label.c_str();
    return nullptr;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] JSON export
//-------------------------------------------------------------------------------------------------

namespace {
// The ARIA role of an item: what its widget said, else what Dear ImGui's hooks tell.
const char* role_name(const RegistryItem& it) {
    switch (it.role) {
        case RegistryRole::Link: return "link";
        case RegistryRole::Row: return "row";
        case RegistryRole::Tab: return "tab";
        case RegistryRole::Combo: return "combobox";
        case RegistryRole::Text: return "text";
        case RegistryRole::Heading: return "heading";
        case RegistryRole::Alert: return "alert";
        case RegistryRole::Status: return "status";
        case RegistryRole::Image: return "img";
        case RegistryRole::Auto: break;
    }
    if (it.text_field) return "textbox";
    if (it.flags & ImGuiItemStatusFlags_Checkable) return "checkbox";
    return "button";
}
}  // namespace

std::string registry_items_json() {
    std::string out = "[";
    char num[160];
    for (size_t i = 0; i < g_published.size(); ++i) {
        const RegistryItem& it = g_published[i];
        if (i) out += ',';
        std::snprintf(num, sizeof num,
                      "{\"id\":%u,\"x\":%.1f,\"y\":%.1f,\"w\":%.1f,\"h\":%.1f,\"flags\":%d,\"label\":", it.id,
                      it.rect.Min.x, it.rect.Min.y, it.rect.GetWidth(), it.rect.GetHeight(), it.flags);
        out += num;
        uneplace::append_json_string(out, it.label);
        out += ",\"window\":";
        uneplace::append_json_string(out, it.window);
        out += ",\"role\":\"";
        out += role_name(it);
        out += '"';
        if (it.text_field) out += ",\"textField\":true";
        if (it.flags & ImGuiItemStatusFlags_Checkable)
            out += (it.flags & ImGuiItemStatusFlags_Checked) ? ",\"checked\":true" : ",\"checked\":false";
        if (it.cut_x) out += ",\"cutX\":true";
        if (g_focused && it.id == g_focused && it.role != RegistryRole::Text) out += ",\"focused\":true";
        if (it.has_value) {
            out += ",\"value\":";
            uneplace::append_json_string(out, it.value);
        }
        out += '}';
    }
    out += ']';
    return out;
}
