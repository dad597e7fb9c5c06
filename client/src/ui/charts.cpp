// uneplace client — the dashboard's charts (ui/charts.hpp).
#include "ui/charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "imgui_internal.h"  // ImRect
#include "ui/format.hpp"
#include "ui/widgets.hpp"
#include "widget_registry.hpp"
#include "uneplace/impact.hpp"

// 0, 1, 2, 5, 10, 20, 50… ≥ value / 4: a readable grid step.
static double nice_step(double max_value, int lines) {
    if (max_value <= 0) return 1;
    const double raw = max_value / lines;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * p) return m * p;
    return 10 * p;
}

static std::string axis_label(double v, bool percent) {
    if (percent) return uneplace::format_permille_fr((int)std::lround(v));
    return uneplace::format_count_fr((std::int64_t)std::llround(v));
}

// The chart's frame: a title, a legend, and the plotting rectangle it returns.
static ImRect chart_frame(const char* title, const std::vector<Series>& series, ImVec2 size) {
    ImGui::PushFont(g_fonts.bold);
    ws_text_item(title);
    ImGui::PopFont();
    if (series.size() > 1) {
        for (size_t i = 0; i < series.size(); ++i) {
            ImGui::SameLine(0, i == 0 ? 24.0f : 16.0f);
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float h = ImGui::GetTextLineHeight();
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + h * 0.25f),
                                                      ImVec2(p.x + h * 0.5f, p.y + h * 0.75f), series[i].color, 2.0f);
            ImGui::Dummy(ImVec2(h * 0.5f, h));
            ImGui::SameLine(0, 6);
            ImGui::TextDisabled("%s", series[i].name);
        }
    }
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::Dummy(size);
    return ImRect(pos, ImVec2(pos.x + size.x, pos.y + size.y));
}

// Horizontal grid lines with their labels on the left; returns the plotting area.
static ImRect draw_grid(const ImRect& frame, double max_value, bool percent, double* axis_max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const double step = nice_step(max_value, 4);
    const double top = std::max(step, std::ceil(max_value / step) * step);
    *axis_max = top;
    const float label_w = ImGui::CalcTextSize(axis_label(top, percent).c_str()).x + 10;
    const float bottom_h = ImGui::GetTextLineHeight() + 8;
    const ImRect plot(ImVec2(frame.Min.x + label_w, frame.Min.y + 6), ImVec2(frame.Max.x - 6, frame.Max.y - bottom_h));
    for (double v = 0; v <= top + step * 0.5; v += step) {
        const float y = plot.Max.y - (float)(v / top) * plot.GetHeight();
        dl->AddLine(ImVec2(plot.Min.x, y), ImVec2(plot.Max.x, y), kGridColor);
        const std::string label = axis_label(v, percent);
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        dl->AddText(ImVec2(plot.Min.x - ts.x - 6, y - ts.y * 0.5f), ui_color::muted, label.c_str());
    }
    return plot;
}

// A count or an index as the float coordinate it positions (charts hold a few dozen bars).
static float as_float(size_t n) { return static_cast<float>(n); }

// Category labels under the plot, thinned out when they would overlap.
static void draw_x_labels(const ImRect& plot, const std::vector<std::string>& labels) {
    if (labels.empty()) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float slot = plot.GetWidth() / as_float(labels.size());
    float widest = 0;
    for (const auto& l : labels) widest = std::max(widest, ImGui::CalcTextSize(l.c_str()).x);
    const int every = std::max(1, (int)std::ceil((widest + 8) / slot));
    for (size_t i = 0; i < labels.size(); i += every) {
        const ImVec2 ts = ImGui::CalcTextSize(labels[i].c_str());
        const float cx = plot.Min.x + slot * (as_float(i) + 0.5f);
        dl->AddText(ImVec2(cx - ts.x * 0.5f, plot.Max.y + 4), ui_color::muted, labels[i].c_str());
    }
}

static void hover_tooltip(const ImRect& r, const std::string& text) {
    if (ImGui::IsMouseHoveringRect(r.Min, r.Max) && ImGui::IsWindowHovered()) ImGui::SetTooltip("%s", text.c_str());
}

void bar_chart(const char* title, const std::vector<std::string>& labels, const std::vector<Series>& series,
               ImVec2 size, bool percent) {
    const ImRect frame = chart_frame(title, series, size);
    double max_value = 0;
    for (const auto& s : series)
        for (double v : s.values) max_value = std::max(max_value, v);
    double top = 1;
    const ImRect plot = draw_grid(frame, max_value, percent, &top);
    draw_x_labels(plot, labels);
    if (labels.empty()) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float slot = plot.GetWidth() / as_float(labels.size());
    const float group_w = slot * 0.72f;
    const float bar_w = group_w / as_float(std::max<size_t>(1, series.size()));
    for (size_t i = 0; i < labels.size(); ++i) {
        const float x0 = plot.Min.x + slot * as_float(i) + (slot - group_w) * 0.5f;
        std::string tip = labels[i];
        for (size_t k = 0; k < series.size(); ++k) {
            const double v = i < series[k].values.size() ? series[k].values[i] : 0;
            const float h = (float)(v / top) * plot.GetHeight();
            const ImVec2 a(x0 + bar_w * as_float(k) + 1, plot.Max.y - h),
                b(x0 + bar_w * as_float(k + 1) - 1, plot.Max.y);
            if (h > 0.5f)
                dl->AddRectFilled(a, b, series[k].color, std::min(3.0f, bar_w * 0.3f), ImDrawFlags_RoundCornersTop);
            tip += "\n" + std::string(series[k].name) + " : " + axis_label(v, percent);
        }
        hover_tooltip(ImRect(ImVec2(plot.Min.x + slot * as_float(i), plot.Min.y),
                             ImVec2(plot.Min.x + slot * as_float(i + 1), plot.Max.y)),
                      tip);
    }
}

void line_chart(const char* title, const std::vector<std::string>& labels, const std::vector<Series>& series,
                ImVec2 size, bool percent, double reference, const char* reference_label) {
    const ImRect frame = chart_frame(title, series, size);
    double max_value = reference;
    for (const auto& s : series)
        for (double v : s.values) max_value = std::max(max_value, v);
    double top = 1;
    const ImRect plot = draw_grid(frame, std::max(max_value, percent ? 100.0 : 1.0), percent, &top);
    draw_x_labels(plot, labels);
    if (labels.empty()) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float slot = plot.GetWidth() / as_float(labels.size());
    if (reference >= 0) {
        const float y = plot.Max.y - (float)(reference / top) * plot.GetHeight();
        for (float x = plot.Min.x; x < plot.Max.x; x += 10)
            dl->AddLine(ImVec2(x, y), ImVec2(std::min(x + 5, plot.Max.x), y), ui_color::muted);
        if (reference_label)
            dl->AddText(ImVec2(plot.Max.x - ImGui::CalcTextSize(reference_label).x, y - ImGui::GetTextLineHeight() - 2),
                        ui_color::muted, reference_label);
    }
    for (const auto& s : series) {
        // Consecutive known points are joined; a month without data breaks the line.
        std::vector<ImVec2> run;
        auto flush = [&]() {
            if (run.size() > 1) dl->AddPolyline(run.data(), (int)run.size(), s.color, ImDrawFlags_None, 2.5f);
            run.clear();
        };
        for (size_t i = 0; i < labels.size(); ++i) {
            if (!s.at(i)) {
                flush();
                continue;
            }
            const ImVec2 p(plot.Min.x + slot * (as_float(i) + 0.5f),
                           plot.Max.y - (float)(s.values[i] / top) * plot.GetHeight());
            run.push_back(p);
            dl->AddCircleFilled(p, 4.0f, s.color);
            dl->AddCircleFilled(p, 2.0f, ui_color::surface);
        }
        flush();
    }
    for (size_t i = 0; i < labels.size(); ++i) {
        std::string tip = labels[i];
        for (const auto& s : series)
            tip += "\n" + std::string(s.name) + " : " +
                   (s.at(i) ? axis_label(s.values[i], percent) : std::string("pas de donnée"));
        hover_tooltip(ImRect(ImVec2(plot.Min.x + slot * as_float(i), plot.Min.y),
                             ImVec2(plot.Min.x + slot * as_float(i + 1), plot.Max.y)),
                      tip);
    }
}

// One row per label, bars side by side to the right; value written at the end of the last bar.
void hbar_chart(const char* title, const std::vector<std::string>& labels, const std::vector<Series>& series,
                float width, const std::vector<std::string>& notes) {
    const float row_h = 12.0f * as_float(series.size()) + 12.0f;
    const ImRect frame =
        chart_frame(title, series, ImVec2(width, std::max(60.0f, row_h * as_float(labels.size()) + 8)));
    if (labels.empty()) {
        ImGui::GetWindowDrawList()->AddText(frame.Min, ui_color::muted, "Aucune donnée sur la période.");
        return;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float label_w = 0;
    for (const auto& l : labels) label_w = std::max(label_w, ImGui::CalcTextSize(l.c_str()).x);
    label_w = std::min(label_w + 12, width * 0.4f);
    const float note_w = 90;
    const ImRect plot(ImVec2(frame.Min.x + label_w, frame.Min.y), ImVec2(frame.Max.x - note_w, frame.Max.y));
    double max_value = 0;
    for (const auto& s : series)
        for (double v : s.values) max_value = std::max(max_value, v);
    if (max_value <= 0) max_value = 1;
    for (size_t i = 0; i < labels.size(); ++i) {
        const float y0 = plot.Min.y + row_h * as_float(i) + 6;
        const ImVec2 ts = ImGui::CalcTextSize(labels[i].c_str());
        dl->PushClipRect(frame.Min, ImVec2(plot.Min.x - 8, frame.Max.y), true);
        dl->AddText(ImVec2(frame.Min.x, y0 + (row_h - 12 - ts.y) * 0.5f), ui_color::text, labels[i].c_str());
        dl->PopClipRect();
        std::string tip = labels[i];
        for (size_t k = 0; k < series.size(); ++k) {
            const double v = i < series[k].values.size() ? series[k].values[i] : 0;
            const float w = (float)(v / max_value) * plot.GetWidth();
            const float y = y0 + 12.0f * as_float(k);
            dl->AddRectFilled(ImVec2(plot.Min.x, y), ImVec2(plot.Min.x + std::max(w, 1.0f), y + 10), series[k].color,
                              2.0f);
            tip += "\n" + std::string(series[k].name) + " : " + uneplace::format_count_fr((std::int64_t)v);
        }
        if (i < notes.size())
            dl->AddText(ImVec2(plot.Max.x + 8, y0 + (row_h - 12 - ts.y) * 0.5f), ui_color::muted, notes[i].c_str());
        hover_tooltip(ImRect(ImVec2(frame.Min.x, y0 - 4), ImVec2(frame.Max.x, y0 + row_h - 4)), tip);
    }
}
