// Posters (issue 18, API.md "Finding outings"): PUT /offers/{id}/image and the two sizes served.
// Real pictures made in the test with the server's own image library (libjpeg-turbo, libpng,
// libwebp), sent over real HTTP to a real server; what comes back is decoded again.
#include <gtest/gtest.h>

#include <array>
#include <fstream>

#include "harness.hpp"
#include "images.hpp"

using namespace uneplace::test;
using uneplace::server::decode_image;
using uneplace::server::encode_jpeg;
using uneplace::server::encode_png;
using uneplace::server::encode_webp;
using uneplace::server::Picture;

namespace {

ServerProcess& poster_server() {
    static ServerProcess server({.extra_args = {"--login-rate", "100000"}});
    return server;
}

// A picture with detail in it (a JPEG of a flat colour would be a few hundred bytes).
Picture test_picture(int width, int height) {
    Picture p;
    p.width = width;
    p.height = height;
    p.rgb.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
    std::uint32_t noise = 12345;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            noise = noise * 1103515245u + 12345u;
            std::uint8_t* px = &p.rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + x) * 3];
            px[0] = static_cast<std::uint8_t>(x * 255 / width);
            px[1] = static_cast<std::uint8_t>(y * 255 / height);
            px[2] = static_cast<std::uint8_t>((noise >> 16) & 0xff);
        }
    return p;
}

// A draft offer of `partner` (posters are set before submission, like any edit).
std::int64_t draft_offer(const Api& partner, const std::string& title = "Affiche de test") {
    Reply r = partner.post("/api/v1/offers", {{"venue_id", first_venue(partner)},
                                              {"title", title},
                                              {"category", "theatre"},
                                              {"pickup_mode", "guest_list"},
                                              {"description", "Créée par posters_test."}});
    if (r.status != 201) throw std::runtime_error("offer: " + r.body);
    return r["id"];
}

Reply put_image(const Api& api, std::int64_t offer, const std::string& bytes, const std::string& type) {
    return api.request("PUT", "/api/v1/offers/" + std::to_string(offer) + "/image", bytes, type);
}

// JPEG with an EXIF segment (APP1) right after its start marker, as a phone writes it.
std::string with_exif(const std::string& jpeg, const std::string& secret) {
    std::string payload = std::string("Exif\0\0", 6) + "II*\0" + secret;
    const std::size_t len = payload.size() + 2;
    std::string app1 = "\xFF\xE1";
    app1 += static_cast<char>(len >> 8);
    app1 += static_cast<char>(len & 0xff);
    return jpeg.substr(0, 2) + app1 + payload + jpeg.substr(2);
}

std::uint32_t crc32(std::string_view bytes) {
    std::uint32_t c = 0xffffffffu;
    for (unsigned char b : bytes) {
        c ^= b;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return c ^ 0xffffffffu;
}

void put_be32(std::string& s, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}

// A real little PNG whose IHDR now declares width × height (CRC recomputed): a few hundred bytes
// that would take width × height × 3 bytes once decoded.
std::string png_bomb(std::uint32_t width, std::uint32_t height) {
    std::string png = encode_png(test_picture(8, 8));
    // signature (8), IHDR length (4), "IHDR" (4), width, height, … CRC after the 13 data bytes.
    put_be32(png, 16, width);
    put_be32(png, 20, height);
    put_be32(png, 29, crc32(std::string_view(png).substr(12, 17)));
    return png;
}

// A real little JPEG whose frame header (SOF0) now declares width × height.
std::string jpeg_bomb(std::uint16_t width, std::uint16_t height) {
    std::string jpeg = encode_jpeg(test_picture(16, 16), 80);
    const std::size_t sof = jpeg.find("\xFF\xC0");
    if (sof == std::string::npos) throw std::runtime_error("no SOF0");
    jpeg[sof + 5] = static_cast<char>(height >> 8);
    jpeg[sof + 6] = static_cast<char>(height & 0xff);
    jpeg[sof + 7] = static_cast<char>(width >> 8);
    jpeg[sof + 8] = static_cast<char>(width & 0xff);
    return jpeg;
}

void expect_invalid_image(const Reply& r, const std::string& what) {
    EXPECT_EQ(r.status, 422) << what << ": " << r.body;
    EXPECT_EQ(r.error_code(), "invalid_image") << what;
    const std::string message = r.json_body()["error"].value("message", "");
    EXPECT_NE(message.find("JPEG, PNG ou WebP"), std::string::npos) << message;
    EXPECT_NE(message.find("\u00A0:"), std::string::npos) << "no-break space before the colon: " << message;
}

}  // namespace

TEST(Posters, JpegPngAndWebpAreAcceptedAndServedInTwoSizes) {
    ServerProcess& s = poster_server();
    Api partner = logged_in(kPartner, s);
    Api admin = logged_in(kAdmin, s);
    Api worker = logged_in(kWorker, s);
    const Picture source = test_picture(1200, 1600);
    const std::array<std::pair<std::string, std::string>, 3> uploads = {{
        {"image/jpeg", encode_jpeg(source, 90)},
        {"image/png", encode_png(source)},
        {"image/webp", encode_webp(source, 90)},
    }};
    for (const auto& [type, bytes] : uploads) {
        SCOPED_TRACE(type);
        ASSERT_FALSE(bytes.empty());
        const std::int64_t offer = draft_offer(partner, "Affiche " + type);
        Reply put = put_image(partner, offer, bytes, type);
        ASSERT_EQ(put.status, 200) << put.body;
        const std::string large_url = put["image_url"], thumb_url = put["thumbnail_url"];
        EXPECT_EQ(put["width"], 800);
        EXPECT_EQ(put["height"], 1066);

        Reply large = partner.get(large_url);
        ASSERT_EQ(large.status, 200) << large.body;
        EXPECT_EQ(large.header("Content-Type"), "image/webp");
        EXPECT_NE(large.header("Cache-Control").find("max-age=31536000"), std::string::npos);
        const auto large_pic = decode_image(large.body, 0);
        ASSERT_TRUE(large_pic);
        EXPECT_EQ(large_pic->width, 800);
        EXPECT_EQ(large_pic->height, 1066);

        Reply thumb = partner.get(thumb_url);
        ASSERT_EQ(thumb.status, 200);
        const auto thumb_pic = decode_image(thumb.body, 0);
        ASSERT_TRUE(thumb_pic);
        EXPECT_EQ(thumb_pic->width, 160);
        EXPECT_LT(thumb.body.size(), 16u * 1024u) << "a thumbnail is a few KB";
        EXPECT_LT(thumb.body.size(), large.body.size());

        // Revalidation: the tag answers 304 with no body; the two sizes have different tags.
        const std::string etag = large.header("ETag");
        ASSERT_FALSE(etag.empty());
        EXPECT_NE(etag, thumb.header("ETag"));
        Api again = partner;
        again.extra.emplace("If-None-Match", etag);
        Reply cached = again.get(large_url);
        EXPECT_EQ(cached.status, 304);
        EXPECT_TRUE(cached.body.empty());

        // The offer says where its poster is; once published, so do its catalogue rows, and a
        // social worker may fetch them.
        EXPECT_EQ(partner.get("/api/v1/offers/" + std::to_string(offer))["image_url"], large_url);
        ASSERT_EQ(partner.post("/api/v1/offers/" + std::to_string(offer) + "/submit").status, 200);
        ASSERT_EQ(admin.post("/api/v1/offers/" + std::to_string(offer) + "/approve").status, 200);
        const std::int64_t session = new_session(partner, offer)["session_id"];
        bool listed = false;
        for (const auto& row : worker.get("/api/v1/catalogue?limit=500").items())
            if (row["session_id"] == session) {
                listed = true;
                EXPECT_EQ(row["thumbnail_url"], thumb_url);
                EXPECT_EQ(row["image_url"], large_url);
            }
        EXPECT_TRUE(listed);
        EXPECT_EQ(worker.get(thumb_url).status, 200);
    }
    // An offer without a poster says null.
    const std::int64_t bare = draft_offer(partner);
    EXPECT_TRUE(partner.get("/api/v1/offers/" + std::to_string(bare))["image_url"].is_null());
    EXPECT_EQ(partner.get("/api/v1/offers/" + std::to_string(bare) + "/image").status, 404);
}

TEST(Posters, ExifIsGoneFromWhatIsServed) {
    ServerProcess& s = poster_server();
    Api partner = logged_in(kPartner, s);
    const std::string secret = "GPS 48.8566N 2.3522E domicile-de-la-photographe";
    const std::string upload = with_exif(encode_jpeg(test_picture(900, 600), 90), secret);
    ASSERT_TRUE(decode_image(upload)) << "the input with its EXIF is a valid JPEG";
    ASSERT_NE(upload.find("Exif"), std::string::npos);
    const std::int64_t offer = draft_offer(partner);
    Reply put = put_image(partner, offer, upload, "image/jpeg");
    ASSERT_EQ(put.status, 200) << put.body;
    for (const char* key : {"image_url", "thumbnail_url"}) {
        Reply got = partner.get(put[key]);
        ASSERT_EQ(got.status, 200);
        EXPECT_EQ(got.body.find("Exif"), std::string::npos) << key;
        EXPECT_EQ(got.body.find("EXIF"), std::string::npos) << key;  // WebP's metadata chunk
        EXPECT_EQ(got.body.find("domicile"), std::string::npos) << key;
        EXPECT_EQ(got.body.substr(0, 4), "RIFF") << key << ": a WebP file, not the JPEG passed through";
    }
    EXPECT_EQ(s.db_bytes().find("domicile-de-la-photographe"), std::string::npos) << "not stored either";
}

TEST(Posters, NonImagesTruncatedAndCorruptFilesAreRefused) {
    ServerProcess& s = poster_server();
    Api partner = logged_in(kPartner, s);
    const std::int64_t offer = draft_offer(partner);
    const Picture pic = test_picture(640, 480);
    const std::string jpeg = encode_jpeg(pic, 85), png = encode_png(pic), webp = encode_webp(pic, 85);
    expect_invalid_image(put_image(partner, offer, "Bonjour, voici mon affiche.", "image/jpeg"), "text");
    expect_invalid_image(put_image(partner, offer, "%PDF-1.4\n%…", "image/png"), "a PDF");
    expect_invalid_image(put_image(partner, offer, jpeg, "application/json"), "not an image type");
    expect_invalid_image(put_image(partner, offer, "", "image/webp"), "empty");
    expect_invalid_image(put_image(partner, offer, jpeg.substr(0, jpeg.size() / 2), "image/jpeg"), "truncated JPEG");
    expect_invalid_image(put_image(partner, offer, png.substr(0, png.size() / 2), "image/png"), "truncated PNG");
    expect_invalid_image(put_image(partner, offer, webp.substr(0, webp.size() / 2), "image/webp"), "truncated WebP");
    std::string corrupt = png;
    for (std::size_t i = 60; i < corrupt.size() - 20; i += 7) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
    expect_invalid_image(put_image(partner, offer, corrupt, "image/png"), "corrupt PNG");
    EXPECT_TRUE(partner.get("/api/v1/offers/" + std::to_string(offer))["image_url"].is_null()) << "nothing stored";
}

TEST(Posters, ABodyOverFiveMegabytesIs413AndOtherRoutesKeepTheirCap) {
    ServerProcess& s = poster_server();
    Api partner = logged_in(kPartner, s);
    const std::int64_t offer = draft_offer(partner);
    const std::string jpeg = encode_jpeg(test_picture(64, 64), 80);
    std::string oversize = jpeg;
    oversize.resize(uneplace::server::kPosterMaxBytes + 1, '\0');
    Reply big = put_image(partner, offer, oversize, "image/jpeg");
    EXPECT_EQ(big.status, 413) << big.body;
    EXPECT_EQ(big.error_code(), "payload_too_large");
    // Two megabytes: within the poster route's cap, above every other route's (--max-body, 1 MB).
    std::string two_mb(2u << 20, ' ');
    Reply other = partner.request("PATCH", "/api/v1/offers/" + std::to_string(offer), two_mb);
    EXPECT_EQ(other.status, 413);
    EXPECT_EQ(put_image(partner, offer, jpeg, "image/jpeg").status, 200) << "and the server is still there";
}

TEST(Posters, DecompressionBombsAreRefusedFromTheirHeader) {
    ServerProcess& s = poster_server();
    Api partner = logged_in(kPartner, s);
    const std::int64_t offer = draft_offer(partner);
    const std::string png = png_bomb(30000, 30000), jpeg = jpeg_bomb(30000, 30000);
    ASSERT_LT(png.size(), 2000u);
    ASSERT_LT(jpeg.size(), 2000u);
    // The bombs are well formed up to their pixels: the header says 900 megapixels.
    const auto h = uneplace::server::read_image_header(png);
    ASSERT_TRUE(h);
    EXPECT_EQ(h->width, 30000);
    ASSERT_TRUE(uneplace::server::read_image_header(jpeg));
    for (int i = 0; i < 3; ++i) {
        expect_invalid_image(put_image(partner, offer, png, "image/png"), "PNG bomb");
        expect_invalid_image(put_image(partner, offer, jpeg, "image/jpeg"), "JPEG bomb");
    }
    EXPECT_TRUE(s.running());
    // Decoding one would need 2.7 GB; the server's peak stays far below (never allocated).
    const long peak = memory_kb(s.pid(), "VmHWM:");
    ASSERT_GT(peak, 0);
    if (server_memory_measured()) {
        EXPECT_LT(peak, 400L * 1024L) << "peak resident memory (kB)";
    }
    EXPECT_EQ(partner.get("/api/v1/offers/" + std::to_string(offer)).status, 200);
}

TEST(Posters, OnlyThePartnerOfTheOfferSetsItsPoster) {
    ServerProcess& s = poster_server();
    Api partner = logged_in(kPartner, s);
    const std::int64_t offer = draft_offer(partner);
    const std::string jpeg = encode_jpeg(test_picture(300, 400), 85);
    Reply other = put_image(logged_in(kOtherPartner, s), offer, jpeg, "image/jpeg");
    EXPECT_EQ(other.status, 404) << other.body;
    EXPECT_EQ(put_image(logged_in(kWorker, s), offer, jpeg, "image/jpeg").status, 403);
    EXPECT_EQ(logged_in(kOtherPartner, s).get("/api/v1/offers/" + std::to_string(offer) + "/image").status, 404);
    EXPECT_TRUE(partner.get("/api/v1/offers/" + std::to_string(offer))["image_url"].is_null());
}

TEST(Posters, APosterIsAnEditOfTheOfferAndIsAudited) {
    ServerProcess& s = poster_server();
    Api partner = logged_in(kPartner, s);
    Api admin = logged_in(kAdmin, s);
    const std::string jpeg = encode_jpeg(test_picture(300, 400), 85);
    // Published: not edited any more, its poster neither (the offer's moderation stands).
    const std::int64_t published = published_offer(partner, admin);
    Reply refused = put_image(partner, published, jpeg, "image/jpeg");
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(refused.error_code(), "invalid_transition");
    // Rejected: a new poster sends it back to draft, like any edit.
    const std::int64_t offer = draft_offer(partner);
    const std::string path = "/api/v1/offers/" + std::to_string(offer);
    ASSERT_EQ(partner.post(path + "/submit").status, 200);
    ASSERT_EQ(admin.post(path + "/reject", {{"reason", "Il manque l’affiche."}}).status, 200);
    Reply put = put_image(partner, offer, jpeg, "image/jpeg");
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(partner.get(path)["status"], "draft");
    // A second poster gets a new URL; the old one is not kept for a year any more.
    Reply second = put_image(partner, offer, encode_png(test_picture(200, 200)), "image/png");
    ASSERT_EQ(second.status, 200);
    EXPECT_NE(second["image_url"], put["image_url"]);
    EXPECT_EQ(partner.get(second["image_url"]).header("Cache-Control").find("no-cache"), std::string::npos);
    EXPECT_NE(partner.get(put["image_url"]).header("Cache-Control").find("no-cache"), std::string::npos);
    bool audited = false;
    for (const auto& e : admin.get("/api/v1/audit?entity=offer&limit=500").items())
        if (e.value("action", "") == "offer.image" && e.value("entity_id", json()) == offer) audited = true;
    EXPECT_TRUE(audited);
}
