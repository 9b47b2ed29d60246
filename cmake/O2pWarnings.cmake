# One INTERFACE target carrying the project's warning set; every o2p target links it.
add_library(o2p_warnings INTERFACE)
target_compile_options(o2p_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wimplicit-fallthrough)
if(O2P_WERROR)
  target_compile_options(o2p_warnings INTERFACE -Werror)
endif()
