// The server tests' hands on a PDF: a shell command's output (poppler's pdftotext and pdftoppm,
// zbarimg), a file written, a page image kept in build/screenshots/. Shared by the invitation and
// impact report tests.
#pragma once
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace uneplace::test {

struct Command {
    int exit_code = -1;
    std::string output;  // stdout (and stderr when asked)
};

// Runs a shell command line (arguments quoted by the caller), capturing what it prints. Poppler
// warns about libharu's ToUnicode maps and zbarimg about D-Bus on stderr: kept apart unless asked.
inline Command run(const std::string& command, bool with_stderr = false) {
    Command out;
    FILE* p = popen((command + (with_stderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
    if (!p) return out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.output.append(buf, n);
    const int status = pclose(p);
    out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

inline std::string shell_quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

inline void write_file(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream f(p, std::ios::binary);
    f << bytes;
}

// Copies a page image to build/screenshots/`name`, where people look at them.
inline void keep_screenshot(const std::filesystem::path& png, const std::string& name) {
    const auto dir = std::filesystem::path(UNEPLACE_SOURCE_DIR) / "build" / "screenshots";
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(png, dir / name, std::filesystem::copy_options::overwrite_existing);
}

}  // namespace uneplace::test
