/* The C side of a component's entry on seL4: TLS, the IPC buffer, then the runtime. */
#include <kaal/runtime.h>
#include "abort.h"
#include "tls.h"

/* A trap is a fault the broker sees on the component's fault endpoint: it
 * restarts or stops the component by its policy. The component is never
 * resumed after it, but if it were, it traps again. */
void image_abort(void)
{
    for (;;) {
        __builtin_trap();
    }
}

void sel4_component_start(const kaal_info_t *info);

void sel4_component_start(const kaal_info_t *info)
{
    sel4_tls_init();
    seL4_SetIPCBuffer((seL4_IPCBuffer *)info->ipc_buffer);
    kaal_runtime_start(info);
}
