// uneplace server — background work on one thread: ballot draws at draw_at, waitlist expiry at
// closes_at, reminders the day before, P1 erasure, housekeeping.
#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "app.hpp"

namespace uneplace::server {

// A thread that runs `pass` at once, then every `period`, until stop(). A pass that throws is
// logged under `name` and the next one runs anyway (a busy database must not end the thread).
// The scheduler and the mail worker both run on one.
class PeriodicThread {
public:
    ~PeriodicThread() { stop(); }
    void start(const char* name, std::chrono::seconds period, std::function<void()> pass);
    void stop();  // wakes the thread from its wait and joins it; a pass under way finishes first

private:
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

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
    void start();
    void stop() { thread_.stop(); }

private:
    App& app_;
    PeriodicThread thread_;
};

}  // namespace uneplace::server
