/* First cases: the shape of the initial CSpace and simple retypes. */
#include "harness.h"

CONF_CASE(boot_initial_caps_present, "")
{
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadCNode) != 0, 1);
    CHECK(e->bi->empty.start < e->bi->empty.end);
    CHECK_EQ(e->bi->empty.end, 1ul << e->bi->initThreadCNodeSizeBits);
}

CONF_CASE(retype_endpoint_then_copy, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr copy = conf_slot(e);
    CHECK_OK(seL4_CNode_Copy(e->cnode, copy, e->depth, e->cnode, ep, e->depth, seL4_AllRights));
    CHECK_ERR(seL4_CNode_Copy(e->cnode, copy, e->depth, e->cnode, ep, e->depth, seL4_AllRights), seL4_DeleteFirst);
}
