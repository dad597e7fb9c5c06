// uneplace client — the impact dashboard: for a period and a territory, the figures of DOMAIN.md
// ("Impact figures") as large numbers and as charts drawn with ImDrawList — places donated, booked
// and attended by month, usage ratio over time, by département, by category, first-timers, no-show
// rate — the CSV export of bookings (pseudonymous references only, P2) and the impact report for
// funders (a PDF the server makes from the same figures, issue 17).
// The server computes every figure with the shared module (impact.hpp); the client formats them
// with the same module (format_count_fr, format_permille_fr), so the numbers read the same
// everywhere.
//
// Index of this file:
// [SECTION] State and parsing
// [SECTION] Loading and export
// [SECTION] Dashboard screen

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/calls.hpp"
#include "data/data.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // ImRect
#include "platform.hpp"
#include "screens/screens.hpp"
#include "ui/charts.hpp"
#include "ui/csv.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "widget_registry.hpp"
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

using Row = ImpactRow;

struct Query {
    std::string from;       // "2026-01-01" (inclusive)
    std::string to;         // "2026-12-31" (inclusive, as people say it)
    std::string territory;  // "" all the admin's territories
    bool operator==(const Query&) const = default;
};

struct DashboardState {
    bool period_set = false;         // the default period is set on first showing
    std::string from_text, to_text;  // as typed, JJ/MM/AAAA
    std::string territory;
    Query loaded;  // what the figures answer
    bool have_query = false;
    int pending = 0;
    std::optional<ApiError> error;
    ImpactFigures totals;
    bool have_totals = false;  // the figures shown answer a query (not zeros while loading)
    std::vector<Row> by_month, by_territory, by_category;
    std::string notice;
    double notice_at = 0;
    bool exporting = false;
    bool downloading_report = false;
};

DashboardState g_dash;

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
    const std::string base = query_string(q);
    auto done = [q](const char* group, const ImpactAnswer& answer) {
        DashboardState& st = g_dash;
        if (!(st.loaded == q)) return;
        --st.pending;
        const std::string g = group;
        if (g.empty()) {
            st.have_totals = true;
            st.totals = answer.totals;
        } else if (g == "month") {
            st.by_month = months_of_period(q, answer.rows);
        } else if (g == "territory") {
            st.by_territory = answer.rows;
        } else {
            st.by_category = answer.rows;
        }
    };
    auto failed = [q](const ApiError& e) {
        if (!(g_dash.loaded == q)) return;
        --g_dash.pending;
        g_dash.error = e;
    };
    for (const char* group : {"", "month", "territory", "category"})
        api_stats(
            base, group, [done, group](ImpactAnswer a) { done(group, a); }, failed);
}

void export_bookings(const Query& q) {
    DashboardState& d = g_dash;
    d.exporting = true;
    d.notice.clear();
    const std::string filename =
        "reservations-" + q.from + "-" + q.to + (q.territory.empty() ? "" : "-" + q.territory) + ".csv";
    api_export_bookings(
        query_string(q),
        [filename](std::string csv) {
            DashboardState& st = g_dash;
            st.exporting = false;
            const int count = csv_data_lines(csv);
            const std::string bookings = std::to_string(count) + (count > 1 ? " réservations" : " réservation");
            st.notice = csv_download(filename, csv)
                            ? "Export téléchargé : " + bookings + ", références anonymes seulement."
                            : "Le navigateur a refusé le téléchargement : autorisez les téléchargements pour ce site.";
            st.notice_at = 0;
        },
        [](const ApiError& e) {
            g_dash.exporting = false;
            g_dash.error = e;
        });
}

// The impact report of the period and territory shown, as the server draws it (a PDF).
void download_report(const Query& q) {
    g_dash.downloading_report = true;
    g_dash.notice.clear();
    const std::string filename =
        "bilan-impact-" + q.from + "-" + q.to + (q.territory.empty() ? "" : "-" + q.territory) + ".pdf";
    download_impact_report(query_string(q), filename, [](bool, const std::string& notice) {
        g_dash.downloading_report = false;
        g_dash.notice = notice;
        g_dash.notice_at = 0;
    });
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
    put("Taux d’absence", uneplace::format_permille_fr(t.no_show_permille),
        t.no_show_permille > 150 ? ui_color::danger : 0);
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
                   {{"taux d’usage", ui_color::success, permilles(d.by_month, &ImpactFigures::usage_permille),
                     with_donations(d.by_month)}},
                   ImVec2(w, h), true, 400, "40 % : la moyenne de départ");
    });
    card(false, [&] {
        bar_chart("Bénéficiaires et primo-sortants, par mois", months,
                  {{"bénéficiaires", kDonatedColor, values(d.by_month, &ImpactFigures::unique_beneficiaries), {}},
                   {"primo-sortants", kAttendedColor, values(d.by_month, &ImpactFigures::first_timers), {}}},
                  ImVec2(w, h));
    });
    card(true, [&] {
        line_chart("Taux d’absence par mois (absents ÷ réservations pointées)", months,
                   {{"taux d’absence", ui_color::danger, permilles(d.by_month, &ImpactFigures::no_show_permille),
                     with_recorded_outings(d.by_month)}},
                   ImVec2(w, h), true);
    });

    // By département and by category: sorted by places donated, the usage ratio written beside.
    auto ranked = [](std::vector<Row> rows) {
        std::stable_sort(rows.begin(), rows.end(),
                         [](const Row& a, const Row& b) { return a.f.places_donated > b.f.places_donated; });
        if (rows.size() > 15) rows.resize(15);
        return rows;
    };
    const std::vector<Row> deps = ranked(d.by_territory);
    const std::vector<Row> cats = ranked(d.by_category);
    auto labels_notes = [](const std::vector<Row>& rows, bool territory, std::vector<std::string>& labels,
                           std::vector<std::string>& notes) {
        for (const Row& r : rows) {
            labels.push_back(territory ? r.key + " " + std::string(uneplace::departement_name(r.key))
                                       : ws_category_label(r.key));
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

void reset_dashboard(Reset what) {
    DashboardState& d = g_dash;
    if (what == Reset::Everything) d = DashboardState{};
    else if (d.error && d.pending <= 0) d.have_query = false, d.error.reset();
}

void draw_dashboard(Ctx&) {
    DashboardState& d = g_dash;
    if (!d.period_set) {
        default_period();
        d.period_set = true;
    }
    screen_title(
        "Impact",
        "Ce que le programme a permis, pour une période et un territoire : de quoi rendre compte aux financeurs.");

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
    ui_notice(d.notice, d.notice_at);

    if (ui_primary_button(d.exporting ? "Export en cours…###Exporter les réservations"
                                      : "Exporter les réservations (CSV)###Exporter les réservations",
                          valid && !d.exporting))
        export_bookings(d.loaded);
    ImGui::SameLine();
    if (ui_secondary_button(d.downloading_report ? "Préparation du bilan…###Télécharger le bilan d’impact"
                                                 : "Télécharger le bilan d’impact###Télécharger le bilan d’impact",
                            valid && !d.downloading_report))
        download_report(d.loaded);
    ImGui::SameLine();
    if (ui_secondary_button("Actualiser", valid)) load_stats(d.loaded);
    ImGui::TextDisabled("Les personnes n’apparaissent que par une référence anonyme (règle P2).");
    ImGui::Spacing();

    const float avail = ImGui::GetContentRegionAvail().x;
    show_figures(avail);
    ImGui::Spacing();
    ImGui::Spacing();
    show_charts(avail);
}
