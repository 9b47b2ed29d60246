# One INTERFACE target switched by O2P_SANITIZE ("address,undefined" or "thread").
add_library(o2p_sanitizers INTERFACE)
if(O2P_SANITIZE)
  set(_o2p_san_flags -fsanitize=${O2P_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND O2P_SANITIZE MATCHES "undefined")
    # clang 14: -fsanitize=function breaks C++20 coroutine TUs (toolchain.md section 5).
    list(APPEND _o2p_san_flags -fno-sanitize=function)
  endif()
  if(O2P_FUZZ)
    # Coverage for libFuzzer in every library; only the fuzz targets link the fuzzer's main.
    list(APPEND _o2p_san_flags -fsanitize=fuzzer-no-link)
  endif()
  target_compile_options(o2p_sanitizers INTERFACE ${_o2p_san_flags})
  target_link_options(o2p_sanitizers INTERFACE ${_o2p_san_flags})
endif()
