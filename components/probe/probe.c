/*
 * A probe of the broker for the system tests: asks for a page of memory,
 * writes and reads it back, gives it back, and exits with 0 if all of that
 * worked. With a channel to a serial driver it says so there too (which
 * channel of the driver's it is, as the driver's own count). Its status is
 * the root task's log line "NAME exited with status N".
 */
#include <kaal/runtime.h>

int component_main(const kaal_info_t *info)
{
    const kaal_channel_grant_t *console = kaal_channel("serial", KAAL_CHANNEL_WRITER);
    if (console) {
        kaal_console_attach(console);
    }
    void *page = 0;
    if (kaal_memory(0, 4096, &page) != KAAL_OK) {
        return 1;
    }
    volatile seL4_Word *w = page;
    w[0] = info->id;
    int good = w[0] == info->id && w[1] == 0;
    int status = good && kaal_release(KAAL_RPC_MEMORY, (seL4_Word)page, 0) == KAAL_OK ? 0 : 2;
    kaal_printf("%s: memory from the broker and back: %s\n", info->name, status == 0 ? "ok" : "FAILED");
    return status;
}
