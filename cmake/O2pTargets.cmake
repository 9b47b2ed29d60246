# Target helpers, in the spirit of absl_cc_library / add_iceberg_test.
#
#   o2p_library(NAME o2p_base SRCS a.cc b.cc DEPS fmt::fmt)
#   o2p_test(NAME o2p_base_test SRCS x_test.cc DEPS o2p_base LABELS unit)
#   o2p_bench(NAME o2p_otlp_bench SRCS otlp_bench.cc DEPS o2p_otlp)

function(o2p_apply_common target)
  target_link_libraries(${target} PRIVATE o2p_warnings)
  target_link_libraries(${target} PUBLIC o2p_sanitizers)
endfunction()

function(o2p_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${ARG_NAME} STATIC ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  o2p_apply_common(${ARG_NAME})
endfunction()

function(o2p_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PRIVATE "${PROJECT_SOURCE_DIR}/tests" "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  o2p_apply_common(${ARG_NAME})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  # One ctest entry per executable keeps ctest fast; failures name the gtest case.
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME} --gtest_brief=1)
  set_tests_properties(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}"
    ENVIRONMENT "O2P_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

function(o2p_bench)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PRIVATE "${PROJECT_SOURCE_DIR}/bench" "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  o2p_apply_common(${ARG_NAME})
endfunction()
