// Storage faults (issue 12, item 5): the disk fills up for real — a small tmpfs mounted by the
// test, filled with a file — and the server answers 503 `unavailable` with Retry-After, never 500;
// /healthz stays live while /readyz says the database takes no write; once the file is removed the
// same process serves writes again, and every write it acknowledged is in the file, intact.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstring>

#include "harness.hpp"

using namespace uneplace::test;

namespace {

// A tmpfs of `megabytes` mounted on a fresh directory (needs root: the test command runs as root
// on the project's machines), unmounted when the test ends.
class SmallDisk {
public:
    explicit SmallDisk(int megabytes) {
        const std::string options = "size=" + std::to_string(megabytes) + "m";
        mounted_ = ::mount("tmpfs", dir_.path().c_str(), "tmpfs", 0, options.c_str()) == 0;
        if (!mounted_) error_ = std::strerror(errno);
    }
    ~SmallDisk() {
        if (mounted_) ::umount2(dir_.path().c_str(), MNT_DETACH);
    }
    bool mounted() const { return mounted_; }
    const std::string& error() const { return error_; }
    std::filesystem::path file(const char* name) const { return dir_.path() / name; }

    // Writes a filler file until the disk refuses (ENOSPC), in large then page-sized steps, so
    // no page is left free. Returns the bytes written.
    std::size_t fill() {
        const int fd = ::open(file("filler").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd < 0) return 0;
        std::size_t total = 0;
        for (std::size_t step : {std::size_t{1} << 16, std::size_t{4096}, std::size_t{512}}) {
            const std::string chunk(step, 'x');
            for (;;) {
                const ssize_t n = ::write(fd, chunk.data(), chunk.size());
                if (n <= 0) break;
                total += static_cast<std::size_t>(n);
            }
        }
        ::close(fd);
        return total;
    }
    void clear() { std::filesystem::remove(file("filler")); }

private:
    TempDir dir_;
    bool mounted_ = false;
    std::string error_;
};

std::int64_t count_rows(const std::string& db_path, const std::string& sql) {
    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, sql);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

}  // namespace

TEST(StorageFaults, AFullDiskAnswers503NeverA500AndTheServerServesAgainOnceItClears) {
    if (geteuid() != 0) GTEST_SKIP() << "monter un tmpfs demande d’être root (la commande de test l’est)";
    SmallDisk disk(32);
    ASSERT_TRUE(disk.mounted()) << "mount tmpfs: " << disk.error();
    ServerProcess s({.extra_args = {"--login-rate", "100000"}, .db_path = disk.file("uneplace.db").string()});

    // Before the disk fills: a session and a beneficiary to book for later.
    Api worker = logged_in(kWorker, s);
    const std::int64_t session = fresh_session(s, {{"capacity", 50}});
    const std::int64_t beneficiary = new_beneficiary(worker);
    const std::string sessions_sql = "SELECT COUNT(*) FROM auth_sessions";
    Api admin = logged_in(kAdmin, s);
    EXPECT_EQ(metric(admin, "uneplace_storage_faults_total"), 0);  // present before any fault
    const std::int64_t sessions_before = count_rows(s.db_path(), sessions_sql);

    ASSERT_GT(disk.fill(), 0u);
    // Logins write a session row each. The log file may still have room from earlier writes, so
    // some are still kept; then one is refused — 503 with its code, its French message and
    // Retry-After — and none is ever a 500.
    int kept = 0;
    Reply refused;
    for (int i = 0; i < 5000 && refused.status == 0; ++i) {
        Reply r = Api(s).login(kWorker);
        if (r.status == 200) ++kept;
        else refused = r;
    }
    ASSERT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(refused.error_code(), "unavailable");
    EXPECT_NE(refused.json_body()["error"].value("message", "").find("rien n’a été enregistré"), std::string::npos);
    EXPECT_EQ(refused.header("Retry-After"), "5");

    // While it is full: a booking is refused the same way, the process is alive, not ready.
    Reply booking = book(worker, session, beneficiary);
    EXPECT_EQ(booking.status, 503) << booking.body;
    EXPECT_EQ(booking.error_code(), "unavailable");
    EXPECT_EQ(Api(s).get("/healthz").status, 200);
    Reply ready = Api(s).get("/readyz");
    EXPECT_EQ(ready.status, 503);
    EXPECT_FALSE(ready.header("Retry-After").empty());
    EXPECT_EQ(worker.get("/api/v1/catalogue").status, 200);  // reading needs no room

    // Room again: the same process takes writes, with no restart.
    disk.clear();
    EXPECT_EQ(Api(s).get("/readyz").status, 200);
    EXPECT_EQ(Api(s).login(kWorker).status, 200);
    ++kept;
    EXPECT_GE(metric(admin, "uneplace_storage_faults_total"), 2);  // the login and the booking refused
    booking = book(worker, session, beneficiary);
    ASSERT_EQ(booking.status, 201) << booking.body;
    EXPECT_TRUE(s.running());
    EXPECT_NE(s.log().find("storage fault"), std::string::npos);

    // Every login answered 200 is in the file, none of the refused ones, and the file is whole.
    ASSERT_EQ(s.stop(), 0);
    EXPECT_EQ(count_rows(s.db_path(), sessions_sql) - sessions_before, kept);
    SQLite::Database db(s.db_path(), SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

TEST(StorageFaults, KilledTenTimesDuringABookingStormLosesNoAcknowledgedBooking) {
    // One database file; ten times over, a server serves a storm of bookings from eight clients and
    // is killed with SIGKILL in the middle of it (no shutdown, no checkpoint), then restarted on
    // the same file. Every booking answered 201 must be in the file, confirmed; no session holds
    // more than its capacity; the file is intact.
    TempDir dir;
    const std::string db_path = (dir.path() / "uneplace.db").string();
    std::vector<std::int64_t> sessions, beneficiaries;
    {
        ServerProcess s({.extra_args = {"--login-rate", "100000"}, .db_path = db_path});
        Api admin = logged_in(kAdmin, s);
        Api partner = logged_in(kPartner, s);
        Api worker = logged_in(kWorker, s);
        // Fair share lifted in Paris, so that the places, not R4, decide.
        ASSERT_EQ(admin.request("PUT", "/api/v1/settings/75", json{{"share_percent", 100}}.dump()).status, 200);
        const auto offer = published_offer(partner, admin);
        for (int i = 0; i < 8; ++i)
            sessions.push_back(
                new_session(partner, offer, {{"capacity", 12}, {"start_local", local_start(10 + i)}})["session_id"]);
        for (int i = 0; i < 160; ++i) beneficiaries.push_back(new_beneficiary(worker));
    }
    std::mutex mutex;
    std::vector<std::int64_t> acknowledged;
    std::atomic<std::size_t> next{0};
    constexpr int kRounds = 10, kClients = 8;
    for (int round = 0; round < kRounds; ++round) {
        ServerProcess s({.extra_args = {"--login-rate", "100000"}, .db_path = db_path});
        std::atomic<int> round_acks{0};
        std::vector<std::thread> clients;
        for (int c = 0; c < kClients; ++c)
            clients.emplace_back([&] {
                Api worker(s);
                if (worker.login(kWorker).status != 200) return;
                for (;;) {
                    const std::size_t i = next++;
                    if (i >= beneficiaries.size() * sessions.size()) return;
                    // Each beneficiary in turn, each session in turn: R5 (one booking per person and
                    // session) and R7 refuse some, the places refuse others once they run out.
                    const Reply r = book(worker, sessions[i % sessions.size()],
                                         beneficiaries[(i / sessions.size() + i) % beneficiaries.size()]);
                    if (r.status == 0) return;  // the server is gone
                    EXPECT_TRUE(r.status == 201 || r.status == 409 || r.status == 422) << r.status << " " << r.body;
                    if (r.status == 201) {
                        std::lock_guard lock(mutex);
                        acknowledged.push_back(r.json_body()["id"].get<std::int64_t>());
                        ++round_acks;
                    }
                }
            });
        // Killed once the storm is under way (a few bookings made, most still to come).
        for (int w = 0; w < 3000 && round_acks < 3 && next < beneficiaries.size() * sessions.size(); ++w)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        ::kill(s.pid(), SIGKILL);
        for (auto& t : clients) t.join();
        EXPECT_EQ(s.stop(), 128 + SIGKILL);
    }
    ASSERT_FALSE(acknowledged.empty());

    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
    SQLite::Statement status(db, "SELECT status FROM bookings WHERE id = ?");
    for (const std::int64_t id : acknowledged) {
        status.reset();
        status.bind(1, id);
        ASSERT_TRUE(status.executeStep()) << "booking " << id << " answered 201 is not in the file";
        EXPECT_EQ(status.getColumn(0).getString(), "confirmed") << id;
    }
    SQLite::Statement over(
        db, "SELECT COUNT(*) FROM sessions s WHERE (SELECT COALESCE(SUM(b.places), 0) FROM bookings b"
            " WHERE b.session_id = s.id AND b.status IN ('confirmed', 'attended', 'no_show')) > s.capacity");
    ASSERT_TRUE(over.executeStep());
    EXPECT_EQ(over.getColumn(0).getInt64(), 0);
    RecordProperty("acknowledged_bookings", static_cast<int>(acknowledged.size()));
}
