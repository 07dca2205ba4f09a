/*
 * seL4_Untyped_Retype: every error in the order decodeUntypedInvocation
 * checks them (type, size, destination node, offset, window, slots, memory,
 * device memory), object sizes and alignment, fan-out, and sel4test's
 * RETYPE0000-0002.
 */
#include "conf_checks.h"

#define FAN_OUT_LIMIT 256
#define ROOT_SLOTS(e) (1ul << (e)->bi->initThreadCNodeSizeBits)

/* ---- the checks, in the kernel's order ---------------------------------- */

CONF_CASE(retype_invalid_type, "")
{
    seL4_CPtr slot = conf_slot(e);
    CHECK_ARG_ERR(conf_retype(e, e->ut, seL4_ObjectTypeCount, 0, slot, 1), 0);
    CHECK_ARG_ERR(conf_retype(e, e->ut, 0xffff, 0, slot, 1), 0);
    /* The type is checked before the size and everything else. */
    CHECK_ARG_ERR(conf_retype(e, e->ut, seL4_ObjectTypeCount, seL4_WordBits, slot, 0), 0);
    CHECK_EMPTY(slot);
}

CONF_CASE(retype_size_out_of_range, "")
{
    seL4_CPtr slot = conf_slot(e);
    CHECK_RANGE_ERR(conf_retype(e, e->ut, seL4_EndpointObject, seL4_WordBits, slot, 1), 0, seL4_MaxUntypedBits);
    CHECK_RANGE_ERR(conf_retype(e, e->ut, seL4_X86_4K, ~0ul, slot, 1), 0, seL4_MaxUntypedBits);
    CHECK_RANGE_ERR(conf_retype(e, e->ut, seL4_UntypedObject, seL4_MaxUntypedBits + 1, slot, 1), 0,
                    seL4_MaxUntypedBits);
    /* A CNode's size counts its slots' bytes: 2^43 slots are 2^48 bytes. */
    CHECK_RANGE_ERR(conf_retype(e, e->ut, seL4_CapTableObject, seL4_MaxUntypedBits - seL4_SlotBits + 1, slot, 1), 0,
                    seL4_MaxUntypedBits);
    /* Before the destination is looked at. */
    seL4_CPtr empty = conf_slot(e);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, seL4_WordBits, empty, 0, 0, slot, 0), 0,
                    seL4_MaxUntypedBits);
    /* The largest sizes pass this check and fail for want of memory. */
    CHECK_MEMORY_ERR(conf_retype(e, e->ut, seL4_UntypedObject, seL4_MaxUntypedBits, slot, 1), 1ul << CONF_UT_BITS);
    CHECK_MEMORY_ERR(conf_retype(e, e->ut, seL4_CapTableObject, seL4_MaxUntypedBits - seL4_SlotBits, slot, 1),
                     1ul << CONF_UT_BITS);
    CHECK_EMPTY(slot);
}

CONF_CASE(retype_fixed_size_objects_ignore_size_bits, "")
{
    /* Only sizes of 64 bits or more are refused for fixed-size objects. */
    seL4_CPtr s = conf_slots(e, 3);
    CHECK_OK(conf_retype(e, e->ut, seL4_X86_4K, seL4_WordBits - 1, s, 1));
    CHECK_OK(conf_retype(e, e->ut, seL4_EndpointObject, 40, s + 1, 1));
    CHECK_OK(conf_retype(e, e->ut, seL4_TCBObject, 12, s + 2, 1));
    CHECK_TAG(s, TAG_FRAME);
    CHECK_TAG(s + 1, TAG_ENDPOINT);
    CHECK_TAG(s + 2, TAG_THREAD);
}

CONF_CASE(retype_captable_radix_zero, "")
{
    seL4_CPtr slot = conf_slot(e), empty = conf_slot(e);
    CHECK_ARG_ERR(conf_retype(e, e->ut, seL4_CapTableObject, 0, slot, 1), 1);
    CHECK_ARG_ERR(seL4_Untyped_Retype(e->ut, seL4_CapTableObject, 0, empty, 0, 0, slot, 0), 1);
    CHECK_OK(conf_retype(e, e->ut, seL4_CapTableObject, 1, slot, 1));
    CHECK_TAG(slot, TAG_CNODE);
}

CONF_CASE(retype_untyped_below_minimum, "")
{
    seL4_CPtr slot = conf_slot(e);
    CHECK_ARG_ERR(conf_retype(e, e->ut, seL4_UntypedObject, seL4_MinUntypedBits - 1, slot, 1), 1);
    CHECK_ARG_ERR(conf_retype(e, e->ut, seL4_UntypedObject, 0, slot, 1), 1);
    CHECK_OK(conf_retype(e, e->ut, seL4_UntypedObject, seL4_MinUntypedBits, slot, 1));
    CHECK_TAG(slot, TAG_UNTYPED);
}

CONF_CASE(retype_node_depth_out_of_range, "")
{
    seL4_CPtr slot = conf_slot(e);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, e->cnode, e->cnode, seL4_WordBits + 1, slot, 1),
                    1, seL4_WordBits);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, e->cnode, e->cnode, 1000, slot, 1), 1,
                    seL4_WordBits);
    CHECK_EMPTY(slot);
}

CONF_CASE(retype_node_lookup_failures, "")
{
    seL4_CPtr slot = conf_slot(e), empty = conf_slot(e);
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_Word guard_bits = seL4_WordBits - e->bi->initThreadCNodeSizeBits;
    /* With a depth, the root must be a CNode... */
    CHECK_INVALID_ROOT(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, empty, e->cnode, seL4_WordBits, slot, 1),
                       DEST);
    CHECK_INVALID_ROOT(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, ep, e->cnode, seL4_WordBits, slot, 1), DEST);
    /* ...and the path must resolve. */
    CHECK_GUARD_MISMATCH(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, e->cnode, e->cnode | (1ul << 63),
                                             seL4_WordBits, slot, 1),
                         DEST, seL4_WordBits, 0, guard_bits);
    CHECK_DEPTH_MISMATCH(
        seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, e->cnode, e->cnode, seL4_WordBits - 1, slot, 1), DEST,
        seL4_WordBits - 1, seL4_WordBits);
    CHECK_EMPTY(slot);
}

CONF_CASE(retype_node_not_cnode, "")
{
    seL4_CPtr slot = conf_slot(e), empty = conf_slot(e);
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    /* Depth 0 takes the root itself as the node: missing, with 0 bits left. */
    CHECK_MISSING_CAP(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, ep, 0, 0, slot, 1), DEST, 0);
    CHECK_MISSING_CAP(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, empty, 0, 0, slot, 1), DEST, 0);
    /* A path to a slot that is not a CNode: missing, with the depth left. */
    CHECK_MISSING_CAP(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, e->cnode, ep, seL4_WordBits, slot, 1), DEST,
                      seL4_WordBits);
    CHECK_MISSING_CAP(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, e->cnode, empty, seL4_WordBits, slot, 1),
                      DEST, seL4_WordBits);
    CHECK_EMPTY(slot);
}

CONF_CASE(retype_node_offset_too_large, "")
{
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, 2);
    CHECK_RANGE_ERR(conf_retype(e, e->ut, seL4_EndpointObject, 0, ROOT_SLOTS(e), 1), 0, ROOT_SLOTS(e) - 1);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, e->cnode, cn, e->depth, 4, 1), 0, 3);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, cn, 0, 0, ~0ul, 1), 0, 3);
    /* The offset is checked before the number of objects. */
    CHECK_RANGE_ERR(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, cn, 0, 0, 4, 0), 0, 3);
}

CONF_CASE(retype_num_objects_out_of_range, "")
{
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, 2);
    seL4_CPtr slot = conf_slot(e);
    CHECK_RANGE_ERR(conf_retype(e, e->ut, seL4_EndpointObject, 0, slot, 0), 1, FAN_OUT_LIMIT);
    CHECK_RANGE_ERR(conf_retype(e, e->ut, seL4_EndpointObject, 0, slot, FAN_OUT_LIMIT + 1), 1, FAN_OUT_LIMIT);
    CHECK_RANGE_ERR(conf_retype(e, e->ut, seL4_EndpointObject, 0, slot, ~0ul), 1, FAN_OUT_LIMIT);
    /* The fan-out limit is checked before the window is fitted to the node. */
    CHECK_RANGE_ERR(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, cn, 0, 0, 0, 300), 1, FAN_OUT_LIMIT);
    CHECK_EMPTY(slot);
}

CONF_CASE(retype_window_overruns_node, "")
{
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, 2);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, cn, 0, 0, 3, 2), 1, 1);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, cn, 0, 0, 0, 5), 1, 4);
    CHECK_RANGE_ERR(conf_retype(e, e->ut, seL4_EndpointObject, 0, ROOT_SLOTS(e) - 1, 2), 1, 1);
    CHECK_OK(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, cn, 0, 0, 0, 4));
}

CONF_CASE(retype_occupied_slot_in_window, "")
{
    seL4_CPtr s = conf_slots(e, 4);
    CHECK_OK(conf_retype(e, e->ut, seL4_NotificationObject, 0, s + 2, 1));
    CHECK_ERR(conf_retype(e, e->ut, seL4_EndpointObject, 0, s, 4), seL4_DeleteFirst);
    /* Nothing was made, not even in the slots before the occupied one. */
    CHECK_EMPTY(s);
    CHECK_EMPTY(s + 1);
    CHECK_TAG(s + 2, TAG_NOTIFICATION);
    /* Slots are checked before memory. */
    CHECK_ERR(conf_retype(e, e->ut, seL4_UntypedObject, CONF_UT_BITS + 1, s + 2, 1), seL4_DeleteFirst);
    CHECK_OK(conf_retype(e, e->ut, seL4_EndpointObject, 0, s, 2));
}

CONF_CASE(retype_not_enough_memory, "")
{
    seL4_CPtr ut = conf_untyped(e, 13);
    seL4_CPtr s = conf_slots(e, 4);
    CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_X86_4K, 0, s, 3), 8192);
    CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_UntypedObject, 14, s, 1), 8192);
    CHECK_EMPTY(s);
    CHECK_OK(conf_retype(e, ut, seL4_EndpointObject, 0, s, 1));
    /* Bytes left count from the free index, before any alignment. */
    CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_X86_4K, 0, s + 1, 2), 8192 - 16);
    CHECK_OK(conf_retype(e, ut, seL4_X86_4K, 0, s + 1, 1));
    CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_EndpointObject, 0, s + 2, 1), 0);
}

CONF_CASE(retype_huge_page_needs_a_gigabyte, "")
{
    seL4_CPtr slot = conf_slot(e);
    CHECK_MEMORY_ERR(conf_retype(e, e->ut, seL4_X64_HugePageObject, 0, slot, 1), 1ul << CONF_UT_BITS);
    CHECK_EMPTY(slot);
}

/* ---- device untyped ----------------------------------------------------- */

CONF_CASE(retype_device_untyped_refuses_kernel_objects, "")
{
    static const seL4_Word types[] = {
        seL4_TCBObject,           seL4_EndpointObject,          seL4_NotificationObject,
        seL4_CapTableObject,      seL4_X86_PageTableObject,     seL4_X86_PageDirectoryObject,
        seL4_X86_PDPTObject,      seL4_X64_PML4Object,          seL4_X86_IOPageTableObject,
    };
    seL4_Word paddr, bits;
    seL4_CPtr dev = conf_device_untyped(e, 12, &paddr, &bits);
    CHECK(dev != seL4_CapNull);
    seL4_CPtr slot = conf_slot(e);
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        CHECK_ARG_ERR(conf_retype(e, dev, types[i], types[i] == seL4_CapTableObject ? 1 : 0, slot, 1), 1);
        CHECK_EMPTY(slot);
    }
}

CONF_CASE(retype_device_untyped_memory_checked_first, "")
{
    seL4_Word paddr, bits;
    seL4_CPtr dev = conf_device_untyped(e, 12, &paddr, &bits);
    CHECK(dev != seL4_CapNull && bits < seL4_MaxUntypedBits);
    seL4_CPtr slot = conf_slot(e);
    /* A CNode twice the untyped's size: the memory error comes first. */
    CHECK_MEMORY_ERR(conf_retype(e, dev, seL4_CapTableObject, bits + 1 - seL4_SlotBits, slot, 1), 1ul << bits);
}

CONF_CASE(retype_device_untyped_makes_frames, "")
{
    /* Device frames and untypeds are allowed; their memory is not touched. */
    seL4_Word paddr, bits;
    seL4_CPtr dev = conf_device_untyped(e, 14, &paddr, &bits);
    CHECK(dev != seL4_CapNull);
    seL4_CPtr frame = conf_slot(e), child = conf_slot(e), frame2 = conf_slot(e), obj = conf_slot(e);
    CHECK_OK(conf_retype(e, dev, seL4_X86_4K, 0, frame, 1));
    CHECK_EQ(conf_paddr(frame), paddr);
    CHECK_OK(conf_retype(e, dev, seL4_UntypedObject, 12, child, 1));
    /* The child is device memory too. */
    CHECK_ARG_ERR(conf_retype(e, child, seL4_EndpointObject, 0, obj, 1), 1);
    CHECK_OK(conf_retype(e, child, seL4_X86_4K, 0, frame2, 1));
    CHECK_EQ(conf_paddr(frame2), paddr + 4096);
}

/* ---- sizes, alignment, fan-out ------------------------------------------ */

/* Fills a fresh 2^ut_bits untyped with exactly n objects of 2^obj_bits
 * bytes: n + 1 at once do not fit, n do, and then not one more. */
static void fill_exactly(conf_env_t *e, seL4_Word type, seL4_Word size_bits, seL4_Word obj_bits, seL4_Word ut_bits,
                         seL4_Word tag)
{
    seL4_Word n = 1ul << (ut_bits - obj_bits);
    seL4_CPtr ut = conf_untyped(e, ut_bits);
    seL4_CPtr s = conf_slots(e, n + 1);
    if (n < FAN_OUT_LIMIT) {
        CHECK_MEMORY_ERR(conf_retype(e, ut, type, size_bits, s, n + 1), 1ul << ut_bits);
    }
    CHECK_OK(conf_retype(e, ut, type, size_bits, s, n));
    CHECK_TAG(s, tag);
    CHECK_TAG(s + n - 1, tag);
    CHECK_MEMORY_ERR(conf_retype(e, ut, type, size_bits, s + n, 1), 0);
    CHECK_EMPTY(s + n);
}

CONF_CASE(retype_size_endpoint, "")
{
    fill_exactly(e, seL4_EndpointObject, 0, seL4_EndpointBits, 12, TAG_ENDPOINT);
}

CONF_CASE(retype_size_notification, "")
{
    fill_exactly(e, seL4_NotificationObject, 0, seL4_NotificationBits, 12, TAG_NOTIFICATION);
}

CONF_CASE(retype_size_tcb, "")
{
    fill_exactly(e, seL4_TCBObject, 0, seL4_TCBBits, 13, TAG_THREAD);
}

CONF_CASE(retype_size_cnode, "")
{
    fill_exactly(e, seL4_CapTableObject, 3, 3 + seL4_SlotBits, 12, TAG_CNODE);
}

CONF_CASE(retype_size_untyped, "")
{
    fill_exactly(e, seL4_UntypedObject, seL4_MinUntypedBits, seL4_MinUntypedBits, 12, TAG_UNTYPED);
}

CONF_CASE(retype_size_frame, "")
{
    fill_exactly(e, seL4_X86_4K, 0, seL4_PageBits, 14, TAG_FRAME);
}

CONF_CASE(retype_size_large_page, "")
{
    fill_exactly(e, seL4_X86_LargePageObject, 0, seL4_LargePageBits, seL4_LargePageBits + 1, TAG_FRAME);
}

CONF_CASE(retype_size_paging_structures, "")
{
    fill_exactly(e, seL4_X86_PageTableObject, 0, seL4_PageTableBits, 13, TAG_PAGE_TABLE);
    fill_exactly(e, seL4_X86_PageDirectoryObject, 0, seL4_PageDirBits, 13, TAG_PAGE_DIRECTORY);
    fill_exactly(e, seL4_X86_PDPTObject, 0, seL4_PDPTBits, 13, TAG_PDPT);
    fill_exactly(e, seL4_X64_PML4Object, 0, seL4_PML4Bits, 13, TAG_PML4);
}

CONF_CASE(retype_size_io_page_table, "")
{
    fill_exactly(e, seL4_X86_IOPageTableObject, 0, seL4_PageBits, 13, TAG_IO_PAGE_TABLE);
}

CONF_CASE(retype_frames_are_contiguous, "")
{
    seL4_CPtr s = conf_slots(e, 8);
    CHECK_OK(conf_retype(e, e->ut, seL4_X86_4K, 0, s, 8));
    for (seL4_Word i = 0; i < 8; i++) {
        CHECK_EQ(conf_paddr(s + i), e->ut_paddr + i * 4096);
    }
}

CONF_CASE(retype_untyped_children_partition_parent, "")
{
    seL4_CPtr kids = conf_slots(e, 17);
    CHECK_OK(conf_retype(e, e->ut, seL4_UntypedObject, CONF_UT_BITS - 4, kids, 16));
    CHECK_MEMORY_ERR(conf_retype(e, e->ut, seL4_UntypedObject, CONF_UT_BITS - 4, kids + 16, 1), 0);
    seL4_CPtr frame = conf_slot(e);
    CHECK_OK(conf_retype(e, kids + 5, seL4_X86_4K, 0, frame, 1));
    CHECK_EQ(conf_paddr(frame), e->ut_paddr + 5 * (1ul << (CONF_UT_BITS - 4)));
}

CONF_CASE(retype_alignment_tcb_after_endpoint, "")
{
    /* The TCB is aligned to 2^11: after a 16-byte endpoint it takes the
     * second half of a 4 KiB untyped, which leaves nothing. */
    seL4_CPtr ut = conf_untyped(e, 12);
    seL4_CPtr s = conf_slots(e, 3);
    CHECK_OK(conf_retype(e, ut, seL4_EndpointObject, 0, s, 1));
    CHECK_OK(conf_retype(e, ut, seL4_TCBObject, 0, s + 1, 1));
    CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_EndpointObject, 0, s + 2, 1), 0);
}

CONF_CASE(retype_alignment_frame_after_endpoint, "")
{
    seL4_CPtr s = conf_slots(e, 4);
    CHECK_OK(conf_retype(e, e->ut, seL4_EndpointObject, 0, s, 1));
    CHECK_OK(conf_retype(e, e->ut, seL4_X86_4K, 0, s + 1, 1));
    CHECK_EQ(conf_paddr(s + 1), e->ut_paddr + 4096);
    CHECK_OK(conf_retype(e, e->ut, seL4_NotificationObject, 0, s + 2, 1));
    CHECK_OK(conf_retype(e, e->ut, seL4_X86_4K, 0, s + 3, 1));
    CHECK_EQ(conf_paddr(s + 3), e->ut_paddr + 3 * 4096);
}

CONF_CASE(retype_fan_out_limit, "")
{
    seL4_CPtr s = conf_slots(e, FAN_OUT_LIMIT + 1);
    CHECK_RANGE_ERR(conf_retype(e, e->ut, seL4_EndpointObject, 0, s, FAN_OUT_LIMIT + 1), 1, FAN_OUT_LIMIT);
    CHECK_OK(conf_retype(e, e->ut, seL4_EndpointObject, 0, s, FAN_OUT_LIMIT));
    for (seL4_Word i = 0; i < FAN_OUT_LIMIT; i++) {
        CHECK_TAG(s + i, TAG_ENDPOINT);
    }
    CHECK_EMPTY(s + FAN_OUT_LIMIT);
}

CONF_CASE(retype_object_tags, "")
{
    static const struct {
        seL4_Word type, size_bits, tag;
    } objs[] = {
        /* The large page goes last: its alignment uses up the untyped. */
        {seL4_UntypedObject, 12, TAG_UNTYPED},
        {seL4_TCBObject, 0, TAG_THREAD},
        {seL4_EndpointObject, 0, TAG_ENDPOINT},
        {seL4_NotificationObject, 0, TAG_NOTIFICATION},
        {seL4_CapTableObject, 2, TAG_CNODE},
        {seL4_X86_PDPTObject, 0, TAG_PDPT},
        {seL4_X64_PML4Object, 0, TAG_PML4},
        {seL4_X86_4K, 0, TAG_FRAME},
        {seL4_X86_PageTableObject, 0, TAG_PAGE_TABLE},
        {seL4_X86_PageDirectoryObject, 0, TAG_PAGE_DIRECTORY},
        {seL4_X86_IOPageTableObject, 0, TAG_IO_PAGE_TABLE},
        {seL4_X86_LargePageObject, 0, TAG_FRAME},
    };
    seL4_CPtr ut = conf_untyped(e, seL4_LargePageBits + 1);
    seL4_CPtr s = conf_slots(e, sizeof(objs) / sizeof(objs[0]));
    for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
        CHECK_OK(conf_retype(e, ut, objs[i].type, objs[i].size_bits, s + i, 1));
        CHECK_TAG(s + i, objs[i].tag);
    }
}

/* ---- sel4test RETYPE0000-0002 -------------------------------------------- */

CONF_CASE(retype_into_small_cnode, "RETYPE0000")
{
    enum { RADIX = 2, SLOTS = 1 << RADIX };
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, RADIX);
    seL4_CPtr ut = conf_untyped(e, seL4_TCBBits + 3);
#define RETYPE_TCBS(offset_, n_) seL4_Untyped_Retype(ut, seL4_TCBObject, 0, e->cnode, cn, e->depth, (offset_), (n_))
    CHECK_RANGE_ERR(RETYPE_TCBS(1, 0), 1, FAN_OUT_LIMIT);
    CHECK_RANGE_ERR(RETYPE_TCBS(SLOTS - 1, 2), 1, 1);
    for (seL4_Word i = 0; i < SLOTS; i++) {
        CHECK_OK(RETYPE_TCBS(i, 1));
    }
    CHECK_RANGE_ERR(RETYPE_TCBS(SLOTS, 2), 0, SLOTS - 1);
    for (seL4_Word i = 0; i < SLOTS; i++) {
        CHECK_ERR(RETYPE_TCBS(i, 1), seL4_DeleteFirst);
    }
    for (seL4_Word i = 0; i < SLOTS; i++) {
        CHECK_OK(seL4_CNode_Delete(cn, i, RADIX));
    }
    CHECK_RANGE_ERR(RETYPE_TCBS(0, 1ul << 31), 1, FAN_OUT_LIMIT);
    CHECK_RANGE_ERR(RETYPE_TCBS(0, SLOTS + 1), 1, SLOTS);
    CHECK_OK(RETYPE_TCBS(0, SLOTS - 1));
    for (seL4_Word i = 0; i < SLOTS; i++) {
        CHECK_ERR(RETYPE_TCBS(i, 1), i == SLOTS - 1 ? seL4_NoError : seL4_DeleteFirst);
    }
#undef RETYPE_TCBS
}

CONF_CASE(retype_cnode_sizes_against_untyped, "RETYPE0001")
{
    enum { UT_BITS = 13 };
    seL4_CPtr ut = conf_untyped(e, UT_BITS);
    seL4_CPtr slot = conf_slot(e);
    /* Every CNode bigger than the untyped fails: too big to be an object at
     * all above 2^47 bytes, too big for the memory below. */
    for (seL4_Word extra = 40; extra > 0; extra--) {
        seL4_Word radix = UT_BITS - seL4_SlotBits + extra;
        if (radix + seL4_SlotBits > seL4_MaxUntypedBits) {
            CHECK_RANGE_ERR(conf_retype(e, ut, seL4_CapTableObject, radix, slot, 1), 0, seL4_MaxUntypedBits);
        } else {
            CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_CapTableObject, radix, slot, 1), 1ul << UT_BITS);
        }
    }
    CHECK_OK(conf_retype(e, ut, seL4_CapTableObject, UT_BITS - seL4_SlotBits, slot, 1));
    CHECK_TAG(slot, TAG_CNODE);
}

CONF_CASE(retype_frames_one_by_one, "RETYPE0002")
{
    enum { FRAMES = 16 };
    seL4_CPtr ut = conf_untyped(e, seL4_PageBits + 4);
    seL4_CPtr s = conf_slots(e, FRAMES + 1);
    for (seL4_Word i = 0; i < FRAMES; i++) {
        CHECK_OK(conf_retype(e, ut, seL4_X86_4K, 0, s + i, 1));
    }
    CHECK_RANGE_ERR(conf_retype(e, ut, seL4_X86_4K, 0, s + FRAMES, 1024 * 1024), 1, FAN_OUT_LIMIT);
    CHECK_ERR(conf_retype(e, ut, seL4_X86_4K, 0, s, 8), seL4_DeleteFirst);
    CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_X86_4K, 0, s + FRAMES, 1), 0);
    CHECK_EQ(conf_paddr(s + FRAMES - 1), conf_paddr(s) + (FRAMES - 1) * 4096);
}
