// uneplace client — the input queue: what the browser sent (pointer, wheel, keys, text, paste), in
// arrival order, handed to Dear ImGui a frame's worth at a time.
//
// Why: Dear ImGui 1.86 has no input queue of its own; it reads "down" flags and a text buffer once
// per frame. On a slow frame (a cheap phone, a busy laptop, software WebGL), a click and the keys
// typed right after it arrive together: the text would be typed before the click has activated the
// field, and a key pressed and released between two frames would never be seen. So every event is
// queued, and each frame takes events until one would change what an earlier one of the same frame
// decided — the rules of Dear ImGui 1.87's "trickle" input queue (io.ConfigInputTrickleEventQueue):
//   - a mouse button changes at most once a frame, and not in the frame the wheel turned;
//   - the pointer does not move after a button, key, wheel or text event of the same frame;
//   - a key changes at most once a frame, and not after text or a button of the same frame;
//   - text waits for the frame after a key, button, pointer or wheel change.
// Pure C++ (no browser, no Dear ImGui): compiled natively into tests/client.
#pragma once
#include <cfloat>
#include <deque>
#include <string>
#include <string_view>

// ---- Keys ---------------------------------------------------------------------------------------
// The keys Dear ImGui reads (its io.KeyMap points at these indices), and the modifiers. Letters are
// only the shortcut letters; other characters arrive as text. Named after KeyboardEvent.key, which
// follows the keyboard layout (Ctrl+A on an AZERTY keyboard is the key labelled A).
enum InputKey : int {
    InputKey_None = 0,
    InputKey_Tab,
    InputKey_LeftArrow,
    InputKey_RightArrow,
    InputKey_UpArrow,
    InputKey_DownArrow,
    InputKey_PageUp,
    InputKey_PageDown,
    InputKey_Home,
    InputKey_End,
    InputKey_Insert,
    InputKey_Delete,
    InputKey_Backspace,
    InputKey_Space,
    InputKey_Enter,
    InputKey_Escape,
    InputKey_A,
    InputKey_C,
    InputKey_V,
    InputKey_X,
    InputKey_Y,
    InputKey_Z,
    InputKey_Control,
    InputKey_Shift,
    InputKey_Alt,
    InputKey_Super,
    InputKey_COUNT
};
enum InputMod_ {
    InputMod_None = 0,
    InputMod_Ctrl = 1 << 0,
    InputMod_Shift = 1 << 1,
    InputMod_Alt = 1 << 2,
    InputMod_Super = 1 << 3,  // Cmd on a Mac, the Windows key elsewhere
};
// KeyboardEvent.key → InputKey ("ArrowLeft", "a", "A", "Control"…); InputKey_None for the rest.
InputKey input_key_from_dom(std::string_view dom_key);

// ---- Events and the state they build ------------------------------------------------------------
enum class InputEventKind {
    MousePos,     // x, y: pointer position in CSS pixels; -FLT_MAX when no pointer is over the page
    MouseButton,  // button (0 left, 1 right, 2 middle), down
    Wheel,        // x, y: distance to scroll in CSS pixels (y > 0: towards the end of the list)
    Key,          // key, down, mods; for a paste shortcut, the clipboard text the paste event carried
    Text,         // text (UTF-8): typed, composed, dictated, or pasted without a shortcut
};
struct InputEvent {
    InputEventKind kind = InputEventKind::MousePos;
    float x = 0, y = 0;
    int button = 0;
    InputKey key = InputKey_None;
    bool down = false;
    int mods = InputMod_None;
    bool has_clipboard = false;
    std::string text;
};

// What Dear ImGui is told, kept between frames.
struct InputState {
    float mouse_x = -FLT_MAX, mouse_y = -FLT_MAX;
    bool mouse_down[3] = {false, false, false};
    bool keys_down[InputKey_COUNT] = {};
    int mods = InputMod_None;
    std::string clipboard;  // the system clipboard as the last paste delivered it, or the app last wrote it
};

// The share of one frame: the state is updated in place; this is what is fed only once.
struct InputFrame {
    float wheel_x = 0, wheel_y = 0;  // CSS pixels, as in InputEvent
    std::string text;                // UTF-8, in order
    int events = 0;                  // how many queued events this frame took
};

struct InputQueue {
    std::deque<InputEvent> events;
    InputState state;

    void push(InputEvent e) { events.push_back(std::move(e)); }
    // A paste event follows the keydown of its shortcut (Ctrl/Cmd+V, Shift+Insert) in the same task:
    // the text goes with that key, so Dear ImGui pastes it when it sees the shortcut, in order.
    // Returns false when no such key is waiting (paste from a menu or a phone's keyboard): the
    // caller then queues the text as typed text.
    bool attach_paste(std::string_view text);
    // Updates `state` with this frame's share of the queue and returns it.
    InputFrame take_frame();
    // Releases every key and button (the page lost the focus: the key-ups will never come).
    void release_all();
};

// ---- Wheel --------------------------------------------------------------------------------------
// WheelEvent.deltaY (or deltaX) in CSS pixels, by deltaMode: 0 pixels (Chrome: 100 a notch; a
// trackpad: the finger's own small steps), 1 lines (Firefox: 3 a notch), 2 pages.
float wheel_delta_px(float delta, int delta_mode, float line_px, float page_px);

// ---- On-screen keyboards ------------------------------------------------------------------------
// The kind of keyboard a phone should show for a field, from its caption (the registry's label):
// the `inputmode` of the hidden <input> — "email", "numeric", "tel" or "text".
const char* input_mode_for_caption(std::string_view caption);
