# kaal's CMake package: build components and whole systems of your own
# against an installed kaal (make install PREFIX=<dir>; docs/tutorial.md).
#
#   find_package(kaal REQUIRED)                       # -DCMAKE_PREFIX_PATH=<dir>
#   kaal_component(kvstore SOURCES kvstore.c)         # kvstore.elf: a component image
#   kaal_system(kv SYSTEM kv.system COMPONENTS kvstore kvclient serial)
#
# kaal_system(NAME ...) checks the system with kaal-check (a bad system fails
# the build), packs the named components into its boot archive, and links the
# root task with it. A component is one of the project's kaal_component()s or
# one the SDK brings ready-built (serial: the 16550 driver; timer: the PIT).
#
#   KAAL_PLATFORM=sim (the default): NAME-sim boots the system on the sim and
#     exits with its status.
#   KAAL_PLATFORM=sel4 -DSEL4_PREFIX=<prefix>: NAME.elf, the root task with its
#     boot archive for that seL4 kernel, and a target NAME-qemu that boots it
#     under QEMU. The SDK must have been installed with that kernel's prefix
#     (make install PREFIX=<dir> SEL4_PREFIX=<prefix>), or one of the same
#     configuration.

get_filename_component(KAAL_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(KAAL_PLATFORM "sim" CACHE STRING "the platform kaal_system() builds for: sim or sel4")

if(KAAL_PLATFORM STREQUAL "sim")
  set(_kaal_lib ${KAAL_PREFIX}/lib/kaal/sim)
  set(_kaal_component_lib ${_kaal_lib}/image)
  set(_kaal_sel4_include ${KAAL_PREFIX}/include/kaal-sim)
  set(_kaal_needed ${_kaal_lib}/root_main_sim.o ${_kaal_component_lib}/component_start.o
                   ${KAAL_PREFIX}/libexec/kaal/sel4sim-launcher)
  find_package(Threads REQUIRED)
elseif(KAAL_PLATFORM STREQUAL "sel4")
  set(_kaal_lib ${KAAL_PREFIX}/lib/kaal/sel4)
  set(_kaal_component_lib ${_kaal_lib})
  if(NOT EXISTS ${_kaal_lib}/sel4-prefix.cmake)
    message(FATAL_ERROR "kaal: this SDK was installed without seL4 libraries: install it again with "
                        "make install PREFIX=${KAAL_PREFIX} SEL4_PREFIX=<your seL4 prefix>")
  endif()
  include(${_kaal_lib}/sel4-prefix.cmake)
  set(SEL4_PREFIX "${KAAL_SDK_SEL4_PREFIX}" CACHE PATH "the seL4 install prefix (docs/sel4.md)")
  file(SHA256 ${_kaal_lib}/gen_config.h want)
  if(NOT EXISTS ${SEL4_PREFIX}/libsel4/include/kernel/gen_config.h)
    message(FATAL_ERROR "kaal: SEL4_PREFIX=${SEL4_PREFIX} is not a seL4 install prefix (no "
                        "libsel4/include/kernel/gen_config.h there): give the prefix this SDK was built for "
                        "(${KAAL_SDK_SEL4_PREFIX}), or leave SEL4_PREFIX out to use it")
  endif()
  file(SHA256 ${SEL4_PREFIX}/libsel4/include/kernel/gen_config.h have)
  if(NOT want STREQUAL have)
    message(FATAL_ERROR "kaal: SEL4_PREFIX=${SEL4_PREFIX} is configured unlike the kernel this SDK was built "
                        "for (${KAAL_SDK_SEL4_PREFIX}): install the SDK with this prefix")
  endif()
  set(_kaal_sel4_include ${SEL4_PREFIX}/libsel4/include)
  set(_kaal_needed ${_kaal_lib}/root_main_sel4.o ${_kaal_lib}/root_start.o ${_kaal_lib}/component_start.o
                   ${KAAL_PREFIX}/share/kaal/qemu-run.sh)
  # libsel4's IPC buffer pointer, from the kernel's own prefix, once per project.
  if(NOT TARGET kaal_sel4_bootinfo)
    add_library(kaal_sel4_bootinfo STATIC ${SEL4_PREFIX}/libsel4/src/sel4_bootinfo.c)
    target_include_directories(kaal_sel4_bootinfo SYSTEM PRIVATE ${SEL4_PREFIX}/libsel4/include)
    target_compile_options(kaal_sel4_bootinfo PRIVATE -w -O2 -ffreestanding -fno-builtin -fno-stack-protector
                           -fno-pic -fno-pie)
  endif()
  set(_kaal_sel4_libs kaal_sel4_bootinfo)
else()
  message(FATAL_ERROR "kaal: KAAL_PLATFORM must be sim or sel4, not '${KAAL_PLATFORM}'")
endif()
set(_kaal_images ${KAAL_PREFIX}/share/kaal/images/${KAAL_PLATFORM})
foreach(f ${_kaal_needed} ${KAAL_PREFIX}/bin/kaal-check ${KAAL_PREFIX}/bin/mkcpio)
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "kaal: ${f} is missing: reinstall the SDK (make install PREFIX=${KAAL_PREFIX})")
  endif()
endforeach()

# How an image is linked: static, at the layout of kaal's linker script.
set(_kaal_link_options -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack
    -Wl,-T,${KAAL_PREFIX}/share/kaal/image.ld -Wl,-z,max-page-size=4096)

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
  target_include_directories(${name} PRIVATE ${KAAL_PREFIX}/include ${_kaal_sel4_include})
  target_link_options(${name} PRIVATE ${_kaal_link_options})
  set(l ${_kaal_component_lib})
  if(KAAL_PLATFORM STREQUAL "sim")
    target_link_libraries(${name} PRIVATE ${l}/component_start.o ${l}/libimage_component.a ${l}/libimage_drivers.a
                          ${l}/libimage_rt.a ${l}/libsel4sim_user.a ${l}/libimage_rt.a gcc)
  else()
    target_link_libraries(${name} PRIVATE ${l}/component_start.o ${l}/libkaal_component.a ${l}/libkaal_drivers.a
                          ${l}/libkaal_rt.a kaal_sel4_bootinfo ${l}/libkaal_rt.a gcc)
  endif()
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

# kaal_system(NAME SYSTEM file.system COMPONENTS name...): the root task with that system.
function(kaal_system name)
  cmake_parse_arguments(K "" "SYSTEM" "COMPONENTS" ${ARGN})
  if(NOT K_SYSTEM OR NOT K_COMPONENTS)
    message(FATAL_ERROR "kaal_system(${name}): give a SYSTEM file and its COMPONENTS")
  endif()
  get_filename_component(system ${K_SYSTEM} ABSOLUTE)
  # The archive must be called boot.cpio where objcopy runs: its symbols are named after it.
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${name}.boot)
  file(MAKE_DIRECTORY ${dir}/images)
  set(images "")
  set(stripped "")
  set(strip_steps "")
  set(deps "")
  foreach(c ${K_COMPONENTS})
    _kaal_image(${c} image dep)
    if(TARGET ${c})
      set(base $<TARGET_FILE_NAME:${c}>)
    else()
      get_filename_component(base ${image} NAME)
    endif()
    list(APPEND images ${image})
    list(APPEND stripped ${dir}/images/${base})
    list(APPEND strip_steps COMMAND objcopy --strip-all ${image} ${dir}/images/${base})
    list(APPEND deps ${dep})
  endforeach()
  add_custom_command(OUTPUT ${dir}/boot_cpio.o
    COMMAND ${KAAL_PREFIX}/bin/kaal-check -q ${system} ${images}
    ${strip_steps}
    COMMAND ${KAAL_PREFIX}/bin/mkcpio --system ${system} ${dir}/boot.cpio ${stripped}
    COMMAND objcopy -I binary -O elf64-x86-64 -B i386:x86-64
            --rename-section .data=.rodata,alloc,load,readonly,data,contents boot.cpio boot_cpio.o
    WORKING_DIRECTORY ${dir} DEPENDS ${system} ${deps} VERBATIM
    COMMENT "Checking and packing the boot archive of ${name} (${K_SYSTEM})")
  set(l ${_kaal_lib})
  set(root_libs ${l}/libkaal_root.a ${l}/libkaal_broker.a ${l}/libkaal_drivers.a ${l}/libkaal_rt.a)
  if(KAAL_PLATFORM STREQUAL "sim")
    file(WRITE ${dir}/launcher.c
         "/* Where this system's component processes start: the SDK's launcher. */\n"
         "const char *const sel4sim_launcher = \"${KAAL_PREFIX}/libexec/kaal/sel4sim-launcher\";\n")
    add_executable(${name}-sim ${l}/root_main_sim.o ${dir}/boot_cpio.o ${dir}/launcher.c)
    target_link_options(${name}-sim PRIVATE -Wl,-z,noexecstack)
    target_link_libraries(${name}-sim PRIVATE ${root_libs} ${l}/libsel4sim.a Threads::Threads)
    set_target_properties(${name}-sim PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  else()
    add_executable(${name} ${l}/root_start.o ${l}/root_main_sel4.o ${dir}/boot_cpio.o)
    target_link_options(${name} PRIVATE ${_kaal_link_options})
    target_link_libraries(${name} PRIVATE ${root_libs} kaal_sel4_bootinfo ${l}/libkaal_rt.a gcc)
    set_target_properties(${name} PROPERTIES SUFFIX ".elf" RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}
                          LINKER_LANGUAGE C)
    add_custom_target(${name}-qemu COMMAND ${KAAL_PREFIX}/share/kaal/qemu-run.sh ${SEL4_PREFIX} $<TARGET_FILE:${name}>
                      DEPENDS ${name} USES_TERMINAL COMMENT "Booting ${name} on seL4 under QEMU")
  endif()
endfunction()
