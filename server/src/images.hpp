// uneplace server — posters (issue 18): reading an uploaded JPEG, PNG or WebP, refusing what is not
// one, and making the two sizes the app shows, re-encoded from pixels (so no EXIF or other metadata
// survives). libjpeg-turbo (TurboJPEG API), libpng (simplified API) and libwebp, from Debian.
//
// Index of this file:
// [SECTION] Bounds
// [SECTION] Reading
// [SECTION] Writing
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Bounds
//-----------------------------------------------------------------------------

// The largest upload the poster route takes (its own body cap, above the server's --max-body).
constexpr std::size_t kPosterMaxBytes = 5u * 1024u * 1024u;
// A decompression bomb: a small file declaring a huge picture. Refused from the header alone,
// before a byte of pixels is allocated. 40 megapixels is beyond any camera a partner uses.
constexpr std::int64_t kPosterMaxPixels = 40'000'000;
constexpr int kPosterLargeWidth = 800;  // the session page
constexpr int kPosterThumbWidth = 160;  // a catalogue row

//-----------------------------------------------------------------------------
// [SECTION] Reading
//-----------------------------------------------------------------------------

enum class ImageFormat { Jpeg, Png, Webp };

struct ImageHeader {
    ImageFormat format = ImageFormat::Jpeg;
    int width = 0, height = 0;
};

// 8-bit RGB, rows top to bottom, no padding; transparency is flattened onto white.
struct Picture {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb;
};

// The format (from the bytes, never from a file name or a Content-Type) and the declared size;
// nullopt when the bytes are not the start of a JPEG, PNG or WebP we can read.
std::optional<ImageHeader> read_image_header(std::string_view bytes);

// Decodes the picture, scaled down on the way when the format allows it (JPEG decodes at 1/2, 1/4
// or 1/8) but never below `min_width`. nullopt for a non-image, a truncated or corrupt file, or a
// header beyond kPosterMaxPixels (checked before decoding).
std::optional<Picture> decode_image(std::string_view bytes, int min_width = kPosterLargeWidth);

// Scales down to `width` (never up), keeping the proportions: each output pixel is the average of
// the input pixels it covers.
Picture scale_to_width(const Picture& in, int width);

//-----------------------------------------------------------------------------
// [SECTION] Writing
//-----------------------------------------------------------------------------

std::string encode_webp(const Picture& p, float quality);
std::string encode_jpeg(const Picture& p, int quality);
std::string encode_png(const Picture& p);

// The two sizes of a poster, as stored and served.
struct Poster {
    std::string large, thumb;   // image/webp
    int width = 0, height = 0;  // of `large`
    std::string etag;           // a hash of both files: the same picture keeps it
};
// nullopt: not an image we take (the route answers 422 invalid_image).
std::optional<Poster> make_poster(std::string_view upload);
// The two sizes of a decoded picture (the demo data draws its posters).
Poster poster_of(const Picture& picture);

}  // namespace uneplace::server
