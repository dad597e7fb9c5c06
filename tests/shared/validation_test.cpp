// Validators of DOMAIN.md "Validation (shared)", enum tables and the error-code table.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/validation.hpp"

using namespace uneplace;

namespace {
std::string code_of(const std::optional<Refusal>& r) { return r ? r->code : ""; }
template <class T>
std::string code_of(const Checked<T>& c) {
    return c.refusal ? c.refusal->code : "";
}
std::string codes_of(const std::vector<Refusal>& rs) {
    std::string s;
    for (const auto& r : rs) s += (s.empty() ? "" : " ") + r.field + ":" + r.code;
    return s;
}
}  // namespace

// --- Email ------------------------------------------------------------------

TEST(ValidateEmail, AcceptsOrdinaryAddresses) {
    EXPECT_FALSE(validate_email("relais@demo.uneplace.test"));
    EXPECT_FALSE(validate_email("a.b-c@sous.domaine.fr"));
    EXPECT_FALSE(validate_email("élodie@exemple.fr"));
}

TEST(ValidateEmail, RefusesMalformedAddresses) {
    for (const char* bad : {"", "sans-arobase.fr", "@domaine.fr", "a@@b.fr", "a@b@c.fr", "a@domaine", "a@.fr",
                            "a@domaine.", "a b@c.fr", "a@b..fr", "a\x01@b.fr", "\xff@b.fr"}) {
        auto r = validate_email(bad);
        ASSERT_TRUE(r) << bad;
        EXPECT_EQ(r->code, "invalid_email");
        EXPECT_EQ(r->field, "email");
    }
    EXPECT_TRUE(validate_email(std::string(250, 'a') + "@b.fr"));   // 255 characters
    EXPECT_FALSE(validate_email(std::string(249, 'a') + "@b.fr"));  // 254 characters
}

TEST(ValidateEmail, NormaliseTrimsAndLowers) { EXPECT_EQ(normalize_email("  Relais@Demo.FR \n"), "relais@demo.fr"); }

// --- UTF-8 text ---------------------------------------------------------------

TEST(Utf8, ValidityAndLength) {
    struct Case {
        std::string text;
        bool valid;
        std::size_t length;
    };
    const Case cases[] = {
        {"", true, 0},
        {"abc", true, 3},
        {"Élodie", true, 6},
        {"Œuvre", true, 5},
        {"👍", true, 1},                  // 4 bytes, 1 character
        {"Zoé 👍🏽", true, 6},      // thumbs up + skin tone modifier = 2 code points
        {"\xC3", false, 0},              // truncated
        {"\xC0\xAF", false, 0},          // overlong '/'
        {"\xED\xA0\x80", false, 0},      // surrogate
        {"\xF4\x90\x80\x80", false, 0},  // > U+10FFFF
        {"\x80", false, 0},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(is_valid_utf8(c.text), c.valid) << c.text;
        if (c.valid) {
            EXPECT_EQ(utf8_length(c.text), c.length) << c.text;
        }
    }
}

TEST(Utf8, TrimAndFirst) {
    EXPECT_EQ(trim("  \t a b \n"), "a b");
    EXPECT_EQ(trim("\u00A0Amina\u00A0"), "Amina");
    EXPECT_EQ(trim("   "), "");
    EXPECT_EQ(utf8_first("Élodie"), "É");
    EXPECT_EQ(utf8_first("👍x"), "👍");
    EXPECT_EQ(utf8_first(""), "");
}

TEST(CleanText, TableOfEdges) {
    struct Case {
        std::string input;
        TextRule rule;
        std::string code;     // "" = accepted
        std::string cleaned;  // when accepted
    };
    const TextRule title{"title", 3, 120};
    const TextRule name{"first_name", 1, 60};
    const TextRule comment{"comment", 0, 1000, true};
    const Case cases[] = {
        {"  Le Cid  ", title, "", "Le Cid"},
        {"Ab", title, "too_short", ""},
        {"Abé", title, "", "Abé"},  // 3 characters, 4 bytes
        {"   ", title, "required", ""},
        {std::string(120, 'x'), title, "", std::string(120, 'x')},
        {std::string(121, 'x'), title, "too_long", ""},
        // 60 accented letters = 120 bytes: within a 60-character limit.
        {[] {
             std::string s;
             for (int i = 0; i < 60; ++i) s += "é";
             return s;
         }(),
         name, "", ""},
        {[] {
             std::string s;
             for (int i = 0; i < 61; ++i) s += "é";
             return s;
         }(),
         name, "too_long", ""},
        // 60 emoji = 240 bytes: still 60 characters.
        {[] {
             std::string s;
             for (int i = 0; i < 60; ++i) s += "😀";
             return s;
         }(),
         name, "", ""},
        {[] {
             std::string s;
             for (int i = 0; i < 61; ++i) s += "😀";
             return s;
         }(),
         name, "too_long", ""},
        {"Amina\x07", name, "control_character", ""},
        {"Ami\nna", name, "control_character", ""},
        {"Ami\u202Ena", name, "control_character", ""},    // right-to-left override
        {"Ami\xC2\x85na", name, "control_character", ""},  // C1 NEL
        {"Ami\x7Fna", name, "control_character", ""},
        {"Am\xE9lie", name, "invalid_utf8", ""},  // Latin-1 bytes, not UTF-8
        // Invisible or reserved characters, alone or inside a name (issue 12, item 4).
        {"\u200B", name, "invisible_character", ""},        // zero-width space
        {"Ami\u200Bna", name, "invisible_character", ""},   // hidden inside
        {"\u2060", name, "invisible_character", ""},        // word joiner
        {"Ami\u00ADna", name, "invisible_character", ""},   // soft hyphen
        {"\u3164", name, "invisible_character", ""},        // Hangul filler
        {"\uFFA0", name, "invisible_character", ""},        // half-width Hangul filler
        {"\u0301", name, "invisible_character", ""},        // a combining acute accent on nothing
        {"Ami \u0301na", name, "invisible_character", ""},  // …or on a space
        {"\uE000", name, "invisible_character", ""},        // private use
        {"\U000F0000", name, "invisible_character", ""},    // supplementary private use
        {"\xEF\xBF\xBF", name, "invisible_character", ""},  // U+FFFF, a noncharacter
        {"\uFDD0", name, "invisible_character", ""},        // a noncharacter
        // …while what people do write stays: a combining accent on its letter, ZWJ in an emoji
        // family, a heart with its variation selector, Vietnamese, Arabic, Chinese.
        {"Ame\u0301lie", name, "", "Ame\u0301lie"},
        {"\U0001F468\u200D\U0001F469\u200D\U0001F467 Diallo", name, "",
         "\U0001F468\u200D\U0001F469\u200D\U0001F467 Diallo"},
        {"Ngô", name, "", "Ngô"},
        {"\u0622\u0645\u0646\u0629", name, "", "\u0622\u0645\u0646\u0629"},
        {"\u738B", name, "", "\u738B"},
        {"ligne 1\r\nligne 2\tfin", comment, "", "ligne 1\nligne 2\tfin"},
        // Names and titles need a letter or a digit somewhere (needs_letter); other texts do not.
        {"...", TextRule{"title", 3, 120, false, true}, "no_visible_letter", ""},
        {"\u2764\uFE0F\u2764\uFE0F\u2764\uFE0F", TextRule{"title", 3, 120, false, true}, "no_visible_letter", ""},
        {"\U0001F600", TextRule{"first_name", 1, 60, false, true}, "no_visible_letter", ""},
        {"- \u00B7 -", TextRule{"last_name", 1, 60, false, true}, "no_visible_letter", ""},
        {"1984", TextRule{"title", 3, 120, false, true}, "", "1984"},
        {"Œuvre", TextRule{"title", 3, 120, false, true}, "", "Œuvre"},
        {"\u00C9", TextRule{"first_name", 1, 60, false, true}, "", "\u00C9"},
        {"...", comment, "", "..."},
        {"", comment, "", ""},
        {"👨‍👩‍👧", name, "", "👨‍👩‍👧"},  // ZWJ sequence kept (joiners are not controls)
    };
    for (const auto& c : cases) {
        const auto r = clean_text(c.input, c.rule);
        EXPECT_EQ(code_of(r), c.code) << c.input;
        if (c.code.empty() && !c.cleaned.empty()) {
            EXPECT_EQ(r.value, c.cleaned);
        }
        if (!c.code.empty()) {
            EXPECT_EQ(r.refusal->field, c.rule.field);
        }
    }
}

// --- Password, phone ----------------------------------------------------------

TEST(Password, AtLeastTwelveCharacters) {
    EXPECT_EQ(code_of(validate_password("onze-carac.")), "password_too_short");  // 11
    EXPECT_EQ(code_of(validate_password("douze-caract")), "");                   // 12
    EXPECT_EQ(code_of(validate_password("éàèùâêîôûçëï")), "");                   // 12 characters, 24 bytes
    EXPECT_EQ(code_of(validate_password("ééééééééééé")), "password_too_short");  // 11 characters, 22 bytes
    EXPECT_EQ(code_of(validate_password(std::string(257, 'a'))), "password_too_long");
    EXPECT_EQ(validate_password("short")->field, "password");
}

TEST(Password, FewerThanFiveDifferentCharactersIsWeak) {
    EXPECT_EQ(code_of(validate_password("aaaaaaaaaaaa")), "weak_password");  // the example
    EXPECT_EQ(code_of(validate_password("abababababab")), "weak_password");
    EXPECT_EQ(code_of(validate_password("121212121212")), "weak_password");
    EXPECT_EQ(code_of(validate_password("éééééééééééé")), "weak_password");  // by code point, not byte
    EXPECT_EQ(code_of(validate_password("abcdabcdabcd")), "weak_password");  // 4 different
    EXPECT_EQ(code_of(validate_password("abcdeabcdeab")), "");               // 5 different: the boundary
    EXPECT_EQ(code_of(validate_password("ééééàààèèèùù")), "weak_password");  // 4 different, 2-byte each
    EXPECT_EQ(code_of(validate_password("ééééàààèèèùû")), "");
    EXPECT_EQ(validate_password("aaaaaaaaaaaa")->field, "password");
}

TEST(Phone, NormalisesFrenchNumbers) {
    struct Case {
        std::string input, e164;
    };
    const Case ok[] = {
        {"06 12 34 56 78", "+33612345678"},
        {"0612345678", "+33612345678"},
        {"06.12.34.56.78", "+33612345678"},
        {"06-12-34-56-78", "+33612345678"},
        {"+33 6 12 34 56 78", "+33612345678"},
        {"+33612345678", "+33612345678"},
        {"0033 6 12 34 56 78", "+33612345678"},
        {"+33 (0)6 12 34 56 78", "+33612345678"},
        {"01 44 55 66 77", "+33144556677"},
        {"0690 12 34 56", "+590690123456"},
        {"0692 12 34 56", "+262692123456"},
        {"+262 692 12 34 56", "+262692123456"},
        {" 06\u00A012\u00A034\u00A056\u00A078 ", "+33612345678"},
    };
    for (const auto& c : ok) {
        const auto r = normalize_phone_fr(c.input);
        EXPECT_TRUE(r.ok()) << c.input;
        EXPECT_EQ(r.value, c.e164) << c.input;
    }
    for (const char* bad : {"", "06 12 34 56", "06 12 34 56 789", "00 12 34 56 78", "+44 20 7946 0958",
                            "+33 0 12 34 56 78", "06 12 34 56 7a", "6 12 34 56 78", "+33 6 12 34 56"}) {
        const auto r = normalize_phone_fr(bad);
        EXPECT_EQ(code_of(r), "invalid_phone") << bad;
    }
    EXPECT_EQ(format_phone_fr("+33612345678"), "06 12 34 56 78");
    EXPECT_EQ(format_phone_fr("+590690123456"), "06 90 12 34 56");
}

// --- Postal codes, départements ----------------------------------------------

TEST(Departements, ExactlyTheHundredAndOneCodes) {
    const auto all = all_departements();
    EXPECT_EQ(all.size(), 101u);
    std::set<std::string_view> codes;
    for (const auto& d : all) {
        codes.insert(d.code);
        EXPECT_FALSE(d.name_fr.empty());
        EXPECT_TRUE(is_departement_code(d.code));
    }
    EXPECT_EQ(codes.size(), 101u);
    for (const char* code : {"01", "19", "2A", "2B", "21", "95", "971", "972", "973", "974", "976"})
        EXPECT_TRUE(is_departement_code(code)) << code;
    for (const char* code : {"00", "20", "96", "975", "977", "98", "2a", "1", "", "100"})
        EXPECT_FALSE(is_departement_code(code)) << code;
    EXPECT_EQ(departement_name("2A"), "Corse-du-Sud");
    EXPECT_EQ(departement_name("974"), "La Réunion");
    EXPECT_EQ(departement_name("21"), "Côte-d’Or");
    EXPECT_TRUE(is_overseas("976"));
    EXPECT_FALSE(is_overseas("75"));
}

TEST(PostalCode, MapsToDepartement) {
    struct Case {
        std::string postal, dep;
    };
    const Case cases[] = {
        {"75011", "75"},
        {"01000", "01"},
        {"13001", "13"},
        {"95000", "95"},
        {"20000", "2A"},
        {"20090", "2A"},
        {"20167", "2A"},
        {"20199", "2A"},
        {"20200", "2B"},
        {"20290", "2B"},
        {"20600", "2B"},
        {"20699", "2B"},
        {"97110", "971"},
        {"97200", "972"},
        {"97300", "973"},
        {"97400", "974"},
        {"97600", "976"},
        {" 69001 ", "69"},
        // refused
        {"20700", ""},
        {"20900", ""},
        {"97500", ""},
        {"97700", ""},
        {"98000", ""},
        {"00100", ""},
        {"96000", ""},
        {"7501", ""},
        {"750011", ""},
        {"75 011", ""},
        {"A5011", ""},
        {"", ""},
    };
    for (const auto& c : cases) {
        const auto r = departement_from_postal_code(c.postal);
        if (c.dep.empty()) {
            EXPECT_EQ(code_of(r), "invalid_postal_code") << c.postal;
            EXPECT_EQ(r.refusal->field, "postal_code");
        } else {
            EXPECT_TRUE(r.ok()) << c.postal;
            EXPECT_EQ(r.value, c.dep) << c.postal;
        }
    }
    EXPECT_FALSE(validate_territory("2B"));
    EXPECT_EQ(code_of(validate_territory("20")), "invalid_territory");
}

// --- Enumerations ------------------------------------------------------------

TEST(Enums, CategoriesHaveCodesAndFrenchLabels) {
    EXPECT_EQ(enum_table<Category>().size(), 17u);
    EXPECT_EQ(to_code(Category::SportEvent), "sport_event");
    EXPECT_EQ(label_fr(Category::Theatre), "théâtre");
    EXPECT_EQ(label_fr(Category::YoungAudience), "jeune public");
    EXPECT_EQ(from_code<Category>("opera"), Category::Opera);
    EXPECT_FALSE(from_code<Category>("Opera"));
    for (const auto& e : enum_table<Category>()) EXPECT_EQ(from_code<Category>(e.code), e.value);
    EXPECT_EQ(code_of(parse_category("théâtre")), "invalid_category");
    EXPECT_EQ(parse_pickup_mode("e_ticket").value, PickupMode::ETicket);
    EXPECT_EQ(code_of(parse_pickup_mode("email")), "invalid_pickup_mode");
    EXPECT_EQ(parse_allocation("ballot").value, AllocationMode::Ballot);
    EXPECT_EQ(to_code(BookingStatus::LateCancelled), "late_cancelled");
    EXPECT_EQ(to_code(Role::SocialWorker), "social_worker");
    EXPECT_EQ(parse_accessibility_key("hearing").value, AccessibilityFlags_Hearing);
    EXPECT_EQ(code_of(parse_accessibility_key("stairs")), "invalid_accessibility");
    EXPECT_EQ(accessibility_keys().size(), 4u);
}

// --- Offers ---------------------------------------------------------------------

TEST(Offer, ValidatesEveryField) {
    OfferDraft ok{"  Le Cid ", "Tragi-comédie.\r\nDurée 2 h.", "theatre",
                  12,          AccessibilityFlags_Wheelchair,  "guest_list"};
    EXPECT_EQ(codes_of(validate_offer(ok)), "");
    EXPECT_EQ(ok.title, "Le Cid");
    EXPECT_EQ(ok.description, "Tragi-comédie.\nDurée 2 h.");

    OfferDraft bad{"Ci", std::string(4001, 'x'), "theater", 19, 1u << 7, "box_office"};
    EXPECT_EQ(codes_of(validate_offer(bad)),
              "title:too_short description:too_long category:invalid_category min_age:min_age_out_of_range "
              "accessibility:invalid_accessibility pickup_mode:invalid_pickup_mode");
    OfferDraft edge{"Abc", std::string(4000, 'x'), "young_audience", 0, AccessibilityFlags_All, "printed"};
    EXPECT_EQ(codes_of(validate_offer(edge)), "");
    edge.min_age = -1;
    EXPECT_EQ(codes_of(validate_offer(edge)), "min_age:min_age_out_of_range");
}

TEST(Offer, StatusTransitions) {
    using S = OfferStatus;
    EXPECT_FALSE(check_offer_transition(S::Draft, S::Pending));
    EXPECT_FALSE(check_offer_transition(S::Pending, S::Published));
    EXPECT_FALSE(check_offer_transition(S::Pending, S::Rejected));
    EXPECT_FALSE(check_offer_transition(S::Rejected, S::Draft));
    EXPECT_FALSE(check_offer_transition(S::Published, S::Archived));
    EXPECT_EQ(code_of(check_offer_transition(S::Draft, S::Published)), "invalid_transition");
    EXPECT_EQ(code_of(check_offer_transition(S::Archived, S::Draft)), "invalid_transition");
    EXPECT_EQ(code_of(check_offer_transition(S::Published, S::Pending)), "invalid_transition");
    EXPECT_EQ(code_of(clean_reject_reason("no")), "too_short");
    EXPECT_TRUE(clean_reject_reason("Photo manquante.").ok());
}

// --- Organisations, venues -----------------------------------------------------

TEST(Organisation, SignUpForm) {
    OrganisationDraft ok{"structure", " CCAS de Lyon ", "69", " Relais@CCAS.fr ", "motdepasse-long", "Nadia B."};
    EXPECT_EQ(codes_of(validate_organisation(ok)), "");
    EXPECT_EQ(ok.name, "CCAS de Lyon");
    EXPECT_EQ(ok.contact_email, "relais@ccas.fr");
    OrganisationDraft bad{"club", "X", "20", "pas-un-mail", "court", ""};
    EXPECT_EQ(codes_of(validate_organisation(bad)),
              "kind:invalid_kind name:too_short territory:invalid_territory contact.email:invalid_email "
              "contact.password:password_too_short contact.display_name:required");
}

TEST(Venue, PostalCodeMustBeInTerritory) {
    VenueDraft ok{"Théâtre de Bastia", "Rue Favalelli", "20200", "2B", AccessibilityFlags_Wheelchair};
    EXPECT_EQ(codes_of(validate_venue(ok)), "");
    VenueDraft mismatch{"Théâtre", "1 rue de la Paix", "20200", "2A", 0};
    EXPECT_EQ(codes_of(validate_venue(mismatch)), "postal_code:postal_code_territory_mismatch");
    VenueDraft bad{"T", "rue", "2020", "2C", 0};
    EXPECT_EQ(codes_of(validate_venue(bad)),
              "name:too_short address:too_short postal_code:invalid_postal_code territory:invalid_territory");
}

// --- Sessions ---------------------------------------------------------------------

TEST(Session, DefaultsAndBounds) {
    const UnixSeconds now = 1'780'000'000;
    const UnixSeconds start = now + 10 * kDay;
    const TerritorySettings settings;

    SessionDraft d{start, 120, 30};
    EXPECT_EQ(codes_of(validate_session(d, now, settings)), "");
    EXPECT_EQ(d.max_per_booking, 2);
    EXPECT_EQ(d.closes_at, start - 24 * kHour);
    EXPECT_FALSE(d.draw_at);

    struct Case {
        SessionDraft draft;
        std::string codes;
    };
    const Case cases[] = {
        {{start, 0, 30}, "duration_min:duration_out_of_range"},
        {{start, 1, 1}, ""},
        {{start, 1440, 10000}, ""},
        {{start, 1441, 10001}, "duration_min:duration_out_of_range capacity:capacity_out_of_range"},
        {{start, 60, 0}, "capacity:capacity_out_of_range"},
        {{start, 60, 5, 0}, "max_per_booking:max_per_booking_out_of_range"},
        {{start, 60, 5, 10}, ""},
        {{start, 60, 5, 11}, "max_per_booking:max_per_booking_out_of_range"},
        // closes_at: at the latest start − 2 h, to the second.
        {{start, 60, 5, 2, std::nullopt, start - 2 * kHour}, ""},
        {{start, 60, 5, 2, std::nullopt, start - 2 * kHour + 1}, "closes_at:closes_at_too_late"},
        {{start, 60, 5, 2, std::nullopt, now}, "closes_at:closes_at_in_past"},
        {{start, 60, 5, 2, start - 3 * kDay, start - 4 * kDay}, "closes_at:closes_at_before_opens_at"},
        // start must leave time to book.
        {{now + 2 * kHour, 60, 5}, "start_local:start_too_soon"},
        // …and come within two years (731 days, to the second): 9999-12-31 is a slip.
        {{now + 731 * kDay, 60, 5}, ""},
        {{now + 731 * kDay + 1, 60, 5}, "start_local:start_too_far"},
        {{253402214400, 60, 5}, "start_local:start_too_far"},
        // ballot: draw_at required, in the future, before closes_at.
        {{start, 60, 5, 2, std::nullopt, std::nullopt, AllocationMode::Ballot}, "draw_at:draw_at_required"},
        {{start, 60, 5, 2, std::nullopt, std::nullopt, AllocationMode::Ballot, start - 2 * kDay}, ""},
        {{start, 60, 5, 2, std::nullopt, std::nullopt, AllocationMode::Ballot, start - 24 * kHour},
         "draw_at:draw_at_not_before_closes_at"},
        {{start, 60, 5, 2, std::nullopt, std::nullopt, AllocationMode::Ballot, now}, "draw_at:draw_at_in_past"},
        {{start, 60, 5, 2, start - 3 * kDay, std::nullopt, AllocationMode::Ballot, start - 4 * kDay},
         "draw_at:draw_at_before_opens_at"},
    };
    for (const auto& c : cases) {
        SessionDraft draft = c.draft;
        EXPECT_EQ(codes_of(validate_session(draft, now, settings)), c.codes)
            << "duration " << c.draft.duration_min << " capacity " << c.draft.capacity;
    }
}

TEST(Session, LastMinuteDonationClosesTwoHoursBefore) {
    const UnixSeconds now = 1'780'000'000;
    SessionDraft d{now + 10 * kHour, 90, 4};
    EXPECT_EQ(codes_of(validate_session(d, now, TerritorySettings{})), "");
    EXPECT_EQ(d.closes_at, now + 8 * kHour);
    SessionDraft first_come_with_draw{now + 10 * kDay,           90,        4, 2, std::nullopt, std::nullopt,
                                      AllocationMode::FirstCome, now + kDay};
    validate_session(first_come_with_draw, now, TerritorySettings{});
    EXPECT_FALSE(first_come_with_draw.draw_at);
}

TEST(Session, CapacityLoweredOnlyDownToPlacesHeld) {
    EXPECT_FALSE(check_capacity_change(20, 12));
    EXPECT_FALSE(check_capacity_change(12, 12));
    EXPECT_EQ(code_of(check_capacity_change(11, 12)), "capacity_below_held");
    EXPECT_EQ(check_capacity_change(11, 12)->field, "capacity");
    EXPECT_EQ(code_of(check_capacity_change(0, 0)), "capacity_out_of_range");
    EXPECT_EQ(code_of(check_capacity_change(10001, 0)), "capacity_out_of_range");
}

// --- Beneficiaries, feedback, settings -------------------------------------------

TEST(Beneficiary, Fields) {
    BeneficiaryDraft ok{" Amina ", "Kaci", 1988, "93200", 4, "06 12 34 56 78", "arabe"};
    EXPECT_EQ(codes_of(validate_beneficiary(ok, 2026)), "");
    EXPECT_EQ(ok.first_name, "Amina");
    EXPECT_EQ(ok.phone, "+33612345678");

    BeneficiaryDraft no_phone{"Zoé", "Ñúñez 😀", std::nullopt, "97400", 15, "  ", ""};
    EXPECT_EQ(codes_of(validate_beneficiary(no_phone, 2026)), "");
    EXPECT_EQ(no_phone.phone, "");

    BeneficiaryDraft bad{"", std::string(61, 'k'), 1905, "99999", 16, "12", std::string(41, 'x')};
    EXPECT_EQ(codes_of(validate_beneficiary(bad, 2026)),
              "first_name:required last_name:too_long birth_year:birth_year_out_of_range "
              "postal_code:invalid_postal_code household_size:household_size_out_of_range phone:invalid_phone "
              "preferred_language:too_long");
    for (int year : {1906, 2026}) {
        BeneficiaryDraft b{"A", "B", year, "75001", 1};
        EXPECT_EQ(codes_of(validate_beneficiary(b, 2026)), "") << year;
    }
    BeneficiaryDraft future{"A", "B", 2027, "75001", 0};
    EXPECT_EQ(codes_of(validate_beneficiary(future, 2026)),
              "birth_year:birth_year_out_of_range household_size:household_size_out_of_range");
}

TEST(Feedback, Fields) {
    FeedbackDraft ok{"partly", 4, "Très bien, merci\u00A0!"};
    EXPECT_EQ(codes_of(validate_feedback(ok)), "");
    FeedbackDraft no_rating{"no", std::nullopt, ""};
    EXPECT_EQ(codes_of(validate_feedback(no_rating)), "");
    FeedbackDraft bad{"maybe", 6, std::string(1001, 'x')};
    EXPECT_EQ(codes_of(validate_feedback(bad)), "went:invalid_went rating:rating_out_of_range comment:too_long");
    FeedbackDraft zero{"yes", 0, std::string(1000, 'x')};
    EXPECT_EQ(codes_of(validate_feedback(zero)), "rating:rating_out_of_range");
}

TEST(Settings, DefaultsAreDomainDefaultsAndValid) {
    const TerritorySettings s;
    EXPECT_EQ(s.share_percent, 25);
    EXPECT_EQ(s.release_hours_before_close, 48);
    EXPECT_EQ(s.max_upcoming_bookings, 3);
    EXPECT_EQ(s.no_show_limit, 3);
    EXPECT_EQ(s.no_show_window_days, 180);
    EXPECT_EQ(s.pause_days, 60);
    EXPECT_EQ(s.default_max_per_booking, 2);
    EXPECT_EQ(s.default_close_hours_before_start, 24);
    EXPECT_EQ(s.erase_after_months, 24);
    EXPECT_TRUE(validate_settings(s).empty());
    TerritorySettings bad;
    bad.share_percent = 0;
    bad.default_close_hours_before_start = 1;
    EXPECT_EQ(codes_of(validate_settings(bad)),
              "share_percent:setting_out_of_range default_close_hours_before_start:setting_out_of_range");
}

// --- Ticketing-network feed (API.md) -------------------------------------------

TEST(Feed, ExtIdIsOneToSixtyFourSafeCharacters) {
    for (const char* ok : {"a", "SEANCE-2026-12-05:20h30", "lieu_12.salle-B", "0"})
        EXPECT_EQ(code_of(validate_ext_id(ok)), "") << ok;
    EXPECT_EQ(code_of(validate_ext_id(std::string(64, 'x'))), "");
    for (const std::string& bad :
         {std::string(), std::string(65, 'x'), std::string("espace interdite"), std::string("séance"),
          std::string("a/b"), std::string("a\nb"), std::string("a%20b"), std::string("x\0y", 3)})
        EXPECT_EQ(code_of(validate_ext_id(bad)), "invalid_ext_id") << bad;
    auto r = validate_ext_id("", "venue_ext_id");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->field, "venue_ext_id");
}

TEST(Feed, ScopesKindsOpsAndVersions) {
    EXPECT_EQ(parse_api_key_scope("feed:write").value, ApiKeyScope_FeedWrite);
    EXPECT_EQ(parse_api_key_scope("feed:read").value, ApiKeyScope_FeedRead);
    EXPECT_EQ(parse_api_key_scope("webhooks").value, ApiKeyScope_Webhooks);
    EXPECT_EQ(code_of(parse_api_key_scope("feed:*")), "invalid_scope");
    EXPECT_EQ(code_of(parse_api_key_scope("FEED:WRITE")), "invalid_scope");
    EXPECT_EQ(api_key_scope_codes(ApiKeyScope_FeedRead | ApiKeyScope_Webhooks),
              (std::vector<std::string>{"feed:read", "webhooks"}));
    EXPECT_TRUE(api_key_scope_codes(0).empty());

    for (auto kind : {FeedKind::Venue, FeedKind::Offer, FeedKind::Session})
        EXPECT_EQ(parse_feed_kind(to_code(kind)).value, kind);
    EXPECT_EQ(code_of(parse_feed_kind("ticket")), "validation");
    EXPECT_EQ(code_of(validate_batch_op("put")), "");
    EXPECT_EQ(code_of(validate_batch_op("delete")), "validation");
    EXPECT_EQ(code_of(validate_source_version(0)), "");
    EXPECT_EQ(code_of(validate_source_version(1733150000123)), "");
    EXPECT_EQ(code_of(validate_source_version(-1)), "invalid_source_version");
    for (const char* code : {"invalid_ext_id", "invalid_scope", "invalid_source_version", "invalid_batch_line",
                             "batch_too_large", "session_has_bookings", "idempotency_key_reused"})
        EXPECT_NE(find_error_code(code), nullptr) << code;
}

TEST(Feed, APublishedOfferGoesBackToModerationOnCategoryOrAge) {
    OfferDraft after{"Le Misanthrope", "", "theatre", 12, AccessibilityFlags_None, "guest_list"};
    EXPECT_FALSE(published_offer_edit_needs_review("theatre", 12, after));
    after.title = "Le Misanthrope, reprise";
    EXPECT_FALSE(published_offer_edit_needs_review("theatre", 12, after));
    after.category = "comedy";
    EXPECT_TRUE(published_offer_edit_needs_review("theatre", 12, after));
    after.category = "theatre";
    after.min_age = 10;
    EXPECT_TRUE(published_offer_edit_needs_review("theatre", 12, after));
}

// --- Webhooks of the feed (API.md) ---------------------------------------------

namespace {
// The refusal of a URL, "" when accepted.
std::string url_code(std::string_view url, bool allow_private = false) {
    return code_of(parse_webhook_url(url, allow_private));
}
bool v4_forbidden(unsigned a, unsigned b, unsigned c, unsigned d) {
    const unsigned char bytes[4] = {static_cast<unsigned char>(a), static_cast<unsigned char>(b),
                                    static_cast<unsigned char>(c), static_cast<unsigned char>(d)};
    return webhook_address_forbidden(bytes, 4);
}
}  // namespace

TEST(Webhooks, UrlsAreHttpsToPublicHostsUnlessPrivateIsAllowed) {
    auto u = parse_webhook_url("https://hooks.reseau.example:8443/uneplace/in?x=1", false);
    ASSERT_TRUE(u.ok());
    EXPECT_TRUE(u.value.https);
    EXPECT_EQ(u.value.host, "hooks.reseau.example");
    EXPECT_EQ(u.value.port, 8443);
    EXPECT_EQ(u.value.target, "/uneplace/in?x=1");
    EXPECT_EQ(parse_webhook_url("https://hooks.example", false).value.target, "/");
    EXPECT_EQ(parse_webhook_url("https://[2606:4700::1111]/h", false).value.host, "2606:4700::1111");
    EXPECT_EQ(url_code("https://93.184.216.34/h"), "");

    for (const char* forbidden : {"http://hooks.example/h",
                                  "ftp://hooks.example/",
                                  "https://127.0.0.1/h",
                                  "https://10.1.2.3/",
                                  "https://172.16.0.1/",
                                  "https://192.168.1.1/",
                                  "https://169.254.169.254/latest/meta-data",
                                  "https://100.64.0.1/",
                                  "https://0.0.0.0/",
                                  "https://224.0.0.1/",
                                  "https://255.255.255.255/",
                                  "https://[::1]/",
                                  "https://[::]/",
                                  "https://[fe80::1]/",
                                  "https://[fd00::1]/",
                                  "https://[ff02::1]/",
                                  "https://[::ffff:127.0.0.1]/",
                                  "https://[::ffff:10.0.0.1]/",
                                  "https://[64:ff9b::a00:1]/",
                                  "https://localhost/",
                                  "https://api.LOCALHOST/"})
        EXPECT_EQ(url_code(forbidden), "webhook_url_forbidden") << forbidden;
    for (const char* malformed :
         {"", "hooks.example/h", "https://", "https://user:pw@hooks.example/", "https://hooks.example/#frag",
          "https://hooks example/", "https://hooks.example:0/", "https://hooks.example:70000/",
          "https://hooks.example:/", "https://[::1/", "https://0x7f.1/", "https://017.0.0.1/", "https://2130706433/",
          "https://héberge.example/"})
        EXPECT_EQ(url_code(malformed), "invalid_webhook_url") << malformed;

    // --webhooks-allow-private (tests): plain http and local addresses.
    auto local = parse_webhook_url("http://127.0.0.1:8099/hook", true);
    ASSERT_TRUE(local.ok());
    EXPECT_FALSE(local.value.https);
    EXPECT_EQ(local.value.port, 8099);
    EXPECT_EQ(url_code("https://[::1]:9/", true), "");
}

TEST(Webhooks, AddressesOfEveryReservedRangeAreForbidden) {
    EXPECT_FALSE(v4_forbidden(93, 184, 216, 34));
    EXPECT_FALSE(v4_forbidden(100, 63, 255, 255));  // just below CGNAT
    EXPECT_TRUE(v4_forbidden(100, 64, 0, 0));
    EXPECT_TRUE(v4_forbidden(100, 127, 255, 255));
    EXPECT_FALSE(v4_forbidden(100, 128, 0, 0));
    EXPECT_FALSE(v4_forbidden(172, 15, 0, 1));
    EXPECT_TRUE(v4_forbidden(172, 31, 255, 255));
    EXPECT_FALSE(v4_forbidden(172, 32, 0, 1));
    EXPECT_TRUE(v4_forbidden(198, 18, 0, 1));
    EXPECT_TRUE(v4_forbidden(239, 255, 255, 250));
    unsigned char v6[16] = {0x20, 0x01, 0x48, 0x60};  // 2001:4860:: — public
    EXPECT_FALSE(webhook_address_forbidden(v6, 16));
    unsigned char mapped_public[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 93, 184, 216, 34};
    EXPECT_FALSE(webhook_address_forbidden(mapped_public, 16));
    unsigned char mapped_private[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 0, 1};
    EXPECT_TRUE(webhook_address_forbidden(mapped_private, 16));
    unsigned char six_to_four_loopback[16] = {0x20, 0x02, 127, 0, 0, 1};
    EXPECT_TRUE(webhook_address_forbidden(six_to_four_loopback, 16));
    EXPECT_TRUE(webhook_address_forbidden(v6, 3));  // neither IPv4 nor IPv6
}

TEST(Webhooks, EventTypesAndTheRetrySchedule) {
    unsigned all = 0;
    for (const char* type : kWebhookEventTypes) {
        auto parsed = parse_webhook_event(type);
        ASSERT_TRUE(parsed.ok()) << type;
        all |= parsed.value;
    }
    EXPECT_EQ(webhook_event_codes(all).size(), std::size(kWebhookEventTypes));
    EXPECT_EQ(webhook_event_codes(webhook_event_bit("session.full")), std::vector<std::string>{"session.full"});
    EXPECT_EQ(code_of(parse_webhook_event("booking.*")), "invalid_event_type");
    EXPECT_EQ(webhook_event_bit("ping"), 0u);
    // API.md: 5 s, 30 s, 2 min, 10 min, 1 h, 4 h, 12 h, 24 h, then failed.
    const long long expected[] = {5, 30, 120, 600, 3600, 14400, 43200, 86400};
    for (int i = 0; i < 8; ++i) EXPECT_EQ(webhook_retry_delay(i + 1), expected[i]) << i;
    EXPECT_EQ(webhook_retry_delay(kWebhookMaxAttempts), std::nullopt);
    EXPECT_EQ(webhook_retry_delay(0), std::nullopt);
    for (const char* code : {"invalid_webhook_url", "webhook_url_forbidden", "invalid_event_type", "webhook_disabled"})
        EXPECT_NE(find_error_code(code), nullptr) << code;
}

// --- The error-code table -------------------------------------------------------

TEST(ErrorCodes, EveryCodeOfTheDomainAndApiHasAFrenchMessage) {
    const char* required[] = {
        // API.md
        "bad_json",
        "validation",
        "unauthorized",
        "forbidden",
        "not_found",
        "conflict",
        "rate_limited",
        "payload_too_large",
        "unavailable",
        "invalid_credentials",
        "account_pending",
        "account_suspended",
        "account_inactive",
        // DOMAIN.md rules
        "places_out_of_range",
        "booking_not_open",
        "booking_closed",
        "session_unavailable",
        "session_full",
        "structure_share_exceeded",
        "already_booked",
        "overlapping_booking",
        "too_many_upcoming",
        "beneficiary_paused",
        "age_restricted",
        "too_late_to_cancel",
        "invalid_code",
        "attendance_window_closed",
        "already_checked_in",
        "feedback_window_closed",
    };
    for (const char* code : required) {
        const ErrorCode* e = find_error_code(code);
        ASSERT_NE(e, nullptr) << code;
        EXPECT_NE(message_fr(code), message_fr("code_inconnu")) << code;
    }
    EXPECT_EQ(http_status_for("session_full"), 409);
    EXPECT_EQ(http_status_for("invalid_email"), 422);
    EXPECT_EQ(http_status_for("unauthorized"), 401);
    EXPECT_EQ(http_status_for("bad_json"), 400);
    EXPECT_EQ(http_status_for("payload_too_large"), 413);
    EXPECT_EQ(http_status_for("rate_limited"), 429);
    EXPECT_EQ(http_status_for("unavailable"), 503);
    EXPECT_EQ(http_status_for("not_found"), 404);
    EXPECT_EQ(http_status_for("forbidden"), 403);
    EXPECT_EQ(http_status_for("pas_un_code"), 500);
}

TEST(ErrorCodes, TableIsWellFormed) {
    std::set<std::string_view> seen;
    for (const auto& e : all_error_codes()) {
        EXPECT_TRUE(seen.insert(e.code).second) << "duplicate " << e.code;
        EXPECT_TRUE(is_valid_utf8(e.message_fr)) << e.code;
        EXPECT_FALSE(e.message_fr.empty()) << e.code;
        // Typographic apostrophes only; no plain space before a French double punctuation mark.
        EXPECT_EQ(e.message_fr.find('\''), std::string_view::npos) << e.code;
        for (const char* bad : {" :", " ;", " ?", " !", "« ", " »"})
            EXPECT_EQ(e.message_fr.find(bad), std::string_view::npos) << e.code << " has '" << bad << "'";
        const char last = e.message_fr.back();
        EXPECT_TRUE(last == '.' || last == ')') << e.code;
        EXPECT_TRUE(e.http_status >= 400 && e.http_status <= 599) << e.code;
    }
}

TEST(ErrorCodes, EveryCodeAValidatorCanReturnIsInTheTable) {
    // Everything the validators of this file produced in these inputs.
    std::vector<Refusal> all;
    OfferDraft o{"", std::string(5000, 'x'), "?", 99, 1u << 9, "?"};
    for (auto& r : validate_offer(o)) all.push_back(r);
    OrganisationDraft g{"?", "", "?", "?", "?", "\x01"};
    for (auto& r : validate_organisation(g)) all.push_back(r);
    BeneficiaryDraft b{"\xff", "", 1000, "?", 0, "?", ""};
    for (auto& r : validate_beneficiary(b, 2026)) all.push_back(r);
    FeedbackDraft f{"?", 9, ""};
    for (auto& r : validate_feedback(f)) all.push_back(r);
    TerritorySettings s;
    s.pause_days = -1;
    for (auto& r : validate_settings(s)) all.push_back(r);
    SessionDraft d{1000, 0, 0, 0, 10, 5, AllocationMode::Ballot};
    for (auto& r : validate_session(d, 0, {})) all.push_back(r);
    for (const auto& r : all) EXPECT_NE(find_error_code(r.code), nullptr) << r.code;
    EXPECT_GE(all.size(), 20u);
}

// The JSON strings the server's catalogue pages and the client's widget registry write by hand.
TEST(JsonString, EscapesWhatJsonRequiresAndKeepsTheRest) {
    auto json = [](std::string_view text) {
        std::string out;
        uneplace::append_json_string(out, text);
        return out;
    };
    EXPECT_EQ(json(""), "\"\"");
    EXPECT_EQ(json("Théâtre « Molière » — 20 h"), "\"Théâtre « Molière » — 20 h\"");
    EXPECT_EQ(json("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
    EXPECT_EQ(json("l1\nl2\r\tx\b\f"), "\"l1\\nl2\\r\\tx\\b\\f\"");
    EXPECT_EQ(json(std::string_view("\0\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
    EXPECT_EQ(json("😀"), "\"😀\"");
}

TEST(JsonString, EachByteThatStartsNoCharacterBecomesAReplacementCharacter) {
    auto json = [](std::string_view text) {
        std::string out;
        uneplace::append_json_string(out, text);
        return out;
    };
    EXPECT_EQ(json("a\xFFz"), "\"a\xEF\xBF\xBDz\"");                              // never UTF-8
    EXPECT_EQ(json("\xC3"), "\"\xEF\xBF\xBD\"");                                  // truncated é
    EXPECT_EQ(json("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // overlong '/', then a stray byte
    EXPECT_EQ(json("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a UTF-16 surrogate
    EXPECT_TRUE(uneplace::is_valid_utf8(json("\x80\xBF\xF8\xC3\xA9")));
    EXPECT_EQ(json("\x80\xC3\xA9"), "\"\xEF\xBF\xBD\xC3\xA9\"");  // the é after the stray byte survives
}
