// swift-tools-version:6.0
// Octet: a full-screen terminal chat application with its own INT8 inference engine.
// The targets and the imports each may use are those of STYLE.md §1.1 and §1.2:
// only the allowed dependencies are declared here.
import PackageDescription

/// The C kernels are compiled with optimisation even in debug builds: the tests run the
/// real model, and an unoptimised INT8 dot product is 20-50x slower.
let kernelFlags: [CSetting] = [.unsafeFlags(["-O3", "-fno-math-errno"])]
/// The same for the Swift layers that load and run the model (dequantizing 135M weights
/// at -Onone takes seconds); the flag comes after SwiftPM's -Onone and wins.
let engineFlags: [SwiftSetting] = [.unsafeFlags(["-O"])]

let package = Package(
    name: "Octet",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "octet", targets: ["octet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(
            name: "CNcursesw", pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),

        // MARK: - Engine
        .target(name: "OctetKernels", cSettings: kernelFlags),
        .target(name: "OctetGGUF", swiftSettings: engineFlags),
        .target(name: "OctetTokenizer", swiftSettings: engineFlags),
        .target(
            name: "OctetInference",
            dependencies: ["OctetGGUF", "OctetTokenizer", "OctetKernels"],
            swiftSettings: engineFlags),

        // MARK: - Application
        .target(
            name: "OctetChat",
            dependencies: [
                "OctetInference", "OctetTokenizer", "Yams",
                .product(name: "Mustache", package: "swift-mustache"),
            ]),
        .target(
            name: "OctetStore",
            dependencies: [
                "OctetChat",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(
            name: "OctetTUI",
            dependencies: ["OctetChat", "OctetStore", "CNcursesw", "Yams"]),
        .executableTarget(
            name: "octet",
            dependencies: [
                "OctetInference", "OctetChat", "OctetStore", "OctetTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: - Benchmarks (`make bench`; numbers, no assertions)
        .executableTarget(
            name: "tokenizer-bench",
            dependencies: ["OctetGGUF", "OctetTokenizer", "OctetInference"],
            path: "Benchmarks/TokenizerBench"),

        // The chat screen with made-up services, for tmux tests and trying it by hand; not part
        // of the `octet` command line.
        .executableTarget(
            name: "octet-tui-demo", dependencies: ["OctetTUI", "OctetChat"],
            path: "Examples/octet-tui-demo"),

        // MARK: - Tests
        .testTarget(name: "OctetKernelsTests", dependencies: ["OctetKernels"]),
        .testTarget(name: "OctetGGUFTests", dependencies: ["OctetGGUF"]),
        .testTarget(
            name: "OctetTokenizerTests", dependencies: ["OctetTokenizer"],
            resources: [.copy("Resources")]),
        .testTarget(
            name: "OctetInferenceTests", dependencies: ["OctetInference", "OctetGGUF"],
            resources: [.copy("Resources")]),
        .testTarget(
            name: "OctetChatTests", dependencies: ["OctetChat", "OctetInference", "OctetGGUF"],
            resources: [.copy("Resources")]),
        .testTarget(
            name: "OctetStoreTests", dependencies: ["OctetStore", "OctetChat"],
            resources: [.copy("Resources")]),
        // Golden screens are read beside the sources (#filePath), not bundled.
        .testTarget(name: "OctetTUITests", dependencies: ["OctetTUI"], exclude: ["Golden"]),
        .testTarget(
            name: "OctetLongUseTests", dependencies: ["OctetInference", "OctetChat", "OctetStore"]),
        .testTarget(
            name: "OctetCLITests",
            dependencies: [
                "OctetStore", "OctetChat", "OctetGGUF", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Resources")]),
    ],
    swiftLanguageModes: [.v5]
)
