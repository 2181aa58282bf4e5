// MARK: - Fuzz target: prompt-template files
//
// The input is the text of a `Prompts/*.yaml` file (or, after a 0 byte, the Mustache text or
// one field of a fixed file: FuzzInput.yaml). It parses into a template, or it throws a
// `ChatError.badTemplateFile` naming the file; a parsed template renders the user's text with
// its defaults, with every variable given, and its examples. Values are inserted as they are:
// a value that looks like Mustache is never expanded.

import OctetChat

private let fileName = "Prompts/fuzz.yaml"

/// Where a value goes in the fixed template: the Mustache text (a block scalar), a variable's
/// default, an example's input, a sampling value, the stop strings.
private let slots = [
    ("name: fuzz\ndescription: d\nvariables: { v: x }\ntemplate: |\n  ", "\n"),
    ("name: fuzz\ndescription: d\ntemplate: \"{{input}} {{v}}\"\nvariables:\n  v: ", "\n"),
    ("name: fuzz\ndescription: d\ntemplate: \"Q: {{input}}\"\nexamples:\n  - output: o\n    input: ", "\n"),
    ("name: fuzz\ndescription: d\ntemplate: \"{{input}}\"\nsampling:\n  temperature: ", "\n"),
    ("name: fuzz\ndescription: d\ntemplate: \"{{input}}\"\nstop: ", "\n"),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPromptTemplate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let template: PromptTemplate
    do {
        template = try PromptTemplateParser.parse(input.yaml(slots: slots, indent: "  "), file: fileName)
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
