#define _GNU_SOURCE
/*
 * The synthetic boot: the kernel state and bootinfo that seL4 16.0.0 hands
 * its root task on QEMU pc99 with 512 MiB of RAM. The layout (physical
 * memory map, slot regions, image size) is in sim_machine below; untypeds
 * are carved from the free ranges the way the kernel carves them, into
 * naturally aligned power-of-two blocks.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "model.h"
#include "sim_internal.h"


typedef struct {
    word_t start, end;
} range_t;

/* The machine the sim boots: QEMU pc99 with -m 512, as seL4 16.0.0 (x86_64,
 * default root CNode and bootinfo sizes) lays it out for its root task. */
static const struct {
    word_t ram_size;
    range_t ram_free[3];     /* RAM left to the root task, in the kernel's order */
    range_t device[5];       /* physical address space that is not RAM */
    word_t rootserver_paddr; /* where the kernel put the root task's own objects */
    word_t image_paddr, image_vaddr, image_frames;
    unsigned cnode_bits;
} sim_machine = {
    .ram_size = 0x20000000,
    .ram_free = {{0x00100000, 0x00800000},   /* the kernel's boot code, reclaimed */
                 {0x00a80000, 0x1ffa0000},
                 {0x1ffc8800, 0x1ffe0000}},
    .device = {{0x00000000, 0x00100000},
               {0x1ffe0000, 0xfec00000},     /* up to the IOAPIC, which the kernel keeps */
               {0xfec01000, 0xfee00000},     /* up to the local APIC, likewise */
               {0xfee01000, 0xffffffff},     /* the kernel ends this one a byte short of 4 GiB */
               {0x100000000, CONFIG_PADDR_USER_DEVICE_TOP}}, /* to the top of user device space */
    .rootserver_paddr = 0x1ffa0000,
    .image_paddr = 0x00a13000,
    .image_vaddr = 0x00400000,
    .image_frames = 109,
    .cnode_bits = 12,
};

#define SIM_TSC_MHZ 2000

/* The kernel carves untypeds in its own virtual window, which starts at this
 * address; alignment is computed there, so a region whose window address
 * wraps to 0 counts as aligned to anything, as on the kernel. */
#define KERNEL_WINDOW_BASE 0xffffff8000000000ul

static unsigned floor_log2(word_t v)
{
    return 63u - (unsigned)__builtin_clzl(v);
}

/* Splits [start, end) into untypeds the way the kernel does at boot. */
static void carve_untypeds(seL4_BootInfo *bi, cte_t *cnode, word_t *slot, range_t r, bool device)
{
    word_t start = r.start + KERNEL_WINDOW_BASE, end = r.end + KERNEL_WINDOW_BASE;
    while (start != end && *slot < BIT(sim_machine.cnode_bits)) {
        unsigned bits = floor_log2(end - start);
        if (bits > seL4_MaxUntypedBits) {
            bits = seL4_MaxUntypedBits;
        }
        if (start != 0 && (unsigned)__builtin_ctzl(start) < bits) {
            bits = (unsigned)__builtin_ctzl(start);
        }
        if (bits >= seL4_MinUntypedBits) {
            word_t i = *slot - bi->untyped.start;
            if (i >= CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS) {
                return;
            }
            word_t paddr = start - KERNEL_WINDOW_BASE;
            bi->untypedList[i] = (seL4_UntypedDesc){.paddr = paddr, .sizeBits = (seL4_Uint8)bits, .isDevice = device};
            cte_set_root(&cnode[*slot], create_object(seL4_UntypedObject, paddr, bits, device));
            (*slot)++;
        }
        start += BIT(bits);
    }
}

static cap_t simple_cap(cap_type_t type)
{
    cap_t c;
    memset(&c, 0, sizeof(c));
    c.type = type;
    return c;
}

static cap_t frame_at(word_t paddr)
{
    return create_object(seL4_X86_4K, paddr, 0, false);
}

seL4_BootInfo *sim_boot_kernel(void)
{
    /* RAM is a memory file, so a frame can also be mapped at the root task's
     * own virtual addresses in the host (vspace.c). */
    ksim.ram_size = sim_machine.ram_size;
    ksim.ram_fd = memfd_create("sel4sim-ram", 0);
    if (ksim.ram_fd < 0 || ftruncate(ksim.ram_fd, (off_t)ksim.ram_size) != 0) {
        abort();
    }
    ksim.ram = mmap(NULL, ksim.ram_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, ksim.ram_fd, 0);
    if (ksim.ram == MAP_FAILED) {
        abort();
    }
    word_t obj = sim_machine.rootserver_paddr; /* bump allocator for the root task's objects */

    cap_t root = create_object(seL4_CapTableObject, obj, sim_machine.cnode_bits, false);
    root.cn.guard_size = seL4_WordBits - sim_machine.cnode_bits;
    obj += BIT(sim_machine.cnode_bits + seL4_SlotBits);
    cte_t *cnode = root.obj;

    cap_t tcb = create_object(seL4_TCBObject, obj, 0, false);
    obj += BIT(seL4_TCBBits);
    obj = (obj + MASK(seL4_PageBits)) & ~MASK(seL4_PageBits);
    tcb_t *t = tcb.obj;
    t->state = ts_running;
    t->priority = t->mcp = seL4_MaxPrio;
    t->host_started = true; /* the host's main thread is the root thread */
    strcpy(t->name, "rootserver");

    /* The extra bootinfo page follows the bootinfo page, as the kernel maps them. */
    word_t bi_paddr = obj, extra_paddr = obj + BIT(seL4_PageBits), ipc_paddr = obj + 2 * BIT(seL4_PageBits);
    obj += 3 * BIT(seL4_PageBits);
    seL4_BootInfo *bi = ram_at(bi_paddr, BIT(seL4_PageBits));
    seL4_IPCBuffer *ipc = ram_at(ipc_paddr, BIT(seL4_PageBits));

    cap_t vspace = create_object(seL4_X64_PML4Object, obj, 0, false);
    obj += BIT(seL4_PageBits);
    cap_t pool = make_asid_pool(obj);
    obj += BIT(seL4_PageBits);
    vspace_boot_assign(&pool, &vspace);
    /* The IPC buffer and bootinfo pages follow the image, as the kernel maps them. */
    word_t ipc_vaddr = sim_machine.image_vaddr + sim_machine.image_frames * BIT(seL4_PageBits);
    cap_t bi_frame = frame_at(bi_paddr), ipc_frame = frame_at(ipc_paddr), extra_frame = frame_at(extra_paddr);

    cte_set_root(&cnode[seL4_CapInitThreadTCB], tcb);
    cte_set_root(&cnode[seL4_CapInitThreadCNode], root);
    cte_set_root(&cnode[seL4_CapInitThreadVSpace], vspace);
    cte_set_root(&cnode[seL4_CapIRQControl], simple_cap(cap_irq_control));
    cte_set_root(&cnode[seL4_CapASIDControl], simple_cap(cap_asid_control));
    cte_set_root(&cnode[seL4_CapInitThreadASIDPool], pool);
    cte_set_root(&cnode[seL4_CapIOPortControl], simple_cap(cap_io_port_control));
    cte_set_root(&cnode[seL4_CapBootInfoFrame], bi_frame);
    cte_set_root(&cnode[seL4_CapInitThreadIPCBuffer], ipc_frame);
    cte_set_root(&cnode[seL4_CapDomain], simple_cap(cap_domain));

    /* The thread's own slots: its CSpace and VSpace roots. */
    cte_insert(root, &cnode[seL4_CapInitThreadCNode], &t->ctes[tcb_ctable]);
    cte_insert(vspace, &cnode[seL4_CapInitThreadVSpace], &t->ctes[tcb_vtable]);
    t->ipc_buffer = ipc;
    t->ipc_buffer_vaddr = ipc_vaddr;

    memset(bi, 0, sizeof(*bi));
    bi->nodeID = 0;
    bi->numNodes = 1;
    bi->ipcBuffer = ipc;
    bi->initThreadCNodeSizeBits = sim_machine.cnode_bits;
    word_t slot = seL4_NumInitialCaps;

    /* The image's paging structures below the PML4: one PDPT, PD and PT. */
    bi->userImagePaging.start = slot;
    static const word_t paging_types[] = {seL4_X86_PDPTObject, seL4_X86_PageDirectoryObject,
                                          seL4_X86_PageTableObject};
    for (unsigned i = 0; i < 3; i++) {
        cap_t table = create_object(paging_types[i], obj, 0, false);
        vspace_boot_install(&table, vspace.obj, sim_machine.image_vaddr);
        cte_set_root(&cnode[slot++], table);
        obj += BIT(seL4_PageBits);
    }
    bi->userImagePaging.end = slot;
    vspace_boot_install(&cnode[seL4_CapInitThreadIPCBuffer].cap, vspace.obj, ipc_vaddr);
    vspace_boot_install(&cnode[seL4_CapBootInfoFrame].cap, vspace.obj, ipc_vaddr + BIT(seL4_PageBits));
    vspace_boot_install(&extra_frame, vspace.obj, ipc_vaddr + 2 * BIT(seL4_PageBits));
    /* Extra bootinfo: one chunk, the TSC frequency, as x86 kernels pass it. */
    bi->extraBIPages.start = slot;
    cte_set_root(&cnode[slot++], extra_frame);
    bi->extraBIPages.end = slot;
    seL4_BootInfoHeader *extra = ram_at(extra_paddr, BIT(seL4_PageBits));
    extra->id = SEL4_BOOTINFO_HEADER_X86_TSC_FREQ;
    extra->len = sizeof(*extra) + sizeof(seL4_Word);
    *(seL4_Word *)(extra + 1) = SIM_TSC_MHZ;
    bi->extraLen = extra->len;

    bi->userImageFrames.start = slot;
    for (word_t i = 0; i < sim_machine.image_frames; i++) {
        cap_t f = frame_at(sim_machine.image_paddr + i * BIT(seL4_PageBits));
        vspace_boot_install(&f, vspace.obj, sim_machine.image_vaddr + i * BIT(seL4_PageBits));
        cte_set_root(&cnode[slot++], f);
    }
    bi->userImageFrames.end = slot;

    bi->untyped.start = slot;
    for (unsigned i = 0; i < 5; i++) {
        carve_untypeds(bi, cnode, &slot, sim_machine.device[i], true);
    }
    for (unsigned i = 0; i < 3; i++) {
        carve_untypeds(bi, cnode, &slot, sim_machine.ram_free[i], false);
    }
    bi->untyped.end = slot;
    bi->empty.start = slot;
    bi->empty.end = BIT(sim_machine.cnode_bits);

    sim_self = t;
    ksim.cur = t;
    vmfault_install();
    seL4_SetIPCBuffer(ipc);
    return bi;
}
