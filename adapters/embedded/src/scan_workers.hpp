#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace achilles::embedded {

// Threads that stay up for the process's life and take the second half of
// large scans, instead of a thread started per question (tens of
// microseconds each, paid by every request). A half nobody has picked up yet
// when its asker finishes is run by the asker itself, so a scan never waits
// behind other requests' work when all workers are busy.
class ScanWorkers {
public:
  // One shared set, as many workers as cores beyond the asking thread.
  static ScanWorkers& shared();

  explicit ScanWorkers(unsigned workers);
  ~ScanWorkers();
  ScanWorkers(const ScanWorkers&) = delete;
  ScanWorkers& operator=(const ScanWorkers&) = delete;

  unsigned size() const { return static_cast<unsigned>(threads_.size()); }

  // Runs `first` here and `second` on a worker (or here, if none takes it
  // first); returns when both have run. Exceptions are the caller's to keep
  // out: scans do not throw.
  void both(const std::function<void()>& first, const std::function<void()>& second);

private:
  struct Job {
    const std::function<void()>* work;
    bool done = false;
    std::mutex mutex;
    std::condition_variable finished;
  };
  void serve();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace achilles::embedded
