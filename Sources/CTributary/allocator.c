#include "CTributary.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int tributary_tune_allocator(int mmap_threshold, int trim_threshold) {
#if defined(__GLIBC__)
    int ok = mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    ok &= mallopt(M_TRIM_THRESHOLD, trim_threshold);
    return ok;
#else
    (void)mmap_threshold;
    (void)trim_threshold;
    return 0;
#endif
}
