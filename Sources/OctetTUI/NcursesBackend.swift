import CNcursesw
import Foundation

/// Drives a real terminal with ncursesw: the only file that imports it (STYLE.md §1.2).
///
/// `newterm` (not `initscr`, which exits the process) so that no `TERM` or an unknown one is
/// a thrown error; raw keys with `get_wch` (wide characters whole; `nonl` so that Enter is
/// CR and Ctrl-J is LF); the wheel through ncurses' mouse support; bracketed paste through
/// two key sequences defined with `define_key`; colour pairs allocated as styles appear,
/// degraded to the terminal's level (truecolor on direct-colour terminfo, 256, 8, none);
/// and only the cells that differ from the last frame are written.
public final class NcursesBackend: TerminalBackend {
    private let environment: [String: String]
    private var screen: OpaquePointer?
    private var last: Screen?
    private var pairs: [PairKey: Int32] = [:]
    private var codes = octet_keys()
    private var customKeys = CustomKeys(base: 0)
    public private(set) var colorLevel: ColorLevel = .none

    private struct PairKey: Hashable {
        var foreground: TerminalColor
        var background: TerminalColor
    }

    /// Codes of our own for sequences terminfo does not name.
    private struct CustomKeys {
        var pasteStart, pasteEnd, controlLeft, controlRight, altEnter: Int32
        init(base: Int32) {
            (pasteStart, pasteEnd, controlLeft, controlRight, altEnter) =
                (base + 1, base + 2, base + 3, base + 4, base + 5)
        }
    }

    /// A backend for the process's terminal; `environment` gives `TERM` and `NO_COLOR`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    deinit { stop() }

    // MARK: - Start and stop

    public func start() throws {
        guard screen == nil else { return }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw OctetTUIError.notATerminal
        }
        guard let term = environment["TERM"], !term.isEmpty else {
            throw OctetTUIError.noTerminalType
        }
        _ = octet_use_utf8_locale()
        guard let created = octet_newterm(term) else { throw OctetTUIError.unknownTerminal(term) }
        screen = created
        raw()
        noecho()
        nonl()
        keypad(octet_stdscr(), true)
        meta(octet_stdscr(), true)
        set_escdelay(25)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        colorLevel = ColorLevel.detect(
            colors: Int(octet_colors()), hasColors: has_colors(), environment: environment)
        defineKeys()
        octet_mouse_wheel_on()
        writeRaw("\u{1B}[?2004h")  // bracketed paste on
        last = nil
    }

    private func defineKeys() {
        customKeys = CustomKeys(base: octet_key_max())
        define_key("\u{1B}[200~", customKeys.pasteStart)
        define_key("\u{1B}[201~", customKeys.pasteEnd)
        define_key("\u{1B}[1;5D", customKeys.controlLeft)
        define_key("\u{1B}[1;5C", customKeys.controlRight)
        define_key("\u{1B}\r", customKeys.altEnter)
    }

    public func stop() {
        guard let current = screen else { return }
        writeRaw("\u{1B}[?2004l")
        curs_set(1)
        endwin()
        delscreen(current)
        screen = nil
        last = nil
        pairs = [:]
    }

    // MARK: - Size and drawing

    public var size: Size {
        var rows: Int32 = 0
        var columns: Int32 = 0
        octet_size(&rows, &columns)
        return Size(columns: Int(columns), rows: Int(rows))
    }

    public func invalidate() {
        last = nil
    }

    public func draw(_ frame: Screen) {
        guard screen != nil else { return }
        if last?.size != frame.size { wclear(octet_stdscr()) }
        for (row, column) in frame.changedCells(since: last) {
            put(frame[row, column], row: row, column: column)
        }
        if let cursor = frame.cursor {
            curs_set(1)
            wmove(octet_stdscr(), Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wnoutrefresh(octet_stdscr())
        doupdate()
        last = frame
    }

    /// Writes one cell: the base character with its zero-width marks (ncurses holds up to
    /// five wide characters per cell); what the cell's width cannot hold is dropped.
    private func put(_ cell: Cell, row: Int, column: Int) {
        let attributes = attributes(cell.style.attributes)
        let pair = self.pair(cell.style)
        var written = 0
        for group in Self.groups(cell.text) where written < cell.width {
            let width = max(1, Int(octet_wcwidth(group[0])))
            guard written + width <= cell.width else { break }
            var text = group + [0]
            _ = octet_put_cell(Int32(row), Int32(column + written), &text, attributes, pair)
            written += width
        }
        while written < max(1, cell.width) {
            var blank: [wchar_t] = [32, 0]
            _ = octet_put_cell(Int32(row), Int32(column + written), &blank, attributes, pair)
            written += 1
        }
    }

    /// `text` cut into ncurses cells: each printable scalar with the zero-width ones after it.
    /// A control character is drawn as its symbol even here, the last step before the
    /// terminal (`Screen.put` has already replaced them; a cell built by hand may not have).
    static func groups(_ text: String) -> [[wchar_t]] {
        var groups: [[wchar_t]] = []
        for original in text.unicodeScalars {
            let scalar = TerminalText.symbol(for: original) ?? original
            let value = wchar_t(bitPattern: scalar.value)
            if octet_wcwidth(value) <= 0 {
                if groups.isEmpty { groups.append([32]) }
                if groups[groups.count - 1].count < 5 { groups[groups.count - 1].append(value) }
            } else {
                groups.append([value])
            }
        }
        return groups
    }

    private func attributes(_ attributes: TextAttributes) -> attr_t {
        var value = octet_a_normal()
        if attributes.contains(.bold) { value |= octet_a_bold() }
        if attributes.contains(.dim) { value |= octet_a_dim() }
        if attributes.contains(.italic) { value |= octet_a_italic() }
        if attributes.contains(.underline) { value |= octet_a_underline() }
        if attributes.contains(.reverse) { value |= octet_a_reverse() }
        return value
    }

    // MARK: - Colour pairs

    private func pair(_ style: CellStyle) -> Int32 {
        guard colorLevel != .none else { return 0 }
        let key = PairKey(foreground: style.foreground, background: style.background)
        if key.foreground == .default, key.background == .default { return 0 }
        if let known = pairs[key] { return known }
        let next = Int32(pairs.count + 1)
        guard next < octet_color_pairs() else { return 0 }
        guard
            init_extended_pair(next, colorNumber(key.foreground), colorNumber(key.background))
                == octet_ok()
        else {
            return 0
        }
        pairs[key] = next
        return next
    }

    private func colorNumber(_ color: TerminalColor) -> Int32 {
        switch color {
        case .default: return -1
        case .ansi(let index): return Int32(index)
        case .indexed(let index): return Int32(index)
        case .rgb(let r, let g, let b): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        }
    }
}

// MARK: - Input

extension NcursesBackend {
    public func nextInput(timeout: Double) -> InputEvent? {
        guard screen != nil else { return nil }
        if terminalHungUp() { return .closed }
        wtimeout(octet_stdscr(), Int32(max(0, min(timeout, 10)) * 1000))
        var value: Int32 = 0
        switch octet_get_wch(&value) {
        case 1: return character(value)
        case 2: return keyCode(value)
        default: return nil
        }
    }

    /// True when the terminal's input has hung up (its window closed without a SIGHUP
    /// reaching us, or the pty gone): reading would fail at once, forever.
    private func terminalHungUp() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) > 0 else { return false }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// A character from get_wch: control characters by name, Escape + character as Alt.
    private func character(_ value: Int32) -> InputEvent? {
        switch value {
        case 13: return .key(.enter)
        case 10: return .key(.newline)
        case 9: return .key(.tab)
        case 127, 8: return .key(.backspace)
        case 3: return .key(.interrupt)
        case 27: return escape()
        case 1...26:
            return .key(.control(Character(Unicode.Scalar(UInt8(value) + 96))))
        default:
            guard let scalar = Unicode.Scalar(UInt32(bitPattern: value)) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    /// Escape alone, or Alt with the key that follows at once.
    private func escape() -> InputEvent? {
        wtimeout(octet_stdscr(), 0)
        var value: Int32 = 0
        guard octet_get_wch(&value) == 1 else { return .key(.escape) }
        switch value {
        case 13, 10: return .key(.newline)
        case 127, 8: return .key(.alt("\u{7F}"))
        default:
            guard value >= 32, let scalar = Unicode.Scalar(UInt32(bitPattern: value)) else {
                return .key(.escape)
            }
            return .key(.alt(Character(scalar)))
        }
    }

    private func keyCode(_ value: Int32) -> InputEvent? {
        let table: [Int32: Key] = [
            codes.up: .up, codes.down: .down, codes.left: .left, codes.right: .right,
            codes.home: .home, codes.end: .end, codes.page_up: .pageUp, codes.page_down: .pageDown,
            codes.delete_char: .delete, codes.backspace: .backspace, codes.enter: .enter,
            codes.back_tab: .backTab, customKeys.controlLeft: .wordLeft,
            customKeys.controlRight: .wordRight, codes.shift_left: .wordLeft,
            codes.shift_right: .wordRight, customKeys.altEnter: .newline,
        ]
        if let key = table[value] { return .key(key) }
        switch value {
        case codes.resize: return .resize(size)
        case codes.mouse:
            let direction = octet_mouse_wheel()
            return direction == 0 ? nil : .wheel(3 * Int(direction))
        case customKeys.pasteStart: return .paste(readPaste())
        case codes.f1...codes.f12: return .key(.function(Int(value - codes.f1) + 1))
        default: return nil
        }
    }

    /// The text between the paste markers; a paste whose end marker never comes ends after
    /// half a second of silence.
    private func readPaste() -> String {
        var scalars = String.UnicodeScalarView()
        while true {
            wtimeout(octet_stdscr(), 500)
            var value: Int32 = 0
            let kind = octet_get_wch(&value)
            if kind == 0 || (kind == 2 && value == customKeys.pasteEnd) { break }
            guard kind == 1 else { continue }
            // CR stays CR here: `Update.paste` turns CR LF and a lone CR into one new line.
            if let scalar = Unicode.Scalar(UInt32(bitPattern: value)) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    // MARK: - Raw output

    /// OSC 52: the terminal puts `text` on the clipboard (tmux with set-clipboard on,
    /// xterm, kitty, iTerm2, WezTerm...).
    public func copyToClipboard(_ text: String) {
        let encoded = Data(text.utf8).base64EncodedString()
        writeRaw("\u{1B}]52;c;\(encoded)\u{07}")
    }

    /// Writes bytes straight to the terminal, after ncurses' own output.
    func writeRaw(_ text: String) {
        fflush(stdout)
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(
                    STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
