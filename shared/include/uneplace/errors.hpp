// uneplace shared module — stable error codes and their French messages.
// Every refusal anywhere in the product (a rule of DOMAIN.md, a validator, the HTTP layer) carries
// one of these codes; the client and the server show the same French text from one table.
//
// Index of this file:
// [SECTION] Refusal and Checked<T>
// [SECTION] The table of every code (message, HTTP status)
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Refusal and Checked<T>
//-----------------------------------------------------------------------------

// A refusal: a stable code (DOMAIN.md / API.md) and, where one field is at fault, its name.
struct Refusal {
    std::string code;
    std::string field;  // empty when no single field is at fault
    bool operator==(const Refusal&) const = default;
};

// A value that was parsed or normalised, or the refusal that explains why it could not be.
// `value` is meaningful only when ok().
template <class T>
struct Checked {
    T value{};
    std::optional<Refusal> refusal;
    bool ok() const { return !refusal.has_value(); }
};

//-----------------------------------------------------------------------------
// [SECTION] The table of every code (message, HTTP status)
//-----------------------------------------------------------------------------

// One stable code: its French message for people and the HTTP status the server answers with
// (API.md: 400 malformed, 401, 403, 404, 409 a rule refused, 413, 422 a field is invalid, 429).
struct ErrorCode {
    std::string_view code;
    int http_status;
    std::string_view message_fr;
};

// Every code of DOMAIN.md, API.md and of the shared validators, in a fixed order (the server's
// OpenAPI document lists them; a test checks each has a message).
std::span<const ErrorCode> all_error_codes();

// The entry of `code`, or nullptr when the code is unknown.
const ErrorCode* find_error_code(std::string_view code);

// French message for people, for any stable code. Unknown codes get a generic message.
std::string_view message_fr(std::string_view code);

// HTTP status for a code. Unknown codes answer 500, so a code missing from the table shows up
// in tests and logs instead of passing for a client error.
int http_status_for(std::string_view code);

}  // namespace uneplace
