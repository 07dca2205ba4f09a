/*
 * <sel4/sel4.h> for the sim: the libsel4 C API (seL4 16.0.0, x86_64,
 * non-MCS) implemented by the host model in platform/sim.
 */
#pragma once

#include <sel4/types.h>
#include <sel4/invocation.h>

/* The calling thread's IPC buffer, as libsel4 keeps it (thread-local). */
extern __thread seL4_IPCBuffer *__sel4_ipc_buffer;

static inline void seL4_SetIPCBuffer(seL4_IPCBuffer *ipc_buffer) { __sel4_ipc_buffer = ipc_buffer; }
static inline seL4_IPCBuffer *seL4_GetIPCBuffer(void) { return __sel4_ipc_buffer; }
static inline seL4_Word seL4_GetMR(int i) { return __sel4_ipc_buffer->msg[i]; }
static inline void seL4_SetMR(int i, seL4_Word mr) { __sel4_ipc_buffer->msg[i] = mr; }
static inline seL4_Word seL4_GetUserData(void) { return __sel4_ipc_buffer->userData; }
static inline void seL4_SetUserData(seL4_Word data) { __sel4_ipc_buffer->userData = data; }
static inline seL4_Word seL4_GetBadge(int i) { return __sel4_ipc_buffer->caps_or_badges[i]; }
static inline seL4_CPtr seL4_GetCap(int i) { return (seL4_CPtr)__sel4_ipc_buffer->caps_or_badges[i]; }
static inline void seL4_SetCap(int i, seL4_CPtr cptr) { __sel4_ipc_buffer->caps_or_badges[i] = (seL4_Word)cptr; }
static inline void seL4_GetCapReceivePath(seL4_CPtr *receiveCNode, seL4_CPtr *receiveIndex,
                                          seL4_Word *receiveDepth)
{
    if (receiveCNode) {
        *receiveCNode = __sel4_ipc_buffer->receiveCNode;
    }
    if (receiveIndex) {
        *receiveIndex = __sel4_ipc_buffer->receiveIndex;
    }
    if (receiveDepth) {
        *receiveDepth = __sel4_ipc_buffer->receiveDepth;
    }
}
static inline void seL4_SetCapReceivePath(seL4_CPtr receiveCNode, seL4_CPtr receiveIndex,
                                          seL4_Word receiveDepth)
{
    __sel4_ipc_buffer->receiveCNode = receiveCNode;
    __sel4_ipc_buffer->receiveIndex = receiveIndex;
    __sel4_ipc_buffer->receiveDepth = receiveDepth;
}

/* Bootinfo pointer as libsel4's sel4_bootinfo.c keeps it. */
void seL4_InitBootInfo(seL4_BootInfo *bi);
seL4_BootInfo *seL4_GetBootInfo(void);

/* System calls (non-MCS). */
void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo);
void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo);
void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0, seL4_Word *mr1,
                      seL4_Word *mr2, seL4_Word *mr3);
void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0, seL4_Word *mr1,
                        seL4_Word *mr2, seL4_Word *mr3);
void seL4_Reply(seL4_MessageInfo_t msgInfo);
void seL4_ReplyWithMRs(seL4_MessageInfo_t msgInfo, seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                       seL4_Word *mr3);
void seL4_Signal(seL4_CPtr dest);
seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender);
seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word *sender, seL4_Word *mr0, seL4_Word *mr1,
                                    seL4_Word *mr2, seL4_Word *mr3);
seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender);
seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo);
seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0,
                                    seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3);
seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *sender);
seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *sender,
                                         seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3);
void seL4_Wait(seL4_CPtr src, seL4_Word *sender);
seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender);
void seL4_Yield(void);
void seL4_SetTLSBase(seL4_Word tls_base);

/* Debug system calls (KernelDebugBuild / KernelPrinting). */
void seL4_DebugPutChar(char c);
seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap);

/* Object invocations. */
seL4_Error seL4_Untyped_Retype(seL4_Untyped _service, seL4_Word type, seL4_Word size_bits, seL4_CNode root,
                               seL4_Word node_index, seL4_Word node_depth, seL4_Word node_offset,
                               seL4_Word num_objects);
seL4_Error seL4_CNode_Revoke(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth);
seL4_Error seL4_CNode_Delete(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth);
seL4_Error seL4_CNode_CancelBadgedSends(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth);
seL4_Error seL4_CNode_Copy(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth, seL4_CNode src_root,
                           seL4_Word src_index, seL4_Uint8 src_depth, seL4_CapRights_t rights);
seL4_Error seL4_CNode_Mint(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth, seL4_CNode src_root,
                           seL4_Word src_index, seL4_Uint8 src_depth, seL4_CapRights_t rights, seL4_Word badge);
seL4_Error seL4_CNode_Move(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth, seL4_CNode src_root,
                           seL4_Word src_index, seL4_Uint8 src_depth);
seL4_Error seL4_CNode_Mutate(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                             seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth, seL4_Word badge);
seL4_Error seL4_CNode_Rotate(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                             seL4_Word dest_badge, seL4_CNode pivot_root, seL4_Word pivot_index,
                             seL4_Uint8 pivot_depth, seL4_Word pivot_badge, seL4_CNode src_root,
                             seL4_Word src_index, seL4_Uint8 src_depth);
seL4_Error seL4_CNode_SaveCaller(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth);

typedef struct seL4_X86_Page_GetAddress {
    int error;
    seL4_Word paddr;
} seL4_X86_Page_GetAddress_t;
seL4_X86_Page_GetAddress_t seL4_X86_Page_GetAddress(seL4_X86_Page _service);

/* x86 virtual memory. */
seL4_Error seL4_X86_Page_Map(seL4_X86_Page _service, seL4_CPtr vspace, seL4_Word vaddr, seL4_CapRights_t rights,
                             seL4_X86_VMAttributes attr);
seL4_Error seL4_X86_Page_Unmap(seL4_X86_Page _service);
seL4_Error seL4_X86_PageTable_Map(seL4_X86_PageTable _service, seL4_CPtr vspace, seL4_Word vaddr,
                                  seL4_X86_VMAttributes attr);
seL4_Error seL4_X86_PageTable_Unmap(seL4_X86_PageTable _service);
seL4_Error seL4_X86_PageDirectory_Map(seL4_X86_PageDirectory _service, seL4_CPtr vspace, seL4_Word vaddr,
                                      seL4_X86_VMAttributes attr);
seL4_Error seL4_X86_PageDirectory_Unmap(seL4_X86_PageDirectory _service);
seL4_Error seL4_X86_PDPT_Map(seL4_X86_PDPT _service, seL4_CPtr pml4, seL4_Word vaddr, seL4_X86_VMAttributes attr);
seL4_Error seL4_X86_PDPT_Unmap(seL4_X86_PDPT _service);
seL4_Error seL4_X86_ASIDControl_MakePool(seL4_X86_ASIDControl _service, seL4_Untyped untyped, seL4_CNode root,
                                         seL4_Word index, seL4_Uint8 depth);
seL4_Error seL4_X86_ASIDPool_Assign(seL4_X86_ASIDPool _service, seL4_CPtr vspace);

/* x86 IO ports. */
typedef struct seL4_X86_IOPort_In8 {
    int error;
    seL4_Uint8 result;
} seL4_X86_IOPort_In8_t;
typedef struct seL4_X86_IOPort_In16 {
    int error;
    seL4_Uint16 result;
} seL4_X86_IOPort_In16_t;
typedef struct seL4_X86_IOPort_In32 {
    int error;
    seL4_Uint32 result;
} seL4_X86_IOPort_In32_t;
seL4_Error seL4_X86_IOPortControl_Issue(seL4_X86_IOPortControl _service, seL4_Word first_port, seL4_Word last_port,
                                        seL4_CNode root, seL4_Word index, seL4_Uint8 depth);
seL4_X86_IOPort_In8_t seL4_X86_IOPort_In8(seL4_X86_IOPort _service, seL4_Uint16 port);
seL4_X86_IOPort_In16_t seL4_X86_IOPort_In16(seL4_X86_IOPort _service, seL4_Uint16 port);
seL4_X86_IOPort_In32_t seL4_X86_IOPort_In32(seL4_X86_IOPort _service, seL4_Uint16 port);
seL4_Error seL4_X86_IOPort_Out8(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data);
seL4_Error seL4_X86_IOPort_Out16(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data);
seL4_Error seL4_X86_IOPort_Out32(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data);

/* Interrupts (IOAPIC mode). */
seL4_Error seL4_IRQControl_Get(seL4_IRQControl _service, seL4_Word irq, seL4_CNode root, seL4_Word index,
                               seL4_Uint8 depth);
seL4_Error seL4_IRQControl_GetIOAPIC(seL4_IRQControl _service, seL4_CNode root, seL4_Word index, seL4_Uint8 depth,
                                     seL4_Word ioapic, seL4_Word pin, seL4_Word level, seL4_Word polarity,
                                     seL4_Word vector);
seL4_Error seL4_IRQControl_GetMSI(seL4_IRQControl _service, seL4_CNode root, seL4_Word index, seL4_Uint8 depth,
                                  seL4_Word pci_bus, seL4_Word pci_dev, seL4_Word pci_func, seL4_Word handle,
                                  seL4_Word vector);
seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler _service);
seL4_Error seL4_IRQHandler_SetNotification(seL4_IRQHandler _service, seL4_CPtr notification);
seL4_Error seL4_IRQHandler_Clear(seL4_IRQHandler _service);

/* Threads. */
typedef struct seL4_UserContext_ {
    seL4_Word rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
    seL4_Word fs_base, gs_base;
} seL4_UserContext;
seL4_Error seL4_TCB_ReadRegisters(seL4_TCB _service, seL4_Bool suspend_source, seL4_Uint8 arch_flags, seL4_Word count,
                                  seL4_UserContext *regs);
seL4_Error seL4_TCB_WriteRegisters(seL4_TCB _service, seL4_Bool resume_target, seL4_Uint8 arch_flags,
                                   seL4_Word count, seL4_UserContext *regs);
seL4_Error seL4_TCB_CopyRegisters(seL4_TCB _service, seL4_TCB source, seL4_Bool suspend_source,
                                  seL4_Bool resume_target, seL4_Bool transfer_frame, seL4_Bool transfer_integer,
                                  seL4_Uint8 arch_flags);
seL4_Error seL4_TCB_Configure(seL4_TCB _service, seL4_Word fault_ep, seL4_CNode cspace_root,
                              seL4_Word cspace_root_data, seL4_CPtr vspace_root, seL4_Word vspace_root_data,
                              seL4_Word buffer, seL4_CPtr bufferFrame);
seL4_Error seL4_TCB_SetSpace(seL4_TCB _service, seL4_Word fault_ep, seL4_CNode cspace_root,
                             seL4_Word cspace_root_data, seL4_CPtr vspace_root, seL4_Word vspace_root_data);
seL4_Error seL4_TCB_SetIPCBuffer(seL4_TCB _service, seL4_Word buffer, seL4_CPtr bufferFrame);
seL4_Error seL4_TCB_SetPriority(seL4_TCB _service, seL4_TCB authority, seL4_Word priority);
seL4_Error seL4_TCB_SetMCPriority(seL4_TCB _service, seL4_TCB authority, seL4_Word mcp);
seL4_Error seL4_TCB_SetSchedParams(seL4_TCB _service, seL4_TCB authority, seL4_Word mcp, seL4_Word priority);
seL4_Error seL4_TCB_Suspend(seL4_TCB _service);
seL4_Error seL4_TCB_Resume(seL4_TCB _service);
seL4_Error seL4_TCB_BindNotification(seL4_TCB _service, seL4_CPtr notification);
seL4_Error seL4_TCB_UnbindNotification(seL4_TCB _service);
seL4_Error seL4_TCB_SetTLSBase(seL4_TCB _service, seL4_Word tls_base);
