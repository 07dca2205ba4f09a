/*
 * Simulated devices. The 16550 UART on COM1 writes what it transmits to the
 * sim's stdout and receives from stdin; with its receive interrupt enabled,
 * a reader thread raises IOAPIC pin 4 when input arrives. Writing to QEMU's
 * debug-exit port ends the process with QEMU's exit status, (value << 1) | 1.
 * The HPET's register page answers its identification as QEMU's does (the
 * counter itself is not modelled). The PIT's channel 0 counts in simulated
 * time, which passes at once: loading a count raises IRQ 0 (IOAPIC pin 2)
 * as the count runs out.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "devices.h"
#include "model.h"


enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
#define LCR_DLAB 0x80
#define IER_RX 0x01
#define IER_THRE 0x02
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

typedef struct {
    uint8_t ier, lcr, mcr, scr, dll, dlm;
    int rx;               /* the received byte waiting in RBR, or -1 */
    bool thre_pending;    /* a transmit-empty interrupt not yet read from IIR */
    bool fifo;            /* FIFOs enabled (FCR bit 0): IIR's top bits say so */
    bool reader_started;
} uart_t;

/* As seL4's serial set-up leaves COM1: FIFOs on, interrupts off. */
static uart_t com1 = {.rx = -1, .fifo = true};

/* Takes one byte of input if there is one, without blocking. */
static void uart_poll_input(uart_t *u)
{
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    unsigned char c;
    if (u->rx < 0 && poll(&p, 1, 0) > 0 && (p.revents & POLLIN) && read(STDIN_FILENO, &c, 1) == 1) {
        u->rx = c;
    }
}

static void uart_update_irq(uart_t *u)
{
    if (((u->ier & IER_RX) && u->rx >= 0) || ((u->ier & IER_THRE) && u->thre_pending)) {
        irq_raise_pin(SIM_COM1_PIN);
    }
}

static void *uart_reader(void *arg)
{
    uart_t *u = arg;
    for (;;) {
        struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
        if (poll(&p, 1, -1) <= 0 || (p.revents & (POLLHUP | POLLERR | POLLNVAL))) {
            return NULL; /* no more input */
        }
        pthread_mutex_lock(&ksim.lock);
        uart_poll_input(u);
        uart_update_irq(u);
        pthread_mutex_unlock(&ksim.lock);
        usleep(1000); /* give the driver time to take the byte */
    }
}

static void uart_write(uart_t *u, unsigned reg, uint8_t v)
{
    bool dlab = u->lcr & LCR_DLAB;
    switch (reg) {
    case RBR_THR:
        if (dlab) {
            u->dll = v;
        } else {
            fputc(v, stdout);
            fflush(stdout);
            u->thre_pending = true;
        }
        break;
    case IER:
        if (dlab) {
            u->dlm = v;
            break;
        }
        u->ier = v & 0x0f;
        if ((u->ier & IER_RX) && !u->reader_started) {
            pthread_t t;
            u->reader_started = pthread_create(&t, NULL, uart_reader, u) == 0;
            ksim.devices_may_interrupt = u->reader_started;
        }
        u->thre_pending = (u->ier & IER_THRE) != 0;
        break;
    case LCR:
        u->lcr = v;
        break;
    case MCR:
        u->mcr = v;
        break;
    case SCR:
        u->scr = v;
        break;
    default: /* FCR: only whether the FIFOs are on is modelled */
        u->fifo = v & 1;
        break;
    }
    uart_update_irq(u);
}

static uint8_t uart_read(uart_t *u, unsigned reg)
{
    bool dlab = u->lcr & LCR_DLAB;
    uart_poll_input(u);
    switch (reg) {
    case RBR_THR: {
        if (dlab) {
            return u->dll;
        }
        int c = u->rx;
        u->rx = -1;
        return c < 0 ? 0 : (uint8_t)c;
    }
    case IER:
        return dlab ? u->dlm : u->ier;
    case IIR_FCR: {
        uint8_t fifo = u->fifo ? 0xc0 : 0;
        if ((u->ier & IER_RX) && u->rx >= 0) {
            return fifo | 0x04;
        }
        if ((u->ier & IER_THRE) && u->thre_pending) {
            u->thre_pending = false; /* reading IIR clears a transmit-empty interrupt */
            return fifo | 0x02;
        }
        return fifo | 0x01;
    }
    case LCR:
        return u->lcr;
    case MCR:
        return u->mcr;
    case LSR:
        return (uint8_t)(LSR_THRE | LSR_TEMT | (u->rx >= 0 ? LSR_DR : 0));
    case MSR:
        return 0xb0; /* carrier detect, data set ready, clear to send */
    default:
        return u->scr;
    }
}

/* Channel 0 takes its count low byte first, then high (access mode 3, the one
 * drivers use). Modes 2 and 3 repeat: the count reloads each time it runs out. */
static struct {
    bool high_next, periodic, running;
    bool armed; /* periodic, and its last interrupt was acknowledged: the next one is due */
} pit;

static void pit_write(unsigned reg, uint8_t v)
{
    if (reg == 3) { /* command: a new mode for channel 0 restarts the byte order */
        if ((v >> 6) == 0) {
            unsigned mode = (v >> 1) & 7;
            pit.high_next = false;
            pit.running = false;
            pit.periodic = (mode & 3) == 2 || (mode & 3) == 3; /* modes 2, 3 (and their aliases 6, 7) */
        }
        return;
    }
    if (reg != 0) {
        return; /* channels 1 and 2 are not wired to anything here */
    }
    if (pit.high_next) {
        pit.running = true;
        irq_raise_pin(SIM_PIT_PIN); /* the count runs out: simulated time passes at once */
    }
    pit.high_next = !pit.high_next;
}

/* A periodic PIT's next period may end once its last interrupt is acknowledged. */
void device_irq_acked(int pin)
{
    if (pin == SIM_PIT_PIN && pit.periodic && pit.running) {
        pit.armed = true;
    }
}

/* Simulated time passes only while no thread can run: then it jumps to the
 * next timer event. Work between ticks takes no time, as if the CPU were
 * infinitely fast, and a thread that waits for ticks lets everything below
 * it run first. */
bool device_idle(void)
{
    if (!pit.armed) {
        return false;
    }
    pit.armed = false;
    irq_raise_pin(SIM_PIT_PIN);
    return true;
}

void device_out(uint16_t port, unsigned width, uint32_t value)
{
    for (unsigned i = 0; i < width; i++, value >>= 8) {
        uint16_t p = (uint16_t)(port + i);
        if (p >= SIM_COM1_BASE && p < SIM_COM1_BASE + 8) {
            uart_write(&com1, p - SIM_COM1_BASE, (uint8_t)value);
        } else if (p >= SIM_PIT_BASE && p < SIM_PIT_BASE + 4) {
            pit_write(p - SIM_PIT_BASE, (uint8_t)value);
        } else if (p == SIM_DEBUG_EXIT_PORT) {
            fflush(stdout);
            exit((int)(((value & 0xff) << 1) | 1));
        }
    }
}

uint32_t device_in(uint16_t port, unsigned width)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < width; i++) {
        uint16_t p = (uint16_t)(port + i);
        uint32_t b = 0xff; /* an unclaimed port reads as all ones */
        if (p >= SIM_COM1_BASE && p < SIM_COM1_BASE + 8) {
            b = uart_read(&com1, p - SIM_COM1_BASE);
        }
        v |= b << (8 * i);
    }
    return v;
}

/* QEMU's HPET: vendor 0x8086, 3 timers, 64-bit counter, legacy routing, 10 ns period. */
#define HPET_GCAP_ID 0x009896808086a201ull

int device_mmio_fd(unsigned long paddr, long *offset)
{
    static int hpet_fd = -1;
    if (paddr != SIM_HPET_PADDR) {
        return -1;
    }
    if (hpet_fd < 0) {
        hpet_fd = memfd_create("sel4sim-hpet", 0);
        uint64_t id = HPET_GCAP_ID;
        if (hpet_fd < 0 || ftruncate(hpet_fd, 4096) != 0 || pwrite(hpet_fd, &id, sizeof(id), 0) != sizeof(id)) {
            return -1;
        }
    }
    *offset = 0;
    return hpet_fd;
}
