/* The root task on the sim: boot the simulated machine, then run as its root
 * thread. Its boot archive is the file KAAL_BOOT_ARCHIVE names in the
 * environment; else the one linked in, as on seL4 (an SDK system, kaal_system()
 * in kaal's CMake package); else the build directory's. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <kaal/rt.h>
#include <sel4/sim.h>
#include "root.h"

uint64_t root_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* The whole file, whatever its size (on seL4 the archive is linked into the image). */
static char *read_archive(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    char *data = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        data = malloc(n > 0 ? (size_t)n : 1);
    }
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "%s: cannot read the boot archive\n", path);
        free(data);
        data = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return data;
}

/* The archive linked into the executable, if one is (objcopy names its bounds after the file). */
extern const char _binary_boot_cpio_start[] __attribute__((weak)), _binary_boot_cpio_end[] __attribute__((weak));

int main(void)
{
    seL4_BootInfo *bi = sel4sim_boot();
    rt_set_putc(seL4_DebugPutChar);
    const char *path = getenv("KAAL_BOOT_ARCHIVE");
    if (!path && _binary_boot_cpio_start) {
        return root_main(bi, _binary_boot_cpio_start, (size_t)(_binary_boot_cpio_end - _binary_boot_cpio_start));
    }
#ifdef KAAL_BOOT_ARCHIVE
    path = path ? path : KAAL_BOOT_ARCHIVE;
#endif
    if (!path) {
        fprintf(stderr, "kaal: no boot archive: none is linked in, and KAAL_BOOT_ARCHIVE names none\n");
        return 1;
    }
    size_t size = 0;
    char *archive = read_archive(path, &size);
    if (!archive) {
        return 1;
    }
    int status = root_main(bi, archive, size);
    free(archive);
    return status;
}
