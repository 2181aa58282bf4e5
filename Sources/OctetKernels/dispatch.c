// Runtime CPU feature detection: which kernels this machine can run.
#include "kernels_internal.h"

#include <stdatomic.h>

#if OCT_X86
#include <cpuid.h>

/// XCR0 through xgetbv: which register states the OS saves on context switch.
static uint64_t read_xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

static oct_isa detect_x86(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return OCT_ISA_SCALAR;
    const int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1, f16c = (c >> 29) & 1;
    if (!osxsave) return OCT_ISA_SCALAR;
    const uint64_t xcr0 = read_xcr0();
    if ((xcr0 & 0x6) != 0x6) return OCT_ISA_SCALAR;  // XMM and YMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return OCT_ISA_SCALAR;
    const int avx2 = (b >> 5) & 1;
    if (!(avx2 && fma && f16c)) return OCT_ISA_SCALAR;
    const int avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    const int vnni = (c >> 11) & 1;
    const int zmm_state = (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM
    if (avx512f && avx512bw && avx512vl && vnni && zmm_state) return OCT_ISA_AVX512_VNNI;
    return OCT_ISA_AVX2;
}
#endif

// The detected and the chosen level are read by every kernel call, from any thread, and set
// lazily by whichever thread asks first: relaxed atomics (each value is computed the same way
// by every thread, so any thread's store is a correct one; a plain int would be a data race).
static _Atomic int detected_isa = -1;
static _Atomic int current_isa = -1;

oct_isa oct_isa_detect(void) {
#if OCT_X86
    int cached = atomic_load_explicit(&detected_isa, memory_order_relaxed);
    if (cached < 0) {
        cached = (int)detect_x86();
        atomic_store_explicit(&detected_isa, cached, memory_order_relaxed);
    }
    return (oct_isa)cached;
#else
    return OCT_ISA_SCALAR;
#endif
}

oct_isa oct_isa_current(void) {
    int isa = atomic_load_explicit(&current_isa, memory_order_relaxed);
    if (isa < 0) {
        // Only the first setter wins, so a concurrent oct_isa_set is never undone.
        int expected = -1;
        atomic_compare_exchange_strong_explicit(&current_isa, &expected, (int)oct_isa_detect(),
                                                memory_order_relaxed, memory_order_relaxed);
        isa = atomic_load_explicit(&current_isa, memory_order_relaxed);
    }
    return (oct_isa)isa;
}

oct_isa oct_isa_set(oct_isa isa) {
    const oct_isa best = oct_isa_detect();
    const int chosen = (int)(isa < best ? isa : best);
    atomic_store_explicit(&current_isa, chosen, memory_order_relaxed);
    return (oct_isa)chosen;
}

const char *oct_isa_name(oct_isa isa) {
    switch (isa) {
    case OCT_ISA_AVX512_VNNI: return "avx512-vnni";
    case OCT_ISA_AVX2: return "avx2";
    default: return "scalar";
    }
}
