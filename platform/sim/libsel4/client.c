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

seL4_Error seL4_X86_Page_Map(seL4_X86_Page _service, seL4_CPtr vspace, seL4_Word vaddr, seL4_CapRights_t rights,
                             seL4_X86_VMAttributes attr)
{
    const seL4_CPtr caps[] = {vspace};
    const seL4_Word mrs[] = {vaddr, rights.words[0], attr};
    return INVOKE(_service, X86PageMap, caps, mrs);
}

seL4_Error seL4_X86_Page_Unmap(seL4_X86_Page _service)
{
    return invoke(_service, X86PageUnmap, 0, NO_CAPS, 0, (const seL4_Word *)0);
}

static seL4_Error table_map(seL4_CPtr service, seL4_Word label, seL4_CPtr vspace, seL4_Word vaddr,
                            seL4_X86_VMAttributes attr)
{
    const seL4_CPtr caps[] = {vspace};
    const seL4_Word mrs[] = {vaddr, attr};
    return INVOKE(service, label, caps, mrs);
}

seL4_Error seL4_X86_PageTable_Map(seL4_X86_PageTable _service, seL4_CPtr vspace, seL4_Word vaddr,
                                  seL4_X86_VMAttributes attr)
{
    return table_map(_service, X86PageTableMap, vspace, vaddr, attr);
}

seL4_Error seL4_X86_PageTable_Unmap(seL4_X86_PageTable _service)
{
    return invoke(_service, X86PageTableUnmap, 0, NO_CAPS, 0, (const seL4_Word *)0);
}

seL4_Error seL4_X86_PageDirectory_Map(seL4_X86_PageDirectory _service, seL4_CPtr vspace, seL4_Word vaddr,
                                      seL4_X86_VMAttributes attr)
{
    return table_map(_service, X86PageDirectoryMap, vspace, vaddr, attr);
}

seL4_Error seL4_X86_PageDirectory_Unmap(seL4_X86_PageDirectory _service)
{
    return invoke(_service, X86PageDirectoryUnmap, 0, NO_CAPS, 0, (const seL4_Word *)0);
}

seL4_Error seL4_X86_PDPT_Map(seL4_X86_PDPT _service, seL4_CPtr pml4, seL4_Word vaddr, seL4_X86_VMAttributes attr)
{
    return table_map(_service, X86PDPTMap, pml4, vaddr, attr);
}

seL4_Error seL4_X86_PDPT_Unmap(seL4_X86_PDPT _service)
{
    return invoke(_service, X86PDPTUnmap, 0, NO_CAPS, 0, (const seL4_Word *)0);
}

seL4_Error seL4_X86_ASIDControl_MakePool(seL4_X86_ASIDControl _service, seL4_Untyped untyped, seL4_CNode root,
                                         seL4_Word index, seL4_Uint8 depth)
{
    const seL4_CPtr caps[] = {untyped, root};
    const seL4_Word mrs[] = {index, depth & 0xff};
    return INVOKE(_service, X86ASIDControlMakePool, caps, mrs);
}

seL4_Error seL4_X86_ASIDPool_Assign(seL4_X86_ASIDPool _service, seL4_CPtr vspace)
{
    const seL4_CPtr caps[] = {vspace};
    return invoke(_service, X86ASIDPoolAssign, 1, caps, 0, (const seL4_Word *)0);
}

seL4_Error seL4_X86_IOPortControl_Issue(seL4_X86_IOPortControl _service, seL4_Word first_port, seL4_Word last_port,
                                        seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    const seL4_CPtr caps[] = {root};
    const seL4_Word mrs[] = {first_port, last_port, index, depth & 0xff};
    return INVOKE(_service, X86IOPortControlIssue, caps, mrs);
}

/* In: the value comes back in MR0. */
static int port_in(seL4_X86_IOPort service, seL4_Word label, seL4_Uint16 port, seL4_Word *value)
{
    const seL4_Word mrs[] = {port};
    int err = invoke(service, label, 0, NO_CAPS, 1, mrs);
    *value = seL4_GetMR(0);
    return err;
}

seL4_X86_IOPort_In8_t seL4_X86_IOPort_In8(seL4_X86_IOPort _service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In8_t r;
    seL4_Word v;
    r.error = port_in(_service, X86IOPortIn8, port, &v);
    r.result = (seL4_Uint8)v;
    return r;
}

seL4_X86_IOPort_In16_t seL4_X86_IOPort_In16(seL4_X86_IOPort _service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In16_t r;
    seL4_Word v;
    r.error = port_in(_service, X86IOPortIn16, port, &v);
    r.result = (seL4_Uint16)v;
    return r;
}

seL4_X86_IOPort_In32_t seL4_X86_IOPort_In32(seL4_X86_IOPort _service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In32_t r;
    seL4_Word v;
    r.error = port_in(_service, X86IOPortIn32, port, &v);
    r.result = (seL4_Uint32)v;
    return r;
}

static seL4_Error port_out(seL4_X86_IOPort service, seL4_Word label, seL4_Word port, seL4_Word data)
{
    const seL4_Word mrs[] = {port, data};
    return invoke(service, label, 0, NO_CAPS, 2, mrs);
}

seL4_Error seL4_X86_IOPort_Out8(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data)
{
    return port_out(_service, X86IOPortOut8, port, data);
}

seL4_Error seL4_X86_IOPort_Out16(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data)
{
    return port_out(_service, X86IOPortOut16, port, data);
}

seL4_Error seL4_X86_IOPort_Out32(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data)
{
    return port_out(_service, X86IOPortOut32, port, data);
}

seL4_Error seL4_IRQControl_Get(seL4_IRQControl _service, seL4_Word irq, seL4_CNode root, seL4_Word index,
                               seL4_Uint8 depth)
{
    const seL4_CPtr caps[] = {root};
    const seL4_Word mrs[] = {irq, index, depth & 0xff};
    return INVOKE(_service, IRQIssueIRQHandler, caps, mrs);
}

seL4_Error seL4_IRQControl_GetIOAPIC(seL4_IRQControl _service, seL4_CNode root, seL4_Word index, seL4_Uint8 depth,
                                     seL4_Word ioapic, seL4_Word pin, seL4_Word level, seL4_Word polarity,
                                     seL4_Word vector)
{
    const seL4_CPtr caps[] = {root};
    const seL4_Word mrs[] = {index, depth & 0xff, ioapic, pin, level, polarity, vector};
    return INVOKE(_service, X86IRQIssueIRQHandlerIOAPIC, caps, mrs);
}

seL4_Error seL4_IRQControl_GetMSI(seL4_IRQControl _service, seL4_CNode root, seL4_Word index, seL4_Uint8 depth,
                                  seL4_Word pci_bus, seL4_Word pci_dev, seL4_Word pci_func, seL4_Word handle,
                                  seL4_Word vector)
{
    const seL4_CPtr caps[] = {root};
    const seL4_Word mrs[] = {index, depth & 0xff, pci_bus, pci_dev, pci_func, handle, vector};
    return INVOKE(_service, X86IRQIssueIRQHandlerMSI, caps, mrs);
}

seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler _service)
{
    return invoke(_service, IRQAckIRQ, 0, NO_CAPS, 0, (const seL4_Word *)0);
}

seL4_Error seL4_IRQHandler_SetNotification(seL4_IRQHandler _service, seL4_CPtr notification)
{
    const seL4_CPtr caps[] = {notification};
    return invoke(_service, IRQSetIRQHandler, 1, caps, 0, (const seL4_Word *)0);
}

seL4_Error seL4_IRQHandler_Clear(seL4_IRQHandler _service)
{
    return invoke(_service, IRQClearIRQHandler, 0, NO_CAPS, 0, (const seL4_Word *)0);
}

seL4_Error seL4_TCB_ReadRegisters(seL4_TCB _service, seL4_Bool suspend_source, seL4_Uint8 arch_flags, seL4_Word count,
                                  seL4_UserContext *regs)
{
    const seL4_Word mrs[] = {(suspend_source & 1) | ((seL4_Word)arch_flags << 8), count};
    seL4_Error err = invoke(_service, TCBReadRegisters, 0, NO_CAPS, 2, mrs);
    if (err == seL4_NoError) {
        seL4_Word *out = (seL4_Word *)regs;
        for (seL4_Word i = 0; i < count && i < sizeof(*regs) / sizeof(seL4_Word); i++) {
            out[i] = seL4_GetMR((int)i);
        }
    }
    return err;
}

seL4_Error seL4_TCB_WriteRegisters(seL4_TCB _service, seL4_Bool resume_target, seL4_Uint8 arch_flags,
                                   seL4_Word count, seL4_UserContext *regs)
{
    const seL4_Word *in = (const seL4_Word *)regs;
    seL4_Word n = count < sizeof(*regs) / sizeof(seL4_Word) ? count : sizeof(*regs) / sizeof(seL4_Word);
    seL4_SetMR(0, (resume_target & 1) | ((seL4_Word)arch_flags << 8));
    seL4_SetMR(1, count);
    for (seL4_Word i = 0; i < n; i++) {
        seL4_SetMR((int)(2 + i), in[i]);
    }
    seL4_MessageInfo_t reply = seL4_Call(_service, seL4_MessageInfo_new(TCBWriteRegisters, 0, 0, 2 + n));
    return (seL4_Error)seL4_MessageInfo_get_label(reply);
}

seL4_Error seL4_TCB_Configure(seL4_TCB _service, seL4_Word fault_ep, seL4_CNode cspace_root,
                              seL4_Word cspace_root_data, seL4_CPtr vspace_root, seL4_Word vspace_root_data,
                              seL4_Word buffer, seL4_CPtr bufferFrame)
{
    const seL4_CPtr caps[] = {cspace_root, vspace_root, bufferFrame};
    const seL4_Word mrs[] = {fault_ep, cspace_root_data, vspace_root_data, buffer};
    return INVOKE(_service, TCBConfigure, caps, mrs);
}

seL4_Error seL4_TCB_SetSpace(seL4_TCB _service, seL4_Word fault_ep, seL4_CNode cspace_root,
                             seL4_Word cspace_root_data, seL4_CPtr vspace_root, seL4_Word vspace_root_data)
{
    const seL4_CPtr caps[] = {cspace_root, vspace_root};
    const seL4_Word mrs[] = {fault_ep, cspace_root_data, vspace_root_data};
    return INVOKE(_service, TCBSetSpace, caps, mrs);
}

seL4_Error seL4_TCB_SetIPCBuffer(seL4_TCB _service, seL4_Word buffer, seL4_CPtr bufferFrame)
{
    const seL4_CPtr caps[] = {bufferFrame};
    const seL4_Word mrs[] = {buffer};
    return INVOKE(_service, TCBSetIPCBuffer, caps, mrs);
}

seL4_Error seL4_TCB_SetPriority(seL4_TCB _service, seL4_TCB authority, seL4_Word priority)
{
    const seL4_CPtr caps[] = {authority};
    const seL4_Word mrs[] = {priority};
    return INVOKE(_service, TCBSetPriority, caps, mrs);
}

seL4_Error seL4_TCB_SetMCPriority(seL4_TCB _service, seL4_TCB authority, seL4_Word mcp)
{
    const seL4_CPtr caps[] = {authority};
    const seL4_Word mrs[] = {mcp};
    return INVOKE(_service, TCBSetMCPriority, caps, mrs);
}

seL4_Error seL4_TCB_SetSchedParams(seL4_TCB _service, seL4_TCB authority, seL4_Word mcp, seL4_Word priority)
{
    const seL4_CPtr caps[] = {authority};
    const seL4_Word mrs[] = {mcp, priority};
    return INVOKE(_service, TCBSetSchedParams, caps, mrs);
}

seL4_Error seL4_TCB_Suspend(seL4_TCB _service)
{
    return invoke(_service, TCBSuspend, 0, NO_CAPS, 0, (const seL4_Word *)0);
}

seL4_Error seL4_TCB_Resume(seL4_TCB _service)
{
    return invoke(_service, TCBResume, 0, NO_CAPS, 0, (const seL4_Word *)0);
}

seL4_Error seL4_TCB_BindNotification(seL4_TCB _service, seL4_CPtr notification)
{
    const seL4_CPtr caps[] = {notification};
    return invoke(_service, TCBBindNotification, 1, caps, 0, (const seL4_Word *)0);
}

seL4_Error seL4_TCB_UnbindNotification(seL4_TCB _service)
{
    return invoke(_service, TCBUnbindNotification, 0, NO_CAPS, 0, (const seL4_Word *)0);
}

seL4_Error seL4_TCB_SetTLSBase(seL4_TCB _service, seL4_Word tls_base)
{
    const seL4_Word mrs[] = {tls_base};
    return invoke(_service, TCBSetTLSBase, 0, NO_CAPS, 1, mrs);
}

seL4_Error seL4_TCB_CopyRegisters(seL4_TCB _service, seL4_TCB source, seL4_Bool suspend_source,
                                  seL4_Bool resume_target, seL4_Bool transfer_frame, seL4_Bool transfer_integer,
                                  seL4_Uint8 arch_flags)
{
    const seL4_CPtr caps[] = {source};
    const seL4_Word mrs[] = {(suspend_source & 1) | (resume_target & 1) << 1 | (transfer_frame & 1) << 2 |
                             (transfer_integer & 1) << 3 | (seL4_Word)arch_flags << 8};
    return INVOKE(_service, TCBCopyRegisters, caps, mrs);
}
