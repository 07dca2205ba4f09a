/* x86_64 (pc99): a PML4 with PDPTs, PDs and PTs; IO ports; interrupts through the IOAPIC. */
#include <kaal/arch.h>

const kaal_arch_t kaal_arch = {
    .name = "x86_64",
    .elf_machine = 62, /* EM_X86_64 */
    .elf_mismatch = "not for x86_64",
    .user_top = seL4_UserTop,
    .vspace_object = seL4_X64_PML4Object,
    .table_object = {0, seL4_X86_PageTableObject, seL4_X86_PageDirectoryObject, seL4_X86_PDPTObject},
    .page_object = seL4_X86_4K,
    .large_page_object = seL4_X86_LargePageObject,
    .has_ioports = 1,
    .irqs = 24,
    .irq_name = "IOAPIC pin",
};

seL4_Word arch_object_bits(seL4_Word type)
{
    static const struct {
        seL4_Word type, bits;
    } sizes[] = {
        {seL4_X86_4K, seL4_PageBits},           {seL4_X86_LargePageObject, seL4_LargePageBits},
        {seL4_X64_HugePageObject, seL4_HugePageBits}, {seL4_X86_PageTableObject, seL4_PageTableBits},
        {seL4_X86_PageDirectoryObject, seL4_PageDirBits}, {seL4_X86_PDPTObject, seL4_PDPTBits},
        {seL4_X64_PML4Object, seL4_PML4Bits},
    };
    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        if (sizes[i].type == type) {
            return sizes[i].bits;
        }
    }
    return 0;
}

seL4_Error arch_map_table(unsigned level, seL4_CPtr table, seL4_CPtr vspace, seL4_Word vaddr)
{
    switch (level) {
    case 3:
        return seL4_X86_PDPT_Map(table, vspace, vaddr, seL4_X86_Default_VMAttributes);
    case 2:
        return seL4_X86_PageDirectory_Map(table, vspace, vaddr, seL4_X86_Default_VMAttributes);
    default:
        return seL4_X86_PageTable_Map(table, vspace, vaddr, seL4_X86_Default_VMAttributes);
    }
}

/* This target runs without NX: every mapping may be executed, so ARCH_MAP_EXECUTABLE changes nothing. */
seL4_Error arch_map_page(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr, seL4_CapRights_t rights, unsigned attrs)
{
    seL4_X86_VMAttributes a = (attrs & ARCH_MAP_UNCACHED) ? seL4_X86_CacheDisabled : seL4_X86_Default_VMAttributes;
    return seL4_X86_Page_Map(frame, vspace, vaddr, rights, a);
}

seL4_Error arch_unmap_page(seL4_CPtr frame)
{
    return seL4_X86_Page_Unmap(frame);
}

seL4_Error arch_assign_asid(seL4_CPtr pool, seL4_CPtr vspace)
{
    return seL4_X86_ASIDPool_Assign(pool, vspace);
}

seL4_Error arch_make_asid_pool(seL4_CPtr untyped, seL4_CPtr root, seL4_Word index, seL4_Word depth)
{
    return seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, untyped, root, index, (seL4_Uint8)depth);
}

/* x86 keeps instruction fetches coherent with stores. */
seL4_Error arch_sync_code(seL4_CPtr frame, seL4_Word size)
{
    (void)frame;
    (void)size;
    return seL4_NoError;
}

seL4_Error arch_issue_ioports(seL4_Word first, seL4_Word last, seL4_CPtr root, seL4_CPtr slot, seL4_Word depth)
{
    return seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, first, last, root, slot, depth);
}

/* IOAPIC 0, edge-triggered, active high; the vector is the pin. */
seL4_Error arch_issue_irq(seL4_Word irq, seL4_CPtr root, seL4_CPtr slot, seL4_Word depth)
{
    return seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, root, slot, depth, 0, irq, 0, 0, irq);
}

seL4_Word arch_entry_registers(seL4_UserContext *regs, seL4_Word pc, seL4_Word sp, seL4_Word arg0)
{
    *regs = (seL4_UserContext){.rip = pc, .rsp = sp, .rdi = arg0};
    return sizeof(*regs) / sizeof(seL4_Word);
}

/* The page-fault error code's bits, as the kernel passes them in the FSR. */
#define PF_WRITE 0x2
#define PF_FETCH 0x10

const char *arch_vm_fault_access(seL4_Word fsr)
{
    return (fsr & PF_FETCH) ? "instruction fetch" : (fsr & PF_WRITE) ? "write" : "read";
}
