// OpenBLAS's CBLAS interface (Debian: libopenblas-dev, found through pkg-config).
#ifndef OCTET_COPENBLAS_SHIM_H
#define OCTET_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
