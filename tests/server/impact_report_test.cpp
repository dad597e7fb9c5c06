// The impact report (issue 17, part 2): the real server makes the PDF of a period with known
// bookings; poppler's pdftotext reads it back and every figure printed is compared with what the
// dashboard's route (GET /api/v1/stats) answers for the same period and territory, formatted by
// the shared module as the dashboard formats it. pdftoppm keeps page 1 as
// build/screenshots/impact-report.png. The rules' simulated effect printed is the simulation's at
// 1 %, seed 1. A territory admin gets only their territories; a bad period is 400 invalid_period.
//
// Index of this file:
// [SECTION] Reading a report back
// [SECTION] The figures are the dashboard's
// [SECTION] Who may read which report
// [SECTION] Bad periods
#include <algorithm>
#include <cmath>

#include "harness.hpp"
#include "pdf_tools.hpp"
#include "simulation.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/impact.hpp"
#include "uneplace/local_time.hpp"

namespace uneplace::test {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] Reading a report back
//-----------------------------------------------------------------------------

// No-break spaces (thousands, "25,0 %") as pdftotext may give them back either way: plain ones.
std::string plain_spaces(std::string s) {
    for (std::size_t at; (at = s.find("\u00A0")) != std::string::npos;) s.replace(at, 2, " ");
    return s;
}

// Every run of white space (line ends included) as one space: a paragraph as one line.
std::string one_line(const std::string& text) {
    std::string out;
    for (char c : plain_spaces(text)) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    return out;
}

// A line of `pdftotext -layout` cut into its cells: columns stand two spaces apart or more, while
// a cell's own spaces ("1 194", "25,0 %", "75 Paris") are single.
std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    int spaces = 0;
    for (char c : line) {
        if (c == ' ') {
            ++spaces;
            continue;
        }
        if (spaces >= 2 && !cell.empty()) out.push_back(cell), cell.clear();
        else if (spaces == 1 && !cell.empty()) cell += ' ';
        spaces = 0;
        cell += c;
    }
    if (!cell.empty()) out.push_back(cell);
    return out;
}

struct ReadReport {
    std::string text;                            // pdftotext, white space as single spaces
    std::vector<std::vector<std::string>> rows;  // pdftotext -layout, each line cut into cells
    std::filesystem::path page1_png;
};

ReadReport read_report(const TempDir& dir, const std::string& name, const std::string& pdf) {
    ReadReport out;
    const auto path = dir.path() / (name + ".pdf");
    write_file(path, pdf);
    const Command text = run_tool("pdftotext -enc UTF-8 " + shell_quoted(path) + " -");
    EXPECT_EQ(text.exit_code, 0);
    out.text = one_line(text.output);
    const Command layout = run_tool("pdftotext -layout -enc UTF-8 " + shell_quoted(path) + " -");
    EXPECT_EQ(layout.exit_code, 0);
    std::size_t from = 0;
    const std::string lines = plain_spaces(layout.output);
    while (from < lines.size()) {
        auto end = lines.find('\n', from);
        if (end == std::string::npos) end = lines.size();
        out.rows.push_back(cells(lines.substr(from, end - from)));
        from = end + 1;
    }
    const auto prefix = dir.path() / name;
    const Command png =
        run_tool("pdftoppm -png -r 110 -f 1 -l 1 -singlefile " + shell_quoted(path) + " " + shell_quoted(prefix));
    EXPECT_EQ(png.exit_code, 0);
    out.page1_png = prefix.string() + ".png";
    return out;
}

// The row of the report whose first cell is `first` (empty when there is none).
std::vector<std::string> row_starting(const ReadReport& r, const std::string& first) {
    for (const auto& row : r.rows)
        if (!row.empty() && row.front() == first) return row;
    return {};
}

//-----------------------------------------------------------------------------
// [SECTION] The figures are the dashboard's
//-----------------------------------------------------------------------------

std::string count(const json& figures, const char* key) {
    return plain_spaces(format_count_fr(figures[key].get<std::int64_t>()));
}
std::string ratio(const json& figures, const char* key) {
    return plain_spaces(format_permille_fr(figures[key].get<int>()));
}

// The figures GET /api/v1/stats gives for `query` ("from=…&to=…[&territory=…]"), grouped by `by`.
json stats(const Api& admin, const std::string& query, const std::string& by = "") {
    Reply r = admin.get("/api/v1/stats?" + query + (by.empty() ? "" : "&group_by=" + by));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json_body()["items"];
}

// Checks that the report `read` prints, for `query`, the figures of the dashboard's route.
void expect_dashboard_figures(const Api& admin, const std::string& query, const ReadReport& read) {
    const json totals = stats(admin, query).at(0);
    // The key figures, in their tiles' order (two rows of five).
    const std::string tiles = count(totals, "places_donated") + " " + count(totals, "places_booked") + " " +
                              count(totals, "people_attended") + " " + ratio(totals, "usage_permille") + " " +
                              count(totals, "unique_beneficiaries");
    EXPECT_NE(read.text.find(tiles), std::string::npos) << "tiles « " << tiles << " » in:\n" << read.text;
    const std::string tiles2 = count(totals, "first_timers") + " " + ratio(totals, "no_show_permille") + " " +
                               count(totals, "late_cancellations") + " " + count(totals, "waitlist_served");
    EXPECT_NE(read.text.find(tiles2), std::string::npos) << "tiles « " << tiles2 << " » in:\n" << read.text;
    // The summary a funder reads first.
    for (const std::string& said : {"les partenaires ont donné " + count(totals, "places_donated") + " place",
                                    "Places utilisées (personnes venues) : " + count(totals, "people_attended") +
                                        ", soit un taux d’utilisation de " + ratio(totals, "usage_permille"),
                                    "Bénéficiaires : " + count(totals, "unique_beneficiaries") + " personne",
                                    "dont " + count(totals, "first_timers") + " pour une première sortie"})
        EXPECT_NE(read.text.find(said), std::string::npos) << "« " << said << " » in:\n" << read.text;
    // The table by département: one row each, as the dashboard's group_by=territory.
    const json deps = stats(admin, query, "territory");
    ASSERT_FALSE(deps.empty());
    for (const auto& d : deps) {
        const std::string code = d["key"];
        const std::string label = code + " " + std::string(departement_name(code));
        const std::vector<std::string> want = {label,
                                               count(d, "places_donated"),
                                               count(d, "people_attended"),
                                               ratio(d, "usage_permille"),
                                               count(d, "unique_beneficiaries"),
                                               count(d, "first_timers")};
        EXPECT_EQ(row_starting(read, label), want) << label;
    }
    if (deps.size() > 1) {
        EXPECT_EQ(row_starting(read, "Total"),
                  (std::vector<std::string>{"Total", count(totals, "places_donated"), count(totals, "people_attended"),
                                            ratio(totals, "usage_permille"), count(totals, "unique_beneficiaries"),
                                            count(totals, "first_timers")}));
    }
    // Outings by category: each category's row ends with its outings and usage ratio.
    for (const auto& c : stats(admin, query, "category")) {
        const auto category = from_code<Category>(c["key"].get<std::string>());
        ASSERT_TRUE(category) << c["key"];
        const auto row = row_starting(read, std::string(label_fr(*category)));
        ASSERT_FALSE(row.empty()) << label_fr(*category);
        const std::int64_t outings = c["people_attended"];
        EXPECT_EQ(row.back(), count(c, "people_attended") + (outings <= 1 ? " sortie · " : " sorties · ") +
                                  ratio(c, "usage_permille"));
    }
}

// One session of 4 places in Lozère (48), which the demo leaves empty: 2 places booked by the
// demo structure for one person, 2 by another structure for another. At the door the first came
// with one of their two places, the second did not come. A second session of 6 places nobody
// booked. The period is the session's month and the next.
TEST(ImpactReport, PrintsTheDashboardsFiguresForItsPeriodAndTerritory) {
    ServerProcess s;
    TempDir dir;
    Api partner = logged_in(kPartner, s);
    Api worker = logged_in(kWorker, s);
    Api other = logged_in(kOtherWorker, s);
    Api admin = logged_in(kAdmin, s);
    const std::int64_t venue = lozere_venue(partner);
    const auto concert = published_offer(partner, admin, {{"venue_id", venue}, {"category", "concert"}});
    const auto circus = published_offer(partner, admin, {{"venue_id", venue}, {"category", "circus"}});
    const json session = new_session(partner, concert, {{"capacity", 4}, {"max_per_booking", 2}});
    new_session(partner, circus, {{"capacity", 6}});
    const std::int64_t sid = session["session_id"];
    Reply b1 = book(worker, sid, new_beneficiary(worker), 2);
    ASSERT_EQ(b1.status, 201) << b1.body;
    Reply b2 = book(other, sid, new_beneficiary(other, {{"postal_code", "75020"}}), 2);
    ASSERT_EQ(b2.status, 201) << b2.body;
    advance_to(s, instant(session["start"]) + kHour);
    const std::string checkin = "/api/v1/sessions/" + std::to_string(sid) + "/checkin";
    ASSERT_EQ(partner.post(checkin, {{"code", b1["code"]}, {"attended_count", 1}}).status, 200);
    ASSERT_EQ(partner.post(checkin, {{"code", b2["code"]}, {"no_show", true}}).status, 200);

    const CivilDate day = civil_from_days(instant(session["start"]) / kDay);
    const CivilDate end =
        day.month >= 11 ? CivilDate{day.year + 1, day.month - 10, 1} : CivilDate{day.year, day.month + 2, 1};
    char from[32], to[32];
    std::snprintf(from, sizeof from, "%04d-%02d-01", day.year, day.month);
    std::snprintf(to, sizeof to, "%04d-%02d-01", end.year, end.month);
    const std::string period = std::string("from=") + from + "&to=" + to;
    // The setting is what the report is about: people came, others did not.
    const json lozere = stats(admin, period + "&territory=48").at(0);
    ASSERT_GT(lozere["people_attended"].get<int>(), 0);
    ASSERT_GT(lozere["no_show_bookings"].get<int>(), 0);

    Reply pdf = admin.get("/api/v1/reports/impact.pdf?" + period + "&territory=48");
    ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 300);
    EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
    EXPECT_NE(pdf.header("Content-Disposition").find(std::string("filename=\"bilan-impact-") + from), std::string::npos)
        << pdf.header("Content-Disposition");
    ASSERT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
    const ReadReport read = read_report(dir, "lozere", pdf.body);
    expect_dashboard_figures(admin, period + "&territory=48", read);
    // The words a funder expects, the scope and the period as people say it.
    for (const std::string& want :
         {std::string("Bilan d’impact"), std::string("Lozère (48)"),
          std::string("Du ") + std::string(from + 8, 2) + "/" + std::string(from + 5, 2) + "/" + std::string(from, 4) +
              " au ",
          std::string("Places données par les partenaires"), std::string("Places utilisées"),
          std::string("Taux d’utilisation"), std::string("Premières sorties"), std::string("Par département"),
          std::string("Sorties par catégorie"), std::string("Effet simulé des règles de répartition"),
          std::string("avec les réglages de Lozère (48)"), std::string("Notes de méthode"),
          std::string("premier arrivé, premier servi")})
        EXPECT_NE(read.text.find(want), std::string::npos) << "missing « " << want << " » in:\n" << read.text;
    EXPECT_TRUE(row_starting(read, "75 Paris").empty()) << "a report of Lozère has no Paris row";

    // The whole programme over the year to the same end (the demo's départements and Lozère): page 1
    // is the screenshot people look at.
    const std::string year = std::string("from=") + std::to_string(end.year - 1) + std::string(to + 4) + "&to=" + to;
    Reply national = admin.get("/api/v1/reports/impact.pdf?" + year);
    ASSERT_EQ(national.status, 200) << national.body.substr(0, 300);
    const ReadReport all = read_report(dir, "national", national.body);
    expect_dashboard_figures(admin, year, all);
    EXPECT_NE(all.text.find("Tous les territoires"), std::string::npos);
    EXPECT_NE(all.text.find("avec les réglages nationaux"), std::string::npos);
    keep_screenshot(all.page1_png, "impact-report.png");
    // The rules' simulated effect is the simulation's own: a national year at 1 %, seed 1, with the
    // national settings (the programme's defaults, which are the simulation's).
    const auto policies = sim::standard_policies();
    const sim::Report simulated = sim::simulate(sim::Params{}, 1, 0.01, policies);
    for (const auto& [policy, f] : simulated.policies) {
        const auto row = row_starting(all, policy.label_fr);
        ASSERT_EQ(row.size(), 5u) << policy.label_fr;
        EXPECT_EQ(row[1], plain_spaces(format_permille_fr(static_cast<int>(std::llround(f.usage_ratio * 1000)))));
        EXPECT_EQ(row[2], plain_spaces(format_count_fr(f.wasted.total())));
    }
    std::printf("[ figures  ] impact report PDF: %zu bytes (Lozère), %zu bytes (national)\n", pdf.body.size(),
                national.body.size());
}

//-----------------------------------------------------------------------------
// [SECTION] Who may read which report
//-----------------------------------------------------------------------------

TEST(ImpactReport, ATerritoryAdminGetsOnlyTheirTerritories) {
    Api scoped = rhone_admin();
    const std::string period = "/api/v1/reports/impact.pdf?from=2020-01-01&to=2030-01-01";

    // Another territory is refused as the dashboard's figures are (403, API.md: not allowed).
    Reply paris = scoped.get(period + "&territory=75");
    EXPECT_EQ(paris.status, 403);
    EXPECT_EQ(paris.error_code(), "forbidden");
    EXPECT_EQ(scoped.get("/api/v1/stats?territory=75").status, 403);
    // Its own territory, and "all" meaning all of its own.
    Reply rhone = scoped.get(period + "&territory=69");
    ASSERT_EQ(rhone.status, 200) << rhone.body.substr(0, 300);
    ASSERT_EQ(rhone.body.rfind("%PDF-", 0), 0u);
    Reply own = scoped.get(period);
    ASSERT_EQ(own.status, 200) << own.body.substr(0, 300);
    TempDir dir;
    const ReadReport read = read_report(dir, "rhone", own.body);
    EXPECT_NE(read.text.find("Territoire : Rhône (69)"), std::string::npos) << read.text;
    EXPECT_FALSE(row_starting(read, "69 Rhône").empty()) << read.text;
    EXPECT_TRUE(row_starting(read, "75 Paris").empty()) << "no other territory's row";
    // Not an admin; not logged in.
    EXPECT_EQ(logged_in(kWorker).get(period).status, 403);
    EXPECT_EQ(logged_in(kPartner).get(period).status, 403);
    EXPECT_EQ(Api(demo_server()).get(period).status, 401);
}

//-----------------------------------------------------------------------------
// [SECTION] Bad periods
//-----------------------------------------------------------------------------

TEST(ImpactReport, ABadPeriodIs400WithAFrenchMessage) {
    Api admin = logged_in(kAdmin);
    struct Case {
        std::string query, field;
    };
    const std::vector<Case> cases = {
        {"to=2026-12-31", "from"},
        {"from=2026-01-01", "to"},
        {"from=2026-13-01&to=2026-12-31", "from"},
        {"from=demain&to=2026-12-31", "from"},
        {"from=2026-01-01&to=31/12/2026", "to"},
        {"from=2026-06-01&to=2026-01-01", "to"},  // the end before the start
        {"from=2026-06-01&to=2026-06-01", "to"},  // no time at all
        {"from=1990-01-01&to=2026-01-01", "to"},  // more than ten years
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.query);
        Reply r = admin.get("/api/v1/reports/impact.pdf?" + c.query);
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(r.error_code(), "invalid_period");
        EXPECT_EQ(r.json_body()["error"]["field"], c.field);
        EXPECT_EQ(r.json_body()["error"]["message"], std::string(message_fr("invalid_period")));
        EXPECT_NE(r.json_body()["error"]["message"].get<std::string>().find("période"), std::string::npos);
    }
    // A territory that does not exist is a field error, as on the dashboard's route.
    Reply unknown = admin.get("/api/v1/reports/impact.pdf?from=2026-01-01&to=2026-12-31&territory=99");
    EXPECT_EQ(unknown.status, 422) << unknown.body;
    EXPECT_EQ(unknown.json_body()["error"]["field"], "territory");
    // Published in the OpenAPI document, for admins.
    const json doc = admin.get("/api/v1/openapi.json").json_body();
    ASSERT_TRUE(doc["paths"].contains("/api/v1/reports/impact.pdf"));
    EXPECT_EQ(doc["paths"]["/api/v1/reports/impact.pdf"]["get"]["x-roles"], json::array({"admin"}));
}

}  // namespace
}  // namespace uneplace::test
