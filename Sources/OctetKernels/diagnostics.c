// Diagnostics for tests: how much memory malloc has handed out, to check that the forward
// pass allocates nothing per token.
#include "octet_kernels.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

size_t oct_heap_bytes_in_use(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
#else
    return 0;
#endif
}
