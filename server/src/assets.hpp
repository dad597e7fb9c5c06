// uneplace server — the web client embedded in the binary (see server/cmake/embed_assets.cmake).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace uneplace::server {

// One embedded file: its path relative to the client's dist directory, and its bytes.
struct EmbeddedFile {
    const char* path;
    const unsigned char* begin;
    const unsigned char* end;
};
// Generated at build time: every file found in UNEPLACE_CLIENT_DIR (count 0 when none).
const EmbeddedFile* embedded_files(std::size_t& count);

struct Asset {
    std::string_view bytes;
    std::string_view content_type;
};
// The file served at a URL path: "/" is index.html, "/x.wasm" is x.wasm. With no client embedded,
// "/" answers a small French page saying the client was not built.
std::optional<Asset> find_asset(std::string_view url_path);
std::string_view content_type_for(std::string_view path);
std::size_t embedded_file_count();

}  // namespace uneplace::server
