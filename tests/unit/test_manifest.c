/* The system description parser: the demo system, and every error at its line and column. */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <kaal/manifest.h>
#include <sel4/sim.h>

static manifest_t m;
static manifest_error_t err;

static kaal_err_t parse(const char *text)
{
    memset(&err, 0, sizeof(err));
    return manifest_parse(text, strlen(text), "t.system", &m, &err);
}

/* The simulated machine's bootinfo, booted once. */
static const seL4_BootInfo *boot(void)
{
    static seL4_BootInfo *bi;
    if (!bi) {
        bi = sel4sim_boot();
    }
    return bi;
}

static void expect_error(const char *text, const char *message)
{
    assert_int_equal(parse(text), KAAL_E_MANIFEST);
    assert_string_equal(err.message, message);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[16384];
    *len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

static void demo_system_parses(void **state)
{
    (void)state;
    size_t len;
    char *text = read_file(KAAL_SOURCE_DIR "/systems/demo.system", &len);
    assert_int_equal(manifest_parse(text, len, "demo.system", &m, &err), KAAL_OK);
    assert_string_equal(m.name, "demo");
    assert_int_equal(m.ncomponents, 4);
    const manifest_component_t *serial = &m.components[0];
    assert_string_equal(serial->name, "serial");
    assert_string_equal(serial->image, "serial.elf");
    assert_int_equal(serial->priority, 200);
    assert_int_equal(serial->stack, 16 * 1024);
    assert_int_equal(serial->memory, 256 * 1024);
    assert_int_equal(serial->nioports, 1);
    assert_int_equal(serial->ioports[0].first, 0x3f8);
    assert_int_equal(serial->ioports[0].last, 0x3ff);
    assert_int_equal(serial->irqs[0], 4);
    assert_int_equal(serial->fault, FAULT_RESTART);
    assert_int_equal(m.components[3].fault, FAULT_STOP);
    assert_int_equal(m.nchannels, 4);
    assert_int_equal(m.channels[0].from, 2);
    assert_int_equal(m.channels[0].to, 0);
    assert_int_equal(m.channels[2].size, 4096); /* the default */
    /* Its devices are where QEMU's pc has them. */
    assert_int_equal(manifest_check_devices(&m, boot(), "demo.system", &err), KAAL_OK);
}

static void formats_accepted(void **state)
{
    (void)state;
    const char *text = "# comment\r\n\r\nsystem s # trailing\r\n"
                       "component a {\r\n  image a.elf\r\n  memory 1M\r\n  stack 0x2000\r\n"
                       "  mmio 0xfed00000 4K\r\n  ioports 96-100\r\n}\r\n";
    assert_int_equal(parse(text), KAAL_OK);
    assert_int_equal(m.components[0].memory, 1 << 20);
    assert_int_equal(m.components[0].stack, 0x2000);
    assert_int_equal(m.components[0].mmio[0].last, 0xfed00fff);
    assert_int_equal(m.components[0].ioports[0].first, 96);
    assert_int_equal(m.components[0].priority, 0);
    assert_int_equal(m.components[0].fault, FAULT_STOP);
}

static void syntax_errors(void **state)
{
    (void)state;
    expect_error("systems s\n", "t.system:1:1: expected 'system', 'component' or 'channel', found 'systems'");
    expect_error("component a\n image x\n}\n", "t.system:1:12: expected '{', found 'end of line'");
    expect_error("component a {\n image x\n", "t.system:1:1: component 'a' has no closing '}'");
    expect_error("component a { image x\n}\n", "t.system:1:15: expected the end of the line, found 'image'");
    expect_error("component a {\n image x y\n}\n", "t.system:2:10: expected the end of the line, found 'y'");
    expect_error("component a {\n prioritty 3\n}\n", "t.system:2:2: unknown key 'prioritty'");
    expect_error("component a {\n image\n}\n", "t.system:2:7: expected a name, found 'end of line'");
    expect_error("system\n", "t.system:1:7: expected a name, found 'end of line'");
}

static void value_errors(void **state)
{
    (void)state;
    expect_error("component a {\n image x\n priority 256\n}\n", "t.system:3:11: priority must be 0 to 255");
    expect_error("component a {\n image x\n priority 1z\n}\n", "t.system:3:11: '1z' is not a number");
    expect_error("component a {\n image x\n stack 100\n}\n", "t.system:3:8: size must be a non-zero multiple of 4K");
    expect_error("component a {\n image x\n memory 99999999999999999999K\n}\n",
                 "t.system:3:9: '99999999999999999999K' is not a number or size");
    expect_error("component a {\n image x\n ioports 0x3ff-0x3f8\n}\n",
                 "t.system:3:10: IO port range must be first-last within 0-0xffff");
    expect_error("component a {\n image x\n ioports 0x3f8\n}\n",
                 "t.system:3:10: expected a port range like 0x3f8-0x3ff, found '0x3f8'");
    expect_error("component a {\n image x\n irq 24\n}\n", "t.system:3:6: irq must be an IOAPIC pin, 0 to 23");
    expect_error("component a {\n image x\n fault maybe\n}\n",
                 "t.system:3:8: expected 'restart' or 'stop', found 'maybe'");
    expect_error("component a {\n image x\n mmio 0xfed00010 4K\n}\n",
                 "t.system:3:2: mmio base must be page aligned and the range must not wrap");
    expect_error("component a {\n image x\n image y\n}\n", "t.system:3:2: 'image' given twice");
    expect_error("component a {\n irq 1\n irq 2\n irq 3\n irq 4\n irq 5\n image x\n}\n",
                 "t.system:6:2: more than 4 'irq' grants");
}

static void system_errors(void **state)
{
    (void)state;
    expect_error("component a {\n priority 1\n}\n", "t.system:1:1: component 'a' has no image");
    expect_error("component a {\n image x\n}\ncomponent a {\n image y\n}\n",
                 "t.system:4:11: component 'a' is declared twice");
    expect_error("component a {\n image x\n}\nchannel a -> b\n", "t.system:4:14: no component named 'b'");
    expect_error("component a {\n image x\n}\nchannel a -> a\n",
                 "t.system:4:14: a channel needs two different components");
    expect_error("component a {\n image x\n}\ncomponent b {\n image x\n}\nchannel a b\n",
                 "t.system:7:11: expected '->', found 'b'");
    expect_error("component a {\n image x\n irq 4\n}\ncomponent b {\n image y\n irq 4\n}\n",
                 "t.system:5:1: component 'b': irq 4 is also given to 'a'");
    expect_error("component a {\n image x\n ioports 0x3f8-0x3ff\n}\ncomponent b {\n image y\n ioports 0x3fc-0x400\n}\n",
                 "t.system:5:1: component 'b': IO ports 0x3fc-0x400 are also given to 'a'");
}

static void device_memory_must_exist(void **state)
{
    (void)state;
    assert_int_equal(parse("component a {\n image x\n mmio 0x100000 4K\n}\n"), KAAL_OK); /* RAM, not device */
    assert_int_equal(manifest_check_devices(&m, boot(), "t.system", &err), KAAL_E_MANIFEST);
    assert_string_equal(err.message, "t.system:1:1: component 'a': no device memory at 0x100000-0x100fff");
}

static void maxima(void **state)
{
    (void)state;
    static char text[8192];
    size_t n = 0;
    for (int i = 0; i <= MANIFEST_MAX_COMPONENTS; i++) {
        n += (size_t)snprintf(text + n, sizeof(text) - n, "component c%d {\n image x\n}\n", i);
    }
    expect_error(text, "t.system:49:1: more than 16 components");
    expect_error("component abcdefghijabcdefghijabcdefghijab {\n image x\n}\n",
                 "t.system:1:11: name longer than 31 characters");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(demo_system_parses),   cmocka_unit_test(formats_accepted), cmocka_unit_test(syntax_errors),
        cmocka_unit_test(value_errors),         cmocka_unit_test(system_errors),
        cmocka_unit_test(device_memory_must_exist), cmocka_unit_test(maxima),
    };
    RUN_TESTS(tests, NULL, NULL);
}
