/*
 * mkcpio: writes a CPIO "newc" archive of the given files, each under its
 * base name, as the root task's boot archive. A build tool (host C).
 * With --system, the archive also records which file is the system
 * description: its first entry, ".system", holds that file's base name, and
 * the file is packed too if it is not among the others.
 * Usage: mkcpio [--system FILE] OUT FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void pad(FILE *out, long *pos)
{
    while (*pos % 4) {
        fputc(0, out);
        (*pos)++;
    }
}

static void entry(FILE *out, long *pos, const char *name, const unsigned char *data, size_t size, unsigned mode)
{
    size_t namesize = strlen(name) + 1;
    *pos += fprintf(out, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", 0u, mode, 0u, 0u, 1u, 0u,
                    size, 0u, 0u, 0u, 0u, namesize, 0u);
    fwrite(name, 1, namesize, out);
    *pos += (long)namesize;
    pad(out, pos);
    fwrite(data, 1, size, out);
    *pos += (long)size;
    pad(out, pos);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Packs one file under its base name; 0 if it could not be read. */
static int pack(FILE *out, long *pos, const char *path)
{
    FILE *in = fopen(path, "rb");
    if (!in || fseek(in, 0, SEEK_END) != 0) {
        perror(path);
        return 0;
    }
    long size = ftell(in);
    rewind(in);
    unsigned char *data = malloc(size > 0 ? (size_t)size : 1);
    int ok = data && fread(data, 1, (size_t)size, in) == (size_t)size;
    fclose(in);
    if (!ok) {
        perror(path);
    } else {
        entry(out, pos, base_name(path), data, (size_t)size, 0100644);
    }
    free(data);
    return ok;
}

int main(int argc, char **argv)
{
    const char *system = NULL;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--system") == 0) {
        system = argv[2];
        first = 3;
    }
    if (argc < first + 1) {
        fprintf(stderr, "usage: mkcpio [--system FILE] OUT FILE...\n");
        return 2;
    }
    FILE *out = fopen(argv[first], "wb");
    if (!out) {
        perror(argv[first]);
        return 1;
    }
    long pos = 0;
    int listed = 0;
    if (system) {
        const char *name = base_name(system);
        entry(out, &pos, ".system", (const unsigned char *)name, strlen(name), 0100644);
    }
    for (int i = first + 1; i < argc; i++) {
        if (!pack(out, &pos, argv[i])) {
            return 1;
        }
        listed |= system && strcmp(base_name(argv[i]), base_name(system)) == 0;
    }
    if (system && !listed && !pack(out, &pos, system)) {
        return 1;
    }
    entry(out, &pos, "TRAILER!!!", (const unsigned char *)"", 0, 0);
    return fclose(out) == 0 ? 0 : 1;
}
