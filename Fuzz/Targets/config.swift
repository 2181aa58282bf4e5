// MARK: - Fuzz target: config.yaml
//
// The input is the text of `$XDG_CONFIG_HOME/octet/config.yaml` (or, after a 0 byte, one value
// in a fixed config: FuzzInput.yaml). It parses, or it throws an
// `OctetTUIError.invalidFile` naming the file; the sampling keys it accepted apply cleanly
// (each was checked once already, so applying them again changes nothing further).

import OctetChat
import OctetTUI

private let fileName = "config.yaml"

/// Where a value goes in the fixed config: the top-level keys and every sampling key.
private let slots = ["model", "theme", "template"].map { ("\($0): ", "\n") }
    + SamplingKeys.all.map { ("sampling:\n  \($0): ", "\n") }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let config: AppConfig
    do {
        config = try AppConfig.parse(input.yaml(slots: slots, indent: "    "), file: fileName)
    } catch let error as OctetTUIError {
        guard case .invalidFile(let file, let line, _, _) = error else {
            fuzzCheck(false, "not a file error: \(error)")
            return 0
        }
        fuzzCheck(file == fileName, "error names \(file)")
        fuzzCheck(line.map { $0 >= 1 } ?? true, "line \(String(describing: line))")
        return 0
    } catch {
        fuzzCheck(false, "not an OctetTUIError: \(error)")
        return 0
    }
    var settings = SamplingSettings.default
    config.applySampling(to: &settings)
    fuzzCheck(settings == config.sampling, "applySampling differs from the parsed settings")
    for key in config.samplingKeys {
        fuzzCheck(config.samplingText[key] != nil, "sampling key \(key) has no text")
    }
    _ = SamplingKeys.describe(settings)
    return 0
}
