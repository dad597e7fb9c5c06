// uneplace client — entry point: window, Dear ImGui, the frame loop.
// The browser drives the loop (requestAnimationFrame), only when something changed (the platform
// layer decides: input, an HTTP answer, a timer); each frame: size the canvas for the page's
// devicePixelRatio, feed Dear ImGui, draw the app, render with WebGL2.
#include <emscripten.h>
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>

#include <cstdio>

#include "app.hpp"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "platform.hpp"
#include "ui/theme.hpp"
#include "widget_registry.hpp"

namespace {
GLFWwindow* g_window = nullptr;
AppState g_app;
bool g_first_frame_drawn = false;

void frame() {
    const PageMetrics page = platform_sync_canvas();
    if (ui_fonts_update(page.device_pixel_ratio)) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // The GLFW backend counts in drawing-buffer pixels; Dear ImGui works in CSS pixels, the unit
    // of the page (and of the widget registry), with the framebuffer scale set to the ratio.
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(page.css_width, page.css_height);
    io.DisplayFramebufferScale = ImVec2(page.device_pixel_ratio, page.device_pixel_ratio);
    platform_input_new_frame();  // pointer (CSS pixels), wheel, keys and text queued by the page

    ImGui::NewFrame();
    registry_new_frame();
    app_frame(g_app);
    registry_end_frame();
    ImGui::Render();
    platform_accessibility_mirror();  // the DOM that screen readers read, from this frame's items

    platform_input_end_frame();  // the hidden input follows the active text field

    const int fb_w = (int)(page.css_width * page.device_pixel_ratio + 0.5f);
    const int fb_h = (int)(page.css_height * page.device_pixel_ratio + 0.5f);
    glViewport(0, 0, fb_w, fb_h);
    const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(ui_color::background);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    if (!g_first_frame_drawn) {
        g_first_frame_drawn = true;
        platform_first_frame_drawn();
    }
}
}  // namespace

int main() {
    if (!glfwInit()) {
        std::fprintf(stderr, "glfwInit failed\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    g_window = glfwCreateWindow(1280, 720, "uneplace", nullptr, nullptr);
    if (!g_window) {
        std::fprintf(stderr, "glfwCreateWindow failed (WebGL2 unavailable?)\n");
        return 1;
    }
    glfwMakeContextCurrent(g_window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // nothing to persist between visits
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    // A steady caret: a blinking one would need frames twice a second for as long as a field keeps
    // the focus, on a screen nobody touches (and a steady caret is what people who find blinking
    // distracting choose in their system settings anyway).
    io.ConfigInputTextCursorBlink = false;
    ui_apply_theme();
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    platform_init(g_window);

    platform_run_frame_loop(frame);
    return 0;
}
