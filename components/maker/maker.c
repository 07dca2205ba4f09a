/*
 * A component for the untyped test (tests/system/services.sh): it retypes
 * notifications out of the untyped memory its description gives it, into its
 * own free slots, signals each (through a badged copy) and polls it, and exits with 0 if every
 * one worked. What it made goes when it goes: the broker revokes the untyped.
 */
#include <kaal/runtime.h>

#define OBJECTS 16

int component_main(const kaal_info_t *info)
{
    if (info->nuntyped == 0) {
        kaal_printf("%s: no untyped memory given\n", info->name);
        return 1;
    }
    seL4_CPtr first = kaal_slot_alloc();
    for (unsigned i = 1; first && i < OBJECTS; i++) {
        if (kaal_slot_alloc() != first + i) { /* consecutive: one retype fills them */
            first = 0;
        }
    }
    seL4_Error e = first ? seL4_Untyped_Retype(info->untyped_first, seL4_NotificationObject, 0, KAAL_CAP_CNODE, 0, 0,
                                               first, OBJECTS)
                         : seL4_NotEnoughMemory;
    unsigned good = 0;
    seL4_CPtr badged = kaal_slot_alloc(); /* a badged copy of each, to signal through */
    for (unsigned i = 0; e == seL4_NoError && badged && i < OBJECTS; i++) {
        seL4_Word bits = 0;
        if (seL4_CNode_Mint(KAAL_CAP_CNODE, badged, KAAL_SLOT_DEPTH, KAAL_CAP_CNODE, first + i, KAAL_SLOT_DEPTH,
                            seL4_AllRights, i + 1) == seL4_NoError) {
            seL4_Signal(badged);
            seL4_Poll(first + i, &bits);
            seL4_CNode_Delete(KAAL_CAP_CNODE, badged, KAAL_SLOT_DEPTH);
        }
        good += bits == i + 1;
    }
    kaal_printf("%s: %u KiB of untyped in %u cap(s) from slot %u; retyped %u notifications: %u of them work\n",
                info->name, (unsigned)(info->untyped_bits[0] >= 10 ? 1u << (info->untyped_bits[0] - 10) : 0),
                info->nuntyped, info->untyped_first, e == seL4_NoError ? OBJECTS : 0, good);
    return good == OBJECTS ? 0 : 1;
}
