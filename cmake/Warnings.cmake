# One place for the warning policy; CI turns warnings into errors.
function(achilles_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 reports impossible memcpy bounds inside std::string concatenation
    # at -O2 (GCC bug 105329); the warning is noise there, not a finding.
    target_compile_options(${target} PRIVATE -Wno-stringop-overflow -Wno-restrict -Wno-array-bounds)
  endif()
  if(ACHILLES_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
