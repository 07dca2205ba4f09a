/* The C side of a component's entry on seL4: TLS, the IPC buffer, then the runtime. */
#include <kaal/runtime.h>
#include "tls.h"

void sel4_component_start(const kaal_info_t *info);

void sel4_component_start(const kaal_info_t *info)
{
    sel4_tls_init();
    seL4_SetIPCBuffer((seL4_IPCBuffer *)info->ipc_buffer);
    kaal_runtime_start(info);
}
