# `cmake --install` and CPack.
#
# Component `development`: libachilles for other C++ programs, found with
# find_package(achilles) and linked as achilles::core (the domain) and
# achilles::column_store (the in-memory store that answers its ports).
# Component `runtime`: the `achilles` binary, its systemd unit, its
# environment file and its man page, which the Debian package holds.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set_target_properties(achilles PROPERTIES EXPORT_NAME core)
set_target_properties(achilles_column_store PROPERTIES EXPORT_NAME column_store)
install(TARGETS achilles achilles_column_store EXPORT achillesTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
install(DIRECTORY libachilles/include/achilles DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development)
install(FILES adapters/embedded/include/achilles/embedded/column_store.hpp
              adapters/embedded/include/achilles/embedded/keyword_dictionary.hpp
              adapters/embedded/include/achilles/embedded/snapshot_stamp.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/achilles/embedded COMPONENT development)
set(ACHILLES_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/achilles)
install(EXPORT achillesTargets NAMESPACE achilles:: DESTINATION ${ACHILLES_CMAKE_DIR} COMPONENT development)
configure_package_config_file(cmake/achillesConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/achillesConfig.cmake
                              INSTALL_DESTINATION ${ACHILLES_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/achillesConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/achillesConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/achillesConfigVersion.cmake
        DESTINATION ${ACHILLES_CMAKE_DIR} COMPONENT development)

install(TARGETS achilles_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(FILES packaging/achilles.service DESTINATION lib/systemd/system COMPONENT runtime)
install(FILES packaging/achilles.env DESTINATION /etc/default RENAME achilles
        PERMISSIONS OWNER_READ OWNER_WRITE COMPONENT runtime)
install(FILES README.md docs/operations.md docs/api.md docs/security.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)

# The Debian package of the runtime: `cpack -G DEB` in the build directory.
set(CPACK_PACKAGE_NAME achilles)
set(CPACK_PACKAGE_VENDOR "Achilles C++")
set(CPACK_PACKAGE_CONTACT "Achilles C++ maintainers <achilles@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Security-validation analytics server (ProjectAchilles API, embedded store)")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME achilles)
set(CPACK_DEBIAN_RUNTIME_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/conffiles
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postrm)
include(CPack)
