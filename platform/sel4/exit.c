#include <kaal/rt.h>
#include "exit.h"

#define DEBUG_EXIT_PORT 0xf4

void qemu_exit(const seL4_BootInfo *bi, int status)
{
    /* The last empty slot: the image's own allocator hands out slots from the start. */
    seL4_CPtr slot = bi->empty.end - 1;
    seL4_CNode_Delete(seL4_CapInitThreadCNode, slot, seL4_WordBits);
    seL4_Error err = seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, DEBUG_EXIT_PORT, DEBUG_EXIT_PORT,
                                                  seL4_CapInitThreadCNode, slot, seL4_WordBits);
    if (err == seL4_NoError) {
        seL4_X86_IOPort_Out8(slot, DEBUG_EXIT_PORT, (seL4_Word)status);
    }
    rt_printf("kaal: could not exit QEMU (error %d); stopping\n", (int)err);
    for (;;) {
        seL4_TCB_Suspend(seL4_CapInitThreadTCB);
    }
}
