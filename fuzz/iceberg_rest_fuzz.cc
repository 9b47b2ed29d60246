// Iceberg REST catalog responses: loadTable / createTable results (table metadata inside),
// the config endpoint and error bodies. What parses must also survive our writer and read back
// the same.
#include "fuzz_check.h"
#include "o2p/iceberg/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace o2p;
  const std::string_view json = fuzz::AsText(data, size);
  (void)iceberg::ParseCatalogConfig(json);
  (void)iceberg::ParseErrorResponse(json);
  Result<iceberg::LoadTableResult> loaded = iceberg::ParseLoadTableResult(json);
  Result<iceberg::TableMetadata> metadata = iceberg::TableMetadataFromJson(json);
  if (!metadata.ok()) return 0;
  const std::string written = iceberg::TableMetadataToJson(*metadata);
  Result<iceberg::TableMetadata> again = iceberg::TableMetadataFromJson(written);
  fuzz::Check(again.ok(), "table metadata we wrote does not parse");
  fuzz::Check(iceberg::TableMetadataToJson(*again) == written,
              "table metadata changes on a write-read-write round trip");
  return 0;
}
