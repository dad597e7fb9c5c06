// uneplace server — lookup of the embedded web client files and their content types.
#include "assets.hpp"

namespace uneplace::server {

namespace {
bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Shown when the native build ran without a built web client: the API still works.
constexpr std::string_view kNotBuiltPage = R"HTML(<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>uneplace — client web non construit</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1f}
code{background:#f2f2f2;padding:.1rem .3rem;border-radius:.2rem}</style></head>
<body>
<h1>uneplace</h1>
<p>Le serveur fonctionne, mais le client web n’a pas été construit avec ce binaire.</p>
<p>Construisez-le avec <code>cmake --preset wasm &amp;&amp; cmake --build build/wasm</code>, puis reconstruisez
le serveur (<code>cmake --build build/native</code>) : les fichiers du client y seront intégrés.</p>
<p>L’API reste disponible sous <code>/api/v1/</code> (description : <a href="/api/v1/openapi.json">openapi.json</a>).</p>
</body>
</html>
)HTML";
}  // namespace

std::string_view content_type_for(std::string_view path) {
    struct Mime {
        std::string_view ext, type;
    };
    static constexpr Mime kTypes[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".wasm", "application/wasm"},
        {".json", "application/json; charset=utf-8"},
        {".map", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".ttf", "font/ttf"},
        {".otf", "font/otf"},
        {".woff", "font/woff"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
        {".data", "application/octet-stream"},
    };
    for (const auto& m : kTypes)
        if (ends_with(path, m.ext)) return m.type;
    return "application/octet-stream";
}

std::size_t embedded_file_count() {
    std::size_t n = 0;
    embedded_files(n);
    return n;
}

std::optional<Asset> find_asset(std::string_view url_path) {
    std::string_view rel = url_path;
    while (!rel.empty() && rel.front() == '/') rel.remove_prefix(1);
    if (rel.empty()) rel = "index.html";
    std::size_t n = 0;
    const EmbeddedFile* files = embedded_files(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (rel == files[i].path) {
            const auto* b = reinterpret_cast<const char*>(files[i].begin);
            return Asset{std::string_view(b, static_cast<std::size_t>(files[i].end - files[i].begin)),
                         content_type_for(rel)};
        }
    }
    if (rel == "index.html") return Asset{kNotBuiltPage, "text/html; charset=utf-8"};
    return std::nullopt;
}

}  // namespace uneplace::server
