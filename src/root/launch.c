/*
 * Running a system: build every component the description lists, connect
 * the channels and start them, all or nothing (if any part cannot be made,
 * everything made so far goes back and nothing starts), then serve the broker's
 * endpoint: requests, exits and faults, with each component's fault policy
 * and restart budget. The broker serves for as long as the system runs:
 * until every task has ended, or, in a system without tasks, until no
 * component is left. Then the services finish what they were woken for and
 * are stopped, and everything comes back to the broker.
 */
#include <kaal/cpio.h>
#include <kaal/rt.h>
#include <kaal/spawn.h>
#include "restart.h"
#include "root.h"

typedef struct system {
    broker_t *b;
    const manifest_t *m;
    const void *archive;
    size_t archive_size;
    kaal_obj_t ep; /* the broker's endpoint: RPC and faults, told apart by badge */
    component_t *comps;        /* m->ncomponents of them, from the broker's heap */
    channel_t *chans;          /* m->nchannels of them */
    uint8_t *connected;        /* per channel */
    region_t *regions;         /* m->nregions of them */
    restart_log_t *restarts;   /* per component */
    seL4_Word used0, slots0; /* the bytes and slots the broker had given out before the first component */
    unsigned failures;       /* components that exited with a status other than 0, or were stopped by policy */
} system_t;

static system_t sys;

static const char *state_name(component_state_t s)
{
    static const char *const names[] = {"absent", "built", "running", "exited", "stopped"};
    return names[s];
}

static int alive(const component_t *c)
{
    return c->state == COMPONENT_BUILT || c->state == COMPONENT_RUNNING;
}

/* Builds component i; its badge (and info id) is i + 1, so no badge is 0. */
static kaal_err_t build_one(system_t *s, unsigned i)
{
    const manifest_component_t *d = &s->m->components[i];
    cpio_entry_t file;
    int found = cpio_find(s->archive, s->archive_size, d->image, &file);
    if (found == 0) {
        rt_printf("kaal: %s: no image %s in the boot archive\n", d->name, d->image);
    } else if (found < 0) {
        rt_printf("kaal: %s: looking for %s: bad boot archive: %s\n", d->name, d->image, cpio_strerror(found));
    }
    if (found != 1) {
        return KAAL_E_ELF;
    }
    spawn_problem_t why = {0, {0, 0}};
    kaal_err_t err = spawn_build(s->b, &s->comps[i], d, i + 1, file.data, file.size, s->ep.cap, &why);
    if (err == KAAL_E_ELF) {
        rt_printf("kaal: %s: image %s refused: %s (%lu)\n", d->name, d->image, why.elf.reason,
                  (unsigned long)why.elf.index);
    } else if (err != KAAL_OK) {
        rt_printf("kaal: %s: %s failed: %s\n", d->name, why.step, kaal_err_str(err));
    }
    return err;
}

/* Channel k between its two built ends; 0 (and why) if it cannot be made. */
static int connect_one(system_t *s, unsigned k)
{
    const manifest_channel_t *mc = &s->m->channels[k];
    component_t *from = &s->comps[mc->from], *to = &s->comps[mc->to];
    int call = mc->kind == CONNECTION_CALL;
    const component_t *full = call ? 0 : !channel_room(from, mc->size) ? from : !channel_room(to, mc->size) ? to : 0;
    if (full) {
        rt_printf("kaal: channel %s -> %s (line %u): %s has no room for another channel (its rings take %lu MiB "
                  "at most)\n", from->desc->name, to->desc->name, mc->line, full->desc->name,
                  (unsigned long)((KAAL_CHANNEL_END - KAAL_CHANNEL_VADDR) >> 20));
        return 0;
    }
    kaal_err_t err = call ? call_create(&s->chans[k], (kaal_endpoint_t)mc->endpoint)
                          : channel_create(s->b, &s->chans[k], mc->size, (kaal_endpoint_t)mc->endpoint);
    if (err == KAAL_OK) {
        err = channel_connect(s->b, &s->chans[k], from, to);
    }
    s->connected[k] = 1; /* from here on, destroying it gives back whatever part was made */
    if (err != KAAL_OK) {
        rt_printf("kaal: %s %s -> %s (line %u) failed: %s\n", call ? "call" : "channel", from->desc->name,
                  to->desc->name, mc->line, kaal_err_str(err));
        return 0;
    }
    return 1;
}

/* After component i was rebuilt: all its channels, in the same order, so it
 * finds the same layout; the other end need not be running. */
static void reconnect(system_t *s, unsigned i)
{
    for (unsigned k = 0; k < s->m->nchannels; k++) {
        const manifest_channel_t *mc = &s->m->channels[k];
        unsigned peer = mc->from == i ? mc->to : mc->from;
        if (!s->connected[k] || (mc->from != i && mc->to != i)) {
            continue;
        }
        kaal_err_t err = channel_reconnect(s->b, &s->chans[k], &s->comps[i]);
        if (err != KAAL_OK) {
            rt_printf("kaal: %s: channel to %s not restored: %s\n", s->comps[i].desc->name,
                      s->comps[peer].desc->name, kaal_err_str(err));
        }
    }
}


static void print_table(const system_t *s)
{
    rt_printf("Components:\n  %-3s %-8s %-8s %4s %11s %7s %12s %10s %11s\n", "id", "name", "state", "prio",
              "memory KiB", "quota", "broker slots", "own slots", "invocations");
    for (unsigned i = 0; i < s->m->ncomponents; i++) {
        const component_t *c = &s->comps[i];
        const manifest_component_t *d = &s->m->components[i];
        rt_printf("  %-3u %-8s %-8s %4u %11lu %7lu %12lu %10lu %11lu\n", i + 1, d->name, state_name(c->state),
                  d->priority, (unsigned long)(spawn_bytes(c) >> 10), (unsigned long)(d->memory >> 10),
                  (unsigned long)spawn_broker_slots(c), (unsigned long)spawn_own_slots(c),
                  (unsigned long)c->invocations);
    }
    rt_printf("  broker: %lu KiB of untyped memory free, %lu slots free\n", (unsigned long)(s->b->mem.free_bytes >> 10),
              (unsigned long)cspace_free_count(&s->b->slots));
}

/* Gives component i the regions its description names; 0 (and why) if one cannot be given. */
static int attach_regions(system_t *s, unsigned i)
{
    const manifest_component_t *d = &s->m->components[i];
    for (unsigned k = 0; k < d->nregions; k++) {
        const manifest_region_use_t *use = &d->regions[k];
        const manifest_region_t *mr = &s->m->regions[use->region];
        kaal_err_t err = region_attach(s->b, &s->regions[use->region], &s->comps[i], mr->name, use);
        if (err != KAAL_OK) {
            rt_printf("kaal: %s: region %s (line %u) cannot be given: %s%s\n", d->name, mr->name, use->at.line,
                      kaal_err_str(err), err == KAAL_E_LAYOUT ? " (its range is taken, or outside the address space)"
                                                              : "");
            return 0;
        }
    }
    return 1;
}

/* Component c is going (call it before spawn_destroy): the regions it was given go back once
 * nobody holds them, unless it is being restarted (`final` 0: it will hold them again). */
static void drop_regions(system_t *s, const component_t *c, int final)
{
    (void)s;
    for (unsigned k = 0; k < c->nregions; k++) {
        region_t *r = c->regions[k];
        if (r->holders && --r->holders == 0 && final) {
            r->orphan = 1; /* freed once the component's own mappings of it are gone: free_orphans */
        }
    }
}

/* The regions nobody holds any more, freed. */
static void free_orphans(system_t *s)
{
    for (unsigned r = 0; r < s->m->nregions; r++) {
        if (s->regions[r].orphan && s->regions[r].holders == 0) {
            region_destroy(s->b, &s->regions[r]);
            s->regions[r].orphan = 0;
        }
    }
}

static int start(system_t *s, component_t *c)
{
    kaal_err_t err = spawn_start(s->b, c);
    if (err != KAAL_OK) {
        rt_printf("kaal: %s: start failed: %s\n", c->desc->name, kaal_err_str(err));
        drop_regions(s, c, 1);
        spawn_destroy(s->b, c);
        free_orphans(s);
    }
    return err == KAAL_OK;
}

/* Tells the other end of each of c's connections what became of c (KAAL_BIT_PEER). */
static void tell_peers(system_t *s, const component_t *c, kaal_peer_state_t state)
{
    for (unsigned k = 0; k < s->m->nchannels; k++) {
        const manifest_channel_t *mc = &s->m->channels[k];
        if (s->connected[k] && (&s->comps[mc->from] == c || &s->comps[mc->to] == c)) {
            channel_peer_changed(s->b, &s->chans[k], c, state);
        }
    }
}

/* Takes a component apart and says what came back: exactly what it held. */
static void reclaim(system_t *s, component_t *c, component_state_t why)
{
    seL4_Word bytes = spawn_bytes(c), slots = spawn_broker_slots(c);
    seL4_Word used = broker_given_bytes(s->b), given = broker_given_slots(s->b);
    drop_regions(s, c, why != COMPONENT_NONE);
    spawn_destroy(s->b, c);
    c->state = why;
    for (unsigned k = 0; k < s->m->nchannels; k++) { /* its peers may be waiting for it */
        const manifest_channel_t *mc = &s->m->channels[k];
        if (!s->connected[k]) {
            continue;
        }
        if (mc->kind == CONNECTION_CALL && &s->comps[mc->to] == c) {
            channel_call_server_gone(s->b, &s->chans[k]);
        } else if (&s->comps[mc->from] == c || &s->comps[mc->to] == c) {
            channel_wake_peer(s->b, &s->chans[k], c);
        }
    }
    tell_peers(s, c, why == COMPONENT_EXITED ? KAAL_PEER_EXITED : why == COMPONENT_STOPPED ? KAAL_PEER_STOPPED
                                                                                            : KAAL_PEER_RESTARTING);
    int exact = used - broker_given_bytes(s->b) == bytes && given - broker_given_slots(s->b) == slots;
    free_orphans(s); /* after the count: a region's frames were never the component's */
    rt_printf("kaal: %s reclaimed: %lu KiB and %lu broker slots back (%s); broker: %lu KiB, %lu slots free\n",
              c->desc->name, (unsigned long)(bytes >> 10), (unsigned long)slots,
              exact ? "accounting exact" : "ACCOUNTING MISMATCH", (unsigned long)(s->b->mem.free_bytes >> 10),
              (unsigned long)cspace_free_count(&s->b->slots));
}

static void restart(system_t *s, unsigned i)
{
    component_t *c = &s->comps[i];
    reclaim(s, c, COMPONENT_NONE);
    c->generation++;
    if (build_one(s, i) != KAAL_OK || !attach_regions(s, i)) {
        drop_regions(s, c, 1);
        spawn_destroy(s->b, c);
        free_orphans(s);
        c->state = COMPONENT_STOPPED;
        tell_peers(s, c, KAAL_PEER_STOPPED);
        return;
    }
    reconnect(s, i);
    if (start(s, c)) {
        rt_printf("kaal: %s restarted (generation %u)\n", c->desc->name, c->generation);
        tell_peers(s, c, KAAL_PEER_RUNNING);
    } else {
        c->state = COMPONENT_STOPPED;
        tell_peers(s, c, KAAL_PEER_STOPPED);
    }
}

static void on_fault(system_t *s, unsigned i, seL4_MessageInfo_t info)
{
    component_t *c = &s->comps[i];
    char what[160];
    root_fault_describe(info, what, sizeof(what));
    rt_printf("kaal: %s faulted: %s\n", c->desc->name, what);
    const manifest_component_t *d = c->desc;
    if (d->fault != FAULT_RESTART) {
        rt_printf("kaal: %s stopped (its fault policy is stop)\n", d->name);
        s->failures++;
        reclaim(s, c, COMPONENT_STOPPED);
    } else if (!restart_allowed(&s->restarts[i], d->restarts, d->restart_window_ms, root_now_ms())) {
        s->failures++;
        rt_printf("kaal: %s stopped: one more restart would pass its budget of %u within %lu ms\n", d->name,
                  d->restarts, (unsigned long)d->restart_window_ms);
        reclaim(s, c, COMPONENT_STOPPED);
    } else {
        restart(s, i);
    }
}

static int has_tasks(const manifest_t *m)
{
    for (unsigned i = 0; i < m->ncomponents; i++) {
        if (m->components[i].lifetime == LIFETIME_TASK) {
            return 1;
        }
    }
    return 0;
}

/* Whether the run is over: every task has ended, or, in a system without tasks, every component. */
static int ended(const system_t *s)
{
    unsigned tasks = 0, live = 0, live_tasks = 0;
    for (unsigned i = 0; i < s->m->ncomponents; i++) {
        int task = s->m->components[i].lifetime == LIFETIME_TASK, a = alive(&s->comps[i]);
        tasks += task;
        live += a;
        live_tasks += task && a;
    }
    return tasks ? live_tasks == 0 : live == 0;
}

/* One message on the broker's endpoint; whether it is answered (a fault or
 * an exit is not: that thread is gone or rebuilt). */
/* A client's call whose server is gone came here instead: it is told so. */
static seL4_MessageInfo_t call_gone(system_t *s, component_t *c, seL4_Word index)
{
    channel_t *ch = index < c->info.nchannels ? c->channels[index] : 0;
    if (ch && ch->kind == CONNECTION_CALL && ch->side[0].comp == c) {
        channel_call_answered(s->b, ch);
    }
    return seL4_MessageInfo_new(KAAL_LABEL_KAAL | KAAL_E_PEER_GONE, 0, 0, 0);
}

static int handle(system_t *s, seL4_Word badge, seL4_MessageInfo_t info, seL4_MessageInfo_t *answer)
{
    seL4_Word id = badge & 0xfffffffful;
    if (id == 0 || id > s->m->ncomponents || s->comps[id - 1].state != COMPONENT_RUNNING) {
        return 0; /* from a component that is gone */
    }
    component_t *c = &s->comps[id - 1];
    if (badge & KAAL_BADGE_FAULT) {
        on_fault(s, (unsigned)id - 1, info);
        return 0;
    }
    if (badge & KAAL_BADGE_GONE) {
        *answer = call_gone(s, c, badge >> KAAL_BADGE_GONE_SHIFT);
        return 1;
    }
    if (seL4_MessageInfo_get_label(info) == KAAL_RPC_EXIT && seL4_MessageInfo_get_length(info) == 1) {
        rt_printf("kaal: %s exited with status %ld\n", c->desc->name, (long)seL4_GetMR(0));
        s->failures += seL4_GetMR(0) != 0;
        reclaim(s, c, COMPONENT_EXITED);
        return 0;
    }
    *answer = rpc_serve(s->b, c, info);
    return 1;
}

/* Requests are answered with ReplyRecv: the reply and the wait for the next
 * message are one system call. Every component is served, services too,
 * until the run is over. */
static void serve(system_t *s)
{
    if (ended(s)) {
        return;
    }
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(s->ep.cap, &badge), answer;
    for (;;) {
        int answered = handle(s, badge, info, &answer);
        if (ended(s)) {
            if (answered) {
                seL4_Reply(answer);
            }
            return;
        }
        info = answered ? seL4_ReplyRecv(s->ep.cap, answer, &badge) : seL4_Recv(s->ep.cap, &badge);
    }
}

/* The channels and calls, and the regions nobody holds any more (or ever held). */
static void destroy_connections(system_t *s)
{
    for (unsigned k = 0; k < s->m->nchannels; k++) {
        if (s->connected[k]) {
            channel_destroy(s->b, &s->chans[k]);
            s->connected[k] = 0;
        }
    }
    for (unsigned r = 0; r < s->m->nregions; r++) {
        region_destroy(s->b, &s->regions[r]);
    }
}

/* The run is over. What the services were woken for (the last lines of
 * output, a peer gone) they finish first: the root task steps down below
 * every component and serves what is still asked until nothing is (a
 * badge of 0: no component's, so no message). Then the services stop. */
static void finish(system_t *s)
{
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 0);
    for (;;) {
        seL4_Yield(); /* components at priority 0 go first too */
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_NBRecv(s->ep.cap, &badge), answer;
        if (badge == 0) {
            break;
        }
        if (handle(s, badge, info, &answer)) {
            seL4_Reply(answer);
        }
    }
    for (unsigned i = 0; i < s->m->ncomponents; i++) {
        if (alive(&s->comps[i])) {
            rt_printf("kaal: %s stopped: the system has ended\n", s->comps[i].desc->name);
            reclaim(s, &s->comps[i], COMPONENT_STOPPED);
        }
    }
    destroy_connections(s);
}

/* Takes apart everything built so far (nothing has run: the root task keeps the CPU until it serves). */
static void undo(system_t *s)
{
    for (unsigned i = 0; i < s->m->ncomponents; i++) {
        spawn_destroy(s->b, &s->comps[i]);
    }
    destroy_connections(s);
}

/* Merged again, the broker has given out exactly what it had before the first component. */
static int all_back(system_t *s)
{
    untyped_coalesce(&s->b->mem);
    untyped_coalesce(&s->b->devmem);
    return broker_given_bytes(s->b) == s->used0 && broker_given_slots(s->b) == s->slots0;
}

/* Every component, every channel, then every start: 0 at the first part that cannot be made. */
static int build_all(system_t *s)
{
    for (unsigned i = 0; i < s->m->ncomponents; i++) {
        if (build_one(s, i) != KAAL_OK) {
            return 0;
        }
    }
    for (unsigned r = 0; r < s->m->nregions; r++) {
        const manifest_region_t *mr = &s->m->regions[r];
        kaal_err_t err = region_create(s->b, &s->regions[r], mr->size, mr->page_bits);
        if (err != KAAL_OK) {
            rt_printf("kaal: region %s (line %u) failed: %s\n", mr->name, mr->line, kaal_err_str(err));
            return 0;
        }
    }
    for (unsigned i = 0; i < s->m->ncomponents; i++) {
        if (!attach_regions(s, i)) {
            return 0;
        }
    }
    for (unsigned k = 0; k < s->m->nchannels; k++) {
        if (!connect_one(s, k)) {
            return 0;
        }
    }
    for (unsigned i = 0; i < s->m->ncomponents; i++) {
        if (!start(s, &s->comps[i])) {
            return 0;
        }
    }
    return 1;
}

int root_run_system(broker_t *b, const manifest_t *m, const void *archive, size_t size)
{
    system_t *s = &sys; /* zero, as static storage starts: the root task runs one system */
    s->b = b;
    s->m = m;
    s->archive = archive;
    s->archive_size = size;
    s->comps = heap_alloc(&b->heap, (seL4_Word)m->ncomponents * sizeof(*s->comps));
    s->chans = heap_alloc(&b->heap, (seL4_Word)m->nchannels * sizeof(*s->chans) + 1);
    s->connected = heap_alloc(&b->heap, m->nchannels + 1);
    s->restarts = heap_alloc(&b->heap, (seL4_Word)m->ncomponents * sizeof(*s->restarts));
    s->regions = heap_alloc(&b->heap, (seL4_Word)m->nregions * sizeof(*s->regions) + 1);
    if (!s->comps || !s->chans || !s->connected || !s->restarts || !s->regions) {
        rt_printf("kaal: no memory for the tables of %u components and %u channels\n", m->ncomponents,
                  m->nchannels);
        return 1;
    }
    if (untyped_alloc(&b->mem, seL4_EndpointObject, 0, &s->ep) != KAAL_OK) {
        rt_printf("kaal: no memory for the broker's endpoint\n");
        return 1;
    }
    if (spawn_prepare(b) != KAAL_OK) {
        rt_printf("kaal: no memory for the broker's window\n");
        return 1;
    }
    untyped_coalesce(&b->mem);
    s->used0 = broker_given_bytes(b);
    s->slots0 = broker_given_slots(b);
    if (!build_all(s)) {
        undo(s);
        int back = all_back(s);
        rt_printf("kaal: system refused; nothing started (%s)\n",
                  back ? "all it had built is back with the broker: accounting exact"
                       : "ACCOUNTING MISMATCH: the broker did not get back all it gave out");
        return 1;
    }
    print_table(s);
    serve(s);
    rt_printf("kaal: %s; the services finish and stop\n",
              has_tasks(m) ? "every task has ended" : "no component is left");
    finish(s);
    int back = all_back(s);
    print_table(s);
    rt_printf("kaal: the system has ended; %s\n",
              back ? "every byte and slot it held is back with the broker (accounting exact)"
                   : "ACCOUNTING MISMATCH: the broker did not get back all it gave out");
    if (s->failures) {
        rt_printf("kaal: status 1: %u component%s exited with a status other than 0 or stopped by fault\n",
                  s->failures, s->failures == 1 ? "" : "s");
    }
    return back && s->failures == 0 ? 0 : 1;
}
