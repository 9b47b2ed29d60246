// MemoryStore: an ObjectStore that keeps objects in a map, for tests of the layers above
// storage. It can be told to fail the next N Puts (or every Put) to exercise retries.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/storage/object_store.h"

namespace o2p::testing {

class MemoryStore final : public storage::ObjectStore {
 public:
  Status Put(std::string_view key, std::string_view data) override {
    if (Status s = storage::ValidateKey(key); !s.ok()) return s;
    std::lock_guard lock(mu_);
    ++put_attempts_;
    if (fail_always_ || failures_left_ > 0) {
      if (failures_left_ > 0) --failures_left_;
      return Status::IoError("injected failure writing {}", key);
    }
    objects_[std::string(key)] = std::string(data);
    return Status::Ok();
  }
  Result<std::string> Get(std::string_view key) override {
    std::lock_guard lock(mu_);
    auto it = objects_.find(std::string(key));
    if (it == objects_.end()) return Status::NotFound("no object {}", key);
    return it->second;
  }
  Result<std::vector<storage::ObjectInfo>> List(std::string_view prefix) override {
    std::lock_guard lock(mu_);
    std::vector<storage::ObjectInfo> out;
    for (const auto& [key, data] : objects_) {
      if (key.starts_with(prefix)) out.push_back({key, data.size()});
    }
    return out;
  }
  Status Delete(std::string_view key) override {
    std::lock_guard lock(mu_);
    objects_.erase(std::string(key));
    return Status::Ok();
  }
  Status CheckAvailable() override {
    std::lock_guard lock(mu_);
    return fail_always_ ? Status::IoError("injected: store unavailable") : Status::Ok();
  }
  std::string Describe(std::string_view key) const override { return "mem://" + std::string(key); }

  void FailNext(int n) {
    std::lock_guard lock(mu_);
    failures_left_ = n;
  }
  void FailAlways(bool fail) {
    std::lock_guard lock(mu_);
    fail_always_ = fail;
  }
  std::map<std::string, std::string> objects() const {
    std::lock_guard lock(mu_);
    return objects_;
  }
  int put_attempts() const {
    std::lock_guard lock(mu_);
    return put_attempts_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> objects_;
  int failures_left_ = 0;
  bool fail_always_ = false;
  int put_attempts_ = 0;
};

}  // namespace o2p::testing
