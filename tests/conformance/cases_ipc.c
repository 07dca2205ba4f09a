/*
 * Badges and rights on notifications and endpoints, with the non-blocking
 * calls only: the suite is a single thread, so nothing here may block
 * (no Recv, Wait, Send or Call on an endpoint) or receive on a cap
 * without read rights (a fault). NBWAIT0001's single-thread half is here.
 */
#include "conf_checks.h"

static seL4_Word nbrecv(seL4_CPtr src)
{
    seL4_Word badge = ~0ul;
    seL4_NBRecv(src, &badge);
    return badge;
}

static void nbsend(seL4_CPtr dest, seL4_Word word)
{
    seL4_SetMR(0, word);
    seL4_NBSend(dest, seL4_MessageInfo_new(0, 0, 0, 1));
}

CONF_CASE(ipc_poll_idle_notification, "NBWAIT0001")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    CHECK_EQ(conf_poll(ntfn), 0);
    CHECK_EQ(nbrecv(ntfn), 0);
}

CONF_CASE(ipc_signal_then_poll, "NBWAIT0001")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 2));
    seL4_Signal(badged);
    CHECK_EQ(conf_poll(ntfn), 2);
    CHECK_EQ(conf_poll(ntfn), 0);
}

CONF_CASE(ipc_nbrecv_idle_endpoint, "NBWAIT0001")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ep, seL4_AllRights, 1));
    CHECK_EQ(nbrecv(ep), 0);
    CHECK_EQ(nbrecv(badged), 0);
}

CONF_CASE(ipc_signal_badges_or, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr a = conf_slot(e), b = conf_slot(e), c = conf_slot(e);
    CHECK_OK(conf_mint(e, a, ntfn, seL4_AllRights, 0x10));
    CHECK_OK(conf_mint(e, b, ntfn, seL4_AllRights, 0x01));
    CHECK_OK(conf_mint(e, c, ntfn, seL4_AllRights, 0x11));
    seL4_Signal(a);
    seL4_Signal(b);
    CHECK_EQ(conf_poll(ntfn), 0x11);
    CHECK_EQ(conf_poll(ntfn), 0);
    /* Signalling the same badge twice is one bit pattern, not a count. */
    seL4_Signal(c);
    seL4_Signal(c);
    seL4_Signal(a);
    CHECK_EQ(conf_poll(ntfn), 0x11);
}

CONF_CASE(ipc_poll_through_badged_cap, "")
{
    /* Polling returns what is pending, whatever the polling cap's own badge. */
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr a = conf_slot(e), b = conf_slot(e);
    CHECK_OK(conf_mint(e, a, ntfn, seL4_AllRights, 0x100));
    CHECK_OK(conf_mint(e, b, ntfn, seL4_AllRights, 0x200));
    seL4_Signal(a);
    CHECK_EQ(conf_poll(b), 0x100);
    CHECK_EQ(conf_poll(a), 0);
}

CONF_CASE(ipc_nbrecv_on_notification_polls, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 8));
    seL4_Signal(badged);
    CHECK_EQ(nbrecv(ntfn), 8);
    CHECK_EQ(nbrecv(ntfn), 0);
}

CONF_CASE(ipc_unbadged_signal_adds_nothing, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 8));
    seL4_Signal(ntfn);
    CHECK_EQ(conf_poll(ntfn), 0);
    seL4_Signal(ntfn);
    seL4_Signal(badged);
    CHECK_EQ(conf_poll(ntfn), 8);
}

CONF_CASE(ipc_full_width_badge, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr top = conf_slot(e), all = conf_slot(e);
    CHECK_OK(conf_mint(e, top, ntfn, seL4_AllRights, 1ul << 63));
    CHECK_OK(conf_mint(e, all, ntfn, seL4_AllRights, ~0ul));
    seL4_Signal(top);
    CHECK_EQ(conf_poll(ntfn), 1ul << 63);
    seL4_Signal(all);
    CHECK_EQ(conf_poll(ntfn), ~0ul);
}

CONF_CASE(ipc_signal_without_write_ignored, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr read_only = conf_slot(e), read_badged = conf_slot(e), write_badged = conf_slot(e);
    CHECK_OK(conf_copy(e, read_only, ntfn, seL4_CanRead));
    CHECK_OK(conf_mint(e, read_badged, ntfn, seL4_CanRead, 2));
    CHECK_OK(conf_mint(e, write_badged, ntfn, seL4_CanWrite, 4));
    seL4_Signal(read_only);
    seL4_Signal(read_badged);
    CHECK_EQ(conf_poll(ntfn), 0);
    seL4_Signal(write_badged);
    /* A cap with read but no write may still poll. */
    CHECK_EQ(conf_poll(read_badged), 4);
}

CONF_CASE(ipc_signal_needs_only_write, "")
{
    /* Grant rights mean nothing to a notification: read-write is enough. */
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr rw = conf_slot(e);
    CHECK_OK(conf_mint(e, rw, ntfn, seL4_ReadWrite, 0x20));
    seL4_Signal(rw);
    CHECK_EQ(conf_poll(rw), 0x20);
}

CONF_CASE(ipc_nbsend_on_notification_signals, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 0x44));
    nbsend(badged, 0xdead);
    CHECK_EQ(conf_poll(ntfn), 0x44);
}

CONF_CASE(ipc_nbsend_without_receiver_dropped, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ep, seL4_AllRights, 3));
    nbsend(ep, 1);
    nbsend(badged, 2);
    /* Nothing was queued: a non-blocking receive finds no sender. */
    CHECK_EQ(nbrecv(ep), 0);
    CHECK_EQ(nbrecv(badged), 0);
}

CONF_CASE(ipc_nbsend_without_write_dropped, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr no_write = conf_slot(e);
    CHECK_OK(conf_mint(e, no_write, ep, seL4_NoWrite, 6));
    nbsend(no_write, 3);
    CHECK_EQ(nbrecv(ep), 0);
    CHECK_EQ(nbrecv(no_write), 0);
}

CONF_CASE(ipc_pending_signal_survives_sender_deletion, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 0x7));
    seL4_Signal(badged);
    CHECK_OK(conf_delete(e, badged));
    CHECK_EQ(conf_poll(ntfn), 0x7);
}

CONF_CASE(ipc_copies_signal_their_badge, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e), copy = conf_slot(e), moved = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 0x300));
    CHECK_OK(conf_copy(e, copy, badged, seL4_AllRights));
    CHECK_OK(conf_move(e, moved, badged));
    seL4_Signal(copy);
    CHECK_EQ(conf_poll(ntfn), 0x300);
    seL4_Signal(moved);
    CHECK_EQ(conf_poll(copy), 0x300);
}

CONF_CASE(ipc_notifications_are_separate, "")
{
    seL4_CPtr n1 = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr n2 = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr b1 = conf_slot(e), b2 = conf_slot(e);
    CHECK_OK(conf_mint(e, b1, n1, seL4_AllRights, 1));
    CHECK_OK(conf_mint(e, b2, n2, seL4_AllRights, 2));
    seL4_Signal(b1);
    CHECK_EQ(conf_poll(n2), 0);
    seL4_Signal(b2);
    CHECK_EQ(conf_poll(n1), 1);
    CHECK_EQ(conf_poll(n2), 2);
}
