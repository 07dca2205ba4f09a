/* x86 object invocations: frames. */
#include "model.h"

bool decode_x86_frame(invocation_t *inv)
{
    switch (inv->label) {
    case X86PageGetAddress:
        inv->mr[0] = inv->slot->cap.paddr;
        inv->reply_len = 1;
        return true;
    default:
        return fail(seL4_IllegalOperation);
    }
}
