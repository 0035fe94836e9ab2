#include "scan_workers.hpp"

#include <algorithm>

namespace achilles::embedded {

ScanWorkers& ScanWorkers::shared() {
  static ScanWorkers workers(std::max(1u, std::thread::hardware_concurrency()) - 1);
  return workers;
}

ScanWorkers::ScanWorkers(unsigned workers) {
  for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { serve(); });
}

ScanWorkers::~ScanWorkers() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void ScanWorkers::serve() {
  while (true) {
    Job* job = nullptr;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      job = queue_.front();  // popped under the lock: the asker now waits for it
      queue_.pop_front();
    }
    (*job->work)();
    std::lock_guard lock(job->mutex);
    job->done = true;
    job->finished.notify_one();
  }
}

void ScanWorkers::both(const std::function<void()>& first, const std::function<void()>& second) {
  if (threads_.empty()) {
    first();
    second();
    return;
  }
  Job job;
  job.work = &second;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(&job);
  }
  wake_.notify_one();
  first();
  bool still_queued = false;
  {
    std::lock_guard lock(mutex_);
    const auto it = std::find(queue_.begin(), queue_.end(), &job);
    if (it != queue_.end()) {
      queue_.erase(it);  // no worker got to it: run it here
      still_queued = true;
    }
  }
  if (still_queued) {
    second();
    return;
  }
  std::unique_lock lock(job.mutex);
  job.finished.wait(lock, [&] { return job.done; });
}

}  // namespace achilles::embedded
