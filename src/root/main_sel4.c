/* The root task on real seL4: platform/sel4's entry calls this with the kernel's bootinfo. */
#include "root.h"

int kaal_image_main(seL4_BootInfo *bi);

/* The boot archive, linked into the image (objcopy names its bounds after the file). */
extern const char _binary_boot_cpio_start[], _binary_boot_cpio_end[];

/* The time stamp counter's ticks per millisecond: the kernel measured its
 * frequency at boot and left it in the extra bootinfo (in MHz). */
static uint64_t tsc_per_ms = 1000000; /* 1 GHz, should the kernel not say */

static void find_tsc_frequency(const seL4_BootInfo *bi)
{
    const char *p = (const char *)bi + seL4_BootInfoFrameSize, *end = p + bi->extraLen;
    while ((size_t)(end - p) >= sizeof(seL4_BootInfoHeader)) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)p;
        if (h->len < sizeof(*h) || h->len > (size_t)(end - p)) {
            return;
        }
        if (h->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ && h->len >= sizeof(*h) + sizeof(uint32_t)) {
            uint32_t mhz = *(const uint32_t *)(h + 1);
            if (mhz) {
                tsc_per_ms = (uint64_t)mhz * 1000;
            }
            return;
        }
        p += h->len;
    }
}

uint64_t root_now_ms(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (((uint64_t)hi << 32) | lo) / tsc_per_ms;
}

int kaal_image_main(seL4_BootInfo *bi)
{
    find_tsc_frequency(bi);
    return root_main(bi, _binary_boot_cpio_start, (size_t)(_binary_boot_cpio_end - _binary_boot_cpio_start));
}
