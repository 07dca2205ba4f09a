#include <kaal/err.h>

static const char *const names[KAAL_E_COUNT] = {
    [KAAL_OK] = "ok",
    [KAAL_E_INVAL] = "invalid argument",
    [KAAL_E_NO_SLOTS] = "out of capability slots",
    [KAAL_E_NO_MEMORY] = "out of untyped memory",
    [KAAL_E_NOT_ALLOCATED] = "not allocated",
    [KAAL_E_NO_METADATA] = "allocator bookkeeping full",
    [KAAL_E_KERNEL] = "kernel refused the invocation",
    [KAAL_E_MAPPED] = "virtual address already mapped",
    [KAAL_E_NOT_MAPPED] = "virtual address not mapped",
    [KAAL_E_NOT_RESERVED] = "virtual range not reserved, or overlapping a reservation",
    [KAAL_E_NO_DEVICE] = "no device untyped covers the physical range",
    [KAAL_E_ELF] = "malformed or unsupported ELF image",
    [KAAL_E_MANIFEST] = "error in the system description",
    [KAAL_E_QUOTA] = "memory quota exceeded",
    [KAAL_E_LAYOUT] = "image does not fit the component layout",
    [KAAL_E_BOOTINFO_NODES] = "bootinfo: bad node id or count",
    [KAAL_E_BOOTINFO_REGION] = "bootinfo: slot region inverted or outside the root CNode",
    [KAAL_E_BOOTINFO_OVERLAP] = "bootinfo: slot regions overlap",
    [KAAL_E_BOOTINFO_UNTYPED] = "bootinfo: malformed untyped descriptor",
    [KAAL_E_DENIED] = "not granted by the system description",
    [KAAL_E_PROTOCOL] = "malformed request",
    [KAAL_E_SLOT] = "bad or occupied slot",
    [KAAL_E_BUSY] = "already held",
    [KAAL_E_NOT_HELD] = "not held",
    [KAAL_E_PEER_GONE] = "the peer is gone",
};

const char *kaal_err_str(kaal_err_t err)
{
    if ((unsigned)err >= KAAL_E_COUNT) {
        return "unknown error";
    }
    return names[err];
}
