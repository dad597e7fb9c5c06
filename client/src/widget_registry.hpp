// uneplace client — the widget registry, built on Dear ImGui's test-engine hooks.
// Each frame it records every visible item's id, label, window, rectangle and state. Browser tests
// find widgets by label through window.uneplace.items(); the same list can feed an accessibility
// mirror (hidden DOM nodes with ARIA roles), as Flutter does over its canvas.
#pragma once
#include <string>
#include <string_view>

#include "imgui.h"

// Call right after ImGui::NewFrame(): the items of the previous frame become the published list.
void registry_new_frame();
// Records the current text of a field (by item id), so tests can read what the app holds.
void registry_set_value(ImGuiID id, std::string_view value);
// Records a drawn message (error banner, status line) as an item without an ImGui id, so tests and
// the accessibility mirror can read what the user is told.
void registry_add_text(std::string_view text, ImVec2 min, ImVec2 max);
// Names an item that Dear ImGui 1.86 adds without describing it (BeginCombo calls no ItemInfo hook).
void registry_set_label(ImGuiID id, std::string_view label);
// Records the last drawn item (ImGui::Text…) under `text`, with its rectangle.
void registry_add_text_item(std::string_view text);
// The label of the text field drawn at `pos` (CSS pixels) in the last complete frame, or null.
// The page asks it within a tap, to focus a real <input> in the same gesture (on-screen keyboard).
const std::string* registry_text_field_at(ImVec2 pos);
// The last complete frame's items as a JSON array:
// [{id, label, window, x, y, w, h, flags, textField?, value?}] — rectangle in ImGui display units (CSS pixels,
// since DisplaySize is the page's CSS size), label without its "##" part (or the hidden part when
// nothing is visible: "##Adresse e-mail" is found as "Adresse e-mail").
std::string registry_items_json();
