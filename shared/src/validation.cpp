#include "uneplace/validation.hpp"

namespace uneplace {

std::optional<Refusal> validate_email(std::string_view email) {
    const auto bad = Refusal{"invalid_email", "email"};
    if (email.empty() || email.size() > 254) return bad;
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return bad;
    const auto domain = email.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return bad;
    for (unsigned char c : email)
        if (c <= 0x20 || c == 0x7f) return bad;
    return std::nullopt;
}

}  // namespace uneplace
