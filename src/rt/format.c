/* Formatted output for code that has no libc. */
#include <stdint.h>
#include <kaal/rt.h>

typedef struct {
    void (*emit)(void *ctx, char c);
    void *ctx;
    int count;
} sink_t;

static void put(sink_t *s, char c)
{
    s->emit(s->ctx, c);
    s->count++;
}

typedef struct {
    int width;
    char pad;
    int left;
} spec_t;

static void put_padded(sink_t *s, const char *str, int len, spec_t sp)
{
    int fill = sp.width > len ? sp.width - len : 0;
    if (!sp.left) {
        /* zero padding goes after a sign */
        if (sp.pad == '0' && len > 0 && str[0] == '-') {
            put(s, '-');
            str++;
            len--;
        }
        while (fill-- > 0) {
            put(s, sp.pad);
        }
    }
    for (int i = 0; i < len; i++) {
        put(s, str[i]);
    }
    if (sp.left) {
        while (fill-- > 0) {
            put(s, ' ');
        }
    }
}

static int utoa(char *out, uint64_t v, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    for (int i = 0; i < n; i++) {
        out[i] = tmp[n - 1 - i];
    }
    return n;
}

static int format(sink_t *s, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(s, *fmt);
            continue;
        }
        spec_t sp = {0, ' ', 0};
        for (fmt++; *fmt == '0' || *fmt == '-'; fmt++) {
            if (*fmt == '0') {
                sp.pad = '0';
            } else {
                sp.left = 1;
            }
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++) {
            sp.width = sp.width * 10 + (*fmt - '0');
        }
        int longs = 0;
        for (; *fmt == 'l' || *fmt == 'z'; fmt++) {
            longs++;
        }
        char buf[24];
        int n;
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            n = 0;
            if (v < 0) {
                buf[n++] = '-';
            }
            n += utoa(buf + n, mag, 10, 0);
            put_padded(s, buf, n, sp);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            n = utoa(buf, v, *fmt == 'u' ? 10 : 16, *fmt == 'X');
            put_padded(s, buf, n, sp);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            buf[0] = '0';
            buf[1] = 'x';
            n = 2 + utoa(buf + 2, v, 16, 0);
            put_padded(s, buf, n, sp);
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str) {
                str = "(null)";
            }
            put_padded(s, str, (int)rt_strlen(str), sp);
            break;
        }
        case 'c':
            buf[0] = (char)va_arg(ap, int);
            put_padded(s, buf, 1, sp);
            break;
        case '%':
            put(s, '%');
            break;
        case '\0':
            return s->count;
        default:
            put(s, '%');
            put(s, *fmt);
            break;
        }
    }
    return s->count;
}

static rt_putc_fn console_putc;

void rt_set_putc(rt_putc_fn putc)
{
    console_putc = putc;
}

static void emit_console(void *ctx, char c)
{
    (void)ctx;
    if (console_putc) {
        console_putc(c);
    }
}

int rt_vprintf(const char *fmt, va_list ap)
{
    sink_t s = {emit_console, 0, 0};
    return format(&s, fmt, ap);
}

int rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

typedef struct {
    char *buf;
    size_t size, pos;
} buf_t;

static void emit_buf(void *ctx, char c)
{
    buf_t *b = ctx;
    if (b->pos + 1 < b->size) {
        b->buf[b->pos] = c;
    }
    b->pos++;
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    buf_t b = {buf, size, 0};
    sink_t s = {emit_buf, &b, 0};
    int n = format(&s, fmt, ap);
    if (size > 0) {
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    }
    return n;
}

int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
