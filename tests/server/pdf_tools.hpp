// The server tests' hands on a PDF beyond harness.hpp's run_tool (poppler's pdftotext and
// pdftoppm, zbarimg): a page image kept in build/screenshots/. Shared by the invitation and impact
// report tests.
#pragma once
#include <filesystem>
#include <string>

#include "harness.hpp"

namespace uneplace::test {

// Copies a page image to build/screenshots/`name`, where people look at them.
inline void keep_screenshot(const std::filesystem::path& png, const std::string& name) {
    const auto dir = std::filesystem::path(UNEPLACE_SOURCE_DIR) / "build" / "screenshots";
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(png, dir / name, std::filesystem::copy_options::overwrite_existing);
}

}  // namespace uneplace::test
