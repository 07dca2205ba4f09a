/*
 * libsel4's object invocations for the sim: each marshals its arguments into
 * the message registers and extra caps exactly as libsel4's generated stubs
 * do, and makes the Call. The kernel model decodes them as the kernel does.
 */
#include <sel4/sel4.h>

static seL4_Error invoke(seL4_CPtr service, seL4_Word label, unsigned n_caps, const seL4_CPtr *caps, unsigned n_mrs,
                         const seL4_Word *mrs)
{
    for (unsigned i = 0; i < n_caps; i++) {
        seL4_SetCap((int)i, caps[i]);
    }
    for (unsigned i = 0; i < n_mrs; i++) {
        seL4_SetMR((int)i, mrs[i]);
    }
    seL4_MessageInfo_t reply = seL4_Call(service, seL4_MessageInfo_new(label, 0, n_caps, n_mrs));
    return (seL4_Error)seL4_MessageInfo_get_label(reply);
}

#define INVOKE(service, label, caps, mrs) \
    invoke(service, label, sizeof(caps) / sizeof(seL4_CPtr), caps, sizeof(mrs) / sizeof(seL4_Word), mrs)
#define NO_CAPS ((const seL4_CPtr *)0)

seL4_Error seL4_Untyped_Retype(seL4_Untyped _service, seL4_Word type, seL4_Word size_bits, seL4_CNode root,
                               seL4_Word node_index, seL4_Word node_depth, seL4_Word node_offset,
                               seL4_Word num_objects)
{
    const seL4_CPtr caps[] = {root};
    const seL4_Word mrs[] = {type, size_bits, node_index, node_depth, node_offset, num_objects};
    return INVOKE(_service, UntypedRetype, caps, mrs);
}

static seL4_Error cnode_slot_op(seL4_CNode service, seL4_Word label, seL4_Word index, seL4_Uint8 depth)
{
    const seL4_Word mrs[] = {index, depth & 0xff};
    return invoke(service, label, 0, NO_CAPS, 2, mrs);
}

seL4_Error seL4_CNode_Revoke(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    return cnode_slot_op(_service, CNodeRevoke, index, depth);
}

seL4_Error seL4_CNode_Delete(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    return cnode_slot_op(_service, CNodeDelete, index, depth);
}

seL4_Error seL4_CNode_CancelBadgedSends(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    return cnode_slot_op(_service, CNodeCancelBadgedSends, index, depth);
}

seL4_Error seL4_CNode_SaveCaller(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    return cnode_slot_op(_service, CNodeSaveCaller, index, depth);
}

seL4_Error seL4_CNode_Copy(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth, seL4_CNode src_root,
                           seL4_Word src_index, seL4_Uint8 src_depth, seL4_CapRights_t rights)
{
    const seL4_CPtr caps[] = {src_root};
    const seL4_Word mrs[] = {dest_index, dest_depth & 0xff, src_index, src_depth & 0xff, rights.words[0]};
    return INVOKE(_service, CNodeCopy, caps, mrs);
}

seL4_Error seL4_CNode_Mint(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth, seL4_CNode src_root,
                           seL4_Word src_index, seL4_Uint8 src_depth, seL4_CapRights_t rights, seL4_Word badge)
{
    const seL4_CPtr caps[] = {src_root};
    const seL4_Word mrs[] = {dest_index, dest_depth & 0xff, src_index, src_depth & 0xff, rights.words[0], badge};
    return INVOKE(_service, CNodeMint, caps, mrs);
}

seL4_Error seL4_CNode_Move(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth, seL4_CNode src_root,
                           seL4_Word src_index, seL4_Uint8 src_depth)
{
    const seL4_CPtr caps[] = {src_root};
    const seL4_Word mrs[] = {dest_index, dest_depth & 0xff, src_index, src_depth & 0xff};
    return INVOKE(_service, CNodeMove, caps, mrs);
}

seL4_Error seL4_CNode_Mutate(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                             seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth, seL4_Word badge)
{
    const seL4_CPtr caps[] = {src_root};
    const seL4_Word mrs[] = {dest_index, dest_depth & 0xff, src_index, src_depth & 0xff, badge};
    return INVOKE(_service, CNodeMutate, caps, mrs);
}

seL4_Error seL4_CNode_Rotate(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                             seL4_Word dest_badge, seL4_CNode pivot_root, seL4_Word pivot_index,
                             seL4_Uint8 pivot_depth, seL4_Word pivot_badge, seL4_CNode src_root,
                             seL4_Word src_index, seL4_Uint8 src_depth)
{
    const seL4_CPtr caps[] = {pivot_root, src_root};
    const seL4_Word mrs[] = {dest_index,  dest_depth & 0xff, dest_badge, pivot_index,
                             pivot_depth & 0xff, pivot_badge, src_index, src_depth & 0xff};
    return INVOKE(_service, CNodeRotate, caps, mrs);
}

seL4_X86_Page_GetAddress_t seL4_X86_Page_GetAddress(seL4_X86_Page _service)
{
    seL4_X86_Page_GetAddress_t r;
    r.error = invoke(_service, X86PageGetAddress, 0, NO_CAPS, 0, (const seL4_Word *)0);
    r.paddr = r.error == seL4_NoError ? seL4_GetMR(0) : 0;
    return r;
}
