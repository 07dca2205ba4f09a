/*
 * A TLS block for an image's initial thread: libsel4 keeps its IPC buffer
 * pointer in a thread-local when built with thread-locals, so the block must
 * exist before seL4_SetIPCBuffer.
 */
#include <stdint.h>
#include <kaal/rt.h>
#include <sel4/sel4.h>
#include "tls.h"

extern char __tdata_start[], __tdata_end[], __tbss_start[], __tbss_end[];
extern char __tls_align[];

/* Room for the TLS image and the thread control block word it ends in. */
static uint8_t tls_area[4096] __attribute__((aligned(64)));

void sel4_tls_init(void)
{
    uintptr_t align = (uintptr_t)__tls_align;
    if (align < sizeof(void *)) {
        align = sizeof(void *);
    }
    uintptr_t data = (uintptr_t)(__tdata_end - __tdata_start);
    uintptr_t size = (uintptr_t)(__tbss_end - __tdata_start);
    size = (size + align - 1) & ~(align - 1);
    /* x86_64 uses TLS variant II: the block sits just below the thread pointer,
     * and the word at the thread pointer points to itself. */
    uintptr_t tp = ((uintptr_t)tls_area + size + align - 1) & ~(align - 1);
    uint8_t *block = (uint8_t *)(tp - size);
    rt_memcpy(block, __tdata_start, data);
    rt_memset(block + data, 0, size - data);
    *(uintptr_t *)tp = tp;
    seL4_SetTLSBase(tp);
}

