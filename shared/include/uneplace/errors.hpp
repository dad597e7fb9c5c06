// uneplace shared module — stable error codes and their French messages.
// Every refusal anywhere in the product (a rule of DOMAIN.md, a validator, the HTTP layer) carries
// one of these codes; the client and the server show the same French text from one table.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace uneplace {

// A refusal: a stable code (DOMAIN.md / API.md) and, where one field is at fault, its name.
struct Refusal {
    std::string code;
    std::string field;  // empty when no single field is at fault
    bool operator==(const Refusal&) const = default;
};

// French message for people, for any stable code. Unknown codes get a generic message.
std::string_view message_fr(std::string_view code);

}  // namespace uneplace
