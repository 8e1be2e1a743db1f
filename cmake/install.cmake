# install.cmake - pvt installed like a real tool, in the layout that
# src/engine/paths.h looks in at run time:
#
#   PREFIX/bin/pvt                               the driver
#   PREFIX/libexec/pvt/NAME, pvt-nop             scenario programs, helper
#   PREFIX/libexec/pvt/pvt-serve, pvt-live       pvt serve's and pvt live's servers
#   PREFIX/share/pvt/scripts/                    plot, report, their files
#   PREFIX/share/pvt/scenarios/python/           the py-* models' programs
#   PREFIX/share/man/man1/pvt.1.gz               pvt(1)
#   PREFIX/share/bash-completion/completions/pvt
#   PREFIX/share/doc/pvt/                        README.md, results.md
#
#   cmake --install build --prefix DIR           install
#   scripts/package                              the Debian package (CPack)

# The build tree mirrors the data half of that layout: BUILD/share/pvt/
# links into the source tree, so build/bin/pvt finds the scripts where an
# installed pvt finds them (PREFIX/share/pvt/) and edits to them count at
# once. The scenario programs stay in build/bin/, beside pvt.
set(PVT_BUILD_SHARE ${CMAKE_BINARY_DIR}/share/pvt)
file(MAKE_DIRECTORY ${PVT_BUILD_SHARE}/scenarios)
file(CREATE_LINK ${CMAKE_SOURCE_DIR}/scripts ${PVT_BUILD_SHARE}/scripts
     SYMBOLIC)
file(CREATE_LINK ${CMAKE_SOURCE_DIR}/scenarios/python
     ${PVT_BUILD_SHARE}/scenarios/python SYMBOLIC)

# These folders are fixed: paths.c finds one from the other.
set(PVT_LIBEXEC libexec/pvt)
set(PVT_SHARE share/pvt)

install(TARGETS pvt RUNTIME DESTINATION bin)
set(PVT_PROGRAMS pvt-nop pvt-serve pvt-live)
set(PVT_MPI_PROGRAMS)
foreach(src ${PVT_SCENARIO_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  list(APPEND PVT_PROGRAMS ${name})
  if(TARGET ${name}-mpi)
    list(APPEND PVT_MPI_PROGRAMS ${name}-mpi)
  endif()
endforeach()
install(TARGETS ${PVT_PROGRAMS} RUNTIME DESTINATION ${PVT_LIBEXEC})
# The mpi models' rank programs link Open MPI: a package of their own
# (pvt-mpi), so that pvt alone never pulls Open MPI onto a machine.
if(TARGET pvt-mpi)
  list(APPEND PVT_MPI_PROGRAMS pvt-mpi)
endif()
if(PVT_MPI_PROGRAMS)
  install(TARGETS ${PVT_MPI_PROGRAMS} RUNTIME DESTINATION ${PVT_LIBEXEC}
          COMPONENT mpi)
endif()

# What pvt suite runs after the scenarios (scripts/plot, scripts/report),
# what pvt slides and pvt compare run,
# and what they read; not the developer's scripts (setup, test, bench-*).
file(GLOB PVT_CHART_FILES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/scripts/*.gp ${CMAKE_SOURCE_DIR}/scripts/*.gnuplot
     ${CMAKE_SOURCE_DIR}/scripts/*.awk)
install(PROGRAMS scripts/plot scripts/report scripts/slides scripts/compare
        DESTINATION ${PVT_SHARE}/scripts)
install(PROGRAMS scripts/cluster DESTINATION ${PVT_SHARE}/scripts
        COMPONENT mpi)
install(FILES ${PVT_CHART_FILES} DESTINATION ${PVT_SHARE}/scripts)
file(GLOB PVT_PYTHON_FILES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/scenarios/python/*.py)
install(FILES ${PVT_PYTHON_FILES} DESTINATION ${PVT_SHARE}/scenarios/python)

# pvt(1), compressed as Debian wants its manual pages
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/pvt.1.gz
  COMMAND gzip -9 -n -c ${CMAKE_SOURCE_DIR}/doc/pvt.1
          > ${CMAKE_BINARY_DIR}/pvt.1.gz
  DEPENDS ${CMAKE_SOURCE_DIR}/doc/pvt.1)
add_custom_target(pvt-man ALL DEPENDS ${CMAKE_BINARY_DIR}/pvt.1.gz)
install(FILES ${CMAKE_BINARY_DIR}/pvt.1.gz DESTINATION share/man/man1)

install(FILES completion/pvt.bash
        DESTINATION share/bash-completion/completions RENAME pvt)
install(FILES README.md DESTINATION share/doc/pvt)
install(FILES results/README.md DESTINATION share/doc/pvt RENAME results.md)

# The Debian packages: scripts/package builds them (cpack -G DEB): pvt
# (everything but Open MPI's part) and, when Open MPI was found, pvt-mpi.
# Their library dependencies come from dpkg-shlibdeps (libc6, libcurl4,
# libmicrohttpd12, zlib1g on Debian 12); the programs pvt runs are named.
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING IGNORE)
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_NAME pvt)
set(CPACK_DEBIAN_MPI_PACKAGE_NAME pvt-mpi)
set(CPACK_DEBIAN_MPI_PACKAGE_DEPENDS
  "pvt (= ${PROJECT_VERSION}), openmpi-bin, iproute2")
set(CPACK_DEBIAN_MPI_DESCRIPTION
  "pvt's mpi models: square's ranks under Open MPI, pvt cluster
The mpi and mpi-thread models of pvt (processes vs threads, measured): the
rank programs that mpirun starts, and pvt cluster, hosts made of network
namespaces on one machine.")
set(CPACK_PACKAGE_NAME pvt)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "pvt maintainers <pvt@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "processes vs threads, measured")
set(CPACK_PACKAGE_DESCRIPTION
  "pvt runs the same workloads under fork()-based processes, POSIX threads,
an emulated GIL and real Python, writes CSV, draws charts with gnuplot and
writes a classroom report: each claim about processes and threads checked
on the machine it runs on.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "gnuplot-nox | gnuplot, python3")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, man-db")
include(CPack)
