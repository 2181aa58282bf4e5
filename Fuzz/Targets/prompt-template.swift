// MARK: - Fuzz target: prompt-template files
//
// The input is the text of a `Prompts/*.yaml` file. It parses into a template, or it throws a
// `ChatError.badTemplateFile` naming the file; a parsed template renders the user's text with
// its defaults, with every variable given, and its examples. Values are inserted as they are:
// a value that looks like Mustache is never expanded.

import OctetChat

private let fileName = "Prompts/fuzz.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPromptTemplate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let template: PromptTemplate
    do {
        template = try PromptTemplateParser.parse(input.text, file: fileName)
    } catch let error as ChatError {
        guard case .badTemplateFile(let file, let line, _, _) = error else {
            fuzzCheck(false, "not a file error: \(error)")
            return 0
        }
        fuzzCheck(file == fileName, "error names \(file)")
        fuzzCheck(line.map { $0 >= 1 } ?? true, "line \(String(describing: line))")
        fuzzCheck(error.description.hasPrefix(fileName), "error text: \(error)")
        return 0
    } catch {
        fuzzCheck(false, "not a ChatError: \(error)")
        return 0
    }
    render(template)
    return 0
}

/// Renders with the defaults only (a variable without one must be reported, not left empty),
/// then with a value for every variable, some of them Mustache-looking.
private func render(_ template: PromptTemplate) {
    let marker = "{{input}} {{#x}}<<\u{1F600}>>"
    do {
        _ = try template.render(input: marker)
    } catch ChatError.missingVariable(let name, let variable) {
        fuzzCheck(name == template.name, "missing variable names template \(name)")
        fuzzCheck(template.variables[variable] == nil, "\(variable) has a default but is missing")
    } catch {
        fuzzCheck(false, "render threw \(error)")
    }
    var given: [String: String] = [:]
    for name in template.variables.keys { given[name] = "{{\(name)}}" }
    _ = try? template.render(input: "", variables: given)
    _ = try? template.exampleMessages(variables: given)
    _ = template.sampling
    _ = template.stop
}
