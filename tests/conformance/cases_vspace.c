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

/* PDPT, PD and PT for VA_BASE in the root vspace. */
static int map_tables(conf_env_t *e, seL4_Word vaddr)
{
    seL4_CPtr pdpt = conf_make(e, seL4_X86_PDPTObject, 0);
    seL4_CPtr pd = conf_make(e, seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pt = conf_make(e, seL4_X86_PageTableObject, 0);
    return seL4_X86_PDPT_Map(pdpt, VSPACE, vaddr, ATTR) || seL4_X86_PageDirectory_Map(pd, VSPACE, vaddr, ATTR) ||
           seL4_X86_PageTable_Map(pt, VSPACE, vaddr, ATTR);
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
