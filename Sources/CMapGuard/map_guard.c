// The SIGBUS guard for mapped files (see CMapGuard.h). The table is fixed and lock-free, since a
// signal handler may read it at any moment on any thread.
#define _GNU_SOURCE
#include "CMapGuard.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { slots = 64 };

static struct {
    _Atomic uintptr_t base;   // 0: free
    _Atomic size_t size;
    _Atomic int faulted;
} table[slots];

static struct sigaction previous;
static atomic_flag installing = ATOMIC_FLAG_INIT;

static void on_sigbus(int sig, siginfo_t *info, void *context) {
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int i = 0; i < slots; i++) {
        uintptr_t base = atomic_load(&table[i].base);
        if (base == 0 || address < base || address - base >= atomic_load(&table[i].size)) continue;
        uintptr_t page = address & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1);
        void *zeros = mmap((void *)page, (size_t)sysconf(_SC_PAGESIZE), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (zeros == MAP_FAILED) break;
        atomic_store(&table[i].faulted, 1);
        return;   // the read is retried and finds zeros
    }
    // Not a guarded mapping: whoever handled SIGBUS before (the terminal's restore), else the default.
    if (previous.sa_flags & SA_SIGINFO) {
        previous.sa_sigaction(sig, info, context);
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
    } else {
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

void memtop_map_guard_install(void) {
    while (atomic_flag_test_and_set(&installing)) {}
    struct sigaction current;
    if (sigaction(SIGBUS, NULL, &current) == 0 && !((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == on_sigbus)) {
        struct sigaction guard;
        memset(&guard, 0, sizeof guard);
        guard.sa_sigaction = on_sigbus;
        guard.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigemptyset(&guard.sa_mask);
        previous = current;
        sigaction(SIGBUS, &guard, NULL);
    }
    atomic_flag_clear(&installing);
}

int memtop_map_guard_add(const void *base, size_t size) {
    if (base == NULL || size == 0) return -1;
    memtop_map_guard_install();
    for (int i = 0; i < slots; i++) {
        uintptr_t expected = 0;
        if (atomic_compare_exchange_strong(&table[i].base, &expected, (uintptr_t)1)) {
            // Claimed: the size first, then the real base, so the handler never sees a half entry.
            atomic_store(&table[i].faulted, 0);
            atomic_store(&table[i].size, size);
            atomic_store(&table[i].base, (uintptr_t)base);
            return i;
        }
    }
    return -1;
}

void memtop_map_guard_remove(int slot) {
    if (slot < 0 || slot >= slots) return;
    atomic_store(&table[slot].base, 0);
}

int memtop_map_guard_faulted(int slot) {
    if (slot < 0 || slot >= slots) return 0;
    return atomic_load(&table[slot].faulted);
}
