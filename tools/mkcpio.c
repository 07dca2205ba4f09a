/*
 * mkcpio: writes a CPIO "newc" archive of the given files, each under its
 * base name, as the root task's boot archive. A build tool (host C).
 * Usage: mkcpio OUT FILE...
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mkcpio OUT FILE...\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "wb");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    long pos = 0;
    for (int i = 2; i < argc; i++) {
        FILE *in = fopen(argv[i], "rb");
        if (!in || fseek(in, 0, SEEK_END) != 0) {
            perror(argv[i]);
            return 1;
        }
        long size = ftell(in);
        rewind(in);
        unsigned char *data = malloc(size > 0 ? (size_t)size : 1);
        if (!data || fread(data, 1, (size_t)size, in) != (size_t)size) {
            perror(argv[i]);
            return 1;
        }
        fclose(in);
        const char *base = strrchr(argv[i], '/');
        entry(out, &pos, base ? base + 1 : argv[i], data, (size_t)size, 0100644);
        free(data);
    }
    entry(out, &pos, "TRAILER!!!", (const unsigned char *)"", 0, 0);
    return fclose(out) == 0 ? 0 : 1;
}
