#ifndef TESSERA_ALLOCATION_COUNTER_H
#define TESSERA_ALLOCATION_COUNTER_H

/// Heap allocations (malloc, calloc, realloc, the aligned variants) made by the whole
/// process since it started. Only linked into the benchmark executable: it replaces the
/// allocator's entry points with counting wrappers around glibc's own.
unsigned long long tessera_allocation_count(void);

/// The bytes those allocations asked for (a realloc counts its new size), in total.
unsigned long long tessera_allocated_bytes(void);

/// Records the call stack of each allocation while on (nonzero), printed at exit, when
/// the process runs with TESSERA_ALLOC_TRACE set; otherwise does nothing. At most the
/// first 256 allocations traced are kept.
void tessera_allocation_trace(int on);

#endif
