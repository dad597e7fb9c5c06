// The ticketing network's client (bench/network_partner.cpp, issue 15 item 6) at 500 sessions, as
// the test command runs it: its own real server (--demo --webhooks-allow-private), batches and
// single pushes, moves, cancellations, lower capacities, every request replayed, bookings made
// meanwhile, a webhook receiver checking every signature. It exits 1 on a lost event, a bad
// signature or a replay applied twice; its figures are printed for the log.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "harness.hpp"

namespace {

using namespace uneplace::test;

TEST(NetworkPartner, FiveHundredSessionsPushedNoEventLostEverySignatureVerified) {
    TempDir dir;
    const std::string out = (dir.path() / "out.txt").string();
    const std::string figures = (dir.path() / "figures.json").string();
    const std::string cmd = std::string("'") + UNEPLACE_NETWORK_PARTNER + "' --sessions 500 --server-binary '" +
                            binary_path() + "' --json '" + figures + "' > '" + out + "' 2>&1";
    const int status = std::system(cmd.c_str());
    std::ifstream text_in(out);
    const std::string text(std::istreambuf_iterator<char>(text_in), {});
    std::cout << text;  // the figures, in the test log
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << text;
    std::ifstream json_in(figures);
    const json f = json::parse(json_in, nullptr, false);
    ASSERT_TRUE(f.is_object()) << text;
    EXPECT_EQ(f["sessions"], 500);
    EXPECT_EQ(f["events_lost"], 0);
    EXPECT_EQ(f["bad_signatures"], 0);
    EXPECT_EQ(f["replay_mismatches"], 0);
    EXPECT_GT(f["feed_events"].get<int>(), 0);
    EXPECT_GT(f["bookings"].get<int>(), 0);
}

}  // namespace
