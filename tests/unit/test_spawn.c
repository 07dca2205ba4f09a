/*
 * Building components on the sim: the objects, the image's bytes in their
 * frames, the layout, the quota, refusals, and exact reclamation. A started
 * component runs its own code in a process of its own: its first
 * instruction (ud2) reaches the broker's endpoint as its fault.
 */
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
static component_t comp, other;
static seL4_Word used_before, slots_before;

static void build_image(seL4_Word text_vaddr)
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

static int boot(void **state)
{
    (void)state;
    if (broker_init(&br, sel4sim_boot(), NULL) != KAAL_OK) {
        return -1;
    }
    return untyped_alloc(&br.mem, seL4_EndpointObject, 0, &ep) == KAAL_OK ? 0 : -1;
}

static int fresh(void **state)
{
    (void)state;
    build_image(0x400000);
    memset(&desc, 0, sizeof(desc));
    strcpy(desc.name, "test");
    desc.priority = 100;
    desc.stack = 4 * PAGE;
    desc.memory = 256 * 1024;
    memset(&comp, 0, sizeof(comp));
    untyped_coalesce(&br.mem); /* split untypeds hold slots: count from a merged state */
    used_before = br.mem.used_bytes;
    slots_before = cspace_free_count(&br.slots);
    return 0;
}

/* Every byte, and once split untypeds are merged again, every slot. */
static void assert_all_back(void)
{
    assert_int_equal(br.mem.used_bytes, used_before);
    untyped_coalesce(&br.mem);
    assert_int_equal(cspace_free_count(&br.slots), slots_before);
}

static kaal_err_t build(component_t *c)
{
    spawn_problem_t why;
    return spawn_build(&br, c, &desc, 1, &img, sizeof(img), ep.cap, &why);
}

/* Reads a component frame through a copy of its cap mapped in the broker's own vspace. */
static void peek(seL4_CPtr frame, void *out, size_t len)
{
    seL4_CPtr copy;
    assert_int_equal(cspace_slot_alloc(&br.slots, &copy), KAAL_OK);
    assert_int_equal(seL4_CNode_Copy(br.slots.root, copy, br.slots.depth, br.slots.root, frame, br.slots.depth,
                                     seL4_AllRights),
                     seL4_NoError);
    assert_int_equal(vspace_map(&br.vspace, copy, PEEK_VADDR, seL4_PageBits, seL4_ReadWrite,
                                seL4_X86_Default_VMAttributes),
                     KAAL_OK);
    memcpy(out, (void *)PEEK_VADDR, len);
    assert_int_equal(vspace_unmap(&br.vspace, copy, PEEK_VADDR, seL4_PageBits), KAAL_OK);
    assert_int_equal(seL4_CNode_Delete(br.slots.root, copy, br.slots.depth), seL4_NoError);
    assert_int_equal(cspace_slot_free(&br.slots, copy), KAAL_OK);
}

static void build_lays_out_and_destroy_gives_everything_back(void **state)
{
    (void)state;
    assert_int_equal(build(&comp), KAAL_OK);
    assert_int_equal(comp.state, COMPONENT_BUILT);
    /* info, IPC buffer, 4 stack pages, text, 3 data pages */
    assert_int_equal(comp.nframes, 2 + 4 + 1 + 3);
    assert_true(vspace_is_mapped(&comp.vs, KAAL_IPCBUF_VADDR, seL4_PageBits));
    assert_false(vspace_is_mapped(&comp.vs, KAAL_INFO_VADDR, seL4_PageBits)); /* mapped at start */
    assert_true(vspace_is_mapped(&comp.vs, KAAL_STACK_TOP - PAGE, seL4_PageBits));
    assert_true(vspace_is_mapped(&comp.vs, KAAL_STACK_TOP - 4 * PAGE, seL4_PageBits));
    assert_false(vspace_is_mapped(&comp.vs, KAAL_STACK_TOP - 5 * PAGE, seL4_PageBits)); /* the guard page */
    assert_true(vspace_is_mapped(&comp.vs, 0x400000, seL4_PageBits));
    assert_true(vspace_is_mapped(&comp.vs, 0x403000, seL4_PageBits));
    assert_int_equal(comp.entry, 0x400000 + offsetof(image_t, text));
    assert_int_equal(comp.info.stack_top, KAAL_STACK_TOP);
    assert_int_equal(comp.info.ipc_buffer, KAAL_IPCBUF_VADDR);
    /* The data segment's bytes are in its first frame, and the rest of it is zero. */
    uint8_t page[PAGE];
    peek(comp.frames[7].cap, page, sizeof(page));
    assert_memory_equal(page, img.data, sizeof(img.data));
    for (size_t i = sizeof(img.data); i < PAGE; i++) {
        assert_int_equal(page[i], 0);
    }
    assert_int_equal(spawn_bytes(&comp), br.mem.used_bytes - used_before);
    assert_int_equal(spawn_broker_slots(&comp), 4 + comp.nframes + comp.vs.ntables);
    spawn_destroy(&br, &comp);
    assert_int_equal(comp.state, COMPONENT_NONE);
    assert_all_back();
}

static void a_started_component_runs_its_own_code(void **state)
{
    (void)state;
    assert_int_equal(build(&comp), KAAL_OK);
    assert_int_equal(spawn_start(&br, &comp), KAAL_OK);
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep.cap, &badge);
    assert_int_equal(badge, 1 | KAAL_BADGE_FAULT);
    assert_int_equal(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    assert_int_equal(seL4_GetMR(seL4_UserException_Number), 6); /* invalid opcode */
    assert_int_equal(seL4_GetMR(seL4_UserException_FaultIP), comp.entry);
    assert_int_equal(seL4_GetMR(seL4_UserException_SP), KAAL_STACK_TOP);
    spawn_destroy(&br, &comp);
    assert_all_back();
}

static void over_quota_is_refused_and_leaves_nothing(void **state)
{
    (void)state;
    desc.memory = 32 * 1024;
    assert_int_equal(build(&comp), KAAL_E_QUOTA);
    assert_all_back();
}

static void malformed_image_is_refused_before_anything_is_made(void **state)
{
    (void)state;
    img.eh.e_machine = EM_386;
    spawn_problem_t why;
    assert_int_equal(spawn_build(&br, &comp, &desc, 1, &img, sizeof(img), ep.cap, &why), KAAL_E_ELF);
    assert_string_equal(why.elf.reason, "not for x86_64");
    assert_int_equal(br.mem.used_bytes, used_before);
    assert_int_equal(cspace_free_count(&br.slots), slots_before);
}

static void image_over_the_fixed_layout_is_refused(void **state)
{
    (void)state;
    build_image(KAAL_IPCBUF_VADDR);
    assert_int_equal(build(&comp), KAAL_E_LAYOUT);
    assert_all_back();
}

static void granted_io_ports_are_its_own_until_it_goes(void **state)
{
    (void)state;
    desc.nioports = 1;
    desc.ioports[0] = (manifest_range_t){0x40, 0x43, {1, 1}};
    assert_int_equal(build(&comp), KAAL_OK);
    assert_int_equal(comp.info.nioports, 1);
    assert_int_equal(comp.info.ioports[0].cap, KAAL_CAP_FIRST_FREE);
    memset(&other, 0, sizeof(other));
    assert_int_equal(build(&other), KAAL_E_KERNEL); /* the kernel issues a range once */
    assert_int_equal(br.mem.used_bytes - used_before, spawn_bytes(&comp));
    spawn_destroy(&br, &comp);
    assert_int_equal(build(&other), KAAL_OK); /* deleting the component's CNode released the range */
    spawn_destroy(&br, &other);
    assert_all_back();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(build_lays_out_and_destroy_gives_everything_back, fresh),
        cmocka_unit_test_setup(a_started_component_runs_its_own_code, fresh),
        cmocka_unit_test_setup(over_quota_is_refused_and_leaves_nothing, fresh),
        cmocka_unit_test_setup(malformed_image_is_refused_before_anything_is_made, fresh),
        cmocka_unit_test_setup(image_over_the_fixed_layout_is_refused, fresh),
        cmocka_unit_test_setup(granted_io_ports_are_its_own_until_it_goes, fresh),
    };
    RUN_TESTS(tests, boot, NULL);
}
