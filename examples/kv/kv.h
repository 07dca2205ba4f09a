/* The store's protocol: fixed-size records over two channels, a request each way and its reply back. */
#pragma once

#include <stdint.h>

enum { KV_PUT = 1, KV_GET = 2 };
enum { KV_OK = 0, KV_NOT_FOUND = 1, KV_FULL = 2, KV_BAD_REQUEST = 3 };

typedef struct kv_request {
    uint64_t op, key, value;
} kv_request_t;

typedef struct kv_reply {
    uint64_t status, value;
} kv_reply_t;
