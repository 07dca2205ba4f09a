/*
 * A component that breaks its isolation on purpose: on its first run it
 * writes outside its own mappings, which must end in a fault the broker
 * sees (and, under the restart policy, a fresh copy). On its second it fails
 * one of libsel4's assertions, which must end the same way. On its third it
 * exits.
 */
#include <kaal/runtime.h>

#define OUTSIDE 0xdead0000ul /* nothing of a component is mapped here (include/kaal/component.h) */

int component_main(const kaal_info_t *info)
{
    kaal_console_attach(kaal_channel("serial", KAAL_CHANNEL_WRITER));
    if (info->generation == 0) {
        kaal_printf("%s: writing to 0x%lx, outside my mappings\n", info->name, OUTSIDE);
        *(volatile unsigned long *)OUTSIDE = 1;
        kaal_printf("%s: the write went through: isolation is broken\n", info->name);
        return 1;
    }
    if (info->generation == 1) {
        volatile seL4_Word length = 128; /* the length field has 7 bits */
        kaal_printf("%s: restarted (generation 1); making a message of %lu words\n", info->name,
                    (unsigned long)length);
        seL4_MessageInfo_t m = seL4_MessageInfo_new(0, 0, 0, length);
        kaal_printf("%s: the assertion let me go on (length %lu)\n", info->name,
                    (unsigned long)seL4_MessageInfo_get_length(m));
        return 1;
    }
    kaal_printf("%s: restarted (generation %u), exiting cleanly\n", info->name, info->generation);
    return 0;
}
