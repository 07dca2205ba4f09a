/* The root task on the sim: boot the simulated machine, then run as its root
 * thread, with the boot archive read from the build directory. */
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

int main(void)
{
    seL4_BootInfo *bi = sel4sim_boot();
    rt_set_putc(seL4_DebugPutChar);
    /* The build's archive, unless the environment names another (the system tests do). */
    const char *path = getenv("KAAL_BOOT_ARCHIVE") ? getenv("KAAL_BOOT_ARCHIVE") : KAAL_BOOT_ARCHIVE;
    size_t size = 0;
    char *archive = read_archive(path, &size);
    if (!archive) {
        return 1;
    }
    int status = root_main(bi, archive, size);
    free(archive);
    return status;
}
