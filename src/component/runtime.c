/* The component runtime's core: start, exit, and waiting on the notification. */
#include <kaal/rt.h>
#include <kaal/runtime.h>

static const kaal_info_t *self;
static seL4_Word deferred;

const kaal_info_t *kaal_self(void)
{
    return self;
}

void kaal_runtime_start(const kaal_info_t *info)
{
    self = info;
    kaal_exit(component_main(info));
}

void kaal_exit(int status)
{
    seL4_SetMR(0, (seL4_Word)status);
    seL4_Call(KAAL_CAP_BROKER, seL4_MessageInfo_new(KAAL_RPC_EXIT, 0, 0, 1));
    for (;;) {
        seL4_TCB_Suspend(KAAL_CAP_TCB); /* the broker did not take us apart: stop here */
    }
}

seL4_Word kaal_wait(void)
{
    seL4_Word bits = deferred;
    deferred = 0;
    if (bits == 0) {
        seL4_Wait(KAAL_CAP_NTFN, &bits);
    }
    return bits;
}

void kaal_defer_bits(seL4_Word bits)
{
    deferred |= bits;
}

const kaal_channel_grant_t *kaal_channel(const char *peer, kaal_channel_role_t role)
{
    for (uint32_t i = 0; self && i < self->nchannels; i++) {
        if (self->channels[i].role == (uint32_t)role && rt_strcmp(self->channels[i].peer, peer) == 0) {
            return &self->channels[i];
        }
    }
    return 0;
}
