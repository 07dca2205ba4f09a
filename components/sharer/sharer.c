/*
 * A component for the regions' system test (tests/system/services.sh), in two roles by what
 * the description gives it. The writer (region `shared` read-write, a call to the reader) fills
 * the region with a pattern and calls the reader; the reader (the region read-only, the call's
 * server) checks the pattern from its own mapping and answers how many words were right. Both
 * print where the region is in their address space, and the writer exits with 0 if all were.
 */
#include <kaal/runtime.h>

#define WORDS 1024

static const kaal_region_t *shared;

static seL4_Word pattern(seL4_Word i)
{
    return i * 2654435761u + 7;
}

static seL4_MessageInfo_t check(const kaal_channel_grant_t *caller, seL4_MessageInfo_t call)
{
    (void)call;
    const volatile seL4_Word *w = (const volatile seL4_Word *)shared->vaddr;
    seL4_Word good = 0;
    for (seL4_Word i = 0; i < WORDS; i++) {
        good += w[i] == pattern(i);
    }
    kaal_printf("%s: %s filled region '%s'; %lu of %u words right\n", kaal_self()->name, caller->peer, shared->name,
                (unsigned long)good, WORDS);
    seL4_SetMR(0, good);
    return seL4_MessageInfo_new(0, 0, 0, 1);
}

int component_main(const kaal_info_t *info)
{
    const kaal_channel_grant_t *console = kaal_channel("serial", KAAL_CHANNEL_WRITER);
    if (console) {
        kaal_console_attach(console);
    }
    shared = kaal_region("shared");
    if (!shared) {
        kaal_printf("%s: no region 'shared'\n", info->name);
        return 1;
    }
    kaal_printf("%s: region '%s' at 0x%lx, %lu KiB in %s pages, %s, %s, physical 0x%lx\n", info->name,
                shared->name, (unsigned long)shared->vaddr, (unsigned long)(shared->size >> 10),
                shared->page_bits == 21 ? "2M" : "4K", shared->writable ? "read-write" : "read-only",
                shared->cached ? "cached" : "uncached", (unsigned long)shared->paddr);
    if (!shared->writable) {
        return kaal_run(&(kaal_handlers_t){.protected = check});
    }
    volatile seL4_Word *w = (volatile seL4_Word *)shared->vaddr;
    for (seL4_Word i = 0; i < WORDS; i++) {
        w[i] = pattern(i);
    }
    const kaal_channel_grant_t *reader = 0;
    for (uint32_t i = 0; i < info->nchannels && !reader; i++) {
        reader = info->channels[i].role == KAAL_CALL_CLIENT ? kaal_channel_at(i) : 0;
    }
    seL4_MessageInfo_t msg = seL4_MessageInfo_new(1, 0, 0, 0);
    if (!reader || kaal_call(reader, &msg) != KAAL_OK) {
        kaal_printf("%s: no reader to call\n", info->name);
        return 1;
    }
    return seL4_GetMR(0) == WORDS ? 0 : 2;
}
