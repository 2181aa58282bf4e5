// MARK: - Fuzz target: theme files
//
// The input is the text of a `Themes/*.yaml` file (or, after a 0 byte, one colour or style value
// in a fixed theme: FuzzInput.yaml). It parses into a theme that styles every element at every
// colour level, or it throws an `OctetTUIError.invalidFile` naming the file.

import OctetTUI

private let fileName = "Themes/fuzz.yaml"

/// Where a value goes in the fixed theme.
private let slots = [
    ("elements:\n  text:\n    fg: ", "\n"), ("elements:\n  text:\n    bg8: ", "\n"),
    ("palette:\n  p: ", "\nelements:\n  text: { fg: p }\n"),
    ("elements:\n  text:\n    style: ", "\n    mono: [dim]\n"),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTheme(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let theme: Theme
    do {
        theme = try ThemeParser().parse(input.yaml(slots: slots, indent: "      "), file: fileName)
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
    fuzzCheck(theme.name == "fuzz", "theme name \(theme.name) is not the file's")
    for level in ColorLevel.allCases {
        let degraded = theme.degraded(to: level)
        for element in ThemeElement.allCases {
            fuzzCheck(degraded.styles[element.rawValue] != nil, "\(element) has no style")
            _ = degraded.style(element)
        }
    }
    return 0
}
