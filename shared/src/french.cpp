// uneplace shared module — French wording helpers. Contracts in french.hpp.
#include "uneplace/french.hpp"

namespace uneplace {

namespace {

constexpr std::string_view kNbsp = "\u00A0";
constexpr std::string_view kOpen = "«";
constexpr std::string_view kClose = "»";

std::string_view trim_spaces(std::string_view s) {
    // ASCII spaces and U+00A0 (two bytes in UTF-8) on both ends.
    for (;;) {
        if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        else if (s.substr(0, kNbsp.size()) == kNbsp) s.remove_prefix(kNbsp.size());
        else break;
    }
    for (;;) {
        if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
        else if (s.size() >= kNbsp.size() && s.substr(s.size() - kNbsp.size()) == kNbsp) s.remove_suffix(kNbsp.size());
        else break;
    }
    return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Inner « x » → “x”: the no-break spaces that belong to the French quotes go with them.
std::string inner_quotes(std::string_view s) {
    std::string out;
    while (!s.empty()) {
        if (starts_with(s, kOpen)) {
            out += "“";
            s.remove_prefix(kOpen.size());
            while (starts_with(s, kNbsp) || starts_with(s, " "))
                s.remove_prefix(starts_with(s, " ") ? 1 : kNbsp.size());
        } else if (starts_with(s, kClose)) {
            while (ends_with(out, kNbsp) || ends_with(out, " "))
                out.resize(out.size() - (ends_with(out, " ") ? 1 : kNbsp.size()));
            out += "”";
            s.remove_prefix(kClose.size());
        } else {
            out += s.front();
            s.remove_prefix(1);
        }
    }
    return out;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Quotes
//-----------------------------------------------------------------------------

std::string quote_fr(std::string_view text) {
    std::string_view t = trim_spaces(text);
    // Already quoted as a whole: strip the outer pair and quote once below.
    if (starts_with(t, kOpen) && ends_with(t, kClose) && t.size() > kOpen.size() + kClose.size())
        t = trim_spaces(t.substr(kOpen.size(), t.size() - kOpen.size() - kClose.size()));
    return std::string(kOpen) + std::string(kNbsp) + inner_quotes(t) + std::string(kNbsp) + std::string(kClose);
}

//-----------------------------------------------------------------------------
// [SECTION] Numbers and agreement
//-----------------------------------------------------------------------------

std::string count_fr(int n, std::string_view singular, std::string_view plural) {
    const bool one = n >= -1 && n <= 1;
    return std::to_string(n) + std::string(kNbsp) + std::string(one ? singular : plural);
}

std::string places_left_fr(int n) {
    if (n <= 0) return "Il ne reste aucune place";
    if (n == 1) return "Il ne reste qu’une place";
    return "Il ne reste que " + count_fr(n, "place", "places");
}

}  // namespace uneplace
