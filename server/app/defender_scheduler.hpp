#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "achilles/services/defender_sync_service.hpp"

namespace achilles::server {

struct DefenderSchedule {
  std::chrono::milliseconds scores_and_controls{6 * 60 * 60 * 1000};  // as the original
  std::chrono::milliseconds alerts{5 * 60 * 1000};
  std::chrono::milliseconds check{15 * 1000};  // how soon a new or removed configuration is noticed
};

// The Defender sync in the background (defender-spec §1.1, REC-26): a full
// sync as soon as the integration is configured (at start, or when it is
// saved later), then alerts every 5 minutes and scores and controls every 6
// hours; nothing while it is not configured. A pass that finds another sync
// running is skipped (REC-1). stop() wakes it and waits for a pass under way,
// whose Graph calls the owner cuts short (OutboundClient::abort_all).
class DefenderScheduler {
public:
  // `holds_lease`: asked before each round, renewing this instance's lease;
  // without it (another instance on the same cluster syncs) nothing runs.
  DefenderScheduler(DefenderSyncService& sync, std::function<bool()> configured, DefenderSchedule schedule = {},
                    std::function<bool()> holds_lease = [] { return true; });
  ~DefenderScheduler();
  DefenderScheduler(const DefenderScheduler&) = delete;
  DefenderScheduler& operator=(const DefenderScheduler&) = delete;

  void start();
  void request_stop();  // returns at once
  void stop();          // request_stop, then wait for the thread

private:
  void run();
  DefenderSyncService& sync_;
  std::function<bool()> configured_;
  std::function<bool()> holds_lease_;
  DefenderSchedule schedule_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace achilles::server
