/*
 * Replays inputs through a fuzz harness without libFuzzer: every regular
 * file under the directories (or the files) named on the command line, in
 * name order. An input passes if the harness returns with every invariant
 * holding. Ends with "N passed, N failed"; no input at all is a failure.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned passed, failed;

static void replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        failed++;
        return;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *data = malloc(n > 0 ? (size_t)n : 1);
    size_t got = data ? fread(data, 1, (size_t)n, f) : 0;
    fclose(f);
    unsigned before = fuzz_broken_count;
    if (data && got == (size_t)n) {
        LLVMFuzzerTestOneInput(data, got);
    } else {
        fuzz_broken_count++;
    }
    free(data);
    if (fuzz_broken_count == before) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s\n", path);
    }
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void replay(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        return; /* a directory not made yet (no findings of that kind, say) */
    }
    if (!S_ISDIR(st.st_mode)) {
        replay_file(path);
        return;
    }
    struct dirent **names;
    int n = scandir(path, &names, NULL, by_name);
    for (int i = 0; i < n; i++) {
        char full[4096];
        snprintf(full, sizeof(full), "%s/%s", path, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
            replay_file(full);
        }
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    fuzz_replaying = 1;
    if (LLVMFuzzerInitialize) {
        LLVMFuzzerInitialize(&argc, &argv);
    }
    for (int i = 1; i < argc; i++) {
        replay(argv[i]);
    }
    if (passed + failed == 0) {
        printf("FAIL no input to replay\n");
        failed++;
    }
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
