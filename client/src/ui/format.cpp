// uneplace client — text for people that needs no browser (ui/format.hpp).
#include "ui/format.hpp"

#include "uneplace/errors.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"

namespace {
uneplace::UnixSeconds instant_of(const std::string& rfc3339) {
    if (rfc3339.empty()) return 0;
    const auto t = uneplace::parse_utc_instant(rfc3339);
    return t.ok() ? t.value : 0;
}
}  // namespace

//-------------------------------------------------------------------------------------------------
// [SECTION] Dates
//-------------------------------------------------------------------------------------------------

std::string ws_when(const std::string& rfc3339_utc, const std::string& territory) {
    const uneplace::UnixSeconds t = instant_of(rfc3339_utc);
    if (t == 0) return "—";
    return uneplace::format_datetime_fr(territory.empty() ? "75" : territory, t);
}

std::string ws_date(const std::string& rfc3339_utc, const std::string& territory) {
    const uneplace::UnixSeconds t = instant_of(rfc3339_utc);
    if (t == 0) return "—";
    return uneplace::format_date_fr(territory.empty() ? "75" : territory, t);
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Labels
//-------------------------------------------------------------------------------------------------

std::string capitalised(std::string_view label) {
    if (label.empty()) return {};
    const std::string_view first = uneplace::utf8_first(label);
    return uneplace::utf8_upper_first(first) + std::string(label.substr(first.size()));
}

template <class E>
static std::string enum_label(const std::string& code) {
    if (auto v = uneplace::from_code<E>(code)) return capitalised(uneplace::label_fr(*v));
    return code;
}

std::string ws_category_label(const std::string& code) {
    if (auto v = uneplace::from_code<uneplace::Category>(code)) return std::string(uneplace::label_fr(*v));
    return code;
}

std::string ws_pickup_label(const std::string& code) {
    if (auto v = uneplace::from_code<uneplace::PickupMode>(code)) return std::string(uneplace::label_fr(*v));
    return code;
}

std::string ws_offer_status_label(const std::string& code) { return enum_label<uneplace::OfferStatus>(code); }
std::string ws_account_status_label(const std::string& code) { return enum_label<uneplace::AccountStatus>(code); }
std::string ws_session_status_label(const std::string& code) { return enum_label<uneplace::SessionStatus>(code); }
std::string ws_kind_label(const std::string& code) { return enum_label<uneplace::OrgKind>(code); }
std::string ws_role_label(const std::string& code) { return enum_label<uneplace::Role>(code); }
std::string ws_booking_status_label(const std::string& code) {
    if (uneplace::from_code<uneplace::BookingStatus>(code)) return enum_label<uneplace::BookingStatus>(code);
    return enum_label<uneplace::RequestStatus>(code);
}

std::string ws_accessibility_text(uneplace::AccessibilityFlags flags) {
    std::string out;
    for (const auto& k : uneplace::accessibility_keys())
        if (flags & k.flag) out += (out.empty() ? "" : ", ") + std::string(k.label_fr);
    return out.empty() ? "non précisée" : out;
}

std::string ws_error_for(const std::vector<uneplace::Refusal>& refusals, std::string_view field) {
    for (const auto& r : refusals)
        if (r.field == field) return std::string(uneplace::message_fr(r.code));
    return {};
}

//-------------------------------------------------------------------------------------------------
// [SECTION] Search
//-------------------------------------------------------------------------------------------------

namespace {
// Decodes one UTF-8 code point at s[i] and advances i. A byte that does not start a well-formed
// sequence is returned as itself with `valid` false, so malformed text passes through unchanged.
char32_t next_code_point(std::string_view s, size_t& i, bool& valid) {
    const unsigned char c = s[i];
    const int extra = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? (c <= 0xEF ? 2 : 0) : c >= 0xC2 ? 1 : 0;
    valid = c < 0x80 || extra > 0;
    if (extra > 0 && i + extra >= s.size() + 1) valid = false;
    char32_t cp = extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; valid && k <= extra; ++k) {
        const unsigned char cont = s[i + k];
        if ((cont & 0xC0) != 0x80) valid = false;
        cp = (cp << 6) | (cont & 0x3F);
    }
    if (!valid || extra == 0) {
        i += 1;
        return c;
    }
    i += 1 + extra;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// The letters of French (and Latin-1 neighbours) folded to their base letter.
const char* fold_latin(char32_t cp) {
    switch (cp) {
        case U'à':
        case U'á':
        case U'â':
        case U'ã':
        case U'ä':
        case U'å':
        case U'À':
        case U'Á':
        case U'Â':
        case U'Ã':
        case U'Ä':
        case U'Å': return "a";
        case U'æ':
        case U'Æ': return "ae";
        case U'ç':
        case U'Ç': return "c";
        case U'è':
        case U'é':
        case U'ê':
        case U'ë':
        case U'È':
        case U'É':
        case U'Ê':
        case U'Ë': return "e";
        case U'ì':
        case U'í':
        case U'î':
        case U'ï':
        case U'Ì':
        case U'Í':
        case U'Î':
        case U'Ï': return "i";
        case U'ñ':
        case U'Ñ': return "n";
        case U'ò':
        case U'ó':
        case U'ô':
        case U'õ':
        case U'ö':
        case U'Ò':
        case U'Ó':
        case U'Ô':
        case U'Õ':
        case U'Ö': return "o";
        case U'œ':
        case U'Œ': return "oe";
        case U'ù':
        case U'ú':
        case U'û':
        case U'ü':
        case U'Ù':
        case U'Ú':
        case U'Û':
        case U'Ü': return "u";
        case U'ý':
        case U'ÿ':
        case U'Ý':
        case U'Ÿ': return "y";
        case U'’': return "'";
        default: return nullptr;
    }
}
}  // namespace

std::string fold_for_search(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        bool valid = true;
        const char32_t cp = next_code_point(text, i, valid);
        if (!valid) {
            out += static_cast<char>(cp);
        } else if (cp < 0x80) {
            out += static_cast<char>((cp >= 'A' && cp <= 'Z') ? cp - 'A' + 'a' : cp);
        } else if (const char* folded = fold_latin(cp)) {
            out += folded;
        } else {
            append_utf8(out, cp);
        }
    }
    return out;
}

bool matches_search(std::string_view text, std::string_view query) {
    const std::string haystack = fold_for_search(text);
    const std::string needle = fold_for_search(query);
    size_t pos = 0;
    while (pos < needle.size()) {
        const size_t start = needle.find_first_not_of(" \t-", pos);
        if (start == std::string::npos) break;
        size_t end = needle.find_first_of(" \t-", start);
        if (end == std::string::npos) end = needle.size();
        if (haystack.find(needle.substr(start, end - start)) == std::string::npos) return false;
        pos = end;
    }
    return true;
}
