// PLAIN encoding (Encodings.md "Plain", Encoding PLAIN = 0) of the values a LevelBuilder
// selected: fixed-width values little-endian back to back, BYTE_ARRAY as a 4-byte LE length
// followed by the bytes, BOOLEAN bit-packed one bit per value from the least significant bit.
//
// Each function appends to `out`; callers reuse `out` across pages.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "o2p/columnar/column.h"
#include "o2p/parquet/levels.h"

namespace o2p::parquet {

/// int32 / int64 / double values. Our hosts are little-endian (base/coding.h), so the
/// in-memory bytes are the PLAIN bytes.
template <typename T>
void AppendPlainFixed(const std::vector<T>& values, const ValueSelection& selection,
                      std::string* out) {
  // No values (a leaf of empty lists only): `values` may be empty, and memcpy from its null
  // data() is undefined even for zero bytes.
  if (selection.size() == 0) return;
  const size_t old_size = out->size();
  out->resize(old_size + selection.size() * sizeof(T));
  char* dst = out->data() + old_size;
  if (selection.dense()) {
    std::memcpy(dst, values.data() + selection.dense_begin(), selection.size() * sizeof(T));
    return;
  }
  selection.ForEach([&](size_t i) {
    std::memcpy(dst, &values[i], sizeof(T));
    dst += sizeof(T);
  });
}

/// Strings of `column` at the selected entries.
void AppendPlainByteArrays(const columnar::StringColumn& column, const ValueSelection& selection,
                           std::string* out);

/// One PLAIN BYTE_ARRAY value.
void AppendPlainByteArray(std::string_view value, std::string* out);

/// Booleans (one byte each, 0 or 1) bit-packed LSB first; the last byte is zero-padded.
void AppendPlainBooleans(std::span<const uint8_t> values, std::string* out);

}  // namespace o2p::parquet
