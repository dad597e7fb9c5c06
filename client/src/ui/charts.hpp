// uneplace client — the impact dashboard's charts, drawn with ImDrawList: grouped bars, lines
// (a gap where a ratio has no denominator, not a 0) and horizontal bars, each with its legend and
// values recorded in the widget registry.
#pragma once
#include <string>
#include <vector>

#include "imgui.h"
#include "ui/theme.hpp"

struct Series {
    const char* name;
    ImU32 color;
    std::vector<double> values;
    std::vector<bool> present;  // lines only: false where the ratio has no denominator (a gap, not a 0)
    bool at(size_t i) const { return i < values.size() && (present.empty() || (i < present.size() && present[i])); }
};

constexpr ImU32 kDonatedColor = IM_COL32(172, 186, 208, 255);
constexpr ImU32 kBookedColor = IM_COL32(236, 152, 84, 255);
constexpr ImU32 kAttendedColor = ui_color::primary;
constexpr ImU32 kGridColor = IM_COL32(228, 225, 220, 255);

void bar_chart(const char* title, const std::vector<std::string>& labels, const std::vector<Series>& series,
               ImVec2 size, bool percent = false);
void line_chart(const char* title, const std::vector<std::string>& labels, const std::vector<Series>& series,
                ImVec2 size, bool percent, double reference = -1, const char* reference_label = nullptr);
// One row per label, bars side by side to the right; value written at the end of the last bar.
void hbar_chart(const char* title, const std::vector<std::string>& labels, const std::vector<Series>& series,
                float width, const std::vector<std::string>& notes);
