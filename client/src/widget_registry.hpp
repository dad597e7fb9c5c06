// uneplace client — the widget registry, built on Dear ImGui's test-engine hooks.
// Each frame it records every visible item's id, label, window, rectangle and state. Browser tests
// find widgets by label through window.uneplace.items(); the same list can feed an accessibility
// mirror (hidden DOM nodes with ARIA roles), as Flutter does over its canvas.
#pragma once
#include <string>
#include <string_view>

#include "imgui.h"

// What an item is, for the accessibility mirror's ARIA roles. Most are known from Dear ImGui's
// hooks (text fields, checkboxes, other items are buttons); the rest are named by the widget that
// draws them (registry_set_role, registry_add_text).
enum class RegistryRole { Auto, Link, Row, Tab, Combo, Text, Heading, Alert, Status, Image };

// Call right after ImGui::NewFrame(): starts the frame's list (and gives the keyboard focus to the
// item the page asked for, registry_request_focus).
void registry_new_frame();
// Call once the app has drawn the frame: its items become the published list.
void registry_end_frame();
// Records the current text of a field (by item id), so tests can read what the app holds.
void registry_set_value(ImGuiID id, std::string_view value);
// Records a drawn message (error banner, status line) as an item without an ImGui id, so tests and
// the accessibility mirror can read what the user is told.
// The rectangle is clipped to the window's visible part; a text scrolled out of view is not recorded.
void registry_add_text(std::string_view text, ImVec2 min, ImVec2 max, RegistryRole role = RegistryRole::Text);
// Names an item that Dear ImGui 1.86 adds without describing it (BeginCombo calls no ItemInfo hook).
void registry_set_label(ImGuiID id, std::string_view label);
// Says what an item is (a navigation link, a list row, a combo box with the value it shows).
void registry_set_role(ImGuiID id, RegistryRole role, std::string_view value = {});
// Records the last drawn item (ImGui::Text…) under `text`, with its rectangle.
void registry_add_text_item(std::string_view text);
// The label of the text field drawn at `pos` (CSS pixels) in the last complete frame, or null.
// The page asks it within a tap, to focus a real <input> in the same gesture (on-screen keyboard).
const std::string* registry_text_field_at(ImVec2 pos);
// The page's accessibility mirror asks for Dear ImGui's keyboard focus on an item of the last
// frame (a screen reader moved to it): given on the next frame, with the focus ring shown.
void registry_request_focus(ImGuiID id);
// The last complete frame's items as a JSON array:
// [{id, label, window, x, y, w, h, flags, role, textField?, checked?, cutX?, focused?, value?}] — role is
// "button", "link", "row", "tab", "combobox", "textbox", "checkbox", "text", "heading", "alert",
// "status" or "img" (a poster, its label the alt text); cutX says the item runs past its window's visible part sideways (drawn across an edge);
// focused marks the item with the keyboard focus while its ring shows; rectangle in ImGui display
// units (CSS pixels,
// since DisplaySize is the page's CSS size), label without its "##" part (or the hidden part when
// nothing is visible: "##Adresse e-mail" is found as "Adresse e-mail").
std::string registry_items_json();
