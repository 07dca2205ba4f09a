/*
 * The sim's scheduler: seL4's uniprocessor priority scheduling, with each
 * seL4 thread on a host thread and only one of them running at a time (the
 * one in ksim.cur). Threads switch at system calls: a thread that blocks,
 * yields, suspends itself or wakes a higher-priority one gives up the CPU
 * on the way out of the kernel, and the next runs as the kernel would pick
 * it: the highest priority, first in its queue. Timer ticks do not preempt.
 */
#include <stdio.h>
#include <stdlib.h>
#include "model.h"
#include "sim_internal.h"

bool runnable(const tcb_t *t)
{
    return t->state == ts_running || t->state == ts_restart;
}

static void mark_ready(unsigned p, bool any)
{
    if (any) {
        ksim.ready_bitmap[p / 64] |= 1ull << (p % 64);
    } else {
        ksim.ready_bitmap[p / 64] &= ~(1ull << (p % 64));
    }
}

static void enqueue(tcb_t *t, bool at_head)
{
    if (t->queued) {
        return;
    }
    unsigned p = t->priority;
    t->queued = true;
    if (at_head) {
        t->ready_next = ksim.ready_head[p];
        ksim.ready_head[p] = t;
        if (!ksim.ready_tail[p]) {
            ksim.ready_tail[p] = t;
        }
    } else {
        t->ready_next = NULL;
        if (ksim.ready_tail[p]) {
            ksim.ready_tail[p]->ready_next = t;
        } else {
            ksim.ready_head[p] = t;
        }
        ksim.ready_tail[p] = t;
    }
    mark_ready(p, true);
}

void sched_remove(tcb_t *t)
{
    if (!t->queued) {
        return;
    }
    unsigned p = t->priority;
    tcb_t **link = &ksim.ready_head[p], *prev = NULL;
    while (*link != t) {
        prev = *link;
        link = &(*link)->ready_next;
    }
    *link = t->ready_next;
    if (ksim.ready_tail[p] == t) {
        ksim.ready_tail[p] = prev;
    }
    t->queued = false;
    mark_ready(p, ksim.ready_head[p] != NULL);
}

static tcb_t *highest_ready(void)
{
    for (int w = 3; w >= 0; w--) {
        if (ksim.ready_bitmap[w]) {
            return ksim.ready_head[w * 64 + 63 - __builtin_clzll(ksim.ready_bitmap[w])];
        }
    }
    return NULL;
}

/* Hands the CPU to t (taking it off its queue) and wakes its host thread. */
static void switch_to(tcb_t *t)
{
    ksim.cur = t;
    if (t) {
        sched_remove(t);
        pthread_cond_signal(&t->cv);
    }
}

/* A thread became runnable: it takes the CPU if it outranks the running
 * thread; otherwise it waits its turn, behind threads of its own priority. */
void sched_make_runnable(tcb_t *t)
{
    if (!ksim.cur) {
        switch_to(t); /* the CPU was idle */
        return;
    }
    if (t == ksim.cur) {
        return;
    }
    enqueue(t, t->priority != ksim.cur->priority);
}

/* The caller goes behind every thread of its priority, then the best runs. */
void sched_yield_thread(tcb_t *t)
{
    enqueue(t, false);
    switch_to(highest_ready());
}

static void *host_thread(void *arg);

#define SIM_ALTSTACK_BYTES (64 * 1024)

void sched_start(tcb_t *t)
{
    if (t->host_started) {
        return;
    }
    pthread_t h;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    t->host_started = pthread_create(&h, &attr, host_thread, t) == 0;
    pthread_attr_destroy(&attr);
}

/* Called by the thread that made the system call, with the lock held, on its
 * way out: the CPU goes to whoever should have it, and the caller waits until
 * it is its turn again. */
void sched_wait_turn(tcb_t *self)
{
    if (ksim.cur == self) {
        tcb_t *best = highest_ready();
        if (runnable(self)) {
            if (!best || best->priority <= self->priority) {
                return;
            }
            enqueue(self, true); /* preempted: first in line at its priority */
        }
        switch_to(best);
    }
    if (!ksim.cur && !highest_ready()) {
        device_idle(); /* the CPU is idle: simulated time moves on to the next timer event */
    }
    if (!ksim.cur && !highest_ready() && !ksim.devices_may_interrupt) {
        fprintf(stderr, "sim: every thread is blocked or stopped, and no device can wake one: the system has "
                        "nothing left to run\n");
        fflush(stdout);
        exit(3);
    }
    while (ksim.cur != self) {
        if (self->destroyed) { /* its TCB is gone: the host thread, its last user, frees it and ends */
            pthread_cond_destroy(&self->cv);
            free(self);
            pthread_mutex_unlock(&ksim.lock);
            pthread_exit(NULL);
        }
        pthread_cond_wait(&self->cv, &ksim.lock);
    }
}

/* A thread's host thread: wait for the CPU, then run the thread from rip. */
static void *host_thread(void *arg)
{
    tcb_t *t = arg;
    pthread_mutex_lock(&ksim.lock);
    while (ksim.cur != t) {
        if (t->destroyed) { /* destroyed before it ever ran: as in sched_wait_turn, it frees its TCB and ends */
            pthread_cond_destroy(&t->cv);
            free(t);
            pthread_mutex_unlock(&ksim.lock);
            return NULL;
        }
        pthread_cond_wait(&t->cv, &ksim.lock);
    }
    sim_self = t;
    t->state = ts_running; /* restarting a thread that never ran means starting it at rip */
    if (proc_wanted(t)) {
        pthread_mutex_unlock(&ksim.lock);
        proc_run(t); /* never returns */
    }
    /* Fault signals are handled here, not on the thread's own stack: seL4
     * keeps nothing on a faulting thread's stack, whatever its rsp. */
    static __thread char altstack[SIM_ALTSTACK_BYTES] __attribute__((aligned(16)));
    vmfault_thread_init(altstack, sizeof(altstack));
    seL4_SetIPCBuffer(ipc_buffer_host(t));
    void (*entry)(word_t, word_t, word_t, word_t) = (void (*)(word_t, word_t, word_t, word_t))t->regs[0];
    word_t rdi = t->regs[8], rsi = t->regs[7], rdx = t->regs[6], rcx = t->regs[5];
    pthread_mutex_unlock(&ksim.lock);
    entry(rdi, rsi, rdx, rcx);
    /* Returning from a thread's entry has no meaning on seL4 (there is no
     * return address); the sim stops the thread. */
    pthread_mutex_lock(&ksim.lock);
    fprintf(stderr, "sim: thread '%s' returned from its entry point and is stopped\n", t->name);
    tcb_suspend(t);
    sched_wait_turn(t);
    pthread_mutex_unlock(&ksim.lock);
    return NULL;
}
