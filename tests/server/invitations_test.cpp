// Invitations (issue 16, I1–I3): the real server makes the PDFs; poppler's pdftotext reads their
// text back, pdftoppm rasterises them and zbarimg decodes the QR code from the pixels; the decoded
// ticket then checks a guest in over real HTTP. Altered tickets, a cancelled booking's ticket and a
// key rotation by the real `uneplace rotate-ticket-key` are checked the same way. The page images
// land in build/screenshots/ (invitation.png, door-list.png).
#include <sodium.h>
#include <sys/wait.h>

#include <fstream>

#include "harness.hpp"
#include "pdf_tools.hpp"
#include "uneplace/invitation.hpp"

using namespace uneplace::test;

namespace {

// What a PDF says, and the QR code its first page carries, read by the real tools.
struct ReadPdf {
    std::string text;
    std::string qr;  // the decoded ticket, without zbarimg's line end
    std::filesystem::path page_png;
};

ReadPdf read_pdf(const TempDir& dir, const std::string& name, const std::string& pdf, bool decode_qr = true) {
    ReadPdf out;
    const auto pdf_path = dir.path() / (name + ".pdf");
    write_file(pdf_path, pdf);
    const Command text = run_tool("pdftotext -enc UTF-8 " + shell_quoted(pdf_path) + " -");
    EXPECT_EQ(text.exit_code, 0) << text.output;
    out.text = text.output;
    const auto prefix = dir.path() / name;
    const Command png =
        run_tool("pdftoppm -png -r 150 -singlefile " + shell_quoted(pdf_path) + " " + shell_quoted(prefix));
    EXPECT_EQ(png.exit_code, 0) << png.output;
    out.page_png = prefix.string() + ".png";
    if (decode_qr) {
        const Command qr = run_tool("zbarimg --raw -q " + shell_quoted(out.page_png));
        EXPECT_EQ(qr.exit_code, 0) << "zbarimg found no QR code: " << qr.output;
        out.qr = uneplace::trim_ticket(qr.output);
    }
    return out;
}

std::string path_of(const char* a, std::int64_t id, const char* b) { return a + std::to_string(id) + b; }

// A session of the demo partner at 20:00 in ten days, with a title that needs the embedded font,
// and a booking of `places` for a beneficiary whose names do too.
struct Booked {
    std::int64_t session = 0, booking = 0, beneficiary = 0;
    std::string code;
    json session_json;
};
Booked book_outing(ServerProcess& s, const Api& worker, int places = 2) {
    Api partner = logged_in(kPartner, s);
    Api admin = logged_in(kAdmin, s);
    const auto offer = published_offer(partner, admin, {{"title", "L’Œuvre au noir — Ngô & Cie"}});
    Booked b;
    b.session_json = new_session(partner, offer, {{"start_local", local_start(10, 20, 0, "75", clock_offset(s))}});
    b.session = b.session_json["session_id"];
    b.beneficiary = new_beneficiary(worker, {{"first_name", "Ngô"}, {"last_name", "Œuvray-Diallo"}});
    Reply r = book(worker, b.session, b.beneficiary, places);
    if (r.status != 201) throw std::runtime_error("booking: " + r.body);
    b.booking = r.json_body()["id"];
    b.code = r.json_body()["code"];
    return b;
}

Reply invitation(const Api& api, std::int64_t booking) {
    return api.get(path_of("/api/v1/bookings/", booking, "/invitation.pdf"));
}

Reply check_in_ticket(const Api& partner, std::int64_t session, const std::string& ticket, int attended = 1) {
    return partner.post(path_of("/api/v1/sessions/", session, "/checkin"),
                        {{"ticket", ticket}, {"attended_count", attended}});
}

// The same ticket with its payload changed (and re-encoded), its signature kept.
std::string with_payload(const std::string& ticket, const std::function<void(uneplace::TicketPayload&)>& change) {
    auto parts = uneplace::split_ticket(ticket);
    if (!parts) throw std::runtime_error("not a ticket: " + ticket);
    change(parts->payload);
    return uneplace::ticket_text(uneplace::ticket_signed_text(parts->payload), parts->signature);
}

}  // namespace

TEST(Invitation, PdfReadsBackAndItsQrChecksTheGuestIn) {
    ServerProcess s;
    TempDir dir;
    Api worker = logged_in(kWorker, s);
    const Booked b = book_outing(s, worker, 2);

    Reply pdf = invitation(worker, b.booking);
    ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 300);
    EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
    EXPECT_NE(pdf.header("Content-Disposition").find("attachment; filename=\"invitation-" + b.code + ".pdf\""),
              std::string::npos);
    ASSERT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
    std::printf("[ figures  ] invitation PDF: %zu bytes (DejaVu Sans embedded)\n", pdf.body.size());

    const ReadPdf read = read_pdf(dir, "invitation", pdf.body);
    keep_screenshot(read.page_png, "invitation.png");
    // I1's fields, with the characters the embedded font must draw right.
    for (const std::string& want : {std::string("L’Œuvre au noir — Ngô & Cie"), std::string("Ngô Œ."), b.code,
                                    std::string("Code de réservation"), std::string("liste des invités")})
        EXPECT_NE(read.text.find(want), std::string::npos) << "missing « " << want << " » in:\n" << read.text;
    // Printed with a no-break space, which pdftotext gives back as a plain one.
    EXPECT_NE(read.text.find("Ngô Œ. — 2 places"), std::string::npos) << read.text;
    const json venue = worker.get(path_of("/api/v1/sessions/", b.session, ""))["venue"];
    EXPECT_NE(read.text.find(venue["name"].get<std::string>()), std::string::npos) << read.text;
    EXPECT_NE(read.text.find(venue["city"].get<std::string>()), std::string::npos) << read.text;
    // P2: the last name never leaves the office.
    EXPECT_EQ(read.text.find("Œuvray"), std::string::npos) << read.text;

    // The QR holds the signed ticket of this booking (I2).
    ASSERT_TRUE(uneplace::looks_like_ticket(read.qr)) << read.qr;
    auto parts = uneplace::split_ticket(read.qr);
    ASSERT_TRUE(parts.has_value()) << read.qr;
    EXPECT_EQ(parts->payload.booking_id, b.booking);
    EXPECT_EQ(parts->payload.session_id, b.session);
    EXPECT_EQ(parts->payload.code, b.code);
    EXPECT_EQ(parts->payload.places, 2);
    EXPECT_EQ(parts->payload.start, instant(b.session_json["start"]));

    // Verifiable offline with the published key: libsodium here, no server involved.
    Reply keys = Api(s).get("/api/v1/checkin/keys");
    ASSERT_EQ(keys.status, 200) << keys.body;
    ASSERT_EQ(keys["keys"].size(), 1u);
    ASSERT_EQ(sodium_init() >= 0, true);
    const std::string pk64 = keys["keys"][0]["public_key_base64"];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    std::size_t pk_len = 0;
    ASSERT_EQ(sodium_base642bin(pk, sizeof pk, pk64.c_str(), pk64.size(), nullptr, &pk_len, nullptr,
                                sodium_base64_VARIANT_ORIGINAL),
              0);
    ASSERT_EQ(pk_len, sizeof pk);
    EXPECT_EQ(keys["keys"][0]["kid"], std::to_string(parts->payload.key_id));
    EXPECT_EQ(crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(parts->signature.data()),
                                          reinterpret_cast<const unsigned char*>(parts->signed_text.data()),
                                          parts->signed_text.size(), pk),
              0);

    // At the door (an hour before the start), the scanned ticket checks the guest in.
    advance_to(s, instant(b.session_json["start"]) - 3600);
    Api partner = logged_in(kPartner, s);
    Reply in = check_in_ticket(partner, b.session, "  " + read.qr + "\n", 2);  // a scanner's line end
    ASSERT_EQ(in.status, 200) << in.body;
    EXPECT_EQ(in["status"], "attended");
    EXPECT_EQ(in["attended_count"], 2);
    EXPECT_EQ(in["code"], b.code);
    Reply again = check_in_ticket(partner, b.session, read.qr);
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.error_code(), "already_checked_in");
}

TEST(Invitation, AlteredOrForeignTicketsAreRefused) {
    ServerProcess s;
    TempDir dir;
    Api worker = logged_in(kWorker, s);
    const Booked b = book_outing(s, worker, 1);
    const Booked other = book_outing(s, worker, 1);
    const std::string ticket = read_pdf(dir, "a", invitation(worker, b.booking).body).qr;
    ASSERT_TRUE(uneplace::split_ticket(ticket).has_value()) << ticket;
    advance_to(s, instant(b.session_json["start"]) - 3600);
    Api partner = logged_in(kPartner, s);

    const std::vector<std::pair<std::string, std::string>> altered = {
        {"more places", with_payload(ticket, [](auto& p) { p.places = 3; })},
        {"another booking", with_payload(ticket, [&](auto& p) { p.booking_id = other.booking; })},
        {"another code", with_payload(ticket, [&](auto& p) { p.code = other.code; })},
        {"an unknown key", with_payload(ticket, [](auto& p) { p.key_id = 99; })},
        {"a flipped signature symbol", ticket.substr(0, ticket.size() - 5) +
                                           (ticket[ticket.size() - 5] == 'A' ? "B" : "A") +
                                           ticket.substr(ticket.size() - 4)},
        {"no signature", ticket.substr(0, ticket.rfind('.'))},
        {"garbage", "UP1.not-a-ticket"},
    };
    for (const auto& [what, t] : altered) {
        Reply r = check_in_ticket(partner, b.session, t);
        EXPECT_EQ(r.status, 422) << what << ": " << r.body;
        EXPECT_EQ(r.error_code(), "invalid_ticket") << what;
        EXPECT_EQ(r.json_body()["error"]["field"], "ticket") << what;
        EXPECT_FALSE(r.json_body()["error"]["message"].get<std::string>().empty()) << what;
    }
    // A genuine ticket of another session is unknown at this one (K2), as its code would be.
    const std::string other_ticket = read_pdf(dir, "b", invitation(worker, other.booking).body).qr;
    Reply foreign = check_in_ticket(partner, b.session, other_ticket);
    EXPECT_EQ(foreign.status, 404) << foreign.body;
    // Nothing above checked anyone in: the genuine ticket still does.
    Reply ok = check_in_ticket(partner, b.session, ticket);
    EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST(Invitation, ACancelledBookingsTicketAndInvitationAreRefused) {
    ServerProcess s;
    TempDir dir;
    Api worker = logged_in(kWorker, s);
    const Booked b = book_outing(s, worker, 1);
    const std::string ticket = read_pdf(dir, "c", invitation(worker, b.booking).body).qr;
    ASSERT_TRUE(uneplace::looks_like_ticket(ticket)) << ticket;
    ASSERT_EQ(worker.post(path_of("/api/v1/bookings/", b.booking, "/cancel")).status, 200);

    Reply pdf = invitation(worker, b.booking);
    EXPECT_EQ(pdf.status, 409) << pdf.body.substr(0, 200);
    EXPECT_EQ(pdf.error_code(), "booking_cancelled");

    advance_to(s, instant(b.session_json["start"]) - 3600);
    Reply r = check_in_ticket(logged_in(kPartner, s), b.session, ticket);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.error_code(), "booking_cancelled");
}

TEST(Invitation, OnlyTheStructureAndItsAdminsGetIt) {
    Api worker = logged_in(kWorker);
    const Booked b = book_outing(demo_server(), worker, 1);
    EXPECT_EQ(invitation(logged_in(kOtherWorker), b.booking).status, 404);
    EXPECT_EQ(invitation(logged_in(kLyonWorker), b.booking).status, 404);
    EXPECT_EQ(invitation(logged_in(kPartner), b.booking).status, 403);
    EXPECT_EQ(invitation(Api(demo_server()), b.booking).status, 401);
    EXPECT_EQ(invitation(logged_in(kAdmin), b.booking).status, 200);
    EXPECT_EQ(invitation(worker, 999999999).status, 404);
}

TEST(Invitation, RotatedKeyKeepsPrintedTicketsValid) {
    ServerProcess s;
    TempDir dir;
    Api worker = logged_in(kWorker, s);
    const Booked first = book_outing(s, worker, 1);
    const std::string old_ticket = read_pdf(dir, "old", invitation(worker, first.booking).body).qr;
    ASSERT_TRUE(uneplace::split_ticket(old_ticket).has_value()) << old_ticket;

    // The real subcommand, on the database of the running server.
    const Command rotated =
        run_tool("'" + binary_path() + "' rotate-ticket-key --db " + shell_quoted(s.db_path()), true);
    ASSERT_EQ(rotated.exit_code, 0) << rotated.output;
    EXPECT_NE(rotated.output.find("Nouvelle clé"), std::string::npos) << rotated.output;
    Reply keys = Api(s).get("/api/v1/checkin/keys");
    ASSERT_EQ(keys["keys"].size(), 2u) << keys.body;

    // A new invitation of the same booking is signed with the new key…
    const std::string new_ticket = read_pdf(dir, "new", invitation(worker, first.booking).body).qr;
    auto old_parts = uneplace::split_ticket(old_ticket), new_parts = uneplace::split_ticket(new_ticket);
    ASSERT_TRUE(old_parts && new_parts) << new_ticket;
    EXPECT_EQ(new_parts->payload.key_id, std::stoll(keys["keys"][1]["kid"].get<std::string>()));
    EXPECT_NE(new_parts->payload.key_id, old_parts->payload.key_id);
    // …and the one printed before the rotation still checks the guest in.
    advance_to(s, instant(first.session_json["start"]) - 3600);
    Reply in = check_in_ticket(logged_in(kPartner, s), first.session, old_ticket);
    EXPECT_EQ(in.status, 200) << in.body;
    EXPECT_EQ(in["status"], "attended");
}

TEST(DoorList, PdfListsTheGuestsInP2FormSortedByCode) {
    TempDir dir;
    ServerProcess& s = demo_server();
    Api worker = logged_in(kWorker, s);
    Api partner = logged_in(kPartner, s);
    Api admin = logged_in(kAdmin, s);
    const auto offer = published_offer(partner, admin, {{"title", "Œuvres de Ngô Thị — lecture"}});
    const std::int64_t session =
        new_session(partner, offer, {{"capacity", 40}, {"start_local", local_start(12)}})["session_id"];
    std::vector<std::string> codes;
    for (const char* last : {"Œuvray", "Nguyễn", "Dupont-Lefèvre"}) {
        Reply r = book(worker, session, new_beneficiary(worker, {{"first_name", "Ngô"}, {"last_name", last}}), 1);
        ASSERT_EQ(r.status, 201) << r.body;
        codes.push_back(r.json_body()["code"]);
    }
    Reply pdf = partner.get(path_of("/api/v1/sessions/", session, "/door-list.pdf"));
    ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 300);
    EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
    std::printf("[ figures  ] door list PDF (3 guests): %zu bytes\n", pdf.body.size());
    const ReadPdf read = read_pdf(dir, "door-list", pdf.body, false);
    keep_screenshot(read.page_png, "door-list.png");
    EXPECT_NE(read.text.find("Liste d’accueil — Œuvres de Ngô Thị — lecture"), std::string::npos) << read.text;
    for (const char* guest : {"Ngô Œ.", "Ngô N.", "Ngô D."})
        EXPECT_NE(read.text.find(guest), std::string::npos) << guest << " in:\n" << read.text;
    for (const char* last_name : {"Œuvray", "Nguyễn", "Dupont"})
        EXPECT_EQ(read.text.find(last_name), std::string::npos) << "P2: " << last_name << " printed";
    std::sort(codes.begin(), codes.end());
    std::size_t previous = 0;
    for (const auto& code : codes) {
        const auto at = read.text.find(code);
        ASSERT_NE(at, std::string::npos) << code;
        EXPECT_GT(at, previous) << "I3: sorted by code";
        previous = at;
    }
    EXPECT_EQ(admin.get(path_of("/api/v1/sessions/", session, "/door-list.pdf")).status, 200);
    EXPECT_EQ(logged_in(kOtherPartner, s).get(path_of("/api/v1/sessions/", session, "/door-list.pdf")).status, 404);
    EXPECT_EQ(worker.get(path_of("/api/v1/sessions/", session, "/door-list.pdf")).status, 403);
}
