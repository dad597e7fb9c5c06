// uneplace shared module — small pieces of French wording that both sides need to get right the
// same way: quoting a title, agreeing a noun with its number, "il ne reste qu’une place".
// Every message built from figures goes through these, so "Il ne reste que 1 place", "3 place(s)"
// or « « … » » cannot come back in one place while being fixed in another.
//
// Index of this file:
// [SECTION] Quotes
// [SECTION] Numbers and agreement
#pragma once
#include <string>
#include <string_view>

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Quotes
//-----------------------------------------------------------------------------

// «\u00A0text\u00A0»: French quotes with their no-break spaces. Quotes inside become “ ” (the French
// convention for a quote within a quote), and a text already wrapped in « » is not wrapped again,
// so « « Titre » » never happens. Surrounding spaces are trimmed.
std::string quote_fr(std::string_view text);

//-----------------------------------------------------------------------------
// [SECTION] Numbers and agreement
//-----------------------------------------------------------------------------

// "1 place", "3 places", "0 place" (French: 0 and 1 take the singular), with a no-break space
// between the number and the noun so the two never part at a line end.
std::string count_fr(int n, std::string_view singular, std::string_view plural);

// "Il ne reste aucune place", "Il ne reste qu’une place", "Il ne reste que 3 places".
std::string places_left_fr(int n);

}  // namespace uneplace
