// uneplace client — the platform layer: everything that talks to the browser.
// Only platform_web.cpp implements these (with Emscripten's EM_JS); no view and no network code
// knows it runs in a browser. As in ImHex and Tracy, one file holds the web-only code.
#pragma once
#include <functional>
#include <string>
#include <string_view>

struct GLFWwindow;

// ---- Page, canvas and pixel density -------------------------------------------------------------
struct PageMetrics {
    float css_width = 0, css_height = 0;  // size of the page's viewport, CSS pixels
    float device_pixel_ratio = 1;        // framebuffer pixels per CSS pixel (HiDPI, browser zoom)
};
// Installs the page glue once: hidden text input, clipboard, hash routing, window.uneplace for tests.
void platform_init(GLFWwindow* window);
// Sizes the canvas's drawing buffer to CSS size × devicePixelRatio and returns the figures.
PageMetrics platform_sync_canvas();
// Called after ImGui::NewFrame(): releases keys held back so a quick tap is seen for one frame.
void platform_input_frame_done();
// Called once the first frame is drawn: sets window.uneplace.ready.
void platform_first_frame_drawn();

// ---- Text input through a hidden <input> --------------------------------------------------------
// Characters typed, composed (dead keys, IME), pasted or inserted by automation arrive through one
// hidden <input> and are fed to Dear ImGui as UTF-8; GLFW's own char events are switched off.
// `wants_text` mirrors io.WantTextInput; (x, y) is where the text cursor is, for IME popups.
void platform_text_input_focus(bool wants_text, float x, float y);
// Writes to the system clipboard (within the user's gesture: Ctrl+C / the "Copier" button).
void platform_clipboard_write(std::string_view text);

// ---- Location (deep links, back and forward) ----------------------------------------------------
std::string platform_location_hash();        // e.g. "#/seance/123"
void platform_set_location_hash(std::string_view hash, bool replace);

// ---- HTTP to the uneplace server (same origin) --------------------------------------------------
struct HttpResponse {
    int status = 0;        // 0 when the server could not be reached
    std::string body;
};
using HttpCallback = std::function<void(const HttpResponse&)>;
// Sends a request with the session cookie; `csrf_token` goes in X-CSRF-Token when not empty.
void platform_http(std::string_view method, std::string_view path, std::string_view json_body,
                   std::string_view csrf_token, HttpCallback done);

// The next platform_http() call (and only it) carries this Idempotency-Key header: a create
// resent after a lost answer is answered with the first answer instead of being made twice.
void platform_http_next_idempotency_key(std::string_view key);

// ---- Files ----------------------------------------------------------------------------------------
// Saves `content` as a file named `filename` through the browser's download (a Blob and an
// <a download>). Returns false when the browser refused.
bool platform_download_file(std::string_view filename, std::string_view mime, std::string_view content);

// ---- Small persistent values (sessionStorage: survives a reload, not the tab) -------------------
std::string platform_session_get(std::string_view key);
void platform_session_set(std::string_view key, std::string_view value);

// ---- Time ---------------------------------------------------------------------------------------
// Wall clock in Unix seconds (UTC). The shared module never reads a clock: the client passes this.
long long platform_now_unix();
