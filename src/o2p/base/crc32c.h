// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of iSCSI (RFC 3720),
// ext4 metadata, LevelDB/RocksDB logs and our write-ahead log records.
//
//   uint32_t crc = Crc32c("123456789");          // 0xE3069283
//   uint32_t c = Crc32cExtend(Crc32c(a), b);     // == Crc32c(a + b)
//
// On x86-64 CPUs with SSE4.2 the CRC32 instruction is used (several GB/s); elsewhere a
// slicing-by-8 table implementation (about 1-2 GB/s). Both give identical results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace o2p {

/// Continues `crc` (the value returned for the preceding bytes; 0 for none) over `data`.
uint32_t Crc32cExtend(uint32_t crc, const void* data, size_t size);

inline uint32_t Crc32cExtend(uint32_t crc, std::string_view data) {
  return Crc32cExtend(crc, data.data(), data.size());
}

/// The CRC-32C of `data`.
inline uint32_t Crc32c(std::string_view data) { return Crc32cExtend(0, data); }

namespace internal {
/// The table-driven implementation, exposed so tests can check it against the dispatched one.
uint32_t Crc32cExtendPortable(uint32_t crc, const void* data, size_t size);
/// True when Crc32cExtend uses the CPU's CRC32 instruction.
bool Crc32cHasHardware();
}  // namespace internal

}  // namespace o2p
