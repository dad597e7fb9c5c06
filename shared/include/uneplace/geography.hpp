// uneplace shared module — where outings are: the 18 regions and which départements touch.
// The catalogue's "Île-de-France" (region=11) and "Paris and around" (near=75) are sets of
// départements computed here, so the server's filter and the client's lists say the same thing.
// Data only, from the official map (INSEE's code officiel géographique, regions since 2016).
//
// Index of this file:
// [SECTION] Regions
// [SECTION] Neighbouring départements
// [SECTION] Names people type (the prefecture of each département)
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Regions
//-----------------------------------------------------------------------------

// A region: its INSEE code ("11", "84", "01" for Guadeloupe), French name, its départements.
struct Region {
    std::string_view code;
    std::string_view name_fr;
    std::span<const std::string_view> departements;
};
// The 18 regions in INSEE code order (01 … 06 overseas, then 11 … 94). Every one of the 101
// départements is in exactly one.
std::span<const Region> all_regions();
// nullptr for an unknown code.
const Region* find_region(std::string_view code);
// The region a département belongs to (nullptr for an unknown département).
const Region* region_of(std::string_view departement_code);

//-----------------------------------------------------------------------------
// [SECTION] Neighbouring départements
//-----------------------------------------------------------------------------

// The départements sharing a land border with this one (metropolitan France; Corse-du-Sud and
// Haute-Corse touch each other only). Overseas départements have none. Empty for an unknown code.
std::vector<std::string_view> neighbours_of(std::string_view departement_code);
bool are_neighbours(std::string_view a, std::string_view b);
// "Near": the département itself, then its neighbours (the catalogue's near=). Empty when unknown.
std::vector<std::string_view> departements_near(std::string_view departement_code);

//-----------------------------------------------------------------------------
// [SECTION] Names people type
//-----------------------------------------------------------------------------

// The département's prefecture ("Lyon" for 69): people search "ly", not "Rhône". Empty if unknown.
std::string_view departement_city(std::string_view departement_code);
// "69 Rhône — Lyon": how long lists show a département, so typing the city finds it.
std::string departement_label(std::string_view departement_code);

}  // namespace uneplace
