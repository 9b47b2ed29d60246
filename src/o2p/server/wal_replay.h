// Start-up replay of the write-ahead log: every segment left by an earlier run (a crash, or
// files that could not be written) is decoded again and written as files, under the names the
// earlier run used for them, before the server takes requests.
#pragma once

#include <cstdint>

#include "o2p/base/result.h"
#include "o2p/pipeline/batcher.h"
#include "o2p/pipeline/wal.h"

namespace o2p::server {

struct ReplayStats {
  uint64_t segments = 0;
  uint64_t records = 0;
  uint64_t rows = 0;
  uint64_t corrupt_segments = 0;  // ended in a torn or corrupt record (the rest was replayed)
};

/// Replays wal.RecoveredSegments() into `batcher` (started) and waits until their files are
/// written and the segments deleted. A record that cannot be read or decoded is skipped and
/// logged; it never stops the replay of the rest.
Result<ReplayStats> ReplayWal(pipeline::WriteAheadLog& wal, pipeline::Batcher& batcher);

}  // namespace o2p::server
