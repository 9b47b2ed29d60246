# Every dependency is a Debian 12 package, found with find_package or pkg-config only.
# tools/setup.sh installs them (with --lambda: the arm64 cross toolchain and libraries).

if(O2P_LAMBDA_ONLY)
  # Fully static link (toolchain.md sections 2 and 3): only .a libraries are found, by
  # find_library, the Find modules and pkg-config alike. fmt, toml++ and Boost are header-only.
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
  set(OPENSSL_USE_STATIC_LIBS ON)
  set(ZLIB_USE_STATIC_LIBS ON)
  set(PKG_CONFIG_ARGN --static CACHE STRING "Arguments to supply to pkg-config")
endif()

# libfmt-dev's fmt::fmt is the shared library; the static Lambda binary uses the header-only
# target (FMT_HEADER_ONLY), which every other build could use too at a compile-time cost.
find_package(fmt 9 CONFIG REQUIRED)
if(O2P_LAMBDA_ONLY)
  set(O2P_FMT_TARGET fmt::fmt-header-only)
else()
  set(O2P_FMT_TARGET fmt::fmt)
  # Only proto/ (tests, gRPC server) uses protobuf: the OTLP decoders are hand-written.
  find_package(Protobuf REQUIRED)      # CMake's FindProtobuf module: protobuf::libprotobuf
endif()
find_package(ZLIB REQUIRED)
find_package(zstd CONFIG REQUIRED)
if(TARGET zstd::libzstd_static)
  set(O2P_ZSTD_TARGET zstd::libzstd_static)
else()
  set(O2P_ZSTD_TARGET zstd::libzstd_shared)
endif()
# Parquet page codecs (toolchain.md section 2): snappy has a CMake config, lz4 only pkg-config.
find_package(Snappy CONFIG REQUIRED)
if(TARGET Snappy::snappy-static)
  set(O2P_SNAPPY_TARGET Snappy::snappy-static)
else()
  set(O2P_SNAPPY_TARGET Snappy::snappy)
endif()
find_package(PkgConfig REQUIRED)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)
# toml++ (libtomlplusplus-dev), used header-only: its CMake target forces the shared library,
# which the static Lambda binary cannot link (toolchain.md), so only the headers are located.
find_path(O2P_TOMLPP_INCLUDE_DIR toml++/toml.h REQUIRED)

if(O2P_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(O2P_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
endif()

# The server (issue 5): Boost.Beast/Asio are header-only (libboost1.81-dev); gRPC from
# libgrpc++-dev, whose CMake package provides gRPC::grpc++.
find_package(Threads REQUIRED)
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS headers)
if(NOT O2P_LAMBDA_ONLY)
  find_package(gRPC CONFIG REQUIRED)
endif()

# S3 and the other web services (issue 7): OpenSSL for TLS and SigV4's SHA-256/HMAC
# (libssl-dev; static libraries included, for the Lambda binary).
find_package(OpenSSL 3 REQUIRED)

if(O2P_LAMBDA_ONLY AND
   (O2P_ZSTD_TARGET MATCHES "shared" OR O2P_SNAPPY_TARGET STREQUAL "Snappy::snappy"))
  message(FATAL_ERROR "O2P_LAMBDA_ONLY needs the static zstd and snappy targets "
                      "(${O2P_ZSTD_TARGET}, ${O2P_SNAPPY_TARGET})")
endif()
