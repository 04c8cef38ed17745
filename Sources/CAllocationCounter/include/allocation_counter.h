#ifndef TESSERA_ALLOCATION_COUNTER_H
#define TESSERA_ALLOCATION_COUNTER_H

/// Heap allocations (malloc, calloc, realloc, the aligned variants) made by the whole
/// process since it started. Only linked into the benchmark executable: it replaces the
/// allocator's entry points with counting wrappers around glibc's own.
unsigned long long tessera_allocation_count(void);

#endif
