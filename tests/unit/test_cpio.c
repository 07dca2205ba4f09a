/* The CPIO reader: archives made by cpio(1)'s format rules, and malformed ones. */
#include <stdio.h>
#include <string.h>
#include "unit.h"
#include <kaal/cpio.h>

static char ar[4096];
static size_t ar_len;

static void add(const char *name, const char *data, size_t len)
{
    size_t namesize = strlen(name) + 1;
    ar_len += (size_t)sprintf(ar + ar_len, "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x", 1u,
                              0100644u, 0u, 0u, 1u, 0u, len, 0u, 0u, 0u, 0u, namesize, 0u);
    memcpy(ar + ar_len, name, namesize);
    ar_len = (ar_len + namesize + 3) & ~(size_t)3;
    memcpy(ar + ar_len, data, len);
    ar_len = (ar_len + len + 3) & ~(size_t)3;
}

static int build(void **state)
{
    (void)state;
    memset(ar, 0, sizeof(ar));
    ar_len = 0;
    add("serial.elf", "\x7f" "ELF-serial", 11);
    add("client.elf", "abc", 3);
    add("TRAILER!!!", "", 0);
    return 0;
}

static void iterates_and_finds(void **state)
{
    (void)state;
    size_t off = 0;
    cpio_entry_t e;
    assert_int_equal(cpio_next(ar, ar_len, &off, &e), CPIO_ENTRY);
    assert_string_equal(e.name, "serial.elf");
    assert_int_equal(e.size, 11);
    assert_memory_equal(e.data, "\x7f" "ELF-serial", 11);
    assert_int_equal(e.mode, 0100644);
    assert_int_equal(cpio_next(ar, ar_len, &off, &e), CPIO_ENTRY);
    assert_string_equal(e.name, "client.elf");
    assert_int_equal(cpio_next(ar, ar_len, &off, &e), CPIO_END);
    assert_int_equal(off, ar_len);
    assert_int_equal(cpio_find(ar, ar_len, "client.elf", &e), 1);
    assert_memory_equal(e.data, "abc", 3);
    assert_int_equal(cpio_find(ar, ar_len, "timer.elf", &e), 0);
}

static void malformed(void **state)
{
    (void)state;
    cpio_entry_t e;
    size_t off = 0;
    assert_int_equal(cpio_next(ar, 100, &off, &e), CPIO_E_TRUNCATED);
    off = ar_len + 1;
    assert_int_equal(cpio_next(ar, ar_len, &off, &e), CPIO_E_TRUNCATED);
    off = 0;
    ar[5] = '2'; /* 070702: the checksum variant is not newc */
    assert_int_equal(cpio_next(ar, ar_len, &off, &e), CPIO_E_MAGIC);
    build(NULL);
    ar[6 + 8 * 6 + 3] = 'g'; /* file size field */
    assert_int_equal(cpio_find(ar, ar_len, "x", &e), CPIO_E_HEX);
    build(NULL);
    memcpy(ar + 6 + 8 * 6, "7fffffff", 8); /* data past the end */
    assert_int_equal(cpio_next(ar, ar_len, &off, &e), CPIO_E_BOUNDS);
    build(NULL);
    memcpy(ar + 6 + 8 * 11, "00000fff", 8); /* name past the end */
    assert_int_equal(cpio_next(ar, ar_len, &off, &e), CPIO_E_BOUNDS);
    build(NULL);
    memcpy(ar + 6 + 8 * 11, "00000005", 8); /* "seria" without its NUL */
    assert_int_equal(cpio_next(ar, ar_len, &off, &e), CPIO_E_NAME);
    build(NULL);
    assert_int_equal(cpio_find(ar, ar_len - 4, "timer.elf", &e), CPIO_E_BOUNDS);     /* trailer name cut */
    assert_int_equal(cpio_find(ar, ar_len - 20, "timer.elf", &e), CPIO_E_TRUNCATED); /* trailer header cut */
}

/* Every result has words of its own: a cut archive is never reported as a missing file. */
static void results_are_described(void **state)
{
    (void)state;
    assert_string_equal(cpio_strerror(0), "not found");
    assert_string_equal(cpio_strerror(CPIO_E_TRUNCATED), "the archive is cut short (a header runs past its end)");
    for (int code = CPIO_E_NAME; code <= CPIO_E_TRUNCATED; code++) {
        assert_string_not_equal(cpio_strerror(code), "not found");
        assert_string_not_equal(cpio_strerror(code), "unknown result");
    }
    assert_string_equal(cpio_strerror(-99), "unknown result");
    assert_string_equal(cpio_strerror(99), "unknown result");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(iterates_and_finds, build),
        cmocka_unit_test_setup(malformed, build),
        cmocka_unit_test(results_are_described),
    };
    RUN_TESTS(tests, NULL, NULL);
}
