// uneplace client — web platform layer (the only file that knows it runs in a browser).
//
// Index of this file:
// [SECTION] Page glue installed once (hidden input, input listeners, test bridge)
// [SECTION] Frame loop: draw only when something changes
// [SECTION] Input: the queue fed to Dear ImGui, wheel, keys, clipboard
// [SECTION] Text field focus and the on-screen keyboard
// [SECTION] Accessibility mirror
// [SECTION] Canvas size and devicePixelRatio
// [SECTION] Location hash
// [SECTION] HTTP
// [SECTION] sessionStorage and clock
// [SECTION] Functions exported to JavaScript
// [SECTION] File download
// [SECTION] Images: choosing a poster, uploading it, textures of posters by URL (issue 18)
// The JavaScript inside EM_JS is not C++: clang-format breaks it ("() = > {}"), so this file is left as written.
// clang-format off

#include "platform.hpp"

#include <emscripten.h>
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"
#include "input_queue.hpp"
#include "ui/theme.hpp"
#include "widget_registry.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] Page glue installed once (hidden input, input listeners, test bridge)
//-------------------------------------------------------------------------------------------------

// Emscripten 3.1.6's GLFW gives the wheel raw and upside down, drops text inserted without a
// keypress (dead keys, IME, phones, paste) and every character typed while Ctrl is held, and knows
// no touch gestures. So the page listens itself and queues every event, in order, through the
// exported uneplace_input_* functions; GLFW is left only the window and the WebGL context.
//
// Why a hidden <input>: text that the browser inserts arrives only in a focused editable element.
// We forward its text and empty it at once. It is focused in the same gesture as the click or tap
// that hits a text field (the registry says where fields are), so the first keys typed right after
// the click land in it, and a phone shows its on-screen keyboard (only a focus within a user
// gesture does that).
EM_JS(void, js_install_page_glue, (int is_mac), {
    const canvas = Module["canvas"];
    const input = document.createElement("input");
    input.id = "uneplace-text-input";
    input.type = "text";
    input.setAttribute("autocomplete", "off");
    input.setAttribute("autocorrect", "off");
    input.setAttribute("autocapitalize", "off");
    input.setAttribute("spellcheck", "false");
    input.setAttribute("aria-hidden", "true");
    input.setAttribute("inputmode", "text");
    input.tabIndex = -1;
    // 16 px: Safari on iPhone zooms the page into any focused field with smaller text.
    input.style.cssText = "position:fixed;left:0;top:0;width:2px;height:2px;opacity:0;border:0;padding:0;" +
                          "margin:0;background:transparent;color:transparent;caret-color:transparent;" +
                          "font-size:16px;z-index:-1;";
    document.body.appendChild(input);
    Module.uneplaceTextInput = input;

    const withString = (text, fn) => {
        const n = lengthBytesUTF8(text) + 1;
        const p = _malloc(n);
        stringToUTF8(text, p, n);
        fn(p);
        _free(p);
    };
    const sendText = (text) => { if (text) withString(text, (p) => _uneplace_input_text(p)); };
    // Keys are handled only while the page itself has the focus (not a future DOM control).
    const ours = () => { const a = document.activeElement; return !a || a === document.body || a === canvas || a === input; };
    const mods = (e) => {
        // AltGr (French keyboards: @ # € { }) is Ctrl+Alt on Windows: it types, it is no shortcut.
        if (e.getModifierState && e.getModifierState("AltGraph")) return e.shiftKey ? 2 : 0;
        return (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0);
    };

    // ---- Pointer: mouse, pen and touch ----
    const cssPos = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    const sendPos = (x, y) => _uneplace_input_mouse_pos(x, y);
    const domToImGuiButton = (b) => (b === 1 ? 2 : b === 2 ? 1 : b);  // DOM: 0 left, 1 middle, 2 right
    // Within the gesture: focus the hidden input when the point is on a text field.
    const focusIfTextField = (x, y) => {
        const mode = _uneplace_text_field_at(x, y);
        if (!mode) return;
        input.setAttribute("inputmode", UTF8ToString(mode));
        if (document.activeElement !== input) input.focus({preventScroll: true});
    };
    // The default of a mousedown would move the focus to the canvas and away from the hidden input.
    canvas.addEventListener("mousedown", (e) => e.preventDefault());

    // Touch: a finger that moves more than a few pixels scrolls (and keeps scrolling after it lifts,
    // slowing down, as lists do on phones); one that does not is a tap, i.e. a click.
    const touch = {id: -1, x0: 0, y0: 0, x: 0, y: 0, t: 0, scrolling: false, vx: 0, vy: 0, inertia: 0};
    const kTouchSlop = 8;           // CSS px a finger may wander and still tap
    const kInertiaTimeConstant = 325;  // ms: velocity divided by e every 325 ms (iOS-like)
    const stopInertia = () => { if (touch.inertia) cancelAnimationFrame(touch.inertia); touch.inertia = 0; };
    const startInertia = () => {
        let last = performance.now();
        const step = (now) => {
            const dt = Math.min(now - last, 100);
            last = now;
            const decay = Math.exp(-dt / kInertiaTimeConstant);
            touch.vx *= decay;
            touch.vy *= decay;
            if (Math.hypot(touch.vx, touch.vy) < 0.02) { touch.inertia = 0; return; }
            _uneplace_input_wheel(touch.vx * dt, touch.vy * dt, 0);
            touch.inertia = requestAnimationFrame(step);
        };
        touch.inertia = requestAnimationFrame(step);
    };

    canvas.addEventListener("pointerdown", (e) => {
        const [x, y] = cssPos(e);
        if (e.pointerType === "touch") {
            if (touch.id !== -1) return;  // a second finger: pinch-zoom is the browser's
            stopInertia();
            Object.assign(touch, {id: e.pointerId, x0: x, y0: y, x: x, y: y, t: e.timeStamp, scrolling: false, vx: 0, vy: 0});
            sendPos(x, y);  // so the wheel of a drag scrolls the list under the finger
            return;
        }
        try { canvas.setPointerCapture(e.pointerId); } catch (err) {}
        focusIfTextField(x, y);
        sendPos(x, y);
        _uneplace_input_mouse_button(domToImGuiButton(e.button), 1);
    });
    canvas.addEventListener("pointermove", (e) => {
        const [x, y] = cssPos(e);
        if (e.pointerType === "touch") {
            if (e.pointerId !== touch.id) return;
            if (!touch.scrolling && Math.hypot(x - touch.x0, y - touch.y0) > kTouchSlop) touch.scrolling = true;
            if (touch.scrolling) {
                const dx = touch.x - x, dy = touch.y - y, dt = Math.max(e.timeStamp - touch.t, 1);
                _uneplace_input_wheel(dx, dy, 0);  // finger up: the list moves up, towards its end
                touch.vx = 0.8 * (dx / dt) + 0.2 * touch.vx;
                touch.vy = 0.8 * (dy / dt) + 0.2 * touch.vy;
            }
            Object.assign(touch, {x: x, y: y, t: e.timeStamp});
            return;
        }
        sendPos(x, y);
    });
    const endTouch = (e, cancelled) => {
        if (e.pointerId !== touch.id) return;
        touch.id = -1;
        if (touch.scrolling) {
            if (!cancelled && e.timeStamp - touch.t < 100) startInertia();  // a finger that rested stops the list
        } else if (!cancelled) {
            focusIfTextField(touch.x0, touch.y0);
            sendPos(touch.x0, touch.y0);
            _uneplace_input_mouse_button(0, 1);
            _uneplace_input_mouse_button(0, 0);
        }
        sendPos(-Infinity, -Infinity);  // no hover is left behind by a finger
    };
    canvas.addEventListener("pointerup", (e) => {
        if (e.pointerType === "touch") return endTouch(e, false);
        const [x, y] = cssPos(e);
        sendPos(x, y);
        _uneplace_input_mouse_button(domToImGuiButton(e.button), 0);
    });
    canvas.addEventListener("pointercancel", (e) => {
        if (e.pointerType === "touch") return endTouch(e, true);
        _uneplace_input_mouse_button(domToImGuiButton(e.button), 0);
    });
    canvas.addEventListener("pointerleave", (e) => {
        if (e.pointerType === "mouse" && e.buttons === 0) sendPos(-Infinity, -Infinity);
    });

    // ---- Wheel and trackpad ----
    canvas.addEventListener("wheel", (e) => {
        if (e.ctrlKey) return;  // Ctrl+wheel and trackpad pinches zoom the page: the browser's
        e.preventDefault();
        _uneplace_input_wheel(e.deltaX, e.deltaY, e.deltaMode);
    }, {passive: false});

    // ---- Keys ----
    // Keys that have a meaning for Dear ImGui are queued (named keys, shortcut letters, modifiers);
    // the characters themselves come through the hidden input as text.
    const heldWithMeta = new Set();
    let lastKeyDown = "";
    window.addEventListener("keydown", (e) => {
        if (!ours()) return;
        lastKeyDown = e.key;
        const m = mods(e);
        const shortcut = (m & (is_mac ? 8 : 1)) !== 0;
        if (shortcut && /^[azy]$/i.test(e.key)) e.preventDefault();  // the input's own select-all and undo history
        if (e.key === "Tab") e.preventDefault();                       // focus stays on the app: Dear ImGui moves it
        if (e.repeat) return;                                          // Dear ImGui repeats held keys itself
        if (e.metaKey && e.key.length === 1) heldWithMeta.add(e.key);
        withString(e.key, (p) => _uneplace_input_key(p, 1, m));
    }, true);
    window.addEventListener("keyup", (e) => {  // always: a key must not stay down in the app
        if (lastKeyDown === e.key) lastKeyDown = "";
        const m = mods(e);
        withString(e.key, (p) => _uneplace_input_key(p, 0, m));
        // macOS sends no keyup for keys pressed while Cmd is held: release them with Cmd.
        if (e.key === "Meta") {
            for (const k of heldWithMeta) withString(k, (p) => _uneplace_input_key(p, 0, m));
            heldWithMeta.clear();
        }
    }, true);
    window.addEventListener("blur", () => _uneplace_input_release_all());

    // ---- Text ----
    let composing = false;
    input.addEventListener("compositionstart", () => { composing = true; });
    input.addEventListener("compositionend", (e) => {
        composing = false;
        sendText(input.value || e.data);
        input.value = "";
    });
    // A phone's keyboard often sends no Backspace key, only the deletion it asks for.
    input.addEventListener("beforeinput", (e) => {
        if (e.inputType === "historyUndo" || e.inputType === "historyRedo") { e.preventDefault(); return; }
        const key = e.inputType === "deleteContentBackward" ? "Backspace" : e.inputType === "deleteContentForward" ? "Delete" : "";
        if (key && lastKeyDown !== key) {
            e.preventDefault();
            withString(key, (p) => { _uneplace_input_key(p, 1, 0); _uneplace_input_key(p, 0, 0); });
        }
    });
    input.addEventListener("input", (e) => {
        if (composing || e.isComposing) return;
        sendText(input.value);
        input.value = "";
    });

    // ---- Clipboard: the system's, through the browser's own events ----
    input.addEventListener("paste", (e) => {
        e.preventDefault();
        const text = (e.clipboardData || window.clipboardData).getData("text");
        withString(text, (p) => _uneplace_input_paste(p));
    });
    // Copy and cut write the field's selection within the gesture (Safari allows nothing later).
    const copy = (e) => {
        const p = _uneplace_text_field_selection();
        if (!p) return;
        e.clipboardData.setData("text/plain", UTF8ToString(p));
        e.preventDefault();
    };
    input.addEventListener("copy", copy);
    input.addEventListener("cut", copy);
    // Chromium enables Copy and Cut in a field with nothing selected only when "beforecopy" is
    // cancelled: the hidden input never has a selection of its own.
    const enable = (e) => { if (_uneplace_text_field_selection()) e.preventDefault(); };
    input.addEventListener("beforecopy", enable);
    input.addEventListener("beforecut", enable);

    // The bridge browser tests and assistive tools use (interface fixed by issue 2).
    window.uneplace = window.uneplace || {};
    window.uneplace.ready = false;
    window.uneplace.items = () => {
        const json = UTF8ToString(_uneplace_registry_json());
        const items = JSON.parse(json);
        const r = canvas.getBoundingClientRect();
        for (const it of items) { it.x += r.left; it.y += r.top; }
        return items;
    };
    window.uneplace.pendingRequests = () => _uneplace_pending_requests();
    // The characters of `text` the fonts cannot draw (they would show as "?"), as strings.
    window.uneplace.missingGlyphs = (text) => {
        let out = [];
        withString(String(text), (p) => { out = JSON.parse(UTF8ToString(_uneplace_missing_glyphs(p))); });
        return out.map((c) => String.fromCodePoint(c));
    };
    // The font atlas: its size in texels and the glyphs of the body font (figures for the report).
    window.uneplace.fontAtlas = () => JSON.parse(UTF8ToString(_uneplace_font_atlas()));
    // Input events queued and not yet given to Dear ImGui (tests wait for 0 before they look).
    window.uneplace.pendingInput = () => _uneplace_input_pending();
    // Every request the app sent, in order: tests prove a refusal happened before any request.
    window.uneplace.requestLog = [];
});

namespace {
InputQueue g_input;  // every input event of the page, in order (see input_queue.hpp)
}  // namespace

void platform_init(GLFWwindow* window) {
    // Dear ImGui's GLFW backend installed its callbacks: every input now comes from the page glue.
    glfwSetKeyCallback(window, nullptr);
    glfwSetCharCallback(window, nullptr);
    glfwSetMouseButtonCallback(window, nullptr);
    glfwSetScrollCallback(window, nullptr);
    glfwSetCursorEnterCallback(window, nullptr);
    ImGuiIO& io = ImGui::GetIO();
    const int key_map[][2] = {
        {ImGuiKey_Tab, InputKey_Tab}, {ImGuiKey_LeftArrow, InputKey_LeftArrow}, {ImGuiKey_RightArrow, InputKey_RightArrow},
        {ImGuiKey_UpArrow, InputKey_UpArrow}, {ImGuiKey_DownArrow, InputKey_DownArrow}, {ImGuiKey_PageUp, InputKey_PageUp},
        {ImGuiKey_PageDown, InputKey_PageDown}, {ImGuiKey_Home, InputKey_Home}, {ImGuiKey_End, InputKey_End},
        {ImGuiKey_Insert, InputKey_Insert}, {ImGuiKey_Delete, InputKey_Delete}, {ImGuiKey_Backspace, InputKey_Backspace},
        {ImGuiKey_Space, InputKey_Space}, {ImGuiKey_Enter, InputKey_Enter}, {ImGuiKey_Escape, InputKey_Escape},
        {ImGuiKey_KeyPadEnter, InputKey_Enter}, {ImGuiKey_A, InputKey_A}, {ImGuiKey_C, InputKey_C}, {ImGuiKey_V, InputKey_V},
        {ImGuiKey_X, InputKey_X}, {ImGuiKey_Y, InputKey_Y}, {ImGuiKey_Z, InputKey_Z},
    };
    for (const auto& m : key_map) io.KeyMap[m[0]] = m[1];
    // Cmd is the shortcut key on a Mac (Cmd+V), Alt moves by word: Dear ImGui's macOS behaviours.
    const bool is_mac = EM_ASM_INT({ return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? 1 : 0; }) != 0;
    io.ConfigMacOSXBehaviors = is_mac;
    io.SetClipboardTextFn = [](void*, const char* text) { platform_clipboard_write(text); };
    // Ctrl/Cmd+V in Dear ImGui reads this: the text the browser's paste event delivered with the key.
    io.GetClipboardTextFn = [](void*) -> const char* { return g_input.state.clipboard.c_str(); };
    js_install_page_glue(is_mac ? 1 : 0);
}

EM_JS(void, js_first_frame_drawn, (), {
    window.uneplace.ready = true;
    const loading = document.getElementById("loading");
    if (loading) loading.remove();
});

void platform_first_frame_drawn() { js_first_frame_drawn(); }

//-------------------------------------------------------------------------------------------------
// [SECTION] Frame loop: draw only when something changes
//-------------------------------------------------------------------------------------------------

// Why not emscripten_set_main_loop: it draws every animation frame whether or not anything changed;
// an untouched login screen kept 170 % of a core busy (Chromium draws WebGL in software here; on a
// laptop or a phone the GPU and the battery pay). Here a frame is drawn only when asked for, and
// requestAnimationFrame still draws at most one per display refresh.
namespace {
void (*g_frame)() = nullptr;
int g_frames_wanted = 0;          // frames still to draw since the last wake
constexpr int kSettleFrames = 4;  // after a wake: the press, the release held back, the change, an auto-fit
}  // namespace

EM_JS(void, js_install_frame_loop, (), {
    const loop = {scheduled: false, timer: 0, timerAt: Infinity, count: 0, waiters: []};
    Module.uneplaceLoop = loop;
    loop.schedule = () => {
        if (loop.scheduled) return;
        loop.scheduled = true;
        requestAnimationFrame(() => { loop.scheduled = false; _uneplace_frame(); });
    };
    // One timer at a time, the earliest wins (the app's own, or the next wall-clock minute).
    loop.after = (ms) => {
        const at = performance.now() + ms;
        if (at >= loop.timerAt) return;
        clearTimeout(loop.timer);
        loop.timerAt = at;
        loop.timer = setTimeout(() => { loop.timerAt = Infinity; _uneplace_wake(); }, ms);
    };
    // Every event that can change what is drawn wakes the loop. Capture: seen even when a handler
    // stops it; passive: never delays the browser's own scrolling. GLFW's handlers still run first
    // to feed Dear ImGui; the frame comes at the next animation frame.
    const wake = () => _uneplace_wake();
    const opts = {capture: true, passive: true};
    for (const type of ["mousemove", "mousedown", "mouseup", "mouseout", "wheel", "keydown", "keyup",
                        "touchstart", "touchmove", "touchend", "touchcancel", "input", "compositionend",
                        "paste", "focus", "blur", "resize", "hashchange", "popstate"])
        window.addEventListener(type, wake, opts);
    document.addEventListener("visibilitychange", wake, opts);
    Module["canvas"].addEventListener("webglcontextrestored", wake, opts);
    // For tests and assistive tools: frames drawn so far, ask for one, or wait for n more.
    window.uneplace.frameCount = () => loop.count;
    window.uneplace.requestFrame = wake;
    window.uneplace.frames = (n) => new Promise((resolve) => {
        loop.waiters.push({at: loop.count + Math.max(1, n || 1), resolve});
        wake();
    });
});

EM_JS(void, js_schedule_frame, (), { Module.uneplaceLoop.schedule(); });
EM_JS(void, js_frame_after, (double ms), { Module.uneplaceLoop.after(ms); });

// Counts the frame just drawn and resolves the waiters it satisfies; true while some still wait.
EM_JS(int, js_frame_drawn, (), {
    const loop = Module.uneplaceLoop;
    loop.count++;
    loop.waiters = loop.waiters.filter((w) => { if (w.at <= loop.count) { w.resolve(); return false; } return true; });
    return loop.waiters.length > 0 ? 1 : 0;
});

// Asleep: the next wall-clock minute still draws a frame, so clock-derived texts stay true.
EM_JS(void, js_sleep_until_next_minute, (), { Module.uneplaceLoop.after(60000 - (Date.now() % 60000) + 20); });

void platform_run_frame_loop(void (*frame)()) {
    g_frame = frame;
    js_install_frame_loop();
    js_schedule_frame();
    g_frames_wanted = kSettleFrames;
}

void platform_request_frame(double seconds) {
    if (seconds <= 0) {
        g_frames_wanted = std::max(g_frames_wanted, kSettleFrames);
        js_schedule_frame();
    } else {
        js_frame_after(seconds * 1000.0);
    }
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Input: the queue fed to Dear ImGui, wheel, keys, clipboard
//-------------------------------------------------------------------------------------------------

namespace {
// Every queued event wakes the frame loop, whoever queued it (a listener, a test): the frames that
// feed it to Dear ImGui follow.
void queue_input(InputEvent e) {
    g_input.push(std::move(e));
    platform_request_frame();
}

float g_wheel_rest_x = 0, g_wheel_rest_y = 0;  // sub-pixel scrolling not given to Dear ImGui yet

// How many pixels one unit of io.MouseWheel scrolls the window under the pointer: Dear ImGui 1.86's
// own step (UpdateMouseWheel: 5 lines vertically, 2 horizontally, at most 67 % of the window).
float wheel_step(bool vertical) {
    ImGuiContext& g = *GImGui;
    ImGuiWindow* w = g.WheelingWindow ? g.WheelingWindow : g.HoveredWindow;
    const float lines = vertical ? 5.0f : 2.0f;
    if (!w) return ImFloor(lines * g.FontSize);
    auto no_scroll = [&](ImGuiWindow* x) {
        const float max = vertical ? x->ScrollMax.y : x->ScrollMax.x;
        return max == 0.0f || ((x->Flags & ImGuiWindowFlags_NoScrollWithMouse) && !(x->Flags & ImGuiWindowFlags_NoMouseInputs));
    };
    while ((w->Flags & ImGuiWindowFlags_ChildWindow) && no_scroll(w)) w = w->ParentWindow;
    const float max_step = (vertical ? w->InnerRect.GetHeight() : w->InnerRect.GetWidth()) * 0.67f;
    return ImFloor(ImMin(lines * w->CalcFontSize(), max_step));
}

// Dear ImGui floors the scroll position every frame, so a trackpad's half pixels would be lost one
// way and rounded up the other: whole pixels go now, the rest waits for the next frame. The quarter
// pixel added lands the floored result exactly on the whole pixels asked for, in both directions.
float wheel_units(float px, float* rest, bool vertical) {
    *rest += px;
    const float whole = std::trunc(*rest);
    *rest -= whole;
    const float step = wheel_step(vertical);
    if (whole == 0.0f || step <= 0.0f) return 0.0f;
    return -(whole + 0.25f) / step;
}
}  // namespace

void platform_input_new_frame() {
    ImGuiIO& io = ImGui::GetIO();
    const InputFrame frame = g_input.take_frame();
    // What is fed now shows in the frames after this one (a field's new text, the hover after a
    // move): settle after the last event fed, not after the last one queued — a burst of typing
    // is fed over several frames.
    if (frame.events > 0) g_frames_wanted = std::max(g_frames_wanted, kSettleFrames);
    const InputState& s = g_input.state;
    io.MousePos = ImVec2(s.mouse_x, s.mouse_y);
    for (int b = 0; b < IM_ARRAYSIZE(io.MouseDown); ++b) io.MouseDown[b] = b < 3 && s.mouse_down[b];
    for (int k = 0; k < InputKey_COUNT; ++k) io.KeysDown[k] = s.keys_down[k];
    io.KeyCtrl = (s.mods & InputMod_Ctrl) != 0;
    io.KeyShift = (s.mods & InputMod_Shift) != 0;
    io.KeyAlt = (s.mods & InputMod_Alt) != 0;
    io.KeySuper = (s.mods & InputMod_Super) != 0;
    if (frame.wheel_y != 0.0f) io.MouseWheel += wheel_units(frame.wheel_y, &g_wheel_rest_y, true);
    if (frame.wheel_x != 0.0f) io.MouseWheelH += wheel_units(frame.wheel_x, &g_wheel_rest_x, false);
    if (!frame.text.empty()) io.AddInputCharactersUTF8(frame.text.c_str());
    // Dear ImGui 1.86 presses a focused button with Space only (Enter edits a text field): Enter
    // presses it too, as on a web page, while no field is being edited.
    // Only an Enter that went down with no field active: the Enter that submits a field must not
    // also press what has the focus once the field lets go.
    static bool enter_was_down = false, enter_presses = false;
    const bool enter = s.keys_down[InputKey_Enter];
    if (!enter) enter_presses = false;
    else if (!enter_was_down) enter_presses = GImGui->ActiveId == 0;
    enter_was_down = enter;
    io.NavInputs[ImGuiNavInput_Activate] = enter_presses ? 1.0f : 0.0f;
}

bool platform_input_pending() { return !g_input.events.empty(); }

EM_JS(void, js_clipboard_write, (const char* text), {
    const s = UTF8ToString(text);
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(s).catch(() => {});
    window.uneplace.lastCopied = s;
});

void platform_clipboard_write(std::string_view text) {
    g_input.state.clipboard.assign(text);
    js_clipboard_write(std::string(text).c_str());
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Text field focus and the on-screen keyboard
//-------------------------------------------------------------------------------------------------

// Keeps the hidden input focused while a Dear ImGui text field is active, at its text cursor (IME
// candidate windows open there), with the keyboard the field needs. It lets go only once every
// queued event has been fed: a click just queued may be about to activate a field.
EM_JS(void, js_text_input_sync, (int wants, int idle, float x, float y, const char* mode, int password), {
    const input = Module.uneplaceTextInput;
    if (!input) return;
    if (wants) {
        input.style.left = Math.round(x) + "px";
        input.style.top = Math.round(y) + "px";
        const m = UTF8ToString(mode), type = password ? "password" : "text";
        if (input.getAttribute("inputmode") !== m) input.setAttribute("inputmode", m);
        if (input.type !== type) input.type = type;  // no suggestions learnt from a password
        if (document.activeElement !== input) input.focus({preventScroll: true});
    } else if (idle && document.activeElement === input) {
        input.blur();
        input.value = "";
    }
});

void platform_input_end_frame() {
    ImGuiContext& g = *GImGui;
    const bool wants = g.WantTextInputNextFrame == 1;  // set by the text field active in this frame
    const ImGuiInputTextState& field = g.InputTextState;
    const bool active = wants && field.ID == g.ActiveId;
    const char* mode = "text";
    if (active && (field.Flags & ImGuiInputTextFlags_CharsDecimal)) {
        mode = "numeric";
    } else if (active) {
        if (const char* label = ImGuiTestEngine_FindItemDebugLabel(&g, field.ID)) mode = input_mode_for_caption(label);
    }
    const ImVec2 caret = g.PlatformImePos;
    js_text_input_sync(wants ? 1 : 0, g_input.events.empty() ? 1 : 0, caret.x == FLT_MAX ? 0.0f : caret.x,
                       caret.y == FLT_MAX ? 0.0f : caret.y, mode,
                       active && (field.Flags & ImGuiInputTextFlags_Password) ? 1 : 0);
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Accessibility mirror
//-------------------------------------------------------------------------------------------------

// The canvas is one image to a screen reader. As Flutter's semantics tree and Qt for WebAssembly
// do, each frame that changed something rebuilds, behind the canvas, a DOM tree of the registry's
// items in drawing (reading) order with real roles and names: buttons, links, text fields with
// label and value, checkboxes with their state, combo boxes, lists of rows, tab lists, headings,
// text. The tree is transparent and lets the pointer through (the canvas keeps the mouse and the
// fingers) but each node lies over its item, so touch exploration finds it where it is drawn.
// Nodes are kept from frame to frame by item id: the node a screen reader is on stays focused.
// Focus on a node gives Dear ImGui's keyboard focus to its item (the focus ring shows); Enter,
// Space or a click on it (what a screen reader's "activate" sends) clicks the item's centre
// through the input queue, as a person would. A text field, once clicked, takes the keys through
// the hidden input like any field. Errors and confirmations new in a frame are read out by two
// live regions; the page title follows the screen's heading.
EM_JS(void, js_mirror_update, (const char* json), {
    let m = Module.uneplaceMirror;
    if (!m) {
        const root = document.createElement("main");
        root.id = "uneplace-mirror";
        root.setAttribute("aria-label", "une place");
        root.style.cssText = "position:fixed;left:0;top:0;width:100%;height:100%;overflow:hidden;opacity:0;" +
                             "pointer-events:none;z-index:1;margin:0;padding:0;";
        const live = (role) => {
            const d = document.createElement("div");
            d.setAttribute("role", role);
            d.style.cssText = "position:absolute;left:0;top:0;width:1px;height:1px;overflow:hidden;";
            document.body.appendChild(d);
            return d;
        };
        document.body.appendChild(root);
        m = Module.uneplaceMirror = {root: root, nodes: new Map(), groups: new Map(), said: new Set(),
                                     alert: live("alert"), status: live("status")};
        const activate = (el) => {
            const it = el.uneplaceItem;
            if (!it) return;
            const x = it.x + it.w / 2, y = it.y + it.h / 2;
            if (_uneplace_text_field_at(x, y)) Module.uneplaceTextInput.focus({preventScroll: true});
            _uneplace_input_mouse_pos(x, y);
            _uneplace_input_mouse_button(0, 1);
            _uneplace_input_mouse_button(0, 0);
            _uneplace_input_mouse_pos(-Infinity, -Infinity);
        };
        root.addEventListener("focusin", (e) => {
            const el = e.target.closest("[data-item]");
            if (!el || !el.uneplaceItem) return;
            _uneplace_mirror_focus(el.uneplaceItem.id);
            if (el.uneplaceItem.role === "textbox") activate(el);  // typing goes to the field
        });
        root.addEventListener("click", (e) => {
            const el = e.target.closest("[data-item]");
            if (el && el.uneplaceItem && el.uneplaceItem.role !== "textbox") { e.preventDefault(); activate(el); }
        });
        root.addEventListener("keydown", (e) => {
            const el = e.target.closest("[data-item]");
            if (!el || el.tagName === "BUTTON" || el.tagName === "INPUT") return;  // those click by themselves
            if (e.key === "Enter" || e.key === " ") { e.preventDefault(); activate(el); }
        });
    }
    const items = JSON.parse(UTF8ToString(json));
    const tags = {heading: "h1", button: "button", textbox: "input", text: "p", alert: "p", status: "p"};
    const roles = {link: "link", row: "link", tab: "tab", combobox: "combobox", checkbox: "checkbox", img: "img"};
    const groupRole = {row: "list", tab: "tablist"};
    const seen = new Set(), count = new Map(), top = [], inGroup = new Map();
    let heading = "";
    for (const it of items) {
        if (!(it.w > 0 && it.h > 0) || !it.label) continue;
        const n = (count.get(it.id) || 0) + 1;
        count.set(it.id, n);
        const key = it.role + ":" + it.id + "#" + n;
        seen.add(key);
        let el = m.nodes.get(key);
        if (!el) {
            el = document.createElement(tags[it.role] || "div");
            el.dataset.item = key;
            if (roles[it.role]) el.setAttribute("role", roles[it.role]);
            if (it.role === "textbox") { el.type = "text"; el.autocomplete = "off"; }
            if (it.role === "button") el.type = "button";
            if (roles[it.role] && it.role !== "img") el.tabIndex = 0;
            el.style.cssText = "position:absolute;margin:0;padding:0;border:0;overflow:hidden;white-space:nowrap;font-size:12px;";
            m.nodes.set(key, el);
        }
        el.uneplaceItem = it;
        const pos = [it.x + "px", it.y + "px", it.w + "px", it.h + "px"];
        if (el.style.left !== pos[0]) el.style.left = pos[0];
        if (el.style.top !== pos[1]) el.style.top = pos[1];
        if (el.style.width !== pos[2]) el.style.width = pos[2];
        if (el.style.height !== pos[3]) el.style.height = pos[3];
        if (it.role === "textbox") {
            if (el.getAttribute("aria-label") !== it.label) el.setAttribute("aria-label", it.label);
            const v = it.value || "";
            if (el.value !== v && document.activeElement !== el) el.value = v;
        } else if (it.role === "img") {
            if (el.getAttribute("aria-label") !== it.label) el.setAttribute("aria-label", it.label);  // the alt text
        } else if (it.role === "combobox") {
            if (el.getAttribute("aria-label") !== it.label) el.setAttribute("aria-label", it.label);
            if (el.getAttribute("aria-expanded") !== "false") el.setAttribute("aria-expanded", "false");
            const v = it.value || "";
            if (el.textContent !== v) el.textContent = v;
        } else if (el.textContent !== it.label) {
            el.textContent = it.label;
        }
        if (it.role === "checkbox") el.setAttribute("aria-checked", it.checked ? "true" : "false");
        if (it.role === "heading" && !heading) heading = it.label;
        if (it.role === "alert" || it.role === "status") {
            // Said once while it stays on screen; said again if it comes back later.
            if (!m.said.has(key)) {
                const region = it.role === "alert" ? m.alert : m.status;
                region.textContent = "";
                setTimeout(() => { region.textContent = it.label; }, 50);
            }
        }
        const g = groupRole[it.role];
        if (g) {
            const gkey = g + ":" + it.window;
            let group = m.groups.get(gkey);
            if (!group) {
                group = document.createElement("div");
                group.setAttribute("role", g);
                group.setAttribute("aria-label", it.window);
                m.groups.set(gkey, group);
            }
            if (!inGroup.has(group)) { inGroup.set(group, []); top.push(group); }
            let wrap = el;
            if (it.role === "row") {
                wrap = el.parentElement && el.parentElement.getAttribute("role") === "listitem" ? el.parentElement : null;
                if (!wrap) { wrap = document.createElement("div"); wrap.setAttribute("role", "listitem"); wrap.appendChild(el); }
            }
            inGroup.get(group).push(wrap);
        } else {
            top.push(el);
        }
    }
    m.said = new Set(Array.from(seen).filter((k) => k.startsWith("alert:") || k.startsWith("status:")));
    // Children in order, moving only what moved (moving a node would drop a screen reader's focus).
    const place = (parent, kids) => {
        kids.forEach((kid, i) => { if (parent.children[i] !== kid) parent.insertBefore(kid, parent.children[i] || null); });
        while (parent.children.length > kids.length) parent.removeChild(parent.lastElementChild);
    };
    place(m.root, top);
    inGroup.forEach((kids, group) => place(group, kids));
    for (const key of Array.from(m.nodes.keys())) if (!seen.has(key)) m.nodes.delete(key);
    for (const gkey of Array.from(m.groups.keys())) if (!inGroup.has(m.groups.get(gkey))) m.groups.delete(gkey);
    const title = heading ? heading + " — une place" : "une place — billetterie solidaire";
    if (document.title !== title) document.title = title;
});

void platform_accessibility_mirror() {
    static std::string last;
    std::string json = registry_items_json();
    if (json == last) return;  // nothing moved: the DOM is left alone
    js_mirror_update(json.c_str());
    last = std::move(json);
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Canvas size and devicePixelRatio
//-------------------------------------------------------------------------------------------------

// Emscripten 3.1.6's GLFW ignores devicePixelRatio: we size the drawing buffer ourselves, every
// frame, so browser zoom, window resizing and moving to another screen are all followed.
EM_JS(void, js_sync_canvas, (float* out), {
    const canvas = Module["canvas"];
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, window.innerWidth), h = Math.max(1, window.innerHeight);
    const bw = Math.round(w * dpr), bh = Math.round(h * dpr);
    if (canvas.width !== bw || canvas.height !== bh) { canvas.width = bw; canvas.height = bh; }
    HEAPF32[(out >> 2) + 0] = w;
    HEAPF32[(out >> 2) + 1] = h;
    HEAPF32[(out >> 2) + 2] = bw / w;
});

PageMetrics platform_sync_canvas() {
    float v[3] = {0, 0, 1};
    js_sync_canvas(v);
    return PageMetrics{v[0], v[1], v[2]};
}

//-------------------------------------------------------------------------------------------------
//-------------------------------------------------------------------------------------------------
// [SECTION] Location hash
//-------------------------------------------------------------------------------------------------

EM_JS(char*, js_location_hash, (), {
    const s = window.location.hash || "";
    const n = lengthBytesUTF8(s) + 1;
    const p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
});

std::string platform_location_hash() {
    char* p = js_location_hash();
    std::string s(p);
    free(p);
    return s;
}

EM_JS(void, js_set_location_hash, (const char* hash, int replace), {
    const h = UTF8ToString(hash);
    if (window.location.hash === h) return;
    if (replace) history.replaceState(null, "", h); else history.pushState(null, "", h);
});

void platform_set_location_hash(std::string_view hash, bool replace) {
    js_set_location_hash(std::string(hash).c_str(), replace ? 1 : 0);
}

//-------------------------------------------------------------------------------------------------
// [SECTION] HTTP
//-------------------------------------------------------------------------------------------------

namespace {
std::map<int, HttpCallback> g_pending_http;
int g_next_http_id = 1;
}  // namespace

EM_JS(void, js_http, (int id, const char* method, const char* path, const char* body, const char* csrf), {
    const m = UTF8ToString(method), url = UTF8ToString(path), b = UTF8ToString(body), t = UTF8ToString(csrf);
    const headers = {"Accept": "application/json"};
    if (b.length) headers["Content-Type"] = "application/json";
    if (t.length) headers["X-CSRF-Token"] = t;
    window.uneplace.requestLog.push(m + " " + url);
    const finish = (status, text) => {
        const n = lengthBytesUTF8(text) + 1;
        const p = _malloc(n);
        stringToUTF8(text, p, n);
        _uneplace_http_done(id, status, p);
        _free(p);
    };
    // A PDF (invitation, door list) comes back as its bytes: read as text, it would not survive UTF-8.
    const finish_bytes = (status, bytes) => {
        const p = _malloc(bytes.length + 1);
        HEAPU8.set(bytes, p);
        _uneplace_http_done_bytes(id, status, p, bytes.length);
        _free(p);
    };
    fetch(url, {method: m, headers: headers, body: b.length ? b : undefined, credentials: "same-origin", cache: "no-store"})
        .then((r) => (r.headers.get("Content-Type") || "").startsWith("application/pdf")
            ? r.arrayBuffer().then((buffer) => finish_bytes(r.status, new Uint8Array(buffer)))
            : r.text().then((text) => finish(r.status, text)))
        .catch(() => finish(0, ""));
});

void platform_http(std::string_view method, std::string_view path, std::string_view json_body,
                   std::string_view csrf_token, HttpCallback done) {
    const int id = g_next_http_id++;
    g_pending_http[id] = std::move(done);
    js_http(id, std::string(method).c_str(), std::string(path).c_str(), std::string(json_body).c_str(),
            std::string(csrf_token).c_str());
}

//-------------------------------------------------------------------------------------------------
// [SECTION] sessionStorage and clock
//-------------------------------------------------------------------------------------------------

EM_JS(char*, js_session_get, (const char* key), {
    let s = "";
    try { s = window.sessionStorage.getItem(UTF8ToString(key)) || ""; } catch (e) {}
    const n = lengthBytesUTF8(s) + 1;
    const p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
});

std::string platform_session_get(std::string_view key) {
    char* p = js_session_get(std::string(key).c_str());
    std::string s(p);
    free(p);
    return s;
}

EM_JS(void, js_session_set, (const char* key, const char* value), {
    try {
        const v = UTF8ToString(value);
        if (v.length) window.sessionStorage.setItem(UTF8ToString(key), v);
        else window.sessionStorage.removeItem(UTF8ToString(key));
    } catch (e) {}
});

void platform_session_set(std::string_view key, std::string_view value) {
    js_session_set(std::string(key).c_str(), std::string(value).c_str());
}

EM_JS(double, js_now_unix, (), { return Math.floor(Date.now() / 1000); });

long long platform_now_unix() { return (long long)js_now_unix(); }

//-------------------------------------------------------------------------------------------------
// [SECTION] Functions exported to JavaScript
//-------------------------------------------------------------------------------------------------

extern "C" {

// ---- Input (called by the page glue's listeners) ----
EMSCRIPTEN_KEEPALIVE void uneplace_input_mouse_pos(float x, float y) {
    InputEvent e;
    e.kind = InputEventKind::MousePos;
    e.x = std::isfinite(x) ? x : -FLT_MAX;
    e.y = std::isfinite(y) ? y : -FLT_MAX;
    queue_input(std::move(e));
}

EMSCRIPTEN_KEEPALIVE void uneplace_input_mouse_button(int button, int down) {
    InputEvent e;
    e.kind = InputEventKind::MouseButton;
    e.button = button;
    e.down = down != 0;
    queue_input(std::move(e));
}

// One notch ≈ three lines: Chrome sends 100 pixels a notch, Firefox 3 lines; a line is a row of
// body text. A page is the window's height less a line, so the last line seen stays in sight.
EMSCRIPTEN_KEEPALIVE void uneplace_input_wheel(double dx, double dy, int delta_mode) {
    const ImGuiContext& g = *GImGui;
    const float line = g.FontSize > 0 ? g.FontSize + g.Style.ItemSpacing.y : 27.0f;
    const float page = ImMax(line, g.IO.DisplaySize.y - line);
    InputEvent e;
    e.kind = InputEventKind::Wheel;
    e.x = wheel_delta_px((float)dx, delta_mode, line, page);
    e.y = wheel_delta_px((float)dy, delta_mode, line, page);
    if (e.x != 0.0f || e.y != 0.0f) queue_input(std::move(e));
}

EMSCRIPTEN_KEEPALIVE void uneplace_input_key(const char* dom_key, int down, int mods) {
    InputEvent e;
    e.kind = InputEventKind::Key;
    e.key = input_key_from_dom(dom_key);
    e.down = down != 0;
    e.mods = mods;
    if (e.key != InputKey_None) queue_input(std::move(e));
}

EMSCRIPTEN_KEEPALIVE void uneplace_input_text(const char* utf8) {
    InputEvent e;
    e.kind = InputEventKind::Text;
    e.text = utf8;
    if (!e.text.empty()) queue_input(std::move(e));
}

// A single-line field would drop the line breaks of a pasted block and glue the lines together:
// each run of them becomes one space there. A multi-line field keeps them.
EMSCRIPTEN_KEEPALIVE void uneplace_input_paste(const char* utf8) {
    const ImGuiContext& g = *GImGui;
    const bool multiline = g.ActiveId != 0 && g.InputTextState.ID == g.ActiveId &&
                           (g.InputTextState.Flags & ImGuiInputTextFlags_Multiline);
    std::string text;
    for (const char* s = utf8; *s; ++s) {
        const bool line_break = *s == '\n' || *s == '\r';
        if (!line_break || multiline) text += *s == '\r' ? '\n' : *s;
        else if (text.empty() || text.back() != ' ') text += ' ';
        if (multiline && *s == '\r' && s[1] == '\n') ++s;
    }
    if (g_input.attach_paste(text)) platform_request_frame();
    else uneplace_input_text(text.c_str());
}

// ---- Accessibility mirror: a screen reader moved to an item's node ----
EMSCRIPTEN_KEEPALIVE void uneplace_mirror_focus(unsigned id) {
    registry_request_focus(id);
    platform_request_frame(0);
}

EMSCRIPTEN_KEEPALIVE void uneplace_input_release_all() {
    g_input.release_all();
    platform_request_frame();
}

EMSCRIPTEN_KEEPALIVE int uneplace_input_pending() { return (int)g_input.events.size(); }

// The keyboard a tap at (x, y) needs ("email", "numeric"…), or null when no text field is there.
EMSCRIPTEN_KEEPALIVE const char* uneplace_text_field_at(float x, float y) {
    const std::string* label = registry_text_field_at(ImVec2(x, y));
    return label ? input_mode_for_caption(*label) : nullptr;
}

// What Ctrl/Cmd+C or X takes from the active field, as Dear ImGui will: the selection, or the whole
// text of a single-line field; null for a password or when no field is active.
EMSCRIPTEN_KEEPALIVE const char* uneplace_text_field_selection() {
    static std::string out;
    const ImGuiContext& g = *GImGui;
    const ImGuiInputTextState& f = g.InputTextState;
    if (g.ActiveId == 0 || f.ID != g.ActiveId || (f.Flags & ImGuiInputTextFlags_Password)) return nullptr;
    const bool selection = f.Stb.select_start != f.Stb.select_end;
    if (!selection && (f.Flags & ImGuiInputTextFlags_Multiline)) return nullptr;
    const int begin = selection ? ImMin(f.Stb.select_start, f.Stb.select_end) : 0;
    const int end = selection ? ImMax(f.Stb.select_start, f.Stb.select_end) : f.CurLenW;
    out.assign((size_t)ImTextCountUtf8BytesFromStr(f.TextW.Data + begin, f.TextW.Data + end) + 1, '\0');
    ImTextStrToUtf8(out.data(), (int)out.size(), f.TextW.Data + begin, f.TextW.Data + end);
    return out.c_str();
}

// The characters of `utf8` the fonts lack, as a JSON array of code points.
EMSCRIPTEN_KEEPALIVE const char* uneplace_missing_glyphs(const char* utf8) {
    static std::string json;
    json = "[";
    for (unsigned c : ui_fonts_missing(utf8)) json += (json.size() > 1 ? "," : "") + std::to_string(c);
    json += "]";
    return json.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* uneplace_font_atlas() {
    static char json[96];
    const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    std::snprintf(json, sizeof json, "{\"width\":%d,\"height\":%d,\"glyphs\":%d}", atlas.TexWidth, atlas.TexHeight,
                  g_fonts.body ? g_fonts.body->Glyphs.Size : 0);
    return json;
}

// ---- HTTP and the registry ----
EMSCRIPTEN_KEEPALIVE void uneplace_http_done(int id, int status, const char* body) {
    auto it = g_pending_http.find(id);
    if (it == g_pending_http.end()) return;
    HttpCallback cb = std::move(it->second);
    g_pending_http.erase(it);
    cb(HttpResponse{status, body});
    platform_request_frame();  // the answer changes what is drawn
}

EMSCRIPTEN_KEEPALIVE void uneplace_http_done_bytes(int id, int status, const char* body, int size) {
    auto it = g_pending_http.find(id);
    if (it == g_pending_http.end()) return;
    HttpCallback cb = std::move(it->second);
    g_pending_http.erase(it);
    cb(HttpResponse{status, std::string(body, static_cast<std::size_t>(size))});
    platform_request_frame();
}

EMSCRIPTEN_KEEPALIVE void uneplace_wake() { platform_request_frame(); }

// One frame; then another while something is under way (frames left after a wake, input events not
// fed yet, a request in flight turning the spinner, a test waiting for frames), else sleep until woken.
EMSCRIPTEN_KEEPALIVE void uneplace_frame() {
    g_frame();
    if (g_frames_wanted > 0) --g_frames_wanted;
    const bool waited_for = js_frame_drawn() != 0;
    if (g_frames_wanted > 0 || platform_input_pending() || !g_pending_http.empty() || waited_for) js_schedule_frame();
    else js_sleep_until_next_minute();
}

EMSCRIPTEN_KEEPALIVE int uneplace_pending_requests() { return (int)g_pending_http.size(); }

EMSCRIPTEN_KEEPALIVE const char* uneplace_registry_json() {
    static std::string json;
    json = registry_items_json();
    return json.c_str();
}

}  // extern "C"

//-------------------------------------------------------------------------------------------------
// [SECTION] File download
//-------------------------------------------------------------------------------------------------

// A Blob and a temporary <a download>: the browser saves a real file (and a test sees Playwright's
// download event). Bytes go as they are, so a CSV's byte order mark reaches the file.
EM_JS(int, js_download_file, (const char* name, const char* mime, const unsigned char* data, int size), {
    try {
        const bytes = HEAPU8.slice(data, data + size);
        const blob = new Blob([bytes], {type: UTF8ToString(mime)});
        const url = URL.createObjectURL(blob);
        const a = document.createElement("a");
        a.href = url;
        a.download = UTF8ToString(name);
        a.style.display = "none";
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
        return 1;
    } catch (e) {
        return 0;
    }
});

bool platform_download_file(std::string_view filename, std::string_view mime, std::string_view content) {
    return js_download_file(std::string(filename).c_str(), std::string(mime).c_str(),
                            reinterpret_cast<const unsigned char*>(content.data()), (int)content.size()) != 0;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Images: choosing a poster, uploading it, textures of posters by URL (issue 18)
//-------------------------------------------------------------------------------------------------

namespace {
int g_next_choice_id = 1;
std::map<int, std::function<void(std::string, std::string)>> g_pending_choices;
struct ImageSlot {
    PlatformImage image;
    bool loading = true;
};
std::map<std::string, ImageSlot, std::less<>> g_images;  // by URL, for the life of the page
std::map<int, std::string> g_image_requests;             // request id → URL
int g_next_image_id = 1;
}  // namespace

// A hidden <input type=file>, clicked within the person's gesture (the button's click).
EM_JS(void, js_choose_image, (int id), {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = "image/jpeg,image/png,image/webp";
    input.style.display = "none";
    input.setAttribute("data-uneplace", "poster");
    input.addEventListener("change", () => {
        const file = input.files && input.files[0];
        input.remove();
        if (!file) return;
        file.arrayBuffer().then((buffer) => {
            const bytes = new Uint8Array(buffer);
            const p = _malloc(bytes.length + 1);
            HEAPU8.set(bytes, p);
            const type = file.type || "";
            const n = lengthBytesUTF8(type) + 1;
            const t = _malloc(n);
            stringToUTF8(type, t, n);
            _uneplace_image_chosen(id, p, bytes.length, t);
            _free(t);
            _free(p);
        });
    });
    document.body.appendChild(input);
    input.click();
});

EM_JS(void, js_http_upload, (int id, const char* path, const unsigned char* data, int size, const char* type, const char* csrf), {
    const url = UTF8ToString(path), t = UTF8ToString(csrf);
    const headers = {"Accept": "application/json", "Content-Type": UTF8ToString(type)};
    if (t.length) headers["X-CSRF-Token"] = t;
    window.uneplace.requestLog.push("PUT " + url);
    const body = HEAPU8.slice(data, data + size);
    const finish = (status, text) => {
        const n = lengthBytesUTF8(text) + 1;
        const p = _malloc(n);
        stringToUTF8(text, p, n);
        _uneplace_http_done(id, status, p);
        _free(p);
    };
    fetch(url, {method: "PUT", headers: headers, body: body, credentials: "same-origin", cache: "no-store"})
        .then((r) => r.text().then((text) => finish(r.status, text)))
        .catch(() => finish(0, ""));
});

// Fetched with the browser's cache (the URLs are versioned and kept a year), decoded off the main
// thread by createImageBitmap, then uploaded as a WebGL texture registered in Emscripten's GL table
// so ImGui's OpenGL backend binds it by name.
EM_JS(void, js_image_load, (int id, const char* path), {
    const url = UTF8ToString(path);
    fetch(url, {credentials: "same-origin"})
        .then((r) => r.ok ? r.blob() : Promise.reject(r.status))
        .then((blob) => createImageBitmap(blob))
        .then((bitmap) => {
            const gl = GLctx;
            const texture = gl.createTexture();
            const previous = gl.getParameter(gl.TEXTURE_BINDING_2D);
            gl.bindTexture(gl.TEXTURE_2D, texture);
            gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
            gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
            gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
            gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
            gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, bitmap);
            gl.bindTexture(gl.TEXTURE_2D, previous);
            const name = GL.getNewId(GL.textures);
            texture.name = name;
            GL.textures[name] = texture;
            window.uneplace.imagesLoaded = (window.uneplace.imagesLoaded || 0) + 1;
            _uneplace_image_loaded(id, name, bitmap.width, bitmap.height);
            bitmap.close();
        })
        .catch(() => _uneplace_image_loaded(id, 0, 0, 0));
});

extern "C" {
EMSCRIPTEN_KEEPALIVE void uneplace_image_chosen(int id, const unsigned char* data, int size, const char* type) {
    auto it = g_pending_choices.find(id);
    if (it == g_pending_choices.end()) return;
    auto chosen = std::move(it->second);
    g_pending_choices.erase(it);
    chosen(std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)), type);
    platform_request_frame();
}

EMSCRIPTEN_KEEPALIVE void uneplace_image_loaded(int id, int texture, int width, int height) {
    auto it = g_image_requests.find(id);
    if (it == g_image_requests.end()) return;
    auto slot = g_images.find(it->second);
    g_image_requests.erase(it);
    if (slot == g_images.end()) return;
    slot->second.loading = false;
    slot->second.image = PlatformImage{static_cast<unsigned>(texture), width, height};
    platform_request_frame();  // the row can show it now
}
}  // extern "C"

void platform_choose_image(std::function<void(std::string bytes, std::string type)> chosen) {
    const int id = g_next_choice_id++;
    g_pending_choices[id] = std::move(chosen);
    js_choose_image(id);
}

void platform_http_upload(std::string_view path, std::string_view bytes, std::string_view content_type,
                          std::string_view csrf_token, HttpCallback done) {
    const int id = g_next_http_id++;
    g_pending_http[id] = std::move(done);
    js_http_upload(id, std::string(path).c_str(), reinterpret_cast<const unsigned char*>(bytes.data()), (int)bytes.size(),
                   std::string(content_type).c_str(), std::string(csrf_token).c_str());
}

const PlatformImage* platform_image(std::string_view url) {
    if (url.empty()) return nullptr;
    auto it = g_images.find(url);
    if (it == g_images.end()) {
        const int id = g_next_image_id++;
        g_images.emplace(std::string(url), ImageSlot{});
        g_image_requests[id] = std::string(url);
        js_image_load(id, std::string(url).c_str());
        return nullptr;
    }
    return it->second.loading || it->second.image.texture == 0 ? nullptr : &it->second.image;
}
