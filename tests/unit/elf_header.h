/* Shared by tests that build ELF images: a valid x86_64 executable's header. */
#pragma once

#include <elf.h>
#include <string.h>

static inline void elf_header_init(Elf64_Ehdr *eh, Elf64_Addr entry, Elf64_Off phoff, Elf64_Half phnum)
{
    memset(eh, 0, sizeof(*eh));
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_X86_64;
    eh->e_version = EV_CURRENT;
    eh->e_entry = entry;
    eh->e_phoff = phoff;
    eh->e_ehsize = sizeof(Elf64_Ehdr);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = phnum;
}
