// uneplace client — web platform layer (the only file that knows it runs in a browser).
//
// Index of this file:
// [SECTION] Page glue installed once (hidden input, clipboard, hash, test bridge)
// [SECTION] Canvas size and devicePixelRatio
// [SECTION] Text input and clipboard
// [SECTION] Location hash
// [SECTION] HTTP
// [SECTION] sessionStorage and clock
// [SECTION] Functions exported to JavaScript

#include "platform.hpp"

#include <emscripten.h>
#include <GLFW/glfw3.h>

#include <algorithm>
#include <map>
#include <vector>

#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "widget_registry.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] Page glue installed once (hidden input, clipboard, hash, test bridge)
//-------------------------------------------------------------------------------------------------

// Why a hidden <input>: Emscripten 3.1.6's GLFW only sees keypress events, so text that the browser
// inserts without one (dead keys, IME composition, mobile keyboards, automation, paste) never reaches
// Dear ImGui. A real <input> receives all of it; we forward its text and empty it at once.
EM_JS(void, js_install_page_glue, (), {
    const input = document.createElement("input");
    input.id = "uneplace-text-input";
    input.type = "text";
    input.setAttribute("autocomplete", "off");
    input.setAttribute("autocorrect", "off");
    input.setAttribute("autocapitalize", "off");
    input.setAttribute("spellcheck", "false");
    input.setAttribute("aria-hidden", "true");
    input.tabIndex = -1;
    input.style.cssText = "position:fixed;left:0;top:0;width:2px;height:2px;opacity:0;border:0;padding:0;" +
                          "margin:0;background:transparent;color:transparent;caret-color:transparent;z-index:-1;";
    document.body.appendChild(input);

    const send = (text) => {
        if (!text) return;
        const n = lengthBytesUTF8(text) + 1;
        const p = _malloc(n);
        stringToUTF8(text, p, n);
        _uneplace_text_input(p);
        _free(p);
    };
    let composing = false;
    input.addEventListener("compositionstart", () => { composing = true; });
    input.addEventListener("compositionend", (e) => {
        composing = false;
        send(input.value || e.data);
        input.value = "";
    });
    input.addEventListener("input", (e) => {
        if (composing || e.isComposing) return;
        send(input.value);
        input.value = "";
    });
    input.addEventListener("paste", (e) => {
        e.preventDefault();
        const text = (e.clipboardData || window.clipboardData).getData("text");
        // A single-line field: line breaks of a pasted block become spaces.
        send(Array.from(text, (c) => (c.charCodeAt(0) === 10 || c.charCodeAt(0) === 13) ? " " : c).join(""));
    });
    Module.uneplaceTextInput = input;
    Module.uneplaceWantsText = false;

    // Keep the field focused while Dear ImGui wants text, even after a click on the canvas.
    const canvas = Module["canvas"];
    canvas.addEventListener("mouseup", () => { if (Module.uneplaceWantsText) setTimeout(() => input.focus(), 0); });

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
    // Every request the app sent, in order: tests prove a refusal happened before any request.
    window.uneplace.requestLog = [];
});

// Dear ImGui 1.86 reads keys as "down" flags once per frame. A key pressed and released between two
// frames (automation, a quick tap on Enter or Backspace) would never be seen down: its release is
// held back until the frame after the press has been processed.
namespace {
struct HeldRelease { GLFWwindow* window; int key, scancode, mods; };
std::vector<HeldRelease> g_held_releases;
std::vector<int> g_pressed_this_frame;

void key_callback(GLFWwindow* window, int key, int scancode, int action, int mods) {
    if (action == GLFW_RELEASE && std::find(g_pressed_this_frame.begin(), g_pressed_this_frame.end(), key) != g_pressed_this_frame.end()) {
        g_held_releases.push_back({window, key, scancode, mods});
        return;
    }
    if (action == GLFW_PRESS) g_pressed_this_frame.push_back(key);
    ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
}
}  // namespace

void platform_input_frame_done() {
    g_pressed_this_frame.clear();
    for (const HeldRelease& r : g_held_releases) ImGui_ImplGlfw_KeyCallback(r.window, r.key, r.scancode, GLFW_RELEASE, r.mods);
    g_held_releases.clear();
}

void platform_init(GLFWwindow* window) {
    // All text comes through the hidden input; GLFW's keypress path would type it twice.
    glfwSetCharCallback(window, nullptr);
    glfwSetKeyCallback(window, key_callback);
    ImGuiIO& io = ImGui::GetIO();
    io.SetClipboardTextFn = [](void*, const char* text) { platform_clipboard_write(text); };
    // Ctrl+V in Dear ImGui reads this: the paste event already delivered the system clipboard.
    io.GetClipboardTextFn = [](void*) -> const char* { return ""; };
    js_install_page_glue();
}

EM_JS(void, js_first_frame_drawn, (), {
    window.uneplace.ready = true;
    const loading = document.getElementById("loading");
    if (loading) loading.remove();
});

void platform_first_frame_drawn() { js_first_frame_drawn(); }

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
// [SECTION] Text input and clipboard
//-------------------------------------------------------------------------------------------------

EM_JS(void, js_text_input_focus, (int wants, float x, float y), {
    const input = Module.uneplaceTextInput;
    if (!input) return;
    Module.uneplaceWantsText = !!wants;
    if (wants) {
        input.style.left = Math.round(x) + "px";
        input.style.top = Math.round(y) + "px";
        if (document.activeElement !== input) input.focus({preventScroll: true});
    } else if (document.activeElement === input) {
        input.blur();
        input.value = "";
    }
});

void platform_text_input_focus(bool wants_text, float x, float y) { js_text_input_focus(wants_text ? 1 : 0, x, y); }

EM_JS(void, js_clipboard_write, (const char* text), {
    const s = UTF8ToString(text);
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(s).catch(() => {});
    window.uneplace.lastCopied = s;
});

void platform_clipboard_write(std::string_view text) { js_clipboard_write(std::string(text).c_str()); }

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
    fetch(url, {method: m, headers: headers, body: b.length ? b : undefined, credentials: "same-origin", cache: "no-store"})
        .then((r) => r.text().then((text) => finish(r.status, text)))
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

EMSCRIPTEN_KEEPALIVE void uneplace_text_input(const char* utf8) { ImGui::GetIO().AddInputCharactersUTF8(utf8); }

EMSCRIPTEN_KEEPALIVE void uneplace_http_done(int id, int status, const char* body) {
    auto it = g_pending_http.find(id);
    if (it == g_pending_http.end()) return;
    HttpCallback cb = std::move(it->second);
    g_pending_http.erase(it);
    cb(HttpResponse{status, body});
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
