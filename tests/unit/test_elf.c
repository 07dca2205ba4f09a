/* The ELF parser: a valid image, and one refusal for each way an image can be wrong. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "elf_header.h"
#include <kaal/elf.h>

/* An image with a text segment (R X) at 0x400000 and a data segment (R W) at 0x401000. */
typedef struct {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[3];
    uint8_t text[0x1000 - sizeof(Elf64_Ehdr) - 3 * sizeof(Elf64_Phdr)];
    uint8_t data[64];
} image_t;

static image_t img;

static int build(void **state)
{
    (void)state;
    memset(&img, 0, sizeof(img));
    elf_header_init(&img.eh, 0x400100, offsetof(image_t, ph), 3);
    img.ph[0] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0, .p_vaddr = 0x400000,
                             .p_filesz = 0x1000, .p_memsz = 0x1000, .p_align = 0x1000};
    img.ph[1] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x1000, .p_vaddr = 0x401000,
                             .p_filesz = sizeof(img.data), .p_memsz = 0x3000, .p_align = 0x1000};
    img.ph[2] = (Elf64_Phdr){.p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W};
    return 0;
}

static void expect(const void *data, size_t size, const char *reason)
{
    elf_image_t out;
    elf_problem_t why = {0, 0};
    assert_int_equal(elf_parse(data, size, &out, &why), KAAL_E_ELF);
    assert_string_equal(why.reason, reason);
}

static void valid_image(void **state)
{
    (void)state;
    elf_image_t out;
    assert_int_equal(elf_parse(&img, sizeof(img), &out, NULL), KAAL_OK);
    assert_int_equal(out.entry, 0x400100);
    assert_int_equal(out.nsegments, 2);
    assert_int_equal(out.segments[1].vaddr, 0x401000);
    assert_int_equal(out.segments[1].filesz, 64);
    assert_int_equal(out.segments[1].memsz, 0x3000);
    assert_int_equal(out.segments[0].flags, ELF_SEG_R | ELF_SEG_X);
    assert_int_equal(elf_segment_rights(&out.segments[0]).words[0], seL4_CanRead.words[0]);
    assert_int_equal(elf_segment_rights(&out.segments[1]).words[0], seL4_ReadWrite.words[0]);
}

static void header_problems(void **state)
{
    (void)state;
    expect(&img, 10, "shorter than an ELF header");
    img.eh.e_ident[1] = 'X';
    expect(&img, sizeof(img), "no ELF magic");
    build(NULL);
    img.eh.e_ident[EI_CLASS] = ELFCLASS32;
    expect(&img, sizeof(img), "not a 64-bit ELF (ELFCLASS64)");
    build(NULL);
    img.eh.e_ident[EI_DATA] = ELFDATA2MSB;
    expect(&img, sizeof(img), "not little-endian");
    build(NULL);
    img.eh.e_ident[EI_VERSION] = 0;
    expect(&img, sizeof(img), "unknown ELF version");
    build(NULL);
    img.eh.e_type = ET_DYN;
    expect(&img, sizeof(img), "not an executable (ET_EXEC)");
    build(NULL);
    img.eh.e_machine = EM_AARCH64;
    expect(&img, sizeof(img), "not for x86_64");
    build(NULL);
    img.eh.e_phentsize = 32;
    expect(&img, sizeof(img), "program header size is not 56");
    build(NULL);
    img.eh.e_phoff = sizeof(img) - 8;
    expect(&img, sizeof(img), "program headers outside the file");
    build(NULL);
    img.eh.e_phnum = 0xffff;
    expect(&img, sizeof(img), "program headers outside the file");
}

static void segment_problems(void **state)
{
    (void)state;
    img.ph[1].p_offset = sizeof(img);
    expect(&img, sizeof(img), "segment's file range is outside the file");
    build(NULL);
    img.ph[1].p_filesz = ~0ull - 8; /* offset + filesz overflows */
    expect(&img, sizeof(img), "segment's file range is outside the file");
    build(NULL);
    img.ph[1].p_memsz = 8;
    expect(&img, sizeof(img), "segment's file size exceeds its memory size");
    build(NULL);
    img.ph[1].p_vaddr = 0x7ffffffff000;
    expect(&img, sizeof(img), "segment outside the user address range");
    build(NULL);
    img.ph[1].p_vaddr = 0xffffffff80001000; /* kernel range */
    expect(&img, sizeof(img), "segment outside the user address range");
    build(NULL);
    img.ph[0].p_vaddr = 0;
    img.eh.e_entry = 0x100;
    expect(&img, sizeof(img), "segment outside the user address range");
    build(NULL);
    img.ph[1].p_align = 0x1800;
    expect(&img, sizeof(img), "segment alignment is not a power of two");
    build(NULL);
    img.ph[1].p_vaddr = 0x402010;
    expect(&img, sizeof(img), "segment's address and file offset disagree modulo its alignment");
    build(NULL);
    img.ph[1].p_vaddr = 0x400000; /* on top of the text */
    expect(&img, sizeof(img), "loadable segments share a page");
    build(NULL);
    img.eh.e_entry = 0x401000; /* in the data segment */
    expect(&img, sizeof(img), "entry point is not in an executable segment");
    build(NULL);
    img.ph[0].p_type = PT_NOTE;
    img.ph[1].p_type = PT_NOTE;
    expect(&img, sizeof(img), "no loadable segment");
}

static void too_many_segments(void **state)
{
    (void)state;
    size_t n = ELF_MAX_SEGMENTS + 1, size = sizeof(Elf64_Ehdr) + n * sizeof(Elf64_Phdr);
    uint8_t *buf = calloc(1, size);
    memcpy(buf, &img.eh, sizeof(Elf64_Ehdr));
    Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
    eh->e_phoff = sizeof(Elf64_Ehdr);
    eh->e_phnum = (Elf64_Half)n;
    Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(Elf64_Ehdr));
    for (size_t i = 0; i < n; i++) {
        ph[i] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_vaddr = 0x400000 + i * 0x1000,
                             .p_memsz = 0x1000, .p_align = 0x1000};
    }
    expect(buf, size, "too many loadable segments");
    free(buf);
}

static void this_test_is_not_a_component(void **state)
{
    (void)state;
    /* A host program is position independent (ET_DYN): refused. */
    FILE *f = fopen("/proc/self/exe", "rb");
    assert_non_null(f);
    static uint8_t buf[1 << 16];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    expect(buf, n, "not an executable (ET_EXEC)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(valid_image, build),
        cmocka_unit_test_setup(header_problems, build),
        cmocka_unit_test_setup(segment_problems, build),
        cmocka_unit_test_setup(too_many_segments, build),
        cmocka_unit_test_setup(this_test_is_not_a_component, build),
    };
    RUN_TESTS(tests, NULL, NULL);
}
