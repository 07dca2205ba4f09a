/*
 * The C side of a root-task image's entry on seL4: the TLS block (tls.c),
 * the IPC buffer, the console, then the image's main.
 * When main returns, its status leaves QEMU through the isa-debug-exit port.
 */
#include <kaal/rt.h>
#include <sel4/sel4.h>
#include "abort.h"
#include "exit.h"
#include "tls.h"

int kaal_image_main(seL4_BootInfo *bi);
void sel4_start(seL4_BootInfo *bi);

static seL4_BootInfo *boot_info; /* for image_abort */

void image_abort(void)
{
    rt_printf("kaal: the root task cannot go on; ending the run with status %d\n", IMAGE_ABORT_STATUS);
    qemu_exit(boot_info, IMAGE_ABORT_STATUS);
}

void sel4_start(seL4_BootInfo *bi)
{
    boot_info = bi;
    sel4_tls_init();
    seL4_SetIPCBuffer(bi->ipcBuffer);
    rt_set_putc(seL4_DebugPutChar);
    int status = kaal_image_main(bi);
    qemu_exit(bi, status);
}
