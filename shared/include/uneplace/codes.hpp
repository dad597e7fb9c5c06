// uneplace shared module — booking codes (K1).
// 7 random symbols of Crockford base32 (0-9 A-Z without I L O U) and 1 check symbol: the sum of the
// 7 values weighted 1, 3, 5, 7, 9, 11, 13, mod 32. Odd weights are invertible mod 32, so any single
// mistyped symbol changes the check and is caught before any database look-up.
// Canonical form, stored and shown: "XXXX-XXXX" (upper case, hyphen after the 4th symbol).
//
// Index of this file:
// [SECTION] Alphabet
// [SECTION] Generation, formatting, parsing
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "uneplace/errors.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Alphabet
//-----------------------------------------------------------------------------

inline constexpr std::string_view kCrockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
// Value 0–31 of a symbol, read tolerantly: case-insensitive, O → 0, I and L → 1. nullopt for U and
// anything else.
std::optional<int> crockford_value(char c);
// Check symbol value of 7 symbol values: Σ value[i] × (2i + 1) mod 32.
int booking_code_check(std::span<const int, 7> values);

//-----------------------------------------------------------------------------
// [SECTION] Generation, formatting, parsing
//-----------------------------------------------------------------------------

// A new code from 7 random bytes of a CSPRNG (libsodium's randombytes_buf on the server): the low
// 5 bits of each byte pick a symbol (256 is a multiple of 32, so no bias). Returns "XXXX-XXXX".
std::string make_booking_code(std::span<const std::uint8_t, 7> random_bytes);
// Same from a caller's 64-bit random source (7 × 5 = 35 bits used). Handy for tests and seeds.
std::string make_booking_code(std::uint64_t random_bits);

// Tolerant input: ignores spaces, tabs and hyphens, case-insensitive, O → 0, I/L → 1; needs 8
// symbols with a correct check symbol [invalid_code, "code"]. Returns the canonical "XXXX-XXXX".
Checked<std::string> parse_booking_code(std::string_view input);

}  // namespace uneplace
