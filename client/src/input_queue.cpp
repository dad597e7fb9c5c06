// uneplace client — the input queue (see input_queue.hpp for why and for the rules).
//
// Index of this file:
// [SECTION] Keys
// [SECTION] Queue
// [SECTION] Wheel
// [SECTION] On-screen keyboards

#include "input_queue.hpp"

#include <cstdint>

#include "ui/format.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] Keys
//-------------------------------------------------------------------------------------------------

InputKey input_key_from_dom(std::string_view k) {
    struct Named {
        std::string_view dom;
        InputKey key;
    };
    static constexpr Named kNamed[] = {
        {"Tab", InputKey_Tab},           {"ArrowLeft", InputKey_LeftArrow}, {"ArrowRight", InputKey_RightArrow},
        {"ArrowUp", InputKey_UpArrow},   {"ArrowDown", InputKey_DownArrow}, {"PageUp", InputKey_PageUp},
        {"PageDown", InputKey_PageDown}, {"Home", InputKey_Home},           {"End", InputKey_End},
        {"Insert", InputKey_Insert},     {"Delete", InputKey_Delete},       {"Backspace", InputKey_Backspace},
        {" ", InputKey_Space},           {"Enter", InputKey_Enter},         {"Escape", InputKey_Escape},
        {"Control", InputKey_Control},   {"Shift", InputKey_Shift},         {"Alt", InputKey_Alt},
        {"Meta", InputKey_Super},
    };
    for (const Named& n : kNamed)
        if (n.dom == k) return n.key;
    if (k.size() == 1) {
        switch (k[0] | 0x20) {  // "a" and "A" (Shift held) are the same key
            case 'a': return InputKey_A;
            case 'c': return InputKey_C;
            case 'v': return InputKey_V;
            case 'x': return InputKey_X;
            case 'y': return InputKey_Y;
            case 'z': return InputKey_Z;
            default: break;
        }
    }
    return InputKey_None;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Queue
//-------------------------------------------------------------------------------------------------

static bool is_paste_shortcut(const InputEvent& e) {
    if (e.kind != InputEventKind::Key || !e.down) return false;
    const bool shortcut = (e.mods & (InputMod_Ctrl | InputMod_Super)) != 0;
    return (e.key == InputKey_V && shortcut) || (e.key == InputKey_Insert && (e.mods & InputMod_Shift));
}

bool InputQueue::attach_paste(std::string_view text) {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
        if (!is_paste_shortcut(*it)) continue;
        if (it->has_clipboard) return false;  // that shortcut has had its paste already
        it->has_clipboard = true;
        it->text.assign(text);
        return true;
    }
    return false;
}

InputFrame InputQueue::take_frame() {
    InputFrame frame;
    bool mouse_moved = false, wheeled = false, text_inputted = false;
    unsigned buttons_changed = 0;
    uint64_t keys_changed = 0;
    static_assert(InputKey_COUNT <= 64, "keys_changed is a 64-bit mask");

    while (!events.empty()) {
        InputEvent& e = events.front();
        switch (e.kind) {
            case InputEventKind::MousePos:
                if (buttons_changed || wheeled || keys_changed || text_inputted) return frame;
                state.mouse_x = e.x;
                state.mouse_y = e.y;
                mouse_moved = true;
                break;
            case InputEventKind::MouseButton: {
                if (e.button < 0 || e.button > 2) break;
                const unsigned bit = 1u << e.button;
                if ((buttons_changed & bit) || wheeled) return frame;
                if (state.mouse_down[e.button] != e.down) {
                    state.mouse_down[e.button] = e.down;
                    buttons_changed |= bit;
                }
                break;
            }
            case InputEventKind::Wheel:
                if (mouse_moved || buttons_changed) return frame;
                frame.wheel_x += e.x;
                frame.wheel_y += e.y;
                wheeled = true;
                break;
            case InputEventKind::Key: {
                const uint64_t bit = uint64_t(1) << e.key;
                if ((keys_changed & bit) || text_inputted || buttons_changed) return frame;
                if (state.keys_down[e.key] != e.down) {
                    state.keys_down[e.key] = e.down;
                    keys_changed |= bit;
                }
                if (state.mods != e.mods) keys_changed |= 1;  // a modifier alone counts as a change
                state.mods = e.mods;
                if (e.has_clipboard) state.clipboard = std::move(e.text);
                break;
            }
            case InputEventKind::Text:
                if (keys_changed || buttons_changed || mouse_moved || wheeled) return frame;
                frame.text += e.text;
                text_inputted = true;
                break;
        }
        events.pop_front();
        ++frame.events;
    }
    return frame;
}

void InputQueue::release_all() {
    // Every key and button, not only those down now: a press may still be waiting in the queue.
    // Releasing what is already up changes nothing and costs no frame.
    for (int k = InputKey_None + 1; k < InputKey_COUNT; ++k)
        push(InputEvent{InputEventKind::Key, 0, 0, 0, (InputKey)k, false, InputMod_None, false, {}});
    for (int b = 0; b < 3; ++b)
        push(InputEvent{InputEventKind::MouseButton, 0, 0, b, InputKey_None, false, InputMod_None, false, {}});
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Wheel
//-------------------------------------------------------------------------------------------------

float wheel_delta_px(float delta, int delta_mode, float line_px, float page_px) {
    switch (delta_mode) {
        case 1: return delta * line_px;  // DOM_DELTA_LINE
        case 2: return delta * page_px;  // DOM_DELTA_PAGE
        default: return delta;           // DOM_DELTA_PIXEL
    }
}

//-------------------------------------------------------------------------------------------------
// [SECTION] On-screen keyboards
//-------------------------------------------------------------------------------------------------

const char* input_mode_for_caption(std::string_view caption) {
    // Captions are French and fixed by the screens (tests find fields by them too). The folded
    // caption is matched, so "Adresse e-mail", "E-mail" and "Courriel" all ask for an e-mail keyboard.
    const std::string folded = fold_for_search(caption);
    auto has = [&](std::string_view word) { return folded.find(word) != std::string::npos; };
    if (has("e-mail") || has("courriel") || has("email")) return "email";
    if (has("telephone")) return "tel";
    if (has("places") || has("nombre") || has("code postal") || has("capacite") || has("quantite")) return "numeric";
    return "text";
}
