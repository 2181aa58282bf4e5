// MARK: - Fuzz target: the GGUF reader
//
// Any bytes as a GGUF file: it parses and every accessor works, or it throws a GGUFError that
// names the file. Once parsed, every tensor's data lies in the file and every small tensor of a
// supported type dequantizes to elementCount floats.

import OctetGGUF

/// Tensors up to this many elements are dequantized (bigger ones only have their bounds checked,
/// so one input cannot take seconds).
private let dequantizeLimit = 1 << 16
private let fileName = "fuzz.gguf"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let file: GGUFFile
    do {
        file = try GGUFFile(bytes: input.bytes, name: fileName)
    } catch let error as GGUFError {
        fuzzCheck(error.file == fileName, "error without the file name: \(error)")
        fuzzCheck(error.description.hasPrefix(fileName + ": "), "error text: \(error)")
        return 0
    } catch {
        fuzzCheck(false, "not a GGUFError: \(error)")
        return 0
    }
    touchMetadata(file.metadata)
    touchTensors(file)
    return 0
}

/// Reads every key with every typed accessor: each returns or throws, never traps.
private func touchMetadata(_ metadata: GGUFMetadata) {
    fuzzCheck(metadata.count == metadata.keys.count, "key count")
    for key in metadata.keys {
        guard let value = metadata[key] else { return fuzzCheck(false, "key \(key) has no value") }
        _ = value.typeName
        _ = "\(value)"
        _ = try? metadata.string(key)
        _ = try? metadata.int(key)
        _ = try? metadata.float(key)
        _ = try? metadata.bool(key)
        _ = try? metadata.strings(key)
        _ = try? metadata.ints(key)
        _ = try? metadata.floats(key)
        _ = try? metadata.optionalInts(key)
    }
    _ = try? metadata.optionalString("general.architecture")
    fuzzCheck((try? metadata.value("fuzz.absent.key")) == nil, "absent key has a value")
}

/// Checks each tensor's bounds and dequantizes the small ones.
private func touchTensors(_ file: GGUFFile) {
    for tensor in file.tensors {
        fuzzCheck(file.tensor(named: tensor.name) == tensor, "lookup of \(tensor.name)")
        fuzzCheck(tensor.offset >= file.dataOffset, "\(tensor.name) starts before the data")
        fuzzCheck(tensor.offset + tensor.byteCount <= file.fileSize, "\(tensor.name) ends outside")
        fuzzCheck(tensor.offset % file.alignment == 0, "\(tensor.name) is not aligned")
        let bytes = file.data(for: tensor)
        fuzzCheck(bytes.count == tensor.byteCount, "data size of \(tensor.name)")
        _ = tensor.rowCount * tensor.rowByteCount
        guard tensor.elementCount <= dequantizeLimit else { continue }
        do {
            let floats = try file.dequantize(tensor)
            fuzzCheck(floats.count == tensor.elementCount, "dequantized count of \(tensor.name)")
        } catch let error as GGUFError {
            fuzzCheck(!Dequantize.isSupported(tensor.type), "supported type threw: \(error)")
        } catch {
            fuzzCheck(false, "not a GGUFError: \(error)")
        }
    }
}
