// uneplace shared module — validators of DOMAIN.md "Validation (shared)".
#pragma once
#include <optional>
#include <string_view>

#include "uneplace/errors.hpp"

namespace uneplace {

// Email: one @, a dotted domain, at most 254 characters. Refusal field is "email".
std::optional<Refusal> validate_email(std::string_view email);

}  // namespace uneplace
