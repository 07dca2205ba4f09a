/*
 * Shared by the unit tests that build components on the sim (test_spawn.c,
 * test_rpc.c): a booted broker and its endpoint, a small ELF image whose
 * first instruction is ud2, a description, and the check that every byte
 * and slot came back.
 */
#pragma once

#include <elf.h>
#include <string.h>
#include "unit.h"
#include "elf_header.h"
#include <kaal/broker.h>
#include <kaal/spawn.h>
#include <sel4/sim.h>

#define PAGE 4096ul
#define PEEK_VADDR 0x200040000000ul /* where the test maps a copy of a component frame */

typedef struct {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[2];
    uint8_t text[PAGE - sizeof(Elf64_Ehdr) - 2 * sizeof(Elf64_Phdr)];
    uint8_t data[64];
} image_t;

static broker_t br;
static kaal_obj_t ep;
static image_t img;
static manifest_component_t desc;
static component_t comp, other __attribute__((unused));
static seL4_Word used_before, slots_before;
/* The description's grant tables (a parsed one's come from the parser). */
static manifest_range_t desc_ioports[4], desc_mmio[4];
static seL4_Word desc_irqs[4];
static manifest_pos_t desc_irq_at[4];

static inline void build_image(seL4_Word text_vaddr)
{
    memset(&img, 0, sizeof(img));
    elf_header_init(&img.eh, text_vaddr + offsetof(image_t, text), offsetof(image_t, ph), 2);
    img.ph[0] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0, .p_vaddr = text_vaddr,
                             .p_filesz = PAGE, .p_memsz = PAGE, .p_align = PAGE};
    img.ph[1] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = PAGE,
                             .p_vaddr = text_vaddr + PAGE, .p_filesz = sizeof(img.data), .p_memsz = 3 * PAGE,
                             .p_align = PAGE};
    img.text[0] = 0x0f; /* ud2 */
    img.text[1] = 0x0b;
    for (unsigned i = 0; i < sizeof(img.data); i++) {
        img.data[i] = (uint8_t)(0xa0 + i);
    }
}

static inline int boot(void **state)
{
    (void)state;
    if (broker_init(&br, sel4sim_boot(), NULL) != KAAL_OK) {
        return -1;
    }
    return untyped_alloc(&br.mem, seL4_EndpointObject, 0, &ep) == KAAL_OK && spawn_prepare(&br) == KAAL_OK ? 0 : -1;
}

static inline int fresh(void **state)
{
    (void)state;
    build_image(0x400000);
    memset(&desc, 0, sizeof(desc));
    desc.ioports = desc_ioports;
    desc.irqs = desc_irqs;
    desc.irq_at = desc_irq_at;
    desc.mmio = desc_mmio;
    strcpy(desc.name, "test");
    desc.priority = 100;
    desc.stack = 4 * PAGE;
    desc.memory = 256 * 1024;
    memset(&comp, 0, sizeof(comp));
    untyped_coalesce(&br.mem); /* split untypeds hold slots: count from a merged state */
    untyped_coalesce(&br.devmem);
    used_before = broker_given_bytes(&br);
    slots_before = broker_given_slots(&br);
    return 0;
}

/* Every byte, and once split untypeds are merged again, every slot. */
static inline void assert_all_back(void)
{
    assert_int_equal(broker_given_bytes(&br), used_before);
    untyped_coalesce(&br.mem);
    untyped_coalesce(&br.devmem);
    assert_int_equal(broker_given_slots(&br), slots_before);
}

static inline kaal_err_t build(component_t *c)
{
    spawn_problem_t why;
    return spawn_build(&br, c, &desc, 1, &img, sizeof(img), ep.cap, &why);
}


/* Builds and starts comp; its first instruction (ud2) arrives as its fault, and it stays stopped there. */
static inline void start_until_fault(void)
{
    assert_int_equal(build(&comp), KAAL_OK);
    assert_int_equal(spawn_start(&br, &comp), KAAL_OK);
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep.cap, &badge);
    assert_int_equal(badge, 1 | KAAL_BADGE_FAULT);
    assert_int_equal(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
}

/* Asks for memory for c (as its RPC stub would) until less than a page of its
 * quota is left: the largest request that fits, paging structures included. */
static inline void fill_quota(component_t *c)
{
    seL4_Word left = c->desc->memory - spawn_bytes(c);
    for (seL4_Word size = left & ~(PAGE - 1); size; size -= PAGE) {
        seL4_SetMR(0, 0);
        seL4_SetMR(1, size);
        seL4_MessageInfo_t r = rpc_serve(&br, c, seL4_MessageInfo_new(KAAL_RPC_MEMORY, 0, 0, 2));
        if (seL4_MessageInfo_get_label(r) == KAAL_OK) {
            break;
        }
        assert_int_equal(seL4_MessageInfo_get_label(r), KAAL_E_QUOTA);
    }
    assert_true(spawn_bytes(c) <= c->desc->memory);
    assert_true(c->desc->memory - spawn_bytes(c) < PAGE);
}
