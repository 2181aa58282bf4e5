#!/usr/bin/env python3
"""Extract a GGUF model's BPE vocabulary into compact JSON for the tokenizer tests.

Usage: scripts/extract-vocab.py [MODEL.gguf] [OUT.json]
Defaults: the installed SmolLM2-135M-Instruct Q4_1 model and
Tests/OctetTokenizerTests/Resources/smollm2-vocab.json.

Reads only the GGUF header and metadata (versions 2 and 3) with the standard library,
so no `pip install gguf` is needed. Writes {tokens, merges, token_types, pre, model}.
"""
import json
import os
import struct
import sys

# GGUF metadata value types (ggml gguf.h: GGUF_TYPE_*).
SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
           10: "<Q", 11: "<q", 12: "<d"}
STRING, ARRAY = 8, 9
WANTED = {"tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type",
          "tokenizer.ggml.pre", "tokenizer.ggml.model"}


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def unpack(self, fmt):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise ValueError(f"truncated at byte {self.pos}")
        (value,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return value

    def string(self):
        n = self.unpack("<Q")
        raw = self.data[self.pos:self.pos + n]
        if len(raw) != n:
            raise ValueError(f"truncated string at byte {self.pos}")
        self.pos += n
        return raw.decode("utf-8")

    def value(self, vtype):
        if vtype in SCALARS:
            return self.unpack(SCALARS[vtype])
        if vtype == STRING:
            return self.string()
        if vtype == ARRAY:
            etype, count = self.unpack("<I"), self.unpack("<Q")
            return [self.value(etype) for _ in range(count)]
        raise ValueError(f"unknown metadata type {vtype} at byte {self.pos}")


def read_metadata(path):
    with open(path, "rb") as f:
        data = f.read()
    r = Reader(data)
    if data[:4] != b"GGUF":
        raise ValueError(f"{path}: not a GGUF file")
    r.pos = 4
    version = r.unpack("<I")
    if version not in (2, 3):
        raise ValueError(f"{path}: unsupported GGUF version {version}")
    r.unpack("<Q")  # tensor count
    n_kv = r.unpack("<Q")
    meta = {}
    for _ in range(n_kv):
        key = r.string()
        meta[key] = r.value(r.unpack("<I"))
    return meta


def main():
    home = os.path.expanduser("~")
    data_home = os.environ.get("XDG_DATA_HOME", os.path.join(home, ".local", "share"))
    model = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        data_home, "octet", "models", "SmolLM2-135M-Instruct.Q4_1.gguf")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        root, "Tests", "OctetTokenizerTests", "Resources", "smollm2-vocab.json")
    meta = read_metadata(model)
    missing = sorted(k for k in WANTED if k not in meta)
    if missing:
        sys.exit(f"{model}: missing metadata {', '.join(missing)}")
    vocab = {
        "model": meta["tokenizer.ggml.model"],
        "pre": meta["tokenizer.ggml.pre"],
        "tokens": meta["tokenizer.ggml.tokens"],
        "token_types": meta["tokenizer.ggml.token_type"],
        "merges": meta["tokenizer.ggml.merges"],
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"{out}: {len(vocab['tokens'])} tokens, {len(vocab['merges'])} merges, "
          f"pre={vocab['pre']}")


if __name__ == "__main__":
    main()
