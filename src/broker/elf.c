/* ELF64 parsing for component images: every field checked before use. */
#include <kaal/arch.h>
#include <kaal/elf.h>
#include <kaal/rt.h>

#define PAGE_SIZE 0x1000ul
#define EHDR_SIZE 64u
#define PHDR_SIZE 56u
#define PT_LOAD 1u
#define ET_EXEC 2u
#define E_MACHINE 18u /* the header's e_machine: the architecture's (kaal_arch.elf_machine) */

static uint64_t le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;) {
        v = (v << 8) | p[i];
    }
    return v;
}

static kaal_err_t refuse(elf_problem_t *why, const char *reason, seL4_Word index)
{
    if (why) {
        why->reason = reason;
        why->index = index;
    }
    return KAAL_E_ELF;
}

/* Whether [off, off + len) lies inside a file of `size` bytes, without overflow. */
static int inside(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static kaal_err_t check_header(const uint8_t *d, size_t size, elf_problem_t *why)
{
    static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
    if (size < EHDR_SIZE) {
        return refuse(why, "shorter than an ELF header", size);
    }
    for (unsigned i = 0; i < 4; i++) {
        if (d[i] != magic[i]) {
            return refuse(why, "no ELF magic", i);
        }
    }
    static const struct {
        unsigned offset, width;
        uint64_t want;
        const char *reason;
    } fields[] = {
        {4, 1, 2, "not a 64-bit ELF (ELFCLASS64)"},
        {5, 1, 1, "not little-endian"},
        {6, 1, 1, "unknown ELF version"},
        {16, 2, ET_EXEC, "not an executable (ET_EXEC)"},
        {54, 2, PHDR_SIZE, "program header size is not 56"},
    };
    for (unsigned i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        uint64_t v = le(d + fields[i].offset, fields[i].width);
        if (v != fields[i].want) {
            return refuse(why, fields[i].reason, v);
        }
    }
    uint64_t machine = le(d + E_MACHINE, 2);
    return machine == kaal_arch.elf_machine ? KAAL_OK : refuse(why, kaal_arch.elf_mismatch, machine);
}

static kaal_err_t check_segment(const elf_segment_t *s, uint64_t align, size_t size, unsigned i, elf_problem_t *why)
{
    if (!inside(s->offset, s->filesz, size)) {
        return refuse(why, "segment's file range is outside the file", i);
    }
    if (s->filesz > s->memsz) {
        return refuse(why, "segment's file size exceeds its memory size", i);
    }
    seL4_Word end;
    if (s->vaddr < PAGE_SIZE || s->memsz == 0 || !rt_range_end(s->vaddr, s->memsz, &end) || end > kaal_arch.user_top) {
        return refuse(why, "segment outside the user address range", i);
    }
    if (align & (align - 1)) {
        return refuse(why, "segment alignment is not a power of two", i);
    }
    if (align >= PAGE_SIZE && (s->vaddr % align) != (s->offset % align)) {
        return refuse(why, "segment's address and file offset disagree modulo its alignment", i);
    }
    return KAAL_OK;
}

static seL4_Word page_down(seL4_Word v)
{
    return v & ~(PAGE_SIZE - 1);
}

/* Each page gets one set of rights, so two segments may not share a page. */
static int pages_overlap(const elf_segment_t *a, const elf_segment_t *b)
{
    seL4_Word a_end = page_down(a->vaddr + a->memsz - 1), b_end = page_down(b->vaddr + b->memsz - 1);
    return page_down(a->vaddr) <= b_end && page_down(b->vaddr) <= a_end;
}

kaal_err_t elf_parse(const void *data, size_t size, elf_image_t *out, elf_problem_t *why)
{
    const uint8_t *d = data;
    kaal_err_t err = check_header(d, size, why);
    if (err != KAAL_OK) {
        return err;
    }
    uint64_t phoff = le(d + 32, 8), phnum = le(d + 56, 2);
    if (!inside(phoff, phnum * PHDR_SIZE, size)) {
        return refuse(why, "program headers outside the file", phoff);
    }
    out->data = d;
    out->size = size;
    out->entry = le(d + 24, 8);
    out->nsegments = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + (uint64_t)i * PHDR_SIZE;
        if (le(ph, 4) != PT_LOAD) {
            continue;
        }
        if (out->nsegments == ELF_MAX_SEGMENTS) {
            return refuse(why, "too many loadable segments", i);
        }
        elf_segment_t s = {.flags = (uint32_t)le(ph + 4, 4) & 7u, .offset = le(ph + 8, 8), .vaddr = le(ph + 16, 8),
                           .filesz = le(ph + 32, 8), .memsz = le(ph + 40, 8)};
        err = check_segment(&s, le(ph + 48, 8), size, i, why);
        if (err != KAAL_OK) {
            return err;
        }
        for (unsigned j = 0; j < out->nsegments; j++) {
            if (pages_overlap(&s, &out->segments[j])) {
                return refuse(why, "loadable segments share a page", i);
            }
        }
        out->segments[out->nsegments++] = s;
    }
    if (out->nsegments == 0) {
        return refuse(why, "no loadable segment", 0);
    }
    for (unsigned j = 0; j < out->nsegments; j++) {
        const elf_segment_t *s = &out->segments[j];
        if ((s->flags & ELF_SEG_X) && out->entry >= s->vaddr && out->entry - s->vaddr < s->memsz) {
            return KAAL_OK;
        }
    }
    return refuse(why, "entry point is not in an executable segment", out->entry);
}

seL4_CapRights_t elf_segment_rights(const elf_segment_t *s)
{
    return (s->flags & ELF_SEG_W) ? seL4_ReadWrite : seL4_CanRead;
}
