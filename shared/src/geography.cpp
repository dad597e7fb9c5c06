// uneplace shared module — regions, neighbouring départements, prefectures (geography.hpp).
//
// Index of this file:
// [SECTION] Regions
// [SECTION] The départements' table (prefecture, neighbours)
// [SECTION] Neighbouring départements
// [SECTION] Names people type

#include "uneplace/geography.hpp"

#include <algorithm>
#include <iterator>

#include "uneplace/domain.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Regions
//-----------------------------------------------------------------------------
// INSEE's region codes and names since 1 January 2016 (loi NOTRe), each with its départements.

namespace {
using Codes = std::string_view;
constexpr Codes kGuadeloupe[] = {"971"};
constexpr Codes kMartinique[] = {"972"};
constexpr Codes kGuyane[] = {"973"};
constexpr Codes kReunion[] = {"974"};
constexpr Codes kMayotte[] = {"976"};
constexpr Codes kIleDeFrance[] = {"75", "77", "78", "91", "92", "93", "94", "95"};
constexpr Codes kCentreValDeLoire[] = {"18", "28", "36", "37", "41", "45"};
constexpr Codes kBourgogneFrancheComte[] = {"21", "25", "39", "58", "70", "71", "89", "90"};
constexpr Codes kNormandie[] = {"14", "27", "50", "61", "76"};
constexpr Codes kHautsDeFrance[] = {"02", "59", "60", "62", "80"};
constexpr Codes kGrandEst[] = {"08", "10", "51", "52", "54", "55", "57", "67", "68", "88"};
constexpr Codes kPaysDeLaLoire[] = {"44", "49", "53", "72", "85"};
constexpr Codes kBretagne[] = {"22", "29", "35", "56"};
constexpr Codes kNouvelleAquitaine[] = {"16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"};
constexpr Codes kOccitanie[] = {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"};
constexpr Codes kAuvergneRhoneAlpes[] = {"01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"};
constexpr Codes kProvenceAlpesCoteDAzur[] = {"04", "05", "06", "13", "83", "84"};
constexpr Codes kCorse[] = {"2A", "2B"};

constexpr Region kRegions[] = {
    {"01", "Guadeloupe", kGuadeloupe},
    {"02", "Martinique", kMartinique},
    {"03", "Guyane", kGuyane},
    {"04", "La Réunion", kReunion},
    {"06", "Mayotte", kMayotte},
    {"11", "Île-de-France", kIleDeFrance},
    {"24", "Centre-Val de Loire", kCentreValDeLoire},
    {"27", "Bourgogne-Franche-Comté", kBourgogneFrancheComte},
    {"28", "Normandie", kNormandie},
    {"32", "Hauts-de-France", kHautsDeFrance},
    {"44", "Grand Est", kGrandEst},
    {"52", "Pays de la Loire", kPaysDeLaLoire},
    {"53", "Bretagne", kBretagne},
    {"75", "Nouvelle-Aquitaine", kNouvelleAquitaine},
    {"76", "Occitanie", kOccitanie},
    {"84", "Auvergne-Rhône-Alpes", kAuvergneRhoneAlpes},
    {"93", "Provence-Alpes-Côte d’Azur", kProvenceAlpesCoteDAzur},
    {"94", "Corse", kCorse},
};
static_assert(std::size(kRegions) == 18, "18 regions since 2016");
}  // namespace

std::span<const Region> all_regions() { return kRegions; }

const Region* find_region(std::string_view code) {
    for (const auto& r : kRegions)
        if (r.code == code) return &r;
    return nullptr;
}

const Region* region_of(std::string_view departement_code) {
    for (const auto& r : kRegions)
        for (auto d : r.departements)
            if (d == departement_code) return &r;
    return nullptr;
}

//-----------------------------------------------------------------------------
// [SECTION] The départements' table (prefecture, neighbours)
//-----------------------------------------------------------------------------
// Neighbours: a land border on the map (a river counts, a single point does not), written out
// for both départements of each border, which the tests check. Paris touches its three "petite
// couronne" départements only; the two Corsican départements touch each other; overseas none.

namespace {
struct Place {
    std::string_view code;
    std::string_view city;        // prefecture
    std::string_view neighbours;  // codes separated by spaces
};
constexpr Place kPlaces[] = {
    {"01", "Bourg-en-Bresse", "38 39 69 71 73 74"},
    {"02", "Laon", "08 51 59 60 77 80"},
    {"03", "Moulins", "18 23 42 58 63 71"},
    {"04", "Digne-les-Bains", "05 06 13 26 83 84"},
    {"05", "Gap", "04 26 38 73"},
    {"06", "Nice", "04 83"},
    {"07", "Privas", "26 30 38 42 43 48 84"},
    {"08", "Charleville-Mézières", "02 51 55"},
    {"09", "Foix", "11 31 66"},
    {"10", "Troyes", "21 51 52 77 89"},
    {"11", "Carcassonne", "09 31 34 66 81"},
    {"12", "Rodez", "15 30 34 46 48 81 82"},
    {"13", "Marseille", "04 30 83 84"},
    {"14", "Caen", "27 50 61"},
    {"15", "Aurillac", "12 19 43 46 48 63"},
    {"16", "Angoulême", "17 24 79 86 87"},
    {"17", "La Rochelle", "16 24 33 79 85"},
    {"18", "Bourges", "03 23 36 41 45 58"},
    {"19", "Tulle", "15 23 24 46 63 87"},
    {"2A", "Ajaccio", "2B"},
    {"2B", "Bastia", "2A"},
    {"21", "Dijon", "10 39 52 58 70 71 89"},
    {"22", "Saint-Brieuc", "29 35 56"},
    {"23", "Guéret", "03 18 19 36 63 87"},
    {"24", "Périgueux", "16 17 19 33 46 47 87"},
    {"25", "Besançon", "39 70 90"},
    {"26", "Valence", "04 05 07 38 84"},
    {"27", "Évreux", "14 28 60 61 76 78 95"},
    {"28", "Chartres", "27 41 45 61 72 78 91"},
    {"29", "Quimper", "22 56"},
    {"30", "Nîmes", "07 12 13 34 48 84"},
    {"31", "Toulouse", "09 11 32 65 81 82"},
    {"32", "Auch", "31 40 47 64 65 82"},
    {"33", "Bordeaux", "17 24 40 47"},
    {"34", "Montpellier", "11 12 30 81"},
    {"35", "Rennes", "22 44 49 50 53 56"},
    {"36", "Châteauroux", "18 23 37 41 86 87"},
    {"37", "Tours", "36 41 49 72 86"},
    {"38", "Grenoble", "01 05 07 26 42 69 73"},
    {"39", "Lons-le-Saunier", "01 21 25 70 71"},
    {"40", "Mont-de-Marsan", "32 33 47 64"},
    {"41", "Blois", "18 28 36 37 45 72"},
    {"42", "Saint-Étienne", "03 07 38 43 63 69 71"},
    {"43", "Le Puy-en-Velay", "07 15 42 48 63"},
    {"44", "Nantes", "35 49 56 85"},
    {"45", "Orléans", "18 28 41 58 77 89 91"},
    {"46", "Cahors", "12 15 19 24 47 82"},
    {"47", "Agen", "24 32 33 40 46 82"},
    {"48", "Mende", "07 12 15 30 43"},
    {"49", "Angers", "35 37 44 53 72 79 85 86"},
    {"50", "Saint-Lô", "14 35 53 61"},
    {"51", "Châlons-en-Champagne", "02 08 10 52 55 77"},
    {"52", "Chaumont", "10 21 51 55 70 88"},
    {"53", "Laval", "35 49 50 61 72"},
    {"54", "Nancy", "55 57 67 88"},
    {"55", "Bar-le-Duc", "08 51 52 54 88"},
    {"56", "Vannes", "22 29 35 44"},
    {"57", "Metz", "54 67"},
    {"58", "Nevers", "03 18 21 45 71 89"},
    {"59", "Lille", "02 62 80"},
    {"60", "Beauvais", "02 27 76 77 80 95"},
    {"61", "Alençon", "14 27 28 50 53 72"},
    {"62", "Arras", "59 80"},
    {"63", "Clermont-Ferrand", "03 15 19 23 42 43"},
    {"64", "Pau", "32 40 65"},
    {"65", "Tarbes", "31 32 64"},
    {"66", "Perpignan", "09 11"},
    {"67", "Strasbourg", "54 57 68 88"},
    {"68", "Colmar", "67 88 90"},
    {"69", "Lyon", "01 38 42 71"},
    {"70", "Vesoul", "21 25 39 52 88 90"},
    {"71", "Mâcon", "01 03 21 39 42 58 69"},
    {"72", "Le Mans", "28 37 41 49 53 61"},
    {"73", "Chambéry", "01 05 38 74"},
    {"74", "Annecy", "01 73"},
    {"75", "Paris", "92 93 94"},
    {"76", "Rouen", "27 60 80"},
    {"77", "Melun", "02 10 45 51 60 89 91 93 94 95"},
    {"78", "Versailles", "27 28 91 92 95"},
    {"79", "Niort", "16 17 49 85 86"},
    {"80", "Amiens", "02 59 60 62 76"},
    {"81", "Albi", "11 12 31 34 82"},
    {"82", "Montauban", "12 31 32 46 47 81"},
    {"83", "Toulon", "04 06 13 84"},
    {"84", "Avignon", "04 07 13 26 30 83"},
    {"85", "La Roche-sur-Yon", "17 44 49 79"},
    {"86", "Poitiers", "16 36 37 49 79 87"},
    {"87", "Limoges", "16 19 23 24 36 86"},
    {"88", "Épinal", "52 54 55 67 68 70 90"},
    {"89", "Auxerre", "10 21 45 58 77"},
    {"90", "Belfort", "25 68 70 88"},
    {"91", "Évry-Courcouronnes", "28 45 77 78 92 94"},
    {"92", "Nanterre", "75 78 91 93 94 95"},
    {"93", "Bobigny", "75 77 92 94 95"},
    {"94", "Créteil", "75 77 91 92 93"},
    {"95", "Pontoise", "27 60 77 78 92 93"},
    {"971", "Basse-Terre", ""},
    {"972", "Fort-de-France", ""},
    {"973", "Cayenne", ""},
    {"974", "Saint-Denis", ""},
    {"976", "Mamoudzou", ""},
};
static_assert(std::size(kPlaces) == 101, "one row per département of DOMAIN.md");

const Place* find_place(std::string_view code) {
    for (const auto& p : kPlaces)
        if (p.code == code) return &p;
    return nullptr;
}
}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Neighbouring départements
//-----------------------------------------------------------------------------

std::vector<std::string_view> neighbours_of(std::string_view departement_code) {
    std::vector<std::string_view> out;
    const Place* p = find_place(departement_code);
    if (!p) return out;
    std::string_view rest = p->neighbours;
    while (!rest.empty()) {
        const size_t space = rest.find(' ');
        out.push_back(rest.substr(0, space));
        rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    }
    return out;
}

bool are_neighbours(std::string_view a, std::string_view b) {
    const auto n = neighbours_of(a);
    return std::find(n.begin(), n.end(), b) != n.end();
}

std::vector<std::string_view> departements_near(std::string_view departement_code) {
    const Place* p = find_place(departement_code);
    if (!p) return {};
    std::vector<std::string_view> out{p->code};
    for (auto n : neighbours_of(departement_code)) out.push_back(n);
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Names people type
//-----------------------------------------------------------------------------

std::string_view departement_city(std::string_view departement_code) {
    const Place* p = find_place(departement_code);
    return p ? p->city : std::string_view{};
}

std::string departement_label(std::string_view departement_code) {
    const std::string_view name = departement_name(departement_code);
    if (name.empty()) return std::string(departement_code);
    std::string out = std::string(departement_code) + " " + std::string(name);
    const std::string_view city = departement_city(departement_code);
    if (!city.empty() && city != name) out += " — " + std::string(city);
    return out;
}

}  // namespace uneplace
