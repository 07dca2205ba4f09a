/* Fault messages from components, decoded into one log line each. */
#include <kaal/arch.h>
#include <kaal/rt.h>
#include "root.h"


void root_fault_describe(seL4_MessageInfo_t info, char *buf, size_t size)
{
    switch (seL4_MessageInfo_get_label(info)) {
    case seL4_Fault_VMFault:
        rt_snprintf(buf, size, "VM fault: %s at address 0x%lx, ip 0x%lx", arch_vm_fault_access(seL4_GetMR(seL4_VMFault_FSR)),
                    (unsigned long)seL4_GetMR(seL4_VMFault_Addr), (unsigned long)seL4_GetMR(seL4_VMFault_IP));
        break;
    case seL4_Fault_UserException:
        rt_snprintf(buf, size, "user exception: vector %lu, code %lu, ip 0x%lx",
                    (unsigned long)seL4_GetMR(seL4_UserException_Number),
                    (unsigned long)seL4_GetMR(seL4_UserException_Code),
                    (unsigned long)seL4_GetMR(seL4_UserException_FaultIP));
        break;
    case seL4_Fault_CapFault:
        rt_snprintf(buf, size, "cap fault: cptr 0x%lx (lookup failure %lu%s), ip 0x%lx",
                    (unsigned long)seL4_GetMR(seL4_CapFault_Addr),
                    (unsigned long)seL4_GetMR(seL4_CapFault_LookupFailureType),
                    seL4_GetMR(seL4_CapFault_InRecvPhase) ? ", receiving" : "",
                    (unsigned long)seL4_GetMR(seL4_CapFault_IP));
        break;
    case seL4_Fault_UnknownSyscall:
        rt_snprintf(buf, size, "unknown system call %ld, ip 0x%lx", (long)seL4_GetMR(seL4_UnknownSyscall_Syscall),
                    (unsigned long)seL4_GetMR(seL4_UnknownSyscall_FaultIP));
        break;
    default:
        rt_snprintf(buf, size, "fault of unknown type %lu", (unsigned long)seL4_MessageInfo_get_label(info));
        break;
    }
}
