import Foundation

/// The status row: what the screen is doing, the template, speed, context use, whether the
/// conversation is saved, and key hints (dropped first when the row is narrow).
extension App {
    static func renderStatus(
        _ screen: inout Screen, _ state: AppState, _ layout: ScreenLayout, theme: Theme
    ) {
        let row = layout.statusRow
        let width = layout.size.columns
        screen.fill(row: row, style: theme.style(.status))
        var column = 0
        if let busy = busyLabel(state) {
            column = screen.put(
                busy, row: row, column: 0,
                style: theme.style(busy.contains("failed") ? .error : .statusBusy))
        }
        let parts = statusParts(state)
        let hints = hintText(state)
        let info = " " + parts.joined(separator: " · ") + " "
        column = screen.put(
            TextWrap.truncate(info, width: max(0, width - column)), row: row, column: column,
            style: theme.style(.status))
        let hintWidth = DisplayWidth.of(hints)
        if column + hintWidth + 1 <= width {
            screen.put(hints, row: row, column: width - hintWidth, style: theme.style(.hint))
        }
    }

    /// "● streaming", "loading model 45%", or nil when idle.
    static func busyLabel(_ state: AppState) -> String? {
        if state.turn != nil {
            return state.turn?.cancelRequested == true ? " ■ stopping " : " ● streaming "
        }
        switch state.model {
        case .loading(let fraction, let detail):
            let percent = fraction.map { " \(Int(($0 * 100).rounded()))%" } ?? ""
            return " loading model\(percent)\(detail.isEmpty ? "" : " · " + detail) "
        case .failed: return " model failed "
        case .ready: return state.sendPending ? " waiting " : nil
        }
    }

    static func statusParts(_ state: AppState) -> [String] {
        var parts = [state.conversation.template ?? "no template"]
        if let speed = state.tokensPerSecond, speed.isFinite, speed > 0 {
            parts.append(String(format: "%.1f tok/s", speed))
        }
        if let context = state.contextUsed, context.length > 0 {
            parts.append(contextBar(used: context.used, length: context.length))
        }
        if state.saveFailed {
            parts.append("NOT SAVED")
        } else if state.pendingWrites > 0 {
            parts.append("saving…")
        } else {
            parts.append(state.conversation.id == nil ? "not saved yet" : "saved")
        }
        return parts
    }

    /// "▰▰▱▱▱▱ 1.2k/8k": how full the context window is.
    static func contextBar(used: Int, length: Int) -> String {
        let cells = 6
        let filled = min(cells, Int((Double(used) / Double(length) * Double(cells)).rounded(.up)))
        let bar =
            String(repeating: "▰", count: filled) + String(repeating: "▱", count: cells - filled)
        return "\(bar) \(compact(used))/\(compact(length))"
    }

    /// 950, 1.2k, 12k, 128k.
    static func compact(_ value: Int) -> String {
        if value < 1000 { return "\(value)" }
        if value < 10_000 {
            let tenths = (value + 50) / 100
            return tenths % 10 == 0 ? "\(tenths / 10)k" : "\(tenths / 10).\(tenths % 10)k"
        }
        return "\((value + 500) / 1000)k"
    }

    static func hintText(_ state: AppState) -> String {
        if state.turn != nil { return " Ctrl-C stop · PgUp scroll " }
        return " F1 help · F2 templates · F3 chats "
    }
}
