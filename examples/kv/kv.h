/* The store's protocol, over protected calls: the label says what (KV_PUT with MR0 key and MR1
 * value, KV_GET with MR0 key), the reply's label says how it went and its MR0 holds the value. */
#pragma once

#include <stdint.h>

enum { KV_PUT = 1, KV_GET = 2 };
enum { KV_OK = 0, KV_NOT_FOUND = 1, KV_FULL = 2, KV_BAD_REQUEST = 3 };
