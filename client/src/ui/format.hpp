// uneplace client — text for people that needs no browser: dates in the venue's local time,
// French labels of the API's codes, accessibility, field errors, search folding. Pure (shared
// module only): compiled natively into tests/client as well.
//
// Index of this file:
// [SECTION] Dates
// [SECTION] Labels
// [SECTION] Search
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "uneplace/domain.hpp"
#include "uneplace/validation.hpp"

//-------------------------------------------------------------------------------------------------
// [SECTION] Dates
//-------------------------------------------------------------------------------------------------

// "sam. 5 déc. 2026, 20 h 30" in the venue's local time; "—" when the instant is missing.
std::string ws_when(const std::string& rfc3339_utc, const std::string& territory);
// "5 déc. 2026" (the date only), metropolitan time when the territory is unknown.
std::string ws_date(const std::string& rfc3339_utc, const std::string& territory = "75");

//-------------------------------------------------------------------------------------------------
// [SECTION] Labels
//-------------------------------------------------------------------------------------------------

// "en attente de validation" → "En attente de validation" (UTF-8 aware, from the shared module).
std::string capitalised(std::string_view label);
std::string ws_category_label(const std::string& code);  // "théâtre"
std::string ws_pickup_label(const std::string& code);    // "nom sur liste à l’accueil"…
// Status labels come from the shared enum tables, capitalised for a table cell or a badge.
std::string ws_offer_status_label(const std::string& code);    // "Brouillon", "En attente de modération"…
std::string ws_account_status_label(const std::string& code);  // "En attente de validation", "Actif"…
std::string ws_booking_status_label(const std::string& code);  // "Confirmée", "Présent"…
std::string ws_session_status_label(const std::string& code);  // "Programmée", "Annulée"
std::string ws_kind_label(const std::string& code);            // "Partenaire culturel", "Structure sociale"
std::string ws_role_label(const std::string& code);            // "Travailleur social"…
// "accessible en fauteuil roulant, adapté au handicap auditif" or "non précisée".
std::string ws_accessibility_text(uneplace::AccessibilityFlags flags);
// The French message of the first refusal naming `field`, or "".
std::string ws_error_for(const std::vector<uneplace::Refusal>& refusals, std::string_view field);

//-------------------------------------------------------------------------------------------------
// [SECTION] Search
//-------------------------------------------------------------------------------------------------

// Folds a UTF-8 string for search: lower case, French accents removed (é → e, œ → oe, ç → c).
std::string fold_for_search(std::string_view text);
// True when every word of `query` appears in `text` (both folded).
bool matches_search(std::string_view text, std::string_view query);
