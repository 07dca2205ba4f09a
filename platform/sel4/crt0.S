/*
 * Entry of a kaal image on seL4 x86_64. The kernel starts the root task at
 * _start with the bootinfo's address in rdi and no stack: the image brings
 * its own, and sel4_start() does the rest in C.
 */
    .section .text._start, "ax"
    .global _start
    .type _start, @function
_start:
    leaq    kaal_stack_top(%rip), %rsp
    xorq    %rbp, %rbp
    /* rdi (the bootinfo) is the first argument already */
    call    sel4_start
1:  jmp     1b
    .size _start, . - _start

    .section .bss
    .balign 4096
    .global kaal_stack_bottom
kaal_stack_bottom:
    .space  65536
kaal_stack_top:

    .section .note.GNU-stack, "", @progbits
