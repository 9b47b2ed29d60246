# Every dependency is a Debian 12 package, found with find_package or pkg-config only.
# tools/setup.sh installs them.
find_package(fmt 9 CONFIG REQUIRED)
find_package(Protobuf REQUIRED)        # CMake's FindProtobuf module: protobuf::libprotobuf
find_package(ZLIB REQUIRED)
find_package(zstd CONFIG REQUIRED)
if(TARGET zstd::libzstd_static)
  set(O2P_ZSTD_TARGET zstd::libzstd_static)
else()
  set(O2P_ZSTD_TARGET zstd::libzstd_shared)
endif()

if(O2P_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(O2P_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
endif()
