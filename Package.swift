// swift-tools-version:6.0
import PackageDescription

// timebank: a volunteer time-bank points engine.
// No package dependencies: the toolchain and the system SQLite only.
let package = Package(
    name: "timebank",
    products: [
        .library(name: "TimeBank", targets: ["TimeBank"]),
        .executable(name: "timebank", targets: ["timebank"]),
    ],
    targets: [
        // The system SQLite 3 library (Debian: libsqlite3-dev).
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The system's libcrypto (Debian: libssl-dev), for SHA-256 on the ledger's hot paths; it uses the CPU's
        // SHA instructions. The core keeps its own SHA-256, tested against NIST vectors and against this one.
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // Pure rules over values: ledger rules, policy language, scoring. No I/O, no SQLite.
        .target(name: "TimeBankCore"),
        // Durable storage of the ledger and the community over SQLite.
        .target(name: "TimeBankStorage", dependencies: ["TimeBankCore", "CSQLite", "CCrypto"]),
        // The `timebank` commands as types, runnable in-process.
        .target(name: "TimeBankCLI", dependencies: ["TimeBankCore", "TimeBankStorage"]),
        // The library product other Swift programs depend on.
        .target(name: "TimeBank", dependencies: ["TimeBankCore", "TimeBankStorage"]),
        .executableTarget(name: "timebank", dependencies: ["TimeBankCLI"]),
        // Benchmarks (run by scripts/bench in release mode).
        .executableTarget(name: "timebank-bench", dependencies: ["TimeBankCore", "TimeBankStorage", "CSQLite"]),
        // The toml-test decoder contract: TOML on stdin, tagged JSON on stdout.
        .executableTarget(name: "toml-test-decoder", dependencies: ["TimeBankCore"]),
        // The seeded simulation: random histories against an independent model (scripts/simulate, docs/testing.md).
        .target(name: "TimeBankSimulation", dependencies: ["TimeBankCore", "TimeBankStorage", "CSQLite"]),
        .executableTarget(name: "timebank-simulate", dependencies: ["TimeBankSimulation"]),
        .testTarget(
            name: "TimeBankCoreTests", dependencies: ["TimeBankCore"],
            // Broken policies and their expected diagnostics, read by the golden-file tests.
            exclude: ["PolicyLanguage/Policy/Golden"]
        ),
        // The library product as another program sees it (the README's example).
        .testTarget(name: "TimeBankTests", dependencies: ["TimeBank"]),
        .testTarget(name: "TimeBankStorageTests", dependencies: ["TimeBankStorage", "TimeBankCore"]),
        .testTarget(
            name: "TimeBankCLITests",
            dependencies: ["TimeBankCLI", "TimeBankStorage", "TimeBankCore", "timebank"]
        ),
        // Short simulations on fixed seeds and one new seed per run; the child processes use the built executable.
        .testTarget(
            name: "TimeBankSimulationTests",
            dependencies: ["TimeBankSimulation", "TimeBankStorage", "TimeBankCore", "timebank-simulate"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
