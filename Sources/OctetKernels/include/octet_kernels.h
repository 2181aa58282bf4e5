// Octet's hot kernels: INT8 block quantization, INT8 matrix-vector and matrix-matrix
// products, and the small float ops of a transformer layer. Plain C with runtime CPU
// dispatch (AVX-512 VNNI, AVX2, portable scalar); everything else of the engine is Swift.
#ifndef OCTET_KERNELS_H
#define OCTET_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - CPU features and dispatch

/// Instruction-set levels, best last. `oct_isa_detect` returns the best this CPU (and OS)
/// supports; `oct_isa_set` forces a lower one (tests run every level they can).
typedef enum {
    OCT_ISA_SCALAR = 0,
    OCT_ISA_AVX2 = 1,        // AVX2 + FMA + F16C
    OCT_ISA_AVX512_VNNI = 2, // AVX-512 F/BW/VL + VNNI
} oct_isa;

oct_isa oct_isa_detect(void);
/// The level in use now (starts at `oct_isa_detect()`).
oct_isa oct_isa_current(void);
/// Uses `isa` from now on, or the best supported level below it. Returns the level chosen.
oct_isa oct_isa_set(oct_isa isa);
/// "scalar", "avx2" or "avx512-vnni".
const char *oct_isa_name(oct_isa isa);

#ifdef __cplusplus
}
#endif
#endif
