// uneplace server — background work on one thread: ballot draws at draw_at, waitlist expiry at
// closes_at, reminders the day before, P1 erasure, housekeeping.
#pragma once
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app.hpp"

namespace uneplace::server {

// What one pass did (tests and logs).
struct SchedulerReport {
    int draws = 0;
    int served = 0;
    int expired_sessions = 0;
    int reminders = 0;
    int feedback_requests = 0;  // M4 messages queued
    int erased_beneficiaries = 0;
};

// One pass over everything due at app.now(). Each job runs in its own write transaction, so a
// pass never holds the write lock for long. Safe to call from any thread (the test hook does).
// `slow_jobs`: also P1 erasure and housekeeping, which scan whole tables (the thread runs them
// hourly, the test hook every time).
SchedulerReport run_scheduled_jobs(App& app, bool slow_jobs = true);

class Scheduler {
public:
    explicit Scheduler(App& app) : app_(app) {}
    ~Scheduler() { stop(); }
    void start();
    void stop();

private:
    App& app_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

}  // namespace uneplace::server
