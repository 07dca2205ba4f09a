#pragma once

/* Builds the initial thread's TLS block from the image's TLS segment and points the thread at it. */
void sel4_tls_init(void);
