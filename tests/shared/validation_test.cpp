#include <gtest/gtest.h>

#include "uneplace/validation.hpp"

using uneplace::validate_email;

TEST(ValidateEmail, AcceptsOrdinaryAddresses) {
    EXPECT_FALSE(validate_email("relais@demo.uneplace.test"));
    EXPECT_FALSE(validate_email("a.b-c@sous.domaine.fr"));
}

TEST(ValidateEmail, RefusesMalformedAddresses) {
    for (const char* bad : {"", "sans-arobase.fr", "@domaine.fr", "a@@b.fr", "a@b@c.fr", "a@domaine", "a@.fr",
                            "a@domaine.", "a b@c.fr"}) {
        auto r = validate_email(bad);
        ASSERT_TRUE(r) << bad;
        EXPECT_EQ(r->code, "invalid_email");
        EXPECT_EQ(r->field, "email");
    }
    EXPECT_TRUE(validate_email(std::string(250, 'a') + "@b.fr"));
}
