// uneplace server — the two PDFs of issue 16, drawn with libharu: the invitation (I1, with the QR
// code of I2 made by libqrencode) and the door list (I3). What they say is decided before (the
// shared module's wording and order, store_invitations.cpp's data); here is only drawing.
// The French font (DejaVu Sans, Debian's fonts-dejavu-core) is embedded with libharu's UTF-8
// encoder, so "Œuvre", "Ngô" and "’" print on any printer.
#pragma once
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

}  // namespace uneplace::server
