// uneplace server — invitation and door list PDFs (libharu, libqrencode). See pdf.hpp.
//
// Index of this file:
// [SECTION] Document: libharu with the embedded UTF-8 font
// [SECTION] QR code
// [SECTION] Invitation (I1)
// [SECTION] Door list (I3)
#include "pdf.hpp"

#include <hpdf.h>
#include <qrencode.h>

#include <memory>
#include <stdexcept>

#include "uneplace/french.hpp"

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

}  // namespace uneplace::server
