// libFuzzer target: the booking-code parser (what a door volunteer types) and the ticket payload
// (what a door scanner reads from a QR code). Properties: a code parsed is canonical "XXXX-XXXX"
// and parses back to itself (the parser is idempotent on its own output).
#include "fuzz_check.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/invitation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz_text(data, size);
    auto code = uneplace::parse_booking_code(text);
    if (code.ok()) {
        FUZZ_CHECK(code.value.size() == 9 && code.value[4] == '-');
        auto again = uneplace::parse_booking_code(code.value);
        FUZZ_CHECK(again.ok() && again.value == code.value);
    } else {
        FUZZ_CHECK(code.refusal->code == "invalid_code");
    }
    (void)uneplace::parse_ticket_payload(text);
    return 0;
}
