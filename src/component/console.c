/* A component's console: whole lines into a channel to the serial driver. */
#include <stdarg.h>
#include <kaal/rt.h>
#include <kaal/runtime.h>

static const kaal_channel_grant_t *console;
static char line[256];
static size_t used;

static void flush(void)
{
    if (console && used) {
        kaal_channel_write(console, line, used);
    }
    used = 0;
}

static void console_putc(char c)
{
    line[used++] = c;
    if (c == '\n' || used == sizeof(line)) {
        flush();
    }
}

void kaal_console_attach(const kaal_channel_grant_t *ch)
{
    console = ch;
    rt_set_putc(console_putc);
}

int kaal_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vprintf(fmt, ap);
    va_end(ap);
    return n;
}
