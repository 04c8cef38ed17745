// Counts heap allocations for `tessera-bench` ("allocations per mixed frame", issue 7).
// Defining malloc and friends in the executable interposes them for every shared library
// (libvpx, libopus, the Swift runtime); each forwards to glibc's __libc_* implementation,
// so free() and malloc_usable_size() keep working unchanged. glibc only.
//
// With TESSERA_ALLOC_TRACE set (not "0") in the environment, the allocations made while
// tessera_allocation_trace(1) is on also have their call stacks recorded (into a fixed
// buffer: recording must not allocate) and printed to stderr at exit, to find them.
#include <errno.h>
#include <execinfo.h>
#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "allocation_counter.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static atomic_ullong allocations;
static atomic_ullong allocatedBytes;

enum { traceCapacity = 256, traceDepth = 24 };
static int traceAvailable;
static atomic_int tracing;
static atomic_int traced;
static void *traces[traceCapacity][traceDepth];
static int traceDepths[traceCapacity];
static _Thread_local int insideTrace;

static void record(void) {
    if (!atomic_load_explicit(&tracing, memory_order_relaxed) || insideTrace) return;
    int slot = atomic_fetch_add_explicit(&traced, 1, memory_order_relaxed);
    if (slot >= traceCapacity) return;
    insideTrace = 1;
    traceDepths[slot] = backtrace(traces[slot], traceDepth);
    insideTrace = 0;
}

static void counted(size_t bytes) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&allocatedBytes, bytes, memory_order_relaxed);
    record();
}

unsigned long long tessera_allocation_count(void) { return atomic_load_explicit(&allocations, memory_order_relaxed); }

unsigned long long tessera_allocated_bytes(void) { return atomic_load_explicit(&allocatedBytes, memory_order_relaxed); }

void tessera_allocation_trace(int on) {
    if (traceAvailable) atomic_store_explicit(&tracing, on, memory_order_relaxed);
}

static void dumpTraces(void) {
    int count = atomic_load(&traced);
    dprintf(STDERR_FILENO, "allocation trace: %d allocations while tracing\n", count);
    for (int slot = 0; slot < count && slot < traceCapacity; slot++) {
        dprintf(STDERR_FILENO, "--- allocation %d\n", slot);
        backtrace_symbols_fd(traces[slot], traceDepths[slot], STDERR_FILENO);
    }
}

__attribute__((constructor)) static void setUpTracing(void) {
    const char *flag = getenv("TESSERA_ALLOC_TRACE");
    if (flag == NULL || flag[0] == 0 || (flag[0] == '0' && flag[1] == 0)) return;
    // The first backtrace() loads the unwinder (and allocates); do it before any tracing.
    void *warm[2];
    backtrace(warm, 2);
    traceAvailable = 1;
    atexit(dumpTraces);
}

void *malloc(size_t size) {
    counted(size);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    size_t bytes;
    counted(__builtin_mul_overflow(count, size, &bytes) ? SIZE_MAX : bytes);
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    counted(size);
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    counted(size);
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    counted(size);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    counted(size);
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}
