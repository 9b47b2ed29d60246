#include "o2p/parquet/encoding/plain.h"

#include "o2p/base/coding.h"

namespace o2p::parquet {

void AppendPlainByteArray(std::string_view value, std::string* out) {
  PutFixed32(out, static_cast<uint32_t>(value.size()));
  out->append(value);
}

void AppendPlainByteArrays(const columnar::StringColumn& column, const ValueSelection& selection,
                           std::string* out) {
  const std::vector<int64_t>& offsets = column.offsets();
  // Size once, then copy: avoids a capacity check per value.
  size_t bytes = 0;
  selection.ForEach(
      [&](size_t i) { bytes += 4 + static_cast<size_t>(offsets[i + 1] - offsets[i]); });
  const size_t old_size = out->size();
  out->resize(old_size + bytes);
  char* dst = out->data() + old_size;
  const char* data = column.data().data();
  selection.ForEach([&](size_t i) {
    const auto length = static_cast<uint32_t>(offsets[i + 1] - offsets[i]);
    EncodeFixed32(dst, length);
    std::memcpy(dst + 4, data + offsets[i], length);
    dst += 4 + length;
  });
}

void AppendPlainBooleans(std::span<const uint8_t> values, std::string* out) {
  const size_t old_size = out->size();
  out->resize(old_size + (values.size() + 7) / 8, '\0');
  auto* dst = reinterpret_cast<uint8_t*>(out->data() + old_size);
  for (size_t i = 0; i < values.size(); ++i) {
    dst[i / 8] |= static_cast<uint8_t>((values[i] != 0 ? 1u : 0u) << (i % 8));
  }
}

}  // namespace o2p::parquet
