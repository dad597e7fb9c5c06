// uneplace server — the scheduler thread and its jobs.
//
// Index of this file:
// [SECTION] Jobs
// [SECTION] Thread
#include "scheduler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "mail.hpp"
#include "store.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Jobs
//-----------------------------------------------------------------------------

SchedulerReport run_scheduled_jobs(App& app, bool slow_jobs) {
    SchedulerReport report;
    // Order matters: a draw can put losers on the waitlist, which may then be served; expiry comes
    // after serving so a place freed just before closes_at is still given away.
    report.draws = run_due_draws(app);
    report.served = serve_open_waitlists(app);
    report.expired_sessions = expire_closed_waitlists(app);
    report.reminders = send_reminders(app);
    report.feedback_requests = queue_feedback_requests(app);
    if (slow_jobs) {
        report.erased_beneficiaries = erase_inactive_beneficiaries(app);
        housekeeping(app);
    }
    if (report.draws || report.served || report.expired_sessions || report.reminders || report.feedback_requests ||
        report.erased_beneficiaries)
        spdlog::info("scheduler draws={} served={} closed={} reminders={} feedback_requests={} erased={}", report.draws,
                     report.served, report.expired_sessions, report.reminders, report.feedback_requests,
                     report.erased_beneficiaries);
    return report;
}

//-----------------------------------------------------------------------------
// [SECTION] Thread
//-----------------------------------------------------------------------------

void PeriodicThread::start(const char* name, std::chrono::seconds period, std::function<void()> pass) {
    thread_ = std::thread([this, name, period, pass = std::move(pass)] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            try {
                pass();
            } catch (const std::exception& e) {
                spdlog::error("{} error={}", name, e.what());
            }
            lock.lock();
            wake_.wait_for(lock, period, [this] { return stopping_; });
        }
    });
}

void PeriodicThread::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Scheduler::start() {
    // The slow jobs (P1 erasure, housekeeping) once an hour, whatever the interval.
    const int slow_every = std::max(1, 3600 / std::max(1, app_.options.scheduler_interval_s));
    thread_.start("scheduler", std::chrono::seconds(app_.options.scheduler_interval_s),
                  [this, slow_every, tick = 0L]() mutable { run_scheduled_jobs(app_, tick++ % slow_every == 0); });
}

}  // namespace uneplace::server
