/*
 * x86_64 virtual memory through libsel4: paging structures, frames, sharing,
 * ASID pools. Cases map into the root task's own vspace at VA_BASE (a PML4
 * slot the boot image does not use); the harness's clean-up deletes every
 * structure a case made, which detaches it again.
 */
#include "conf_checks.h"

#define VA_BASE 0x200000000000ul /* 32 TiB: a PML4 entry the boot image does not use, and free in a host process (even under AddressSanitizer) */
#define VSPACE seL4_CapInitThreadVSpace
#define RW seL4_ReadWrite
#define ATTR seL4_X86_Default_VMAttributes

/* PDPT, PD and PT for vaddr in vspace. */
static int map_tables_in(conf_env_t *e, seL4_CPtr vspace, seL4_Word vaddr)
{
    seL4_CPtr pdpt = conf_make(e, seL4_X86_PDPTObject, 0);
    seL4_CPtr pd = conf_make(e, seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pt = conf_make(e, seL4_X86_PageTableObject, 0);
    return seL4_X86_PDPT_Map(pdpt, vspace, vaddr, ATTR) || seL4_X86_PageDirectory_Map(pd, vspace, vaddr, ATTR) ||
           seL4_X86_PageTable_Map(pt, vspace, vaddr, ATTR);
}

/* The same in the root vspace. */
static int map_tables(conf_env_t *e, seL4_Word vaddr)
{
    return map_tables_in(e, VSPACE, vaddr);
}

CONF_CASE(vspace_map_reports_the_missing_level, "")
{
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    CHECK_MISSING_CAP(seL4_X86_Page_Map(frame, VSPACE, VA_BASE, RW, ATTR), DEST, 39);
    seL4_CPtr pdpt = conf_make(e, seL4_X86_PDPTObject, 0);
    CHECK_OK(seL4_X86_PDPT_Map(pdpt, VSPACE, VA_BASE, ATTR));
    CHECK_MISSING_CAP(seL4_X86_Page_Map(frame, VSPACE, VA_BASE, RW, ATTR), DEST, 30);
    seL4_CPtr pd = conf_make(e, seL4_X86_PageDirectoryObject, 0);
    CHECK_OK(seL4_X86_PageDirectory_Map(pd, VSPACE, VA_BASE, ATTR));
    CHECK_MISSING_CAP(seL4_X86_Page_Map(frame, VSPACE, VA_BASE, RW, ATTR), DEST, 21);
    seL4_CPtr pt = conf_make(e, seL4_X86_PageTableObject, 0);
    CHECK_OK(seL4_X86_PageTable_Map(pt, VSPACE, VA_BASE, ATTR));
    CHECK_OK(seL4_X86_Page_Map(frame, VSPACE, VA_BASE, RW, ATTR));
}

CONF_CASE(vspace_mapped_frame_is_memory, "")
{
    CHECK_OK(map_tables(e, VA_BASE));
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    CHECK_OK(seL4_X86_Page_Map(frame, VSPACE, VA_BASE, RW, ATTR));
    volatile seL4_Word *p = (volatile seL4_Word *)VA_BASE;
    CHECK_EQ(p[0], 0); /* fresh frames are zeroed */
    p[0] = 0x1234abcd;
    p[511] = 42;
    CHECK_EQ(p[0], 0x1234abcd);
    CHECK_EQ(p[511], 42);
}

CONF_CASE(vspace_shared_frame_seen_through_both_mappings, "")
{
    CHECK_OK(map_tables(e, VA_BASE));
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr copy = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, frame, seL4_AllRights));
    CHECK_OK(seL4_X86_Page_Map(frame, VSPACE, VA_BASE, RW, ATTR));
    /* The same cap cannot be mapped twice; a copy can. */
    CHECK_ARG_ERR(seL4_X86_Page_Map(frame, VSPACE, VA_BASE + 0x1000, RW, ATTR), 0);
    CHECK_OK(seL4_X86_Page_Map(copy, VSPACE, VA_BASE + 0x1000, RW, ATTR));
    volatile seL4_Word *a = (volatile seL4_Word *)VA_BASE, *b = (volatile seL4_Word *)(VA_BASE + 0x1000);
    a[7] = 0xfeed;
    CHECK_EQ(b[7], 0xfeed);
    b[8] = 0xbeef;
    CHECK_EQ(a[8], 0xbeef);
    CHECK_EQ(conf_paddr(frame), conf_paddr(copy));
}

CONF_CASE(vspace_frame_map_checks, "")
{
    CHECK_OK(map_tables(e, VA_BASE));
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    CHECK_ERR(seL4_X86_Page_Map(frame, VSPACE, VA_BASE + 8, RW, ATTR), seL4_AlignmentError);
    CHECK_ARG_ERR(seL4_X86_Page_Map(frame, VSPACE, 0x800000000000ul, RW, ATTR), 0);
    CHECK_ARG_ERR(seL4_X86_Page_Map(frame, VSPACE, 0x7ffffffff000ul, RW, ATTR), 0); /* ends past USER_TOP */
    /* Not a vspace: an endpoint, and a PML4 that has no ASID. */
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_ERR(seL4_X86_Page_Map(frame, ep, VA_BASE, RW, ATTR), seL4_InvalidCapability);
    CHECK_MR(0, 1);
    seL4_CPtr pml4 = conf_make(e, seL4_X64_PML4Object, 0);
    CHECK_ERR(seL4_X86_Page_Map(frame, pml4, VA_BASE, RW, ATTR), seL4_InvalidCapability);
    CHECK_MR(0, 1);
    /* Mapped: the same vaddr again is a remap (new rights); another vaddr is refused. */
    CHECK_OK(seL4_X86_Page_Map(frame, VSPACE, VA_BASE, RW, ATTR));
    CHECK_OK(seL4_X86_Page_Map(frame, VSPACE, VA_BASE, seL4_CanRead, ATTR));
    CHECK_ARG_ERR(seL4_X86_Page_Map(frame, VSPACE, VA_BASE + 0x1000, RW, ATTR), 0);
    CHECK_OK(seL4_X86_Page_Unmap(frame));
    CHECK_OK(seL4_X86_Page_Unmap(frame)); /* unmapping an unmapped frame is fine */
    CHECK_OK(seL4_X86_Page_Map(frame, VSPACE, VA_BASE + 0x1000, RW, ATTR));
}

CONF_CASE(vspace_table_map_checks, "")
{
    seL4_CPtr pdpt = conf_make(e, seL4_X86_PDPTObject, 0);
    seL4_CPtr pdpt2 = conf_make(e, seL4_X86_PDPTObject, 0);
    seL4_CPtr pt = conf_make(e, seL4_X86_PageTableObject, 0);
    CHECK_MISSING_CAP(seL4_X86_PageTable_Map(pt, VSPACE, VA_BASE, ATTR), DEST, 39);
    CHECK_OK(seL4_X86_PDPT_Map(pdpt, VSPACE, VA_BASE, ATTR));
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt, VSPACE, VA_BASE, ATTR), seL4_InvalidCapability);
    CHECK_MR(0, 0);
    /* The PML4 slot is taken, and the address is rounded down to the slot: no alignment error. */
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt2, VSPACE, VA_BASE + 0x12345, ATTR), seL4_DeleteFirst);
    CHECK_ARG_ERR(seL4_X86_PDPT_Map(pdpt2, VSPACE, 0x800000000000ul, ATTR), 0);
    CHECK_MISSING_CAP(seL4_X86_PageTable_Map(pt, VSPACE, VA_BASE, ATTR), DEST, 30);
    /* An unmapped table cannot be copied; a mapped one can. */
    seL4_CPtr copy = conf_slot(e);
    CHECK_ERR(conf_copy(e, copy, pt, seL4_AllRights), seL4_IllegalOperation);
    CHECK_OK(conf_copy(e, copy, pdpt, seL4_AllRights));
}

CONF_CASE(vspace_large_page_and_page_table_exclude_each_other, "")
{
    seL4_CPtr pdpt = conf_make(e, seL4_X86_PDPTObject, 0);
    seL4_CPtr pd = conf_make(e, seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pt = conf_make(e, seL4_X86_PageTableObject, 0);
    seL4_CPtr large = conf_slot(e);
    CHECK_OK(conf_retype(e, conf_untyped(e, seL4_LargePageBits), seL4_X86_LargePageObject, 0, large, 1));
    seL4_CPtr small = conf_make(e, seL4_X86_4K, 0);
    CHECK_OK(seL4_X86_PDPT_Map(pdpt, VSPACE, VA_BASE, ATTR));
    CHECK_OK(seL4_X86_PageDirectory_Map(pd, VSPACE, VA_BASE, ATTR));
    CHECK_ERR(seL4_X86_Page_Map(large, VSPACE, VA_BASE + 0x1000, RW, ATTR), seL4_AlignmentError);
    CHECK_OK(seL4_X86_Page_Map(large, VSPACE, VA_BASE, RW, ATTR));
    /* A page table cannot go where a large page is, nor a 4K page under it. */
    CHECK_ERR(seL4_X86_PageTable_Map(pt, VSPACE, VA_BASE, ATTR), seL4_DeleteFirst);
    CHECK_MISSING_CAP(seL4_X86_Page_Map(small, VSPACE, VA_BASE, RW, ATTR), DEST, 21);
    volatile seL4_Word *p = (volatile seL4_Word *)(VA_BASE + 0x1ff000);
    *p = 77;
    CHECK_EQ(*p, 77);
    CHECK_OK(seL4_X86_Page_Unmap(large));
    CHECK_OK(seL4_X86_PageTable_Map(pt, VSPACE, VA_BASE, ATTR));
    CHECK_ERR(seL4_X86_Page_Map(large, VSPACE, VA_BASE, RW, ATTR), seL4_DeleteFirst);
}

CONF_CASE(vspace_table_unmap_needs_the_last_cap, "")
{
    seL4_CPtr pdpt = conf_make(e, seL4_X86_PDPTObject, 0);
    CHECK_OK(seL4_X86_PDPT_Map(pdpt, VSPACE, VA_BASE, ATTR));
    seL4_CPtr copy = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, pdpt, seL4_AllRights));
    CHECK_ERR(seL4_X86_PDPT_Unmap(pdpt), seL4_RevokeFirst);
    CHECK_OK(conf_delete(e, copy));
    CHECK_OK(seL4_X86_PDPT_Unmap(pdpt));
    /* The slot is free again, for this table or another. */
    CHECK_OK(seL4_X86_PDPT_Map(pdpt, VSPACE, VA_BASE, ATTR));
}

CONF_CASE(vspace_deleting_a_table_detaches_it, "")
{
    seL4_CPtr pdpt = conf_make(e, seL4_X86_PDPTObject, 0);
    seL4_CPtr pdpt2 = conf_make(e, seL4_X86_PDPTObject, 0);
    CHECK_OK(seL4_X86_PDPT_Map(pdpt, VSPACE, VA_BASE, ATTR));
    CHECK_OK(conf_delete(e, pdpt));
    CHECK_OK(seL4_X86_PDPT_Map(pdpt2, VSPACE, VA_BASE, ATTR));
}

CONF_CASE(vspace_copy_of_a_mapped_frame_is_unmapped, "FRAMEDIPC0003")
{
    CHECK_OK(map_tables(e, VA_BASE));
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    CHECK_OK(seL4_X86_Page_Map(frame, VSPACE, VA_BASE, RW, ATTR));
    seL4_CPtr copy = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, frame, seL4_AllRights));
    /* The copy maps anywhere: it carries no mapping of its own. */
    CHECK_OK(seL4_X86_Page_Map(copy, VSPACE, VA_BASE + 0x3000, RW, ATTR));
    /* Deleting the copy unmaps only the copy's mapping. */
    CHECK_OK(conf_delete(e, copy));
    volatile seL4_Word *p = (volatile seL4_Word *)VA_BASE;
    p[1] = 5;
    CHECK_EQ(p[1], 5);
}

CONF_CASE(asid_pool_make_and_assign, "VSPACE0002")
{
    seL4_CPtr ut = conf_untyped(e, seL4_ASIDPoolBits);
    seL4_CPtr pool = conf_slot(e);
    CHECK_OK(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, ut, e->cnode, pool, e->depth));
    CHECK_TAG(pool, TAG_ASID_POOL);
    /* The root task's own vspace already has an ASID. */
    CHECK_ERR(seL4_X86_ASIDPool_Assign(pool, VSPACE), seL4_InvalidCapability);
    CHECK_MR(0, 1);
    seL4_CPtr pml4 = conf_make(e, seL4_X64_PML4Object, 0);
    CHECK_OK(seL4_X86_ASIDPool_Assign(pool, pml4));
    CHECK_ERR(seL4_X86_ASIDPool_Assign(pool, pml4), seL4_InvalidCapability);
    /* A new vspace takes mappings once it has an ASID. */
    seL4_CPtr pdpt = conf_make(e, seL4_X86_PDPTObject, 0);
    CHECK_OK(seL4_X86_PDPT_Map(pdpt, pml4, VA_BASE, ATTR));
}

CONF_CASE(asid_pool_needs_a_fresh_4k_ram_untyped, "")
{
    seL4_CPtr pool = conf_slot(e);
    seL4_CPtr big = conf_untyped(e, seL4_ASIDPoolBits + 1);
    CHECK_ERR(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, big, e->cnode, pool, e->depth),
              seL4_InvalidCapability);
    CHECK_MR(0, 1);
    seL4_CPtr ut = conf_untyped(e, seL4_ASIDPoolBits);
    seL4_CPtr child = conf_slot(e);
    CHECK_OK(conf_retype(e, ut, seL4_EndpointObject, 0, child, 1));
    CHECK_ERR(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, ut, e->cnode, pool, e->depth), seL4_RevokeFirst);
    CHECK_OK(conf_revoke(e, ut));
    CHECK_RANGE_ERR(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, ut, e->cnode, pool, 0), 1, 64);
    CHECK_OK(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, ut, e->cnode, pool, e->depth));
}

CONF_CASE(asid_pools_made_one_after_another, "VSPACE0003")
{
    /* Seven more pools besides the initial one, each its own object. */
    seL4_CPtr first = conf_slots(e, 7);
    for (seL4_CPtr pool = first; pool < first + 7; pool++) {
        CHECK_OK(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, conf_untyped(e, seL4_ASIDPoolBits), e->cnode,
                                               pool, e->depth));
        CHECK_TAG(pool, TAG_ASID_POOL);
        CHECK_OK(seL4_X86_ASIDPool_Assign(pool, conf_make(e, seL4_X64_PML4Object, 0)));
    }
}

CONF_CASE(asid_pools_run_out_after_seven, "VSPACE0004")
{
    /* The initial pool takes one of the eight entries. */
    for (int i = 0; i < 7; i++) {
        seL4_CPtr ut = conf_untyped(e, seL4_ASIDPoolBits);
        CHECK_OK(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, ut, e->cnode, conf_slot(e), e->depth));
    }
    seL4_CPtr ut = conf_untyped(e, seL4_ASIDPoolBits);
    CHECK_ERR(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, ut, e->cnode, conf_slot(e), e->depth),
              seL4_DeleteFirst);
}

CONF_CASE(asid_pool_holds_512_vspaces, "VSPACE0005")
{
    seL4_CPtr ut = conf_untyped(e, seL4_ASIDPoolBits);
    seL4_CPtr pool = conf_slot(e);
    CHECK_OK(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, ut, e->cnode, pool, e->depth));
    /* 513 vspaces of 4 KiB: 2 MiB and a page, from a 4 MiB untyped. */
    seL4_CPtr mem = conf_untyped(e, 22);
    seL4_CPtr first = conf_slots(e, 256);
    seL4_CPtr second = conf_slots(e, 256);
    seL4_CPtr last = conf_slot(e);
    CHECK_OK(conf_retype(e, mem, seL4_X64_PML4Object, 0, first, 256));
    CHECK_OK(conf_retype(e, mem, seL4_X64_PML4Object, 0, second, 256));
    CHECK_OK(conf_retype(e, mem, seL4_X64_PML4Object, 0, last, 1));
    for (seL4_CPtr s = first; s < first + 512; s++) {
        CHECK_OK(seL4_X86_ASIDPool_Assign(pool, s));
    }
    CHECK_ERR(seL4_X86_ASIDPool_Assign(pool, last), seL4_DeleteFirst);
}

/* VSPACE0006's helper, as machine code (the case copies it into a frame of
 * its own): store the tag it is given in rdi at TOUCH_DATA, load it back
 * into rax, and stop on ud2, which its fault handler sees. */
#define TOUCH_CODE 0x400000ul
#define TOUCH_DATA 0x10000000ul
#define TOUCH_UD2_OFFSET 26
static const unsigned char touch_code[] = {
    0x48, 0x89, 0xf8,                                     /* mov %rdi, %rax */
    0x48, 0xa3, 0x00, 0x00, 0x00, 0x10, 0, 0, 0, 0,       /* movabs %rax, TOUCH_DATA */
    0x31, 0xc0,                                           /* xor %eax, %eax */
    0x48, 0xa1, 0x00, 0x00, 0x00, 0x10, 0, 0, 0, 0,       /* movabs TOUCH_DATA, %rax */
    0x90,                                                 /* nop */
    0x0f, 0x0b,                                           /* ud2 */
};

/* Every ASID pool there can be, each with a vspace of its own that a thread
 * runs in: the thread's store goes through its own paging structures to a
 * frame the root sees through a mapping of its own. */
CONF_CASE(asid_pools_each_run_a_thread_in_a_new_vspace, "VSPACE0006")
{
    /* The code, written through the root's own mapping of the frame. */
    CHECK_OK(map_tables(e, VA_BASE));
    seL4_CPtr code = conf_make(e, seL4_X86_4K, 0);
    CHECK_OK(seL4_X86_Page_Map(code, VSPACE, VA_BASE, RW, ATTR));
    volatile unsigned char *code_at = (volatile unsigned char *)VA_BASE;
    for (seL4_Word b = 0; b < sizeof(touch_code); b++) {
        code_at[b] = touch_code[b];
    }
    seL4_CPtr fault_ep = conf_make(e, seL4_EndpointObject, 0);
    for (seL4_Word i = 0; i < 7; i++) { /* the initial pool holds the eighth entry */
        seL4_Word tag = 0x600d0000 + i;
        seL4_CPtr pool = conf_slot(e);
        CHECK_OK(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, conf_untyped(e, seL4_ASIDPoolBits), e->cnode,
                                               pool, e->depth));
        seL4_CPtr pml4 = conf_make(e, seL4_X64_PML4Object, 0);
        CHECK_OK(seL4_X86_ASIDPool_Assign(pool, pml4));
        CHECK_OK(map_tables_in(e, pml4, TOUCH_CODE));
        seL4_CPtr pt = conf_make(e, seL4_X86_PageTableObject, 0);
        CHECK_OK(seL4_X86_PageTable_Map(pt, pml4, TOUCH_DATA, ATTR));
        seL4_CPtr code_copy = conf_slot(e);
        CHECK_OK(conf_copy(e, code_copy, code, seL4_AllRights));
        CHECK_OK(seL4_X86_Page_Map(code_copy, pml4, TOUCH_CODE, seL4_CanRead, ATTR));
        seL4_CPtr data = conf_make(e, seL4_X86_4K, 0), data_copy = conf_slot(e);
        CHECK_OK(conf_copy(e, data_copy, data, seL4_AllRights));
        CHECK_OK(seL4_X86_Page_Map(data, pml4, TOUCH_DATA, RW, ATTR));
        seL4_Word root_view = VA_BASE + (i + 1) * 0x1000;
        CHECK_OK(seL4_X86_Page_Map(data_copy, VSPACE, root_view, RW, ATTR));

        seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
        CHECK_OK(seL4_TCB_Configure(tcb, fault_ep, e->cnode, 0, pml4, 0, 0, 0));
        CHECK_OK(seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 100));
        seL4_UserContext regs = {0};
        regs.rip = TOUCH_CODE;
        regs.rdi = tag;
        CHECK_OK(seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs));

        seL4_Word badge;
        seL4_MessageInfo_t info = seL4_Recv(fault_ep, &badge);
        CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
        CHECK_MR(seL4_UserException_FaultIP, TOUCH_CODE + TOUCH_UD2_OFFSET);
        CHECK_MR(seL4_UserException_Number, 6); /* invalid opcode */
        CHECK_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs));
        CHECK_EQ(regs.rax, tag);
        CHECK_EQ(*(volatile seL4_Word *)root_view, tag);
        CHECK_OK(seL4_TCB_Suspend(tcb));
    }
}
