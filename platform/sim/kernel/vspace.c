#define _GNU_SOURCE
/*
 * x86_64 virtual memory: frames, the four paging levels, and ASIDs, as the
 * kernel's arch/x86 vspace code decides them (checks in the kernel's order).
 *
 * A paging structure is an array of 512 entries; an entry is empty, points
 * to the next-level table, or maps a page. Frames are backed by the sim's
 * RAM, so memory written through one mapping is seen through all others.
 * Mappings in the root thread's own vspace (ASID 1) are also made in the
 * host process at the same virtual address, so the root task can use the
 * memory it maps exactly as it would on seL4.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "devices.h"
#include "model.h"

#define USER_TOP 0x7fffffffffffull
#define ROOT_ASID 1
#define LEVEL_BITS(level) (seL4_PageBits + 9u * ((level) - 1u)) /* bits mapped by one entry at level */

enum { VM_KERNEL_ONLY = 1, VM_READ_ONLY = 2, VM_READ_WRITE = 3 };

static unsigned vm_rights_of(seL4_CapRights_t r)
{
    if (!seL4_CapRights_get_capAllowRead(r)) {
        return VM_KERNEL_ONLY;
    }
    return seL4_CapRights_get_capAllowWrite(r) ? VM_READ_WRITE : VM_READ_ONLY;
}

static unsigned level_of(cap_type_t t)
{
    switch (t) {
    case cap_pml4:
        return 4;
    case cap_pdpt:
        return 3;
    case cap_page_directory:
        return 2;
    default:
        return 1;
    }
}

static pte_t *entry(paging_t *table, word_t vaddr, unsigned level)
{
    return &table->e[(vaddr >> LEVEL_BITS(level)) & 511];
}

/* Mappings of the vspace at `asid` went away (or the ASID names another vspace now): the
 * process of each thread in it drops what it mapped before it runs on. */
static void vspace_changed(word_t asid)
{
    ksim.unmaps[asid & MASK(seL4_NumASIDPoolsBits + seL4_ASIDPoolIndexBits)]++;
}

/* The vspace (PML4) an ASID names, or NULL with an InvalidRoot lookup failure. */
static paging_t *find_vspace(word_t asid)
{
    asid_pool_t *pool = ksim.asid_table[(asid >> seL4_ASIDPoolIndexBits) & MASK(seL4_NumASIDPoolsBits)];
    paging_t *vs = pool ? pool->vspace[asid & MASK(seL4_ASIDPoolIndexBits)] : NULL;
    if (!vs) {
        fail_lookup(false, seL4_InvalidRoot, 0, 0, 0);
    }
    return vs;
}

/* Walks from the PML4 down to the table at `level` that holds vaddr's entry.
 * A missing table fails as the kernel reports it: MissingCapability with the
 * bits the missing table would have resolved. */
static paging_t *walk_to(paging_t *vs, word_t vaddr, unsigned level)
{
    paging_t *t = vs;
    for (unsigned l = 4; l > level; l--) {
        pte_t *e = entry(t, vaddr, l);
        if (e->kind != pte_table) {
            fail_lookup(false, seL4_MissingCapability, LEVEL_BITS(l), 0, 0);
            return NULL;
        }
        t = e->table;
    }
    return t;
}

static bool is_valid_native_root(const cap_t *c)
{
    return c->type == cap_pml4 && c->pt.mapped;
}

/* Root-thread mappings are mirrored into the host's address space. */
static void host_map(word_t vaddr, word_t paddr, word_t size, unsigned rights)
{
    int prot = rights == VM_READ_WRITE ? PROT_READ | PROT_WRITE : rights == VM_READ_ONLY ? PROT_READ : PROT_NONE;
    int fd = ksim.ram_fd;
    long offset = (long)paddr;
    if (paddr + size > ksim.ram_size) {
        fd = device_mmio_fd(paddr, &offset); /* device registers, if a simulated device has them */
        if (fd < 0) {
            return;
        }
    }
    void *p = mmap((void *)vaddr, size, prot, MAP_SHARED | MAP_FIXED, fd, (off_t)offset);
    if (p == MAP_FAILED) {
        fprintf(stderr, "sim: cannot back the root task's mapping at 0x%lx in the host\n", (unsigned long)vaddr);
    }
}

static void host_unmap(word_t vaddr, word_t size)
{
    /* Keep the range reserved so the host never reuses it for its own memory. */
    mmap((void *)vaddr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

/* The host address ranges the sim has claimed for root-task mappings, in
 * 2 MiB chunks: a chunk is claimed (reserved in the host) the first time a
 * mapping touches it, unless the host already uses it. */
#define HOST_CHUNK_BITS 21
#define HOST_CHUNKS 8192
static word_t host_chunks[HOST_CHUNKS]; /* open addressing; 0 is empty */

static bool host_claim_chunk(word_t chunk)
{
    word_t key = chunk + 1;
    for (word_t i = (key * 0x9e3779b97f4a7c15ull) % HOST_CHUNKS;; i = (i + 1) % HOST_CHUNKS) {
        if (host_chunks[i] == key) {
            return true;
        }
        if (host_chunks[i] == 0) {
            void *want = (void *)(chunk << HOST_CHUNK_BITS);
            void *p = mmap(want, BIT(HOST_CHUNK_BITS), PROT_NONE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
            if (p != want) {
                return false;
            }
            host_chunks[i] = key;
            return true;
        }
    }
}

static bool host_claim(word_t vaddr, word_t size)
{
    for (word_t c = vaddr >> HOST_CHUNK_BITS; c <= (vaddr + size - 1) >> HOST_CHUNK_BITS; c++) {
        if (!host_claim_chunk(c)) {
            return false;
        }
    }
    return true;
}

static void write_page_entry(pte_t *e, word_t asid, word_t vaddr, const cap_t *frame, unsigned rights, word_t attr)
{
    e->kind = pte_page;
    e->paddr = frame->paddr;
    e->rights = (uint8_t)rights;
    e->attr = (uint8_t)attr;
    e->table = NULL;
    if (asid == ROOT_ASID) {
        if (!host_claim(vaddr, BIT(frame->frame.size_bits))) {
            fprintf(stderr, "sim: the host already uses 0x%lx; the root task cannot access its mapping there\n",
                    (unsigned long)vaddr);
            return;
        }
        host_map(vaddr, frame->paddr, BIT(frame->frame.size_bits), rights);
    }
}

/* The entry a frame of this size would take, or NULL with the error set. */
static pte_t *frame_slot(paging_t *vs, word_t vaddr, unsigned size_bits)
{
    unsigned level = size_bits == seL4_PageBits ? 1 : size_bits == seL4_LargePageBits ? 2 : 3;
    paging_t *t = walk_to(vs, vaddr, level);
    if (!t) {
        return NULL;
    }
    pte_t *e = entry(t, vaddr, level);
    if (level > 1 && e->kind == pte_table) {
        fail(seL4_DeleteFirst);
        return NULL;
    }
    return e;
}

static bool frame_map(invocation_t *inv)
{
    if (inv->length < 3 || inv->n_extra < 1) {
        return fail(seL4_TruncatedMessage);
    }
    cap_t *frame = &inv->slot->cap;
    const cap_t *root = &inv->extra[0]->cap;
    word_t vaddr = inv->mr[0], size = BIT(frame->frame.size_bits);
    if (!is_valid_native_root(root)) {
        return fail_invalid_cap(1);
    }
    word_t asid = root->pt.mapped_asid;
    if (frame->frame.mapped_asid != 0) {
        if (frame->frame.mapped_asid != asid) {
            return fail_invalid_cap(1);
        }
        if (frame->frame.mapped_vaddr != vaddr) {
            return fail_arg(0);
        }
    } else if (vaddr > USER_TOP || vaddr + size > USER_TOP) {
        return fail_arg(0);
    }
    paging_t *vs = find_vspace(asid);
    if (!vs) {
        return false;
    }
    if (vs != root->obj) {
        return fail_invalid_cap(1);
    }
    seL4_CapRights_t mask = {{inv->mr[1]}};
    unsigned rights = vm_rights_of(frame->frame.rights);
    if (rights != VM_KERNEL_ONLY) {
        rights = vm_rights_of((seL4_CapRights_t){{frame->frame.rights.words[0] & mask.words[0]}});
    }
    if (vaddr & (size - 1)) {
        return fail(seL4_AlignmentError);
    }
    pte_t *e = frame_slot(vs, vaddr, frame->frame.size_bits);
    if (!e) {
        return false;
    }
    write_page_entry(e, asid, vaddr, frame, rights, inv->mr[2]);
    frame->frame.mapped_asid = asid;
    frame->frame.mapped_vaddr = vaddr;
    return true;
}

/* Clears the frame's entry if it is still there; a stale mapping is ignored. */
void frame_unmap(cap_t *frame)
{
    if (frame->frame.mapped_asid == 0) {
        return;
    }
    syscall_error_t saved = ksim.err;
    paging_t *vs = find_vspace(frame->frame.mapped_asid);
    word_t vaddr = frame->frame.mapped_vaddr;
    pte_t *e = vs ? frame_slot(vs, vaddr, frame->frame.size_bits) : NULL;
    if (e && e->kind == pte_page && e->paddr == frame->paddr) {
        memset(e, 0, sizeof(*e));
        if (frame->frame.mapped_asid == ROOT_ASID) {
            host_unmap(vaddr, BIT(frame->frame.size_bits));
        } else {
            vspace_changed(frame->frame.mapped_asid);
        }
    }
    ksim.err = saved;
    frame->frame.mapped_asid = 0;
    frame->frame.mapped_vaddr = 0;
}

bool decode_x86_frame(invocation_t *inv)
{
    switch (inv->label) {
    case X86PageMap:
        return frame_map(inv);
    case X86PageUnmap:
        frame_unmap(&inv->slot->cap);
        return true;
    case X86PageGetAddress:
        inv->mr[0] = inv->slot->cap.paddr;
        inv->reply_len = 1;
        return true;
    default:
        return fail(seL4_IllegalOperation);
    }
}

/* The parent entry that points at a mapped table, if it still does. */
static pte_t *table_parent_entry(const cap_t *c)
{
    syscall_error_t saved = ksim.err;
    unsigned level = level_of(c->type);
    paging_t *vs = find_vspace(c->pt.mapped_asid);
    paging_t *parent = vs ? walk_to(vs, c->pt.mapped_vaddr, level + 1) : NULL;
    ksim.err = saved;
    if (!parent) {
        return NULL;
    }
    pte_t *e = entry(parent, c->pt.mapped_vaddr, level + 1);
    return e->kind == pte_table && e->table == c->obj ? e : NULL;
}

static bool table_map(invocation_t *inv)
{
    if (inv->length < 2 || inv->n_extra < 1) {
        return fail(seL4_TruncatedMessage);
    }
    cap_t *c = &inv->slot->cap;
    if (c->pt.mapped) {
        return fail_invalid_cap(0);
    }
    unsigned level = level_of(c->type);
    word_t vaddr = inv->mr[0] & ~MASK(LEVEL_BITS(level + 1));
    const cap_t *root = &inv->extra[0]->cap;
    if (!is_valid_native_root(root)) {
        return fail_invalid_cap(1);
    }
    if (vaddr > USER_TOP) {
        return fail_arg(0);
    }
    paging_t *vs = find_vspace(root->pt.mapped_asid);
    if (!vs) {
        return false;
    }
    if (vs != root->obj) {
        return fail_invalid_cap(1);
    }
    paging_t *parent = walk_to(vs, vaddr, level + 1);
    if (!parent) {
        return false;
    }
    pte_t *e = entry(parent, vaddr, level + 1);
    if (e->kind != pte_none) {
        return fail(seL4_DeleteFirst);
    }
    *e = (pte_t){.kind = pte_table, .paddr = c->paddr, .attr = (uint8_t)inv->mr[1], .table = c->obj};
    c->pt.mapped = true;
    c->pt.mapped_asid = root->pt.mapped_asid;
    c->pt.mapped_vaddr = vaddr;
    return true;
}

/* Unmap zeroes the whole table; deleting the last cap only detaches it. */
static void table_detach(cap_t *c, bool zero)
{
    if (!c->pt.mapped) {
        return;
    }
    pte_t *e = table_parent_entry(c);
    if (e) {
        memset(e, 0, sizeof(*e));
        vspace_changed(c->pt.mapped_asid);
    }
    if (zero) {
        memset(c->obj, 0, sizeof(paging_t));
    }
    c->pt.mapped = false;
}

bool decode_x86_paging(invocation_t *inv)
{
    switch (inv->label) {
    case X86PageTableMap:
    case X86PageDirectoryMap:
    case X86PDPTMap:
        return table_map(inv);
    case X86PageTableUnmap:
    case X86PageDirectoryUnmap:
    case X86PDPTUnmap:
        if (!is_final_capability(inv->slot)) {
            return fail(seL4_RevokeFirst);
        }
        table_detach(&inv->slot->cap, true);
        return true;
    default:
        return fail(seL4_IllegalOperation);
    }
}

bool decode_asid_control(invocation_t *inv)
{
    if (inv->label != X86ASIDControlMakePool) {
        return fail(seL4_IllegalOperation);
    }
    if (inv->length < 2 || inv->n_extra < 2) {
        return fail(seL4_TruncatedMessage);
    }
    unsigned i = 0;
    while (i < BIT(seL4_NumASIDPoolsBits) && ksim.asid_table[i]) {
        i++;
    }
    if (i == BIT(seL4_NumASIDPoolsBits)) {
        return fail(seL4_DeleteFirst);
    }
    cte_t *ut = inv->extra[0];
    if (ut->cap.type != cap_untyped || ut->cap.ut.size_bits != seL4_ASIDPoolBits || ut->cap.ut.device) {
        return fail_invalid_cap(1);
    }
    if (!ensure_no_children(ut)) {
        return false;
    }
    cte_t *dest = lookup_slot_for_cnode_op(false, inv->extra[1]->cap, inv->mr[0], inv->mr[1]);
    if (!dest || !ensure_empty_slot(dest)) {
        return false;
    }
    ut->cap.ut.free_offset = BIT(seL4_ASIDPoolBits);
    cap_t pool = make_asid_pool(ut->cap.paddr);
    pool.asid.base = (word_t)i << seL4_ASIDPoolIndexBits;
    ksim.asid_table[i] = pool.obj;
    cte_insert_new(ut, dest, pool);
    return true;
}

bool decode_asid_pool(invocation_t *inv)
{
    if (inv->label != X86ASIDPoolAssign) {
        return fail(seL4_IllegalOperation);
    }
    if (inv->n_extra < 1) {
        return fail(seL4_TruncatedMessage);
    }
    cap_t *vs = &inv->extra[0]->cap;
    if (vs->type != cap_pml4 || vs->pt.mapped_asid != 0) {
        return fail_invalid_cap(1);
    }
    word_t base = inv->slot->cap.asid.base;
    asid_pool_t *pool = ksim.asid_table[base >> seL4_ASIDPoolIndexBits];
    if (!pool) {
        return fail_lookup(false, seL4_InvalidRoot, 0, 0, 0);
    }
    if (pool != inv->slot->cap.obj) {
        return fail_invalid_cap(0);
    }
    word_t i = base == 0 ? 1 : 0; /* ASID 0 is never handed out */
    while (i < BIT(seL4_ASIDPoolIndexBits) && pool->vspace[i]) {
        i++;
    }
    if (i == BIT(seL4_ASIDPoolIndexBits)) {
        return fail(seL4_DeleteFirst);
    }
    pool->vspace[i] = vs->obj;
    vs->pt.mapped = true;
    vs->pt.mapped_asid = base + i;
    vspace_changed(base + i);
    return true;
}

/* What deleting a VM cap does: frames unmap on any delete; the rest only
 * when the last cap goes. */
void vspace_finalise(cap_t *c, bool final)
{
    switch (c->type) {
    case cap_frame:
        frame_unmap(c);
        return;
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
        if (final) {
            table_detach(c, false);
        }
        return;
    case cap_pml4:
        if (final && c->pt.mapped) {
            asid_pool_t *pool = ksim.asid_table[c->pt.mapped_asid >> seL4_ASIDPoolIndexBits];
            word_t i = c->pt.mapped_asid & MASK(seL4_ASIDPoolIndexBits);
            if (pool && pool->vspace[i] == c->obj) {
                pool->vspace[i] = NULL;
                vspace_changed(c->pt.mapped_asid);
            }
        }
        return;
    case cap_asid_pool:
        if (final && ksim.asid_table[c->asid.base >> seL4_ASIDPoolIndexBits] == c->obj) {
            ksim.asid_table[c->asid.base >> seL4_ASIDPoolIndexBits] = NULL;
        }
        return;
    default:
        return;
    }
}

/* Boot: installs a paging structure or frame cap of the root thread at vaddr
 * without any check (the kernel builds the initial address space this way).
 * Tables above it must be installed first. */
void vspace_boot_install(cap_t *c, paging_t *vs, word_t vaddr)
{
    unsigned level = c->type == cap_frame ? 1 : level_of(c->type) + 1;
    syscall_error_t saved = ksim.err;
    paging_t *t = walk_to(vs, vaddr, level);
    ksim.err = saved;
    if (!t) {
        return;
    }
    pte_t *e = entry(t, vaddr, level);
    if (c->type == cap_frame) {
        *e = (pte_t){.kind = pte_page, .paddr = c->paddr, .rights = VM_READ_WRITE};
        c->frame.mapped_asid = ROOT_ASID;
        c->frame.mapped_vaddr = vaddr;
        return;
    }
    *e = (pte_t){.kind = pte_table, .paddr = c->paddr, .table = c->obj};
    c->pt.mapped = true;
    c->pt.mapped_asid = ROOT_ASID;
    c->pt.mapped_vaddr = vaddr & ~MASK(LEVEL_BITS(level));
}

/* Boot: the initial ASID pool holds the root thread's vspace at ASID 1. */
void vspace_boot_assign(cap_t *pool, cap_t *pml4)
{
    ksim.asid_table[0] = pool->obj;
    ((asid_pool_t *)pool->obj)->vspace[ROOT_ASID] = pml4->obj;
    pml4->pt.mapped = true;
    pml4->pt.mapped_asid = ROOT_ASID;
}

bool proc_wanted(const tcb_t *t)
{
    const cap_t *root = &t->ctes[tcb_vtable].cap;
    return root->type == cap_pml4 && root->pt.mapped && root->pt.mapped_asid != ROOT_ASID;
}

bool vspace_translate(const cap_t *pml4, word_t vaddr, word_t *paddr, word_t *size, unsigned *vm_rights)
{
    if (pml4->type != cap_pml4 || !pml4->pt.mapped || vaddr > USER_TOP) {
        return false;
    }
    const paging_t *t = pml4->obj;
    for (unsigned level = 4; level >= 1; level--) {
        const pte_t *e = &t->e[(vaddr >> (seL4_PageBits + 9 * (level - 1))) & 511];
        if (e->kind == pte_page) {
            *size = BIT(seL4_PageBits + 9 * (level - 1));
            *paddr = e->paddr;
            *vm_rights = e->rights;
            return true;
        }
        if (e->kind != pte_table) {
            return false;
        }
        t = e->table;
    }
    return false;
}
