/*
 * The sim's libsel4 types and constants: seL4 16.0.0, x86_64, non-MCS.
 * Names, values and layouts follow libsel4 so that code written against the
 * real <sel4/sel4.h> compiles and behaves the same against this one.
 */
#pragma once

#include <stdint.h>
#include <sel4/assert.h>

typedef int8_t seL4_Int8;
typedef int16_t seL4_Int16;
typedef int32_t seL4_Int32;
typedef int64_t seL4_Int64;
typedef uint8_t seL4_Uint8;
typedef uint16_t seL4_Uint16;
typedef uint32_t seL4_Uint32;
typedef uint64_t seL4_Uint64;
typedef seL4_Uint8 seL4_Bool;

typedef seL4_Uint64 seL4_Word;
typedef seL4_Word seL4_CPtr;
typedef seL4_Word seL4_NodeId;
typedef seL4_Word seL4_PAddr;
typedef seL4_Word seL4_Domain;

typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_X86_ASIDControl;
typedef seL4_CPtr seL4_X86_ASIDPool;
typedef seL4_CPtr seL4_X86_IOSpace;
typedef seL4_CPtr seL4_X86_IOPortControl;
typedef seL4_CPtr seL4_X86_IOPort;
typedef seL4_CPtr seL4_X86_Page;
typedef seL4_CPtr seL4_X86_PDPT;
typedef seL4_CPtr seL4_X86_PageDirectory;
typedef seL4_CPtr seL4_X86_PageTable;
typedef seL4_CPtr seL4_X64_PML4;

#define seL4_True 1
#define seL4_False 0
#define seL4_Null ((void *)0)

#define LIBSEL4_BIT(n) (1ul << (n))

/* Word and object sizes (log2 bytes), as on x86_64 with FXSAVE. */
#define seL4_WordBits 64
#define seL4_WordSizeBits 3
#define seL4_PageBits 12
#define seL4_SlotBits 5
#define seL4_TCBBits 11
#define seL4_EndpointBits 4
#define seL4_NotificationBits 5
#define seL4_PageTableBits 12
#define seL4_PageTableEntryBits 3
#define seL4_PageTableIndexBits 9
#define seL4_PageDirBits 12
#define seL4_PageDirEntryBits 3
#define seL4_PageDirIndexBits 9
#define seL4_PDPTBits 12
#define seL4_PDPTEntryBits 3
#define seL4_PDPTIndexBits 9
#define seL4_PML4Bits 12
#define seL4_PML4EntryBits 3
#define seL4_PML4IndexBits 9
#define seL4_VSpaceBits seL4_PML4Bits
#define seL4_LargePageBits 21
#define seL4_HugePageBits 30
#define seL4_NumASIDPoolsBits 3
#define seL4_ASIDPoolBits 12
#define seL4_ASIDPoolIndexBits 9
#define seL4_MinUntypedBits 4
#define seL4_MaxUntypedBits 47
#define seL4_IPCBufferSizeBits 10
#define seL4_FastMessageRegisters 4
#define seL4_UserTop 0x00007ffffffff000ul
#define seL4_UserVSpaceTop (seL4_UserTop - 1)
#define seL4_DataFault 0
#define seL4_InstructionFault 1

#define seL4_MsgLengthBits 7
#define seL4_MsgExtraCapBits 2
#define seL4_MsgMaxLength 120
#define seL4_MsgMaxExtraCaps (LIBSEL4_BIT(seL4_MsgExtraCapBits) - 1)
#define seL4_CapRightsBits 4
#define seL4_MinPrio 0
#define seL4_MaxPrio 255
#define seL4_InvalidPrio (-1)

typedef enum {
    seL4_NoError = 0,
    seL4_InvalidArgument,
    seL4_InvalidCapability,
    seL4_IllegalOperation,
    seL4_RangeError,
    seL4_AlignmentError,
    seL4_FailedLookup,
    seL4_TruncatedMessage,
    seL4_DeleteFirst,
    seL4_RevokeFirst,
    seL4_NotEnoughMemory,
    seL4_NumErrors
} seL4_Error;

typedef enum {
    seL4_NoFailure = 0,
    seL4_InvalidRoot,
    seL4_MissingCapability,
    seL4_DepthMismatch,
    seL4_GuardMismatch,
} seL4_LookupFailureType;

/* Object types: generic, then x86_64 mode, then x86 arch (huge pages and IOMMU on, as pc99's defaults). */
typedef enum api_object {
    seL4_UntypedObject,
    seL4_TCBObject,
    seL4_EndpointObject,
    seL4_NotificationObject,
    seL4_CapTableObject,
    seL4_NonArchObjectTypeCount,
} seL4_ObjectType;
typedef enum _mode_object {
    seL4_X86_PDPTObject = seL4_NonArchObjectTypeCount,
    seL4_X64_PML4Object,
    seL4_X64_HugePageObject,
    seL4_ModeObjectTypeCount
} seL4_seL4ArchObjectType;
typedef enum _object {
    seL4_X86_4K = seL4_ModeObjectTypeCount,
    seL4_X86_LargePageObject,
    seL4_X86_PageTableObject,
    seL4_X86_PageDirectoryObject,
    seL4_X86_IOPageTableObject,
    seL4_ObjectTypeCount
} seL4_ArchObjectType;
typedef seL4_Word api_object_t;
typedef seL4_Word object_t;

enum seL4_RootCNodeCapSlots {
    seL4_CapNull = 0,
    seL4_CapInitThreadTCB = 1,
    seL4_CapInitThreadCNode = 2,
    seL4_CapInitThreadVSpace = 3,
    seL4_CapIRQControl = 4,
    seL4_CapASIDControl = 5,
    seL4_CapInitThreadASIDPool = 6,
    seL4_CapIOPortControl = 7,
    seL4_CapIOSpace = 8,
    seL4_CapBootInfoFrame = 9,
    seL4_CapInitThreadIPCBuffer = 10,
    seL4_CapDomain = 11,
    seL4_CapSMMUSIDControl = 12,
    seL4_CapSMMUCBControl = 13,
    seL4_CapInitThreadSC = 14,
    seL4_CapSMC = 15,
    seL4_NumInitialCaps = 16
};
#define seL4_CapInitThreadPD seL4_CapInitThreadVSpace

/* seL4_MessageInfo: label 52 | capsUnwrapped 3 | extraCaps 2 | length 7 */
typedef struct seL4_MessageInfo {
    seL4_Uint64 words[1];
} seL4_MessageInfo_t;

/* As libsel4's generated code does, each constructor and setter asserts that its values fit their fields. */
static inline seL4_MessageInfo_t seL4_MessageInfo_new(seL4_Uint64 label, seL4_Uint64 capsUnwrapped,
                                                      seL4_Uint64 extraCaps, seL4_Uint64 length)
{
    seL4_DebugAssert((label & ~0xfffffffffffffull) == 0);
    seL4_DebugAssert((capsUnwrapped & ~0x7ull) == 0);
    seL4_DebugAssert((extraCaps & ~0x3ull) == 0);
    seL4_DebugAssert((length & ~0x7full) == 0);
    seL4_MessageInfo_t m;
    m.words[0] = ((label & 0xfffffffffffffull) << 12) | ((capsUnwrapped & 0x7) << 9) |
                 ((extraCaps & 0x3) << 7) | (length & 0x7f);
    return m;
}
static inline seL4_Uint64 seL4_MessageInfo_get_label(seL4_MessageInfo_t m) { return m.words[0] >> 12; }
static inline seL4_Uint64 seL4_MessageInfo_get_capsUnwrapped(seL4_MessageInfo_t m) { return (m.words[0] >> 9) & 0x7; }
static inline seL4_Uint64 seL4_MessageInfo_get_extraCaps(seL4_MessageInfo_t m) { return (m.words[0] >> 7) & 0x3; }
static inline seL4_Uint64 seL4_MessageInfo_get_length(seL4_MessageInfo_t m) { return m.words[0] & 0x7f; }
static inline seL4_MessageInfo_t seL4_MessageInfo_set_label(seL4_MessageInfo_t m, seL4_Uint64 v)
{
    seL4_DebugAssert((v & ~0xfffffffffffffull) == 0);
    m.words[0] = (m.words[0] & 0xfffull) | ((v & 0xfffffffffffffull) << 12);
    return m;
}
static inline seL4_MessageInfo_t seL4_MessageInfo_set_capsUnwrapped(seL4_MessageInfo_t m, seL4_Uint64 v)
{
    seL4_DebugAssert((v & ~0x7ull) == 0);
    m.words[0] = (m.words[0] & ~(0x7ull << 9)) | ((v & 0x7) << 9);
    return m;
}
static inline seL4_MessageInfo_t seL4_MessageInfo_set_extraCaps(seL4_MessageInfo_t m, seL4_Uint64 v)
{
    seL4_DebugAssert((v & ~0x3ull) == 0);
    m.words[0] = (m.words[0] & ~(0x3ull << 7)) | ((v & 0x3) << 7);
    return m;
}
static inline seL4_MessageInfo_t seL4_MessageInfo_set_length(seL4_MessageInfo_t m, seL4_Uint64 v)
{
    seL4_DebugAssert((v & ~0x7full) == 0);
    m.words[0] = (m.words[0] & ~0x7full) | (v & 0x7f);
    return m;
}

/* The pointer forms libsel4 generates for every field. */
#define SIM_MSGINFO_PTR_FIELD(field_)                                                                          \
    static inline seL4_Uint64 seL4_MessageInfo_ptr_get_##field_(const seL4_MessageInfo_t *m)                  \
    {                                                                                                          \
        return seL4_MessageInfo_get_##field_(*m);                                                              \
    }                                                                                                          \
    static inline void seL4_MessageInfo_ptr_set_##field_(seL4_MessageInfo_t *m, seL4_Uint64 v)                \
    {                                                                                                          \
        *m = seL4_MessageInfo_set_##field_(*m, v);                                                             \
    }
SIM_MSGINFO_PTR_FIELD(label)
SIM_MSGINFO_PTR_FIELD(capsUnwrapped)
SIM_MSGINFO_PTR_FIELD(extraCaps)
SIM_MSGINFO_PTR_FIELD(length)
#undef SIM_MSGINFO_PTR_FIELD

/* seL4_CapRights: GrantReply bit 3 | Grant bit 2 | Read bit 1 | Write bit 0 */
typedef struct seL4_CapRights {
    seL4_Uint64 words[1];
} seL4_CapRights_t;

static inline seL4_CapRights_t seL4_CapRights_new(seL4_Uint64 grantReply, seL4_Uint64 grant,
                                                  seL4_Uint64 read, seL4_Uint64 write)
{
    seL4_DebugAssert(((grantReply | grant | read | write) & ~1ull) == 0);
    seL4_CapRights_t r;
    r.words[0] = ((grantReply & 1) << 3) | ((grant & 1) << 2) | ((read & 1) << 1) | (write & 1);
    return r;
}
static inline seL4_Uint64 seL4_CapRights_get_capAllowGrantReply(seL4_CapRights_t r) { return (r.words[0] >> 3) & 1; }
static inline seL4_Uint64 seL4_CapRights_get_capAllowGrant(seL4_CapRights_t r) { return (r.words[0] >> 2) & 1; }
static inline seL4_Uint64 seL4_CapRights_get_capAllowRead(seL4_CapRights_t r) { return (r.words[0] >> 1) & 1; }
static inline seL4_Uint64 seL4_CapRights_get_capAllowWrite(seL4_CapRights_t r) { return r.words[0] & 1; }

#define seL4_CanWrite seL4_CapRights_new(0, 0, 0, 1)
#define seL4_CanRead seL4_CapRights_new(0, 0, 1, 0)
#define seL4_CanGrant seL4_CapRights_new(0, 1, 0, 0)
#define seL4_CanGrantReply seL4_CapRights_new(1, 0, 0, 0)
#define seL4_AllRights seL4_CapRights_new(1, 1, 1, 1)
#define seL4_ReadWrite seL4_CapRights_new(0, 0, 1, 1)
#define seL4_NoWrite seL4_CapRights_new(1, 1, 1, 0)
#define seL4_NoRead seL4_CapRights_new(1, 1, 0, 1)
#define seL4_NoRights seL4_CapRights_new(0, 0, 0, 0)

/* seL4_CNode_CapData: guard 58 | guardSize 6 */
typedef struct seL4_CNode_CapData {
    seL4_Uint64 words[1];
} seL4_CNode_CapData_t;

static inline seL4_CNode_CapData_t seL4_CNode_CapData_new(seL4_Uint64 guard, seL4_Uint64 guardSize)
{
    seL4_DebugAssert((guard & ~0x3ffffffffffffffull) == 0);
    seL4_DebugAssert((guardSize & ~0x3full) == 0);
    seL4_CNode_CapData_t d;
    d.words[0] = ((guard & 0x3ffffffffffffffull) << 6) | (guardSize & 0x3f);
    return d;
}
static inline seL4_Uint64 seL4_CNode_CapData_get_guard(seL4_CNode_CapData_t d) { return d.words[0] >> 6; }
static inline seL4_Uint64 seL4_CNode_CapData_get_guardSize(seL4_CNode_CapData_t d) { return d.words[0] & 0x3f; }

typedef struct seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word userData;
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
    seL4_CPtr receiveCNode;
    seL4_CPtr receiveIndex;
    seL4_Word receiveDepth;
} seL4_IPCBuffer __attribute__((__aligned__(sizeof(struct seL4_IPCBuffer_))));

/* Boot information, as the kernel hands it to the root task. */
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
/* The most objects one Untyped_Retype makes. */
#define CONFIG_RETYPE_FAN_OUT_LIMIT 256
#define seL4_UntypedRetypeMaxObjects CONFIG_RETYPE_FAN_OUT_LIMIT
/* Untypeds end at or below this physical address (x86_64: 2^47). */
#define CONFIG_PADDR_USER_DEVICE_TOP 0x800000000000ull
typedef seL4_Word seL4_SlotPos;
typedef struct seL4_SlotRegion {
    seL4_SlotPos start;
    seL4_SlotPos end;
} seL4_SlotRegion;
typedef struct seL4_UntypedDesc {
    seL4_Word paddr;
    seL4_Uint8 sizeBits;
    seL4_Uint8 isDevice;
    seL4_Uint8 padding[sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)];
} seL4_UntypedDesc;
typedef struct seL4_BootInfo {
    seL4_Word extraLen;
    seL4_NodeId nodeID;
    seL4_Word numNodes;
    seL4_Word numIOPTLevels;
    seL4_IPCBuffer *ipcBuffer;
    seL4_SlotRegion empty;
    seL4_SlotRegion sharedFrames;
    seL4_SlotRegion userImageFrames;
    seL4_SlotRegion userImagePaging;
    seL4_SlotRegion ioSpaceCaps;
    seL4_SlotRegion extraBIPages;
    seL4_Word initThreadCNodeSizeBits;
    seL4_Domain initThreadDomain;
    seL4_SlotRegion untyped;
    seL4_UntypedDesc untypedList[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
} seL4_BootInfo;
#define seL4_BootInfoFrameBits seL4_PageBits
#define seL4_BootInfoFrameSize LIBSEL4_BIT(seL4_BootInfoFrameBits)
_Static_assert(sizeof(seL4_BootInfo) <= seL4_BootInfoFrameSize, "bootinfo fits its frame");

typedef enum {
    SEL4_BOOTINFO_HEADER_PADDING = 0,
    SEL4_BOOTINFO_HEADER_X86_VBE = 1,
    SEL4_BOOTINFO_HEADER_X86_MBMMAP = 2,
    SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP = 3,
    SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER = 4,
    SEL4_BOOTINFO_HEADER_X86_TSC_FREQ = 5, /* in MHz */
    SEL4_BOOTINFO_HEADER_FDT = 6,
    SEL4_BOOTINFO_HEADER_NUM,
} seL4_BootInfoID;

typedef struct seL4_BootInfoHeader {
    seL4_Word id;
    seL4_Word len;
} seL4_BootInfoHeader;

/* x86 page attributes and VM attributes. */
typedef enum {
    seL4_X86_Default_VMAttributes = 0,
    seL4_X86_WriteBack = 0,
    seL4_X86_WriteThrough = 1,
    seL4_X86_CacheDisabled = 2,
    seL4_X86_Uncacheable = 3,
    seL4_X86_WriteCombining = 4,
} seL4_X86_VMAttributes;

/* Fault messages (x86_64): the label says which fault, the MRs carry its details. */
typedef enum {
    seL4_Fault_NullFault = 0,
    seL4_Fault_CapFault = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException = 3,
    seL4_Fault_VMFault = 5,
} seL4_FaultType;
typedef enum {
    seL4_CapFault_IP,
    seL4_CapFault_Addr,
    seL4_CapFault_InRecvPhase,
    seL4_CapFault_LookupFailureType,
    seL4_CapFault_BitsLeft,
    seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_GuardFound = seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_BitsFound,
} seL4_CapFault_Msg;
typedef enum {
    seL4_VMFault_IP,
    seL4_VMFault_Addr,
    seL4_VMFault_PrefetchFault,
    seL4_VMFault_FSR,
    seL4_VMFault_Length,
} seL4_VMFault_Msg;
typedef enum {
    seL4_UserException_FaultIP,
    seL4_UserException_SP,
    seL4_UserException_FLAGS,
    seL4_UserException_Number,
    seL4_UserException_Code,
    seL4_UserException_Length,
} seL4_UserException_Msg;
typedef enum {
    seL4_UnknownSyscall_RAX,
    seL4_UnknownSyscall_RBX,
    seL4_UnknownSyscall_RCX,
    seL4_UnknownSyscall_RDX,
    seL4_UnknownSyscall_RSI,
    seL4_UnknownSyscall_RDI,
    seL4_UnknownSyscall_RBP,
    seL4_UnknownSyscall_R8,
    seL4_UnknownSyscall_R9,
    seL4_UnknownSyscall_R10,
    seL4_UnknownSyscall_R11,
    seL4_UnknownSyscall_R12,
    seL4_UnknownSyscall_R13,
    seL4_UnknownSyscall_R14,
    seL4_UnknownSyscall_R15,
    seL4_UnknownSyscall_FaultIP,
    seL4_UnknownSyscall_SP,
    seL4_UnknownSyscall_FLAGS,
    seL4_UnknownSyscall_Syscall,
    seL4_UnknownSyscall_Length,
} seL4_UnknownSyscall_Msg;
