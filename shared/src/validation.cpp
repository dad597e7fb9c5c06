// uneplace shared module — validators (see validation.hpp for the contract of each function).
//
// Index of this file:
// [SECTION] Helpers
// [SECTION] UTF-8 text
// [SECTION] Email, password, phone
// [SECTION] Postal codes and départements
// [SECTION] Codes of enumerations
// [SECTION] Organisations, users, venues
// [SECTION] Offers
// [SECTION] Sessions
// [SECTION] Beneficiaries
// [SECTION] Feedback
// [SECTION] Territory settings
#include "uneplace/validation.hpp"

#include <algorithm>
#include <cstdint>

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Helpers
//-----------------------------------------------------------------------------

namespace {

Refusal refuse(std::string_view code, std::string_view field) { return Refusal{std::string(code), std::string(field)}; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
    for (char c : s)
        if (!is_digit(c)) return false;
    return !s.empty();
}

// Decodes the code point at s[i] (s is valid UTF-8), advancing i.
std::uint32_t decode_at(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        i += 1;
        return b0;
    }
    int extra = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : 1;
    std::uint32_t cp = b0 & (0x3F >> extra);
    for (int k = 1; k <= extra && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

// Cc (C0, DEL, C1) plus the invisible characters that break a line or reorder text (U+2028/2029,
// bidi embeddings, overrides and isolates, BOM): people never type them on purpose, and bidi
// overrides are the classic trick to make a name display as something else.
bool is_refused_control(std::uint32_t cp, bool multiline) {
    if (cp == '\n' || cp == '\t') return !multiline;
    if (cp < 0x20 || cp == 0x7F) return true;
    if (cp >= 0x80 && cp <= 0x9F) return true;
    if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) return true;
    if (cp >= 0x202A && cp <= 0x202E) return true;
    if (cp >= 0x2066 && cp <= 0x2069) return true;
    return false;
}

// Characters that show nothing, or nothing anyone agreed on, and that a name made only of them
// would pass for text: zero-width space and word joiners, the soft hyphen, Hangul and Mongolian
// fillers, the combining grapheme joiner, private use areas and noncharacters (U+FDD0–FDEF and
// every U+xFFFE/xFFFF). ZWJ and ZWNJ (U+200C/D) stay: emoji sequences and Persian need them, and
// variation selectors stay for "❤️".
bool is_invisible(std::uint32_t cp) {
    if (cp == 0x00AD || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5) return true;
    if (cp >= 0x180B && cp <= 0x180F) return true;
    if (cp == 0x200B || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206A && cp <= 0x206F)) return true;
    if (cp == 0x3164 || cp == 0xFFA0 || (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0xE0001) return true;
    if (cp >= 0xE000 && cp <= 0xF8FF) return true;  // private use
    if (cp >= 0xF0000) return true;                 // supplementary private use planes
    if (cp >= 0xFDD0 && cp <= 0xFDEF) return true;  // noncharacters
    return (cp & 0xFFFE) == 0xFFFE;
}

// Combining marks (accents drawn on the character before them).
bool is_combining_mark(std::uint32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

bool is_space_like(std::uint32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// A letter or a digit in some script. Without Unicode's tables in the shared module, this says
// which code points are not: ASCII punctuation and symbols, Latin-1's signs, spaces, combining
// marks, general punctuation, the symbol and arrow blocks, dingbats, CJK punctuation, variation
// selectors, full-width ASCII signs and the emoji planes. Whatever remains above U+00BF is a
// letter of some script (Latin, Greek, Cyrillic, Arabic, Vietnamese, CJK…).
bool is_letter_or_digit(std::uint32_t cp) {
    if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;  // ª µ º
    if (cp == 0xD7 || cp == 0xF7) return false;                    // × ÷
    if (is_invisible(cp) || is_combining_mark(cp) || is_space_like(cp)) return false;
    if (cp >= 0x2000 && cp <= 0x2BFF) return false;    // punctuation, symbols, arrows, shapes, dingbats
    if (cp >= 0x2E00 && cp <= 0x2E7F) return false;    // supplemental punctuation
    if (cp >= 0x3000 && cp <= 0x303F) return false;    // CJK punctuation
    if (cp >= 0xFE00 && cp <= 0xFE0F) return false;    // variation selectors
    if (cp >= 0xFF00 && cp <= 0xFF0F) return false;    // full-width signs
    if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;  // emoji and pictographs
    return true;
}

void append_if(std::vector<Refusal>& out, const std::optional<Refusal>& r) {
    if (r) out.push_back(*r);
}

// Runs clean_text on a string member, replacing it by its cleaned form when valid.
void clean_member(std::vector<Refusal>& out, std::string& member, const TextRule& rule) {
    auto c = clean_text(member, rule);
    if (c.ok()) member = std::move(c.value);
    else out.push_back(*c.refusal);
}

std::optional<Refusal> check_range(long long v, long long lo, long long hi, std::string_view code,
                                   std::string_view field) {
    if (v < lo || v > hi) return refuse(code, field);
    return std::nullopt;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] UTF-8 text
//-----------------------------------------------------------------------------

namespace {
// The length in bytes of the well-formed UTF-8 sequence starting at s[i], or 0 when it is not
// one: a stray continuation byte, a truncated sequence, an overlong form, a surrogate, or beyond
// U+10FFFF.
std::size_t sequence_at(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return 1;
    int extra;
    std::uint32_t min_cp;
    if ((b0 & 0xE0) == 0xC0) extra = 1, min_cp = 0x80;
    else if ((b0 & 0xF0) == 0xE0) extra = 2, min_cp = 0x800;
    else if ((b0 & 0xF8) == 0xF0) extra = 3, min_cp = 0x10000;
    else return 0;                                                  // stray continuation byte or 0xF8+
    if (i + static_cast<std::size_t>(extra) >= s.size()) return 0;  // truncated sequence
    std::uint32_t cp = b0 & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
        const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min_cp) return 0;                   // overlong form
    if (cp > 0x10FFFF) return 0;                 // beyond Unicode
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;  // UTF-16 surrogate
    return static_cast<std::size_t>(extra) + 1;
}
}  // namespace

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0, n = 0; i < s.size(); i += n)
        if ((n = sequence_at(s, i)) == 0) return false;
    return true;
}

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const std::size_t n = sequence_at(text, i);
            if (n == 0) {
                out += "\xEF\xBF\xBD";  // U+FFFD in place of the byte that starts no character
                ++i;
            } else {
                out.append(text, i, n);
                i += n;
            }
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 0xF];
                } else {
                    out += static_cast<char>(c);
                }
        }
        ++i;
    }
    out += '"';
}

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

std::string_view trim(std::string_view s) {
    auto blank_prefix = [](std::string_view t) -> std::size_t {
        if (t.empty()) return 0;
        const char c = t[0];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return 1;
        if (t.size() >= 2 && t[0] == '\xC2' && t[1] == '\xA0') return 2;                    // U+00A0
        if (t.size() >= 3 && t[0] == '\xE2' && t[1] == '\x80' && t[2] == '\xAF') return 3;  // U+202F
        return 0;
    };
    auto blank_suffix = [](std::string_view t) -> std::size_t {
        if (t.empty()) return 0;
        const char c = t.back();
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return 1;
        if (t.size() >= 2 && t.substr(t.size() - 2) == "\xC2\xA0") return 2;
        if (t.size() >= 3 && t.substr(t.size() - 3) == "\xE2\x80\xAF") return 3;
        return 0;
    };
    while (std::size_t n = blank_prefix(s)) s.remove_prefix(n);
    while (std::size_t n = blank_suffix(s)) s.remove_suffix(n);
    return s;
}

std::string_view utf8_first(std::string_view s) {
    if (s.empty()) return {};
    std::size_t n = 1;
    while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
    return s.substr(0, n);
}

Checked<std::string> clean_text(std::string_view input, const TextRule& rule) {
    Checked<std::string> out;
    if (!is_valid_utf8(input)) {
        out.refusal = refuse("invalid_utf8", rule.field);
        return out;
    }
    // Fold Windows and old Mac line ends before anything else, so "\r\n" counts as one character.
    std::string folded;
    folded.reserve(input.size());
    for (std::size_t i = 0; i < input.size(); ++i) {
        if (input[i] == '\r') {
            folded.push_back('\n');
            if (i + 1 < input.size() && input[i + 1] == '\n') ++i;
        } else {
            folded.push_back(input[i]);
        }
    }
    const std::string_view t = trim(folded);
    bool letter = false;
    std::uint32_t before = ' ';  // a mark at the very start has nothing to sit on
    for (std::size_t i = 0; i < t.size();) {
        const std::uint32_t cp = decode_at(t, i);
        if (is_refused_control(cp, rule.multiline)) {
            out.refusal = refuse("control_character", rule.field);
            return out;
        }
        if (is_invisible(cp) || (is_combining_mark(cp) && is_space_like(before))) {
            out.refusal = refuse("invisible_character", rule.field);
            return out;
        }
        letter = letter || is_letter_or_digit(cp);
        before = cp;
    }
    const auto len = static_cast<long long>(utf8_length(t));
    if (len == 0 && rule.min_chars > 0) out.refusal = refuse("required", rule.field);
    else if (len > 0 && len < rule.min_chars) out.refusal = refuse("too_short", rule.field);
    else if (rule.max_chars > 0 && len > rule.max_chars) out.refusal = refuse("too_long", rule.field);
    else if (len > 0 && rule.needs_letter && !letter) out.refusal = refuse("no_visible_letter", rule.field);
    else out.value = std::string(t);
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Email, password, phone
//-----------------------------------------------------------------------------

std::optional<Refusal> validate_email(std::string_view email) {
    const auto bad = refuse("invalid_email", "email");
    if (email.empty() || !is_valid_utf8(email) || utf8_length(email) > static_cast<std::size_t>(limits::kEmailMaxChars))
        return bad;
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return bad;
    const auto domain = email.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return bad;
    if (domain.find("..") != std::string_view::npos) return bad;
    for (unsigned char c : email)
        if (c <= 0x20 || c == 0x7f) return bad;
    return std::nullopt;
}

std::string normalize_email(std::string_view email) {
    std::string out(trim(email));
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::optional<Refusal> validate_password(std::string_view password) {
    if (!is_valid_utf8(password)) return refuse("invalid_utf8", "password");
    const auto n = utf8_length(password);
    if (n < static_cast<std::size_t>(limits::kPasswordMinChars)) return refuse("password_too_short", "password");
    if (n > static_cast<std::size_t>(limits::kPasswordMaxChars)) return refuse("password_too_long", "password");
    // "aaaaaaaaaaaa", "abababababab", "121212121212": long enough, guessed at once. Fewer than 5
    // different characters is refused here, on both sides; the server also checks a real list of
    // common passwords and dictionary words (cracklib), which the browser does not carry.
    std::vector<std::string_view> distinct;  // the first 5 different code points (valid UTF-8 here)
    for (std::size_t i = 0; i < password.size() && distinct.size() < 5;) {
        std::size_t len = 1;
        while (i + len < password.size() && (static_cast<unsigned char>(password[i + len]) & 0xC0) == 0x80) ++len;
        const std::string_view cp = password.substr(i, len);
        if (std::find(distinct.begin(), distinct.end(), cp) == distinct.end()) distinct.push_back(cp);
        i += len;
    }
    if (distinct.size() < 5) return refuse("weak_password", "password");
    return std::nullopt;
}

namespace {
// Overseas numbers: their national prefixes ("0690…") belong to their own country codes, not +33,
// so a reminder SMS is addressed correctly. 976 (Mayotte) shares +262 with La Réunion.
struct OverseasPrefix {
    std::string_view national3;  // first 3 digits after the 0, e.g. "690"
    std::string_view country;    // "590"
};
constexpr OverseasPrefix kOverseasPrefixes[] = {
    {"590", "590"}, {"690", "590"}, {"691", "590"},                  // Guadeloupe
    {"596", "596"}, {"696", "596"}, {"697", "596"},                  // Martinique
    {"594", "594"}, {"694", "594"},                                  // Guyane
    {"262", "262"}, {"263", "262"}, {"692", "262"}, {"693", "262"},  // La Réunion
    {"269", "262"}, {"639", "262"},                                  // Mayotte
};
constexpr std::string_view kOverseasCountryCodes[] = {"590", "596", "594", "262", "269"};
}  // namespace

Checked<std::string> normalize_phone_fr(std::string_view input) {
    Checked<std::string> out;
    const auto bad = refuse("invalid_phone", "phone");
    const std::string_view t = trim(input);
    std::string digits;
    bool plus = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char c = t[i];
        if (is_digit(c)) digits.push_back(c);
        else if (c == '+' && i == 0) plus = true;
        else if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '\t') continue;
        else if (c == '\xC2' && i + 1 < t.size() && t[i + 1] == '\xA0') ++i;  // no-break space
        else {
            out.refusal = bad;
            return out;
        }
    }
    if (!plus && digits.starts_with("00")) {  // 0033…, 00590…: international prefix
        digits.erase(0, 2);
        plus = true;
    }
    std::string country, national;  // national: 9 digits, no leading 0
    if (plus) {
        if (digits.starts_with("33")) country = "33";
        for (auto cc : kOverseasCountryCodes)
            if (digits.starts_with(cc)) country = std::string(cc);
        if (country.empty()) {
            out.refusal = bad;
            return out;
        }
        national = digits.substr(country.size());
        if (national.size() == 10 && national[0] == '0') national.erase(0, 1);  // "+33 (0)6 …"
        if (country == "269") country = "262";
    } else {
        if (digits.size() != 10 || digits[0] != '0') {
            out.refusal = bad;
            return out;
        }
        national = digits.substr(1);
        country = "33";
        for (const auto& p : kOverseasPrefixes)
            if (national.starts_with(p.national3)) country = std::string(p.country);
    }
    if (national.size() != 9 || national[0] == '0') {
        out.refusal = bad;
        return out;
    }
    out.value = "+" + country + national;
    return out;
}

std::string format_phone_fr(std::string_view e164) {
    std::string_view national;
    if (e164.size() == 12 && e164.starts_with("+33")) national = e164.substr(3);
    for (auto cc : kOverseasCountryCodes)
        if (e164.size() == 13 && e164.substr(1, 3) == cc) national = e164.substr(4);
    if (national.size() != 9 || !all_digits(national)) return std::string(e164);
    std::string out = "0";
    out.push_back(national[0]);
    for (std::size_t i = 1; i < 9; i += 2) {
        out.push_back(' ');
        out.append(national.substr(i, 2));
    }
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Postal codes and départements
//-----------------------------------------------------------------------------

Checked<std::string> departement_from_postal_code(std::string_view postal_code) {
    Checked<std::string> out;
    const std::string_view p = trim(postal_code);
    if (p.size() != 5 || !all_digits(p)) {
        out.refusal = refuse("invalid_postal_code", "postal_code");
        return out;
    }
    const std::string_view two = p.substr(0, 2), three = p.substr(0, 3);
    std::string dep;
    if (two == "20") {
        // Corsica kept 20xxx postal codes when it was split: 200xx–201xx Corse-du-Sud, 202xx–206xx Haute-Corse.
        if (p[2] == '0' || p[2] == '1') dep = "2A";
        else if (p[2] >= '2' && p[2] <= '6') dep = "2B";
    } else if (two == "97") {
        if (is_departement_code(three)) dep = std::string(three);  // 971–974, 976; 975 is not a département
    } else if (is_departement_code(two)) {
        dep = std::string(two);
    }
    if (dep.empty()) out.refusal = refuse("invalid_postal_code", "postal_code");
    else out.value = std::move(dep);
    return out;
}

std::optional<Refusal> validate_territory(std::string_view code, std::string_view field) {
    if (!is_departement_code(code)) return refuse("invalid_territory", field);
    return std::nullopt;
}

//-----------------------------------------------------------------------------
// [SECTION] Codes of enumerations
//-----------------------------------------------------------------------------

namespace {
template <class E>
Checked<E> parse_enum(std::string_view code, std::string_view refusal_code, std::string_view field) {
    Checked<E> out;
    if (auto v = from_code<E>(code)) out.value = *v;
    else out.refusal = refuse(refusal_code, field);
    return out;
}
}  // namespace

Checked<Category> parse_category(std::string_view code) {
    return parse_enum<Category>(code, "invalid_category", "category");
}
Checked<PickupMode> parse_pickup_mode(std::string_view code) {
    return parse_enum<PickupMode>(code, "invalid_pickup_mode", "pickup_mode");
}
Checked<AllocationMode> parse_allocation(std::string_view code) {
    return parse_enum<AllocationMode>(code, "invalid_allocation", "allocation");
}
Checked<OrgKind> parse_org_kind(std::string_view code) { return parse_enum<OrgKind>(code, "invalid_kind", "kind"); }
Checked<FeedbackWent> parse_went(std::string_view code) {
    return parse_enum<FeedbackWent>(code, "invalid_went", "went");
}

Checked<AccessibilityFlags> parse_accessibility_key(std::string_view code) {
    Checked<AccessibilityFlags> out;
    if (auto f = accessibility_flag_from_code(code)) out.value = *f;
    else out.refusal = refuse("invalid_accessibility", "accessibility");
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Organisations, users, venues
//-----------------------------------------------------------------------------

std::vector<Refusal> validate_organisation(OrganisationDraft& org) {
    std::vector<Refusal> out;
    if (auto k = parse_org_kind(org.kind); !k.ok()) out.push_back(*k.refusal);
    clean_member(out, org.name, {"name", limits::kOrgNameMinChars, limits::kOrgNameMaxChars, false, true});
    append_if(out, validate_territory(org.territory));
    org.contact_email = normalize_email(org.contact_email);
    if (validate_email(org.contact_email)) out.push_back(refuse("invalid_email", "contact.email"));
    if (auto r = validate_password(org.contact_password)) out.push_back(refuse(r->code, "contact.password"));
    clean_member(out, org.contact_display_name,
                 {"contact.display_name", limits::kDisplayNameMinChars, limits::kDisplayNameMaxChars, false, true});
    return out;
}

std::vector<Refusal> validate_venue(VenueDraft& venue) {
    std::vector<Refusal> out;
    clean_member(out, venue.name, {"name", limits::kOrgNameMinChars, limits::kOrgNameMaxChars, false, true});
    clean_member(out, venue.address, {"address", limits::kAddressMinChars, limits::kAddressMaxChars, true});
    const auto dep = departement_from_postal_code(venue.postal_code);
    if (!dep.ok()) out.push_back(*dep.refusal);
    else venue.postal_code = std::string(trim(venue.postal_code));
    const auto territory_bad = validate_territory(venue.territory);
    append_if(out, territory_bad);
    if (dep.ok() && !territory_bad && dep.value != venue.territory)
        out.push_back(refuse("postal_code_territory_mismatch", "postal_code"));
    if ((venue.accessibility & ~static_cast<unsigned>(AccessibilityFlags_All)) != 0)
        out.push_back(refuse("invalid_accessibility", "accessibility"));
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Offers
//-----------------------------------------------------------------------------

std::vector<Refusal> validate_offer(OfferDraft& offer) {
    std::vector<Refusal> out;
    clean_member(out, offer.title, {"title", limits::kTitleMinChars, limits::kTitleMaxChars, false, true});
    clean_member(out, offer.description, {"description", 0, limits::kDescriptionMaxChars, true});
    if (auto c = parse_category(offer.category); !c.ok()) out.push_back(*c.refusal);
    append_if(out, check_range(offer.min_age, 0, limits::kMinAgeMax, "min_age_out_of_range", "min_age"));
    if ((offer.accessibility & ~static_cast<unsigned>(AccessibilityFlags_All)) != 0)
        out.push_back(refuse("invalid_accessibility", "accessibility"));
    if (auto p = parse_pickup_mode(offer.pickup_mode); !p.ok()) out.push_back(*p.refusal);
    return out;
}

std::optional<Refusal> check_offer_transition(OfferStatus from, OfferStatus to) {
    using S = OfferStatus;
    const bool ok = (from == S::Draft && to == S::Pending) || (from == S::Pending && to == S::Published) ||
                    (from == S::Pending && to == S::Rejected) || (from == S::Pending && to == S::Draft) ||
                    (from == S::Rejected && to == S::Draft) || (from != S::Archived && to == S::Archived);
    if (!ok) return refuse("invalid_transition", "status");
    return std::nullopt;
}

Checked<std::string> clean_reject_reason(std::string_view reason) {
    return clean_text(reason, {"reason", limits::kReasonMinChars, limits::kReasonMaxChars, true});
}

//-----------------------------------------------------------------------------
// [SECTION] Sessions
//-----------------------------------------------------------------------------

std::vector<Refusal> validate_session(SessionDraft& s, UnixSeconds now, const TerritorySettings& settings) {
    std::vector<Refusal> out;
    append_if(out, check_range(s.duration_min, limits::kDurationMinMinutes, limits::kDurationMaxMinutes,
                               "duration_out_of_range", "duration_min"));
    append_if(out,
              check_range(s.capacity, limits::kCapacityMin, limits::kCapacityMax, "capacity_out_of_range", "capacity"));
    if (!s.max_per_booking) s.max_per_booking = settings.default_max_per_booking;
    append_if(out, check_range(*s.max_per_booking, limits::kMaxPerBookingMin, limits::kMaxPerBookingMax,
                               "max_per_booking_out_of_range", "max_per_booking"));
    if (s.allocation != AllocationMode::Ballot) s.draw_at.reset();

    const UnixSeconds latest_close = s.start - limits::kLatestCloseBeforeStart;
    if (latest_close <= now) {
        // Nothing about closing or drawing can be right for a session nobody could book: one refusal.
        out.push_back(refuse("start_too_soon", "start_local"));
        return out;
    }
    if (s.start > now + limits::kLatestStartAhead) {
        // Nobody donates places two years ahead: "9999-12-31" is a typing slip, not a season.
        out.push_back(refuse("start_too_far", "start_local"));
        return out;
    }
    if (!s.closes_at) {
        UnixSeconds close = s.start - settings.default_close_hours_before_start * kHour;
        if (close > latest_close) close = latest_close;  // a setting below 2 h never breaks the bound
        if (close <= now) close = latest_close;          // last-minute donation: keep it bookable
        s.closes_at = close;
    } else if (*s.closes_at > latest_close) {
        out.push_back(refuse("closes_at_too_late", "closes_at"));
    } else if (*s.closes_at <= now) {
        out.push_back(refuse("closes_at_in_past", "closes_at"));
    }
    if (s.opens_at && *s.closes_at <= *s.opens_at) out.push_back(refuse("closes_at_before_opens_at", "closes_at"));

    if (s.allocation == AllocationMode::Ballot) {
        if (!s.draw_at) out.push_back(refuse("draw_at_required", "draw_at"));
        else if (*s.draw_at <= now) out.push_back(refuse("draw_at_in_past", "draw_at"));
        else if (*s.draw_at >= *s.closes_at) out.push_back(refuse("draw_at_not_before_closes_at", "draw_at"));
        else if (s.opens_at && *s.draw_at <= *s.opens_at) out.push_back(refuse("draw_at_before_opens_at", "draw_at"));
    }
    return out;
}

std::optional<Refusal> check_capacity_change(int new_capacity, int places_held) {
    if (auto r =
            check_range(new_capacity, limits::kCapacityMin, limits::kCapacityMax, "capacity_out_of_range", "capacity"))
        return r;
    if (new_capacity < places_held) return refuse("capacity_below_held", "capacity");
    return std::nullopt;
}

//-----------------------------------------------------------------------------
// [SECTION] Beneficiaries
//-----------------------------------------------------------------------------

// A child of the household: under 18 this year (born current year − 17 at the earliest).
constexpr int kChildMaxAge = 17;

std::vector<Refusal> validate_beneficiary(BeneficiaryDraft& b, int current_year) {
    std::vector<Refusal> out;
    clean_member(out, b.first_name, {"first_name", 1, limits::kPersonNameMaxChars, false, true});
    clean_member(out, b.last_name, {"last_name", 1, limits::kPersonNameMaxChars, false, true});
    if (b.birth_year)
        append_if(out, check_range(*b.birth_year, current_year - limits::kBirthYearMaxAge, current_year,
                                   "birth_year_out_of_range", "birth_year"));
    if (auto dep = departement_from_postal_code(b.postal_code); !dep.ok()) out.push_back(*dep.refusal);
    else b.postal_code = std::string(trim(b.postal_code));
    append_if(out, check_range(b.household_size, limits::kHouseholdMin, limits::kHouseholdMax,
                               "household_size_out_of_range", "household_size"));
    if (!trim(b.phone).empty()) {
        auto p = normalize_phone_fr(b.phone);
        if (p.ok()) b.phone = std::move(p.value);
        else out.push_back(*p.refusal);
    } else {
        b.phone.clear();
    }
    clean_member(out, b.preferred_language, {"preferred_language", 0, limits::kLanguageMaxChars});
    bool children_ok = static_cast<int>(b.children_birth_years.size()) <= std::max(0, b.household_size - 1);
    for (int year : b.children_birth_years)
        children_ok = children_ok && year >= current_year - kChildMaxAge && year <= current_year;
    if (!children_ok) out.push_back(refuse("children_out_of_range", "children_birth_years"));
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Feedback
//-----------------------------------------------------------------------------

std::vector<Refusal> validate_feedback(FeedbackDraft& f) {
    std::vector<Refusal> out;
    if (auto w = parse_went(f.went); !w.ok()) out.push_back(*w.refusal);
    if (f.rating)
        append_if(out, check_range(*f.rating, limits::kRatingMin, limits::kRatingMax, "rating_out_of_range", "rating"));
    clean_member(out, f.comment, {"comment", 0, limits::kCommentMaxChars, true});
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Territory settings
//-----------------------------------------------------------------------------

std::vector<Refusal> validate_settings(const TerritorySettings& s) {
    std::vector<Refusal> out;
    auto check = [&](int v, int lo, int hi, std::string_view field) {
        append_if(out, check_range(v, lo, hi, "setting_out_of_range", field));
    };
    check(s.share_percent, 1, 100, "share_percent");
    check(s.release_hours_before_close, 0, 720, "release_hours_before_close");
    check(s.max_upcoming_bookings, 1, 50, "max_upcoming_bookings");
    check(s.no_show_limit, 1, 20, "no_show_limit");
    check(s.no_show_window_days, 1, 730, "no_show_window_days");
    check(s.pause_days, 0, 365, "pause_days");
    check(s.default_max_per_booking, limits::kMaxPerBookingMin, limits::kMaxPerBookingMax, "default_max_per_booking");
    check(s.default_close_hours_before_start, 2, 720, "default_close_hours_before_start");
    check(s.erase_after_months, 1, 120, "erase_after_months");
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Ticketing-network feed
//-----------------------------------------------------------------------------

std::optional<Refusal> validate_ext_id(std::string_view ext_id, std::string_view field) {
    if (ext_id.empty() || ext_id.size() > kExtIdMaxChars) return refuse("invalid_ext_id", field);
    for (char c : ext_id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == ':' || c == '-';
        if (!ok) return refuse("invalid_ext_id", field);
    }
    return std::nullopt;
}

namespace {
struct ScopeCode {
    std::string_view code;
    ApiKeyScope scope;
};
constexpr ScopeCode kScopeCodes[] = {
    {"feed:write", ApiKeyScope_FeedWrite},
    {"feed:read", ApiKeyScope_FeedRead},
    {"webhooks", ApiKeyScope_Webhooks},
};
constexpr std::string_view kFeedKindCodes[] = {"venue", "offer", "session"};
}  // namespace

Checked<unsigned> parse_api_key_scope(std::string_view code) {
    Checked<unsigned> out;
    for (const auto& s : kScopeCodes)
        if (s.code == code) {
            out.value = s.scope;
            return out;
        }
    out.refusal = refuse("invalid_scope", "scopes");
    return out;
}

std::vector<std::string> api_key_scope_codes(unsigned scopes) {
    std::vector<std::string> out;
    for (const auto& s : kScopeCodes)
        if (scopes & s.scope) out.emplace_back(s.code);
    return out;
}

Checked<FeedKind> parse_feed_kind(std::string_view code) {
    Checked<FeedKind> out;
    for (std::size_t i = 0; i < std::size(kFeedKindCodes); ++i)
        if (kFeedKindCodes[i] == code) {
            out.value = static_cast<FeedKind>(i);
            return out;
        }
    out.refusal = refuse("validation", "kind");
    return out;
}

std::string_view to_code(FeedKind kind) { return kFeedKindCodes[static_cast<std::size_t>(kind)]; }

bool published_offer_edit_needs_review(std::string_view category, int min_age, const OfferDraft& after) {
    return after.category != category || after.min_age != min_age;
}

std::optional<Refusal> validate_batch_op(std::string_view op) {
    if (op != "put") return refuse("validation", "op");
    return std::nullopt;
}

std::optional<Refusal> validate_source_version(long long version) {
    if (version < 0) return refuse("invalid_source_version", "source_version");
    return std::nullopt;
}

//-----------------------------------------------------------------------------
// [SECTION] Webhooks
//-----------------------------------------------------------------------------

namespace {

// "192.0.2.1" → 4 bytes; strict: four decimal parts of 0–255, no leading zeros (an octal-looking
// "010" is refused rather than read differently than a resolver would).
bool parse_ipv4(std::string_view s, unsigned char out[4]) {
    int part = 0;
    std::size_t i = 0;
    while (part < 4) {
        std::size_t j = i;
        unsigned v = 0;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9' && j - i < 3) v = v * 10 + unsigned(s[j++] - '0');
        if (j == i || v > 255 || (j - i > 1 && s[i] == '0')) return false;
        out[part++] = static_cast<unsigned char>(v);
        if (part < 4) {
            if (j >= s.size() || s[j] != '.') return false;
            ++j;
        }
        i = j;
    }
    return i == s.size();
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// "2001:db8::1", "::ffff:192.0.2.1" → 16 bytes (no zone index).
bool parse_ipv6(std::string_view s, unsigned char out[16]) {
    std::uint16_t groups[8] = {};
    int count = 0, gap = -1;
    std::size_t i = 0;
    if (s.starts_with("::")) {
        gap = 0;
        i = 2;
    }
    while (i < s.size()) {
        if (count == 8) return false;
        // An IPv4 tail takes the last two groups.
        const std::size_t next_colon = s.find(':', i);
        if (next_colon == std::string_view::npos && s.find('.', i) != std::string_view::npos) {
            unsigned char v4[4];
            if (count > 6 || !parse_ipv4(s.substr(i), v4)) return false;
            groups[count++] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
            groups[count++] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
            i = s.size();
            break;
        }
        unsigned v = 0;
        std::size_t j = i;
        while (j < s.size() && j - i < 4 && hex_value(s[j]) >= 0) v = v * 16 + unsigned(hex_value(s[j++]));
        if (j == i) return false;
        groups[count++] = static_cast<std::uint16_t>(v);
        if (j == s.size()) {
            i = j;
            break;
        }
        if (s[j] != ':') return false;
        if (j + 1 < s.size() && s[j + 1] == ':') {
            if (gap >= 0) return false;
            gap = count;
            i = j + 2;
        } else {
            if (j + 1 == s.size()) return false;
            i = j + 1;
        }
    }
    if (gap < 0 && count != 8) return false;
    if (gap >= 0 && count > 7) return false;
    std::uint16_t full[8] = {};
    if (gap < 0) {
        for (int k = 0; k < 8; ++k) full[k] = groups[k];
    } else {
        for (int k = 0; k < gap; ++k) full[k] = groups[k];
        const int tail = count - gap;
        for (int k = 0; k < tail; ++k) full[8 - tail + k] = groups[gap + k];
    }
    for (int k = 0; k < 8; ++k) {
        out[2 * k] = static_cast<unsigned char>(full[k] >> 8);
        out[2 * k + 1] = static_cast<unsigned char>(full[k] & 0xff);
    }
    return true;
}

bool ipv4_forbidden(const unsigned char* a) {
    const unsigned b0 = a[0], b1 = a[1], b2 = a[2];
    return b0 == 0 ||                                         // "this network", unspecified
           b0 == 10 ||                                        // private
           (b0 == 100 && (b1 & 0xc0) == 64) ||                // CGNAT 100.64/10
           b0 == 127 ||                                       // loopback
           (b0 == 169 && b1 == 254) ||                        // link-local
           (b0 == 172 && (b1 & 0xf0) == 16) ||                // private
           (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) ||  // IETF protocol, documentation
           (b0 == 192 && b1 == 88 && b2 == 99) ||             // 6to4 relay
           (b0 == 192 && b1 == 168) ||                        // private
           (b0 == 198 && (b1 & 0xfe) == 18) ||                // benchmarking
           (b0 == 198 && b1 == 51 && b2 == 100) ||            // documentation
           (b0 == 203 && b1 == 0 && b2 == 113) ||             // documentation
           b0 >= 224;                                         // multicast, reserved, broadcast
}

}  // namespace

bool webhook_address_forbidden(const unsigned char* a, std::size_t size) {
    if (size == 4) return ipv4_forbidden(a);
    if (size != 16) return true;
    auto zeros = [&](int from, int to) {
        for (int k = from; k < to; ++k)
            if (a[k] != 0) return false;
        return true;
    };
    if (zeros(0, 10) && a[10] == 0xff && a[11] == 0xff) return ipv4_forbidden(a + 12);  // ::ffff:a.b.c.d
    if (zeros(0, 12)) return true;  // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
    if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b && zeros(4, 12))
        return ipv4_forbidden(a + 12);                                              // NAT64 64:ff9b::/96
    if (a[0] == 0x20 && a[1] == 0x02) return ipv4_forbidden(a + 2);                 // 6to4 2002::/16
    if ((a[0] & 0xfe) == 0xfc) return true;                                         // unique local fc00::/7
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return true;                         // link-local fe80::/10
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return true;                         // site-local fec0::/10
    if (a[0] == 0xff) return true;                                                  // multicast
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return true;  // documentation
    if (a[0] == 0x01 && zeros(1, 8)) return true;                                   // discard 100::/64
    return false;
}

Checked<WebhookUrl> parse_webhook_url(std::string_view url, bool allow_private) {
    Checked<WebhookUrl> out;
    auto bad = [&](const char* code) {
        out.refusal = refuse(code, "url");
        return out;
    };
    if (url.empty() || url.size() > 2000) return bad("invalid_webhook_url");
    for (char c : url)
        if (c <= 0x20 || c >= 0x7f) return bad("invalid_webhook_url");
    std::string_view rest;
    if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else if (url.starts_with("http://")) {
        if (!allow_private) return bad("webhook_url_forbidden");
        out.value.https = false;
        out.value.port = 80;
        rest = url.substr(7);
    } else {
        return bad(url.find("://") == std::string_view::npos ? "invalid_webhook_url" : "webhook_url_forbidden");
    }
    if (url.find('#') != std::string_view::npos) return bad("invalid_webhook_url");
    const std::size_t path_at = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, path_at);
    if (path_at != std::string_view::npos) {
        out.value.target = std::string(rest.substr(path_at));
        if (out.value.target.front() == '?') out.value.target.insert(0, "/");
    }
    if (authority.empty() || authority.find('@') != std::string_view::npos) return bad("invalid_webhook_url");
    std::string_view host = authority, port;
    if (authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return bad("invalid_webhook_url");
        host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return bad("invalid_webhook_url");
            port = after.substr(1);
        }
        unsigned char v6[16];
        if (!parse_ipv6(host, v6)) return bad("invalid_webhook_url");
        if (!allow_private && webhook_address_forbidden(v6, 16)) return bad("webhook_url_forbidden");
    } else {
        const std::size_t colon = authority.find(':');
        if (colon != std::string_view::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
        }
        if (host.empty() || host.size() > 253) return bad("invalid_webhook_url");
        for (char c : host)
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
                return bad("invalid_webhook_url");
        unsigned char v4[4];
        if (parse_ipv4(host, v4)) {
            if (!allow_private && webhook_address_forbidden(v4, 4)) return bad("webhook_url_forbidden");
        } else {
            // A name: resolved and checked by the server, at subscription and at every delivery.
            // A name whose last label is all digits ("2130706433", "0x7f.1", "017.0.0.1") is an
            // address in a form resolvers read differently: refused rather than guessed at.
            std::string_view last = host.substr(host.rfind('.') == std::string_view::npos ? 0 : host.rfind('.') + 1);
            if (last.empty() || last.find_first_not_of("0123456789") == std::string_view::npos)
                return bad("invalid_webhook_url");
            std::string lower(host);
            for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            if (!allow_private && (lower == "localhost" || lower.ends_with(".localhost")))
                return bad("webhook_url_forbidden");
        }
    }
    if (!port.empty() || (authority.back() == ':')) {
        int v = 0;
        if (port.empty() || port.size() > 5) return bad("invalid_webhook_url");
        for (char c : port) {
            if (c < '0' || c > '9') return bad("invalid_webhook_url");
            v = v * 10 + (c - '0');
        }
        if (v < 1 || v > 65535) return bad("invalid_webhook_url");
        out.value.port = v;
    }
    out.value.host = std::string(host);
    return out;
}

Checked<unsigned> parse_webhook_event(std::string_view type) {
    Checked<unsigned> out;
    out.value = webhook_event_bit(type);
    if (out.value == 0) out.refusal = refuse("invalid_event_type", "events");
    return out;
}

unsigned webhook_event_bit(std::string_view type) {
    for (std::size_t i = 0; i < std::size(kWebhookEventTypes); ++i)
        if (type == kWebhookEventTypes[i]) return 1u << i;
    return 0;
}

std::vector<std::string> webhook_event_codes(unsigned events) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < std::size(kWebhookEventTypes); ++i)
        if (events & (1u << i)) out.emplace_back(kWebhookEventTypes[i]);
    return out;
}

std::optional<long long> webhook_retry_delay(int failed_attempts) {
    // API.md: about three days in all, like the providers receivers already know, so a receiver
    // down for a weekend still gets everything.
    static constexpr long long kDelays[] = {5, 30, 120, 600, 3600, 4 * 3600, 12 * 3600, 24 * 3600};
    if (failed_attempts < 1 || failed_attempts > static_cast<int>(std::size(kDelays))) return std::nullopt;
    return kDelays[failed_attempts - 1];
}

}  // namespace uneplace
