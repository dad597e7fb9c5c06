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
    float device_pixel_ratio = 1;         // framebuffer pixels per CSS pixel (HiDPI, browser zoom)
};
// Installs the page glue once: hidden text input, clipboard, hash routing, window.uneplace for tests.
void platform_init(GLFWwindow* window);
// Sizes the canvas's drawing buffer to CSS size × devicePixelRatio and returns the figures.
PageMetrics platform_sync_canvas();
// Called once the first frame is drawn: sets window.uneplace.ready.
void platform_first_frame_drawn();

// ---- Frame scheduling: draw only when something changes -----------------------------------------
// The page draws a frame when something may have changed, and otherwise sleeps (no frame, no CPU):
// input events, an HTTP answer, a resize, the location hash or the tab coming back wake it by
// themselves, and each wake draws a few frames so Dear ImGui settles (hover, a release held back,
// windows that size themselves on their second frame). While a request is in flight frames go on
// (the header's spinner turns). A wall-clock minute also draws one frame, so the dates and
// "opens in …" texts computed from the clock stay true on a screen nobody touches.
// Starts the loop; `frame` draws one frame.
void platform_run_frame_loop(void (*frame)());
// A timer the app sets (the offline retry, a countdown): a frame in `seconds` (0: as soon as possible).
void platform_request_frame(double seconds = 0);

// ---- Input: pointer, touch, wheel, keys, text, clipboard ----------------------------------------
// The page queues every event in arrival order (input_queue.hpp); characters typed, composed (dead
// keys, IME), dictated or pasted arrive through one hidden <input>, focused within the click or tap
// that hits a text field so that phones show their keyboard.
// Before ImGui::NewFrame() (after the GLFW backend's NewFrame): feeds this frame's share of the
// queue — pointer, buttons, wheel in pixels, keys and modifiers, text — to Dear ImGui.
void platform_input_new_frame();
// After the app has drawn the frame: keeps the hidden input focused at the text cursor, with the
// right on-screen keyboard, while a text field is active; lets it go once nothing is queued.
void platform_input_end_frame();
// True while input events wait to be fed (a frame is needed even if nothing else changed).
bool platform_input_pending();
// ---- Accessibility -------------------------------------------------------------------------------
// After a frame: mirrors the widget registry's items as a hidden DOM tree with ARIA roles and
// names (screen readers, voice control, the browser's accessibility tree), announces errors and
// confirmations through aria-live regions, and sets the page title from the screen's heading.
void platform_accessibility_mirror();
// Writes to the system clipboard (within the user's gesture: Ctrl+C / the "Copier" button).
void platform_clipboard_write(std::string_view text);

// ---- Location (deep links, back and forward) ----------------------------------------------------
std::string platform_location_hash();  // e.g. "#/seance/123"
void platform_set_location_hash(std::string_view hash, bool replace);

// ---- HTTP to the uneplace server (same origin) --------------------------------------------------
struct HttpResponse {
    int status = 0;  // 0 when the server could not be reached
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

// ---- Images (posters, issue 18) ------------------------------------------------------------------
// Opens the browser's file chooser (an <input type=file> for JPEG, PNG, WebP); when the person
// picks a file, `chosen` gets its bytes and its type. Nothing happens if they cancel.
void platform_choose_image(std::function<void(std::string bytes, std::string type)> chosen);
// PUTs `bytes` as they are with `content_type` (and the CSRF token); the answer as platform_http.
void platform_http_upload(std::string_view path, std::string_view bytes, std::string_view content_type,
                          std::string_view csrf_token, HttpCallback done);
// The image at `url` as a texture for ImGui::Image, or nullptr while it loads (or if it failed):
// asked for once, fetched and decoded by the browser off the frame, kept by URL. Never blocks.
struct PlatformImage {
    unsigned texture = 0;  // a GL texture name
    int width = 0, height = 0;
};
const PlatformImage* platform_image(std::string_view url);

// ---- Small persistent values (sessionStorage: survives a reload, not the tab) -------------------
std::string platform_session_get(std::string_view key);
void platform_session_set(std::string_view key, std::string_view value);

// ---- Time ---------------------------------------------------------------------------------------
// Wall clock in Unix seconds (UTC). The shared module never reads a clock: the client passes this.
long long platform_now_unix();
