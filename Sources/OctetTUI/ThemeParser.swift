import Foundation
import Yams

/// Reads one theme file (`Themes/NAME.yaml`):
///
/// ```yaml
/// name: dark                       # optional; must match the file name
/// description: Light text on a dark background.
/// palette:                         # optional names for colours used below
///   night: "#1e2030"
/// elements:                        # any of ThemeElement's keys; missing ones inherit `text`
///   text:  { fg: "#c8d3f5", bg: night, fg8: white, bg8: black }
///   title: { fg: night, bg: "#82aaff", style: [bold], mono: [reverse] }
/// ```
///
/// A colour is `#rrggbb`, a palette name, `default` (the terminal's own), an ANSI name
/// (`black` ... `white`, `bright-black` ... `bright-white`) or a 256-palette index.
/// `fg8`/`bg8` choose the colour on an 8-colour terminal; `mono` the attributes without
/// colour. Every error names the file, line and field.
public struct ThemeParser {
    public init() {}

    // MARK: - Whole file

    /// Parses `text`, the contents of the theme file `file` (named by its path for messages).
    public func parse(_ text: String, file: String) throws -> Theme {
        let yaml = YAMLFields(file: file)
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let root = try yaml.root(of: text)
        var name = stem
        var description = ""
        var palette: [String: TerminalColor] = [:]
        var styles: [ThemeElement: CellStyle] = [:]
        var elementsNode: Node?
        for (key, node) in try yaml.mapping(root, "theme") {
            switch key {
            case "name":
                name = try yaml.string(node, key)
                if name != stem {
                    throw yaml.error(
                        node, key, "\"\(name)\" does not match the file name \"\(stem)\"")
                }
            case "description": description = try yaml.string(node, key)
            case "palette": palette = try parsePalette(node, yaml)
            case "elements": elementsNode = node
            default:
                throw yaml.error(node, key, "unknown key (name, description, palette, elements)")
            }
        }
        guard let elementsNode else {
            throw yaml.error(root, "elements", "missing: a theme must style at least `text`")
        }
        for (key, node) in try yaml.mapping(elementsNode, "elements") {
            guard let element = ThemeElement(rawValue: key) else {
                throw yaml.error(node, "elements.\(key)", "unknown element")
            }
            styles[element] = try parseStyle(node, field: "elements.\(key)", palette, yaml)
        }
        guard styles[.text] != nil else {
            throw yaml.error(elementsNode, "elements.text", "missing: every theme needs `text`")
        }
        return Theme(name: name, description: description, styles: styles)
    }

    // MARK: - Parts

    private func parsePalette(_ node: Node, _ yaml: YAMLFields) throws -> [String: TerminalColor] {
        var palette: [String: TerminalColor] = [:]
        for (key, value) in try yaml.mapping(node, "palette") {
            palette[key] = try parseColor(value, field: "palette.\(key)", [:], yaml)
        }
        return palette
    }

    private func parseStyle(
        _ node: Node, field: String, _ palette: [String: TerminalColor], _ yaml: YAMLFields
    ) throws -> CellStyle {
        var style = CellStyle()
        for (key, value) in try yaml.mapping(node, field) {
            let name = "\(field).\(key)"
            switch key {
            case "fg": style.foreground = try parseColor(value, field: name, palette, yaml)
            case "bg": style.background = try parseColor(value, field: name, palette, yaml)
            case "fg8": style.foreground8 = try parseColor8(value, field: name, yaml)
            case "bg8": style.background8 = try parseColor8(value, field: name, yaml)
            case "style": style.attributes = try parseAttributes(value, field: name, yaml)
            case "mono": style.monochrome = try parseAttributes(value, field: name, yaml)
            default: throw yaml.error(value, name, "unknown key (fg, bg, fg8, bg8, style, mono)")
            }
        }
        return style
    }

    private func parseAttributes(_ node: Node, field: String, _ yaml: YAMLFields) throws
        -> TextAttributes
    {
        var attributes: TextAttributes = []
        for word in try yaml.strings(node, field) where word != "none" && !word.isEmpty {
            guard let attribute = Self.attributeNames[word] else {
                throw yaml.error(
                    node, field,
                    "unknown attribute \"\(word)\" (bold, dim, italic, underline, reverse)")
            }
            attributes.insert(attribute)
        }
        return attributes
    }

    private func parseColor8(_ node: Node, field: String, _ yaml: YAMLFields) throws
        -> TerminalColor
    {
        let color = try parseColor(node, field: field, [:], yaml)
        switch color {
        case .default: return color
        case .ansi(let index) where index < 8: return color
        default:
            throw yaml.error(node, field, "an 8-colour choice must be default or black ... white")
        }
    }

    /// One colour value; see the type's documentation for the forms.
    func parseColor(
        _ node: Node, field: String, _ palette: [String: TerminalColor], _ yaml: YAMLFields
    ) throws -> TerminalColor {
        if let index = yaml.integer(node) {
            guard (0...255).contains(index) else {
                throw yaml.error(node, field, "palette index \(index) is not in 0...255")
            }
            return .indexed(UInt8(index))
        }
        let text = try yaml.string(node, field).lowercased()
        if let color = palette[text] { return color }
        if text == "default" { return .default }
        if let index = Self.ansiNames.firstIndex(of: text) { return .ansi(UInt8(index)) }
        if text.hasPrefix("#"), text.count == 7, let value = UInt32(text.dropFirst(), radix: 16) {
            return .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
        }
        throw yaml.error(
            node, field, "unknown colour \"\(text)\" (#rrggbb, a name, default or 0-255)")
    }

    // MARK: - Names

    static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue",
        "bright-magenta", "bright-cyan", "bright-white",
    ]

    static let attributeNames: [String: TextAttributes] = [
        "bold": .bold, "dim": .dim, "italic": .italic, "underline": .underline,
        "reverse": .reverse,
    ]
}
