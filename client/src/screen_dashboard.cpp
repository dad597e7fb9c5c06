// uneplace client — the impact dashboard: for a period and a territory, the figures of DOMAIN.md
// ("Impact figures") as large numbers and as charts drawn with ImDrawList — places donated, booked
// and attended by month, usage ratio over time, by département, by category, first-timers, no-show
// rate — and the CSV export of bookings (pseudonymous references only, P2).
// The server computes every figure with the shared module (impact.hpp); the client formats them
// with the same module (format_count_fr, format_permille_fr), so the numbers read the same
// everywhere.
//
// Index of this file:
// [SECTION] State and parsing
// [SECTION] Loading and export
// [SECTION] Chart drawing (grouped bars, lines, horizontal bars)
// [SECTION] Dashboard screen

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // ImRect
#include "platform.hpp"
#include "ui.hpp"
#include "widget_registry.hpp"
#include "workspace_common.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/impact.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/validation.hpp"

using nlohmann::json;
using uneplace::ImpactFigures;

//-------------------------------------------------------------------------------------------------
// [SECTION] State and parsing
//-------------------------------------------------------------------------------------------------

namespace {

struct Row {
    std::string key;
    ImpactFigures f;
};

struct Query {
    std::string from;       // "2026-01-01" (inclusive)
    std::string to;         // "2026-12-31" (inclusive, as people say it)
    std::string territory;  // "" all the admin's territories
    bool operator==(const Query&) const = default;
};

struct DashboardState {
    long long user_id = 0;
    std::string from_text, to_text;  // as typed, JJ/MM/AAAA
    std::string territory;
    Query loaded;                    // what the figures answer
    bool have_query = false;
    int pending = 0;
    std::optional<ApiError> error;
    ImpactFigures totals;
    bool have_totals = false;        // the figures shown answer a query (not zeros while loading)
    std::vector<Row> by_month, by_territory, by_category;
    std::string notice;
    bool exporting = false;
};

DashboardState g_dash;

ImpactFigures parse_figures(const json& row) {
    const json& j = row.contains("figures") && row["figures"].is_object() ? row["figures"] : row;
    auto num = [&](const char* key) -> std::int64_t {
        auto it = j.find(key);
        return (it != j.end() && it->is_number()) ? it->get<std::int64_t>() : 0;
    };
    ImpactFigures f;
    f.places_donated = num("places_donated");
    f.places_booked = num("places_booked");
    f.people_attended = num("people_attended");
    f.usage_permille = (int)num("usage_permille");
    f.bookings = num("bookings");
    f.unique_beneficiaries = num("unique_beneficiaries");
    f.first_timers = num("first_timers");
    f.late_cancellations = num("late_cancellations");
    f.attended_bookings = num("attended_bookings");
    f.no_show_bookings = num("no_show_bookings");
    f.no_show_permille = (int)num("no_show_permille");
    f.waitlist_served = num("waitlist_served");
    f.ratings_count = num("ratings_count");
    f.average_rating_x10 = (int)num("average_rating_x10");
    return f;
}

const json& rows_of(const json& answer) {
    for (const char* key : {"items", "rows", "groups"})
        if (answer.is_object() && answer.contains(key) && answer[key].is_array()) return answer[key];
    return ws_items(answer);
}

std::vector<Row> parse_rows(const json& answer) {
    std::vector<Row> out;
    for (const json& r : rows_of(answer)) {
        Row row;
        row.key = ws_text(r, "key");
        for (const char* alt : {"group", "month", "territory", "category"})
            if (row.key.empty()) row.key = ws_text(r, alt);
        row.f = parse_figures(r);
        out.push_back(std::move(row));
    }
    return out;
}

// "05/12/2026" or "2026-12-05" → the day as a civil date, checked by the shared parser.
std::optional<uneplace::CivilDate> parse_day(const std::string& text) {
    std::string t(uneplace::trim(text));
    if (t.size() == 10 && t[2] == '/' && t[5] == '/') t = t.substr(6, 4) + "-" + t.substr(3, 2) + "-" + t.substr(0, 2);
    const auto parsed = uneplace::parse_rfc3339(t + "T00:00", "from");
    if (!parsed.ok()) return std::nullopt;
    return parsed.value.civil.date();
}

std::string iso(const uneplace::CivilDate& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

std::string french(const uneplace::CivilDate& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day, d.month, d.year);
    return buf;
}

uneplace::CivilDate today() { return uneplace::to_local("75", platform_now_unix()).date(); }

std::int64_t days_of(const uneplace::CivilDate& d) { return uneplace::days_from_civil(d.year, d.month, d.day); }

void set_period(const uneplace::CivilDate& from, const uneplace::CivilDate& to) {
    g_dash.from_text = french(from);
    g_dash.to_text = french(to);
}

// The twelve months up to the end of the current one, plus three months ahead (sessions to come).
void default_period() {
    const uneplace::CivilDate t = today();
    uneplace::CivilDate from{t.year - 1, t.month, 1};
    if (t.month == 12) from = {t.year, 1, 1};
    else from = {t.year - 1, t.month + 1, 1};
    int to_month = t.month + 3, to_year = t.year;
    if (to_month > 12) {
        to_month -= 12;
        ++to_year;
    }
    set_period(from, {to_year, to_month, uneplace::days_in_month(to_year, to_month)});
}

// "2026-12" → "déc. 26"
std::string month_label(const std::string& key) {
    if (key.size() < 7) return key;
    const int month = std::atoi(key.substr(5, 2).c_str());
    if (month < 1 || month > 12) return key;
    return std::string(uneplace::month_abbr_fr(month)) + " " + key.substr(2, 2);
}

// Every month of the period, with the server's figures where it has some (a month with no session
// is a zero, not a gap).
std::vector<Row> months_of_period(const Query& q, const std::vector<Row>& rows) {
    auto from = parse_day(q.from), to = parse_day(q.to);
    std::map<std::string, ImpactFigures> known;
    for (const Row& r : rows) known[r.key] = r.f;
    std::vector<Row> out;
    if (!from || !to) return rows;
    int y = from->year, m = from->month;
    for (int guard = 0; guard < 120 && (y < to->year || (y == to->year && m <= to->month)); ++guard) {
        char key[8];
        std::snprintf(key, sizeof key, "%04d-%02d", y, m);
        Row r;
        r.key = key;
        if (auto it = known.find(key); it != known.end()) r.f = it->second;
        out.push_back(std::move(r));
        if (++m > 12) {
            m = 1;
            ++y;
        }
    }
    return out;
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Loading and export
//-------------------------------------------------------------------------------------------------

std::string query_string(const Query& q) {
    // `to` is exclusive for the server: the day after the last day asked.
    const auto to = parse_day(q.to);
    const std::string to_exclusive = to ? iso(uneplace::civil_from_days(days_of(*to) + 1)) : q.to;
    std::string s = "from=" + q.from + "&to=" + to_exclusive;
    if (!q.territory.empty()) s += "&territory=" + q.territory;
    return s;
}

void load_stats(const Query& q) {
    DashboardState& d = g_dash;
    if (!(d.loaded == q)) d.have_totals = false;  // other figures coming: do not show the old ones as theirs
    d.loaded = q;
    d.have_query = true;
    d.error.reset();
    d.pending = 4;
    const std::string base = "/api/v1/stats?" + query_string(q);
    auto done = [q](const char* group, const json& j) {
        DashboardState& st = g_dash;
        if (!(st.loaded == q)) return;
        --st.pending;
        const std::vector<Row> rows = parse_rows(j);
        const std::string g = group;
        if (g.empty()) {
            st.have_totals = true;
            st.totals = rows.empty() ? parse_figures(j.contains("totals") ? j["totals"] : j) : rows.front().f;
            if (j.is_object() && j.contains("totals") && j["totals"].is_object()) st.totals = parse_figures(j["totals"]);
        } else if (g == "month") {
            st.by_month = months_of_period(q, rows);
        } else if (g == "territory") {
            st.by_territory = rows;
        } else {
            st.by_category = rows;
        }
    };
    auto failed = [q](const ApiError& e) {
        if (!(g_dash.loaded == q)) return;
        --g_dash.pending;
        g_dash.error = e;
    };
    api_request("GET", base, "", [done](const json& j) { done("", j); }, failed);
    api_request("GET", base + "&group_by=month", "", [done](const json& j) { done("month", j); }, failed);
    api_request("GET", base + "&group_by=territory", "", [done](const json& j) { done("territory", j); }, failed);
    api_request("GET", base + "&group_by=category", "", [done](const json& j) { done("category", j); }, failed);
}

void export_bookings(const Query& q) {
    DashboardState& d = g_dash;
    d.exporting = true;
    d.notice.clear();
    const std::string filename = "reservations-" + q.from + "-" + q.to + (q.territory.empty() ? "" : "-" + q.territory) + ".csv";
    // The export is CSV, not JSON: read it as text through the platform layer.
    platform_http("GET", "/api/v1/exports/bookings.csv?" + query_string(q), "", "", [filename](const HttpResponse& r) {
        DashboardState& st = g_dash;
        st.exporting = false;
        if (r.status < 200 || r.status >= 300) {
            const json body = json::parse(r.body, nullptr, false);
            const json& err = ws_object(body, "error");
            std::string message = json_str(err, "message");
            if (message.empty()) message = std::string(uneplace::message_fr(r.status == 0 ? "network" : json_str(err, "code")));
            st.error = ApiError{r.status, json_str(err, "code"), message, ""};
            return;
        }
        int lines = 0;
        for (char c : r.body) lines += c == '\n';
        const bool downloaded = ws_download(filename, "text/csv;charset=utf-8", r.body);
        const std::string count = std::to_string(std::max(0, lines - 1)) + " réservation(s)";
        st.notice = downloaded ? "Export téléchargé : " + count + ", références anonymes seulement."
                               : "Export copié dans le presse-papiers au format CSV (" + count + ", références anonymes seulement) : collez-le dans un tableur.";
    });
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Chart drawing (grouped bars, lines, horizontal bars)
//-------------------------------------------------------------------------------------------------

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

// 0, 1, 2, 5, 10, 20, 50… ≥ value / 4: a readable grid step.
double nice_step(double max_value, int lines) {
    if (max_value <= 0) return 1;
    const double raw = max_value / lines;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * p) return m * p;
    return 10 * p;
}

std::string axis_label(double v, bool percent) {
    if (percent) return uneplace::format_permille_fr((int)std::lround(v));
    return uneplace::format_count_fr((std::int64_t)std::llround(v));
}

// The chart's frame: a title, a legend, and the plotting rectangle it returns.
ImRect chart_frame(const char* title, const std::vector<Series>& series, ImVec2 size) {
    ImGui::PushFont(g_fonts.bold);
    ws_text_item(title);
    ImGui::PopFont();
    if (series.size() > 1) {
        for (size_t i = 0; i < series.size(); ++i) {
            ImGui::SameLine(0, i == 0 ? 24.0f : 16.0f);
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float h = ImGui::GetTextLineHeight();
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + h * 0.25f), ImVec2(p.x + h * 0.5f, p.y + h * 0.75f), series[i].color, 2.0f);
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
ImRect draw_grid(const ImRect& frame, double max_value, bool percent, double* axis_max) {
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

// Category labels under the plot, thinned out when they would overlap.
void draw_x_labels(const ImRect& plot, const std::vector<std::string>& labels) {
    if (labels.empty()) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float slot = plot.GetWidth() / labels.size();
    float widest = 0;
    for (const auto& l : labels) widest = std::max(widest, ImGui::CalcTextSize(l.c_str()).x);
    const int every = std::max(1, (int)std::ceil((widest + 8) / slot));
    for (size_t i = 0; i < labels.size(); i += every) {
        const ImVec2 ts = ImGui::CalcTextSize(labels[i].c_str());
        const float cx = plot.Min.x + slot * (i + 0.5f);
        dl->AddText(ImVec2(cx - ts.x * 0.5f, plot.Max.y + 4), ui_color::muted, labels[i].c_str());
    }
}

void hover_tooltip(const ImRect& r, const std::string& text) {
    if (ImGui::IsMouseHoveringRect(r.Min, r.Max) && ImGui::IsWindowHovered()) ImGui::SetTooltip("%s", text.c_str());
}

void bar_chart(const char* title, const std::vector<std::string>& labels, const std::vector<Series>& series, ImVec2 size,
               bool percent = false) {
    const ImRect frame = chart_frame(title, series, size);
    double max_value = 0;
    for (const auto& s : series)
        for (double v : s.values) max_value = std::max(max_value, v);
    double top = 1;
    const ImRect plot = draw_grid(frame, max_value, percent, &top);
    draw_x_labels(plot, labels);
    if (labels.empty()) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float slot = plot.GetWidth() / labels.size();
    const float group_w = slot * 0.72f;
    const float bar_w = group_w / std::max<size_t>(1, series.size());
    for (size_t i = 0; i < labels.size(); ++i) {
        const float x0 = plot.Min.x + slot * i + (slot - group_w) * 0.5f;
        std::string tip = labels[i];
        for (size_t k = 0; k < series.size(); ++k) {
            const double v = i < series[k].values.size() ? series[k].values[i] : 0;
            const float h = (float)(v / top) * plot.GetHeight();
            const ImVec2 a(x0 + bar_w * k + 1, plot.Max.y - h), b(x0 + bar_w * (k + 1) - 1, plot.Max.y);
            if (h > 0.5f) dl->AddRectFilled(a, b, series[k].color, std::min(3.0f, bar_w * 0.3f), ImDrawFlags_RoundCornersTop);
            tip += "\n" + std::string(series[k].name) + " : " + axis_label(v, percent);
        }
        hover_tooltip(ImRect(ImVec2(plot.Min.x + slot * i, plot.Min.y), ImVec2(plot.Min.x + slot * (i + 1), plot.Max.y)), tip);
    }
}

void line_chart(const char* title, const std::vector<std::string>& labels, const std::vector<Series>& series, ImVec2 size,
                bool percent, double reference = -1, const char* reference_label = nullptr) {
    const ImRect frame = chart_frame(title, series, size);
    double max_value = reference;
    for (const auto& s : series)
        for (double v : s.values) max_value = std::max(max_value, v);
    double top = 1;
    const ImRect plot = draw_grid(frame, std::max(max_value, percent ? 100.0 : 1.0), percent, &top);
    draw_x_labels(plot, labels);
    if (labels.empty()) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float slot = plot.GetWidth() / labels.size();
    if (reference >= 0) {
        const float y = plot.Max.y - (float)(reference / top) * plot.GetHeight();
        for (float x = plot.Min.x; x < plot.Max.x; x += 10) dl->AddLine(ImVec2(x, y), ImVec2(std::min(x + 5, plot.Max.x), y), ui_color::muted);
        if (reference_label) dl->AddText(ImVec2(plot.Max.x - ImGui::CalcTextSize(reference_label).x, y - ImGui::GetTextLineHeight() - 2), ui_color::muted, reference_label);
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
            const ImVec2 p(plot.Min.x + slot * (i + 0.5f), plot.Max.y - (float)(s.values[i] / top) * plot.GetHeight());
            run.push_back(p);
            dl->AddCircleFilled(p, 4.0f, s.color);
            dl->AddCircleFilled(p, 2.0f, ui_color::surface);
        }
        flush();
    }
    for (size_t i = 0; i < labels.size(); ++i) {
        std::string tip = labels[i];
        for (const auto& s : series) tip += "\n" + std::string(s.name) + " : " + (s.at(i) ? axis_label(s.values[i], percent) : std::string("pas de donnée"));
        hover_tooltip(ImRect(ImVec2(plot.Min.x + slot * i, plot.Min.y), ImVec2(plot.Min.x + slot * (i + 1), plot.Max.y)), tip);
    }
}

// One row per label, bars side by side to the right; value written at the end of the last bar.
void hbar_chart(const char* title, const std::vector<std::string>& labels, const std::vector<Series>& series, float width,
                const std::vector<std::string>& notes) {
    const float row_h = 12.0f * series.size() + 12.0f;
    const ImRect frame = chart_frame(title, series, ImVec2(width, std::max(60.0f, row_h * labels.size() + 8)));
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
        const float y0 = plot.Min.y + row_h * i + 6;
        const ImVec2 ts = ImGui::CalcTextSize(labels[i].c_str());
        dl->PushClipRect(frame.Min, ImVec2(plot.Min.x - 8, frame.Max.y), true);
        dl->AddText(ImVec2(frame.Min.x, y0 + (row_h - 12 - ts.y) * 0.5f), ui_color::text, labels[i].c_str());
        dl->PopClipRect();
        std::string tip = labels[i];
        for (size_t k = 0; k < series.size(); ++k) {
            const double v = i < series[k].values.size() ? series[k].values[i] : 0;
            const float w = (float)(v / max_value) * plot.GetWidth();
            const float y = y0 + 12.0f * k;
            dl->AddRectFilled(ImVec2(plot.Min.x, y), ImVec2(plot.Min.x + std::max(w, 1.0f), y + 10), series[k].color, 2.0f);
            tip += "\n" + std::string(series[k].name) + " : " + uneplace::format_count_fr((std::int64_t)v);
        }
        if (i < notes.size()) dl->AddText(ImVec2(plot.Max.x + 8, y0 + (row_h - 12 - ts.y) * 0.5f), ui_color::muted, notes[i].c_str());
        hover_tooltip(ImRect(ImVec2(frame.Min.x, y0 - 4), ImVec2(frame.Max.x, y0 + row_h - 4)), tip);
    }
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Dashboard screen
//-------------------------------------------------------------------------------------------------

std::vector<double> values(const std::vector<Row>& rows, std::int64_t ImpactFigures::*member) {
    std::vector<double> out;
    for (const Row& r : rows) out.push_back((double)(r.f.*member));
    return out;
}

std::vector<double> permilles(const std::vector<Row>& rows, int ImpactFigures::*member) {
    std::vector<double> out;
    for (const Row& r : rows) out.push_back((double)(r.f.*member));
    return out;
}

// Months where a ratio means something: places were donated (usage), outings were recorded (no-shows).
std::vector<bool> with_donations(const std::vector<Row>& rows) {
    std::vector<bool> out;
    for (const Row& r : rows) out.push_back(r.f.places_donated > 0);
    return out;
}
std::vector<bool> with_recorded_outings(const std::vector<Row>& rows) {
    std::vector<bool> out;
    for (const Row& r : rows) out.push_back(r.f.attended_bookings + r.f.no_show_bookings > 0);
    return out;
}

void show_figures(float avail) {
    const ImpactFigures& t = g_dash.totals;
    const bool known = g_dash.have_totals;
    const float tile = std::max(170.0f, std::min(230.0f, (avail - 4 * ImGui::GetStyle().ItemSpacing.x) / 5));
    const float right = ImGui::GetCursorScreenPos().x + avail;
    bool first = true;
    auto put = [&](const std::string& caption, const std::string& value, ImU32 color = 0) {
        if (!first) {
            ImGui::SameLine();
            if (ImGui::GetCursorScreenPos().x + tile > right + 1) ImGui::NewLine();
        }
        first = false;
        ws_figure_tile(caption.c_str(), known ? value : std::string("…"), tile, known ? color : ui_color::muted);
    };
    using uneplace::format_count_fr;
    put("Places offertes", format_count_fr(t.places_donated));
    put("Places réservées", format_count_fr(t.places_booked), kBookedColor);
    put("Personnes venues", format_count_fr(t.people_attended), kAttendedColor);
    put("Taux d’usage (venues ÷ offertes)", uneplace::format_permille_fr(t.usage_permille), ui_color::success);
    put("Bénéficiaires", format_count_fr(t.unique_beneficiaries));
    put("Primo-sortants (aucune sortie en 1 an)", format_count_fr(t.first_timers));
    put("Taux d’absence", uneplace::format_permille_fr(t.no_show_permille), t.no_show_permille > 150 ? ui_color::danger : 0);
    put("Annulations tardives", format_count_fr(t.late_cancellations));
    put("Servies depuis la liste d’attente", format_count_fr(t.waitlist_served));
    put("Note moyenne (" + format_count_fr(t.ratings_count) + " avis)",
        t.ratings_count ? uneplace::format_tenths_fr(t.average_rating_x10) + " / 5" : std::string("—"));
}

void show_charts(float avail) {
    DashboardState& d = g_dash;
    const bool two = avail > 1100;
    const float w = two ? (avail - 40) * 0.5f : avail;
    const float h = 230;
    std::vector<std::string> months;
    for (const Row& r : d.by_month) months.push_back(month_label(r.key));

    // Charts two by two on wide screens: the right one of a pair goes on the left one's line.
    auto card = [&](bool right, auto draw) {
        if (right && two) ImGui::SameLine(0, 40);
        ImGui::BeginGroup();
        draw();
        ImGui::EndGroup();
        if (right || !two) {
            ImGui::Spacing();
            ImGui::Spacing();
        }
    };

    card(false, [&] {
        bar_chart("Places offertes, réservées et venues, par mois", months,
                  {{"offertes", kDonatedColor, values(d.by_month, &ImpactFigures::places_donated), {}},
                   {"réservées", kBookedColor, values(d.by_month, &ImpactFigures::places_booked), {}},
                   {"venues", kAttendedColor, values(d.by_month, &ImpactFigures::people_attended), {}}},
                  ImVec2(w, h));
    });
    card(true, [&] {
        line_chart("Taux d’usage par mois (personnes venues ÷ places offertes)", months,
                   {{"taux d’usage", ui_color::success, permilles(d.by_month, &ImpactFigures::usage_permille), with_donations(d.by_month)}}, ImVec2(w, h), true, 400,
                   "40 % : la moyenne de départ");
    });
    card(false, [&] {
        bar_chart("Bénéficiaires et primo-sortants, par mois", months,
                  {{"bénéficiaires", kDonatedColor, values(d.by_month, &ImpactFigures::unique_beneficiaries), {}},
                   {"primo-sortants", kAttendedColor, values(d.by_month, &ImpactFigures::first_timers), {}}},
                  ImVec2(w, h));
    });
    card(true, [&] {
        line_chart("Taux d’absence par mois (absents ÷ réservations pointées)", months,
                   {{"taux d’absence", ui_color::danger, permilles(d.by_month, &ImpactFigures::no_show_permille), with_recorded_outings(d.by_month)}}, ImVec2(w, h), true);
    });

    // By département and by category: sorted by places donated, the usage ratio written beside.
    auto ranked = [](std::vector<Row> rows) {
        std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.f.places_donated > b.f.places_donated; });
        if (rows.size() > 15) rows.resize(15);
        return rows;
    };
    const std::vector<Row> deps = ranked(d.by_territory);
    const std::vector<Row> cats = ranked(d.by_category);
    auto labels_notes = [](const std::vector<Row>& rows, bool territory, std::vector<std::string>& labels, std::vector<std::string>& notes) {
        for (const Row& r : rows) {
            labels.push_back(territory ? r.key + " " + std::string(uneplace::departement_name(r.key)) : ws_category_label(r.key));
            notes.push_back(uneplace::format_permille_fr(r.f.usage_permille));
        }
    };
    std::vector<std::string> dep_labels, dep_notes, cat_labels, cat_notes;
    labels_notes(deps, true, dep_labels, dep_notes);
    labels_notes(cats, false, cat_labels, cat_notes);
    card(false, [&] {
        hbar_chart("Par département (taux d’usage à droite)", dep_labels,
                   {{"offertes", kDonatedColor, values(deps, &ImpactFigures::places_donated), {}},
                    {"venues", kAttendedColor, values(deps, &ImpactFigures::people_attended), {}}},
                   w, dep_notes);
    });
    card(true, [&] {
        hbar_chart("Par catégorie (taux d’usage à droite)", cat_labels,
                   {{"offertes", kDonatedColor, values(cats, &ImpactFigures::places_donated), {}},
                    {"venues", kAttendedColor, values(cats, &ImpactFigures::people_attended), {}}},
                   w, cat_notes);
    });
}

}  // namespace

void show_dashboard_screen(AppState& app) {
    (void)app;
    DashboardState& d = g_dash;
    const long long user_id = g_api_session.user ? g_api_session.user->id : 0;
    if (d.user_id != user_id) {
        d = DashboardState{};
        d.user_id = user_id;
        default_period();
    }
    screen_title("Impact", "Ce que le programme a permis, pour une période et un territoire : de quoi rendre compte aux financeurs.");

    // Period and territory; the figures follow as soon as the dates are valid.
    const auto from = parse_day(d.from_text), to = parse_day(d.to_text);
    ImGui::BeginGroup();
    ui_text_field("Du (JJ/MM/AAAA)", &d.from_text, UiField_None, "01/01/2026", 170);
    if (!from) ui_field_error("Date invalide.");
    ImGui::EndGroup();
    ws_same_line(16);
    ImGui::BeginGroup();
    ui_text_field("Au (JJ/MM/AAAA)", &d.to_text, UiField_None, "31/12/2026", 170);
    if (!to) ui_field_error("Date invalide.");
    else if (from && days_of(*to) < days_of(*from)) ui_field_error("La fin précède le début.");
    ImGui::EndGroup();
    ws_same_line(16);
    ImGui::BeginGroup();
    ws_territory_combo("Territoire", &d.territory, "Tous mes territoires", 260);
    ImGui::EndGroup();
    ws_same_line(16);
    ImGui::BeginGroup();
    ImGui::TextUnformatted("Période");
    const uneplace::CivilDate t = today();
    if (ui_secondary_button("12 mois")) default_period();
    ImGui::SameLine();
    if (ui_secondary_button("Cette année")) set_period({t.year, 1, 1}, {t.year, 12, 31});
    ImGui::SameLine();
    if (ui_secondary_button("L’an dernier")) set_period({t.year - 1, 1, 1}, {t.year - 1, 12, 31});
    ImGui::EndGroup();

    const bool valid = from && to && days_of(*to) >= days_of(*from);
    if (valid) {
        const Query q{iso(*from), iso(*to), d.territory};
        if (!d.have_query || !(q == d.loaded)) load_stats(q);
    }
    if (d.error) ui_banner(d.error->message, ui_color::danger);
    if (!d.notice.empty()) ui_banner(d.notice, ui_color::success);

    if (ui_primary_button(d.exporting ? "Export en cours…###Exporter les réservations" : "Exporter les réservations (CSV)###Exporter les réservations",
                          valid && !d.exporting))
        export_bookings(d.loaded);
    ImGui::SameLine();
    if (ui_secondary_button("Actualiser", valid)) load_stats(d.loaded);
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Les personnes n’apparaissent que par une référence anonyme (règle P2).");
    ImGui::Spacing();

    const float avail = ImGui::GetContentRegionAvail().x;
    show_figures(avail);
    ImGui::Spacing();
    ImGui::Spacing();
    show_charts(avail);
}
