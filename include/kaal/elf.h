/*
 * ELF64 executables for components (x86_64, statically linked, ET_EXEC):
 * the entry point and the loadable segments, checked so that a malformed
 * image is refused with a reason and never loaded half-way.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <kaal/err.h>

#define ELF_MAX_SEGMENTS 16
#define ELF_SEG_X 1u
#define ELF_SEG_W 2u
#define ELF_SEG_R 4u

typedef struct elf_segment {
    seL4_Word vaddr, memsz, filesz, offset;
    uint32_t flags; /* ELF_SEG_R | ELF_SEG_W | ELF_SEG_X */
} elf_segment_t;

typedef struct elf_image {
    const uint8_t *data;
    size_t size;
    seL4_Word entry;
    unsigned nsegments;
    elf_segment_t segments[ELF_MAX_SEGMENTS];
} elf_image_t;

/* Why an image was refused: a fixed message and the header or segment index. */
typedef struct elf_problem {
    const char *reason;
    seL4_Word index;
} elf_problem_t;

kaal_err_t elf_parse(const void *data, size_t size, elf_image_t *out, elf_problem_t *why);

/* The frame rights a segment's pages get (x86 has no execute-never in seL4's frame rights). */
seL4_CapRights_t elf_segment_rights(const elf_segment_t *s);
