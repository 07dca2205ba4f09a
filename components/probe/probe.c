/*
 * A probe of the broker for the system tests: asks for a page of memory,
 * writes and reads it back, gives it back, and exits with 0 if all of that
 * worked. It needs no channel, so it runs in any system; its status is the
 * root task's log line "probe exited with status N".
 */
#include <kaal/runtime.h>

int component_main(const kaal_info_t *info)
{
    void *page = 0;
    if (kaal_memory(0, 4096, &page) != KAAL_OK) {
        return 1;
    }
    volatile seL4_Word *w = page;
    w[0] = info->id;
    int good = w[0] == info->id && w[1] == 0;
    return good && kaal_release(KAAL_RPC_MEMORY, (seL4_Word)page, 0) == KAAL_OK ? 0 : 2;
}
