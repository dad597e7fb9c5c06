// uneplace server — invitation, door list and impact report PDFs (libharu, libqrencode). See pdf.hpp.
//
// Index of this file:
// [SECTION] Document: libharu with the embedded UTF-8 font
// [SECTION] QR code
// [SECTION] Invitation (I1)
// [SECTION] Door list (I3)
// [SECTION] Impact report (issue 17)
#include "pdf.hpp"

#include <hpdf.h>
#include <qrencode.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "uneplace/french.hpp"
#include "uneplace/impact.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Document
//-----------------------------------------------------------------------------

namespace {

constexpr const char* kFontRegular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kFontBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
constexpr const char* kFontMonoBold = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf";
constexpr float kMm = 72.0f / 25.4f;

// libharu reports errors through a C callback: remember the first one and stop at the end, rather
// than throwing through C frames.
void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
    auto* first = static_cast<HPDF_STATUS*>(user_data);
    if (*first == 0) *first = error_no ? error_no : detail_no;
}

struct Document {
    HPDF_STATUS error = 0;
    HPDF_Doc doc = nullptr;
    HPDF_Font regular = nullptr, bold = nullptr, mono = nullptr;

    Document() {
        doc = HPDF_New(on_hpdf_error, &error);
        if (!doc) throw std::runtime_error("libharu: HPDF_New failed");
        try {
            HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
            HPDF_UseUTFEncodings(doc);
            HPDF_SetCurrentEncoder(doc, "UTF-8");
            regular = load(kFontRegular);
            bold = load(kFontBold);
            mono = load(kFontMonoBold);
            HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "une place");
            check();
        } catch (...) {
            HPDF_Free(doc);  // the destructor does not run when the constructor throws
            throw;
        }
    }
    ~Document() { HPDF_Free(doc); }
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;

    HPDF_Font load(const char* path) {
        const char* name = HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE);  // embedded
        if (!name) throw std::runtime_error(std::string("libharu: cannot load font ") + path);
        return HPDF_GetFont(doc, name, "UTF-8");
    }
    void check() const {
        if (error) throw std::runtime_error("libharu error " + std::to_string(error));
    }
    std::string bytes() {
        HPDF_SaveToStream(doc);
        check();
        std::string out(HPDF_GetStreamSize(doc), '\0');
        HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
        HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
        out.resize(size);
        check();
        return out;
    }
};

void text_at(HPDF_Page page, HPDF_Font font, float size, float x, float y, const std::string& text) {
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, size);
    HPDF_Page_TextOut(page, x, y, text.c_str());
    HPDF_Page_EndText(page);
}

float text_width(HPDF_Page page, HPDF_Font font, float size, const std::string& text) {
    HPDF_Page_SetFontAndSize(page, font, size);
    return HPDF_Page_TextWidth(page, text.c_str());
}

// Greedy word wrap (spaces only: no-break spaces keep "20 h 30" and "places :" together).
std::vector<std::string> wrap(HPDF_Page page, HPDF_Font font, float size, const std::string& text, float width) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t from = 0;
    while (from <= text.size()) {
        auto space = text.find(' ', from);
        if (space == std::string::npos) space = text.size();
        const std::string word = text.substr(from, space - from);
        const std::string candidate = line.empty() ? word : line + " " + word;
        if (!line.empty() && text_width(page, font, size, candidate) > width) {
            lines.push_back(line);
            line = word;
        } else {
            line = candidate;
        }
        from = space + 1;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

// Draws wrapped text from the top line's baseline `y` down; returns the baseline after the last line.
float paragraph(HPDF_Page page, HPDF_Font font, float size, float x, float y, float width, const std::string& text) {
    for (const auto& line : wrap(page, font, size, text, width)) {
        text_at(page, font, size, x, y, line);
        y -= size * 1.3f;
    }
    return y;
}

// Removes the last UTF-8 code point (its continuation bytes 10xxxxxx, then its lead byte).
void pop_code_point(std::string& s) {
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty()) s.pop_back();
}

//-----------------------------------------------------------------------------
// [SECTION] QR code
//-----------------------------------------------------------------------------

// The QR code of `text` (level M: a crease or a stain on paper still reads), its modules drawn as
// filled squares in a `side`-point square whose bottom-left corner is (x, y), with its quiet zone
// of 4 modules inside that square.
void draw_qr(HPDF_Page page, const std::string& text, float x, float y, float side) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                       &QRcode_free);
    if (!qr) throw std::runtime_error("libqrencode: cannot encode the ticket");
    const int n = qr->width;
    const float module = side / static_cast<float>(n + 8);
    HPDF_Page_SetRGBFill(page, 0, 0, 0);
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col)
            if (qr->data[row * n + col] & 1)
                HPDF_Page_Rectangle(page, x + static_cast<float>(col + 4) * module,
                                    y + side - static_cast<float>(row + 5) * module, module, module);
    HPDF_Page_Fill(page);
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Invitation (I1)
//-----------------------------------------------------------------------------

std::string render_invitation_pdf(const InvitationPdf& inv) {
    Document d;
    HPDF_SetInfoAttr(d.doc, HPDF_INFO_TITLE, ("Invitation — " + inv.title).c_str());
    HPDF_Page page = HPDF_AddPage(d.doc);
    const float w = 105 * kMm, h = 148 * kMm, margin = 9 * kMm, inner = w - 2 * margin;
    HPDF_Page_SetWidth(page, w);
    HPDF_Page_SetHeight(page, h);

    // A band with the programme's name, then what the outing is.
    HPDF_Page_SetRGBFill(page, 0.16f, 0.22f, 0.45f);
    HPDF_Page_Rectangle(page, 0, h - 15 * kMm, w, 15 * kMm);
    HPDF_Page_Fill(page);
    HPDF_Page_SetRGBFill(page, 1, 1, 1);
    text_at(page, d.bold, 13, margin, h - 10 * kMm, "Invitation");
    const std::string brand = "une place";
    text_at(page, d.regular, 10, w - margin - text_width(page, d.regular, 10, brand), h - 10 * kMm, brand);
    HPDF_Page_SetRGBFill(page, 0, 0, 0);

    float y = h - 24 * kMm;
    y = paragraph(page, d.bold, 14, margin, y, inner, inv.title) - 2;
    y = paragraph(page, d.regular, 10, margin, y, inner, inv.date_time);
    y = paragraph(page, d.bold, 9, margin, y, inner, inv.venue_name);
    y = paragraph(page, d.regular, 9, margin, y, inner, inv.venue_address) - 4;
    y = paragraph(page, d.regular, 10, margin, y, inner, "Pour\u00A0: " + inv.guest + " — " + inv.places);
    y = paragraph(page, d.regular, 8, margin, y, inner, "Réservé par\u00A0: " + inv.structure) - 6;

    // The code, large, in a monospaced bold face (0 and O, 1 and I cannot be confused: the
    // alphabet has no O or I, and the mono face draws them apart anyway).
    const float code_size = 26;
    text_at(page, d.regular, 8, margin, y, "Code de réservation");
    y -= code_size + 2;
    text_at(page, d.mono, code_size, margin, y, inv.code);
    y -= 6 * kMm;

    // The QR code under it, centred, then the pickup instructions at the bottom.
    const float qr_side = 40 * kMm;
    draw_qr(page, inv.ticket, (w - qr_side) / 2, y - qr_side, qr_side);
    y -= qr_side + 4 * kMm;
    paragraph(page, d.regular, 8, margin, y, inner, inv.pickup);
    d.check();
    return d.bytes();
}

//-----------------------------------------------------------------------------
// [SECTION] Door list (I3)
//-----------------------------------------------------------------------------

std::string render_door_list_pdf(const DoorListPdf& list) {
    Document d;
    HPDF_SetInfoAttr(d.doc, HPDF_INFO_TITLE, ("Liste d’accueil — " + list.title).c_str());
    const float w = 210 * kMm, h = 297 * kMm, margin = 15 * kMm;
    const float row_h = 8 * kMm, header_h = 38 * kMm, footer_h = 15 * kMm;
    const std::size_t per_page = static_cast<std::size_t>((h - header_h - footer_h - margin) / row_h) - 1;
    const std::size_t pages = list.lines.empty() ? 1 : (list.lines.size() + per_page - 1) / per_page;
    int total_places = 0;
    for (const auto& l : list.lines) total_places += l.places;
    // Columns: box, code, places, guest, structure, people who came.
    const float col_box = margin, col_code = margin + 10 * kMm, col_places = col_code + 32 * kMm,
                col_guest = col_places + 18 * kMm, col_structure = col_guest + 50 * kMm,
                col_came = w - margin - 22 * kMm;

    for (std::size_t p = 0; p < pages; ++p) {
        HPDF_Page page = HPDF_AddPage(d.doc);
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        float y = h - margin - 6;
        text_at(page, d.bold, 15, margin, y, "Liste d’accueil — " + list.title);
        y -= 18;
        text_at(page, d.regular, 10, margin, y, list.venue_name + " — " + list.date_time);
        y -= 14;
        text_at(page, d.regular, 9, margin, y,
                count_fr(static_cast<int>(list.lines.size()), "réservation", "réservations") + ", " +
                    count_fr(total_places, "place", "places") + " sur " + std::to_string(list.capacity) +
                    ". Cochez la case à l’arrivée et notez le nombre de personnes venues.");
        y = h - header_h;
        text_at(page, d.bold, 9, col_code, y, "Code");
        text_at(page, d.bold, 9, col_places, y, "Places");
        text_at(page, d.bold, 9, col_guest, y, "Invité·e");
        text_at(page, d.bold, 9, col_structure, y, "Structure");
        text_at(page, d.bold, 9, col_came, y, "Venus");
        HPDF_Page_SetLineWidth(page, 0.6f);
        HPDF_Page_MoveTo(page, margin, y - 3);
        HPDF_Page_LineTo(page, w - margin, y - 3);
        HPDF_Page_Stroke(page);
        const std::size_t first = p * per_page;
        for (std::size_t i = first; i < list.lines.size() && i < first + per_page; ++i) {
            const DoorListLine& l = list.lines[i];
            y -= row_h;
            HPDF_Page_SetLineWidth(page, 0.8f);
            HPDF_Page_Rectangle(page, col_box, y - 1.5f, 4.5f * kMm, 4.5f * kMm);
            HPDF_Page_Stroke(page);
            text_at(page, d.mono, 11, col_code, y, l.code);
            text_at(page, d.regular, 10, col_places, y + 1, std::to_string(l.places));
            text_at(page, d.regular, 10, col_guest, y + 1, l.guest);
            std::string structure = l.structure;
            // A long structure name is cut with an ellipsis rather than running into the next column.
            while (structure.size() > 1 &&
                   text_width(page, d.regular, 9, structure + "…") > col_came - col_structure - 6)
                pop_code_point(structure);
            if (structure != l.structure) structure += "…";
            text_at(page, d.regular, 9, col_structure, y + 1, structure);
            HPDF_Page_SetLineWidth(page, 0.3f);
            HPDF_Page_MoveTo(page, col_came, y - 1.5f);
            HPDF_Page_LineTo(page, col_came + 14 * kMm, y - 1.5f);
            HPDF_Page_Stroke(page);
        }
        if (list.lines.empty())
            text_at(page, d.regular, 10, margin, y - row_h, "Aucune réservation pour cette séance.");
        const std::string footer = "Page " + std::to_string(p + 1) + " sur " + std::to_string(pages) +
                                   " — ne pas diffuser\u00A0: liste nominative réservée à l’accueil.";
        text_at(page, d.regular, 8, margin, footer_h - 6, footer);
    }
    d.check();
    return d.bytes();
}

//-----------------------------------------------------------------------------
// [SECTION] Impact report (issue 17)
//-----------------------------------------------------------------------------
// A flow of blocks down A4 pages: a block that does not fit on what is left of a page starts the
// next one. Page numbers are written at the end, when their count is known.

namespace {

constexpr float kA4W = 210 * kMm, kA4H = 297 * kMm, kReportMargin = 15 * kMm;
constexpr std::array<float, 3> kInk{0.16f, 0.22f, 0.45f};  // the programme's blue, as on the invitation
constexpr std::array<float, 3> kGrey{0.45f, 0.45f, 0.50f};

void fill(HPDF_Page page, const std::array<float, 3>& c) { HPDF_Page_SetRGBFill(page, c[0], c[1], c[2]); }
void stroke(HPDF_Page page, const std::array<float, 3>& c) { HPDF_Page_SetRGBStroke(page, c[0], c[1], c[2]); }

void text_right(HPDF_Page page, HPDF_Font font, float size, float right, float y, const std::string& text) {
    text_at(page, font, size, right - text_width(page, font, size, text), y, text);
}
void text_centred(HPDF_Page page, HPDF_Font font, float size, float centre, float y, const std::string& text) {
    text_at(page, font, size, centre - text_width(page, font, size, text) / 2, y, text);
}

// `text` cut with an ellipsis to fit `width`.
std::string fitted(HPDF_Page page, HPDF_Font font, float size, const std::string& text, float width) {
    if (text_width(page, font, size, text) <= width) return text;
    std::string cut = text;
    while (cut.size() > 1 && text_width(page, font, size, cut + "…") > width) pop_code_point(cut);
    return cut + "…";
}

struct Flow {
    Flow(Document& document, const ImpactReportPdf& r) : d(document), report(r) {}
    Document& d;
    const ImpactReportPdf& report;
    std::vector<HPDF_Page> pages;
    HPDF_Page page = nullptr;
    float y = 0;  // the top of what is left
    const float left = kReportMargin, right = kA4W - kReportMargin, width = kA4W - 2 * kReportMargin;
    const float bottom = kReportMargin + 10;  // the footer's line

    void new_page() {
        page = HPDF_AddPage(d.doc);
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        pages.push_back(page);
        y = kA4H - kReportMargin;
        if (pages.size() == 1) return;
        // Later pages: a running head, so a loose page still says what it belongs to.
        fill(page, kGrey);
        text_at(page, d.regular, 8, left, y - 8, report.title + " — " + report.scope + " — " + report.period);
        HPDF_Page_SetLineWidth(page, 0.4f);
        stroke(page, kGrey);
        HPDF_Page_MoveTo(page, left, y - 12);
        HPDF_Page_LineTo(page, right, y - 12);
        HPDF_Page_Stroke(page);
        fill(page, {0, 0, 0});
        y -= 24;
    }
    // Room for a block of `height` points, on this page or the next.
    void need(float height) {
        if (!page || y - height < bottom) new_page();
    }
    void heading(const std::string& text) {
        need(40);
        fill(page, kInk);
        text_at(page, d.bold, 12, left, y - 12, text);
        fill(page, {0, 0, 0});
        y -= 20;
    }
    void paragraph_block(const std::string& text, float size = 9) {
        if (!page) new_page();
        need(static_cast<float>(wrap(page, d.regular, size, text, width).size()) * size * 1.3f + 4);
        y = paragraph(page, d.regular, size, left, y - size, width, text) + size * 0.3f;
        y -= 4;
    }
    void footers() {
        for (std::size_t i = 0; i < pages.size(); ++i) {
            fill(pages[i], kGrey);
            text_at(pages[i], d.regular, 7.5f, left, kReportMargin,
                    "une place — " + report.title + " — " + report.made_on);
            text_right(pages[i], d.regular, 7.5f, right, kReportMargin,
                       "Page " + std::to_string(i + 1) + " sur " + std::to_string(pages.size()));
        }
    }
};

// The axis' top: four round steps (1, 2 or 5 × 10ⁿ; 15 and 25 too for percentages) above every
// value and the reference line.
double axis_top(const PdfChart& chart) {
    double top = std::max(chart.reference, 0.0);
    for (const auto& b : chart.bars)
        for (double v : b.values) top = std::max(top, v);
    top *= 1.1;
    if (chart.percent && top >= 80) return 100;
    for (double step = 1;; step *= 10)
        for (double m : {1.0, 1.5, 2.0, 2.5, 5.0})
            if ((m == 1.0 || m == 2.0 || m == 5.0 || chart.percent) && 4 * m * step >= top) return 4 * m * step;
}

std::string axis_label(const PdfChart& chart, double v) {
    const std::int64_t n = static_cast<std::int64_t>(std::llround(v));
    return chart.percent ? std::to_string(n) + "\u00A0%" : format_count_fr(n);
}

void legend(Flow& f, const PdfChart& chart, float y) {
    float x = f.right;
    for (auto it = chart.series.rbegin(); it != chart.series.rend(); ++it) {
        x -= text_width(f.page, f.d.regular, 7.5f, it->name);
        text_at(f.page, f.d.regular, 7.5f, x, y, it->name);
        x -= 10;
        fill(f.page, it->rgb);
        HPDF_Page_Rectangle(f.page, x, y - 0.5f, 7, 7);
        HPDF_Page_Fill(f.page);
        fill(f.page, {0, 0, 0});
        x -= 12;
    }
}

// Vertical bars, one group per label (months), the values' notes above them when there is room.
void vertical_chart(Flow& f, const PdfChart& chart, float height) {
    f.need(height + 24);
    HPDF_Page page = f.page;
    text_at(page, f.d.bold, 10, f.left, f.y - 10, chart.title);
    legend(f, chart, f.y - 10);
    const float axis_w = 30, label_h = 14;
    const float x0 = f.left + axis_w, x1 = f.right, y1 = f.y - 22, y0 = f.y - height + label_h;
    const double top = axis_top(chart);
    auto y_of = [&](double v) { return y0 + static_cast<float>(v / top) * (y1 - y0); };
    // Grid: four steps.
    HPDF_Page_SetLineWidth(page, 0.3f);
    stroke(page, {0.82f, 0.83f, 0.86f});
    fill(page, kGrey);
    for (int i = 0; i <= 4; ++i) {
        const double v = top * i / 4;
        HPDF_Page_MoveTo(page, x0, y_of(v));
        HPDF_Page_LineTo(page, x1, y_of(v));
        HPDF_Page_Stroke(page);
        text_right(page, f.d.regular, 7, x0 - 4, y_of(v) - 2.5f, axis_label(chart, v));
    }
    const std::size_t n = std::max<std::size_t>(chart.bars.size(), 1);
    const float group = (x1 - x0) / static_cast<float>(n);
    const std::size_t series = std::max<std::size_t>(chart.series.size(), 1);
    const float bar = group * 0.72f / static_cast<float>(series);
    // Labels every k-th group when they would overlap.
    float widest = 0;
    for (const auto& b : chart.bars) widest = std::max(widest, text_width(page, f.d.regular, 7, b.label));
    const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + 4) / group)));
    for (std::size_t i = 0; i < chart.bars.size(); ++i) {
        const PdfBar& b = chart.bars[i];
        const float gx = x0 + group * static_cast<float>(i) + group * 0.14f;
        float highest = y0;
        for (std::size_t s = 0; s < b.values.size() && s < series; ++s) {
            fill(page, chart.series[s].rgb);
            const float h = y_of(b.values[s]) - y0;
            if (h <= 0) continue;
            HPDF_Page_Rectangle(page, gx + bar * static_cast<float>(s), y0, bar, h);
            HPDF_Page_Fill(page);
            highest = std::max(highest, y0 + h);
        }
        fill(page, {0, 0, 0});
        if (!b.note.empty() && text_width(page, f.d.regular, 6.5f, b.note) <= group - 1)
            text_centred(page, f.d.regular, 6.5f, x0 + group * (static_cast<float>(i) + 0.5f), highest + 2.5f, b.note);
        if (i % every == 0)
            text_centred(page, f.d.regular, 7, x0 + group * (static_cast<float>(i) + 0.5f), y0 - 10, b.label);
    }
    if (chart.reference >= 0) {
        HPDF_Page_SetLineWidth(page, 0.9f);
        stroke(page, {0.80f, 0.20f, 0.40f});
        const HPDF_UINT16 dash[] = {4, 3};
        HPDF_Page_SetDash(page, dash, 2, 0);
        HPDF_Page_MoveTo(page, x0, y_of(chart.reference));
        HPDF_Page_LineTo(page, x1, y_of(chart.reference));
        HPDF_Page_Stroke(page);
        HPDF_Page_SetDash(page, nullptr, 0, 0);
        // The label on a white ground at the left end, over whatever bar is there.
        const float label_w = text_width(page, f.d.regular, 7, chart.reference_label);
        HPDF_Page_SetRGBFill(page, 1, 1, 1);
        HPDF_Page_Rectangle(page, x0 + 2, y_of(chart.reference) + 1.5f, label_w + 4, 9);
        HPDF_Page_Fill(page);
        fill(page, {0.80f, 0.20f, 0.40f});
        text_at(page, f.d.regular, 7, x0 + 4, y_of(chart.reference) + 3.5f, chart.reference_label);
    }
    stroke(page, {0, 0, 0});
    fill(page, {0, 0, 0});
    if (chart.bars.empty()) text_centred(page, f.d.regular, 9, (x0 + x1) / 2, (y0 + y1) / 2, "Aucune donnée.");
    f.y -= height + 12;
}

// Horizontal bars, one row per label (categories), the note after the longest bar.
void horizontal_chart(Flow& f, const PdfChart& chart) {
    const std::size_t series = std::max<std::size_t>(chart.series.size(), 1);
    const float row = 5.5f * static_cast<float>(series) + 5, label_w = 120, note_w = 90;
    const float height = 22 + row * static_cast<float>(std::max<std::size_t>(chart.bars.size(), 1)) + 6;
    f.need(height);
    HPDF_Page page = f.page;
    text_at(page, f.d.bold, 10, f.left, f.y - 10, chart.title);
    legend(f, chart, f.y - 10);
    const float x0 = f.left + label_w, x1 = f.right - note_w;
    const double top = axis_top(chart);
    float y = f.y - 22;
    for (const PdfBar& b : chart.bars) {
        text_at(page, f.d.regular, 8, f.left, y - row / 2 - 3, fitted(page, f.d.regular, 8, b.label, label_w - 6));
        float longest = x0;
        for (std::size_t s = 0; s < b.values.size() && s < series; ++s) {
            const float w = static_cast<float>(b.values[s] / top) * (x1 - x0);
            if (w <= 0) continue;
            fill(page, chart.series[s].rgb);
            HPDF_Page_Rectangle(page, x0, y - 2.5f - 5.5f * static_cast<float>(s + 1), w, 5);
            HPDF_Page_Fill(page);
            longest = std::max(longest, x0 + w);
        }
        fill(page, {0, 0, 0});
        text_at(page, f.d.regular, 7.5f, longest + 4, y - row / 2 - 3, b.note);
        y -= row;
    }
    if (chart.bars.empty()) text_at(page, f.d.regular, 9, x0, y - 10, "Aucune donnée.");
    f.y -= height + 8;
}

// A table whose rows continue on the next pages (with the header again) when they do not fit.
void table(Flow& f, const PdfTable& t) {
    const float row_h = 12.5f, size = 8.5f;
    float total = 0;
    for (float w : t.widths) total += w;
    std::vector<float> x;  // each column's left edge
    float at = f.left;
    for (float w : t.widths) {
        x.push_back(at);
        at += w / total * f.width;
    }
    x.push_back(f.right);
    auto cell = [&](HPDF_Font font, std::size_t c, float y, const std::string& text) {
        const float w = x[c + 1] - x[c] - 6;
        const std::string s = fitted(f.page, font, size, text, w);
        if (c == 0) text_at(f.page, font, size, x[c], y, s);
        else text_right(f.page, font, size, x[c + 1] - 2, y, s);
    };
    // Header cells may have two lines ("Places\ndonnées"): the row is as tall as the tallest.
    std::size_t header_lines = 1;
    for (const auto& h : t.header)
        header_lines = std::max<std::size_t>(header_lines, 1 + std::count(h.begin(), h.end(), '\n'));
    const float header_h = row_h * static_cast<float>(header_lines);
    auto header = [&] {
        for (std::size_t c = 0; c < t.header.size() && c < t.widths.size(); ++c) {
            float y =
                f.y - size -
                row_h * static_cast<float>(header_lines - 1 - std::count(t.header[c].begin(), t.header[c].end(), '\n'));
            std::size_t from = 0;
            while (from <= t.header[c].size()) {
                std::size_t end = t.header[c].find('\n', from);
                if (end == std::string::npos) end = t.header[c].size();
                cell(f.d.bold, c, y, t.header[c].substr(from, end - from));
                y -= row_h;
                from = end + 1;
            }
        }
        const float line = f.y - header_h + row_h - size - 4;
        HPDF_Page_SetLineWidth(f.page, 0.6f);
        HPDF_Page_MoveTo(f.page, f.left, line);
        HPDF_Page_LineTo(f.page, f.right, line);
        HPDF_Page_Stroke(f.page);
        f.y -= header_h + 2;
    };
    f.need(16 + header_h + 2 * row_h);
    if (!t.title.empty()) {
        text_at(f.page, f.d.bold, 10, f.left, f.y - 10, t.title);
        f.y -= 18;
    }
    header();
    if (t.rows.empty()) {
        text_at(f.page, f.d.regular, size, f.left, f.y - size, t.empty);
        f.y -= row_h;
    }
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        if (f.y - row_h < f.bottom) {
            f.new_page();
            header();
        }
        if (r % 2 == 1) {
            HPDF_Page_SetRGBFill(f.page, 0.95f, 0.96f, 0.98f);
            HPDF_Page_Rectangle(f.page, f.left - 2, f.y - row_h + 2.5f, f.width + 4, row_h);
            HPDF_Page_Fill(f.page);
            fill(f.page, {0, 0, 0});
        }
        for (std::size_t c = 0; c < t.rows[r].size() && c < t.widths.size(); ++c)
            cell(f.d.regular, c, f.y - size, t.rows[r][c]);
        f.y -= row_h;
    }
    f.y -= 10;
}

// The key figures as tiles, five a row: the value large, its caption under it.
void figure_tiles(Flow& f, const std::vector<std::pair<std::string, std::string>>& figures) {
    const int per_row = 5;
    const float gap = 3 * kMm, tile_w = (f.width - gap * (per_row - 1)) / per_row, tile_h = 19 * kMm;
    for (std::size_t i = 0; i < figures.size(); ++i) {
        const std::size_t col = i % per_row;
        if (col == 0) f.need(tile_h + gap);
        const float x = f.left + static_cast<float>(col) * (tile_w + gap), top = f.y;
        HPDF_Page_SetRGBFill(f.page, 0.93f, 0.94f, 0.97f);
        HPDF_Page_Rectangle(f.page, x, top - tile_h, tile_w, tile_h);
        HPDF_Page_Fill(f.page);
        fill(f.page, kInk);
        text_at(f.page, f.d.bold, 15, x + 5, top - 19, fitted(f.page, f.d.bold, 15, figures[i].second, tile_w - 10));
        fill(f.page, {0, 0, 0});
        float y = top - 31;
        for (const auto& line : wrap(f.page, f.d.regular, 7.5f, figures[i].first, tile_w - 10)) {
            if (y < top - tile_h + 3) break;
            text_at(f.page, f.d.regular, 7.5f, x + 5, y, line);
            y -= 9;
        }
        if (col == per_row - 1 || i + 1 == figures.size()) f.y -= tile_h + gap;
    }
}

}  // namespace

std::string render_impact_report_pdf(const ImpactReportPdf& r) {
    Document d;
    HPDF_SetInfoAttr(d.doc, HPDF_INFO_TITLE, (r.title + " — " + r.scope + " — " + r.period).c_str());
    Flow f(d, r);
    f.new_page();
    // A band with the title and the programme's name, then the scope and the period.
    const float band = 20 * kMm;
    fill(f.page, kInk);
    HPDF_Page_Rectangle(f.page, 0, kA4H - band, kA4W, band);
    HPDF_Page_Fill(f.page);
    fill(f.page, {1, 1, 1});
    text_at(f.page, d.bold, 20, f.left, kA4H - band + 7 * kMm, r.title);
    text_right(f.page, d.regular, 11, f.right, kA4H - band + 7 * kMm, "une place");
    fill(f.page, {0, 0, 0});
    f.y = kA4H - band - 9 * kMm;
    text_at(f.page, d.bold, 13, f.left, f.y, r.scope);
    text_right(f.page, d.regular, 8, f.right, f.y, r.made_on);
    f.y -= 16;
    text_at(f.page, d.regular, 11, f.left, f.y, r.period);
    f.y -= 18;

    figure_tiles(f, r.figures);
    f.y -= 4;
    f.paragraph_block(r.summary, 9.5f);
    f.y -= 6;
    vertical_chart(f, r.usage_by_month, 62 * kMm);
    horizontal_chart(f, r.outings_by_category);
    vertical_chart(f, r.first_timers_by_month, 55 * kMm);
    table(f, r.by_departement);

    f.heading(r.simulation_title);
    f.paragraph_block(r.simulation_text);
    f.y -= 4;
    table(f, r.simulation);

    f.heading("Notes de méthode");
    for (const auto& note : r.notes) f.paragraph_block(note, 8.5f);
    f.footers();
    d.check();
    return d.bytes();
}

}  // namespace uneplace::server
