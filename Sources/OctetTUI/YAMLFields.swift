import Foundation
import Yams

/// Reads a YAML file by hand from Yams' node tree, so that every error can name the file,
/// the line and the field (STYLE.md §1.1: "decode by hand from the node tree").
struct YAMLFields {
    /// The file's name as the user should see it in messages.
    let file: String

    // MARK: - Parsing

    /// The root node of `text`; an empty file is an empty mapping.
    func root(of text: String) throws -> Node {
        do {
            return try Yams.compose(yaml: text) ?? Node([(Node, Node)]())
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw OctetTUIError.invalidFile(
                file: file, line: nil, field: nil, problem: "\(error)")
        }
    }

    private func syntaxError(_ error: YamlError) -> OctetTUIError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return .invalidFile(file: file, line: mark.line, field: nil, problem: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .invalidFile(
                file: file, line: context.mark.line, field: duplicates.first,
                problem: "duplicate key")
        default:
            return .invalidFile(file: file, line: nil, field: nil, problem: "not valid YAML")
        }
    }

    // MARK: - Typed access

    func error(_ node: Node?, _ field: String, _ problem: String) -> OctetTUIError {
        .invalidFile(file: file, line: node?.mark?.line, field: field, problem: problem)
    }

    /// The pairs of a mapping, keys as strings, in file order.
    func mapping(_ node: Node, _ field: String) throws -> [(key: String, node: Node)] {
        guard let mapping = node.mapping else {
            throw error(node, field, "expected a mapping of keys to values")
        }
        return try mapping.map { pair in
            guard let key = pair.key.string else {
                throw error(pair.key, field, "keys must be plain words")
            }
            return (key, pair.value)
        }
    }

    func string(_ node: Node, _ field: String) throws -> String {
        guard let scalar = node.scalar else { throw error(node, field, "expected text") }
        return scalar.string
    }

    /// The scalar's whole number as YAML 1.1 writes it (`17`, `0x11`, `0o21`, `1_000`), or nil.
    /// Not through `Node.int` alone: Yams also reads base 60 there (`1:30` is 90) and traps when
    /// that overflows `Int` (`999999999999999999:0`, reached by the theme fuzz target), so
    /// base-60 text is not a number here.
    func integer(_ node: Node) -> Int? {
        guard let scalar = node.scalar, !scalar.string.contains(":") else { return nil }
        return node.int
    }

    func double(_ node: Node, _ field: String) throws -> Double {
        guard node.scalar != nil, let value = node.float ?? integer(node).map(Double.init) else {
            throw error(node, field, "expected a number")
        }
        return value
    }

    func int(_ node: Node, _ field: String) throws -> Int {
        guard node.scalar != nil, let value = integer(node) else {
            throw error(node, field, "expected a whole number")
        }
        return value
    }

    func bool(_ node: Node, _ field: String) throws -> Bool {
        guard node.scalar != nil, let value = node.bool else {
            throw error(node, field, "expected true or false")
        }
        return value
    }

    func strings(_ node: Node, _ field: String) throws -> [String] {
        if let scalar = node.scalar {
            return scalar.string.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        guard let sequence = node.sequence else {
            throw error(node, field, "expected a list")
        }
        return try sequence.map { try string($0, field) }
    }
}
