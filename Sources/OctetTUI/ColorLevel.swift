/// How many colours a terminal shows, best first; the backend picks one from the terminal
/// description and `NO_COLOR`, and every style is degraded through it (STYLE.md H10).
public enum ColorLevel: String, CaseIterable, Sendable {
    case truecolor
    case palette256 = "256"
    case ansi8 = "8"
    case none

    /// The level for a terminal that reports `colors` colours; `NO_COLOR` (any non-empty
    /// value, no-color.org) means none.
    public static func detect(colors: Int, hasColors: Bool, environment: [String: String])
        -> ColorLevel
    {
        if let value = environment["NO_COLOR"], !value.isEmpty { return .none }
        guard hasColors, colors >= 8 else { return .none }
        if colors >= 0x1000000 { return .truecolor }
        if colors >= 256 { return .palette256 }
        return .ansi8
    }

    // MARK: - Degrading one style

    /// `style` as this level can show it: colours mapped down, and for `.none` a style that
    /// keeps its meaning by attributes alone (the theme's `monochrome` attributes).
    /// Where a foreground would vanish into its background, the terminal's defaults are used.
    public func degrade(_ style: CellStyle) -> CellStyle {
        switch self {
        case .truecolor:
            return CellStyle(
                foreground: style.foreground, background: style.background,
                attributes: style.attributes)
        case .palette256:
            return legible(
                CellStyle(
                    foreground: Self.to256(style.foreground),
                    background: Self.to256(style.background), attributes: style.attributes))
        case .ansi8:
            let foreground = style.foreground8 ?? Self.to8(style.foreground)
            let background = style.background8 ?? Self.to8(style.background)
            return legible(
                CellStyle(
                    foreground: foreground, background: background,
                    attributes: style.attributes))
        case .none:
            return CellStyle(attributes: style.monochrome ?? style.attributes)
        }
    }

    private func legible(_ style: CellStyle) -> CellStyle {
        guard style.foreground == style.background, style.foreground != .default else {
            return style
        }
        var copy = style
        copy.foreground = .default
        copy.background = .default
        return copy
    }

    // MARK: - Colour arithmetic

    /// The xterm palette: 16 ANSI, a 6x6x6 cube from index 16, 24 greys from 232.
    static func to256(_ color: TerminalColor) -> TerminalColor {
        guard case .rgb(let r, let g, let b) = color else { return color }
        let cube = [0, 95, 135, 175, 215, 255]
        func nearestLevel(_ v: UInt8) -> Int {
            var best = 0
            for i in 1..<cube.count where abs(cube[i] - Int(v)) < abs(cube[best] - Int(v)) {
                best = i
            }
            return best
        }
        let (ri, gi, bi) = (nearestLevel(r), nearestLevel(g), nearestLevel(b))
        let cubeColor = (cube[ri], cube[gi], cube[bi])
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyIndex = max(0, min(23, (average - 8 + 5) / 10))
        let grey = 8 + greyIndex * 10
        let cubeDistance = distance((Int(r), Int(g), Int(b)), cubeColor)
        let greyDistance = distance((Int(r), Int(g), Int(b)), (grey, grey, grey))
        if greyDistance < cubeDistance { return .indexed(UInt8(232 + greyIndex)) }
        return .indexed(UInt8(16 + 36 * ri + 6 * gi + bi))
    }

    /// The nearest of the eight basic colours (bright ANSI colours fold onto their base).
    static func to8(_ color: TerminalColor) -> TerminalColor {
        switch color {
        case .default: return .default
        case .ansi(let index): return .ansi(index % 8)
        case .indexed(let index): return to8(.rgb(rgb(ofIndexed: index)))
        case .rgb(let r, let g, let b):
            var best = 0
            var bestDistance = Int.max
            for (index, base) in ansiBase.enumerated() {
                let d = distance((Int(r), Int(g), Int(b)), base)
                if d < bestDistance { (best, bestDistance) = (index, d) }
            }
            return .ansi(UInt8(best))
        }
    }

    /// Reference values of the eight ANSI colours (xterm's defaults, slightly brightened
    /// so that mid greys map to white rather than black on dark themes).
    private static let ansiBase: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
        (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    ]

    static func rgb(ofIndexed index: UInt8) -> (UInt8, UInt8, UInt8) {
        let i = Int(index)
        if i < 16 {
            let base = ansiBase[i % 8]
            let lift = i >= 8 ? 50 : 0
            return (
                UInt8(min(255, base.0 + lift)), UInt8(min(255, base.1 + lift)),
                UInt8(min(255, base.2 + lift))
            )
        }
        if i >= 232 {
            let v = UInt8(8 + (i - 232) * 10)
            return (v, v, v)
        }
        let cube = [0, 95, 135, 175, 215, 255]
        let c = i - 16
        return (UInt8(cube[c / 36]), UInt8(cube[(c / 6) % 6]), UInt8(cube[c % 6]))
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        // Weighted for the eye (green counts most), as in common "redmean"-free shortcuts.
        let dr = a.0 - b.0
        let dg = a.1 - b.1
        let db = a.2 - b.2
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }
}

extension TerminalColor {
    fileprivate static func rgb(_ triple: (UInt8, UInt8, UInt8)) -> TerminalColor {
        .rgb(triple.0, triple.1, triple.2)
    }
}
