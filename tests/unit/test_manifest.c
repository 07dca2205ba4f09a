/*
 * The system description parser: the demo system and the documented example
 * parse, every error comes back at its line and column with its message,
 * and a refused description leaves nothing behind.
 */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <kaal/manifest.h>
#include <sel4/sim.h>

static manifest_t m;
static manifest_error_t err;
static const seL4_BootInfo *bi;
static char demo[16384];
static size_t demo_len;

/* Component "a" with its image, so that the line under test is line 3. */
#define A "component a {\n image a.elf\n"
#define B "component b {\n image b.elf\n"
/* Component "a" without an image yet: for tests of the image line, line 3. */
#define P "component a {\n priority 1\n"

static size_t read_source(const char *path, char *buf, size_t size)
{
    char full[1024];
    snprintf(full, sizeof(full), "%s/%s", KAAL_SOURCE_DIR, path);
    FILE *f = fopen(full, "rb");
    if (!f) {
        return 0;
    }
    size_t len = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[len] = '\0';
    return len;
}

static int setup(void **state)
{
    (void)state;
    bi = sel4sim_boot();
    demo_len = read_source("systems/demo.system", demo, sizeof(demo));
    return bi && demo_len ? 0 : -1;
}

/* Parses with the tables from malloc, giving back what the last parse into m made. */
static kaal_err_t parse_in(const char *text, size_t len, const char *file, manifest_t *out, manifest_error_t *e)
{
    if (out) {
        manifest_free(out);
    }
    return manifest_parse(text, len, file, unit_mem, out, e);
}

static kaal_err_t parse_diag_in(const char *text, size_t len, const char *file, manifest_t *out, manifest_diag_t *d)
{
    manifest_free(out);
    return manifest_parse_diag(text, len, file, unit_mem, out, d);
}

static kaal_err_t parse(const char *text)
{
    memset(&err, 0xa5, sizeof(err));
    return parse_in(text, strlen(text), "t.system", &m, &err);
}

static void parses(const char *text)
{
    kaal_err_t e = parse(text);
    if (e != KAAL_OK) {
        print_error("%s\n", err.message);
    }
    assert_int_equal(e, KAAL_OK);
}

/* The error, at line:col with the message; and nothing of the system is left. */
static void expect_error(const char *text, unsigned line, unsigned col, const char *message)
{
    char want[512];
    snprintf(want, sizeof(want), "t.system:%u:%u: %s", line, col, message);
    manifest_free(&m);
    memset(&m, 0x5a, sizeof(m)); /* a refusal must leave it zeroed, whatever it held */
    memset(&err, 0xa5, sizeof(err));
    assert_int_equal(manifest_parse(text, strlen(text), "t.system", unit_mem, &m, &err), KAAL_E_MANIFEST);
    assert_string_equal(err.message, want);
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    manifest_t zero;
    memset(&zero, 0, sizeof(zero));
    assert_memory_equal(&m, &zero, sizeof(m));
}

static void expect_device_error(const char *text, unsigned line, unsigned col, const char *message)
{
    char want[512];
    snprintf(want, sizeof(want), "t.system:%u:%u: %s", line, col, message);
    parses(text);
    assert_int_equal(manifest_check_devices(&m, bi, "t.system", &err), KAAL_E_MANIFEST);
    assert_string_equal(err.message, want);
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
}

/* ---- what parses ---- */

static void demo_system_parses(void **state)
{
    (void)state;
    assert_int_equal(parse_in(demo, demo_len, "demo.system", &m, &err), KAAL_OK);
    assert_string_equal(m.name, "demo");
    assert_int_equal(m.ncomponents, 5);
    const manifest_component_t *serial = &m.components[0], *timer = &m.components[1];
    assert_string_equal(serial->name, "serial");
    assert_string_equal(serial->image, "serial.elf");
    assert_int_equal(serial->priority, 200);
    assert_int_equal(serial->stack, 16 * 1024);
    assert_int_equal(serial->memory, 256 * 1024);
    assert_int_equal(serial->nioports, 1);
    assert_int_equal(serial->ioports[0].first, 0x3f8);
    assert_int_equal(serial->ioports[0].last, 0x3ff);
    assert_int_equal(serial->nirqs, 1);
    assert_int_equal(serial->irqs[0], 4);
    assert_int_equal(serial->fault, FAULT_RESTART);
    assert_string_equal(timer->name, "timer");
    assert_int_equal(timer->ioports[0].first, 0x40);
    assert_int_equal(timer->ioports[0].last, 0x43);
    assert_int_equal(timer->irqs[0], 2); /* the PIT's ISA IRQ 0 is IOAPIC pin 2 */
    assert_string_equal(m.components[2].name, "client1");
    assert_string_equal(m.components[3].name, "client2");
    assert_string_equal(m.components[4].name, "crasher");
    assert_int_equal(m.components[4].fault, FAULT_RESTART);
    assert_int_equal(m.nchannels, 6);
    const unsigned ends[6][2] = {{2, 0}, {3, 0}, {1, 0}, {4, 0}, {1, 2}, {1, 3}};
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(m.channels[i].from, ends[i][0]);
        assert_int_equal(m.channels[i].to, ends[i][1]);
        assert_int_equal(m.channels[i].size, 4096);
    }
    assert_int_equal(manifest_check_devices(&m, bi, "demo.system", &err), KAAL_OK);
}

/* The example under "A full example" in docs/system-format.md, as written there. */
static void documented_example_parses(void **state)
{
    (void)state;
    static char doc[65536];
    assert_true(read_source("docs/system-format.md", doc, sizeof(doc)) > 0);
    char *start = strstr(doc, "## A full example");
    assert_non_null(start);
    start = strstr(start, "```\n");
    assert_non_null(start);
    start += 4;
    char *end = strstr(start, "```\n");
    assert_non_null(end);
    assert_int_equal(parse_in(start, (size_t)(end - start), "example.system", &m, &err), KAAL_OK);
    assert_true(m.ncomponents >= 4);
    assert_true(m.nchannels >= 4);
    assert_int_equal(m.channels[1].endpoint, ENDPOINT_GRANT);
    assert_int_equal(manifest_check_devices(&m, bi, "example.system", &err), KAAL_OK);
}

static void comments_and_blank_lines(void **state)
{
    (void)state;
    parses("# a comment\n\n   \n\t\nsystem s# right after a word\n"
           "component a { # after the brace\n"
           "  # a whole line\n\n"
           "  image a.elf#tight\n"
           "} # after the closing brace\n# and the last line, without a line end");
    assert_string_equal(m.name, "s");
    assert_string_equal(m.components[0].image, "a.elf");
}

static void crlf_line_ends(void **state)
{
    (void)state;
    parses("system s\r\n\r\ncomponent a {\r\n  image a.elf\r\n  memory 1M # comment\r\n}\r\n"
           "component b {\r\n  image b.elf\r\n}\r\nchannel a -> b { size 8K }\r\n");
    assert_int_equal(m.components[0].memory, 1 << 20);
    assert_int_equal(m.channels[0].size, 8192);
    /* the same columns as with LF: the line end is where the CR is */
    expect_error("system\r\n", 1, 7, "expected a name, found end of line");
    expect_error(P " image\r\n}\r\n", 3, 7, "expected a file name, found end of line");
}

static void numbers_decimal_and_hex(void **state)
{
    (void)state;
    parses(A " priority 0x10\n irq 0XA\n irq 011\n ioports 0x3F8-1023\n}\n");
    assert_int_equal(m.components[0].priority, 16);
    assert_int_equal(m.components[0].irqs[0], 10);
    assert_int_equal(m.components[0].irqs[1], 11); /* 011 is eleven: no octal */
    assert_int_equal(m.components[0].ioports[0].first, 0x3f8);
    assert_int_equal(m.components[0].ioports[0].last, 1023);
    parses(A " priority 255\n}\n");
    assert_int_equal(m.components[0].priority, 255);
}

static void size_suffixes(void **state)
{
    (void)state;
    parses(A " stack 4K\n memory 3M\n mmio 0xfed00000 0x2000\n}\n"
             "component b {\n image b.elf\n stack 8192\n memory 4096K\n}\n");
    assert_int_equal(m.components[0].stack, 4096);
    assert_int_equal(m.components[0].memory, 3 << 20);
    assert_int_equal(m.components[0].mmio[0].first, 0xfed00000);
    assert_int_equal(m.components[0].mmio[0].last, 0xfed01fff);
    assert_int_equal(m.components[1].stack, 8192);
    assert_int_equal(m.components[1].memory, 4 << 20);
}

static void defaults(void **state)
{
    (void)state;
    parses(A "}\n" B "}\nchannel a -> b\n");
    const manifest_component_t *a = &m.components[0];
    assert_string_equal(m.name, "");
    assert_int_equal(a->priority, 0);
    assert_int_equal(a->stack, MANIFEST_DEFAULT_STACK);
    assert_int_equal(a->memory, MANIFEST_DEFAULT_MEMORY);
    assert_int_equal(a->slots, MANIFEST_DEFAULT_SLOTS);
    assert_int_equal(a->nchannel_ends, 1);
    assert_int_equal(m.components[1].nchannel_ends, 1);
    assert_int_equal(a->fault, FAULT_STOP);
    assert_int_equal(a->nioports + a->nirqs + a->nmmio, 0);
    assert_int_equal(m.channels[0].size, MANIFEST_DEFAULT_CHANNEL);
    assert_int_equal(a->line, 1);
    assert_int_equal(m.components[1].line, 4);
    assert_int_equal(m.channels[0].line, 7);
    assert_int_equal(m.channels[0].col, 1);
}

static void blocks_on_one_line_or_many(void **state)
{
    (void)state;
    parses("component a { image a.elf }\n"
           "component b {image b.elf\n priority 3}\n"
           "channel a->b {size 8K}\n"
           "channel b -> a {\n  size 12K\n}\n"
           "channel a -> b {}\n");
    assert_int_equal(m.ncomponents, 2);
    assert_int_equal(m.components[1].priority, 3);
    assert_int_equal(m.nchannels, 3);
    assert_int_equal(m.channels[0].size, 8192);
    assert_int_equal(m.channels[1].from, 1);
    assert_int_equal(m.channels[1].size, 12288);
    assert_int_equal(m.channels[2].size, 4096);
}

static void grant_positions_are_kept(void **state)
{
    (void)state;
    parses(A "  ioports 0x60\n\tirq 1\n  mmio 0xfed00000 4K\n}\n");
    const manifest_component_t *a = &m.components[0];
    assert_int_equal(a->ioports[0].first, 0x60); /* one port */
    assert_int_equal(a->ioports[0].last, 0x60);
    assert_int_equal(a->ioports[0].at.line, 3);
    assert_int_equal(a->ioports[0].at.col, 11);
    assert_int_equal(a->irq_at[0].line, 4);
    assert_int_equal(a->irq_at[0].col, 6); /* a tab is one column */
    assert_int_equal(a->mmio[0].at.line, 5);
    assert_int_equal(a->mmio[0].at.col, 8);
}

static void adjacent_grants_do_not_overlap(void **state)
{
    (void)state;
    parses(A " ioports 0x3f8-0x3ff\n mmio 0xfed00000 4K\n irq 3\n}\n" B
             " ioports 0x400-0x407\n ioports 0x3f0-0x3f7\n mmio 0xfed01000 4K\n irq 4\n}\n");
    assert_int_equal(m.components[1].nioports, 2);
}

/* No fixed limit: components, channels and grants as many as memory holds. */
static void no_fixed_limits(void **state)
{
    (void)state;
    static char text[1 << 17];
    size_t n = 0;
    for (int i = 0; i < 1000; i++) {
        n += (size_t)snprintf(text + n, sizeof(text) - n, "component c%d { image c.elf }\n", i);
    }
    for (int i = 0; i < 2000; i++) {
        n += (size_t)snprintf(text + n, sizeof(text) - n, "channel c%d -> c%d\n", i % 1000, (i + 1) % 1000);
    }
    parses(text);
    assert_int_equal(m.ncomponents, 1000);
    assert_int_equal(m.nchannels, 2000);
    assert_string_equal(m.components[999].name, "c999");
    assert_int_equal(m.channels[1999].to, 0);
    n = (size_t)snprintf(text, sizeof(text), A);
    for (int i = 0; i < 24; i++) { /* parsing checks no device memory: any distinct pages will do */
        n += (size_t)snprintf(text + n, sizeof(text) - n, " ioports %d\n irq %d\n mmio 0x%x 4K\n", 0x100 + i, i,
                              0x10000000u + 0x1000u * (unsigned)i);
    }
    snprintf(text + n, sizeof(text) - n, "}\n");
    parses(text);
    assert_int_equal(m.components[0].nioports, 24);
    assert_int_equal(m.components[0].nirqs, 24);
    assert_int_equal(m.components[0].nmmio, 24);
    assert_int_equal(m.components[0].irqs[23], 23);
    parses("system abcdefghijabcdefghijabcdefghij_\ncomponent abcdefghijabcdefghijabcdefghij- {\n"
           " image abcdefghijabcdefghijabcdefghij.\n}\n");
    assert_string_equal(m.components[0].name, "abcdefghijabcdefghijabcdefghij-");
}

static void text_need_not_end_in_nul(void **state)
{
    (void)state;
    const char text[] = "component a { image a.elf }\nGARBAGE";
    assert_int_equal(parse_in(text, strlen(text) - 7, "t.system", &m, &err), KAAL_OK);
    assert_int_equal(parse_in(text, sizeof(text) - 1, "t.system", &m, &err), KAAL_E_MANIFEST);
    assert_string_equal(err.message, "t.system:2:1: expected 'system', 'component', 'channel', 'call' or 'region', found 'GARBAGE'");
}

static void mmio_in_device_memory(void **state)
{
    (void)state;
    /* from above the IOAPIC's page to the HPET's (device untypeds of several sizes), and the HPET's */
    parses(A " mmio 0xfec01000 0xff000\n}\n" B " mmio 0xfed00000 4K\n}\n");
    assert_int_equal(manifest_check_devices(&m, bi, "t.system", &err), KAAL_OK);
}

/* ---- syntax errors ---- */

static void unknown_declaration(void **state)
{
    (void)state;
    expect_error("systems s\n", 1, 1, "expected 'system', 'component', 'channel', 'call' or 'region', found 'systems'");
    expect_error(A "}\n}\n", 4, 1, "expected 'system', 'component', 'channel', 'call' or 'region', found '}'");
    expect_error(A "}\n  image b.elf\n", 4, 3, "expected 'system', 'component', 'channel', 'call' or 'region', found 'image'");
}

static void missing_open_brace(void **state)
{
    (void)state;
    expect_error("component a\n image a.elf\n}\n", 1, 12, "expected '{', found end of line");
    expect_error("component a image a.elf\n", 1, 13, "expected '{', found 'image'");
    expect_error(A "}\n" B "}\nchannel a -> b size 4K\n", 7, 16, "expected the end of the line, found 'size'");
}

static void unterminated_block(void **state)
{
    (void)state;
    expect_error(A, 1, 1, "component 'a' has no closing '}'");
    expect_error(A "\n" B "}\n", 1, 1, "component 'a' has no closing '}'");
    expect_error(A "}\n" B "}\nchannel a -> b { size 4K\n\n", 7, 1, "channel a -> b has no closing '}'");
    expect_error(A "}\n" B "}\nchannel a -> b {\nchannel b -> a\n", 7, 1, "channel a -> b has no closing '}'");
}

static void garbage_after_a_value(void **state)
{
    (void)state;
    expect_error(A " priority 3 4\n}\n", 3, 13, "expected the end of the line, found '4'");
    expect_error(A " fault stop now\n}\n", 3, 13, "expected the end of the line, found 'now'");
    expect_error(A " stack 4K {\n}\n", 3, 11, "expected the end of the line, found '{'");
    expect_error(A "} extra\n", 3, 3, "expected the end of the line, found 'extra'");
    expect_error("system s t\n", 1, 10, "expected the end of the line, found 't'");
    expect_error(A "}\n" B "}\nchannel a -> b { size 4K } x\n", 7, 28, "expected the end of the line, found 'x'");
    expect_error(A "}\n" B "}\nchannel a -> b -> a\n", 7, 16, "expected the end of the line, found '->'");
}

static void unexpected_token_in_a_block(void **state)
{
    (void)state;
    expect_error(A " {\n}\n", 3, 2, "expected a key or '}', found '{'");
    expect_error(A " -> b\n}\n", 3, 2, "expected a key or '}', found '->'");
}

static void missing_values(void **state)
{
    (void)state;
    expect_error("system\n", 1, 7, "expected a name, found end of line");
    expect_error("component {\n", 1, 11, "expected a name, found '{'");
    expect_error(P " image\n}\n", 3, 7, "expected a file name, found end of line");
    expect_error(A " priority\n}\n", 3, 10, "expected a number, found end of line");
    expect_error(A " stack }\n", 3, 8, "expected a size, found '}'");
    expect_error(A " ioports\n}\n", 3, 9, "expected an IO port range, found end of line");
    expect_error(A " mmio 0xfed00000\n}\n", 3, 17, "expected a size, found end of line");
    expect_error(A " fault", 3, 7, "expected 'restart' or 'stop', found end of file");
    expect_error(A "}\n" B "}\nchannel a ->\n", 7, 13, "expected a name, found end of line");
    expect_error(A "}\n" B "}\nchannel a b\n", 7, 11, "expected '->', found 'b'");
}

static void control_characters(void **state)
{
    (void)state;
    expect_error(P " image a\001.elf\n}\n", 3, 9, "unexpected character 0x01");
    static const char nul[] = "component a {\n image a.elf\n\0\n}\n";
    memset(&err, 0, sizeof(err));
    assert_int_equal(parse_in(nul, sizeof(nul) - 1, "t.system", &m, &err), KAAL_E_MANIFEST);
    assert_string_equal(err.message, "t.system:3:1: unexpected character 0x00");
}

static void bad_names(void **state)
{
    (void)state;
    const char *why = "(a letter or '_', then letters, digits, '_' or '-')";
    char msg[200];
    snprintf(msg, sizeof(msg), "'1a' is not a name %s", why);
    expect_error("component 1a {\n image a.elf\n}\n", 1, 11, msg);
    snprintf(msg, sizeof(msg), "'a.b' is not a name %s", why);
    expect_error("system a.b\n", 1, 8, msg);
    snprintf(msg, sizeof(msg), "'-' is not a name %s", why);
    expect_error(A "}\nchannel a -> -\n", 4, 14, msg);
}

static void names_longer_than_31(void **state)
{
    (void)state;
    expect_error("component abcdefghijabcdefghijabcdefghijab {\n image x\n}\n", 1, 11,
                 "name longer than 31 characters");
    expect_error(P " image abcdefghijabcdefghijabcdefghijab.elf\n}\n", 3, 8, "file name longer than 31 characters");
}

/* ---- keys ---- */

static void unknown_keys(void **state)
{
    (void)state;
    expect_error(A " prioritty 3\n}\n", 3, 2, "unknown key 'prioritty'");
    expect_error(A " Image a.elf\n}\n", 3, 2, "unknown key 'Image'");
    expect_error(A "}\n" B "}\nchannel a -> b { depth 4 }\n", 7, 18, "unknown key 'depth'");
    expect_error(A " size 4K\n}\n", 3, 2, "unknown key 'size'"); /* a channel's key */
    expect_error(A " abcdefghijabcdefghijabcdefghij 1\n}\n", 3, 2, "unknown key 'abcdefghijabcdefghijabcd...'");
}

static void once_only_keys_given_twice(void **state)
{
    (void)state;
    static const char *const lines[][2] = {
        {"image", "image b.elf"}, {"priority", "priority 1"}, {"stack", "stack 4K"},
        {"memory", "memory 4K"},  {"fault", "fault stop"}, {"lifetime", "lifetime task"},
    };
    for (unsigned i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        char text[200], msg[100];
        snprintf(text, sizeof(text), "component a {\n image a.elf\n %s\n\n %s\n}\n", lines[i][1], lines[i][1]);
        snprintf(msg, sizeof(msg), "'%s' given twice (first at line %u)", lines[i][0], i == 0 ? 2u : 3u);
        expect_error(text, i == 0 ? 3 : 5, 2, msg);
    }
    expect_error(A "}\n" B "}\nchannel a -> b {\n size 4K\n size 8K\n}\n", 9, 2,
                 "'size' given twice (first at line 8)");
}

static void system_given_twice(void **state)
{
    (void)state;
    expect_error("system s\n" A "}\nsystem t\n", 5, 1, "'system' given twice (first at line 1)");
}

/* ---- values ---- */

static void priority_out_of_range(void **state)
{
    (void)state;
    expect_error(A " priority 256\n}\n", 3, 11, "priority 256 is out of range (0 to 255)");
    expect_error(A " priority 0x100\n}\n", 3, 11, "priority 256 is out of range (0 to 255)");
}

/* `call CLIENT -> SERVER [{ grant yes|no }]`: a connection without a ring, in the same table. */
static void calls(void **state)
{
    (void)state;
    parses(A "}\n" B "}\ncall a -> b\ncall b->a { grant yes }\nchannel a -> b\n");
    assert_int_equal(m.nchannels, 3);
    assert_int_equal(manifest_count(&m, CONNECTION_CALL), 2);
    assert_int_equal(m.channels[0].kind, CONNECTION_CALL);
    assert_int_equal(m.channels[0].from, 0);
    assert_int_equal(m.channels[0].to, 1);
    assert_int_equal(m.channels[0].size, 0);
    assert_int_equal(m.channels[0].endpoint, ENDPOINT_SEND);
    assert_int_equal(m.channels[1].endpoint, ENDPOINT_GRANT);
    assert_int_equal(m.channels[2].kind, CONNECTION_CHANNEL);
    assert_int_equal(m.components[0].nchannel_ends, 3);
    expect_error(A "}\ncall a -> a\n", 4, 11, "call from 'a' to itself");
    expect_error(A "}\ncall a -> nobody\n", 4, 11, "no component 'nobody' declared before this call");
    expect_error(A "}\n" B "}\ncall a -> b { size 4K }\n", 7, 15, "unknown key 'size'");
    expect_error(A "}\n" B "}\ncall a -> b { grant maybe }\n", 7, 21, "expected 'no' or 'yes', found 'maybe'");
}

/* `region NAME { size SIZE [page 4K|2M] }`, and a component's `map REGION [r|rw] [cached|uncached] [at ADDR]`. */
static void regions(void **state)
{
    (void)state;
    parses("region dma { size 4M\n page 2M }\nregion small { size 8K }\n"
           "component a {\n image a.elf\n map dma r uncached at 0x4000000000\n map small\n}\n");
    assert_int_equal(m.nregions, 2);
    assert_string_equal(m.regions[0].name, "dma");
    assert_int_equal(m.regions[0].size, 4ul << 20);
    assert_int_equal(m.regions[0].page_bits, 21);
    assert_int_equal(m.regions[1].page_bits, 12);
    const manifest_component_t *a = &m.components[0];
    assert_int_equal(a->nregions, 2);
    assert_int_equal(a->regions[0].region, 0);
    assert_int_equal(a->regions[0].writable, 0);
    assert_int_equal(a->regions[0].cached, 0);
    assert_int_equal(a->regions[0].vaddr, 0x4000000000);
    assert_int_equal(a->regions[1].writable, 1);
    assert_int_equal(a->regions[1].cached, 1);
    assert_int_equal(a->regions[1].vaddr, 0);
    expect_error("region r { page 2M }\n" A "}\n", 1, 1, "region 'r' has no size");
    expect_error("region r { size 4M\n page 2M\n size 2M }\n" A "}\n", 3, 2, "'size' given twice (first at line 1)");
    expect_error("region r { size 3M\n page 2M }\n" A "}\n", 1, 17,
                 "region 'r': size 3072K is not a multiple of its page size (2048K)");
    expect_error("region r { size 4M\n page 1M }\n" A "}\n", 2, 7, "expected '4K' or '2M', found '1M'");
    expect_error("region r { size 8K }\nregion r { size 8K }\n" A "}\n", 2, 8,
                 "region 'r' is declared twice (first at line 1)");
    expect_error(A " map nowhere\n}\n", 3, 6, "no region 'nowhere' declared before this component");
    expect_error("region r { size 8K }\n" A " map r\n map r\n}\n", 5, 6,
                 "component 'a': region 'r' given twice (first at line 4)");
    expect_error("region r { size 8K }\n" A " map r at 0x1001\n}\n", 4, 11,
                 "region 'r' at 0x1001: not a non-zero multiple of its page size (4K)");
    expect_error("region r { size 8K }\n" A " map r rwx\n}\n", 4, 8,
                 "expected 'r', 'rw', 'cached', 'uncached' or 'at', found 'rwx'");
}

static void untyped_memory(void **state)
{
    (void)state;
    parses(A " untyped 1M\n}\n");
    assert_int_equal(m.components[0].untyped, 1ul << 20);
    parses(A "}\n");
    assert_int_equal(m.components[0].untyped, 0);
    expect_error(A " untyped 1K\n}\n", 3, 10, "size '1K' is not a non-zero multiple of 4K");
    expect_error(A " untyped 8K\n untyped 8K\n}\n", 4, 2, "'untyped' given twice (first at line 3)");
}

static void slots_in_range(void **state)
{
    (void)state;
    parses(A " slots 0x100000\n}\n");
    assert_int_equal(m.components[0].slots, MANIFEST_MAX_SLOTS);
    expect_error(A " slots 0\n}\n", 3, 8, "slots 0 is out of range (1 to 1048576)");
    expect_error(A " slots 1048577\n}\n", 3, 8, "slots 1048577 is out of range (1 to 1048576)");
}

static void not_numbers(void **state)
{
    (void)state;
    expect_error(A " priority 1z\n}\n", 3, 11, "'1z' is not a number");
    expect_error(A " priority -1\n}\n", 3, 11, "'-1' is not a number");
    expect_error(A " priority 0x\n}\n", 3, 11, "'0x' is not a number");
    expect_error(A " irq 0xg\n}\n", 3, 6, "'0xg' is not a number");
    expect_error(A " irq 4K\n}\n", 3, 6, "'4K' is not a number"); /* suffixes are for sizes */
    expect_error(A " mmio fed00000 4K\n}\n", 3, 7, "'fed00000' is not a number");
}

static void numbers_too_large(void **state)
{
    (void)state;
    expect_error(A " priority 99999999999999999999\n}\n", 3, 11, "'99999999999999999999' is too large");
    expect_error(A " irq 0x10000000000000000\n}\n", 3, 6, "'0x10000000000000000' is too large");
}

static void sizes_overflow(void **state)
{
    (void)state;
    expect_error(A " memory 99999999999999999999K\n}\n", 3, 9, "'99999999999999999999K' is too large");
    expect_error(A " memory 0x40000000000000K\n}\n", 3, 9, "'0x40000000000000K' is too large"); /* 2^54 K */
    expect_error(A " stack 17592186044416M\n}\n", 3, 8, "'17592186044416M' is too large");      /* 2^44 M */
    parses(A " memory 0x3ffffffffffffcK\n}\n"); /* the largest K that fits */
}

static void sizes_not_pages(void **state)
{
    (void)state;
    expect_error(A " stack 100\n}\n", 3, 8, "size '100' is not a non-zero multiple of 4K");
    expect_error(A " stack 6K\n}\n", 3, 8, "size '6K' is not a non-zero multiple of 4K");
    expect_error(A " memory 0\n}\n", 3, 9, "size '0' is not a non-zero multiple of 4K");
    expect_error(A " memory 0K\n}\n", 3, 9, "size '0K' is not a non-zero multiple of 4K");
    expect_error(A " mmio 0xfed00000 100\n}\n", 3, 18, "size '100' is not a non-zero multiple of 4K");
    expect_error(A "}\n" B "}\nchannel a -> b { size 1K }\n", 7, 23, "size '1K' is not a non-zero multiple of 4K");
}

static void sizes_badly_written(void **state)
{
    (void)state;
    const char *why = "is not a size (a number, then K or M if you like)";
    char msg[120];
    snprintf(msg, sizeof(msg), "'16k' %s", why);
    expect_error(A " stack 16k\n}\n", 3, 8, msg);
    snprintf(msg, sizeof(msg), "'16KB' %s", why);
    expect_error(A " stack 16KB\n}\n", 3, 8, msg);
    snprintf(msg, sizeof(msg), "'K' %s", why);
    expect_error(A " stack K\n}\n", 3, 8, msg);
    snprintf(msg, sizeof(msg), "'1G' %s", why);
    expect_error(A " memory 1G\n}\n", 3, 9, msg);
}

static void ioports_ranges(void **state)
{
    (void)state;
    expect_error(A " ioports 0x3ff-0x3f8\n}\n", 3, 10, "IO port range '0x3ff-0x3f8' ends before it starts");
    expect_error(A " ioports 0xfff8-0x10000\n}\n", 3, 10, "IO port range '0xfff8-0x10000' goes past 0xffff");
    expect_error(A " ioports 65536\n}\n", 3, 10, "IO port range '65536' goes past 0xffff");
    expect_error(A " ioports 1-99999999999999999999\n}\n", 3, 10,
                 "IO port range '1-99999999999999999999' goes past 0xffff");
    const char *like = "is not an IO port range (first-last, like 0x3f8-0x3ff)";
    char msg[120];
    snprintf(msg, sizeof(msg), "'0x3f8-' %s", like);
    expect_error(A " ioports 0x3f8-\n}\n", 3, 10, msg);
    snprintf(msg, sizeof(msg), "'-0x3ff' %s", like);
    expect_error(A " ioports -0x3ff\n}\n", 3, 10, msg);
    snprintf(msg, sizeof(msg), "'1-2-3' %s", like);
    expect_error(A " ioports 1-2-3\n}\n", 3, 10, msg);
    snprintf(msg, sizeof(msg), "'com1' %s", like);
    expect_error(A " ioports com1\n}\n", 3, 10, msg);
}

static void irq_pins(void **state)
{
    (void)state;
    expect_error(A " irq 24\n}\n", 3, 6, "irq 24 is not an IOAPIC pin (0 to 23)");
    expect_error(A " irq 0xff\n}\n", 3, 6, "irq 255 is not an IOAPIC pin (0 to 23)");
    parses(A " irq 0\n irq 23\n}\n");
}

static void fault_policies(void **state)
{
    (void)state;
    expect_error(A " fault maybe\n}\n", 3, 8, "expected 'restart' or 'stop', found 'maybe'");
    expect_error(A " fault Restart\n}\n", 3, 8, "expected 'restart' or 'stop', found 'Restart'");
    parses(A " fault restart\n}\n");
    assert_int_equal(m.components[0].fault, FAULT_RESTART);
}

/* A restart budget: at most N restarts within any window of a duration, for 'fault restart' only. */
static void restart_budgets(void **state)
{
    (void)state;
    parses(A " fault restart\n}\n");
    assert_int_equal(m.components[0].restarts, MANIFEST_DEFAULT_RESTARTS);
    assert_int_equal(m.components[0].restart_window_ms, MANIFEST_DEFAULT_RESTART_MS);
    parses(A " fault restart\n restarts 3 in 1min\n}\n");
    assert_int_equal(m.components[0].restarts, 3);
    assert_int_equal(m.components[0].restart_window_ms, 60000);
    static const struct {
        const char *value;
        seL4_Word ms;
    } durations[] = {{"250ms", 250}, {"10s", 10000}, {"2min", 120000}, {"24h", 86400000}};
    for (unsigned i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
        char text[128];
        snprintf(text, sizeof(text), A " restarts 32 in %s\n fault restart\n}\n", durations[i].value);
        parses(text);
        assert_int_equal(m.components[0].restart_window_ms, durations[i].ms);
        assert_int_equal(m.components[0].restarts, 32);
    }
    expect_error(A " fault restart\n restarts 0 in 1s\n}\n", 4, 11,
                 "restarts 0 is out of range (1 to 32; 'fault stop' for none)");
    expect_error(A " fault restart\n restarts 33 in 1s\n}\n", 4, 11,
                 "restarts 33 is out of range (1 to 32; 'fault stop' for none)");
    expect_error(A " fault restart\n restarts 3 per 1s\n}\n", 4, 13, "expected 'in', found 'per'");
    expect_error(A " fault restart\n restarts 3 in\n}\n", 4, 15, "expected a duration, found end of line");
    expect_error(A " fault restart\n restarts 3 in 10\n}\n", 4, 16,
                 "'10' is not a duration (a number, then ms, s, min or h, like 10s)");
    expect_error(A " fault restart\n restarts 3 in 10sec\n}\n", 4, 16,
                 "'10sec' is not a duration (a number, then ms, s, min or h, like 10s)");
    expect_error(A " fault restart\n restarts 3 in 0s\n}\n", 4, 16, "'0s' is not a non-zero duration");
    expect_error(A " fault restart\n restarts 3 in s\n}\n", 4, 16, "'s' is not a non-zero duration");
    expect_error(A " fault restart\n restarts 3 in 99999999999999999h\n}\n", 4, 16,
                 "'99999999999999999h' is too large");
    expect_error(A " restarts 3 in 1s\n}\n", 3, 2, "component 'a': 'restarts' is a budget for 'fault restart'");
    expect_error(A " restarts 3 in 1s\n fault stop\n}\n", 3, 2,
                 "component 'a': 'restarts' is a budget for 'fault restart'");
}

static void lifetimes(void **state)
{
    (void)state;
    parses(A "}\n" B " lifetime task\n}\n");
    assert_int_equal(m.components[0].lifetime, LIFETIME_SERVICE);
    assert_int_equal(m.components[1].lifetime, LIFETIME_TASK);
    parses(A " lifetime service\n}\n");
    assert_int_equal(m.components[0].lifetime, LIFETIME_SERVICE);
    expect_error(A " lifetime forever\n}\n", 3, 11, "expected 'service' or 'task', found 'forever'");
}

/* Every error, for kaal-check: parsing goes on to the next key or declaration. */
static char reported[8][256];
static unsigned nreported;

static void collect(void *ctx, const manifest_error_t *e)
{
    (void)ctx;
    if (nreported < 8) {
        strcpy(reported[nreported], e->message);
    }
    nreported++;
}

static void every_error_is_found(void **state)
{
    (void)state;
    const char *text = "component a {\n"
                       " image a.elf\n"
                       " ioports 0x3f8-0x10000\n" /* 3: past 0xffff */
                       " priority 999\n"          /* 4: out of range */
                       "}\n"
                       "channel a -> nobody {\n"  /* 6: no such component; its block is skipped */
                       " size 4K\n"
                       "}\n"
                       "bogus line\n"             /* 9: not a declaration */
                       "component b { image b.elf\n"
                       "  stack 5 }\n"            /* 11: not a multiple of 4K */
                       "channel b -> a\n";        /* fine: a was declared, whatever its errors */
    manifest_error_t first;
    manifest_diag_t d = {.first = &first, .report = collect};
    nreported = 0;
    assert_int_equal(parse_diag_in(text, strlen(text), "t.system", &m, &d), KAAL_E_MANIFEST);
    assert_int_equal(d.count, 5);
    assert_int_equal(nreported, 5);
    assert_string_equal(reported[0], "t.system:3:10: IO port range '0x3f8-0x10000' goes past 0xffff");
    assert_string_equal(reported[1], "t.system:4:11: priority 999 is out of range (0 to 255)");
    assert_string_equal(reported[2], "t.system:6:14: no component 'nobody' declared before this channel");
    assert_string_equal(reported[3], "t.system:9:1: expected 'system', 'component', 'channel', 'call' or 'region', found 'bogus'");
    assert_string_equal(reported[4], "t.system:11:9: size '5' is not a non-zero multiple of 4K");
    assert_string_equal(first.message, reported[0]);
    assert_int_equal(m.ncomponents, 2); /* what parsed, for a checker */
    assert_string_equal(m.components[1].image, "b.elf");
    /* manifest_parse gives the same first error. */
    assert_int_equal(parse(text), KAAL_E_MANIFEST);
    assert_string_equal(err.message, reported[0]);
}

/* Every grant conflict, in the order of the file. */
static void every_conflict_is_found(void **state)
{
    (void)state;
    const char *text = "component a {\n image a.elf\n irq 4\n ioports 0x40-0x43\n}\n"
                       "component b {\n image b.elf\n ioports 0x42\n irq 4\n}\n";
    manifest_diag_t d = {.report = collect};
    nreported = 0;
    assert_int_equal(parse_diag_in(text, strlen(text), "t.system", &m, &d), KAAL_E_MANIFEST);
    assert_int_equal(nreported, 2);
    assert_string_equal(reported[0], "t.system:8:10: component 'b': IO ports 0x42-0x42 overlap 0x40-0x43, given to 'a' at line 4");
    assert_string_equal(reported[1], "t.system:9:6: component 'b': irq 4 is also given to 'a' at line 3");
}

static void channel_endpoints(void **state)
{
    (void)state;
    parses(A "}\n" B "}\nchannel a -> b {\n size 8K\n endpoint grant\n}\nchannel b -> a { endpoint send }\n"
             "channel a -> b\n");
    assert_int_equal(m.channels[0].endpoint, ENDPOINT_GRANT);
    assert_int_equal(m.channels[0].size, 8192);
    assert_int_equal(m.channels[1].endpoint, ENDPOINT_SEND);
    assert_int_equal(m.channels[2].endpoint, ENDPOINT_NONE);
    expect_error(A "}\n" B "}\nchannel a -> b { endpoint caps }\n", 7, 27, "expected 'send' or 'grant', found 'caps'");
    expect_error(A "}\n" B "}\nchannel a -> b {\n endpoint send\n endpoint grant\n}\n", 9, 2,
                 "'endpoint' given twice (first at line 8)");
}

static void mmio_ranges(void **state)
{
    (void)state;
    expect_error(A " mmio 0xfed00010 4K\n}\n", 3, 7, "mmio base 0xfed00010 is not 4K aligned");
    expect_error(A " mmio 0xfffffffffffff000 8K\n}\n", 3, 7,
                 "mmio 0xfffffffffffff000 of size 0x2000 runs past the end of the address space");
    parses(A " mmio 0xfffffffffffff000 4K\n}\n"); /* the last page is a range, if not device memory */
    assert_int_equal(m.components[0].mmio[0].last, ~(seL4_Word)0);
}

/* ---- whole-system errors ---- */

static void component_without_image(void **state)
{
    (void)state;
    expect_error("component a {\n priority 1\n}\n", 1, 1, "component 'a' has no image");
    expect_error(A "}\n\n  component b { }\n", 5, 3, "component 'b' has no image");
}

static void duplicate_component_names(void **state)
{
    (void)state;
    expect_error(A "}\n\ncomponent a {\n image b.elf\n}\n", 5, 11, "component 'a' is declared twice (first at line 1)");
}

static void channel_to_unknown_component(void **state)
{
    (void)state;
    expect_error(A "}\nchannel a -> b\n", 4, 14, "no component 'b' declared before this channel");
    expect_error(A "}\nchannel x -> a\n", 4, 9, "no component 'x' declared before this channel");
    /* components are declared before the channels that join them */
    expect_error(A "}\nchannel a -> b\n" B "}\n", 4, 14, "no component 'b' declared before this channel");
}

static void channel_to_itself(void **state)
{
    (void)state;
    expect_error(A "}\nchannel a -> a\n", 4, 14, "channel from 'a' to itself");
}

static void irq_given_twice(void **state)
{
    (void)state;
    expect_error(A " irq 4\n}\n" B " irq 3\n irq 4\n}\n", 8, 6, "component 'b': irq 4 is also given to 'a' at line 3");
    expect_error(A " irq 4\n irq 5\n irq 0x4\n}\n", 5, 6, "component 'a': irq 4 is also given to 'a' at line 3");
}

static void ioports_given_twice(void **state)
{
    (void)state;
    expect_error(A " ioports 0x3f8-0x3ff\n}\n" B " ioports 0x3fc-0x400\n}\n", 7, 10,
                 "component 'b': IO ports 0x3fc-0x400 overlap 0x3f8-0x3ff, given to 'a' at line 3");
    expect_error(A " ioports 0x40-0x43\n}\n" B " ioports 0x43\n}\n", 7, 10,
                 "component 'b': IO ports 0x43-0x43 overlap 0x40-0x43, given to 'a' at line 3");
    expect_error(A " ioports 0x40-0x4f\n ioports 0x44-0x47\n}\n", 4, 10,
                 "component 'a': IO ports 0x44-0x47 overlap 0x40-0x4f, given to 'a' at line 3");
    /* the first conflict in file order, whatever its kind */
    expect_error(A " irq 1\n}\n" B " ioports 1\n}\ncomponent c {\n image c.elf\n irq 1\n ioports 1\n}\n", 11, 6,
                 "component 'c': irq 1 is also given to 'a' at line 3");
}

static void mmio_given_twice(void **state)
{
    (void)state;
    expect_error(A " mmio 0xfed00000 8K\n}\n" B " mmio 0xfed01000 4K\n}\n", 7, 7,
                 "component 'b': mmio 0xfed01000-0xfed01fff overlaps 0xfed00000-0xfed01fff, given to 'a' at line 3");
}

static void no_components(void **state)
{
    (void)state;
    expect_error("", 1, 1, "the system has no components");
    expect_error("# nothing\n\n", 3, 1, "the system has no components");
    expect_error("system s\n", 2, 1, "the system has no components");
}

static void mmio_outside_device_memory(void **state)
{
    (void)state;
    /* RAM, the IOAPIC's page (the kernel keeps it), and a range that runs into it */
    expect_device_error(A " mmio 0x100000 4K\n}\n", 3, 7,
                        "component 'a': no device untyped covers mmio 0x100000-0x100fff");
    expect_device_error(A "}\n" B " mmio 0xfed00000 4K\n mmio 0xfec00000 4K\n}\n", 7, 7,
                        "component 'b': no device untyped covers mmio 0xfec00000-0xfec00fff");
    expect_device_error(A " mmio 0xfebff000 8K\n}\n", 3, 7,
                        "component 'a': no device untyped covers mmio 0xfebff000-0xfec00fff");
    assert_int_equal(manifest_check_devices(&m, NULL, "t.system", &err), KAAL_E_INVAL);
}

/* ---- robustness ---- */

static void errors_leave_nothing(void **state)
{
    (void)state;
    /* all of it parsed but for the last line: still nothing */
    static char text[sizeof(demo) + 64];
    unsigned lines = 1;
    for (size_t i = 0; i < demo_len; i++) {
        lines += demo[i] == '\n';
    }
    assert_true(demo_len > 0 && demo[demo_len - 1] == '\n');
    memcpy(text, demo, demo_len);
    strcpy(text + demo_len, "channel serial -> nobody\n");
    expect_error(text, lines, 19, "no component 'nobody' declared before this channel");
}

static void arguments(void **state)
{
    (void)state;
    const char *text = "component a { image a.elf }\n";
    assert_int_equal(parse_in(text, strlen(text), "t.system", NULL, &err), KAAL_E_INVAL);
    assert_int_equal(parse_in(text, strlen(text), "t.system", &m, NULL), KAAL_OK);
    assert_int_equal(parse_in("x", 1, "t.system", &m, NULL), KAAL_E_MANIFEST);
    assert_int_equal(parse_in(NULL, 0, NULL, &m, &err), KAAL_E_MANIFEST);
    assert_string_equal(err.message, "(system):1:1: the system has no components");
}

static void long_file_names_are_cut(void **state)
{
    (void)state;
    char file[400];
    memset(file, 'f', sizeof(file) - 1);
    file[sizeof(file) - 1] = '\0';
    assert_int_equal(parse_in("x\n", 2, file, &m, &err), KAAL_E_MANIFEST);
    assert_int_equal(strlen(err.message), sizeof(err.message) - 1);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 1);
}

/* Every prefix of the demo, and the demo with bytes changed: an answer each time, never a crash. */
static void damaged_text_is_refused_cleanly(void **state)
{
    (void)state;
    static char text[16384];
    for (size_t len = 0; len <= demo_len; len++) {
        memcpy(text, demo, len);
        kaal_err_t e = parse_in(text, len, "demo.system", &m, &err);
        assert_true(e == KAAL_OK || (e == KAAL_E_MANIFEST && strncmp(err.message, "demo.system:", 12) == 0));
    }
    static const char bytes[] = "{}#->\n\r\t 0x-KM9az\001";
    unsigned seed = 12345;
    for (int i = 0; i < 20000; i++) {
        memcpy(text, demo, demo_len);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % demo_len;
            seed = seed * 1103515245u + 12345u;
            text[at] = bytes[(seed >> 8) % (sizeof(bytes) - 1)];
        }
        kaal_err_t e = parse_in(text, demo_len, "demo.system", &m, &err);
        assert_true(e == KAAL_OK || e == KAAL_E_MANIFEST);
        if (e == KAAL_OK) {
            assert_true(m.ncomponents > 0 && m.ncomponents <= 6);
            for (unsigned c = 0; c < m.nchannels; c++) {
                assert_true(m.channels[c].from != m.channels[c].to && m.channels[c].to < m.ncomponents);
            }
        } else {
            assert_int_equal(m.ncomponents, 0);
            assert_true(err.line >= 1 && err.col >= 1);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(demo_system_parses),
        cmocka_unit_test(documented_example_parses),
        cmocka_unit_test(comments_and_blank_lines),
        cmocka_unit_test(crlf_line_ends),
        cmocka_unit_test(numbers_decimal_and_hex),
        cmocka_unit_test(size_suffixes),
        cmocka_unit_test(defaults),
        cmocka_unit_test(blocks_on_one_line_or_many),
        cmocka_unit_test(grant_positions_are_kept),
        cmocka_unit_test(adjacent_grants_do_not_overlap),
        cmocka_unit_test(no_fixed_limits),
        cmocka_unit_test(text_need_not_end_in_nul),
        cmocka_unit_test(mmio_in_device_memory),
        cmocka_unit_test(unknown_declaration),
        cmocka_unit_test(missing_open_brace),
        cmocka_unit_test(unterminated_block),
        cmocka_unit_test(garbage_after_a_value),
        cmocka_unit_test(unexpected_token_in_a_block),
        cmocka_unit_test(missing_values),
        cmocka_unit_test(control_characters),
        cmocka_unit_test(bad_names),
        cmocka_unit_test(names_longer_than_31),
        cmocka_unit_test(unknown_keys),
        cmocka_unit_test(once_only_keys_given_twice),
        cmocka_unit_test(system_given_twice),
        cmocka_unit_test(priority_out_of_range),
        cmocka_unit_test(slots_in_range),
        cmocka_unit_test(calls),
        cmocka_unit_test(regions),
        cmocka_unit_test(untyped_memory),
        cmocka_unit_test(not_numbers),
        cmocka_unit_test(numbers_too_large),
        cmocka_unit_test(sizes_overflow),
        cmocka_unit_test(sizes_not_pages),
        cmocka_unit_test(sizes_badly_written),
        cmocka_unit_test(ioports_ranges),
        cmocka_unit_test(irq_pins),
        cmocka_unit_test(fault_policies),
        cmocka_unit_test(restart_budgets),
        cmocka_unit_test(lifetimes),
        cmocka_unit_test(every_error_is_found),
        cmocka_unit_test(every_conflict_is_found),
        cmocka_unit_test(mmio_ranges),
        cmocka_unit_test(component_without_image),
        cmocka_unit_test(duplicate_component_names),
        cmocka_unit_test(channel_to_unknown_component),
        cmocka_unit_test(channel_to_itself),
        cmocka_unit_test(channel_endpoints),
        cmocka_unit_test(irq_given_twice),
        cmocka_unit_test(ioports_given_twice),
        cmocka_unit_test(mmio_given_twice),
        cmocka_unit_test(no_components),
        cmocka_unit_test(mmio_outside_device_memory),
        cmocka_unit_test(errors_leave_nothing),
        cmocka_unit_test(arguments),
        cmocka_unit_test(long_file_names_are_cut),
        cmocka_unit_test(damaged_text_is_refused_cleanly),
    };
    RUN_TESTS(tests, setup, NULL);
}
