// libFuzzer target: the RFC 3339 parser and the venue local-time parser (every `start_local`,
// `closes_at`, `?from=` the API reads). Properties: an instant parsed formats back to a text that
// parses to the same instant; a venue's local time formats back (format_local) to the same instant.
#include "fuzz_check.hpp"
#include "uneplace/local_time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz_text(data, size);
    (void)uneplace::parse_rfc3339(text);
    auto instant = uneplace::parse_utc_instant(text);
    if (instant.ok()) {
        auto back = uneplace::parse_utc_instant(uneplace::format_utc(instant.value));
        FUZZ_CHECK(back.ok() && back.value == instant.value);
    }
    // Metropolitan France (DST) and La Réunion (no DST), as the venues' départements.
    for (std::string_view departement : {"75", "974"}) {
        auto local = uneplace::parse_venue_local(departement, text);
        if (!local.ok()) continue;
        auto back = uneplace::parse_venue_local(departement, uneplace::format_local(departement, local.value));
        FUZZ_CHECK(back.ok() && back.value == local.value);
    }
    return 0;
}
