# The SDK: what `make install PREFIX=<dir>` installs for projects outside the
# tree, which use it through the CMake package (cmake/kaalConfig.cmake):
#
#   include/kaal/        kaal's headers          include/kaal-sim/   the sim's libsel4 headers
#   lib/kaal/sim/        the root task, broker, runtime and sim libraries, host side
#   lib/kaal/sim/image/  what a component links on the sim: start object, runtime, libsel4
#   share/kaal/          the image linker script; images/sim/: ready components (serial, timer)
#   bin/                 mkcpio, kaal-check     libexec/kaal/       the sim's process launcher
#   lib/cmake/kaal/      the package: find_package(kaal), kaal_component(), kaal_system()
#
# With a seL4 build too (make install PREFIX=<dir> SEL4_PREFIX=<prefix>):
#   lib/kaal/sel4/       the same libraries and start objects built for that kernel, with the
#                        prefix they were built against and a copy of its configuration
#   share/kaal/images/sel4/, share/kaal/qemu-run.sh
#
# Installed from the plain builds (not a sanitizer build: a project of its own need not use them).
if(SANITIZE)
  return()
endif()
if(KAAL_PLATFORM STREQUAL "sel4")
  set(sel4 lib/kaal/sel4)
  install(TARGETS kaal_root kaal_broker kaal_drivers kaal_rt kaal_component ARCHIVE DESTINATION ${sel4})
  install(FILES ${CMAKE_BINARY_DIR}/platform/sel4/root_start.o ${CMAKE_BINARY_DIR}/platform/sel4/component_start.o
                ${CMAKE_BINARY_DIR}/src/root/root_main_sel4.o DESTINATION ${sel4})
  install(FILES ${SEL4_PREFIX}/libsel4/include/kernel/gen_config.h DESTINATION ${sel4})
  file(WRITE ${CMAKE_BINARY_DIR}/sel4-prefix.cmake
       "# The seL4 install prefix these libraries were built against.\nset(KAAL_SDK_SEL4_PREFIX \"${SEL4_PREFIX}\")\n")
  install(FILES ${CMAKE_BINARY_DIR}/sel4-prefix.cmake DESTINATION ${sel4})
  install(FILES ${CMAKE_BINARY_DIR}/components/serial.elf ${CMAKE_BINARY_DIR}/components/timer.elf
          DESTINATION share/kaal/images/sel4)
  install(PROGRAMS platform/sel4/qemu-run.sh DESTINATION share/kaal)
  return()
endif()

install(DIRECTORY include/kaal DESTINATION include)
install(DIRECTORY platform/sim/include/sel4 DESTINATION include/kaal-sim)
install(TARGETS kaal_root kaal_broker kaal_drivers kaal_rt sel4sim ARCHIVE DESTINATION lib/kaal/sim)
install(FILES ${CMAKE_BINARY_DIR}/src/root/root_main_sim.o DESTINATION lib/kaal/sim)
install(TARGETS image_component image_drivers image_rt sel4sim_user ARCHIVE DESTINATION lib/kaal/sim/image)
install(FILES ${CMAKE_BINARY_DIR}/components/component_start.o DESTINATION lib/kaal/sim/image)
install(FILES platform/sel4/image.ld DESTINATION share/kaal)
install(FILES ${CMAKE_BINARY_DIR}/components/serial.elf ${CMAKE_BINARY_DIR}/components/timer.elf
        DESTINATION share/kaal/images/sim)
install(PROGRAMS ${KAAL_MKCPIO} DESTINATION bin)
install(TARGETS kaal-check RUNTIME DESTINATION bin)
install(TARGETS sel4sim-launcher RUNTIME DESTINATION libexec/kaal)
install(FILES cmake/kaalConfig.cmake DESTINATION lib/cmake/kaal)
