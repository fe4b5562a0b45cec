#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call: one wrapper per setting used.
// Memory statistics off: SQLite then allocates without taking its global memory mutex (one lock per allocation,
// millions of them in a nightly settlement). Must run before the first connection is opened.
static inline int timebank_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
