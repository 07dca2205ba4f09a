/*
 * Entry of a component on seL4 x86_64. The broker starts the thread here
 * with rsp at the top of the stack it mapped (16-byte aligned) and the
 * address of the information page in rdi (include/kaal/component.h).
 */
    .section .text._start, "ax"
    .global _start
    .type _start, @function
_start:
    xorq    %rbp, %rbp
    /* rdi (the information page) is the first argument already */
    call    sel4_component_start
1:  jmp     1b
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
