// uneplace server — posters: reading, scaling and writing pictures. See images.hpp.
//
// Index of this file:
// [SECTION] Reading
// [SECTION] Scaling
// [SECTION] Writing
#include "images.hpp"

#include <png.h>
#include <turbojpeg.h>
#include <webp/decode.h>
#include <webp/encode.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Reading
//-----------------------------------------------------------------------------

namespace {

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::optional<ImageFormat> sniff(std::string_view b) {
    if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") return ImageFormat::Jpeg;
    if (b.size() >= 8 && b.substr(0, 8) == "\x89PNG\r\n\x1A\n") return ImageFormat::Png;
    if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return ImageFormat::Webp;
    return std::nullopt;
}

// TurboJPEG handles, released however we leave.
struct TjHandle {
    tjhandle h;
    explicit TjHandle(tjhandle handle) : h(handle) {}
    ~TjHandle() {
        if (h) tjDestroy(h);
    }
    TjHandle(const TjHandle&) = delete;
    TjHandle& operator=(const TjHandle&) = delete;
};

// libpng's simplified reader; png_image_free is safe to call twice.
struct PngReader {
    png_image image;
    PngReader() {
        std::memset(&image, 0, sizeof image);
        image.version = PNG_IMAGE_VERSION;
    }
    ~PngReader() { png_image_free(&image); }
    PngReader(const PngReader&) = delete;
    PngReader& operator=(const PngReader&) = delete;
};

bool within_bounds(const ImageHeader& h) {
    return h.width > 0 && h.height > 0 &&
           static_cast<std::int64_t>(h.width) * static_cast<std::int64_t>(h.height) <= kPosterMaxPixels;
}

std::optional<Picture> decode_jpeg(std::string_view bytes, const ImageHeader& h, int min_width) {
    TjHandle tj(tjInitDecompress());
    if (!tj.h) return std::nullopt;
    // The largest reduction that keeps at least min_width: a 6000-pixel photo decodes at 1/4 or
    // 1/8, in a fraction of the memory and time.
    int count = 0;
    const tjscalingfactor* factors = tjGetScalingFactors(&count);
    tjscalingfactor best{1, 1};
    for (int i = 0; factors && i < count; ++i) {
        const tjscalingfactor f = factors[i];
        if (f.num > f.denom) continue;
        const int w = TJSCALED(h.width, f);
        if (w >= std::min(min_width, h.width) && w < TJSCALED(h.width, best)) best = f;
    }
    Picture p;
    p.width = TJSCALED(h.width, best);
    p.height = TJSCALED(h.height, best);
    p.rgb.resize(static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.height) * 3);
    // STOPONWARNING: a truncated file is a warning to libjpeg (it fills the rest with grey); here it
    // is a refusal.
    if (tjDecompress2(tj.h, bytes_of(bytes), static_cast<unsigned long>(bytes.size()), p.rgb.data(), p.width, 0,
                      p.height, TJPF_RGB, TJFLAG_STOPONWARNING) != 0)
        return std::nullopt;
    return p;
}

std::optional<Picture> decode_png(std::string_view bytes) {
    PngReader r;
    if (!png_image_begin_read_from_memory(&r.image, bytes.data(), bytes.size())) return std::nullopt;
    if (!within_bounds({ImageFormat::Png, static_cast<int>(r.image.width), static_cast<int>(r.image.height)}))
        return std::nullopt;
    r.image.format = PNG_FORMAT_RGB;  // alpha composed onto the background below
    Picture p;
    p.width = static_cast<int>(r.image.width);
    p.height = static_cast<int>(r.image.height);
    p.rgb.resize(PNG_IMAGE_SIZE(r.image));
    png_color white{255, 255, 255};
    if (!png_image_finish_read(&r.image, &white, p.rgb.data(), 0, nullptr)) return std::nullopt;
    return p;
}

std::optional<Picture> decode_webp(std::string_view bytes) {
    WebPBitstreamFeatures features;
    if (WebPGetFeatures(bytes_of(bytes), bytes.size(), &features) != VP8_STATUS_OK) return std::nullopt;
    Picture p;
    p.width = features.width;
    p.height = features.height;
    const std::size_t pixels = static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.height);
    if (!features.has_alpha) {
        p.rgb.resize(pixels * 3);
        if (!WebPDecodeRGBInto(bytes_of(bytes), bytes.size(), p.rgb.data(), p.rgb.size(), p.width * 3))
            return std::nullopt;
        return p;
    }
    std::vector<std::uint8_t> rgba(pixels * 4);
    if (!WebPDecodeRGBAInto(bytes_of(bytes), bytes.size(), rgba.data(), rgba.size(), p.width * 4)) return std::nullopt;
    p.rgb.resize(pixels * 3);
    for (std::size_t i = 0; i < pixels; ++i) {
        const unsigned a = rgba[i * 4 + 3];
        for (std::size_t c = 0; c < 3; ++c)
            p.rgb[i * 3 + c] = static_cast<std::uint8_t>((rgba[i * 4 + c] * a + 255u * (255u - a) + 127u) / 255u);
    }
    return p;
}

}  // namespace

std::optional<ImageHeader> read_image_header(std::string_view bytes) {
    const auto format = sniff(bytes);
    if (!format) return std::nullopt;
    ImageHeader h;
    h.format = *format;
    switch (*format) {
        case ImageFormat::Jpeg: {
            TjHandle tj(tjInitDecompress());
            int subsampling = 0, colorspace = 0;
            if (!tj.h || tjDecompressHeader3(tj.h, bytes_of(bytes), static_cast<unsigned long>(bytes.size()), &h.width,
                                             &h.height, &subsampling, &colorspace) != 0)
                return std::nullopt;
            break;
        }
        case ImageFormat::Png: {
            PngReader r;
            if (!png_image_begin_read_from_memory(&r.image, bytes.data(), bytes.size())) return std::nullopt;
            h.width = static_cast<int>(std::min<png_uint_32>(r.image.width, 0x7fffffff));
            h.height = static_cast<int>(std::min<png_uint_32>(r.image.height, 0x7fffffff));
            break;
        }
        case ImageFormat::Webp:
            if (!WebPGetInfo(bytes_of(bytes), bytes.size(), &h.width, &h.height)) return std::nullopt;
            break;
    }
    return h;
}

std::optional<Picture> decode_image(std::string_view bytes, int min_width) {
    // The header first: a bomb is refused before anything the size of its pixels is allocated.
    const auto h = read_image_header(bytes);
    if (!h || !within_bounds(*h)) return std::nullopt;
    switch (h->format) {
        case ImageFormat::Jpeg: return decode_jpeg(bytes, *h, min_width);
        case ImageFormat::Png: return decode_png(bytes);
        case ImageFormat::Webp: return decode_webp(bytes);
    }
    return std::nullopt;
}

//-----------------------------------------------------------------------------
// [SECTION] Scaling
//-----------------------------------------------------------------------------

Picture scale_to_width(const Picture& in, int width) {
    if (width >= in.width || in.width <= 0) return in;
    Picture out;
    out.width = width;
    out.height = std::max(1, static_cast<int>(static_cast<std::int64_t>(in.height) * width / in.width));
    out.rgb.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 3);
    // Box filter: the input pixels [x0, x1) × [y0, y1) make one output pixel.
    for (int oy = 0; oy < out.height; ++oy) {
        const int y0 = static_cast<int>(static_cast<std::int64_t>(oy) * in.height / out.height);
        const int y1 = std::max(y0 + 1, static_cast<int>(static_cast<std::int64_t>(oy + 1) * in.height / out.height));
        for (int ox = 0; ox < out.width; ++ox) {
            const int x0 = static_cast<int>(static_cast<std::int64_t>(ox) * in.width / out.width);
            const int x1 = std::max(x0 + 1, static_cast<int>(static_cast<std::int64_t>(ox + 1) * in.width / out.width));
            unsigned sum[3] = {0, 0, 0};
            for (int y = y0; y < y1; ++y) {
                const std::uint8_t* row = &in.rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(in.width) +
                                                   static_cast<std::size_t>(x0)) *
                                                  3];
                for (int x = x0; x < x1; ++x, row += 3)
                    for (int c = 0; c < 3; ++c) sum[c] += row[c];
            }
            const unsigned n = static_cast<unsigned>((x1 - x0) * (y1 - y0));
            std::uint8_t* o = &out.rgb[(static_cast<std::size_t>(oy) * static_cast<std::size_t>(out.width) +
                                        static_cast<std::size_t>(ox)) *
                                       3];
            for (int c = 0; c < 3; ++c) o[c] = static_cast<std::uint8_t>((sum[c] + n / 2) / n);
        }
    }
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Writing
//-----------------------------------------------------------------------------

std::string encode_webp(const Picture& p, float quality) {
    std::uint8_t* out = nullptr;
    const std::size_t size = WebPEncodeRGB(p.rgb.data(), p.width, p.height, p.width * 3, quality, &out);
    std::string s(reinterpret_cast<const char*>(out), size);
    WebPFree(out);
    return s;
}

std::string encode_jpeg(const Picture& p, int quality) {
    TjHandle tj(tjInitCompress());
    unsigned char* out = nullptr;
    unsigned long size = 0;
    if (!tj.h ||
        tjCompress2(tj.h, p.rgb.data(), p.width, 0, p.height, TJPF_RGB, &out, &size, TJSAMP_420, quality, 0) != 0) {
        tjFree(out);
        return {};
    }
    std::string s(reinterpret_cast<const char*>(out), size);
    tjFree(out);
    return s;
}

std::string encode_png(const Picture& p) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(p.width);
    image.height = static_cast<png_uint_32>(p.height);
    image.format = PNG_FORMAT_RGB;
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, nullptr, &size, 0, p.rgb.data(), 0, nullptr)) return {};
    std::string s(size, '\0');
    if (!png_image_write_to_memory(&image, s.data(), &size, 0, p.rgb.data(), 0, nullptr)) return {};
    s.resize(size);
    return s;
}

Poster poster_of(const Picture& picture) {
    Poster out;
    // Re-encoded from pixels: whatever the upload carried besides them (EXIF, GPS, comments) is gone.
    const Picture large = scale_to_width(picture, kPosterLargeWidth);
    out.width = large.width;
    out.height = large.height;
    out.large = encode_webp(large, 80);
    out.thumb = encode_webp(scale_to_width(large, kPosterThumbWidth), 60);
    // FNV-1a over both files: a cache validator, not a signature.
    std::uint64_t h = 14695981039346656037ull;
    for (const std::string* file : {&out.large, &out.thumb})
        for (unsigned char ch : *file) h = (h ^ ch) * 1099511628211ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    out.etag = hex;
    return out;
}

std::optional<Poster> make_poster(std::string_view upload) {
    if (upload.size() > kPosterMaxBytes) return std::nullopt;
    auto decoded = decode_image(upload, kPosterLargeWidth);
    if (!decoded) return std::nullopt;
    Poster out = poster_of(*decoded);
    if (out.large.empty() || out.thumb.empty()) return std::nullopt;
    return out;
}

}  // namespace uneplace::server
