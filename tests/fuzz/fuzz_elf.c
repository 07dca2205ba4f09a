/*
 * The ELF parser, and the loader behind it. What elf_parse accepts is
 * checked again segment by segment (inside the file, below the user top, no
 * page shared, the entry in an executable segment); then spawn_build loads
 * it into a component on the sim, within the layout's bounds and the quota,
 * or refuses it, and either way every byte and slot comes back.
 */
#include <string.h>
#include <kaal/arch.h>
#include <kaal/broker.h>
#include <kaal/spawn.h>
#include <sel4/sim.h>
#include "fuzz.h"

#define PAGE 0x1000ul

typedef unsigned __int128 u128;

static broker_t br;
static kaal_obj_t ep;
static manifest_component_t desc;
static component_t comp;
static seL4_Word used0, slots0;

static void boot(void)
{
    FUZZ_CHECK(broker_init(&br, sel4sim_boot(), NULL) == KAAL_OK);
    FUZZ_CHECK(untyped_alloc(&br.mem, seL4_EndpointObject, 0, &ep) == KAAL_OK && spawn_prepare(&br) == KAAL_OK);
    strcpy(desc.name, "fuzzed");
    desc.priority = 1;
    desc.stack = 4 * PAGE;
    desc.memory = 1ul << 20;
    untyped_coalesce(&br.mem);
    used0 = broker_given_bytes(&br);
    slots0 = broker_given_slots(&br);
}

static void check_segments(const elf_image_t *img, size_t size)
{
    FUZZ_CHECK(img->nsegments >= 1 && img->nsegments <= ELF_MAX_SEGMENTS);
    int entry_ok = 0;
    for (unsigned i = 0; i < img->nsegments && i < ELF_MAX_SEGMENTS; i++) {
        const elf_segment_t *s = &img->segments[i];
        FUZZ_CHECK((u128)s->offset + s->filesz <= size && s->filesz <= s->memsz);
        FUZZ_CHECK(s->vaddr >= PAGE && s->memsz > 0 && (u128)s->vaddr + s->memsz <= kaal_arch.user_top);
        for (unsigned j = 0; j < i; j++) {
            const elf_segment_t *o = &img->segments[j];
            FUZZ_CHECK((s->vaddr + s->memsz - 1) / PAGE < o->vaddr / PAGE ||
                       (o->vaddr + o->memsz - 1) / PAGE < s->vaddr / PAGE);
        }
        entry_ok |= (s->flags & ELF_SEG_X) && img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz;
    }
    FUZZ_CHECK(entry_ok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int booted;
    if (!booted) {
        boot();
        booted = 1;
    }
    elf_image_t img;
    elf_problem_t why = {0, 0};
    kaal_err_t err = elf_parse(data, size, &img, &why);
    FUZZ_CHECK(err == KAAL_OK || (err == KAAL_E_ELF && why.reason != NULL));
    if (err != KAAL_OK) {
        return 0;
    }
    check_segments(&img, size);
    spawn_problem_t problem;
    err = spawn_build(&br, &comp, &desc, 1, data, size, ep.cap, &problem);
    if (err == KAAL_OK) {
        FUZZ_CHECK(comp.entry == img.entry && comp.nframes <= comp.frames_room);
        FUZZ_CHECK(spawn_bytes(&comp) <= desc.memory);
        FUZZ_CHECK(broker_given_bytes(&br) - used0 == spawn_bytes(&comp));
        spawn_destroy(&br, &comp);
    } else {
        FUZZ_CHECK(err == KAAL_E_LAYOUT || err == KAAL_E_QUOTA);
    }
    untyped_coalesce(&br.mem);
    FUZZ_CHECK(broker_given_bytes(&br) == used0 && broker_given_slots(&br) == slots0);
    return 0;
}
