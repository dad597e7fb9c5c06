// libFuzzer target: the text rules every name, title and address goes through (clean_text), and
// the e-mail, password, phone and postal-code validators. Properties: cleaned text is valid UTF-8
// and cleaning it again changes nothing; a normalised phone number is E.164 and normalises to
// itself; a postal code's département is a known territory; any bytes written as a JSON string
// (append_json_string) parse back with nlohmann/json, and to the same text when it was UTF-8.
#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "uneplace/validation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz_text(data, size);
    {
        std::string written;
        uneplace::append_json_string(written, text);
        FUZZ_CHECK(uneplace::is_valid_utf8(written));
        const nlohmann::json back = nlohmann::json::parse(written, nullptr, false);
        FUZZ_CHECK(back.is_string());
        if (uneplace::is_valid_utf8(text)) FUZZ_CHECK(back.get<std::string>() == text);
    }
    for (const uneplace::TextRule& rule :
         {uneplace::TextRule{"name", 1, 120, false, true}, uneplace::TextRule{"address", 5, 300, true, false}}) {
        auto cleaned = uneplace::clean_text(text, rule);
        if (!cleaned.ok()) continue;
        FUZZ_CHECK(uneplace::is_valid_utf8(cleaned.value));
        auto again = uneplace::clean_text(cleaned.value, rule);
        FUZZ_CHECK(again.ok() && again.value == cleaned.value);
    }
    (void)uneplace::validate_email(text);
    (void)uneplace::normalize_email(text);
    (void)uneplace::validate_password(text);
    auto phone = uneplace::normalize_phone_fr(text);
    if (phone.ok()) {
        FUZZ_CHECK(phone.value.size() >= 12 && phone.value[0] == '+');
        auto again = uneplace::normalize_phone_fr(phone.value);
        FUZZ_CHECK(again.ok() && again.value == phone.value);
    }
    auto departement = uneplace::departement_from_postal_code(text);
    if (departement.ok()) FUZZ_CHECK(!uneplace::validate_territory(departement.value));
    return 0;
}
