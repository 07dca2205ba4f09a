# kaal's CMake package: build components and whole systems of your own
# against an installed kaal (make install PREFIX=<dir>; docs/tutorial.md).
#
#   find_package(kaal REQUIRED)                       # -DCMAKE_PREFIX_PATH=<dir>
#   kaal_component(kvstore SOURCES kvstore.c)         # kvstore.elf: a component image
#   kaal_system(kv SYSTEM kv.system COMPONENTS kvstore kvclient serial)
#
# kaal_system(NAME ...) checks the system with kaal-check (a bad system fails
# the build), packs the named components into its boot archive, and links the
# root task with it: NAME-sim, which boots the system on the sim and exits with
# its status. A component is one of the project's kaal_component()s or one the
# SDK brings ready-built (serial: the 16550 driver; timer: the PIT).
#
# The platform is the sim. Images for a real seL4 kernel are built in kaal's
# own tree for now (make qemu SYSTEM=..., docs/sel4.md).

get_filename_component(KAAL_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(KAAL_PLATFORM "sim" CACHE STRING "the platform kaal_system() builds for (sim)")
if(NOT KAAL_PLATFORM STREQUAL "sim")
  message(FATAL_ERROR "kaal: KAAL_PLATFORM=${KAAL_PLATFORM}: this SDK builds systems for the sim; "
                      "for seL4, build in kaal's tree with make qemu SYSTEM=... SEL4_PREFIX=... (docs/sel4.md)")
endif()

set(_kaal_lib ${KAAL_PREFIX}/lib/kaal/sim)
set(_kaal_images ${KAAL_PREFIX}/share/kaal/images/sim)
foreach(f ${_kaal_lib}/root_main_sim.o ${_kaal_lib}/image/component_start.o ${KAAL_PREFIX}/bin/kaal-check
          ${KAAL_PREFIX}/bin/mkcpio ${KAAL_PREFIX}/libexec/kaal/sel4sim-launcher)
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "kaal: ${f} is missing: reinstall the SDK (make install PREFIX=${KAAL_PREFIX})")
  endif()
endforeach()
find_package(Threads REQUIRED)

# Image code, as kaal's own: freestanding, no libc, static, not position independent.
set(KAAL_IMAGE_FLAGS -O2 -g -ffreestanding -fno-builtin -fno-stack-protector -fno-pic -fno-pie)
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  list(APPEND KAAL_IMAGE_FLAGS -fno-tree-loop-distribute-patterns)
endif()

# kaal_component(NAME SOURCES file...): NAME.elf, a component image (include/kaal/runtime.h).
function(kaal_component name)
  cmake_parse_arguments(K "" "" "SOURCES" ${ARGN})
  if(NOT K_SOURCES)
    message(FATAL_ERROR "kaal_component(${name}): no SOURCES given")
  endif()
  add_executable(${name} ${K_SOURCES})
  target_compile_options(${name} PRIVATE ${KAAL_IMAGE_FLAGS})
  target_include_directories(${name} PRIVATE ${KAAL_PREFIX}/include ${KAAL_PREFIX}/include/kaal-sim)
  target_link_options(${name} PRIVATE -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack
                      -Wl,-T,${KAAL_PREFIX}/share/kaal/image.ld -Wl,-z,max-page-size=4096)
  set(image ${_kaal_lib}/image)
  target_link_libraries(${name} PRIVATE ${image}/component_start.o ${image}/libimage_component.a
                        ${image}/libimage_drivers.a ${image}/libimage_rt.a ${image}/libsel4sim_user.a
                        ${image}/libimage_rt.a gcc)
  set_target_properties(${name} PROPERTIES SUFFIX ".elf" LINK_DEPENDS ${KAAL_PREFIX}/share/kaal/image.ld)
endfunction()

# The image of component `c`: the project's kaal_component(), or one of the SDK's.
function(_kaal_image c out deps)
  if(TARGET ${c})
    set(${out} $<TARGET_FILE:${c}> PARENT_SCOPE)
    set(${deps} ${c} PARENT_SCOPE)
  elseif(EXISTS ${_kaal_images}/${c}.elf)
    set(${out} ${_kaal_images}/${c}.elf PARENT_SCOPE)
    set(${deps} ${_kaal_images}/${c}.elf PARENT_SCOPE)
  else()
    file(GLOB ready RELATIVE ${_kaal_images} ${_kaal_images}/*.elf)
    message(FATAL_ERROR "kaal_system: no component '${c}': neither a kaal_component() of this project "
                        "nor one the SDK brings (${ready})")
  endif()
endfunction()

# kaal_system(NAME SYSTEM file.system COMPONENTS name...): NAME-sim, the root task with that system.
function(kaal_system name)
  cmake_parse_arguments(K "" "SYSTEM" "COMPONENTS" ${ARGN})
  if(NOT K_SYSTEM OR NOT K_COMPONENTS)
    message(FATAL_ERROR "kaal_system(${name}): give a SYSTEM file and its COMPONENTS")
  endif()
  get_filename_component(system ${K_SYSTEM} ABSOLUTE)
  set(images "")
  set(deps "")
  foreach(c ${K_COMPONENTS})
    _kaal_image(${c} image dep)
    list(APPEND images ${image})
    list(APPEND deps ${dep})
  endforeach()
  # The archive must be called boot.cpio where objcopy runs: its symbols are named after it.
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${name}.boot)
  add_custom_command(OUTPUT ${dir}/boot_cpio.o
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${KAAL_PREFIX}/bin/kaal-check -q ${system} ${images}
    COMMAND ${KAAL_PREFIX}/bin/mkcpio --system ${system} ${dir}/boot.cpio ${images}
    COMMAND objcopy -I binary -O elf64-x86-64 -B i386:x86-64
            --rename-section .data=.rodata,alloc,load,readonly,data,contents boot.cpio boot_cpio.o
    WORKING_DIRECTORY ${dir} DEPENDS ${system} ${deps} VERBATIM
    COMMENT "Checking and packing the boot archive of ${name} (${K_SYSTEM})")
  file(WRITE ${dir}/launcher.c
       "/* Where this system's component processes start: the SDK's launcher. */\n"
       "const char *const sel4sim_launcher = \"${KAAL_PREFIX}/libexec/kaal/sel4sim-launcher\";\n")
  add_executable(${name}-sim ${_kaal_lib}/root_main_sim.o ${dir}/boot_cpio.o ${dir}/launcher.c)
  target_link_options(${name}-sim PRIVATE -Wl,-z,noexecstack)
  target_link_libraries(${name}-sim PRIVATE ${_kaal_lib}/libkaal_root.a ${_kaal_lib}/libkaal_broker.a
                        ${_kaal_lib}/libkaal_drivers.a ${_kaal_lib}/libkaal_rt.a ${_kaal_lib}/libsel4sim.a
                        Threads::Threads)
  set_target_properties(${name}-sim PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
endfunction()
