# One place for the warning policy; CI turns warnings into errors.
function(achilles_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(ACHILLES_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
