/// The parts of the chat screen a theme colours. The YAML key is the raw value.
public enum ThemeElement: String, CaseIterable, Sendable {
    /// The screen's background and the transcript's plain text; what other elements inherit.
    case text
    case title
    case userLabel = "user_label"
    case userText = "user_text"
    case assistantLabel = "assistant_label"
    case assistantText = "assistant_text"
    case systemLabel = "system_label"
    case systemText = "system_text"
    /// Notes from the chat screen itself (help, "stopped", "3 earlier messages...").
    case note
    case error
    /// Folded or expanded chain-of-thought reasoning.
    case reasoning
    case code
    case border
    case input
    case inputPrompt = "input_prompt"
    case status
    /// The streaming / loading indicator in the status line.
    case statusBusy = "status_busy"
    case hint
    case selection
    case dialog
    case dialogTitle = "dialog_title"

    /// The attributes an element keeps on a terminal without colour, unless the theme says
    /// otherwise: bars and the selection in reverse video, labels in bold.
    var defaultMonochrome: TextAttributes {
        switch self {
        case .title, .status, .selection, .dialogTitle: return [.reverse]
        case .userLabel, .assistantLabel, .systemLabel, .inputPrompt, .error: return [.bold]
        case .hint, .reasoning: return []
        case .statusBusy: return [.reverse, .bold]
        default: return []
        }
    }
}

/// A named set of styles, one per element (DESIGN.md "Files the user edits": Themes/).
/// A value passed to `render`; nothing global (STYLE.md §3).
public struct Theme: Equatable, Sendable {
    public var name: String
    public var description: String
    /// Every element has a style (the parser fills missing ones from `text`).
    public var styles: [String: CellStyle]

    public init(name: String, description: String, styles: [ThemeElement: CellStyle]) {
        self.name = name
        self.description = description
        var all: [String: CellStyle] = [:]
        let base = styles[.text] ?? .plain
        for element in ThemeElement.allCases {
            var style = styles[element] ?? base
            if style.monochrome == nil { style.monochrome = element.defaultMonochrome }
            all[element.rawValue] = style
        }
        self.styles = all
    }

    /// The style of `element`.
    public func style(_ element: ThemeElement) -> CellStyle {
        styles[element.rawValue] ?? .plain
    }

    /// Every style degraded to what `level` can show (the backend draws these).
    public func degraded(to level: ColorLevel) -> Theme {
        var copy = self
        copy.styles = styles.mapValues { level.degrade($0) }
        return copy
    }
}

extension Theme {
    /// The theme used when no theme file can be read: the shipped `Themes/dark.yaml`, kept
    /// here too so that a missing or broken file never leaves the screen unstyled. A test
    /// checks that the two agree.
    public static let fallback = Theme(
        name: "dark", description: "Light text on a dark background (the default).",
        styles: [
            .text: s(0xC8D3F5, 0x1E2030, fg8: .ansi(7), bg8: .ansi(0)),
            .title: s(0x1E2030, 0x82AAFF, [.bold], fg8: .ansi(0), bg8: .ansi(4)),
            .userLabel: s(0xC3E88D, 0x1E2030, [.bold], fg8: .ansi(2), bg8: .ansi(0)),
            .userText: s(0xE4EAFF, 0x1E2030, fg8: .ansi(7), bg8: .ansi(0)),
            .assistantLabel: s(0x82AAFF, 0x1E2030, [.bold], fg8: .ansi(6), bg8: .ansi(0)),
            .assistantText: s(0xC8D3F5, 0x1E2030, fg8: .ansi(7), bg8: .ansi(0)),
            .systemLabel: s(0xFFC777, 0x1E2030, [.bold], fg8: .ansi(3), bg8: .ansi(0)),
            .systemText: s(0xD7C7A0, 0x1E2030, fg8: .ansi(3), bg8: .ansi(0)),
            .note: s(0x86E1FC, 0x1E2030, [.italic], fg8: .ansi(6), bg8: .ansi(0)),
            .error: s(0xFF757F, 0x1E2030, [.bold], fg8: .ansi(1), bg8: .ansi(0)),
            .reasoning: s(0x8A93B8, 0x1E2030, [.italic], fg8: .ansi(5), bg8: .ansi(0)),
            .code: s(0xC3E88D, 0x2F334D, fg8: .ansi(2), bg8: .ansi(0)),
            .border: s(0x444A73, 0x1E2030, fg8: .ansi(4), bg8: .ansi(0)),
            .input: s(0xE4EAFF, 0x222436, fg8: .ansi(7), bg8: .ansi(0)),
            .inputPrompt: s(0xC3E88D, 0x222436, [.bold], fg8: .ansi(2), bg8: .ansi(0)),
            .status: s(0xC8D3F5, 0x2F334D, fg8: .ansi(0), bg8: .ansi(7)),
            .statusBusy: s(0x1E2030, 0xFFC777, [.bold], fg8: .ansi(0), bg8: .ansi(3)),
            .hint: s(0x8A93B8, 0x2F334D, fg8: .ansi(0), bg8: .ansi(7)),
            .selection: s(0x1E2030, 0x82AAFF, [.bold], fg8: .ansi(0), bg8: .ansi(6)),
            .dialog: s(0xC8D3F5, 0x2F334D, fg8: .ansi(7), bg8: .ansi(4)),
            .dialogTitle: s(0x1E2030, 0xC3E88D, [.bold], fg8: .ansi(0), bg8: .ansi(2)),
        ])

    private static func s(
        _ fg: UInt32, _ bg: UInt32, _ attributes: TextAttributes = [],
        fg8: TerminalColor, bg8: TerminalColor
    ) -> CellStyle {
        CellStyle(
            foreground: rgb(fg), background: rgb(bg), attributes: attributes,
            foreground8: fg8, background8: bg8)
    }

    private static func rgb(_ value: UInt32) -> TerminalColor {
        .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }
}
