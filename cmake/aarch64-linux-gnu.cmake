# Cross toolchain for arm64 (AWS Graviton) on a Debian 12 x86_64 host; used by the
# lambda-arm64 preset (../shared/reference/toolchain.md section 4). Needs what
# `tools/setup.sh --lambda` installs: g++-aarch64-linux-gnu (gcc 12), qemu-user-static and the
# :arm64 -dev packages, which Debian's multiarch puts in /usr/lib/aarch64-linux-gnu (headers
# stay shared in /usr/include), so no sysroot is needed.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# Host programs (ccache, pkg-config), target libraries, headers and CMake packages. With no
# CMAKE_FIND_ROOT_PATH or sysroot these modes do not re-root anything: what keeps the amd64
# libraries out is CMAKE_LIBRARY_ARCHITECTURE (lib/aarch64-linux-gnu and lib/cmake under it)
# and the pkg-config directories below. They matter if a sysroot is ever added.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config reads only the arm64 and the architecture-independent .pc files.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# binfmt_misc is not available here: arm64 programs run through qemu explicitly (found on PATH).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)
