/*
 * The architecture, as the broker sees it: what differs between x86_64 and
 * aarch64 as data (kaal_arch), and the few invocations that differ as
 * functions. One implementation per architecture (src/broker/arch/<arch>.c)
 * is chosen at build time, as the sim or seL4 is chosen at link time, so the
 * broker itself has no #if and names no architecture's invocations.
 *
 * Both architectures have 4 KiB pages and three levels of tables below the
 * root of an address space, each resolving 9 bits of the address: level 1
 * maps 4 KiB pages, level 2 2 MiB pages, level 3 1 GiB (x86_64: PT, PD, PDPT
 * under a PML4; aarch64: page tables under a VSpace).
 */
#pragma once

#include <sel4/sel4.h>

#define ARCH_LEVELS 3
#define ARCH_INDEX_BITS 9

/* How a page is mapped, on any architecture (vspace_map): kaal's attributes, not the kernel's. */
enum {
    ARCH_MAP_DEFAULT = 0,
    ARCH_MAP_UNCACHED = 1u << 0,   /* device registers */
    ARCH_MAP_EXECUTABLE = 1u << 1, /* code (where the architecture can forbid execution, it does otherwise) */
};

typedef struct kaal_arch {
    const char *name;
    unsigned elf_machine;                   /* e_machine of its images */
    const char *elf_mismatch;               /* why an image with another e_machine is refused */
    seL4_Word user_top;                     /* the first address above user memory */
    seL4_Word vspace_object;                /* the root of an address space */
    seL4_Word table_object[ARCH_LEVELS + 1]; /* [level], 1..ARCH_LEVELS */
    seL4_Word page_object, large_page_object; /* 4 KiB, 2 MiB */
    int has_ioports;                         /* x86's IO port space (KAAL_RPC_IOPORTS, `ioports`) */
    seL4_Word irqs;                          /* interrupts that can be asked for: 0 .. irqs - 1 */
    const char *irq_name;                    /* what such a number is, for messages ("IOAPIC pin") */
} kaal_arch_t;

extern const kaal_arch_t kaal_arch;

/* The size (log2 bytes) of an object of one of the architecture's own types; 0 if it is none. */
seL4_Word arch_object_bits(seL4_Word type);

/* Maps a table of `level` that covers vaddr into the address space `vspace`. */
seL4_Error arch_map_table(unsigned level, seL4_CPtr table, seL4_CPtr vspace, seL4_Word vaddr);
/* Maps a page with kaal's attributes (ARCH_MAP_*). */
seL4_Error arch_map_page(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr, seL4_CapRights_t rights,
                         unsigned attrs);
seL4_Error arch_unmap_page(seL4_CPtr frame);
/* Gives a new address space an ASID from `pool` (seL4_DeleteFirst if it has none left). */
seL4_Error arch_assign_asid(seL4_CPtr pool, seL4_CPtr vspace);
/* Makes an ASID pool of a 2^seL4_ASIDPoolBits untyped, its cap into slot `index` of `root` at `depth`. */
seL4_Error arch_make_asid_pool(seL4_CPtr untyped, seL4_CPtr root, seL4_Word index, seL4_Word depth);
/* After code was written into a mapped frame through another mapping: instruction fetches see it. */
seL4_Error arch_sync_code(seL4_CPtr frame, seL4_Word size);

/* An IO port cap for [first, last] in slot `slot` of `root` (depth `depth`); seL4_IllegalOperation where there are none. */
seL4_Error arch_issue_ioports(seL4_Word first, seL4_Word last, seL4_CPtr root, seL4_CPtr slot, seL4_Word depth);
/* A handler for interrupt `irq` (an IOAPIC pin on x86_64, a GIC interrupt on aarch64) in slot `slot`. */
seL4_Error arch_issue_irq(seL4_Word irq, seL4_CPtr root, seL4_CPtr slot, seL4_Word depth);

/* A new thread's registers: it starts at pc with its stack at sp and arg0 as its first argument.
 * Returns how many words of the context to write (seL4_TCB_WriteRegisters). */
seL4_Word arch_entry_registers(seL4_UserContext *regs, seL4_Word pc, seL4_Word sp, seL4_Word arg0);

/* What a VM fault's status register says the access was: "read", "write" or "instruction fetch". */
const char *arch_vm_fault_access(seL4_Word fsr);
