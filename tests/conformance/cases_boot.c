/*
 * The initial CSpace the kernel hands the root task: which cap sits in each
 * fixed slot and in each bootinfo region.
 */
#include "conf_checks.h"

CONF_CASE(boot_initial_cap_tags, "")
{
    static const struct {
        seL4_CPtr slot;
        seL4_Word tag;
    } caps[] = {
        {seL4_CapNull, TAG_NULL},
        {seL4_CapInitThreadTCB, TAG_THREAD},
        {seL4_CapInitThreadCNode, TAG_CNODE},
        {seL4_CapInitThreadVSpace, TAG_PML4},
        {seL4_CapIRQControl, TAG_IRQ_CONTROL},
        {seL4_CapASIDControl, TAG_ASID_CONTROL},
        {seL4_CapInitThreadASIDPool, TAG_ASID_POOL},
        {seL4_CapIOPortControl, TAG_IO_PORT_CONTROL},
        {seL4_CapBootInfoFrame, TAG_FRAME},
        {seL4_CapInitThreadIPCBuffer, TAG_FRAME},
        {seL4_CapDomain, TAG_DOMAIN},
        /* Not on x86 without MCS. */
        {seL4_CapSMMUSIDControl, TAG_NULL},
        {seL4_CapSMMUCBControl, TAG_NULL},
        {seL4_CapInitThreadSC, TAG_NULL},
        {seL4_CapSMC, TAG_NULL},
    };
    for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        CHECK_TAG(caps[i].slot, caps[i].tag);
    }
}

CONF_CASE(boot_region_cap_tags, "")
{
    const seL4_BootInfo *bi = e->bi;
    for (seL4_CPtr s = bi->untyped.start; s < bi->untyped.end; s++) {
        CHECK_TAG(s, TAG_UNTYPED);
    }
    for (seL4_CPtr s = bi->userImageFrames.start; s < bi->userImageFrames.end; s++) {
        CHECK_TAG(s, TAG_FRAME);
    }
    for (seL4_CPtr s = bi->extraBIPages.start; s < bi->extraBIPages.end; s++) {
        CHECK_TAG(s, TAG_FRAME);
    }
    /* The image's paging structures below its PML4. */
    for (seL4_CPtr s = bi->userImagePaging.start; s < bi->userImagePaging.end; s++) {
        seL4_Word tag = seL4_DebugCapIdentify(s);
        CHECK(tag == TAG_PDPT || tag == TAG_PAGE_DIRECTORY || tag == TAG_PAGE_TABLE);
    }
    /* Slots this case has not taken are empty, up to the end of the CNode. */
    for (seL4_CPtr s = e->slot_next; s < bi->empty.end; s++) {
        CHECK_EMPTY(s);
    }
}

CONF_CASE(boot_untyped_list_is_usable, "")
{
    /* Each RAM untyped the kernel lists can be retyped at its own size
     * into a child untyped, which is then the whole of it. */
    const seL4_BootInfo *bi = e->bi;
    seL4_CPtr child = conf_slot(e);
    seL4_Word ram = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        seL4_CPtr ut = bi->untyped.start + i;
        CHECK(d->sizeBits >= seL4_MinUntypedBits && d->sizeBits <= seL4_MaxUntypedBits);
        if (d->isDevice || ut == e->pool) {
            /* (The kernel aligns device untypeds in its own window, where the
             * largest may not be aligned in physical addresses.) */
            continue;
        }
        CHECK_EQ(d->paddr & ((1ul << d->sizeBits) - 1), 0);
        ram += 1ul << d->sizeBits;
        CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_UntypedObject, d->sizeBits + 1, child, 1), 1ul << d->sizeBits);
        CHECK_OK(conf_retype(e, ut, seL4_UntypedObject, d->sizeBits, child, 1));
        CHECK_OK(conf_delete(e, child));
    }
    CHECK(ram > 0);
}
