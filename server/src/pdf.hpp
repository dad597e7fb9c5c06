// uneplace server — the PDFs, drawn with libharu: the invitation (I1, with the QR code of I2 made
// by libqrencode) and the door list (I3) of issue 16, and the impact report funders receive (issue
// 17). What they say is decided before (the shared module's wording and order, the data and words
// of store_invitations.cpp and store_reports.cpp); here is only drawing.
// The French font (DejaVu Sans, Debian's fonts-dejavu-core) is embedded with libharu's UTF-8
// encoder, so "Œuvre", "Ngô" and "’" print on any printer.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "uneplace/invitation.hpp"

namespace uneplace::server {

// Everything an invitation prints, already worded in French.
struct InvitationPdf {
    std::string title;
    std::string venue_name, venue_address;  // address: "12 rue X, 75011 Paris"
    std::string date_time;                  // the venue's local time: "sam. 5 déc. 2026, 20 h 30"
    std::string places;                     // "2 places"
    std::string guest;                      // P2: "Amina K."
    std::string structure;                  // who booked (the guest's contact)
    std::string pickup;                     // pickup_instructions_fr()
    std::string code;                       // "K7QM-3XPA", printed large
    std::string ticket;                     // the signed ticket, in the QR code
};
// An A6 page (105 × 148 mm). Throws std::runtime_error when libharu fails (a server fault).
std::string render_invitation_pdf(const InvitationPdf& inv);

struct DoorListPdf {
    std::string title, venue_name, date_time;
    int capacity = 0;
    std::vector<DoorListLine> lines;  // already in I3's order
};
// A4 pages: a box to tick, code, places, guest (P2), structure, a column for who came.
std::string render_door_list_pdf(const DoorListPdf& list);

//-----------------------------------------------------------------------------
// Impact report (issue 17): A4 pages of figures, charts and tables, already worded in French.
//-----------------------------------------------------------------------------

struct PdfSeries {
    std::string name;            // in the legend
    std::array<float, 3> rgb{};  // fill colour
};
// One bar (vertical chart) or one row (horizontal chart): a value per series, and the text printed
// beside it (above a vertical bar, after a horizontal row).
struct PdfBar {
    std::string label;
    std::vector<double> values;
    std::string note;
};
struct PdfChart {
    std::string title;
    std::vector<PdfSeries> series;
    std::vector<PdfBar> bars;
    bool percent = false;   // values are percentages: the axis reads "0 %" … "100 %"
    double reference = -1;  // a dashed line at this value when ≥ 0 (the programme's 40 %)
    std::string reference_label;
};
struct PdfTable {
    std::string title;
    std::vector<std::string> header;
    std::vector<float> widths;  // relative; the first column is left-aligned, the others right-aligned
    std::vector<std::vector<std::string>> rows;
    std::string empty;  // printed instead of rows when there are none
};
struct ImpactReportPdf {
    std::string title;                                         // "Bilan d’impact"
    std::string scope;                                         // "Paris (75)", "Tous les territoires"
    std::string period;                                        // "Du 01/01/2026 au 31/12/2026"
    std::string made_on;                                       // "Édité le 02/12/2026"
    std::vector<std::pair<std::string, std::string>> figures;  // the key figures: caption, value
    std::string summary;                                       // a paragraph under them
    PdfChart usage_by_month;                                   // vertical bars
    PdfChart outings_by_category;                              // horizontal bars
    PdfChart first_timers_by_month;
    PdfTable by_departement;
    std::string simulation_title, simulation_text;
    PdfTable simulation;
    std::vector<std::string> notes;  // method notes, one paragraph each
};
// A4 portrait pages, numbered; the table by département continues on as many pages as it needs.
std::string render_impact_report_pdf(const ImpactReportPdf& report);

}  // namespace uneplace::server
