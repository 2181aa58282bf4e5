#!/usr/bin/env python3
"""Regenerate the SentencePiece golden data of the tokenizer tests.

Writes
  Tests/OctetTokenizerTests/Resources/spm-vocab.json  a small SentencePiece BPE vocabulary as the
                                                      GGUF tokenizer arrays (copied unchanged to
                                                      Tests/OctetCLITests/Resources/ for the
                                                      tiny-model CLI tests)
  Tests/OctetTokenizerTests/Resources/spm_cases.json  strings -> the ids llama.cpp gives them

A test-data generator only: `make test` does not run it, and neither octet nor its tests need
Python. Needs the PyPI packages sentencepiece and gguf, in a throwaway venv:

    python3 -m venv /tmp/spm-venv
    /tmp/spm-venv/bin/pip install sentencepiece==0.2.3 gguf==0.19.0
    /tmp/spm-venv/bin/python scripts/make-spm-goldens.py

Steps (the output is deterministic: one training thread, fixed seeds):
1. Train a SentencePiece BPE model (2,000 pieces) on scripts/spm-corpus.txt with the options
   of Llama 2's tokenizer.model: byte_fallback, identity normalization, add_dummy_prefix,
   remove_extra_whitespaces off, split_digits, whitespace-only pieces allowed.
2. Convert it as llama.cpp's convert_hf_to_gguf.py does (`_create_vocab_sentencepiece`,
   `_set_vocab_sentencepiece`): every piece with its score and type (UNKNOWN 2, CONTROL 3,
   UNUSED 5, BYTE 6, else NORMAL 1); the vocabulary padded to the model's vocab_size with
   `[PADn]` UNUSED tokens (score -10000), two of which are replaced as from a
   tokenizer_config.json `added_tokens_decoder`: `<|im_end|>` (special: CONTROL) and `<tool>`
   (not special: USER_DEFINED), score -1000. The arrays go through a real GGUF file written
   with gguf.GGUFWriter and are read back with gguf.GGUFReader.
3. Expected ids. Text without special tokens: sentencepiece `encode(text, out_type=int)` (its
   add_dummy_prefix is llama.cpp's add_space_prefix). With special tokens: the text is cut
   at them the way llama.cpp's `tokenizer_st_partition` does (longest token text first, each
   occurrence left to right; control and unknown tokens only with parse_special, user-defined
   tokens always) and every text piece is encoded by sentencepiece; llama.cpp gives each text
   piece its space prefix (it is always the first piece or follows a special token), which is
   what sentencepiece's dummy prefix does to it.
4. Cross-check: a Python port of llama.cpp's `llm_tokenizer_spm_session` runs on every case
   and on the random strings; where it disagrees with sentencepiece the golden follows
   llama.cpp and the case says so (`llamacpp_differs`). `decoded` is llama.cpp's detokenize
   (special tokens rendered, the first token's leading space dropped).
"""
import heapq
import io
import json
from importlib import metadata
import os
import random
import sys
import tempfile

import gguf
import sentencepiece as spm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "scripts", "spm-corpus.txt")
OUT_DIR = os.path.join(ROOT, "Tests", "OctetTokenizerTests", "Resources")
CLI_DIR = os.path.join(ROOT, "Tests", "OctetCLITests", "Resources")

VOCAB_SIZE = 2000
PADDED_SIZE = VOCAB_SIZE + 4  # the "config.json vocab_size" the converter pads to
ADDED = {VOCAB_SIZE: ("<|im_end|>", True), VOCAB_SIZE + 1: ("<tool>", False)}
TRAINING = dict(
    model_type="bpe", vocab_size=VOCAB_SIZE, byte_fallback=True, character_coverage=0.9995,
    normalization_rule_name="identity", remove_extra_whitespaces=False, add_dummy_prefix=True,
    split_digits=True, allow_whitespace_only_pieces=True, unk_id=0, bos_id=1, eos_id=2,
    pad_id=-1, num_threads=1, seed_sentencepiece_size=1000000, minloglevel=2)

NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


# MARK: - 1-2. Train and convert

def train():
    lines = open(CORPUS, encoding="utf-8").read().split("\n")
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=model, **TRAINING)
    return spm.SentencePieceProcessor(model_proto=model.getvalue())


def convert(sp):
    """convert_hf_to_gguf.py `_create_vocab_sentencepiece`, step by step."""
    tokens = [f"[PAD{i}]" for i in range(PADDED_SIZE)]
    scores = [-10000.0] * PADDED_SIZE
    types = [UNUSED] * PADDED_SIZE
    for i in range(sp.vocab_size()):
        kind = NORMAL
        if sp.IsUnknown(i):
            kind = UNKNOWN
        elif sp.IsControl(i):
            kind = CONTROL
        elif sp.IsUnused(i):
            kind = UNUSED
        elif sp.IsByte(i):
            kind = BYTE
        tokens[i], scores[i], types[i] = sp.IdToPiece(i), sp.GetScore(i), kind
    for i, (text, special) in ADDED.items():  # tokenizer_config.json added_tokens_decoder
        types[i] = CONTROL if special else USER_DEFINED
        tokens[i] = text if special else text.replace("\u2581", " ")
        scores[i] = -1000.0
    return tokens, scores, types


def through_gguf(tokens, scores, types):
    """Writes the arrays as `_set_vocab_sentencepiece` + SpecialVocab do, reads them back."""
    path = os.path.join(tempfile.mkdtemp(), "vocab.gguf")
    w = gguf.GGUFWriter(path, "llama")
    w.add_tokenizer_model("llama")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    r = gguf.GGUFReader(path)

    def array(key, convert):
        field = r.get_field(key)
        return [convert(field.parts[i]) for i in field.data]

    def scalar(key):
        return r.get_field(key).parts[-1].tolist()[0]

    return {
        "model": bytes(r.get_field("tokenizer.ggml.model").parts[-1]).decode(),
        "pre": bytes(r.get_field("tokenizer.ggml.pre").parts[-1]).decode(),
        "bos_token_id": scalar("tokenizer.ggml.bos_token_id"),
        "eos_token_id": scalar("tokenizer.ggml.eos_token_id"),
        "unknown_token_id": scalar("tokenizer.ggml.unknown_token_id"),
        "add_bos_token": bool(scalar("tokenizer.ggml.add_bos_token")),
        "tokens": array("tokenizer.ggml.tokens", lambda p: bytes(p).decode("utf-8")),
        "scores": array("tokenizer.ggml.scores", lambda p: float(p[0])),
        "token_types": array("tokenizer.ggml.token_type", lambda p: int(p[0])),
    }


# MARK: - 3. llama.cpp's rules (partition, session, detokenize)

class Llama:
    """The parts of llama.cpp `src/llama-vocab.cpp` the goldens need, for an SPM vocabulary."""

    def __init__(self, vocab):
        self.tokens, self.scores, self.types = vocab["tokens"], vocab["scores"], vocab["token_types"]
        self.ids = {t.encode(): i for i, t in enumerate(self.tokens)}
        assert len(self.ids) == len(self.tokens), "duplicate tokens"
        special = [i for i, t in enumerate(self.types) if t in (CONTROL, USER_DEFINED, UNKNOWN)]
        self.special = sorted(special, key=lambda i: (-len(self.tokens[i].encode()), i))

    def partition(self, text, parse_special):
        """`tokenizer_st_partition`: a list of str (text) and int (special token id)."""
        fragments = [text] if text else []
        for sid in self.special:
            if not parse_special and self.types[sid] in (CONTROL, UNKNOWN):
                continue
            needle, out = self.tokens[sid], []
            for f in fragments:
                while isinstance(f, str) and needle in f:
                    left, f = f.split(needle, 1)
                    out += ([left] if left else []) + [sid]
                if f != "":
                    out.append(f)
            fragments = out
        return fragments

    def session(self, text):
        """`llm_tokenizer_spm_session::tokenize` on already escaped text."""
        b = text.encode()
        syms, offs = [], 0
        while offs < len(b):
            n = min([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4][b[offs] >> 4], len(b) - offs)
            syms.append([offs, n, len(syms) - 1, -1])
            offs += n
        for i in range(len(syms) - 1):
            syms[i][3] = i + 1
        queue = []

        def try_add_bigram(left, right):
            if left == -1 or right == -1:
                return
            piece = b[syms[left][0]:syms[left][0] + syms[left][1] + syms[right][1]]
            if piece in self.ids:  # highest score first, then the leftmost
                heapq.heappush(queue, (-self.scores[self.ids[piece]], left, right, len(piece)))

        for i in range(1, len(syms)):
            try_add_bigram(i - 1, i)
        while queue:
            _, left, right, size = heapq.heappop(queue)
            ls, rs = syms[left], syms[right]
            if ls[1] == 0 or rs[1] == 0 or ls[1] + rs[1] != size:
                continue
            ls[1] += rs[1]
            rs[1] = 0
            ls[3] = rs[3]
            if rs[3] >= 0:
                syms[rs[3]][2] = left
            try_add_bigram(ls[2], left)
            try_add_bigram(left, ls[3])
        out, i = [], 0 if syms else -1
        while i != -1:
            piece = b[syms[i][0]:syms[i][0] + syms[i][1]]
            if piece in self.ids:
                out.append(self.ids[piece])
            else:  # byte_to_token: <0xHH>, else the byte itself as a token
                out += [self.ids.get(b"<0x%02X>" % c, self.ids.get(bytes([c]))) for c in piece]
            i = syms[i][3]
        return out

    def tokenize(self, text, parse_special):
        out = []
        for f in self.partition(text, parse_special):
            out += [f] if isinstance(f, int) else self.session(("\u2581" + f).replace(" ", "\u2581"))
        return out

    def detokenize(self, ids):
        """`detokenize(remove_special=false, unparse_special=true)`."""
        out = b""
        for k, i in enumerate(ids):
            t, kind = self.tokens[i], self.types[i]
            if kind in (CONTROL, UNKNOWN, USER_DEFINED):
                piece = t.encode()
            elif kind == NORMAL:
                piece = t.replace("\u2581", " ").encode()
            elif kind == BYTE:
                piece = bytes([int(t[3:5], 16)])
            else:
                piece = b""
            if k == 0 and piece.startswith(b" "):
                piece = piece[1:]
            out += piece
        return out.decode("utf-8", errors="replace")


def sentencepiece_ids(sp, llama, text, parse_special):
    ids = []
    for f in llama.partition(text, parse_special):
        ids += [f] if isinstance(f, int) else sp.encode(f, out_type=int)
    return ids


# MARK: - The cases

# (name, text) pairs; parse_special is true unless the name ends in "-plain".
CASES = [
    ("empty", ""),
    ("hello-world", "Hello world"),
    ("hello-punct", "Hello, world!"),
    ("pangram", "The quick brown fox jumps over the lazy dog."),
    ("contractions", "It's a test; isn't it? We'll see, they're sure."),
    ("unseen-word", "Tokenization is unbelievably fascinating"),
    ("all-caps", "ALL CAPS TEXT"),
    ("mixed-case", "MiXeD CaSe wOrDs"),
    ("single-letter", "a"),
    ("single-capital", "I"),
    ("letters-spaced", "x y z"),
    ("sentence-from-corpus", "The capital of France is Paris."),
    ("leading-space", " leading"),
    ("two-leading-spaces", "  two leading"),
    ("trailing-space", "trailing "),
    ("two-trailing-spaces", "trailing  "),
    ("inner-spaces", "multiple   spaces   inside"),
    ("one-space", " "),
    ("two-spaces", "  "),
    ("five-spaces", "     "),
    ("space-around", " a "),
    ("double-space", "a  b"),
    ("space-before-newline", "end of line \nnext line"),
    ("newline", "line1\nline2"),
    ("only-newline", "\n"),
    ("two-newlines", "\n\n"),
    ("paragraphs", "First paragraph.\n\nSecond paragraph."),
    ("crlf", "windows\r\nline"),
    ("tabs", "tab\tseparated\tvalues"),
    ("only-tab", "\t"),
    ("tab-indent", "\tindented"),
    ("four-space-indent", "    four spaces indent"),
    ("mixed-whitespace", "mixed \t \n whitespace"),
    ("trailing-newline", "last line\n"),
    ("digit", "0"),
    ("number", "42"),
    ("pi", "3.14159"),
    ("date", "2024-05-17"),
    ("thousands", "1,000,000"),
    ("phone", "call 555-0100 now"),
    ("alnum", "x1 y22 z333"),
    ("fullwidth-digits", "１２３"),
    ("python-def", "def add(a, b):\n    return a + b"),
    ("c-loop", "for (int i = 0; i < n; i++) { sum += i; }"),
    ("swift-let", "let x: [Int] = [1, 2, 3]"),
    ("json", "{\"key\": \"value\", \"n\": 12}"),
    ("print-call", "print(\"hello\")"),
    ("python-if", "if x == None:\n\tpass"),
    ("c-include", "#include <stdio.h>"),
    ("operators", "a->b && c || !d"),
    ("sql", "SELECT * FROM users WHERE id = 1;"),
    ("comprehension", "x = {k: v for k, v in d.items()}"),
    ("shell-path", "~/`$HOME`/path_to/file.txt"),
    ("html", "<p>Hello</p>"),
    ("chinese-hello", "你好"),
    ("chinese-punct", "你好，世界！"),
    ("chinese-sentence", "我喜欢编程，也喜欢读书和听音乐。"),
    ("chinese-unseen", "龘靐齉爩"),
    ("chinese-mixed-seen", "机器学习模型很有意思"),
    ("japanese", "日本語のテキスト"),
    ("korean", "한국어 텍스트"),
    ("chinese-english", "中文 and English mixed"),
    ("chinese-digits", "数字123和字母abc"),
    ("chinese-leading-space", " 你好"),
    ("emoji", "😀"),
    ("emoji-skin-tone", "👍🏽"),
    ("emoji-zwj", "👨‍👩‍👧"),
    ("flag", "🇫🇷"),
    ("heart-in-text", "I ❤️ Swift"),
    ("emoji-at-end", "party time 🎉"),
    ("emoji-run", "🤖🤖🤖"),
    ("accents", "café"),
    ("accents-many", "naïve résumé façade"),
    ("decomposed", "e\u0301 decomposed"),
    ("angstrom", "Ångström"),
    ("eszett", "Straße"),
    ("greek", "Ελληνικά"),
    ("cyrillic", "Русский текст"),
    ("hebrew", "עברית"),
    ("arabic", "العربية"),
    ("devanagari", "हिन्दी"),
    ("bos-alone", "<s>"),
    ("eos-alone", "</s>"),
    ("bos-text", "<s>Hello"),
    ("text-eos", "Hello</s>"),
    ("bos-text-eos", "<s>Hello</s>"),
    ("bos-inside", "a<s>b"),
    ("bos-then-space", "<s> space after bos"),
    ("eos-spaced", "Hello </s> world"),
    ("two-bos", "<s><s>"),
    ("two-eos-text", "</s></s>x"),
    ("unk-alone", "<unk>"),
    ("unk-inside", "text <unk> text"),
    ("added-control", "<|im_end|>"),
    ("added-control-chat", "Hi<|im_end|>\n"),
    ("user-defined", "<tool>"),
    ("user-defined-inside", "call <tool> now"),
    ("near-miss-open", "<s"),
    ("near-miss-close", "s>"),
    ("near-miss-case", "<S>"),
    ("near-miss-space", "</ s>"),
    ("bos-plain", "<s>Hello</s>-plain"),
    ("unk-plain", "<unk>-plain"),
    ("added-control-plain", "<|im_end|>-plain"),
    ("user-defined-plain", "use <tool> here-plain"),
    ("literal-escape", "\u2581"),
    ("literal-escape-run", "\u2581\u2581x"),
    ("nbsp", "\u00a0nbsp"),
    ("ideographic-space", "\u3000space"),
    ("zero-width", "zero\u200bwidth"),
    ("bell", "bell\u0007"),
    ("delete", "del\u007f"),
    ("combining-stack", "a\u0301\u0302"),
    ("ligature", "ﬁne"),
    ("fractions", "½ ²"),
    ("long-paragraph",
     "Octet runs a language model on the CPU. 它完全离线运行。 Code: `let x = 42` and "
     "emoji 🎉, then numbers 1,234.56 and   spaces\tand tabs\nand lines.\n"),
    ("repeat-a", "a" * 100),
    ("repeat-space", " " * 50),
    ("repeat-ab", "ab" * 60),
    ("repeat-chinese", "你" * 30),
]

POOLS = [
    ["a", "Hello", " world", "it's", "the", "The", " model", "token", "-", "_", "::", "{}", "();"],
    [" ", "  ", "\t", "\n", "\r\n", "\n\n", " \n ", "\u00a0", "\u3000"],
    ["0", "7", "42", " 99", "3.14", "2024", "１２"],
    ["我", "喜欢", "编程", "你好", "世界", "日本語", "한국어", "龘"],
    ["😀", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷", "❤️", "🤖"],
    ["e\u0301", "ñ", "Å", "ß", "ﬁ", "é"],
    ["<s>", "</s>", "<unk>", "<s", "s>", "<", ">", "<|im_end|>", "<tool>"],
]


def random_strings(count, seed=20240517):
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        s = ""
        for _ in range(rng.randrange(1, 13)):
            if rng.randrange(10) == 0:
                c = rng.randrange(0x110000)
                s += chr(c) if not 0xD800 <= c <= 0xDFFF and c != 0 else "\ufffd"
            else:
                pool = rng.choice(POOLS)
                s += rng.choice(pool)
        out.append(s)
    return out


def case(sp, llama, name, text, parse_special):
    ids_sp = sentencepiece_ids(sp, llama, text, parse_special)
    ids_llama = llama.tokenize(text, parse_special)
    decoded = llama.detokenize(ids_llama)
    entry = {"name": name, "text": text, "parse_special": parse_special, "ids": ids_llama,
             "pieces": [llama.tokens[i] for i in ids_llama], "decoded": decoded,
             "roundtrip": decoded.encode() == text.encode()}
    if ids_sp != ids_llama:
        entry["llamacpp_differs"] = {"sentencepiece_ids": ids_sp}
    specials = [i for i in ids_llama if llama.types[i] in (CONTROL, USER_DEFINED, UNKNOWN)]
    if not specials:  # sentencepiece decodes plain text the way llama.cpp detokenizes it
        assert sp.decode(ids_llama) == decoded, (name, sp.decode(ids_llama), decoded)
    return entry


def main():
    sp = train()
    vocab = through_gguf(*convert(sp))
    vocab["sentencepiece"] = {k: v for k, v in TRAINING.items() if k != "minloglevel"}
    vocab["sentencepiece"]["version"] = metadata.version("sentencepiece")
    vocab["gguf_version"] = metadata.version("gguf")
    llama = Llama(vocab)
    cases = []
    for name, text in CASES:
        plain = name.endswith("-plain") or text.endswith("-plain")
        text = text[:-len("-plain")] if text.endswith("-plain") else text
        cases.append(case(sp, llama, name, text, not plain))
    randoms = [case(sp, llama, f"random-{k}", s, True) for k, s in enumerate(random_strings(400))]
    for r in randoms:
        del r["pieces"]
    differ = [c["name"] for c in cases + randoms if "llamacpp_differs" in c]
    print(f"{len(cases)} cases, {len(randoms)} random strings; llama.cpp differs from "
          f"sentencepiece on {len(differ)}: {differ}", file=sys.stderr)
    cross = random_strings(3000, seed=7)
    disagreements = [s for s in cross
                     if llama.tokenize(s, False) != sentencepiece_ids(sp, llama, s, False)]
    print(f"cross-check on 3000 more random strings: {len(disagreements)} disagreements",
          file=sys.stderr)
    header = {
        "format": "octet/spm-cases/v1",
        "generator": "scripts/make-spm-goldens.py",
        "fields": "ids = llama.cpp tokenize(text, add_special=false, parse_special); decoded = "
                  "llama.cpp detokenize(ids, remove_special=false, unparse_special=true); "
                  "roundtrip = decoded == text; llamacpp_differs = where sentencepiece itself "
                  "gives other ids",
    }
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, "spm-vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(OUT_DIR, "spm_cases.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2] + ",\n")
        for key, rows in (("cases", cases), ("random_cases", randoms)):  # one case a line
            lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
            f.write(f' "{key}": [\n{lines}\n]' + (",\n" if key == "cases" else "\n}\n"))
    os.makedirs(CLI_DIR, exist_ok=True)
    with open(os.path.join(CLI_DIR, "spm-vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main()
