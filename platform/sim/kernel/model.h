/*
 * The sim's model of seL4 kernel state: capabilities, slots with their
 * derivation tree (the kernel's MDB), and kernel objects. It follows the
 * structure of the kernel's own C so that every rule has one obvious place.
 * Internal to platform/sim: nothing outside the sim includes this.
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sel4/sel4.h>

typedef seL4_Word word_t;

#define BIT(n) (1ul << (n))
#define MASK(n) (BIT(n) - 1ul)

typedef enum {
    cap_null,
    cap_untyped,
    cap_endpoint,
    cap_notification,
    cap_reply,
    cap_cnode,
    cap_thread,
    cap_irq_control,
    cap_irq_handler,
    cap_domain,
    cap_frame,
    cap_page_table,
    cap_page_directory,
    cap_pdpt,
    cap_pml4,
    cap_asid_control,
    cap_asid_pool,
    cap_io_port_control,
    cap_io_port,
    cap_io_page_table,
} cap_type_t;

struct cte;
struct tcb;

typedef struct cap {
    cap_type_t type;
    word_t paddr; /* the object's physical address (the kernel's capPtr) */
    void *obj;    /* the host-side object, if the type has one */
    union {
        struct {
            unsigned size_bits;
            bool device;
            word_t free_offset; /* bytes used from the start */
        } ut;
        struct {
            word_t badge;
            bool send, recv, grant, grant_reply;
        } ep;
        struct {
            word_t badge;
            bool send, recv;
        } ntfn;
        struct {
            bool master, grant;
        } reply;
        struct {
            unsigned radix, guard_size;
            word_t guard;
        } cn;
        struct {
            unsigned size_bits;
            bool device;
            seL4_CapRights_t rights;
            word_t mapped_asid, mapped_vaddr;
        } frame;
        struct {
            bool mapped;
            word_t mapped_asid, mapped_vaddr;
        } pt; /* page table, page directory, PDPT, PML4, IOMMU page table */
        struct {
            word_t base; /* first ASID of the pool */
        } asid;
        struct {
            seL4_Uint16 first, last;
        } ioport;
        struct {
            word_t irq;
        } irq;
    };
} cap_t;

/* A capability slot: the kernel's cte_t, with its MDB node. */
typedef struct cte {
    cap_t cap;
    struct cte *mdb_prev, *mdb_next;
    bool revocable, first_badged;
} cte_t;

/* Thread states (non-MCS). */
typedef enum {
    ts_inactive,
    ts_running,
    ts_restart,
    ts_blocked_on_receive,
    ts_blocked_on_send,
    ts_blocked_on_reply,
    ts_blocked_on_notification,
    ts_idle,
} thread_state_t;

enum { tcb_ctable, tcb_vtable, tcb_reply, tcb_caller, tcb_buffer, tcb_cnode_entries };

#define SIM_USER_CONTEXT_WORDS 20 /* seL4_UserContext on x86_64 */
/* Indexes into seL4_UserContext (rip, rsp, rflags, rax..r15, fs_base, gs_base). */
enum { CONTEXT_RIP = 0, CONTEXT_RSP = 1, CONTEXT_FLAGS = 2, CONTEXT_RAX = 3, CONTEXT_FS_BASE = 18, CONTEXT_GS_BASE = 19 };
/* The x86 flags the kernel forces on or off in a thread's rflags. */
#define FLAGS_HIGH (1ul << 1)
#define FLAGS_LOW ((1ul << 3) | (1ul << 5))
#define FLAGS_TF (1ul << 8)
#define FLAGS_IF (1ul << 9)
#define FLAGS_MASK 0xffful

typedef struct tcb {
    cte_t ctes[tcb_cnode_entries];
    thread_state_t state;
    seL4_IPCBuffer *ipc_buffer; /* host address of the thread's IPC buffer, or NULL */
    word_t ipc_buffer_vaddr;
    unsigned priority, mcp;
    struct notification *bound_ntfn;
    struct tcb *ep_next, *ep_prev; /* queue links on an endpoint or notification */
    struct tcb *ready_next;        /* link in the scheduler's ready queue */
    bool queued;                   /* in a ready queue */
    word_t fault_ep;
    word_t tls_base;
    word_t regs[SIM_USER_CONTEXT_WORDS]; /* as written; rip, rsp and rdi start the thread */
    /* A blocked send: what it sends with. */
    void *blocked_on;               /* the endpoint or notification it waits on */
    word_t ipc_badge;
    bool ipc_can_grant, ipc_can_grant_reply, ipc_is_call;
    seL4_MessageInfo_t send_info;   /* the message a blocked sender will send */
    /* A fault being delivered to the thread's fault handler, in place of a message. */
    bool has_fault;
    word_t fault_label, fault_len, fault_msg[seL4_UnknownSyscall_Length];
    /* What the thread's system call returns when it runs again. */
    seL4_MessageInfo_t ret_info;
    word_t ret_badge;
    /* Its host thread. */
    pthread_cond_t cv;
    bool host_started;
    bool destroyed;     /* its host thread ends the next time it wakes */
    struct proc *proc;  /* the host process it runs in, if its vspace is not the root task's */
    char name[32];
} tcb_t;

typedef enum { ep_idle, ep_send, ep_recv } ep_state_t;
typedef struct endpoint {
    ep_state_t state;
    tcb_t *head, *tail;
} endpoint_t;

typedef enum { ntfn_idle, ntfn_waiting, ntfn_active } ntfn_state_t;
typedef struct notification {
    ntfn_state_t state;
    word_t badge; /* the accumulated badge while active */
    tcb_t *head, *tail;
    tcb_t *bound_tcb;
} notification_t;

/* x86_64 paging: a table of 512 entries, each empty, a next-level table, or a page. */
typedef enum { pte_none, pte_table, pte_page } pte_kind_t;
typedef struct pte {
    uint8_t kind, rights, attr;
    word_t paddr;          /* the page's or the table's physical address */
    struct paging *table;  /* the next-level table, for pte_table */
} pte_t;
typedef struct paging {
    pte_t e[512];
} paging_t;

typedef struct asid_pool {
    paging_t *vspace[BIT(seL4_ASIDPoolIndexBits)];
} asid_pool_t;

/* An interrupt line: its handler state, masking, and the notification it signals. */
typedef enum { irq_inactive, irq_signal, irq_reserved } irq_state_t;
typedef struct irq {
    irq_state_t state;
    bool masked, pending;
    int ioapic_pin; /* -1 for MSI */
    cte_t ntfn_slot;
} irq_t;

/* The error the current invocation reports, as the kernel's current_syscall_error. */
typedef struct {
    seL4_Error type;
    word_t invalid_argument, invalid_cap, range_min, range_max, memory_left;
    bool lookup_was_source;
    seL4_LookupFailureType luf;
    word_t luf_bits_left, luf_bits_found, luf_guard_found;
} syscall_error_t;

/* Result of a lookup: the slot, or the reason it failed (in err). */
typedef struct {
    cte_t *slot;
    word_t bits_remaining;
    bool ok;
} lookup_t;

/* All kernel state of one simulated machine. */
typedef struct kernel {
    pthread_mutex_t lock; /* the big kernel lock: one invocation at a time */
    unsigned char *ram;   /* host memory that backs physical RAM */
    int ram_fd;           /* the same memory as a file, for further host mappings */
    word_t ram_size;
    tcb_t *cur;           /* the thread that has the CPU; NULL when idle */
    tcb_t *ready_head[256], *ready_tail[256]; /* runnable threads other than cur, by priority */
    uint64_t ready_bitmap[4];                  /* which priorities have a ready thread */
    bool devices_may_interrupt; /* a device thread may yet raise an interrupt */
    syscall_error_t err;
    word_t ioport_owner[65536 / 64]; /* bitmap: ports issued by IOPortControl */
    irq_t irqs[256];
    asid_pool_t *asid_table[BIT(seL4_NumASIDPoolsBits)];
    /* For each ASID, a count of the unmaps in its vspace and of its reassignments: a component's
     * process drops its mappings when its vspace's count has moved since it last looked. */
    word_t unmaps[BIT(seL4_NumASIDPoolsBits + seL4_ASIDPoolIndexBits)];
} kernel_t;

extern kernel_t ksim;

/* errors.c: set the current error; each returns false for use in `return fail...`. */
bool fail(seL4_Error e);
bool fail_arg(word_t n);
bool fail_invalid_cap(word_t n);
bool fail_range(word_t min, word_t max);
bool fail_lookup(bool source, seL4_LookupFailureType luf, word_t bits_left, word_t bits_found, word_t guard);
unsigned error_to_mrs(word_t *mr);

/* cspace.c */
lookup_t resolve_address_bits(cap_t node, word_t cptr, word_t n_bits);
cte_t *lookup_slot_for_cnode_op(bool is_source, cap_t root, word_t cptr, word_t depth);
cte_t *lookup_slot(tcb_t *t, word_t cptr);

/* objects.c */
word_t object_size_bits(word_t type, word_t user_bits);
bool object_type_is_frame(word_t type);
word_t cap_size_bits(const cap_t *c);
bool cap_is_physical(const cap_t *c);
bool same_region_as(const cap_t *a, const cap_t *b);
bool same_object_as(const cap_t *a, const cap_t *b);
seL4_Uint32 cap_kernel_tag(cap_type_t type);
bool cap_is_revocable(const cap_t *derived, const cap_t *src);
bool derive_cap(cte_t *slot, cap_t c, cap_t *out);
cap_t update_cap_data(bool preserve, word_t data, cap_t c);
cap_t mask_cap_rights(seL4_CapRights_t r, cap_t c);
cap_t create_object(word_t type, word_t paddr, word_t user_bits, bool device);
void destroy_object(const cap_t *c);
void finalise_cap(cap_t *c, bool final);
cap_t make_asid_pool(word_t paddr);
void *ram_at(word_t paddr, word_t size);

/* cdt.c: the mapping database */
bool is_mdb_parent_of(const cte_t *a, const cte_t *b);
bool ensure_no_children(const cte_t *slot);
bool ensure_empty_slot(const cte_t *slot);
bool is_final_capability(const cte_t *slot);
void cte_insert(cap_t c, cte_t *src, cte_t *dest);
void cte_insert_new(cte_t *parent, cte_t *slot, cap_t c);
void cte_move(cap_t c, cte_t *src, cte_t *dest);
void cte_swap(cap_t c1, cte_t *s1, cap_t c2, cte_t *s2);
void cte_delete(cte_t *slot);
void cte_revoke(cte_t *slot);
void cte_set_root(cte_t *slot, cap_t c);

/* invocations: each decodes and performs one object's invocation */
typedef struct {
    word_t label, length;
    word_t *mr;       /* the caller's message registers */
    cte_t *extra[seL4_MsgMaxExtraCaps];
    unsigned n_extra;
    cte_t *slot;      /* the invoked cap's slot */
    unsigned reply_len; /* set by invocations that return data in mr[] */
} invocation_t;

bool decode_untyped(invocation_t *inv);
bool decode_cnode(invocation_t *inv);
bool decode_x86_frame(invocation_t *inv);
bool decode_x86_paging(invocation_t *inv);
bool decode_asid_control(invocation_t *inv);
bool decode_asid_pool(invocation_t *inv);
bool decode_ioport_control(invocation_t *inv);
bool decode_ioport(invocation_t *inv);
bool decode_irq_control(invocation_t *inv);
bool decode_irq_handler(invocation_t *inv);

/* vspace.c, irq.c: what deleting their caps does */
void vspace_finalise(cap_t *c, bool final);
void vspace_boot_install(cap_t *c, paging_t *vs, word_t vaddr);
void vspace_boot_assign(cap_t *pool, cap_t *pml4);
void irq_handler_deleted(word_t irq);
void irq_raise_pin(int pin); /* a device raises its IOAPIC pin (kernel lock held) */
void device_irq_acked(int pin); /* devices.c: an IOAPIC pin's interrupt was acknowledged */
bool device_idle(void);          /* devices.c: no thread can run; true if a device raised an interrupt */

/* ipc.c */
void ep_cancel_all(endpoint_t *ep);
void ep_cancel_badged_sends(endpoint_t *ep, word_t badge);
void ntfn_cancel_all(notification_t *n);
void send_signal(notification_t *n, word_t badge);
void send_ipc(tcb_t *t, endpoint_t *ep, const cap_t *cap, bool blocking, bool call);
void receive_ipc(tcb_t *t, const cap_t *cap, bool blocking);
void receive_signal(tcb_t *t, notification_t *n, bool blocking);
void do_reply_slot(tcb_t *t, cte_t *slot);
void cancel_ipc(tcb_t *t);
bool send_fault_ipc(tcb_t *t);
/* vmfault.c: a fault signal as the kernel's fault message (t->regs hold the
 * thread's registers), and its delivery: returns when the thread is restarted. */
void fault_set_message(tcb_t *t, int signo, int si_code, word_t addr, word_t err);
void fault_deliver(tcb_t *self);
/* proc.c: threads in address spaces other than the root task's run in host processes. */
bool proc_wanted(const tcb_t *t);
__attribute__((noreturn)) void proc_run(tcb_t *t); /* the thread's host thread serves its process, for as long as it lives */
void proc_thread_destroyed(tcb_t *t);
/* vspace.c: what vaddr maps to in a vspace (a PML4 cap): false if nothing. */
bool vspace_translate(const cap_t *pml4, word_t vaddr, word_t *paddr, word_t *size, unsigned *vm_rights);
void vmfault_install(void); /* host fault signals become the faulting thread's seL4 fault */
void vmfault_thread_init(void *altstack, size_t size); /* per host thread: its signal stack, its syscall trap */
void tcb_set_register(tcb_t *t, unsigned i, word_t v); /* sanitised as the kernel does; i indexes seL4_UserContext */

/* sched.c: one thread has the CPU at a time, chosen by priority as the kernel does */
bool runnable(const tcb_t *t);
void sched_make_runnable(tcb_t *t); /* the kernel's possibleSwitchTo */
void sched_remove(tcb_t *t);
void sched_yield_thread(tcb_t *t);
void sched_start(tcb_t *t);        /* a resumed thread's first run */
void sched_wait_turn(tcb_t *self); /* called with the lock held by the thread that made the call */
seL4_IPCBuffer *ipc_buffer_host(tcb_t *t);

/* tcb.c */
bool decode_tcb(invocation_t *inv);
void tcb_suspend(tcb_t *t);

/* boot.c */
seL4_BootInfo *sim_boot_kernel(void);
